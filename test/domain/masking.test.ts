/**
 * Masks as Chinese registries print them: the surname's first character and a fixed '**', so that a masked name never
 * tells how long the name is; an ID number keeps at most its first 6 and last 4 characters.
 */
import test from 'ava';
import { maskIdNumber, maskName } from '../../domain/masking';

const masksTo = test.macro({
  exec: (t, name: string, masked: string) => t.is(maskName(name), masked),
  title: (_title, name: string, masked: string) => `the name ${JSON.stringify(name)} is masked as ${masked}`,
});

test(masksTo, '张三', '张**');
test(masksTo, '张伟明', '张**');
test(masksTo, '欧阳娜娜', '欧**');
test(masksTo, 'Li Wei', 'L**');
test(masksTo, ' 王芳 ', '王**');
test(masksTo, '王', '王**');

test('names of two, three and four characters mask alike: the length is not given away', (t) => {
  const masks = new Set(['张三', '张伟明', '张欧阳明', 'Zhang San Feng'].map((name) => maskName(name).slice(1)));
  t.deepEqual([...masks], ['**']);
});

test('a blank name stays blank rather than showing stars for nobody', (t) => {
  t.is(maskName('  '), '');
});

test('an ID number keeps at most its first 6 and last 4 characters', (t) => {
  const masked = maskIdNumber('440524188001010014');
  t.is(masked, '440524********0014');
  t.is(masked.replace(/\*/g, '').length, 10);
  t.false(masked.includes('18800101'), 'the birth date is hidden');
});
