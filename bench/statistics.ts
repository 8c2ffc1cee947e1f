/**
 * The statistics page's figures (/admin/statistics, records/statistics.ts) over two years of the demo province's work,
 * on SQLite and on PostgreSQL: 100,000 cases submitted at the demo stations, over the occupation catalogue and the
 * five levels, most of them examined (passed with a grade, failed, re-sat) and certified (a few numbers voided), with
 * about six tasks each: decided ones with their durations, open ones, some of them overdue. Then the page's model for a
 * year by month, by each of its dimensions, timed over many runs: p50/p95/max against the 1,000 ms target, and the
 * plans of the model's queries, heaviest first.
 *
 * `benchStatistics()` is what `npm run bench` calls; `npx tsx bench/statistics.ts [--cases N] [--runs N]
 * [--dialect sqlite|postgres]` runs it alone. The databases are projection.ts's scratch ones.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { type CompiledQuery, type KyselyPlugin, sql } from 'kysely';
import { LEVELS } from '../domain/levels';
import { DEFAULT_CATALOGUE } from '../domain/occupations';
import { Grade } from '../domain/scores';
import { EMPTY_CALENDAR } from '../domain/workingDays';
import type { CaseIndexRow } from '../records/caseIndex';
import { type Db, openDatabase } from '../records/database';
import type { DialectName } from '../records/dialect';
import { recordStatusChange } from '../records/registry';
import type { CertificateTable } from '../records/schema';
import { DIMENSIONS, type Dimension, statistics } from '../records/statistics';
import { projectTasks, type TaskRow } from '../records/tasks';
import { DEMO_ORGANISATIONS } from '../records/demoProvince';
import { Stage, TaskKind, workflowIdFor } from '../workflows/definitions';
import { indent, percentile, queryPlan, round, scratchDatabase } from './projection';

/** The demo province's organisations by kind, from its seed file: the bench's cases go through them. */
const idsOf = (kind: string) => DEMO_ORGANISATIONS.filter((org) => org.kind === kind).map((org) => org.id);
const DEMO_PROVINCE = {
  stations: idsOf('station'),
  guidanceCenter: idsOf('guidance-center')[0],
  department: idsOf('department')[0],
  trainingInstitutions: idsOf('training-institution'),
};

export const TARGET_P95_MS = 1000;

export interface StatisticsBenchOptions {
  cases?: number;
  /** Timed models per dimension and dialect (after a warm-up). */
  runs?: number;
  dialects?: DialectName[];
  log?: (line: string) => void;
}

interface Timing {
  p50: number;
  p95: number;
  max: number;
}

