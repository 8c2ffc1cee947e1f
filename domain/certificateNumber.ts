/**
 * Certificate numbers by the national coding schemes. Neither scheme has a check digit, so a number is checked by its
 * shape and the ranges of its parts. Serials are per institution, level and year; allocating them is the caller's job.
 */
import { isLevel, Level } from './levels';
import { isMessage, type Message, message } from './messages';

export type CertificateNumberFormat = 'skill-level' | 'legacy';

/** Skill-level certificate (current, default): 1 letter + 21 digits, e.g. the shape 'Y000123XXXXXX195000001'. */
export interface SkillLevelNumberParts {
  /** Y: employer-based evaluation organisation; S: social evaluation organisation. */
  category: 'Y' | 'S';
  /** 4 digits; '0000' when the organisation is filed with a province. */
  institutionCode: string;
  /** 2 digits. */
  provinceCode: string;
  /** 6 digits: the institution's or site's serial. */
  siteSerial: string;
  /** The full issue year, 2000 to 2099; the number holds its last two digits. */
  year: number;
  level: Level;
  /** 1 to 999999. */
  serial: number;
}

/** Legacy vocational qualification certificate: 16 digits, e.g. '1610012003400123'. */
export interface LegacyNumberParts {
  /** The full issue year, 2000 to 2099; the number holds its last two digits. */
  year: number;
  /** 2 digits: province or industry. */
  provinceCode: string;
  /** 2 digits. */
  cityCode: string;
  /** 0 guidance center, 1 national institute, 2 local station, 3 industry station, 4 enterprise. */
  institutionType: 0 | 1 | 2 | 3 | 4;
  /** 3 digits. */
  institutionSerial: string;
  level: Level;
  /** 1 to 99999, per institution, level and year. */
  serial: number;
}

export const SKILL_LEVEL_PATTERN = /^[YS]\d{4}\d{2}\d{6}\d{2}[1-5]\d{6}$/;
/** year · province · city · institution type (0-4) · institution serial · level (1-5) · serial. */
export const LEGACY_PATTERN = /^\d{2}\d{2}\d{2}[0-4]\d{3}[1-5]\d{5}$/;

export type ParsedCertificateNumber =
  { format: 'skill-level'; parts: SkillLevelNumberParts } | { format: 'legacy'; parts: LegacyNumberParts };

function digits(name: string, value: string, count: number): string {
  if (typeof value !== 'string' || !new RegExp(`^\\d{${count}}$`).test(value)) {
    throw new RangeError(`${name} must be exactly ${count} digits (got ${JSON.stringify(value)})`);
  }
  return value;
}

function yearDigits(year: number): string {
  if (!Number.isInteger(year) || year < 2000 || year > 2099) {
    throw new RangeError(`year must be a whole year from 2000 to 2099 (got ${year})`);
  }
  return String(year % 100).padStart(2, '0');
}

function levelDigit(level: Level): string {
  if (!isLevel(level)) throw new RangeError(`level must be 1 to 5 (got ${String(level)})`);
  return String(level);
}

function serialDigits(serial: number, width: number): string {
  const max = 10 ** width - 1;
  if (!Number.isInteger(serial) || serial < 1 || serial > max) {
    throw new RangeError(`serial must be a whole number from 1 to ${max} (got ${serial})`);
  }
  return String(serial).padStart(width, '0');
}

/** The 22-character skill-level certificate number. Throws RangeError naming the part that is out of range. */
export function formatSkillLevelNumber(p: SkillLevelNumberParts): string {
  if (p.category !== 'Y' && p.category !== 'S') {
    throw new RangeError(`category must be Y or S (got ${JSON.stringify(p.category)})`);
  }
  return (
    p.category +
    digits('institution code', p.institutionCode, 4) +
    digits('province code', p.provinceCode, 2) +
    digits('site serial', p.siteSerial, 6) +
    yearDigits(p.year) +
    levelDigit(p.level) +
    serialDigits(p.serial, 6)
  );
}

/** The 16-digit legacy certificate number. Throws RangeError naming the part that is out of range. */
export function formatLegacyNumber(p: LegacyNumberParts): string {
  if (!Number.isInteger(p.institutionType) || p.institutionType < 0 || p.institutionType > 4) {
    throw new RangeError(`institution type must be 0 to 4 (got ${p.institutionType})`);
  }
  return (
    yearDigits(p.year) +
    digits('province code', p.provinceCode, 2) +
    digits('city code', p.cityCode, 2) +
    String(p.institutionType) +
    digits('institution serial', p.institutionSerial, 3) +
    levelDigit(p.level) +
    serialDigits(p.serial, 5)
  );
}

function decode(raw: string): ParsedCertificateNumber | Message {
  const s = raw.trim().toUpperCase();
  if (s === '') return message('intake:check.required');
  if (/^[A-Z]/.test(s)) {
    if (s.length !== 22) return mistake('skillLength', { got: s.length });
    if (s[0] !== 'Y' && s[0] !== 'S') return mistake('category', { got: s[0] });
    if (!/^\d{21}$/.test(s.slice(1))) return mistake('skillDigits');
    if (!/[1-5]/.test(s[15])) return mistake('skillLevel', { got: s[15] });
    if (s.slice(16) === '000000') return mistake('skillSerial');
    return {
      format: 'skill-level',
      parts: {
        category: s[0] as 'Y' | 'S',
        institutionCode: s.slice(1, 5),
        provinceCode: s.slice(5, 7),
        siteSerial: s.slice(7, 13),
        year: 2000 + Number(s.slice(13, 15)),
        level: Number(s[15]) as Level,
        serial: Number(s.slice(16)),
      },
    };
  }
  if (!/^\d+$/.test(s)) return mistake('format');
  if (s.length !== 16) return mistake('legacyLength', { got: s.length });
  if (!/[0-4]/.test(s[6])) return mistake('legacyType', { got: s[6] });
  if (!/[1-5]/.test(s[10])) return mistake('legacyLevel', { got: s[10] });
  if (s.slice(11) === '00000') return mistake('legacySerial');
  return {
    format: 'legacy',
    parts: {
      year: 2000 + Number(s.slice(0, 2)),
      provinceCode: s.slice(2, 4),
      cityCode: s.slice(4, 6),
      institutionType: Number(s[6]) as LegacyNumberParts['institutionType'],
      institutionSerial: s.slice(7, 10),
      level: Number(s[10]) as Level,
      serial: Number(s.slice(11)),
    },
  };
}

/**
 * The parts of a certificate number of either format, or undefined when it is neither. Surrounding spaces and a
 * lower-case category letter are accepted. Two-digit years are read as 2000 + yy.
 */
export function parseCertificateNumber(s: string): ParsedCertificateNumber | undefined {
  const result = decode(s);
  return isMessage(result) ? undefined : result;
}

/** Why the string is not a certificate number of either format (`verify:check.*`), or undefined when it is one. */
export function certificateNumberMistake(s: string): Message | undefined {
  const result = decode(s);
  return isMessage(result) ? result : undefined;
}

const mistake = (key: string, values?: Record<string, string | number>): Message =>
  message(`verify:check.${key}`, values);
