/**
 * The inbox's query against a full task projection, on SQLite and on PostgreSQL: 100,000 open tasks spread over the
 * demo province's groups (two stations with four roles each, the guidance center, the department, the training
 * institution; a few escalated), next to closed ones, then the first page (50 rows, by due date) for users holding
 * one to three groups, timed over many runs. Prints p50/p95 against the 20 ms target and the query plans, which must
 * show the partial group indexes.
 *
 * `benchProjection()` is what `npm run bench` calls; `npx tsx bench/projection.ts [--open N] [--closed N] [--runs N]`
 * runs it alone. PostgreSQL is the private cluster of scripts/postgres.sh (or BENCH_POSTGRES_URL, a server where the
 * bench may create and drop a database).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CompiledQuery, sql } from 'kysely';
import pg from 'pg';
import { type Db, openDatabase } from '../records/database';
import type { DialectName } from '../records/dialect';
import { openTasksForGroups, openTasksQuery, projectTasks, type TaskRow } from '../records/tasks';

export const TARGET_P95_MS = 20;

export interface ProjectionBenchOptions {
  openTasks?: number;
  closedTasks?: number;
  /** Timed first-page queries per dialect (after a warm-up). */
  runs?: number;
  pageSize?: number;
  dialects?: DialectName[];
  log?: (line: string) => void;
}

export interface ProjectionFigures {
  dialect: DialectName;
  openTasks: number;
  closedTasks: number;
  fillSeconds: number;
  runs: number;
  firstPage: { p50: number; p95: number; max: number };
  nextPage: { p50: number; p95: number };
  indexUsed: boolean;
  plan: string;
  meetsTarget: boolean;
}

const STATION_ROLES = ['reviewers', 'examiners', 'clerks', 'trainers'];
/** Candidate groups with a weight: most work waits at the stations' reviewers and examiners. */
const GROUPS: [group: string, supervisors: string, weight: number][] = [
  ...['station-a', 'station-b'].flatMap((station, s) =>
    STATION_ROLES.map((role, r): [string, string, number] => [
      `${station}:${role}`,
      `${station}:supervisors`,
      [10, 8, 4, 2][r] * (s === 0 ? 1.5 : 1),
    ]),
  ),
  ['center-1:reviewers', 'center-1:supervisors', 12],
  ['department-1:approvers', 'department-1:supervisors', 6],
  ['training-1:trainers', 'training-1:supervisors', 3],
];

/** The inbox's users: one to three groups each, supervisors included (they also see escalated tasks). */
const USERS: string[][] = [
  ['station-a:reviewers'],
  ['station-a:reviewers', 'station-a:supervisors'],
  ['station-a:examiners', 'station-a:clerks', 'station-a:supervisors'],
  ['station-b:reviewers', 'station-b:examiners'],
  ['center-1:reviewers'],
  ['center-1:reviewers', 'center-1:supervisors', 'department-1:approvers'],
  ['department-1:approvers'],
  ['training-1:trainers', 'station-b:trainers'],
];

export async function benchProjection(options: ProjectionBenchOptions = {}): Promise<ProjectionFigures[]> {
  const {
    openTasks = 100_000,
    closedTasks = 100_000,
    runs = 400,
    pageSize = 50,
    dialects = ['sqlite', 'postgres'],
    log = console.log,
  } = options;
  const rows = backlog(openTasks, closedTasks);
  const figures: ProjectionFigures[] = [];
  for (const dialect of dialects) {
    const target = await scratchDatabase(dialect);
    const db = await openDatabase(target.url);
    try {
      log(
        `projection bench (${dialect}): filling ${openTasks.toLocaleString('en')} open + ${closedTasks.toLocaleString('en')} closed tasks …`,
      );
      const started = performance.now();
      for (let i = 0; i < rows.length; i += 5000) await projectTasks(db, rows.slice(i, i + 5000));
      await sql`analyze`.execute(db);
      const fillSeconds = (performance.now() - started) / 1000;

      const query = (n: number) => ({ groups: USERS[n % USERS.length], sort: 'due' as const, limit: pageSize });
      for (let n = 0; n < 40; n++) await openTasksForGroups(db, query(n));
      const first: number[] = [];
      const next: number[] = [];
      for (let n = 0; n < runs; n++) {
        const t0 = performance.now();
        const page = await openTasksForGroups(db, query(n));
        const t1 = performance.now();
        await openTasksForGroups(db, { ...query(n), after: page.next });
        next.push(performance.now() - t1);
        first.push(t1 - t0);
      }
      const plan = await explain(db, dialect, query(2));
      const p95 = percentile(first, 95);
      const result: ProjectionFigures = {
        dialect,
        openTasks,
        closedTasks,
        fillSeconds: round(fillSeconds),
        runs,
        firstPage: { p50: round(percentile(first, 50)), p95: round(p95), max: round(Math.max(...first)) },
        nextPage: { p50: round(percentile(next, 50)), p95: round(percentile(next, 95)) },
        indexUsed: /tasks_open_by_group_due/.test(plan) && /tasks_escalated_by_supervisors_due/.test(plan),
        plan,
        meetsTarget: p95 < TARGET_P95_MS,
      };
      figures.push(result);
      log(
        `projection bench (${dialect}): first page of ${pageSize} by due date, ${runs} runs: ` +
          `p50 ${result.firstPage.p50} ms, p95 ${result.firstPage.p95} ms (target < ${TARGET_P95_MS} ms: ` +
          `${result.meetsTarget ? 'met' : 'MISSED'}); next page p95 ${result.nextPage.p95} ms; ` +
          `group indexes ${result.indexUsed ? 'used' : 'NOT used'}; filled in ${result.fillSeconds} s`,
      );
      log(`query plan (${dialect}, a user with 3 groups):\n${indent(plan)}`);
    } finally {
      await db.destroy();
      await target.drop();
    }
  }
  return figures;
}

