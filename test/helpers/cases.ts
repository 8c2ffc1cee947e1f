/**
 * Small steps for driving a case from a test, the way people would from the inbox: wait for a task, decide it, read
 * the notices. Every decision goes through the workflow's own updates, so validators run as they do in production.
 */
import { setTimeout as pause } from 'node:timers/promises';
import { ApplicationFailure, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { ExecutionContext } from 'ava';
import type { Message } from '../../domain/messages';
import type { ExamPart } from '../../domain/scores';
import type { applicationWorkflow } from '../../workflows';
import {
  type Actor,
  type CaseView,
  type HumanTask,
  approveTask,
  cancelCase,
  getState,
  RefusalType,
  rejectTask,
  returnTask,
  submitScores,
  TaskKind,
  TaskStatus,
} from '../../workflows/definitions';
import { actors } from './actors';
import type { Harness } from './harness';

export type CaseHandle = WorkflowHandle<typeof applicationWorkflow>;

export const openTask = (view: CaseView, kind: TaskKind): HumanTask | undefined =>
  view.tasks.find((task) => task.kind === kind && task.status === TaskStatus.Open);

/**
 * Polls (in wall-clock time, which the time-skipping server does not move) until `check` answers something, or fails
 * with `what`. Activities and workflow tasks run while time is locked, so the case gets there without a skip.
 */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await check();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(50);
  }
}

export const waitForTask = async (handle: CaseHandle, kind: TaskKind): Promise<HumanTask> =>
  openTask(await waitForState(handle, `an open ${kind} task`, (view) => !!openTask(view, kind)), kind)!;

export async function waitForState(
  handle: CaseHandle,
  what: string,
  check: (view: CaseView) => boolean,
): Promise<CaseView> {
  let last: CaseView | undefined;
  try {
    return await eventually(what, async () => {
      last = await handle.query(getState);
      return check(last) ? last : undefined;
    });
  } catch (error) {
    // Say where the case stood, so that a timeout on a loaded machine can be told from a stuck case.
    const { pendingActivities } = await handle.describe().then(
      (d) => d.raw,
      () => ({ pendingActivities: [] }),
    );
    const tasks = last?.tasks.map((task) => `${task.id}:${task.status}`).join(' ');
    const activities = (pendingActivities ?? []).map((a) => `${a.activityType?.name}#${a.attempt}`).join(' ');
    throw new Error(
      `${(error as Error).message}; stage ${last?.stage}, tasks ${tasks}, activities ${activities || 'none'}`,
    );
  }
}

export async function approve(handle: CaseHandle, kind: TaskKind, actor: Actor, comment?: string): Promise<CaseView> {
  const task = await waitForTask(handle, kind);
  return handle.executeUpdate(approveTask, { args: [{ taskId: task.id, actor, comment }] });
}

export async function reject(handle: CaseHandle, kind: TaskKind, actor: Actor, reason: string): Promise<CaseView> {
  const task = await waitForTask(handle, kind);
  return handle.executeUpdate(rejectTask, { args: [{ taskId: task.id, actor, reason }] });
}

export async function sendBack(handle: CaseHandle, kind: TaskKind, actor: Actor, reason: string): Promise<CaseView> {
  const task = await waitForTask(handle, kind);
  return handle.executeUpdate(returnTask, { args: [{ taskId: task.id, actor, reason }] });
}

export async function score(
  handle: CaseHandle,
  kind: TaskKind.ExamScores | TaskKind.ResitScores,
  scores: Partial<Record<ExamPart, number>>,
  actor: Actor = actors.stationExaminer,
): Promise<CaseView> {
  const task = await waitForTask(handle, kind);
  return handle.executeUpdate(submitScores, { args: [{ taskId: task.id, actor, ...scores }] });
}

/** Ends a case a test is done with, so that its timers do not fire while later tests move the clock. */
export const cancelByAdministrator = (handle: CaseHandle): Promise<CaseView> =>
  handle.executeUpdate(cancelCase, { args: [{ actor: actors.administrator, reason: 'The test is over.' }] });

/** What the right person decides at each step when nothing goes wrong. */
const DEFAULT_STEP: Record<TaskKind, (handle: CaseHandle, view: CaseView) => Promise<CaseView>> = {
  [TaskKind.StationReview]: (h) => approve(h, TaskKind.StationReview, actors.stationReviewer),
  [TaskKind.CenterReview]: (h) => approve(h, TaskKind.CenterReview, actors.centerReviewer),
  [TaskKind.TrainingCompletion]: (h) => approve(h, TaskKind.TrainingCompletion, actors.trainer),
  [TaskKind.ExamScores]: (h) => score(h, TaskKind.ExamScores, { knowledge: 82, skills: 90 }),
  [TaskKind.ResitScores]: (h, view) => score(h, TaskKind.ResitScores, { [view.exam!.resit!.part]: 70 }),
  [TaskKind.ComprehensiveReview]: (h) => approve(h, TaskKind.ComprehensiveReview, actors.stationExaminer),
  [TaskKind.ResultStationSummary]: (h) => approve(h, TaskKind.ResultStationSummary, actors.stationReviewer),
  [TaskKind.ResultCenterApproval]: (h) => approve(h, TaskKind.ResultCenterApproval, actors.centerReviewer),
  [TaskKind.ResultDepartmentApproval]: (h) => approve(h, TaskKind.ResultDepartmentApproval, actors.departmentApprover),
  [TaskKind.CertificatePrint]: (h) => approve(h, TaskKind.CertificatePrint, actors.departmentApprover),
  [TaskKind.CertificateHandover]: (h) => approve(h, TaskKind.CertificateHandover, actors.stationClerk),
};