export interface StatisticsFigures {
  dialect: DialectName;
  cases: number;
  tasks: number;
  certificates: number;
  fillSeconds: number;
  runs: number;
  /** Every timed model, whatever its dimension. */
  model: Timing;
  byDimension: Record<Dimension, Timing>;
  /** The model's queries (by occupation), heaviest first, each timed alone (median of five) with its plan. */
  plans: { query: string; ms: number; plan: string }[];
  indexesUsed: string[];
  meetsTarget: boolean;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Midnight, 1 July 2024, China time: two years of submissions up to NOW. */
const FIRST_DAY = Date.UTC(2024, 6, 1) - 8 * HOUR_MS;
const NOW = new Date(FIRST_DAY + 730 * DAY_MS);
/** As the page asks by default: the twelve months up to today, by month. */
const YEAR = { from: '2025-07-01', to: '2026-06-30', period: 'month' } as const;
const CASES_PER_BATCH = 1000;

export async function benchStatistics(options: StatisticsBenchOptions = {}): Promise<StatisticsFigures[]> {
  const { cases = 100_000, runs = 20, dialects = ['sqlite', 'postgres'], log = console.log } = options;
  const figures: StatisticsFigures[] = [];
  for (const dialect of dialects) {
    const target = await scratchDatabase(dialect);
    const db = await openDatabase(target.url);
    try {
      log(`statistics bench (${dialect}): filling ${cases.toLocaleString('en')} cases and their tasks …`);
      const started = performance.now();
      const filled = await fill(db, cases);
      // A database in service is vacuumed by autovacuum; one just filled would be vacuumed during the timed runs, which
      // then measure the vacuum. SQLite has no such work.
      await (dialect === 'postgres' ? sql`vacuum analyze` : sql`analyze`).execute(db);
      const fillSeconds = round((performance.now() - started) / 1000);

      const model = (by: Dimension, on: Db = db) =>
        statistics(on, { ...YEAR, by }, { now: NOW, calendar: EMPTY_CALENDAR });
      for (let n = 0; n < 3; n++) for (const by of DIMENSIONS) await model(by);
      const samples = Object.fromEntries(DIMENSIONS.map((by) => [by, [] as number[]])) as Record<Dimension, number[]>;
      for (let n = 0; n < runs; n++) {
        for (const by of DIMENSIONS) {
          const t0 = performance.now();
          await model(by);
          samples[by].push(performance.now() - t0);
        }
      }
      const { totals, durations, overdue } = await model('occupation');
      const captured: CompiledQuery[] = [];
      await model('occupation', db.withPlugin(capturing(db, captured)));
      const plans = await plansOf(db, dialect, captured);
      const all = timing(DIMENSIONS.flatMap((by) => samples[by]));
      const result: StatisticsFigures = {
        dialect,
        ...filled,
        fillSeconds,
        runs,
        model: all,
        byDimension: Object.fromEntries(
          DIMENSIONS.map((by) => [by, timing(samples[by])]),
        ) as StatisticsFigures['byDimension'],
        plans,
        indexesUsed: [...new Set(plans.flatMap(({ plan }) => indexesIn(plan)))].sort(),
        meetsTarget: all.p95 < TARGET_P95_MS,
      };
      figures.push(result);
      log(
        `statistics bench (${dialect}): ${filled.cases.toLocaleString('en')} cases, ${filled.tasks.toLocaleString('en')} ` +
          `tasks, ${filled.certificates.toLocaleString('en')} certificates, filled in ${fillSeconds} s; a year by month ` +
          `holds ${totals.applications} applications, ${totals.examined} examined, ${totals.certificates} certificates, ` +
          `${durations.reduce((sum, d) => sum + d.tasks, 0)} decided tasks, ` +
          `${overdue.reduce((sum, o) => sum + o.overdue, 0)} overdue now`,
      );
      log(
        `statistics bench (${dialect}): the model for a year by month, ${runs} runs per dimension: ` +
          `p50 ${all.p50} ms, p95 ${all.p95} ms, max ${all.max} ms (target p95 < ${TARGET_P95_MS} ms: ` +
          `${result.meetsTarget ? 'met' : 'MISSED'}); ` +
          DIMENSIONS.map(
            (by) => `by ${by} p50 ${result.byDimension[by].p50}, p95 ${result.byDimension[by].p95} ms`,
          ).join('; '),
      );
      for (const { query, ms, plan } of plans)
        log(`query plan (${dialect}, ${query}, ${ms} ms alone):\n${indent(plan)}`);
    } finally {
      await db.destroy();
      await target.drop();
    }
  }
  return figures;
}

/** The cases in batches: their index rows, tasks (through the projection's own write), certificates and voidings. */
async function fill(db: Db, cases: number): Promise<{ cases: number; tasks: number; certificates: number }> {
  const counts = { cases, tasks: 0, certificates: 0 };
  const province = provinceCases(cases);
  for (let first = 0; first < cases; first += CASES_PER_BATCH) {
    const batch = Array.from({ length: Math.min(CASES_PER_BATCH, cases - first) }, () => province.next().value!);
    // The case index's writers (intake, the records activity) write a case at a time; a batch is one statement here.
    await db
      .insertInto('cases')
      .values(batch.map((made) => made.row))
      .execute();
    const tasks = batch.flatMap((made) => made.tasks);
    await projectTasks(db, tasks);
    counts.tasks += tasks.length;
    const certificates = batch.flatMap((made) => (made.certificate ? [made.certificate] : []));
    if (certificates.length > 0) await db.insertInto('certificates').values(certificates).execute();
    counts.certificates += certificates.length;
    for (const made of batch) {
      if (!made.voided || !made.certificate) continue;
      await recordStatusChange(db, {
        certificate_number: made.certificate.number,
        status: 'revoked',
        category: 'voided',
        reason: 'closed before hand-over',
        decided_by: 'qualiflow',
        decided_at: new Date(dayStart(made.certificate.issued_on) + 2 * DAY_MS).toISOString(),
        investigation_id: `void-${made.certificate.number}`,
      });
    }
  }
  return counts;
}

interface ProvinceCase {
  row: CaseIndexRow;
  tasks: TaskRow[];
  certificate?: CertificateTable;
  voided: boolean;
}

/** One step of a case's path: the task, what its decision was, and the wait before it opened. */
interface Step {
  kind: TaskKind;
  outcome: 'approve' | 'reject';
  waitDays: number;
}

const STAGE_OF: Record<string, Stage> = {
  [TaskKind.StationReview]: Stage.StationReview,
  [TaskKind.CenterReview]: Stage.CenterReview,
  [TaskKind.TrainingCompletion]: Stage.Training,
  [TaskKind.ExamScores]: Stage.Examination,
  [TaskKind.ResitScores]: Stage.Resit,
  [TaskKind.ComprehensiveReview]: Stage.ComprehensiveReview,
  [TaskKind.ResultStationSummary]: Stage.ResultApproval,
  [TaskKind.ResultCenterApproval]: Stage.ResultApproval,
  [TaskKind.ResultDepartmentApproval]: Stage.ResultApproval,
  [TaskKind.CertificatePrint]: Stage.Issuance,
};

/** Who decides each kind of task: a station's role, the guidance center, the department or the training institution. */
function groupOf(kind: TaskKind, station: string): string {
  switch (kind) {
    case TaskKind.CenterReview:
    case TaskKind.ResultCenterApproval:
      return `${DEMO_PROVINCE.guidanceCenter}:reviewers`;
    case TaskKind.ResultDepartmentApproval:
      return `${DEMO_PROVINCE.department}:approvers`;
    case TaskKind.TrainingCompletion:
      return `${DEMO_PROVINCE.trainingInstitutions[0]}:trainers`;
    case TaskKind.ExamScores:
    case TaskKind.ResitScores:
      return `${station}:examiners`;
    case TaskKind.ResultStationSummary:
    case TaskKind.CertificatePrint:
      return `${station}:clerks`;
    default:
      return `${station}:reviewers`;
  }
}

/**
 * Deterministic cases, the same province every run so that runs compare: a few rejected at review, most examined
 * (seven in ten pass at the first sitting, half the rest re-sit), the passed ones approved and certified. A case's
 * tasks follow one another from its submission; a task still undecided at NOW is open (overdue past its due date),
 * and the case waits at its stage.
 */
function* provinceCases(cases: number): Generator<ProvinceCase> {
  let seed = 2024;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const chance = (p: number) => random() < p;
  const occupations = DEFAULT_CATALOGUE.map((occupation) => occupation.code);
  // Entry levels are the common ones.
  const levels = [...LEVELS].sort((a, b) => b - a);
  for (let i = 0; i < cases; i++) {
    const number = `QF-BENCH-${String(i + 1).padStart(6, '0')}`;
    const station = DEMO_PROVINCE.stations[chance(0.6) ? 0 : 1];
    // A few occupations take most applications.
    const occupation = occupations[Math.floor(random() ** 3 * occupations.length)];
    const level = levels[Math.floor(random() ** 2 * levels.length)];
    const submitted = FIRST_DAY + Math.floor(random() * 730 * DAY_MS);
    const firstPass = chance(0.7);
    const resit = !firstPass && chance(0.5);
    const passed = firstPass || (resit && chance(0.5));
    const step = (kind: TaskKind, outcome: Step['outcome'] = 'approve', waitDays = random() * 2): Step => ({
      kind,
      outcome,
      waitDays,
    });
    const rejectedBy = chance(0.06) ? TaskKind.StationReview : chance(0.03) ? TaskKind.CenterReview : undefined;
    const path: Step[] = rejectedBy
      ? [...(rejectedBy === TaskKind.CenterReview ? [step(TaskKind.StationReview)] : []), step(rejectedBy, 'reject')]
      : [
          step(TaskKind.StationReview),
          step(TaskKind.CenterReview),
          ...(chance(0.3) ? [step(TaskKind.TrainingCompletion, 'approve', 20 + random() * 40)] : []),
          // Waiting for a seat in a session, then the exam.
          step(TaskKind.ExamScores, firstPass ? 'approve' : 'reject', 15 + random() * 30),
          ...(resit ? [step(TaskKind.ResitScores, passed ? 'approve' : 'reject', 30 + random() * 30)] : []),
          ...(passed
            ? [
                step(TaskKind.ComprehensiveReview),
                step(TaskKind.ResultStationSummary),
                step(TaskKind.ResultCenterApproval),
                step(TaskKind.ResultDepartmentApproval),
                step(TaskKind.CertificatePrint),
              ]
            : []),
        ];
    const tasks: TaskRow[] = [];
    let examPassed: number | null = null;
    let grade: Grade | null = null;
    let issuedOn: string | undefined;
    let stage: Stage | undefined;
    let at = submitted;
    for (const { kind, outcome, waitDays } of path) {
      const created = at + Math.floor(waitDays * DAY_MS);
      if (created >= NOW.getTime()) {
        stage = kind === TaskKind.ExamScores ? Stage.AwaitingSeat : STAGE_OF[kind];
        break;
      }
      // Most are decided within days; a few wait for weeks.
      const days = chance(0.03) ? 10 + random() * 50 : 0.05 + random() ** 2 * 10;
      const closed = created + Math.floor(days * DAY_MS);
      const open = closed >= NOW.getTime();
      const group = groupOf(kind, station);
      tasks.push({
        workflow_id: workflowIdFor(number),
        task_id: `${kind}-1`,
        application_number: number,
        kind,
        stage: STAGE_OF[kind],
        candidate_group: group,
        supervising_group: `${group.split(':')[0]}:supervisors`,
        assignee: open && chance(0.7) ? null : `user-${Math.floor(random() * 40)}`,
        status: open ? 'open' : 'done',
        escalated: 0,
        level,
        occupation,
        station_id: station,
        created_at: new Date(created).toISOString(),
        due_at: new Date(created + 5 * DAY_MS).toISOString(),
        closed_at: open ? null : new Date(closed).toISOString(),
        outcome: open ? null : outcome,
        version: 1,
        priority: 1,
      });
      if (open) {
        stage = STAGE_OF[kind];
        break;
      }
      if (kind === TaskKind.ExamScores || kind === TaskKind.ResitScores) {
        examPassed = outcome === 'approve' ? 1 : 0;
        grade = examPassed ? [Grade.Excellent, Grade.Good, Grade.Pass][Math.floor(random() ** 0.7 * 3)] : Grade.Fail;
      }
      if (kind === TaskKind.CertificatePrint) issuedOn = chinaDate(closed);
      at = closed;
    }
    const last = tasks.at(-1);
    const finalStage = stage ?? (rejectedBy ? Stage.Rejected : passed ? Stage.Issued : Stage.Failed);
    yield {
      row: {
        application_number: number,
        workflow_id: workflowIdFor(number),
        station_id: station,
        guidance_center_id: DEMO_PROVINCE.guidanceCenter,
        department_id: DEMO_PROVINCE.department,
        training_institution_id: chance(0.3) ? DEMO_PROVINCE.trainingInstitutions[0] : null,
        occupation,
        level,
        candidate_name: `考生${i + 1}`,
        id_number: `4401051990${String(i % 1_000_000).padStart(6, '0')}1X`.slice(0, 18),
        stage: finalStage,
        closed: stage ? 0 : 1,
        closed_at: stage ? null : (last?.closed_at ?? null),
        submitted_at: new Date(submitted).toISOString(),
        version: tasks.length + 1,
        exam_passed: examPassed,
        grade,
      },
      tasks,
      certificate: issuedOn
        ? {
            application_number: number,
            number: `S44BENCH${String(i + 1).padStart(8, '0')}`,
            level,
            station_id: station,
            issued_on: issuedOn,
            content: null,
            key_id: null,
            signature: null,
          }
        : undefined,
      voided: chance(0.005),
    };
  }
}

const chinaDate = (instant: number): string => new Date(instant + 8 * HOUR_MS).toISOString().slice(0, 10);
const dayStart = (date: string): number => Date.parse(`${date}T00:00:00.000Z`) - 8 * HOUR_MS;

function timing(samples: number[]): Timing {
  return {
    p50: round(percentile(samples, 50)),
    p95: round(percentile(samples, 95)),
    max: round(Math.max(...samples)),
  };
}

/** Keeps each query it sees, compiled as it will run, so that its plan can be asked for. */
function capturing(db: Db, into: CompiledQuery[]): KyselyPlugin {
  return {
    transformQuery({ node, queryId }) {
      into.push(db.getExecutor().compileQuery(node, queryId));
      return node;
    },
    transformResult: async ({ result }) => result,
  };
}

async function plansOf(db: Db, dialect: DialectName, queries: CompiledQuery[]): Promise<StatisticsFigures['plans']> {
  const plans: StatisticsFigures['plans'] = [];
  for (const compiled of queries) {
    const times: number[] = [];
    for (let n = 0; n < 5; n++) {
      const t0 = performance.now();
      await db.executeQuery(compiled);
      times.push(performance.now() - t0);
    }
    plans.push({
      query: queryName(compiled.sql),
      ms: round(percentile(times, 50)),
      plan: await queryPlan(db, dialect, compiled),
    });
  }
  return plans.sort((a, b) => b.ms - a.ms);
}

/** Which of the model's figures a query counts, read from its SQL. */
function queryName(text: string): string {
  const table = /from "(\w+)"/.exec(text)?.[1];
  if (table === 'cases') return 'applications and exam results (cases)';
  if (table === 'certificates') return 'certificates issued (certificates, cases)';
  if (table === 'tasks') return text.includes(`'done'`) ? 'stage durations (tasks done)' : 'overdue (tasks open)';
  return table ?? text.slice(0, 60);
}

/** The indexes a plan names: SQLite's `USING (COVERING) INDEX x`, PostgreSQL's `Index (Only) Scan using x`. */
function indexesIn(plan: string): string[] {
  return [...plan.matchAll(/(?:USING (?:COVERING )?INDEX|Index (?:Only )?Scan using|Index Scan on) (\w+)/g)].map(
    (match) => match[1],
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: { cases: { type: 'string' }, runs: { type: 'string' }, dialect: { type: 'string' } },
  });
  if (values.dialect !== undefined && values.dialect !== 'sqlite' && values.dialect !== 'postgres') {
    throw new Error(`--dialect takes sqlite or postgres, not ${values.dialect}`);
  }
  benchStatistics({
    cases: values.cases ? Number(values.cases) : undefined,
    runs: values.runs ? Number(values.runs) : undefined,
    dialects: values.dialect ? [values.dialect] : undefined,
  }).then(
    (figures) => {
      process.exitCode = figures.every((figure) => figure.meetsTarget) ? 0 : 1;
    },
    (error: Error) => {
      console.error(error.message);
      process.exitCode = 2;
    },
  );
}