/** Deterministic test data: the same backlog every run, so runs compare. */
export function backlog(open: number, closed: number): TaskRow[] {
  let seed = 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const totalWeight = GROUPS.reduce((sum, [, , weight]) => sum + weight, 0);
  const pickGroup = () => {
    let r = random() * totalWeight;
    for (const entry of GROUPS) if ((r -= entry[2]) < 0) return entry;
    return GROUPS[GROUPS.length - 1];
  };
  const base = Date.UTC(2026, 0, 1);
  const rows: TaskRow[] = [];
  const escalation = (escalated: boolean) => ({ escalated: escalated ? 1 : 0, priority: escalated ? 0 : 1 });
  for (let i = 0; i < open + closed; i++) {
    const isOpen = i < open;
    const [group, supervisors] = pickGroup();
    const created = base + Math.floor(random() * 180 * 86_400_000);
    const due = created + Math.floor((3 + random() * 20) * 86_400_000);
    const number = `QF-2026-${String(i + 1).padStart(6, '0')}`;
    rows.push({
      workflow_id: `application-${number}`,
      task_id: `${group.split(':')[1]}-${1 + Math.floor(random() * 6)}`,
      application_number: number,
      kind: 'station-review',
      stage: 'station-review',
      candidate_group: group,
      supervising_group: supervisors,
      assignee: random() < 0.3 ? `user-${Math.floor(random() * 40)}` : null,
      status: isOpen ? 'open' : random() < 0.9 ? 'done' : 'cancelled',
      ...escalation(random() < 0.05),
      level: 1 + Math.floor(random() * 5),
      occupation: 'baker',
      station_id: group.startsWith('station-b') ? 'station-b' : 'station-a',
      created_at: new Date(created).toISOString(),
      due_at: new Date(due).toISOString(),
      closed_at: isOpen ? null : new Date(due - 86_400_000).toISOString(),
      outcome: isOpen ? null : 'approve',
      version: 1,
    });
  }
  // Interleave open and closed rows, as time writes them.
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  return rows;
}

async function explain(db: Db, dialect: DialectName, query: Parameters<typeof openTasksQuery>[1]): Promise<string> {
  return queryPlan(db, dialect, openTasksQuery(db, query).compile());
}

/** SQLite's EXPLAIN QUERY PLAN, or PostgreSQL's EXPLAIN ANALYZE (run, with the time each node took). */
export async function queryPlan(db: Db, dialect: DialectName, compiled: CompiledQuery): Promise<string> {
  if (dialect === 'sqlite') {
    const result = await db.executeQuery<{ detail: string }>(
      CompiledQuery.raw(`explain query plan ${compiled.sql}`, [...compiled.parameters]),
    );
    return result.rows.map((row) => row.detail).join('\n');
  }
  const result = await db.executeQuery<{ 'QUERY PLAN': string }>(
    CompiledQuery.raw(`explain (analyze, costs off, timing on) ${compiled.sql}`, [...compiled.parameters]),
  );
  return result.rows.map((row) => row['QUERY PLAN']).join('\n');
}

export async function scratchDatabase(dialect: DialectName): Promise<{ url: string; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'qualiflow-bench-'));
    return { url: path.join(dir, 'qualiflow.db'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const admin =
    process.env.BENCH_POSTGRES_URL ??
    execFileSync('bash', [path.join(import.meta.dirname, '..', 'scripts', 'postgres.sh')], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop()!;
  const name = `qf_bench_${process.pid}_${Date.now()}`;
  const adminQuery = async (text: string) => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  await adminQuery(`create database ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(`drop database if exists ${name}`) };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const round = (value: number) => Math.round(value * 100) / 100;
export const indent = (text: string) =>
  text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: { open: { type: 'string' }, closed: { type: 'string' }, runs: { type: 'string' } },
  });
  benchProjection({
    openTasks: values.open ? Number(values.open) : undefined,
    closedTasks: values.closed ? Number(values.closed) : undefined,
    runs: values.runs ? Number(values.runs) : undefined,
  }).then(
    (figures) => {
      process.exitCode = figures.every((figure) => figure.meetsTarget && figure.indexUsed) ? 0 : 1;
    },
    (error: Error) => {
      console.error(error.message);
      process.exitCode = 2;
    },
  );
}
