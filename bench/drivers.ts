/**
 * Drives one case of each kind from start to finish, the way people at the inbox would: each open task is decided
 * with the update the inbox uses, as soon as it appears. The update's answer is the case after the decision; the next
 * task usually opens a moment later, in the workflow task that follows, so the driver asks getState until it shows.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { Level } from '../domain/levels';
import { actors } from '../test/helpers/actors';
import { applicationFor } from '../test/helpers/applications';
import { applicationWorkflow } from '../workflows/application';
import {
  type Actor,
  type CaseView,
  approveTask,
  getState,
  Stage,
  submitScores,
  TaskKind,
  TaskStatus,
  workflowIdFor,
} from '../workflows/definitions';
import { type BaselineView, baselineWorkflow, completeBaselineTask, getBaselineState } from './baselineWorkflow';
import { sleepMs } from './measure';

/** What one kind of case cost the driver, for the measured cases only. */
export interface DriveStats {
  cases: number;
  updateLatenciesMs: number[];
  queries: number;
  /** A finished case whose history shows this kind's shape. */
  lastWorkflowId?: string;
  /** Entries in that case's history (the product's CaseView.history), which the records loop writes in batches. */
  lastHistoryEntries?: number;
}

export const newStats = (): DriveStats => ({ cases: 0, updateLatenciesMs: [], queries: 0 });

export interface CaseDriver {
  readonly kind: 'product' | 'baseline';
  /** Starts one case, decides all its tasks and waits for its result; throws if it does not end as expected. */
  runCase(stats: DriveStats): Promise<void>;
}

/** How long a task may take to appear before the bench calls the case stuck. */
const TASK_APPEARS_WITHIN_MS = 60_000;

// ---- The product: a level-5 case from application to handed-over certificate ----

type ProductHandle = WorkflowHandle<typeof applicationWorkflow>;
type Decide = (handle: ProductHandle, taskId: string) => Promise<CaseView>;

const approveAs =
  (actor: Actor): Decide =>
  (handle, taskId) =>
    handle.executeUpdate(approveTask, { args: [{ taskId, actor, comment: 'ok' }] });

/** The clerk records who received the certificate, as the inbox's hand-over form requires. */
const handOver: Decide = (handle, taskId) =>
  handle.executeUpdate(approveTask, {
    args: [{ taskId, actor: actors.stationClerk, comment: 'ok', receivedBy: '本人' }],
  });

const passingScores: Decide = (handle, taskId) =>
  handle.executeUpdate(submitScores, { args: [{ taskId, actor: actors.stationExaminer, knowledge: 82, skills: 90 }] });

/** The tasks of a level-5 happy path in the order they open, each with the decision that moves the case on. */
const LEVEL_5_PATH: readonly (readonly [TaskKind, Decide])[] = [
  [TaskKind.StationReview, approveAs(actors.stationReviewer)],
  [TaskKind.CenterReview, approveAs(actors.centerReviewer)],
  [TaskKind.ExamScores, passingScores],
  [TaskKind.ResultStationSummary, approveAs(actors.stationReviewer)],
  [TaskKind.ResultCenterApproval, approveAs(actors.centerReviewer)],
  [TaskKind.ResultDepartmentApproval, approveAs(actors.departmentApprover)],
  [TaskKind.CertificatePrint, approveAs(actors.departmentApprover)],
  [TaskKind.CertificateHandover, handOver],
];

export const TASKS_PER_CASE = LEVEL_5_PATH.length;

export function productDriver(client: Client, taskQueue: string, runTag: string): CaseDriver {
  let serial = 0;
  return {
    kind: 'product',
    async runCase(stats) {
      const application = applicationFor(Level.Primary, { applicationNumber: `BENCH-${runTag}-P${++serial}` });
      const handle = await client.workflow.start(applicationWorkflow, {
        taskQueue,
        workflowId: workflowIdFor(application.applicationNumber),
        args: [{ application, submittedAt: new Date().toISOString() }],
      });
      let view: CaseView | undefined;
      for (const [kind, decide] of LEVEL_5_PATH) {
        const task = await waitForOpenTask(view, () => queried(stats, () => handle.query(getState)), openTaskOf);
        if (task.kind !== kind) {
          throw new Error(
            `${handle.workflowId}: expected a ${kind} task, found ${task.kind}; the level-5 path changed`,
          );
        }
        view = await timed(stats, () => decide(handle, task.id));
      }
      const result = await handle.result();
      if (result.stage !== Stage.Issued) throw new Error(`${handle.workflowId} ended in ${result.stage}, not issued`);
      stats.cases++;
      stats.lastWorkflowId = handle.workflowId;
      stats.lastHistoryEntries = result.history.length;
    },
  };
}

const openTaskOf = (view: CaseView) => view.tasks.find((task) => task.status === TaskStatus.Open);

// ---- The baseline: the same shape with empty bodies ----

export function baselineDriver(client: Client, taskQueue: string, runTag: string): CaseDriver {
  let serial = 0;
  return {
    kind: 'baseline',
    async runCase(stats) {
      const caseId = `BENCH-${runTag}-B${++serial}`;
      const handle = await client.workflow.start(baselineWorkflow, {
        taskQueue,
        workflowId: `bench-baseline-${caseId}`,
        args: [{ caseId }],
      });
      let view: BaselineView | undefined;
      for (let step = 0; step < TASKS_PER_CASE; step++) {
        const taskId = await waitForOpenTask(
          view,
          () => queried(stats, () => handle.query(getBaselineState)),
          (v) => v.openTaskId,
        );
        view = await timed(stats, () => handle.executeUpdate(completeBaselineTask, { args: [{ taskId }] }));
      }
      const result = await handle.result();
      if (!result.closed || result.tasksDone !== TASKS_PER_CASE) {
        throw new Error(`${handle.workflowId} ended with ${result.tasksDone} tasks done`);
      }
      stats.cases++;
      stats.lastWorkflowId = handle.workflowId;
      stats.lastHistoryEntries = result.historyEntries;
    },
  };
}

// ---- Shared by both drivers ----

/**
 * The open task, from the view in hand if it shows one, else from getState, asked at once and then with a short
 * backoff (5, 10, 20, 40, 80, 100, 100... ms) so that waiting costs the worker few queries.
 */
async function waitForOpenTask<V, T>(latest: V | undefined, read: () => Promise<V>, pick: (view: V) => T | undefined) {
  const giveUpAt = Date.now() + TASK_APPEARS_WITHIN_MS;
  let view = latest;
  for (let attempt = 0; ; attempt++) {
    const task = view === undefined ? undefined : pick(view);
    if (task !== undefined) return task;
    if (Date.now() > giveUpAt) throw new Error(`no open task appeared within ${TASK_APPEARS_WITHIN_MS / 1000} s`);
    if (attempt > 0) await sleepMs(Math.min(100, 5 * 2 ** (attempt - 1)));
    view = await read();
  }
}

async function queried<V>(stats: DriveStats, query: () => Promise<V>): Promise<V> {
  stats.queries++;
  return query();
}

/** The update's round trip as the inbox would see it: from sending the decision to holding the case it returns. */
async function timed<V>(stats: DriveStats, update: () => Promise<V>): Promise<V> {
  const started = performance.now();
  const result = await update();
  stats.updateLatenciesMs.push(performance.now() - started);
  return result;
}
