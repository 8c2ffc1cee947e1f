import test from 'ava';
import {
  addWorkingDays,
  checkCalendar,
  EMPTY_CALENDAR,
  isWorkingDay,
  localDate,
  subtractWorkingDays,
  type HolidayCalendar,
} from '../../domain/workingDays';

/** China time: an instant written as a local wall-clock time. */
const cst = (wallClock: string) => new Date(`${wallClock}+08:00`);
const endOf = (date: string) => cst(`${date}T23:59:59.999`);

/**
 * A calendar in the shape the authorities announce: Labour Day off from Friday 1 May to Tuesday 5 May 2026, made up
 * on Saturday 9 May; New Year off on 1 and 2 January 2026, made up on Sunday 4 January.
 */
const CAL: HolidayCalendar = {
  holidays: ['2026-01-01', '2026-01-02', '2026-05-01', '2026-05-04', '2026-05-05'],
  workingWeekends: ['2026-01-04', '2026-05-09'],
};

test('weekdays work and weekends rest on an empty calendar', (t) => {
  t.true(isWorkingDay('2026-03-13', EMPTY_CALENDAR), 'Friday');
  t.false(isWorkingDay('2026-03-14', EMPTY_CALENDAR), 'Saturday');
  t.false(isWorkingDay('2026-03-15', EMPTY_CALENDAR), 'Sunday');
  t.true(isWorkingDay('2026-03-16', EMPTY_CALENDAR), 'Monday');
});

test('a holiday rests and a make-up Saturday works', (t) => {
  t.false(isWorkingDay('2026-05-01', CAL));
  t.false(isWorkingDay('2026-05-05', CAL));
  t.true(isWorkingDay('2026-05-09', CAL));
  t.true(isWorkingDay('2026-01-04', CAL));
});

test('the local date is the date in China, 8 hours ahead of UTC', (t) => {
  t.is(localDate(new Date('2026-03-15T15:59:59.999Z')), '2026-03-15');
  t.is(localDate(new Date('2026-03-15T16:00:00.000Z')), '2026-03-16');
  t.is(localDate(new Date('2025-12-31T16:00:00.000Z')), '2026-01-01');
});

const deadline = test.macro({
  exec(t, from: Date, days: number, cal: HolidayCalendar, expected: string) {
    t.is(addWorkingDays(from, days, cal).toISOString(), endOf(expected).toISOString());
  },
  title: (provided, from: Date, days: number, _cal: HolidayCalendar, expected: string) =>
    provided ?? `${days} working days after ${from.toISOString()} end on ${expected}`,
});

test(
  'one working day after a Friday ends on Monday',
  deadline,
  cst('2026-03-13T10:00'),
  1,
  EMPTY_CALENDAR,
  '2026-03-16',
);
test(
  'one working day after a Saturday ends on Monday',
  deadline,
  cst('2026-03-14T10:00'),
  1,
  EMPTY_CALENDAR,
  '2026-03-16',
);
test(
  'zero working days end at the end of the same day',
  deadline,
  cst('2026-03-14T10:00'),
  0,
  EMPTY_CALENDAR,
  '2026-03-14',
);
test('five working days span a weekend', deadline, cst('2026-03-11T09:00'), 5, EMPTY_CALENDAR, '2026-03-18');
test(
  'fifteen working days are three calendar weeks',
  deadline,
  cst('2026-03-16T09:00'),
  15,
  EMPTY_CALENDAR,
  '2026-04-06',
);
test(
  'the day counts by China time, not UTC',
  deadline,
  new Date('2026-03-13T17:00:00Z'),
  1,
  EMPTY_CALENDAR,
  '2026-03-16',
);
test('a holiday is skipped', deadline, cst('2026-04-30T09:00'), 1, CAL, '2026-05-06');
test('a make-up Saturday counts as a working day', deadline, cst('2026-05-08T09:00'), 1, CAL, '2026-05-09');
test('a deadline crosses the year end and its holidays', deadline, cst('2025-12-31T09:00'), 1, CAL, '2026-01-04');
test(
  'a deadline two days after New Year’s Eve skips the holidays',
  deadline,
  cst('2025-12-31T09:00'),
  2,
  CAL,
  '2026-01-05',
);
test(
  'a deadline on an empty calendar crosses the year end',
  deadline,
  cst('2025-12-30T09:00'),
  3,
  EMPTY_CALENDAR,
  '2026-01-02',
);

