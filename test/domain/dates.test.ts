import test from 'ava';
import { addYears, isIsoDate, moreThanYearsBetween, weekday, yearsBetween } from '../../domain/dates';

test('only real dates in the form YYYY-MM-DD are ISO dates', (t) => {
  for (const good of ['2026-03-15', '2024-02-29', '1880-01-01']) t.true(isIsoDate(good), good);
  for (const bad of ['2026-02-29', '2026-13-01', '2026-04-31', '2026-3-15', '15.03.2026', '', 20260315, undefined]) {
    t.false(isIsoDate(bad), String(bad));
  }
});

test('a year after 29 February is 28 February in a common year', (t) => {
  t.is(addYears('2024-02-29', 1), '2025-02-28');
  t.is(addYears('2024-02-29', 4), '2028-02-29');
});

test('more than N years have passed only after the anniversary', (t) => {
  t.false(moreThanYearsBetween('2021-03-15', '2026-03-14', 5));
  t.false(moreThanYearsBetween('2021-03-15', '2026-03-15', 5), 'exactly five years is not more than five');
  t.true(moreThanYearsBetween('2021-03-15', '2026-03-16', 5));
});

test('elapsed years are shown with one decimal, rounded down', (t) => {
  t.is(yearsBetween('2019-06-01', '2026-10-20'), 7.3);
  t.is(yearsBetween('2021-03-15', '2026-03-15'), 5);
  t.is(yearsBetween('2021-03-15', '2026-03-14'), 4.9);
  t.is(yearsBetween('2026-03-15', '2021-03-15'), -5);
});

test('weekdays run from Sunday 0 to Saturday 6', (t) => {
  t.is(weekday('2026-03-15'), 0);
  t.is(weekday('2026-03-14'), 6);
  t.is(weekday('1970-01-01'), 4);
  t.is(weekday('1969-12-31'), 3);
});
