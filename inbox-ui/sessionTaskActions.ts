/**
 * An action on one of a session's tasks (claim, release, approve, return, reject), shared by the session's page and
 * its API. A claim's row goes into the task projection at once, not only when the session's records activity writes
 * it: a deactivation (routes/accounts.ts) marks the account and then releases what the projection shows the person
 * holding, and this writes the claim and then reads the mark. Each side writes before it reads the other's write, so a
 * claim in flight at the moment of a deactivation is released by one of the two, as a case's is (taskActions.ts).
 */
import type { Client } from '@temporalio/client';
import type { TFunction } from 'i18next';
import type { Db } from '../records/database';
import { projectTasks, taskRowsFromSession } from '../records/tasks';
import { updateSession } from '../runtime/sessions';
import type { UpdateDefinition } from '@temporalio/common';
import {
  claimSessionTask,
  releaseSessionTask,
  type SessionTaskDecision,
  type SessionView,
} from '../workflows/sessionDefinitions';
import { holderLeftError } from './taskActions';

export async function performSessionTaskAction(
  { client, db }: { client: Client; db: Db },
  sessionId: string,
  update: UpdateDefinition<SessionView, [SessionTaskDecision]>,
  decision: SessionTaskDecision,
  t: TFunction,
): Promise<SessionView> {
  const view = await updateSession(client, sessionId, update, decision);
  const task = view.tasks.find((candidate) => candidate.id === decision.taskId);
  if ((update as unknown) !== claimSessionTask || !task?.assignee) return view;
  // The same rows, with the same version, the records activity writes after this update.
  await projectTasks(db, taskRowsFromSession(view, [task], view.history.length));
  const left = await holderLeftError(db, task, t);
  if (!left) return view;
  const released = await updateSession(client, sessionId, releaseSessionTask, {
    taskId: task.id,
    actor: decision.actor,
  });
  const after = released.tasks.filter((candidate) => candidate.id === task.id);
  await projectTasks(db, taskRowsFromSession(released, after, released.history.length));
  throw left;
}