test('a deadline is the last millisecond of its day in China', (t) => {
  t.is(addWorkingDays(cst('2026-03-13T10:00'), 1, EMPTY_CALENDAR).toISOString(), '2026-03-16T15:59:59.999Z');
});

test('a reminder two working days before a deadline keeps its time of day and skips the weekend', (t) => {
  t.is(subtractWorkingDays(endOf('2026-03-17'), 2, EMPTY_CALENDAR).toISOString(), endOf('2026-03-13').toISOString());
  t.is(
    subtractWorkingDays(cst('2026-03-16T08:30'), 1, EMPTY_CALENDAR).toISOString(),
    cst('2026-03-13T08:30').toISOString(),
  );
});

test('a reminder before a deadline skips holidays and counts a make-up Saturday, across the year end', (t) => {
  t.is(subtractWorkingDays(endOf('2026-05-11'), 2, CAL).toISOString(), endOf('2026-05-08').toISOString());
  t.is(subtractWorkingDays(endOf('2026-01-05'), 2, CAL).toISOString(), endOf('2025-12-31').toISOString());
  t.is(subtractWorkingDays(endOf('2026-01-05'), 0, CAL).toISOString(), endOf('2026-01-05').toISOString());
});

test('a reminder n working days before an n-working-day deadline falls on the starting day', (t) => {
  const from = cst('2026-04-29T23:59:59.999');
  for (const days of [1, 3, 5, 10, 15]) {
    const due = addWorkingDays(from, days, CAL);
    t.is(subtractWorkingDays(due, days, CAL).toISOString(), from.toISOString(), `${days} days`);
  }
});

test('a negative or fractional number of days is refused', (t) => {
  t.throws(() => addWorkingDays(cst('2026-03-13T10:00'), -1, EMPTY_CALENDAR), {
    instanceOf: RangeError,
    message: /got -1/,
  });
  t.throws(() => subtractWorkingDays(cst('2026-03-13T10:00'), 1.5, EMPTY_CALENDAR), {
    instanceOf: RangeError,
    message: /got 1.5/,
  });
});

test('a calendar without working days is reported instead of looping forever', (t) => {
  const everyDay = { holidays: [] as string[], workingWeekends: [] as string[] };
  for (let n = 0; n < 400; n++) {
    everyDay.holidays.push(new Date(Date.UTC(2026, 0, 1 + n)).toISOString().slice(0, 10));
  }
  t.throws(() => addWorkingDays(cst('2025-12-31T10:00'), 1, everyDay), {
    instanceOf: RangeError,
    message: /no working day/,
  });
});

test('a checked calendar is sorted and free of duplicates', (t) => {
  t.deepEqual(
    checkCalendar({ holidays: ['2026-05-05', '2026-05-01', '2026-05-01'], workingWeekends: ['2026-05-09'] }),
    {
      holidays: ['2026-05-01', '2026-05-05'],
      workingWeekends: ['2026-05-09'],
    },
  );
});

const badCalendar = test.macro({
  exec(t, data: unknown, message: string) {
    t.throws(() => checkCalendar(data), { message });
  },
  title: (provided, _data: unknown, message: string) => provided ?? `a calendar file is refused: ${message}`,
});

test(badCalendar, [], 'holiday calendar must be an object with "holidays" and "workingWeekends" arrays');
test(badCalendar, { holidays: [] }, 'holiday calendar: workingWeekends must be an array of dates (YYYY-MM-DD)');
test(
  badCalendar,
  { holidays: ['2026-05-01', '2026-02-30'], workingWeekends: [] },
  'holiday calendar: holidays[1] "2026-02-30" is not a real date (YYYY-MM-DD)',
);
test(
  badCalendar,
  { holidays: [], workingWeekends: ['9 May 2026'] },
  'holiday calendar: workingWeekends[0] "9 May 2026" is not a real date (YYYY-MM-DD)',
);
test(
  badCalendar,
  { holidays: [], workingWeekends: ['2026-05-08'] },
  'holiday calendar: workingWeekends lists 2026-05-08, which is not a Saturday or Sunday',
);
test(
  badCalendar,
  { holidays: ['2026-05-09'], workingWeekends: ['2026-05-09'] },
  'holiday calendar: 2026-05-09 is both a holiday and a working weekend day',
);
