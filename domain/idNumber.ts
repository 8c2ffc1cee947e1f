/**
 * Identity numbers on applications and certificates. The 18-character numbers follow GB 11643-1999: 6-digit region
 * code, 8-digit birth date, 3-digit sequence, 1 check character.
 */
import { compactToIsoDate, compareDates } from './dates';
import { type Message, message } from './messages';

export type IdType = 'resident-id' | 'passport' | 'residence-permit';

export const ID_TYPES: readonly IdType[] = Object.freeze(['resident-id', 'passport', 'residence-permit'] as const);

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';

/**
 * Prefixes of the 18-character residence permits: Hong Kong, Macao and Taiwan residents' permits, and the foreigners'
 * permanent residence ID card (2023 format), which starts with 9.
 */
const RESIDENCE_PERMIT_PREFIXES = ['810000', '820000', '830000', '9'];

/** The check character GB 11643-1999 assigns to the first 17 digits. */
export function idCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARACTERS[sum % 11];
}

/**
 * Trimmed and upper-cased, so a lower-case check character x is stored as X. Spaces inside an 18-character number
 * are dropped too: people copy it in groups ('110105 19491231 002X').
 */
export function normaliseIdNumber(idType: IdType, raw: string): string {
  const upper = raw.trim().toUpperCase();
  return idType === 'passport' ? upper : upper.replace(/\s+/g, '');
}

const mistake = (key: string, values?: Record<string, string | number>): Message =>
  message(`intake:check.${key}`, values);

function check18(idNumber: string, today: string): Message | undefined {
  if (idNumber.length !== 18) return mistake('idLength', { got: idNumber.length });
  if (!/^\d{17}$/.test(idNumber.slice(0, 17))) return mistake('idDigits');
  if (!/^[\dX]$/.test(idNumber[17])) return mistake('idLast');
  const compact = idNumber.slice(6, 14);
  const birthDate = compactToIsoDate(compact);
  if (birthDate === undefined) return mistake('idBirthDate', { date: compact });
  if (compareDates(birthDate, today) > 0) return mistake('idBirthFuture');
  const expected = idCheckCharacter(idNumber);
  if (idNumber[17] !== expected) return mistake('idCheck', { expected });
  return undefined;
}

/**
 * Why the number is not a valid number of its type, as a Message (`intake:check.*`), or undefined when it is valid.
 * `today` is 'YYYY-MM-DD': a birth date after it is rejected.
 */
export function idNumberMistake(idType: IdType, idNumber: string, today: string): Message | undefined {
  const n = normaliseIdNumber(idType, idNumber);
  if (n === '') return mistake('required');
  switch (idType) {
    case 'resident-id':
      return check18(n, today);
    case 'residence-permit': {
      const error = check18(n, today);
      if (error !== undefined) return error;
      return RESIDENCE_PERMIT_PREFIXES.some((p) => n.startsWith(p)) ? undefined : mistake('idPermitPrefix');
    }
    case 'passport':
      return /^[A-Z0-9]{5,17}$/.test(n) ? undefined : mistake('passport');
    default:
      return mistake('idType', { type: JSON.stringify(idType) });
  }
}

/**
 * The number as registries in China show it: an 18-character number (resident ID, residence permit) keeps its first
 * 6 and its last 4 characters, '110105********002X': the birth date is what it hides. The stars are as many as the
 * hidden characters: every such number has 18, so their count tells nothing, and the number keeps the shape people
 * recognise. Other numbers (passports) keep the first 3 and the last 2; one shorter than 8 characters
 * is hidden whole, because showing 5 of its characters would give it away. For search attributes, logs and lists,
 * which are not encrypted.
 */
export function maskIdNumber(idNumber: string): string {
  const n = idNumber.trim();
  if (n.length === 18) return n.slice(0, 6) + '*'.repeat(8) + n.slice(-4);
  if (n.length < 8) return '*'.repeat(n.length);
  return n.slice(0, 3) + '*'.repeat(n.length - 5) + n.slice(-2);
}
