/**
 * The province's figures for appraisal: applications, exam results and grade bands, certificates issued, how long
 * each kind of task took, and overdue tasks by organisation. Counts only, never a person. Every figure is aggregated
 * by the database (over the indexes of migration 0019), so a province's hundred thousand cases are never read into
 * the app; only stage durations come back as counts per (kind, created day, closed day), because working days need
 * the holiday calendar, and those groups are bounded by the days in the range, not by the number of tasks.
 *
 * Dates are China's: a range's days, a month or a year begin at midnight China time, whichever zone the database
 * server keeps.
 */
import { type RawBuilder, sql } from 'kysely';
import { dayNumber, fromDayNumber } from '../domain/dates';
import { Grade } from '../domain/scores';
import { endOfLocalDay, type HolidayCalendar, isWorkingDay } from '../domain/workingDays';
import type { Db } from './database';
import { dialectOf } from './dialect';

export const PERIODS = ['month', 'year'] as const;
export type Period = (typeof PERIODS)[number];

/** What the rows are broken down by, beside the period. */
export const DIMENSIONS = ['occupation', 'level', 'station'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface StatisticsQuery {
  /** First and last day ('YYYY-MM-DD', China), both counted. */
  from: string;
  to: string;
  period: Period;
  by: Dimension;
  stationId?: string;
  occupation?: string;
  level?: number;
}

export interface Figures {
  /** Cases submitted in the range. */
  applications: number;
  /** Of those, the ones whose exam has a result. */
  examined: number;
  passed: number;
  /** passed / examined, from 0 to 1; null when none was examined. */
  passRate: number | null;
  /** The grade bands of the passed cases. */
  excellent: number;
  good: number;
  pass: number;
  /** Certificates issued in the range (by their issue date), voided numbers left out. */
  certificates: number;
}

export interface FigureRow extends Figures {
  /** 'YYYY-MM' or 'YYYY'. */
  period: string;
  /** The occupation code, the level (as text) or the station id. */
  key: string;
}

/** One kind of task, over the tasks created in the range and done: working days from opening to decision. */
export interface StageDuration {
  kind: string;
  tasks: number;
  median: number;
  p90: number;
}

export interface OverdueCount {
  /** The organisation of the task's candidate group (`station-a` of `station-a:reviewers`), or the group itself. */
  organisationId: string;
  overdue: number;
}

export interface Statistics {
  rows: FigureRow[];
  totals: Figures;
  durations: StageDuration[];
  overdue: OverdueCount[];
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const CHINA_OFFSET_MS = 8 * HOUR_MS;

/** Midnight China time at the start of the day, as the ISO instants the tables keep. */
const startOfChinaDay = (date: string): string => new Date(dayNumber(date) * DAY_MS - CHINA_OFFSET_MS).toISOString();

/** Its last millisecond (not the next day's start, which for 9999-12-31 has no four-digit year to compare by). */
const endOfChinaDay = (date: string): string => endOfLocalDay(date).toISOString();

const count = (value: unknown): number => Number(value ?? 0);

/**
 * `stations` narrows every figure to those stations' cases (a guidance center's or a department's view); without it,
 * every case counts (an administrator's view of the province).
 */
export async function statistics(
  db: Db,
  query: StatisticsQuery,
  { now, calendar, stations }: { now: Date; calendar: HolidayCalendar; stations?: readonly string[] },
): Promise<Statistics> {
  // `in ()` is no SQL PostgreSQL reads; no station is no figure.
  if (stations?.length === 0) return { rows: [], totals: totalsOf([]), durations: [], overdue: [] };
  const scope = { ...query, stations };
  const [cases, certificates, durations, overdue] = await Promise.all([
    caseFigures(db, scope),
    certificateFigures(db, scope),
    stageDurations(db, scope, calendar),
    overdueByOrganisation(db, scope, now),
  ]);
  const rows = new Map<string, FigureRow>();
  const rowOf = (period: string, key: string): FigureRow => {
    const id = `${period}\u0000${key}`;
    let row = rows.get(id);
    if (!row) {
      row = { period, key, ...emptyFigures() };
      rows.set(id, row);
    }
    return row;
  };
  for (const found of cases) Object.assign(rowOf(found.period, found.key), found.figures);
  for (const found of certificates) rowOf(found.period, found.key).certificates = found.certificates;
  const sorted = [...rows.values()]
    .map(withPassRate)
    .sort((a, b) => a.period.localeCompare(b.period) || a.key.localeCompare(b.key, 'en', { numeric: true }));
  return { rows: sorted, totals: totalsOf(sorted), durations, overdue };
}

function emptyFigures(): Figures {
  return { applications: 0, examined: 0, passed: 0, passRate: null, excellent: 0, good: 0, pass: 0, certificates: 0 };
}

function withPassRate<T extends Figures>(figures: T): T {
  return { ...figures, passRate: figures.examined === 0 ? null : figures.passed / figures.examined };
}

function totalsOf(rows: FigureRow[]): Figures {
  const sum = emptyFigures();
  for (const row of rows) {
    for (const name of ['applications', 'examined', 'passed', 'excellent', 'good', 'pass', 'certificates'] as const) {
      sum[name] += row[name];
    }
  }
  return withPassRate(sum);
}

/**
 * An instant column's China month or year as text. Formats are literals, not parameters: PostgreSQL matches a
 * grouped expression to the selected one by its text, and two parameters never read the same.
 */
function chinaTime(db: Db, column: string, unit: Period): RawBuilder<string> {
  if (dialectOf(db) === 'postgres') {
    const format = { month: 'YYYY-MM', year: 'YYYY' }[unit];
    return sql<string>`to_char(${sql.ref(column)}::timestamptz at time zone 'Asia/Shanghai', ${sql.lit(format)})`;
  }
  const format = { month: '%Y-%m', year: '%Y' }[unit];
  return sql<string>`strftime(${sql.lit(format)}, ${sql.ref(column)}, '+8 hours')`;
}

/**
 * An instant column's China day, written exactly as migration 0019 indexes it (its tasks_done_for_statistics), so that
 * grouping by it reads the index in order: the date on SQLite; on PostgreSQL, which indexes only immutable
 * expressions, the day number (days since 1970-01-01) read from the digits of the ISO instant, which is always in UTC.
 */
function chinaDay(db: Db, column: 'created_at' | 'closed_at'): RawBuilder<string | number> {
  const ref = sql.ref(column);
  return dialectOf(db) === 'postgres'
    ? sql<number>`(case when ${ref} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}' then (make_date(substr(${ref}, 1, 4)::int, substr(${ref}, 6, 2)::int, substr(${ref}, 9, 2)::int) - date '1970-01-01') + (substr(${ref}, 12, 2) >= '16')::int end)`
    : sql<string>`strftime('%Y-%m-%d', ${ref}, '+8 hours')`;
}

const dayNumberOf = (day: string | number): number => (typeof day === 'number' ? day : dayNumber(day));

/** A 'YYYY-MM-DD' column's month or year. */
const periodOfDate = (column: string, period: Period): RawBuilder<string> =>
  sql<string>`substr(${sql.ref(column)}, 1, ${sql.lit(period === 'month' ? 7 : 4)})`;

/** The query and the stations it is narrowed to, if any. */
type ScopedQuery = StatisticsQuery & { stations?: readonly string[] };

const DIMENSION_COLUMN: Record<Dimension, 'occupation' | 'level' | 'station_id'> = {
  occupation: 'occupation',
  level: 'level',
  station: 'station_id',
};

async function caseFigures(
  db: Db,
  query: ScopedQuery,
): Promise<{ period: string; key: string; figures: Omit<Figures, 'certificates' | 'passRate'> }[]> {
  const passedWith = (grade: Grade) =>
    sql<number>`sum(case when exam_passed = 1 and grade = ${sql.lit(grade)} then 1 else 0 end)`;
  let select = db
    .selectFrom('cases')
    .select([
      chinaTime(db, 'submitted_at', query.period).as('period'),
      sql.ref<string | number>(DIMENSION_COLUMN[query.by]).as('key'),
      sql<number>`count(*)`.as('applications'),
      sql<number>`sum(case when exam_passed is not null then 1 else 0 end)`.as('examined'),
      sql<number>`sum(case when exam_passed = 1 then 1 else 0 end)`.as('passed'),
      passedWith(Grade.Excellent).as('excellent'),
      passedWith(Grade.Good).as('good'),
      passedWith(Grade.Pass).as('pass'),
    ])
    .where('submitted_at', '>=', startOfChinaDay(query.from))
    .where('submitted_at', '<=', endOfChinaDay(query.to));
  if (query.stationId !== undefined) select = select.where('station_id', '=', query.stationId);
  if (query.stations) select = select.where('station_id', 'in', query.stations);
  if (query.occupation !== undefined) select = select.where('occupation', '=', query.occupation);
  if (query.level !== undefined) select = select.where('level', '=', query.level);
  const rows = await select.groupBy(sql`1, 2`).execute();
  return rows.map((row) => ({
    period: row.period,
    key: String(row.key),
    figures: {
      applications: count(row.applications),
      examined: count(row.examined),
      passed: count(row.passed),
      excellent: count(row.excellent),
      good: count(row.good),
      pass: count(row.pass),
    },
  }));
}

/** A certificate's occupation is its case's: the registry does not keep it. */
async function certificateFigures(
  db: Db,
  query: ScopedQuery,
): Promise<{ period: string; key: string; certificates: number }[]> {
  const keyColumn = query.by === 'occupation' ? 'cases.occupation' : `certificates.${DIMENSION_COLUMN[query.by]}`;
  let select = db
    .selectFrom('certificates')
    .leftJoin('cases', 'cases.application_number', 'certificates.application_number')
    .select([
      periodOfDate('certificates.issued_on', query.period).as('period'),
      sql.ref<string | number | null>(keyColumn).as('key'),
      sql<number>`count(*)`.as('certificates'),
    ])
    .where('certificates.issued_on', '>=', query.from)
    .where('certificates.issued_on', '<=', query.to)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('certificate_status_changes')
            .select(sql.lit(1).as('one'))
            .whereRef('certificate_status_changes.certificate_number', '=', 'certificates.number')
            .where('certificate_status_changes.category', '=', 'voided'),
        ),
      ),
    );
  if (query.stationId !== undefined) select = select.where('certificates.station_id', '=', query.stationId);
  if (query.stations) select = select.where('certificates.station_id', 'in', query.stations);
  if (query.occupation !== undefined) select = select.where('cases.occupation', '=', query.occupation);
  if (query.level !== undefined) select = select.where('certificates.level', '=', query.level);
  const rows = await select.groupBy(sql`1, 2`).execute();
  return rows.map((row) => ({ period: row.period, key: String(row.key ?? ''), certificates: count(row.certificates) }));
}

