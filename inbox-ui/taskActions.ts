/**
 * Every action on a task, shared by the task page's forms, the JSON API and bulk approval: read the request into a
 * command (or a 422 per field), check the user may see the task, send the workflow's update (whose validator has the
 * final word on who may act), then write the case's new task rows to the projection at once, so the list the person
 * returns to already shows their decision. The workflow's own records activity writes the same rows at the same
 * version moments later; the version guard makes the second write a no-op.
 */
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import type { TFunction } from 'i18next';
import type { UpdateDefinition } from '@temporalio/common';
import { isDeactivated } from '../records/accounts';
import { updateCaseStage } from '../records/caseIndex';
import type { Db } from '../records/database';
import { listUsers, type User } from '../records/directory';
import { projectTasks, taskRowsFromCase } from '../records/tasks';
import {
  type Actor,
  approveTask,
  type CaseView,
  claimTask,
  disqualifyCandidate,
  getState,
  type HumanTask,
  reassignTask,
  rejectTask,
  releaseTask,
  returnTask,
  submitScores,
  TaskKind,
  workflowIdFor,
} from '../workflows/definitions';
import { actorOf, maySeeCase, maySeeTask } from './auth/access';
import { HttpError } from './temporalErrors';
import { directoryOf } from './names';
import { readForm, type readJson } from './contract/read';
import { TASK_ACTION_BODIES, type TaskAction, type TaskActionBody } from './contract/tasks';
import { fieldErrors } from './validation';

export { isTaskAction, TASK_ACTIONS, type TaskAction } from './contract/tasks';

/**
 * What the person sees after acting, for the flash message and the API's `message`: the task by its label, the case by
 * its number, and for a reassignment the person who holds it now.
 */
export function actionDone(
  t: TFunction,
  action: TaskAction,
  { applicationNumber, task, assignee }: { applicationNumber: string; task: string; assignee?: string },
): string {
  return t(`case:done.${action}`, { task, number: applicationNumber, person: assignee ?? '' });
}

export interface TaskRef {
  applicationNumber: string;
  taskId: string;
}

export interface ActionDeps {
  client: Client;
  db: Db;
}

/** The case, if this user may see it; otherwise a 404 that does not say whether it exists. */
export async function visibleCase(
  client: Client,
  user: User,
  applicationNumber: string,
  t: TFunction,
): Promise<CaseView> {
  const hidden = new HttpError(404, t('case:errors.noCase', { number: applicationNumber }));
  const view = await client.workflow
    .getHandle(workflowIdFor(applicationNumber))
    .query(getState)
    .catch((error: unknown) => {
      // A case that does not exist answers like one of another station, or the answer would tell which numbers exist.
      throw error instanceof WorkflowNotFoundError ? hidden : error;
    });
  if (!maySeeCase(user, view.application)) throw hidden;
  return view;
}

export function visibleTask(user: User, view: CaseView, taskId: string, t: TFunction): HumanTask {
  const task = view.tasks.find((candidate) => candidate.id === taskId);
  if (!task || !maySeeTask(user, task)) {
    throw new HttpError(404, t('case:errors.noTask', { number: view.applicationNumber, taskId }));
  }
  return task;
}

export async function performTaskAction(
  { client, db }: ActionDeps,
  user: User,
  ref: TaskRef,
  action: TaskAction,
  request: ActionRequest,
  t: TFunction,
): Promise<CaseView> {
  const view = await visibleCase(client, user, ref.applicationNumber, t);
  const task = visibleTask(user, view, ref.taskId, t);
  const actor = actorOf(user);
  // Read once the task is known to be visible, so a refusal of the body says nothing about a case one may not see.
  const summary = ['reject', 'return', 'disqualify'].includes(action) ? t(`case:reasonNeeded.${action}`) : undefined;
  const body = (request.read ?? readForm)(TASK_ACTION_BODIES[action], request.body, t, summary);
  const send = await commandFor(db, action, body, { taskId: task.id, actor }, task, t);
  const handle = client.workflow.getHandle(workflowIdFor(ref.applicationNumber));
  const updated = await send(handle);
  await projectCase(db, updated);
  if (action === 'claim' || action === 'reassign')
    await unlessHolderLeft(db, handle, updated, { taskId: task.id, actor }, t);
  return updated;
}

/**
 * A claim or a reassignment that reached the workflow after its new holder's account was deactivated goes back to the
 * group at once. Deactivating (routes/accounts.ts) marks the account and then releases what the projection shows the
 * person holding; this writes the claim to the projection and then reads the mark. Each side writes before it reads
 * the other's write, so a claim in flight at the moment of a deactivation is released by one of the two, never left
 * with someone who cannot act on it. The holder's own release, or the reassigning supervisor's, is one the workflow
 * accepts.
 */
