/**
 * The statistics: a page (filters, tables, two charts), its figures as CSV and XLSX, and the same figures as JSON under
 * /api/admin/statistics. All four come from one model, so they never disagree. Counts only: no case, no person
 * (records/statistics.ts).
 *
 * Administrators see the whole province; the people of a guidance center or a department see the same page narrowed
 * to the stations that report to their organisation; anyone else is refused. One set of routes with the scope read
 * from the reader's roles, not a second page for centers and departments: the filters, exports and API stay one code
 * path and one documented API path, and a reader cannot reach more figures by choosing another URL.
 */
import ExcelJS from 'exceljs';
import { Router, type Response } from 'express';
import type { TFunction } from 'i18next';
import type { AppDeps } from '../app';
import type { Language } from '../../i18n';
import { type Level, levelTitle, levelTitleZh } from '../../domain/levels';
import { DEFAULT_CATALOGUE, findOccupation, occupationName } from '../../domain/occupations';
import { EMPTY_CALENDAR, localDate } from '../../domain/workingDays';
import { listOrganisations, type Organisation, oversees, stationsReportingTo } from '../../records/directory';
import {
  DIMENSIONS,
  type Figures,
  PERIODS,
  statistics,
  type Statistics,
  type StatisticsQuery,
} from '../../records/statistics';
import { isAdministrator, organisationsOf } from '../auth/access';
import { requireUser, userOf } from '../auth/session';
import { pairedBarsSvg } from '../charts/statisticsChart';
import { languageOf, tOf } from '../language';
import { HttpError } from '../temporalErrors';
import { taskName } from '../timeline';
import { fieldErrors } from '../validation';
import { StatisticsFilters } from '../contract/admin';
import { readQuery, refusedOr } from '../contract/read';

/** The levels' numbers, highest qualification first (domain/levels.ts). */
const LEVELS = [1, 2, 3, 4, 5];
const FIELD_LABELS: Record<string, string> = {
  from: 'statistics:filters.from',
  to: 'statistics:filters.to',
  period: 'statistics:filters.period',
  by: 'statistics:filters.by',
  station: 'statistics:filters.station',
  occupation: 'statistics:filters.occupation',
  level: 'statistics:filters.level',
};

export function statisticsRouter(deps: AppDeps): Router {
  const router = Router();
  const now = deps.now ?? (() => new Date());

  router.get('/admin/statistics', requireUser, async (req, res) => {
    const t = tOf(res);
    const scope = await scopeOf(deps, res);
    const read = refusedOr(() => readFilters(req.query, t, now(), scope));
    const invalid = read.fields !== undefined;
    const model = read.value && (await statisticsModel(deps, read.value, scope, res));
    const language = languageOf(res);
    // The filters as read, or (when they could not be read) as sent, so the form keeps what was chosen.
    const chosen = read.value ? queryFields(read.value) : typedFields(req.query);
    const by = DIMENSIONS.find((value) => value === chosen.by) ?? 'occupation';
    const exportQuery = new URLSearchParams(chosen).toString();
    res.status(invalid ? 422 : 200).render('statistics', {
      title: t('statistics:title'),
      summary: scope.reportingTo
        ? t('statistics:summaryScoped', { organisations: scope.reportingTo.join(t('statistics:listSeparator')) })
        : t('statistics:summary'),
      errors: Object.entries(read.fields ?? {}).map(([field, message]) => ({
        field: FIELD_LABELS[field] ? t(FIELD_LABELS[field]) : field,
        message,
      })),
      typed: chosen,
      periods: PERIODS.map((value) => ({
        value,
        label: t(`statistics:period.${value}`),
        selected: value === chosen.period,
      })),
      dimensions: DIMENSIONS.map((value) => ({
        value,
        label: t(`statistics:by.${value}`),
        selected: value === chosen.by,
      })),
      stations: scope.stations.map((org) => ({ value: org.id, label: org.name, selected: org.id === chosen.station })),
      occupations: DEFAULT_CATALOGUE.map((occupation) => ({
        value: occupation.code,
        label: occupationName(occupation, language),
        selected: occupation.code === chosen.occupation,
      })).sort((a, b) => a.label.localeCompare(b.label, language)),
      levels: LEVELS.map((level) => ({
        value: level,
        label: levelLabel(level, language),
        selected: String(level) === chosen.level,
      })),
      byLabel: t(`statistics:by.${by}`),
      ...(model && {
        ...model,
        rows: model.rows.map(shownFigures),
        totals: shownFigures(model.totals),
        resultsChart: resultsChart(model, t),
        durationsChart: durationsChart(model, t),
      }),
      csvLink: `/admin/statistics.csv?${exportQuery}`,
      xlsxLink: `/admin/statistics.xlsx?${exportQuery}`,
    });
  });

  router.get('/admin/statistics.csv', requireUser, async (req, res) => {
    const t = tOf(res);
    const scope = await scopeOf(deps, res);
    const query = readFilters(req.query, t, now(), scope);
    const model = await statisticsModel(deps, query, scope, res);
    res.type('text/csv; charset=utf-8').attachment(fileName(query, 'csv')).send(figuresCsv(model, t));
  });

  router.get('/admin/statistics.xlsx', requireUser, async (req, res) => {
    const t = tOf(res);
    const scope = await scopeOf(deps, res);
    const query = readFilters(req.query, t, now(), scope);
    const model = await statisticsModel(deps, query, scope, res);
    res
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .attachment(fileName(query, 'xlsx'))
      .send(await figuresXlsx(model, t));
  });

  router.get('/api/admin/statistics', requireUser, async (req, res) => {
    const t = tOf(res);
    const scope = await scopeOf(deps, res);
    const query = readFilters(req.query, t, now(), scope);
    res.json(await statisticsModel(deps, query, scope, res));
  });

  return router;
}

