/**
 * Deadlines in working days, on China time (UTC+8 all year: no daylight saving). Public holidays and the make-up
 * working weekends that go with them come from a configurable calendar, because they are announced year by year.
 */
import { addDays, dayNumber, fromDayNumber, isIsoDate, weekday } from './dates';

export interface HolidayCalendar {
  /** 'YYYY-MM-DD' days off, weekdays or not. */
  holidays: string[];
  /** 'YYYY-MM-DD' Saturdays and Sundays that are working days, to make up for a holiday. */
  workingWeekends: string[];
}

export const EMPTY_CALENDAR: HolidayCalendar = Object.freeze({
  holidays: Object.freeze([]) as unknown as string[],
  workingWeekends: Object.freeze([]) as unknown as string[],
});

const UTC_OFFSET_MS = 8 * 3_600_000;
const MS_PER_DAY = 86_400_000;
/** More non-working days in a row than this means the calendar is wrong, not that the deadline is far away. */
const MAX_NON_WORKING_RUN = 366;

export function isWorkingDay(date: string, cal: HolidayCalendar): boolean {
  if (cal.holidays.includes(date)) return false;
  if (cal.workingWeekends.includes(date)) return true;
  const day = weekday(date);
  return day !== 0 && day !== 6;
}

/** The calendar date ('YYYY-MM-DD') in China at this instant. */
export function localDate(instant: Date): string {
  return fromDayNumber(Math.floor((instant.getTime() + UTC_OFFSET_MS) / MS_PER_DAY));
}

/** The last millisecond of a calendar date in China: deadlines counted from a date start there. */
export function endOfLocalDay(date: string): Date {
  return new Date((dayNumber(date) + 1) * MS_PER_DAY - UTC_OFFSET_MS - 1);
}

function checkDays(days: number): void {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`days must be a whole number, 0 or more (got ${days})`);
}

/** Steps `days` working days from `date` (forwards for step 1, backwards for -1); `date` itself does not count. */
function stepWorkingDays(date: string, days: number, step: 1 | -1, cal: HolidayCalendar): string {
  let current = date;
  let run = 0;
  for (let counted = 0; counted < days;) {
    current = addDays(current, step);
    if (isWorkingDay(current, cal)) {
      counted++;
      run = 0;
    } else if (++run > MAX_NON_WORKING_RUN) {
      throw new RangeError(`the holiday calendar has no working day in the year after ${current}`);
    }
  }
  return current;
}

/**
 * The deadline `days` working days after `from`: the end (23:59:59.999 China time) of the `days`-th working day after
 * the day of `from`, which itself does not count. 0 days means the end of the day of `from`.
 */
export function addWorkingDays(from: Date, days: number, cal: HolidayCalendar): Date {
  checkDays(days);
  return endOfLocalDay(stepWorkingDays(localDate(from), days, 1, cal));
}

/** The same time of day `days` working days before `deadline`: when to send a reminder. */
export function subtractWorkingDays(deadline: Date, days: number, cal: HolidayCalendar): Date {
  checkDays(days);
  const from = localDate(deadline);
  const to = stepWorkingDays(from, days, -1, cal);
  return new Date(deadline.getTime() - (dayNumber(from) - dayNumber(to)) * MS_PER_DAY);
}

function checkDates(data: Record<string, unknown>, key: keyof HolidayCalendar): string[] {
  const list = data[key];
  if (!Array.isArray(list)) throw new Error(`holiday calendar: ${key} must be an array of dates (YYYY-MM-DD)`);
  return list.map((date: unknown, i) => {
    if (!isIsoDate(date)) {
      throw new Error(`holiday calendar: ${key}[${i}] ${JSON.stringify(date)} is not a real date (YYYY-MM-DD)`);
    }
    return date;
  });
}

/**
 * The calendar as read from a configuration file, checked: both lists hold real dates, every make-up working day is
 * a Saturday or Sunday, and no day is both. Throws an Error naming the bad date. Returns a sorted, de-duplicated copy.
 */
export function checkCalendar(data: unknown): HolidayCalendar {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new Error('holiday calendar must be an object with "holidays" and "workingWeekends" arrays');
  }
  const record = data as Record<string, unknown>;
  const holidays = [...new Set(checkDates(record, 'holidays'))].sort();
  const workingWeekends = [...new Set(checkDates(record, 'workingWeekends'))].sort();
  for (const date of workingWeekends) {
    const day = weekday(date);
    if (day !== 0 && day !== 6) {
      throw new Error(`holiday calendar: workingWeekends lists ${date}, which is not a Saturday or Sunday`);
    }
    if (holidays.includes(date))
      throw new Error(`holiday calendar: ${date} is both a holiday and a working weekend day`);
  }
  return { holidays, workingWeekends };
}