/** A station's own people, as the walkthroughs of a new station name them. */
export interface StationPeople {
  clerk: Actor;
  reviewer: Actor;
  examiner: Actor;
}

/**
 * The steps a station's own people take, for driveTo: its reviewer reviews the application and sums up the results,
 * its examiner scores and reviews the whole, its clerk hands the certificate over. The center's and the department's
 * steps stay the default ones.
 */
export function stationSteps(
  people: StationPeople,
  scores: { knowledge: number; skills: number },
): Partial<typeof DEFAULT_STEP> {
  return {
    [TaskKind.StationReview]: (c) => approve(c, TaskKind.StationReview, people.reviewer),
    [TaskKind.ExamScores]: (c) => score(c, TaskKind.ExamScores, scores, people.examiner),
    [TaskKind.ComprehensiveReview]: (c) => approve(c, TaskKind.ComprehensiveReview, people.examiner),
    [TaskKind.ResultStationSummary]: (c) => approve(c, TaskKind.ResultStationSummary, people.reviewer),
    [TaskKind.CertificateHandover]: (c) => approve(c, TaskKind.CertificateHandover, people.clerk),
  };
}

/**
 * Decides every step the default way until a task of `target` is open (and returns it), or, without a target, until
 * the case closes (and returns undefined). Fails if the case closes before the target opens. `steps` decides some
 * kinds otherwise: by another station's people, say.
 */
export async function driveTo(
  handle: CaseHandle,
  target?: TaskKind,
  steps: Partial<typeof DEFAULT_STEP> = {},
): Promise<HumanTask | undefined> {
  for (;;) {
    const view = await waitForState(handle, 'an open task or a closed case', (v) => v.closed || v.tasks.some(isOpen));
    if (view.closed) {
      if (target) throw new Error(`the case closed (${view.stage}) before a ${target} task opened`);
      return undefined;
    }
    const task = view.tasks.find(isOpen)!;
    if (task.kind === target) return task;
    await (steps[task.kind] ?? DEFAULT_STEP[task.kind])(handle, view);
  }
}

const isOpen = (task: HumanTask) => task.status === TaskStatus.Open;

/**
 * Every notice about one case, oldest first, as the notification log holds it, in English (the tests that read the
 * Chinese text ask for `subject_zh` and `body_zh`).
 */
export async function noticesFor(h: Harness, applicationNumber: string) {
  return h.deps.db
    .selectFrom('notifications')
    .select((eb) => [
      'key',
      'kind',
      'recipient',
      eb.fn.coalesce('subject_en', 'subject').as('subject'),
      eb.fn.coalesce('body_en', 'body').as('body'),
      'subject as subject_zh',
      'body as body_zh',
      'link',
    ])
    .where('application_number', '=', applicationNumber)
    .orderBy('id')
    .execute();
}

export type Notice = Awaited<ReturnType<typeof noticesFor>>[number];

/** The notices about one task, recognised by the task line of their body. */
export const aboutTask = (notices: Notice[], task: HumanTask) =>
  notices.filter((notice) => notice.body.includes(`Task: ${task.id} (`));

/** The candidate's notices, by kind in the order sent. */
export const candidateNotices = (notices: Notice[]) =>
  notices.filter((notice) => notice.recipient === 'candidate').map((notice) => notice.kind);

/** Waits until the case's notices satisfy `check`; the notify activity may still be running after a skip. */
export const waitForNotices = (h: Harness, applicationNumber: string, what: string, check: (n: Notice[]) => boolean) =>
  eventually(what, async () => {
    const notices = await noticesFor(h, applicationNumber);
    return check(notices) ? notices : undefined;
  });

/**
 * Asserts that an update was refused by its validator with this refusal type and either what it says (the Message in
 * `details[0]`: its key, and those of its values given) or an English failure message matching a pattern.
 */
export async function refused(
  t: ExecutionContext,
  update: Promise<unknown>,
  type: RefusalType,
  expected: RegExp | Message,
): Promise<void> {
  const error = await t.throwsAsync(update, { instanceOf: WorkflowUpdateFailedError });
  const cause = error?.cause;
  if (!(cause instanceof ApplicationFailure)) {
    t.fail(`expected an ApplicationFailure as the cause, got ${String(cause)}`);
    return;
  }
  t.is(cause.type, type);
  if (expected instanceof RegExp) t.regex(cause.message, expected);
  else t.like(cause.details?.[0], expected, cause.message);
}

/**
 * Asserts that an update was refused for several fields at once: it says how many, and what is wrong with each, as
 * the Messages (their keys, and those of their values given) of exactly these fields.
 */
export async function fieldsRefused(
  t: ExecutionContext,
  update: Promise<unknown>,
  fields: Record<string, Message>,
): Promise<void> {
  await refused(t, update, RefusalType.InvalidInput, {
    key: 'refusals:fields.invalid',
    values: { count: Object.keys(fields).length },
  });
  const error = await update.then(
    () => undefined,
    (failed: unknown) => failed,
  );
  const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
  const said = cause instanceof ApplicationFailure ? (cause.details?.[1] as Record<string, Message>) : undefined;
  t.deepEqual(Object.keys(said ?? {}), Object.keys(fields));
  t.like(said, fields);
}

/** The server's clock, which `skip` moves. */
export const serverNow = async (h: Harness): Promise<number> => h.env.currentTimeMs();

/** Moves workflow time to `at` (plus `byMs`), never backwards. */
export async function skipTo(h: Harness, at: Date | number, byMs = 0): Promise<void> {
  const wait = new Date(at).getTime() + byMs - (await serverNow(h));
  if (wait > 0) await h.skip(wait);
}
