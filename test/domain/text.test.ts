import test from 'ava';
import { readableText } from '../../domain/text';

const refused = test.macro({
  exec(t, value: string, problem: string) {
    t.deepEqual(readableText(value), { problem });
  },
  title: (provided, value: string, problem: string) => provided ?? `${JSON.stringify(value)} is refused: ${problem}`,
});

test(refused, 'Zhang\u0000San', 'control');
test(refused, 'bell\u0007', 'control');
test(refused, 'abc\u202edcba', 'bidi');
test(refused, '\u2067名字\u2069', 'bidi');
test(refused, 'half \ud800 a pair', 'surrogate');
test(refused, '\udc00', 'surrogate');
test(refused, '\u200b\u200b', 'invisible');
test(refused, '\u2060 \u200d', 'invisible');

test('ordinary text in any script, with line breaks and tabs, passes trimmed', (t) => {
  t.deepEqual(readableText('  张三：材料齐全。\nSecond line\twith a tab  '), {
    text: '张三：材料齐全。\nSecond line\twith a tab',
  });
  t.deepEqual(readableText('emoji 👍 is a pair, not a lone surrogate'), {
    text: 'emoji 👍 is a pair, not a lone surrogate',
  });
});

test('text is normalised to NFC, so the same words are stored and searched as the same code points', (t) => {
  const decomposed = 'Le\u0301a';
  t.deepEqual(readableText(decomposed), { text: 'L\u00e9a' });
});

test('blank text is left to the caller (a required field says so in its own words)', (t) => {
  t.deepEqual(readableText('   '), { text: '' });
});
