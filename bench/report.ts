/**
 * What a bench run found, as one object: printed as a table for people and written as JSON for comparisons between
 * runs. Also reads one history of each kind, so the table shows that both kinds did the same Temporal work.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import proto from '@temporalio/proto';
import type { DriveStats } from './drivers';
import type { InboxFigures } from './inbox';
import type { SessionFigures } from './sessionReport';
import { type MemoryPeak, percentile } from './measure';

const { EventType } = proto.temporal.api.enums.v1;
const { History } = proto.temporal.api.history.v1;

/**
 * The targets of one run (issue 13), each against the baseline measured in the same run where a baseline exists:
 * throughput, the update round trip's p95, and the peak RSS of this process, which hosts the worker (with the client
 * and the driver, so the figure is an upper bound for a worker alone).
 */
export const TARGET_RATIO = 0.9;
export const TARGET_UPDATE_P95_RATIO = 1.3;
export const TARGET_PEAK_RSS_MB = 400;

/** Each target the run missed, said for a person; empty when all are met. */
export function missedTargets(report: BenchReport): string[] {
  const missed: string[] = [];
  if (!report.meetsTarget) {
    missed.push(
      `The product reaches ${(report.ratio * 100).toFixed(1)} % of the baseline's throughput; ` +
        `the target is ${TARGET_RATIO * 100} %.`,
    );
  }
  const p95Ratio = report.product.updateLatencyMs.p95 / report.baseline.updateLatencyMs.p95;
  if (p95Ratio > TARGET_UPDATE_P95_RATIO) {
    missed.push(
      `The product's update round trip p95 is ${p95Ratio.toFixed(2)} times the baseline's; ` +
        `the target is at most ${TARGET_UPDATE_P95_RATIO}.`,
    );
  }
  if (report.workerMemory.peakRssMb > TARGET_PEAK_RSS_MB) {
    missed.push(
      `The worker's process peaked at ${report.workerMemory.peakRssMb} MB RSS; the target is ${TARGET_PEAK_RSS_MB} MB.`,
    );
  }
  return missed;
}

/** The Temporal work one case did, counted from its history. */
export interface HistoryShape {
  activities: number;
  updates: number;
  timers: number;
  upserts: number;
  /** Each is a round trip to the worker; the cost the product adds shows here first. */
  workflowTasks: number;
  events: number;
  historyBytes: number;
  /**
   * The story's commands in order: `activity`, `update`, `timer`, `upsert`. The records loop's activity is left out:
   * it runs beside the story, so where it falls depends on timing; it is still in `activities`.
   */
  sequence: string[];
  /** Entries in the case's history, which the records loop writes in batches (the driver reads them). */
  historyEntries?: number;
}

/** One kind's measured rounds, summed. */
export interface Measured {
  stats: DriveStats;
  seconds: number;
  /** CPU time of this process (worker, client, driver); steadier than wall time on a shared machine. */
  cpuMs: number;
}

export interface KindResult {
  cases: number;
  seconds: number;
  casesPerSecond: number;
  /** CPU time of this process per case: the worker's cost, plus a client and driver share that both kinds pay. */
  processCpuMsPerCase: number;
  updates: number;
  updateLatencyMs: { p50: number; p95: number };
  queriesPerCase: number;
  history?: HistoryShape;
}

export interface BenchReport {
  ranAt: string;
  settings: { cases: number; concurrency: number; warmUpCases: number; server: string };
  machine: { cpus: number; loadAverageBefore: number[]; loadAverageAfter: number[]; node: string };
  product: KindResult;
  baseline: KindResult;
  /** Product cases per second over baseline cases per second. */
  ratio: number;
  target: number;
  meetsTarget: boolean;
  /** This process: the worker, the client and the driver. The dev server is another process. */
  workerMemory: {
    peakRssMb: number;
    peakHeapUsedMb: number;
    byPhase: Record<string, { peakRssMb: number; peakHeapUsedMb: number }>;
  };
  /** The inbox over HTTP with a full projection (bench/inbox.ts). */
  inbox?: InboxFigures;
  /** An appraisal session beside the same work case by case (bench/session.ts). */
  session?: SessionFigures;
}

