/**
 * The open tasks someone holds, handed back to their groups when that person can no longer act on them: their
 * account deactivated (routes/accounts.ts), or a group taken from them (routes/accountDetails.ts). Each task goes back
 * through its own workflow, the administrator acting as the group's supervisor would, and each group's supervisors
 * get one notice, in Chinese and in English, saying which tasks came back and why.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import type { TFunction } from 'i18next';
import type { AppDeps } from './app';
import { type Language, translator } from '../i18n';
import { type HeldOpenTask, openTasksHeldBy } from '../records/accounts';
import { recordGroupNotice } from '../records/outbox';
import type { User } from '../records/directory';
import { updateSession } from '../runtime/sessions';
import { releaseTask } from '../workflows/definitions';
import { releaseSessionTask, sessionWorkflowIdFor } from '../workflows/sessionDefinitions';
import { actorOf } from './auth/access';
import { sessionTaskLabel, taskLabel } from './labels';
import { type Directory, directoryOf } from './names';
import { projectCase } from './taskActions';
import { httpAnswerFor } from './temporalErrors';

export interface HeldTasksDeps {
  db: AppDeps['db'];
  client: AppDeps['client'];
  publicUrl: string;
  emailNotices?: boolean;
}

export interface ReleaseOutcome {
  task: HeldOpenTask;
  error?: string;
  code?: string;
}

/** Why the tasks came back: the notice's words (`<catalogue prefix>.subject`, `.body`) and its key's first part. */
export interface ReleaseCause {
  username: string;
  at: string;
  /** What the notice says, e.g. the deactivation's reason, or words in the notice's language; `{{reason}}` in it. */
  reason: string | ((t: TFunction, directory: Directory) => string);
  /** The catalogue entry of the notice: `admin:accounts.people.notice` for a deactivation. */
  words: string;
  /** The notice's idempotency key begins with this: one notice per cause, group and moment. */
  key: string;
}

/**
 * Hands back every open task `username` holds that `which` picks (all by default), one at a time (each is a workflow
 * update), and tells the supervisors of each group which came back. A task a workflow refused (its case closed
 * meanwhile, say) is kept in words, and the rest go on.
 */
export async function releaseHeldTasks(
  deps: HeldTasksDeps,
  admin: User,
  cause: ReleaseCause,
  t: TFunction,
  which: (task: HeldOpenTask) => boolean = () => true,
): Promise<{ released: ReleaseOutcome[]; notReleased: ReleaseOutcome[] }> {
  const outcomes: ReleaseOutcome[] = [];
  for (const task of (await openTasksHeldBy(deps.db, cause.username)).filter(which)) {
    outcomes.push(await releaseHeld(deps, admin, task, t));
  }
  const released = outcomes.filter((outcome) => outcome.error === undefined);
  await tellSupervisors(deps, cause, released);
  return { released, notReleased: outcomes.filter((outcome) => outcome.error !== undefined) };
}

/** One task back to its group; a refusal is kept in words. */
async function releaseHeld(
  deps: HeldTasksDeps,
  admin: User,
  task: HeldOpenTask,
  t: TFunction,
): Promise<ReleaseOutcome> {
  const command = { taskId: task.taskId, actor: actorOf(admin) };
  try {
    if (isSessionTask(task)) {
      // The session's own records activity writes its rows to the projection.
      await updateSession(deps.client, task.applicationNumber, releaseSessionTask, command);
    } else {
      const view = await deps.client.workflow
        .getHandle(task.workflowId)
        .executeUpdate(releaseTask, { args: [command] });
      await projectCase(deps.db, view);
    }
    return { task };
  } catch (error) {
    // A case that closed completes its workflow, which then answers as if it did not exist.
    if (error instanceof WorkflowNotFoundError) return { task, error: t('admin:accounts.people.caseEnded') };
    const answer = await httpAnswerFor(error, t, deps.db);
    return { task, error: answer.message, ...(answer.code && { code: answer.code }) };
  }
}

const isSessionTask = (task: HeldOpenTask) => task.workflowId === sessionWorkflowIdFor(task.applicationNumber);

/** A held task's label: a case's task kind, or a session's. */
export const labelOf = (t: TFunction, task: HeldOpenTask) =>
  isSessionTask(task) ? sessionTaskLabel(t, task.kind) : taskLabel(t, task.kind);

/** A held task as an API answer names it. */
export const taskRef = (task: HeldOpenTask) => ({
  applicationNumber: task.applicationNumber,
  taskId: task.taskId,
  kind: task.kind,
  group: task.candidateGroup,
});

/** The person as a page names them: their name and user name, or the user name alone when it names nobody. */
export const personNamed = async (db: AppDeps['db'], username: string, t: TFunction) => {
  const person = (await directoryOf(db, t)).person(username);
  return person === username ? username : t('admin:accounts.nameAndUsername', { person, username });
};

/** One notice per group the tasks came back to, to that group's supervisors, in both languages. */
async function tellSupervisors(deps: HeldTasksDeps, cause: ReleaseCause, released: ReleaseOutcome[]): Promise<void> {
  const byGroup = new Map<string, HeldOpenTask[]>();
  for (const { task } of released) {
    byGroup.set(task.candidateGroup, [...(byGroup.get(task.candidateGroup) ?? []), task]);
  }
  const link = `${deps.publicUrl}/inbox/team`;
  for (const [group, tasks] of byGroup) {
    const words = async (language: Language) => {
      const t = translator(language);
      const directory = await directoryOf(deps.db, t);
      const values = {
        person: await personNamed(deps.db, cause.username, t),
        group: directory.group(group),
        reason: typeof cause.reason === 'string' ? cause.reason : cause.reason(t, directory),
        tasks: tasks
          .map((task) =>
            t('admin:accounts.people.noticeTask', { task: labelOf(t, task), number: task.applicationNumber }),
          )
          .join(t('admin:accounts.people.listSeparator')),
        count: tasks.length,
      };
      // The link in the text too, as a case's notice has it: an email has no button.
      const body = [t(`${cause.words}.body`, values), t('notices:line.openIt', { link })].join('\n');
      return { subject: t(`${cause.words}.subject`, values), body };
    };
    await recordGroupNotice(deps.db, {
      key: `${cause.key}:${cause.username}:${cause.at}:${group}`,
      kind: 'tasks-released',
      emailed: deps.emailNotices === true,
      at: cause.at,
      recipient: tasks[0].supervisingGroup,
      zh: await words('zh-CN'),
      en: await words('en'),
      link,
    });
  }
}
