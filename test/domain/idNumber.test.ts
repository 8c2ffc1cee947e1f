import test from 'ava';
import { englishText } from '../../domain/englishText';
import { ID_TYPES, idNumberMistake, maskIdNumber, normaliseIdNumber, type IdType } from '../../domain/idNumber';
import { TODAY, withCheckCharacter } from './fixtures';

const valid = test.macro({
  exec(t, idType: IdType, idNumber: string) {
    t.is(idNumberMistake(idType, idNumber, TODAY), undefined);
  },
  title: (provided, idType: IdType, idNumber: string) => provided ?? `${idType} ${idNumber} is accepted`,
});

const invalid = test.macro({
  exec(t, idType: IdType, idNumber: string, message: string) {
    const mistake = idNumberMistake(idType, idNumber, TODAY);
    t.is(mistake && englishText(mistake), message);
  },
  title: (provided, idType: IdType, idNumber: string, message: string) =>
    provided ?? `${idType} ${JSON.stringify(idNumber)} is rejected: ${message}`,
});

test('the three ID types are known', (t) => {
  t.deepEqual([...ID_TYPES], ['resident-id', 'passport', 'residence-permit']);
});

test(valid, 'resident-id', '11010519491231002X');
test(valid, 'resident-id', '440524188001010014');
test('a lower-case check character x is accepted', valid, 'resident-id', '11010519491231002x');
test('surrounding spaces are accepted', valid, 'resident-id', ' 440524188001010014 ');
test(invalid, 'resident-id', '440524188001010015', 'check character is wrong (expected 4)');
test(invalid, 'resident-id', '11010519491231002Y', 'the last character must be a digit or X');
test(invalid, 'resident-id', '110105194912310021', 'check character is wrong (expected X)');
test(invalid, 'resident-id', '1101051949123100', 'must be 18 characters (got 16)');
test(invalid, 'resident-id', '11010519491231002X9', 'must be 18 characters (got 19)');
test(invalid, 'resident-id', '1101051949A231002X', 'the first 17 characters must be digits');
test(invalid, 'resident-id', '', 'is required');
test(
  'a birth date in month 13 does not exist',
  invalid,
  'resident-id',
  withCheckCharacter('11010519491331002'),
  'birth date 19491331 does not exist',
);
test(
  '29 February of a common year does not exist',
  invalid,
  'resident-id',
  withCheckCharacter('11010519990229002'),
  'birth date 19990229 does not exist',
);
test('29 February of a leap year exists', valid, 'resident-id', withCheckCharacter('11010520000229002'));
test(
  'a birth date after today lies in the future',
  invalid,
  'resident-id',
  withCheckCharacter('11010520260316002'),
  'birth date lies in the future',
);
test('a person born today is accepted', valid, 'resident-id', withCheckCharacter('11010520260315002'));

test('a Hong Kong residents residence permit is accepted', valid, 'residence-permit', '810000199001011230');
test(
  'a Taiwan residents residence permit is accepted',
  valid,
  'residence-permit',
  withCheckCharacter('83000019851120456'),
);
test(
  'a foreigners permanent residence ID card is accepted as a residence permit',
  valid,
  'residence-permit',
  withCheckCharacter('93310019900101001'),
);
test(
  'a residence permit is checked like a resident ID',
  invalid,
  'residence-permit',
  '810000199001011239',
  'check character is wrong (expected 0)',
);
test(
  'a resident ID number is not a residence permit',
  invalid,
  'residence-permit',
  '11010519491231002X',
  'a residence permit number must start with 810000, 820000 or 830000 (Hong Kong, Macao, Taiwan) or 9 (foreigners)',
);

test(valid, 'passport', 'E12345678');
test('a lower-case passport number is accepted', valid, 'passport', 'g1234567');
test('a five-character passport number is accepted', valid, 'passport', 'AB123');
test('a seventeen-character passport number is accepted', valid, 'passport', 'A1234567890123456');
test(invalid, 'passport', 'AB12', 'must be 5 to 17 letters or digits');
test(invalid, 'passport', 'A12345678901234567', 'must be 5 to 17 letters or digits');
test(invalid, 'passport', 'E1234-567', 'must be 5 to 17 letters or digits');

test('normalising trims, upper-cases the x and drops spaces inside an 18-character number', (t) => {
  t.is(normaliseIdNumber('resident-id', ' 11010519491231002x '), '11010519491231002X');
  t.is(normaliseIdNumber('resident-id', '110105 19491231 002x'), '11010519491231002X');
  t.is(normaliseIdNumber('residence-permit', '810000 19900101 123x'), '81000019900101123X');
  t.is(normaliseIdNumber('passport', ' e12345678 '), 'E12345678');
});

test('a masked 18-character number shows the first 6 and the last 4 characters, hiding the birth date', (t) => {
  t.is(maskIdNumber('11010519491231002X'), '110105********002X');
  t.is(maskIdNumber('81000019900101123X'), '810000********123X');
});

test('a masked passport number shows only the first 3 and the last 2 characters', (t) => {
  t.is(maskIdNumber('E12345678'), 'E12****78');
});

test('a short number is masked whole, because 5 visible characters would give it away', (t) => {
  t.is(maskIdNumber('AB123'), '*****');
  t.is(maskIdNumber('AB12345'), '*******');
});