/**
 * Working days from a task's opening to its decision: the day it opened does not count, the day it was decided does
 * (as a deadline counts them, domain/workingDays.ts), so a task decided the day it opened took 0. Median and 90th
 * percentile by nearest rank: the smallest duration that at least half (nine tenths) of the tasks took no longer than.
 */
async function stageDurations(db: Db, query: ScopedQuery, calendar: HolidayCalendar): Promise<StageDuration[]> {
  let select = db
    .selectFrom('tasks')
    .select([
      'kind',
      chinaDay(db, 'created_at').as('opened'),
      chinaDay(db, 'closed_at').as('decided'),
      sql<number>`count(*)`.as('tasks'),
    ])
    .where('status', '=', sql.lit('done'))
    .where('closed_at', 'is not', null)
    .where('created_at', '>=', startOfChinaDay(query.from))
    .where('created_at', '<=', endOfChinaDay(query.to));
  if (query.stationId !== undefined) select = select.where('station_id', '=', query.stationId);
  if (query.stations) select = select.where('station_id', 'in', query.stations);
  if (query.occupation !== undefined) select = select.where('occupation', '=', query.occupation);
  if (query.level !== undefined) select = select.where('level', '=', query.level);
  const groups = (await select.groupBy(sql`1, 2, 3`).execute())
    // A day that could not be read (not an ISO instant) says nothing of how long the task took.
    .filter((group) => group.opened !== null && group.decided !== null)
    .map((group) => ({
      ...group,
      opened: dayNumberOf(group.opened),
      decided: dayNumberOf(group.decided),
    }));
  if (groups.length === 0) return [];
  const upTo = workingDayTotals(calendar, [...groups.map((g) => g.opened), ...groups.map((g) => g.decided)]);
  const byKind = new Map<string, Map<number, number>>();
  for (const group of groups) {
    const days = Math.max(0, upTo(group.decided) - upTo(group.opened));
    const counts = byKind.get(group.kind) ?? new Map<number, number>();
    counts.set(days, (counts.get(days) ?? 0) + count(group.tasks));
    byKind.set(group.kind, counts);
  }
  return [...byKind.entries()]
    .map(([kind, counts]) => {
      const ordered = [...counts.entries()].sort((a, b) => a[0] - b[0]);
      const tasks = ordered.reduce((sum, [, n]) => sum + n, 0);
      return { kind, tasks, median: nearestRank(ordered, tasks, 0.5), p90: nearestRank(ordered, tasks, 0.9) };
    })
    .sort((a, b) => a.kind.localeCompare(b.kind));
}

