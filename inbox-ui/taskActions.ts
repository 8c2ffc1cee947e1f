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
  workflowIdFor,
} from '../workflows/definitions';
import { actorOf, maySeeCase, maySeeTask } from './auth/access';
import { HttpError } from './temporalErrors';
import { fieldErrors, optionalNumber, optionalText, text } from './validation';

export const TASK_ACTIONS = [
  'claim',
  'release',
  'reassign',
  'approve',
  'reject',
  'return',
  'scores',
  'disqualify',
] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

export const isTaskAction = (name: string): name is TaskAction => (TASK_ACTIONS as readonly string[]).includes(name);

/** What the person sees after acting: past tense, for the flash message and the API's `message`. */
export const ACTION_DONE: Record<TaskAction, string> = {
  claim: 'Claimed',
  release: 'Released',
  reassign: 'Reassigned',
  approve: 'Approved',
  reject: 'Rejected',
  return: 'Returned',
  scores: 'Recorded the scores of',
  disqualify: 'Disqualified the candidate of',
};

const REASONED = { reject: 'a rejection', return: 'a return', disqualify: 'a disqualification' } as const;

export interface TaskRef {
  applicationNumber: string;
  taskId: string;
}

export interface ActionDeps {
  client: Client;
  db: Db;
}

/** The case, if this user may see it; otherwise a 404 that does not say whether it exists. */
export async function visibleCase(client: Client, user: User, applicationNumber: string): Promise<CaseView> {
  const hidden = new HttpError(404, `No case ${applicationNumber} that you can see.`);
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

export function visibleTask(user: User, view: CaseView, taskId: string): HumanTask {
  const task = view.tasks.find((candidate) => candidate.id === taskId);
  if (!task || !maySeeTask(user, task)) {
    throw new HttpError(404, `Case ${view.applicationNumber} has no task ${taskId} that you can see.`);
  }
  return task;
}

export async function performTaskAction(
  { client, db }: ActionDeps,
  user: User,
  ref: TaskRef,
  action: TaskAction,
  body: unknown,
  t: TFunction,
): Promise<CaseView> {
  const view = await visibleCase(client, user, ref.applicationNumber);
  const task = visibleTask(user, view, ref.taskId);
  const actor = actorOf(user);
  const send = await commandFor(db, action, body, { taskId: task.id, actor }, task, t);
  const updated = await send(client.workflow.getHandle(workflowIdFor(ref.applicationNumber)));
  await projectCase(db, updated);
  return updated;
}

/** Writes the case's rows as the update left them (see the module comment). */
export async function projectCase(db: Db, view: CaseView): Promise<void> {
  const version = view.history.length;
  await projectTasks(db, taskRowsFromCase(view, version));
  await updateCaseStage(db, view, version);
}

type Send = (handle: ReturnType<Client['workflow']['getHandle']>) => Promise<CaseView>;

const update =
  <Arg>(definition: UpdateDefinition<CaseView, [Arg]>, arg: Arg): Send =>
  (handle) =>
    handle.executeUpdate(definition, { args: [arg] });

async function commandFor(
  db: Db,
  action: TaskAction,
  body: unknown,
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
      const assignee = text(body, 'assignee', errors, { max: 100 });
      errors.throwIfAny();
      const members = await membersOf(db, task.candidateGroup);
      if (!members.some((member) => member.id === assignee)) {
        errors.add('assignee', `${assignee} is not a member of ${task.candidateGroup}, which handles this task`);
      }
      errors.throwIfAny();
      return update(reassignTask, { ...base, assignee: assignee! });
    }
    case 'approve': {
      const comment = optionalText(body, 'comment', errors, 2000);
      errors.throwIfAny();
      return update(approveTask, { ...base, comment });
    }
    case 'reject':
    case 'return':
    case 'disqualify': {
      const reason = text(body, 'reason', errors, { max: 2000 });
      errors.throwIfAny(`Say why: ${REASONED[action]} needs a reason.`);
      const definition = { reject: rejectTask, return: returnTask, disqualify: disqualifyCandidate }[action];
      return update(definition, { ...base, reason: reason! });
    }
    case 'scores': {
      const knowledge = optionalNumber(body, 'knowledge', errors, { min: 0, max: 100 });
      const skills = optionalNumber(body, 'skills', errors, { min: 0, max: 100 });
      const comment = optionalText(body, 'comment', errors, 2000);
      if (knowledge === undefined && skills === undefined && Object.keys(errors.messages).length === 0) {
        errors.add('knowledge', 'enter at least one score');
      }
      errors.throwIfAny();
      return update(submitScores, { ...base, knowledge, skills, comment });
    }
  }
}

/** The people a task may be reassigned to: the members of its candidate group. */
export async function membersOf(db: Db, group: string): Promise<User[]> {
  return (await listUsers(db)).filter((user) => user.roles.includes(group));
}