export async function historyShape(handle: WorkflowHandle, historyEntries?: number): Promise<HistoryShape> {
  const history = await handle.fetchHistory();
  const events = history.events ?? [];
  const count = (type: proto.temporal.api.enums.v1.EventType) => events.filter((e) => e.eventType === type).length;
  return {
    activities: count(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
    updates: count(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED),
    timers: count(EventType.EVENT_TYPE_TIMER_STARTED),
    upserts: count(EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES),
    workflowTasks: count(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED),
    events: events.length,
    historyBytes: History.encode(history).finish().length,
    historyEntries,
    sequence: events.flatMap((e) => {
      const activity = e.activityTaskScheduledEventAttributes?.activityType?.name;
      if (activity) return RECORDS_ACTIVITIES.has(activity) ? [] : ['activity'];
      const kind = SEQUENCED.get(e.eventType ?? EventType.EVENT_TYPE_UNSPECIFIED);
      return kind ? [kind] : [];
    }),
  };
}

const RECORDS_ACTIVITIES = new Set(['recordCase', 'baselineRecordCase']);
const SEQUENCED = new Map([
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED, 'update'],
  [EventType.EVENT_TYPE_TIMER_STARTED, 'timer'],
  [EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES, 'upsert'],
]);

/**
 * Where two histories part, said for a person; undefined when their activities, updates, timers and upserts agree in
 * number and in order. A baseline of another shape makes the throughput ratio meaningless, so --check fails on it.
 */
export function shapeDifference(product?: HistoryShape, baseline?: HistoryShape): string | undefined {
  if (!product || !baseline) return 'a history of each kind could not be read';
  // The records loop's activities are left out of this: how many batches the entries fall into depends on timing.
  const counts = (['historyEntries', 'updates', 'timers', 'upserts'] as const).filter(
    (k) => product[k] !== baseline[k],
  );
  if (counts.length > 0) {
    return counts.map((k) => `${k}: product ${product[k]}, baseline ${baseline[k]}`).join('; ');
  }
  const parted = product.sequence.findIndex((command, i) => command !== baseline.sequence[i]);
  if (parted < 0 && product.sequence.length === baseline.sequence.length) return undefined;
  // Where one sequence is the other's beginning, they part where the shorter one ends.
  const at = parted < 0 ? product.sequence.length : parted;
  const from = Math.max(0, at - 3);
  const around = (sequence: string[]) => sequence.slice(from, at + 3).join(' ');
  return `the order parts at command ${at + 1}: product … ${around(product.sequence)} …, baseline … ${around(baseline.sequence)} …`;
}

export function kindResult({ stats, seconds, cpuMs }: Measured, history?: HistoryShape): KindResult {
  return {
    cases: stats.cases,
    seconds: round(seconds, 2),
    casesPerSecond: round(stats.cases / seconds, 2),
    processCpuMsPerCase: round(cpuMs / stats.cases, 1),
    updates: stats.updateLatenciesMs.length,
    updateLatencyMs: {
      p50: round(percentile(stats.updateLatenciesMs, 50), 1),
      p95: round(percentile(stats.updateLatenciesMs, 95), 1),
    },
    queriesPerCase: round(stats.queries / stats.cases, 1),
    history,
  };
}

export function memoryFigures(overall: MemoryPeak, byPhase: Map<string, MemoryPeak>): BenchReport['workerMemory'] {
  const mb = (peak: MemoryPeak) => ({
    peakRssMb: megabytes(peak.rssBytes),
    peakHeapUsedMb: megabytes(peak.heapUsedBytes),
  });
  const { peakRssMb, peakHeapUsedMb } = mb(overall);
  return {
    peakRssMb,
    peakHeapUsedMb,
    byPhase: Object.fromEntries([...byPhase].map(([phase, peak]) => [phase, mb(peak)])),
  };
}

