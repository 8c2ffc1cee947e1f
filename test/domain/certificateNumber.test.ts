import test from 'ava';
import {
  certificateNumberMistake,
  formatLegacyNumber,
  formatSkillLevelNumber,
  LEGACY_PATTERN,
  parseCertificateNumber,
  SKILL_LEVEL_PATTERN,
  type LegacyNumberParts,
  type SkillLevelNumberParts,
} from '../../domain/certificateNumber';
import { englishText } from '../../domain/englishText';
import { Level } from '../../domain/levels';

const skill: SkillLevelNumberParts = {
  category: 'Y',
  institutionCode: '0001',
  provinceCode: '23',
  siteSerial: '004567',
  year: 2019,
  level: Level.Primary,
  serial: 1,
};

const legacy: LegacyNumberParts = {
  year: 2016,
  provinceCode: '10',
  cityCode: '01',
  institutionType: 2,
  institutionSerial: '003',
  level: Level.Intermediate,
  serial: 123,
};

test('a skill-level number has the official shape and round-trips through parsing', (t) => {
  const number = formatSkillLevelNumber(skill);
  t.is(number, 'Y000123004567195000001');
  t.regex(number, SKILL_LEVEL_PATTERN);
  t.is(number.replace(/^(.{7}).{6}/, '$1XXXXXX'), 'Y000123XXXXXX195000001', 'the official example shape');
  t.deepEqual(parseCertificateNumber(number), { format: 'skill-level', parts: skill });
});

test('a skill-level number of a social evaluation organisation filed with a province round-trips', (t) => {
  const parts: SkillLevelNumberParts = {
    ...skill,
    category: 'S',
    institutionCode: '0000',
    year: 2026,
    level: 2,
    serial: 999999,
  };
  const number = formatSkillLevelNumber(parts);
  t.is(number, 'S000023004567262999999');
  t.deepEqual(parseCertificateNumber(number), { format: 'skill-level', parts });
});

test('the legacy example 1610012003400123 parses into its parts', (t) => {
  t.deepEqual(parseCertificateNumber('1610012003400123'), { format: 'legacy', parts: legacy });
});

test('a legacy number has 16 digits and round-trips through parsing', (t) => {
  t.is(formatLegacyNumber(legacy), '1610012003400123');
  t.regex(formatLegacyNumber(legacy), LEGACY_PATTERN);
  const parts: LegacyNumberParts = { ...legacy, year: 2003, institutionType: 0, level: 1, serial: 99999 };
  t.is(formatLegacyNumber(parts), '0310010003199999');
  t.deepEqual(parseCertificateNumber(formatLegacyNumber(parts)), { format: 'legacy', parts });
});

test('parsing accepts surrounding spaces and a lower-case category letter', (t) => {
  t.deepEqual(parseCertificateNumber(' y000123004567195000001 '), { format: 'skill-level', parts: skill });
  t.is(certificateNumberMistake(' y000123004567195000001 '), undefined);
});

const outOfRange = test.macro({
  exec(t, format: () => string, message: string) {
    t.throws(format, { instanceOf: RangeError, message });
  },
  title: (provided, _format: () => string, message: string) =>
    provided ?? `formatting refuses a part out of range: ${message}`,
});

test(
  outOfRange,
  () => formatSkillLevelNumber({ ...skill, serial: 0 }),
  'serial must be a whole number from 1 to 999999 (got 0)',
);
test(
  outOfRange,
  () => formatSkillLevelNumber({ ...skill, serial: 1_000_000 }),
  'serial must be a whole number from 1 to 999999 (got 1000000)',
);
test(
  outOfRange,
  () => formatSkillLevelNumber({ ...skill, serial: 1.5 }),
  'serial must be a whole number from 1 to 999999 (got 1.5)',
);
test(
  outOfRange,
  () => formatLegacyNumber({ ...legacy, serial: 100_000 }),
  'serial must be a whole number from 1 to 99999 (got 100000)',
);
test(
  outOfRange,
  () => formatSkillLevelNumber({ ...skill, institutionCode: '001' }),
  'institution code must be exactly 4 digits (got "001")',
);
test(
  outOfRange,
  () => formatSkillLevelNumber({ ...skill, provinceCode: '1A' }),
  'province code must be exactly 2 digits (got "1A")',
);
test(
  outOfRange,
  () => formatSkillLevelNumber({ ...skill, siteSerial: '1234567' }),
  'site serial must be exactly 6 digits (got "1234567")',
);
test(
  outOfRange,
  () => formatSkillLevelNumber({ ...skill, year: 1999 }),
  'year must be a whole year from 2000 to 2099 (got 1999)',
);
test(outOfRange, () => formatSkillLevelNumber({ ...skill, level: 6 as Level }), 'level must be 1 to 5 (got 6)');
test(outOfRange, () => formatSkillLevelNumber({ ...skill, category: 'X' as 'Y' }), 'category must be Y or S (got "X")');
test(
  outOfRange,
  () => formatLegacyNumber({ ...legacy, cityCode: '1' }),
  'city code must be exactly 2 digits (got "1")',
);
test(
  outOfRange,
  () => formatLegacyNumber({ ...legacy, institutionSerial: '03' }),
  'institution serial must be exactly 3 digits (got "03")',
);
test(
  outOfRange,
  () => formatLegacyNumber({ ...legacy, institutionType: 5 as 4 }),
  'institution type must be 0 to 4 (got 5)',
);
test(
  outOfRange,
  () => formatLegacyNumber({ ...legacy, year: 2100 }),
  'year must be a whole year from 2000 to 2099 (got 2100)',
);

const invalid = test.macro({
  exec(t, number: string, message: string) {
    t.is(englishText(certificateNumberMistake(number)!), message);
    t.is(parseCertificateNumber(number), undefined);
  },
  title: (provided, number: string, message: string) =>
    provided ?? `${JSON.stringify(number)} is not a certificate number: ${message}`,
});

test(invalid, 'Y000123XXXXXX195000001', 'the 21 characters after the category letter must be digits');
test(invalid, 'X000123004567195000001', 'category letter must be Y or S (got X)');
test(invalid, 'Y00012300456719500001', 'a skill-level certificate number must be 22 characters (got 21)');
test(invalid, 'Y000123004567196000001', 'level digit (character 16) must be 1 to 5 (got 6)');
test(invalid, 'Y000123004567190000001', 'level digit (character 16) must be 1 to 5 (got 0)');
test(invalid, 'Y000123004567195000000', 'serial must not be 000000');
test(invalid, '161001200340012', 'a legacy certificate number must be 16 digits (got 15)');
test(invalid, '1610015003400123', 'institution type digit (character 7) must be 0 to 4 (got 5)');
test(invalid, '1610012003700123', 'level digit (character 11) must be 1 to 5 (got 7)');
test(invalid, '1610012003400000', 'serial must not be 00000');
test(
  invalid,
  '16-10-01-2003400123',
  'must be a skill-level certificate number (Y or S and 21 digits) or a legacy one (16 digits)',
);
test(invalid, '', 'is required');

test('the patterns accept exactly the documented shapes', (t) => {
  t.true(SKILL_LEVEL_PATTERN.test('S000023004567262999999'));
  t.false(SKILL_LEVEL_PATTERN.test('S000023004567267999999'));
  t.true(LEGACY_PATTERN.test('1610012003400123'));
  t.false(LEGACY_PATTERN.test('1610015003400123'));
  t.false(LEGACY_PATTERN.test('1610012003600123'));
});