/** Whose figures the reader may see. */
interface Scope {
  /** The stations the filter offers. */
  stations: Organisation[];
  /**
   * The names of the reader's guidance centers or departments when the figures are narrowed to their stations;
   * undefined for an administrator, who sees every case.
   */
  reportingTo?: string[];
  /** Every organisation's name by id, for the rows broken down by station. */
  names: ReadonlyMap<string, string>;
}

/** An administrator's whole province, or a center's or department's stations; anyone else is refused (403). */
async function scopeOf(deps: AppDeps, res: Response): Promise<Scope> {
  const user = userOf(res);
  const organisations = await listOrganisations(deps.db);
  const names = new Map(organisations.map((org) => [org.id, org.name]));
  if (isAdministrator(user)) return { stations: organisations.filter((org) => org.kind === 'station'), names };
  const mine = organisationsOf(user);
  const stations = stationsReportingTo(organisations, mine);
  if (!stations) throw new HttpError(403, tOf(res)('statistics:forbidden'));
  const reportingTo = organisations.filter((org) => mine.has(org.id) && oversees(org)).map((org) => org.name);
  return { stations, reportingTo, names };
}

/**
 * The reader's filters (contract/admin.ts), read alike by the page, its exports and the API; unset, the twelve months
 * up to today (China time), by month and occupation. A range that ends before it starts is not refused: it holds no
 * figures. A narrowed reader may choose only a station of theirs; anything else is a 422 naming the field.
 */
function readFilters(source: unknown, t: TFunction, now: Date, scope: Scope): StatisticsQuery {
  const summary = t('statistics:invalid');
  const { from, to, period, by, station, occupation, level } = readQuery(StatisticsFilters, source, t, summary);
  if (station !== undefined && scope.reportingTo && !scope.stations.some((org) => org.id === station)) {
    const errors = fieldErrors(t);
    errors.add('station', t('statistics:stationOutOfScope'));
    errors.throwIfAny(summary);
  }
  const today = localDate(now);
  return {
    from: from ?? firstDayElevenMonthsBefore(today),
    to: to ?? today,
    period: period ?? 'month',
    by: by ?? 'occupation',
    stationId: station,
    occupation,
    level,
  };
}

function firstDayElevenMonthsBefore(date: string): string {
  const months = Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1 - 11;
  return `${String(Math.floor(months / 12)).padStart(4, '0')}-${String((months % 12) + 1).padStart(2, '0')}-01`;
}

/** The query as a form and a link carry it, defaults included, so an export is the page the reader saw. */
function queryFields(query: StatisticsQuery): Record<string, string> {
  const fields: Record<string, string> = { from: query.from, to: query.to, period: query.period, by: query.by };
  if (query.stationId) fields.station = query.stationId;
  if (query.occupation) fields.occupation = query.occupation;
  if (query.level !== undefined) fields.level = String(query.level);
  return fields;
}