export function printReport(report: BenchReport): void {
  const { product: p, baseline: b, settings, machine, workerMemory: mem } = report;
  const load = (avg: number[]) => avg.map((x) => x.toFixed(2)).join(' ');
  const row = (label: string, product: string | number, baseline: string | number) =>
    `  ${label.padEnd(34)}${String(product).padStart(12)}${String(baseline).padStart(12)}`;
  const shape = (h?: HistoryShape) => (h ? `${h.activities}/${h.updates}/${h.timers}/${h.upserts}` : '?');
  console.log(
    [
      '',
      `Qualiflow bench: ${settings.cases} level-5 cases of each kind, ${settings.concurrency} at a time, ` +
        `after ${settings.warmUpCases} warm-up cases of each`,
      `  machine: ${machine.cpus} CPUs, load average (1/5/15 min) ${load(machine.loadAverageBefore)} before, ` +
        `${load(machine.loadAverageAfter)} after; node ${machine.node}; ${settings.server}`,
      '',
      row('', 'product', 'baseline'),
      row('cases per second', p.casesPerSecond, b.casesPerSecond),
      row('wall time (s)', p.seconds, b.seconds),
      row('CPU of this process per case (ms)', p.processCpuMsPerCase, b.processCpuMsPerCase),
      row('update round trip p50 (ms)', p.updateLatencyMs.p50, b.updateLatencyMs.p50),
      row('update round trip p95 (ms)', p.updateLatencyMs.p95, b.updateLatencyMs.p95),
      row('updates measured', p.updates, b.updates),
      row('getState queries per case', p.queriesPerCase, b.queriesPerCase),
      row('activities/updates/timers/upserts', shape(p.history), shape(b.history)),
      row('case history entries', p.history?.historyEntries ?? '?', b.history?.historyEntries ?? '?'),
      row('workflow tasks per case', p.history?.workflowTasks ?? '?', b.history?.workflowTasks ?? '?'),
      row('history events per case', p.history?.events ?? '?', b.history?.events ?? '?'),
      row('history size per case (KB)', kb(p.history?.historyBytes), kb(b.history?.historyBytes)),
      '',
      `  throughput ratio product/baseline: ${report.ratio.toFixed(3)} ` +
        `(target >= ${report.target.toFixed(2)}: ${report.meetsTarget ? 'met' : 'NOT met'})`,
      `  update round trip p95 product/baseline: ` +
        `${(p.updateLatencyMs.p95 / b.updateLatencyMs.p95).toFixed(2)} (target <= ${TARGET_UPDATE_P95_RATIO})`,
      `  worker peak memory (the worker runs in this process, with the client and the driver): ` +
        `RSS ${mem.peakRssMb} MB (target <= ${TARGET_PEAK_RSS_MB} MB), main-thread heapUsed ${mem.peakHeapUsedMb} MB`,
      ...Object.entries(mem.byPhase).map(
        ([phase, m]) => `    during ${phase.padEnd(9)} RSS ${m.peakRssMb} MB, heapUsed ${m.peakHeapUsedMb} MB`,
      ),
      shapeDifference(p.history, b.history) === undefined
        ? '  the two kinds run the same activities, updates, timers and upserts, in the same order'
        : `  WARNING: the baseline no longer has the product's shape (${shapeDifference(p.history, b.history)}); ` +
          'fix bench/baselineWorkflow.ts',
    ].join('\n'),
  );
}

export function writeReport(report: object, file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));
const megabytes = (bytes: number) => Math.round(bytes / 1024 / 1024);
const kb = (bytes?: number) => (bytes === undefined ? '?' : (bytes / 1024).toFixed(1));