/** The smallest value whose running count reaches the share of the total; `ordered` holds (value, how many). */
function nearestRank(ordered: [number, number][], total: number, share: number): number {
  const rank = Math.ceil(share * total);
  let seen = 0;
  for (const [value, n] of ordered) {
    seen += n;
    if (seen >= rank) return value;
  }
  return ordered.at(-1)?.[0] ?? 0;
}

/**
 * Working days from the first of the days up to and including each day, as running totals: a duration is then one
 * subtraction, whatever the number of tasks.
 */
function workingDayTotals(calendar: HolidayCalendar, days: number[]): (day: number) => number {
  // Not Math.min(...days): the groups may be more than a call's arguments can hold.
  const first = days.reduce((a, b) => Math.min(a, b));
  const last = days.reduce((a, b) => Math.max(a, b));
  const totals: number[] = [];
  for (let day = first, sum = 0; day <= last; day++) {
    if (isWorkingDay(fromDayNumber(day), calendar)) sum++;
    totals.push(sum);
  }
  return (day) => totals[day - first];
}

async function overdueByOrganisation(db: Db, query: ScopedQuery, now: Date): Promise<OverdueCount[]> {
  let select = db
    .selectFrom('tasks')
    .select(['candidate_group', sql<number>`count(*)`.as('overdue')])
    .where('status', '=', sql.lit('open'))
    .where('due_at', '<', now.toISOString());
  if (query.stationId !== undefined) select = select.where('station_id', '=', query.stationId);
  if (query.stations) select = select.where('station_id', 'in', query.stations);
  if (query.occupation !== undefined) select = select.where('occupation', '=', query.occupation);
  if (query.level !== undefined) select = select.where('level', '=', query.level);
  const groups = await select.groupBy('candidate_group').execute();
  const byOrganisation = new Map<string, number>();
  for (const group of groups) {
    const organisationId = group.candidate_group.split(':')[0];
    byOrganisation.set(organisationId, (byOrganisation.get(organisationId) ?? 0) + count(group.overdue));
  }
  return [...byOrganisation.entries()]
    .map(([organisationId, overdue]) => ({ organisationId, overdue }))
    .sort((a, b) => b.overdue - a.overdue || a.organisationId.localeCompare(b.organisationId));
}