async function unlessHolderLeft(
  db: Db,
  handle: ReturnType<Client['workflow']['getHandle']>,
  updated: CaseView,
  command: { taskId: string; actor: Actor },
  t: TFunction,
): Promise<void> {
  const task = updated.tasks.find((candidate) => candidate.id === command.taskId);
  const left = task && (await holderLeftError(db, task, t));
  if (!left) return;
  await projectCase(db, await handle.executeUpdate(releaseTask, { args: [command] }));
  throw left;
}

/**
 * The refusal for a claim whose holder's account is deactivated (409, naming the person and the group), or nothing
 * while the holder may still act; for a case's task and a session's alike (sessionTaskActions.ts).
 */
export async function holderLeftError(
  db: Db,
  task: { assignee?: string; candidateGroup: string },
  t: TFunction,
): Promise<HttpError | undefined> {
  if (!task.assignee || !(await isDeactivated(db, task.assignee))) return undefined;
  const directory = await directoryOf(db, t);
  return new HttpError(
    409,
    t('case:errors.holderLeft', {
      person: directory.person(task.assignee),
      group: directory.group(task.candidateGroup),
    }),
  );
}

/** Writes the case's rows as the update left them (see the module comment). */
export async function projectCase(db: Db, view: CaseView): Promise<void> {
  const version = view.history.length;
  await projectTasks(db, taskRowsFromCase(view, version));
  await updateCaseStage(db, view, version);
}

/**
 * An action's body and how to read it: as a form (text read as the schema's numbers) or as JSON (held to the schema's
 * types, as the API document states them). See contract/read.ts.
 */
export interface ActionRequest {
  body: unknown;
  read?: typeof readJson;
}

type Send = (handle: ReturnType<Client['workflow']['getHandle']>) => Promise<CaseView>;

const update =
  <Arg>(definition: UpdateDefinition<CaseView, [Arg]>, arg: Arg): Send =>
  (handle) =>
    handle.executeUpdate(definition, { args: [arg] });

async function commandFor(
  db: Db,
  action: TaskAction,
  body: TaskActionBody<TaskAction>,
  base: { taskId: string; actor: Actor },
  task: HumanTask,
  t: TFunction,
): Promise<Send> {
  const errors = fieldErrors(t);
  switch (action) {
    case 'claim':
      return update(claimTask, base);
    case 'release':
      return update(releaseTask, base);
    case 'reassign': {
      const { assignee } = body as TaskActionBody<'reassign'>;
      const directory = await directoryOf(db, t);
      const members = await membersOf(db, task.candidateGroup);
      // Checked here as well as by the workflow, so the refusal names people and sits at the field.
      if (assignee === task.assignee) {
        errors.add('assignee', t('case:reassign.alreadyHolds', { person: directory.person(assignee) }));
      } else if (!members.some((member) => member.id === assignee)) {
        const group = directory.group(task.candidateGroup);
        errors.add('assignee', t('case:reassign.notMember', { person: directory.person(assignee), group }));
      }
      errors.throwIfAny();
      return update(reassignTask, { ...base, assignee });
    }
    case 'approve': {
      const { comment, receivedBy } = body as TaskActionBody<'approve'>;
      // A certificate is handed to someone: the register says to whom (the holder, or the person they sent).
      const handover = task.kind === TaskKind.CertificateHandover;
      if (handover && !receivedBy) errors.add('receivedBy', t('common:validation.required'));
      errors.throwIfAny();
      return update(approveTask, { ...base, comment, ...(handover && { receivedBy }) });
    }
    case 'reject':
    case 'return':
    case 'disqualify': {
      const { reason } = body as TaskActionBody<typeof action>;
      const definition = { reject: rejectTask, return: returnTask, disqualify: disqualifyCandidate }[action];
      return update(definition, { ...base, reason });
    }
    case 'scores': {
      const { knowledge, skills, comment } = body as TaskActionBody<'scores'>;
      if (knowledge === undefined && skills === undefined) errors.add('knowledge', t('case:scores.atLeastOne'));
      errors.throwIfAny();
      return update(submitScores, { ...base, knowledge, skills, comment });
    }
  }
}

/** The people a task may be reassigned to: the members of its candidate group. */
export async function membersOf(db: Db, group: string): Promise<User[]> {
  return (await listUsers(db)).filter((user) => user.roles.includes(group));
}