/** The filters as sent, for a page whose filters could not be read: its form keeps what was typed and chosen. */
function typedFields(source: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(source).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

const fileName = (query: StatisticsQuery, extension: string) =>
  `statistics-${query.from}-${query.to}-${query.by}.${extension}`;

type Model = Awaited<ReturnType<typeof statisticsModel>>;

/** The figures with the reader's names for what they are broken down by: what the page, the exports and the API show. */
async function statisticsModel(deps: AppDeps, query: StatisticsQuery, scope: Scope, res: Response) {
  const t = tOf(res);
  const language = languageOf(res);
  const found: Statistics = await statistics(deps.db, query, {
    now: (deps.now ?? (() => new Date()))(),
    calendar: deps.calendar ?? EMPTY_CALENDAR,
    ...(scope.reportingTo && { stations: scope.stations.map((org) => org.id) }),
  });
  const keyLabel = (key: string): string => {
    if (query.by === 'station') return scope.names.get(key) ?? key;
    if (query.by === 'level') return LEVELS.includes(Number(key)) ? levelLabel(Number(key), language) : key;
    const occupation = findOccupation(key);
    return occupation ? occupationName(occupation, language) : key;
  };
  return {
    query,
    rows: found.rows.map((row) => ({ ...row, keyLabel: keyLabel(row.key) })),
    totals: found.totals,
    durations: found.durations.map((duration) => ({ ...duration, kindLabel: taskName(t, duration.kind) })),
    overdue: found.overdue.map((count) => ({
      ...count,
      organisationName: scope.names.get(count.organisationId) ?? count.organisationId,
    })),
  };
}

function levelLabel(level: number, language: Language): string {
  return language === 'zh-CN' ? levelTitleZh(level as Level) : levelTitle(level as Level);
}

/** A pass rate as people read it: a percentage with one decimal, or a dash when nobody was examined. */
const percent = (rate: number | null): string =>
  rate === null ? '–' : `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;

const shownFigures = <T extends Figures>(figures: T) => ({ ...figures, passRateShown: percent(figures.passRate) });

const FIGURE_COLUMNS = [
  'applications',
  'examined',
  'passed',
  'passRate',
  'excellent',
  'good',
  'pass',
  'certificates',
] as const;

function figureCells(figures: Figures): (string | number)[] {
  return FIGURE_COLUMNS.map((column) => (column === 'passRate' ? percent(figures.passRate) : figures[column]));
}

function figureHeader(model: Model, t: TFunction): string[] {
  return [
    t('statistics:columns.period'),
    t(`statistics:by.${model.query.by}`),
    ...FIGURE_COLUMNS.map((column) => t(`statistics:columns.${column}`)),
  ];
}

function figureRows(model: Model, t: TFunction): (string | number)[][] {
  return [
    figureHeader(model, t),
    ...model.rows.map((row) => [row.period, row.keyLabel, ...figureCells(row)]),
    [t('statistics:total'), '', ...figureCells(model.totals)],
  ];
}

function figuresCsv(model: Model, t: TFunction): string {
  // A BOM so that spreadsheet programs read the file as UTF-8 (as the session report's export does).
  return `\ufeff${figureRows(model, t)
    .map((row) => row.map(csvCell).join(','))
    .join('\r\n')}\r\n`;
}

function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

async function figuresXlsx(model: Model, t: TFunction): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const figures = workbook.addWorksheet(t('statistics:worksheet.figures'));
  for (const row of figureRows(model, t)) figures.addRow(row);
  const durations = workbook.addWorksheet(t('statistics:worksheet.durations'));
  durations.addRow(['kind', 'tasks', 'median', 'p90'].map((column) => t(`statistics:durations.${column}`)));
  for (const row of model.durations) durations.addRow([row.kindLabel, row.tasks, row.median, row.p90]);
  const overdue = workbook.addWorksheet(t('statistics:worksheet.overdue'));
  overdue.addRow([t('statistics:overdue.organisation'), t('statistics:overdue.count')]);
  for (const row of model.overdue) overdue.addRow([row.organisationName, row.overdue]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Applications beside passes, per occupation, level or station over the whole range. */
function resultsChart(model: Model, t: TFunction): string {
  const byKey = new Map<string, { label: string; values: [number, number] }>();
  for (const row of model.rows) {
    const bars = byKey.get(row.key) ?? { label: row.keyLabel, values: [0, 0] };
    bars.values = [bars.values[0] + row.applications, bars.values[1] + row.passed];
    byKey.set(row.key, bars);
  }
  return pairedBarsSvg({
    id: 'statistics-results',
    title: t('statistics:chart.results.title', { by: t(`statistics:by.${model.query.by}`) }),
    description: t('statistics:chart.results.description', {
      applications: model.totals.applications,
      passed: model.totals.passed,
    }),
    empty: t('statistics:chart.empty'),
    series: [
      {
        name: t('statistics:columns.applications'),
        fill: '#0969da',
        tip: (label, value) => t('statistics:chart.results.applicationsTip', { label, value }),
      },
      {
        name: t('statistics:columns.passed'),
        fill: '#1a7f37',
        tip: (label, value) => t('statistics:chart.results.passedTip', { label, value }),
      },
    ],
    rows: [...byKey.values()],
  });
}

/** Each kind of task's median beside its 90th percentile, in working days. */
function durationsChart(model: Model, t: TFunction): string {
  return pairedBarsSvg({
    id: 'statistics-durations',
    title: t('statistics:chart.durations.title'),
    description: t('statistics:chart.durations.description', { kinds: model.durations.length }),
    empty: t('statistics:chart.empty'),
    series: [
      {
        name: t('statistics:durations.median'),
        fill: '#8250df',
        tip: (label, value) => t('statistics:chart.durations.medianTip', { label, value }),
      },
      {
        name: t('statistics:durations.p90'),
        fill: '#bf8700',
        tip: (label, value) => t('statistics:chart.durations.p90Tip', { label, value }),
      },
    ],
    rows: model.durations.map((duration) => ({ label: duration.kindLabel, values: [duration.median, duration.p90] })),
  });
}
