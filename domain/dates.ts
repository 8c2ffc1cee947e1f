/**
 * Calendar arithmetic on plain 'YYYY-MM-DD' strings. Dates here are civil dates with no time zone: the callers
 * decide which day "today" is and pass it in, so nothing in this module reads a clock.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

/** True when year, month and day name a day that exists on the Gregorian calendar (years 1000 to 9999). */
export function isRealDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    year >= 1000 &&
    year <= 9999 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

/** True for a string 'YYYY-MM-DD' that names a day that exists ('2026-02-30' does not). */
export function isIsoDate(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = ISO_DATE.exec(s);
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

function parts(date: string): [number, number, number] {
  const m = ISO_DATE.exec(date);
  if (m === null || !isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    throw new RangeError(`"${date}" is not a real date in the form YYYY-MM-DD`);
  }
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** Days since 1970-01-01; lets dates be compared and subtracted as numbers. */
export function dayNumber(date: string): number {
  const [y, m, d] = parts(date);
  return Date.UTC(y, m - 1, d) / MS_PER_DAY;
}

export function fromDayNumber(n: number): string {
  return new Date(n * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return fromDayNumber(dayNumber(date) + days);
}

/** The same month and day `years` later; 29 February becomes 28 February in a common year. */
export function addYears(date: string, years: number): string {
  const [y, m, d] = parts(date);
  const year = y + years;
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, daysInMonth(year, m))).padStart(2, '0')}`;
}

/** Negative, zero or positive as a is before, on or after b. */
export function compareDates(a: string, b: string): number {
  return dayNumber(a) - dayNumber(b);
}

/** The weekday, 0 Sunday to 6 Saturday. */
export function weekday(date: string): number {
  // 1970-01-01 was a Thursday.
  return (((dayNumber(date) + 4) % 7) + 7) % 7;
}

/**
 * True when more than `years` whole calendar years lie between `from` and `to`: the anniversary has passed, not just
 * been reached ("holds the certificate for more than 5 years").
 */
export function moreThanYearsBetween(from: string, to: string, years: number): boolean {
  return compareDates(to, addYears(from, years)) > 0;
}

/**
 * Elapsed calendar years with one decimal, rounded down, for explanations ('7.4 years'): whole years to the last
 * anniversary, plus the part of the year after it. Exactly 5 years on is 5, never 4.9. Negative when `to` is earlier.
 */
export function yearsBetween(from: string, to: string): number {
  if (compareDates(to, from) < 0) return -yearsBetween(to, from);
  const [fromYear] = parts(from);
  const [toYear] = parts(to);
  let whole = toYear - fromYear;
  if (compareDates(addYears(from, whole), to) > 0) whole--;
  const anniversary = dayNumber(addYears(from, whole));
  const next = dayNumber(addYears(from, whole + 1));
  return whole + Math.floor(((dayNumber(to) - anniversary) / (next - anniversary)) * 10) / 10;
}

/** 'YYYYMMDD' (as in an ID number) to 'YYYY-MM-DD', or undefined when no such day exists. */
export function compactToIsoDate(compact: string): string | undefined {
  if (!/^\d{8}$/.test(compact)) return undefined;
  const iso = `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6, 8)}`;
  return isIsoDate(iso) ? iso : undefined;
}
