/**
 * Cases for the session bench, of both kinds (seated in a session, or examined case by case): started and taken
 * through their two reviews as the inbox would, and then counted as they go on through the application database the
 * inbox reads (the case index's stage, the task projection's open tasks). Counting there costs the worker nothing:
 * asking each of hundreds of cases for its state would put hundreds of queries a second on the very worker being timed.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { Level } from '../domain/levels';
import type { Db } from '../records/database';
import { actors } from '../test/helpers/actors';
import { applicationFor } from '../test/helpers/applications';
import { applicationWorkflow } from '../workflows/application';
import {
  type Actor,
  type CaseView,
  type HumanTask,
  approveTask,
  getState,
  type Stage,
  TaskKind,
  TaskStatus,
  workflowIdFor,
} from '../workflows/definitions';
import { pollUntil, runPool } from './measure';

export type CaseHandle = WorkflowHandle<typeof applicationWorkflow>;

export interface BenchCase {
  applicationNumber: string;
  handle: CaseHandle;
  /** The case as it stood once ready (its open exam task, for the case-by-case kind). */
  ready: CaseView;
}

/** A group of bench cases: numbers under one prefix of the station's own, so the database counts them by a range. */
export interface CaseGroup {
  prefix: string;
  cases: BenchCase[];
}

/** How long one case may take to show the next thing the bench waits for before the bench calls it stuck. */
const CASE_STEP_WITHIN_MS = 120_000;

/** `STATION-A-<tag>-0001`…: seating checks that a number is the station's own, so the prefix must be its. */
export const groupPrefix = (tag: string) => `STATION-A-${tag}-`;

/**
 * Starts `count` level-5 cases on `taskQueue` and has the station and the guidance center approve them, `concurrency`
 * cases at a time, then waits for each to show `ready` (waiting for a seat, or its own exam task open).
 */
export async function reviewedCases(
  client: Client,
  { taskQueue, tag, count, concurrency }: { taskQueue: string; tag: string; count: number; concurrency: number },
  ready: (view: CaseView) => boolean,
): Promise<CaseGroup> {
  const prefix = groupPrefix(tag);
  const cases: BenchCase[] = [];
  await runPool(count, concurrency, async (index) => {
    const applicationNumber = `${prefix}${String(index + 1).padStart(4, '0')}`;
    const application = applicationFor(Level.Primary, { applicationNumber });
    const handle = await client.workflow.start(applicationWorkflow, {
      taskQueue,
      workflowId: workflowIdFor(applicationNumber),
      args: [{ application, submittedAt: new Date().toISOString() }],
    });
    await decide(handle, TaskKind.StationReview, actors.stationReviewer);
    await decide(handle, TaskKind.CenterReview, actors.centerReviewer);
    const view = await pollUntil(
      `${applicationNumber} ready`,
      () => handle.query(getState),
      (v) => (ready(v) ? v : undefined),
      { timeoutMs: CASE_STEP_WITHIN_MS },
    );
    cases[index] = { applicationNumber, handle, ready: view };
  });
  return { prefix, cases };
}

/** Waits for the case's open task of this kind and approves it, as the inbox's approve button does. */
export async function decide(handle: CaseHandle, kind: TaskKind, actor: Actor): Promise<CaseView> {
  const task = await openTask(handle, kind);
  return handle.executeUpdate(approveTask, { args: [{ taskId: task.id, actor, comment: 'ok' }] });
}

export const openTaskIn = (view: CaseView, kind: TaskKind): HumanTask | undefined =>
  view.tasks.find((task) => task.kind === kind && task.status === TaskStatus.Open);

export const openTask = (handle: CaseHandle, kind: TaskKind): Promise<HumanTask> =>
  pollUntil(
    `an open ${kind} task on ${handle.workflowId}`,
    () => handle.query(getState),
    (view) => openTaskIn(view, kind),
    { timeoutMs: CASE_STEP_WITHIN_MS },
  );

/** Cases of the group at this stage, as the records activity last wrote it to the case index. */
export async function countAtStage(db: Db, prefix: string, stage: Stage): Promise<number> {
  const { n } = await db
    .selectFrom('cases')
    .where('application_number', '>=', prefix)
    .where('application_number', '<', `${prefix}\uffff`)
    .where('stage', '=', stage)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** Open tasks of this kind among the group's cases, in the task projection the inbox lists. */
export async function countOpenTasks(db: Db, prefix: string, kind: TaskKind): Promise<number> {
  const from = workflowIdFor(prefix);
  const { n } = await db
    .selectFrom('tasks')
    .where('workflow_id', '>=', from)
    .where('workflow_id', '<', `${from}\uffff`)
    .where('kind', '=', kind)
    .where('status', '=', 'open')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** Waits until `count` reaches `expected`, reading every 100 ms at most. */
export async function whenCounted(
  what: string,
  count: () => Promise<number>,
  expected: number,
  timeoutMs: number,
): Promise<void> {
  let last = 0;
  try {
    await pollUntil(
      what,
      async () => (last = await count()),
      (n) => (n >= expected ? n : undefined),
      { timeoutMs },
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}: ${last} of ${expected}`);
  }
}

/**
 * "Issued", as the bench counts it for both kinds: the case holds its certificate number (sealed and rendered before
 * the print task opens) and its print task is open at the department. The timed wait read the projection; this reads
 * every case itself afterwards, untimed, so the projection cannot have counted anything the cases do not show.
 */
export async function checkIssued(group: CaseGroup, concurrency: number): Promise<void> {
  await runPool(group.cases.length, concurrency, async (index) => {
    const { handle, applicationNumber } = group.cases[index];
    const view = await handle.query(getState);
    if (!view.certificate?.number || !openTaskIn(view, TaskKind.CertificatePrint)) {
      throw new Error(
        `${applicationNumber} counted as issued but stands at ${view.stage} with no printable certificate`,
      );
    }
  });
}

/** Generous for hundreds of cases on two cores, so that a slow machine is not taken for a stuck bench. */
export const phaseTimeoutMs = (count: number) => 120_000 + 2_000 * count;
