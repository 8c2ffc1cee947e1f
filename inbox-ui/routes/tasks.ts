/**
 * A task's page (the case file first, then the task, its deadline and the form its kind needs) and every action on
 * it, as form posts and as JSON. A form post is always answered with a redirect (post, redirect, get): to the page the
 * person goes on from, with what happened in the flash; a refusal back to the task, with what they typed.
 */
import { type Request, type Response, Router } from 'express';
import type { TFunction } from 'i18next';
import type { AppDeps } from '../app';
import { logOf } from '../requestLog';
import type { User } from '../../records/directory';
import { type CaseView, Decision, type HumanTask, TaskKind, TaskStatus } from '../../workflows/definitions';
import { TASK_RULES } from '../../workflows/taskRules';
import { isAdministrator, maySeePersonalData } from '../auth/access';
import { requireUser, userOf } from '../auth/session';
import { caseFileModel, taskModel as taskView } from '../caseModel';
import { type Directory, directoryOf } from '../names';
import { dueStateOf } from '../dueState';
import { type Flash, setFlash, takeFlash, typedFields } from '../flash';
import { commentThread } from './comments';
import { dueStateLabel, taskLabel } from '../labels';
import { localPath, tOf } from '../language';
import { actionDone, isTaskAction, membersOf, performTaskAction, visibleCase, visibleTask } from '../taskActions';
import { withRemovalShown } from '../personalDataRemoved';
import { HttpError, httpAnswerFor } from '../temporalErrors';
import { caseShown, type Purpose } from '../personalDataShown';
import { certificatePdfPath } from './cases';
import { readJson } from '../contract/read';

/** The fields of the task forms worth keeping when a form is refused (never the CSRF token). */
const FORM_FIELDS = ['comment', 'reason', 'knowledge', 'skills', 'assignee', 'receivedBy'];

export function tasksRouter(deps: AppDeps): Router {
  const router = Router();
  const now = deps.now ?? (() => new Date());

  // The task is the reason the log gives for showing its candidate, when it is the reader's.
  const taskPage = async (user: User, params: Request['params'], t: TFunction, purpose: Purpose) => {
    const raw = await withRemovalShown(deps.db, await visibleCase(deps.client, user, String(params.number), t));
    const task = visibleTask(user, raw, String(params.taskId), t);
    return { raw, view: await caseShown(deps, user, raw, purpose, task), task };
  };

  router.get('/tasks/:number/:taskId', requireUser, async (req, res) => {
    const user = userOf(res);
    const t = tOf(res);
    const { raw, view, task } = await taskPage(user, req.params, t, 'task-page');
    const flash = await takeFlash(req, res);
    // A refused form of this task comes back as it was sent: which form, what was typed, each field's message.
    const [about, action] = flash?.kind === 'error' ? (flash.about?.split('/') ?? []) : [];
    const refused = about === task.id ? flash : undefined;
    const model = await taskModel(deps, user, view, task, now(), t);
    // A form the page no longer offers (someone else claimed the task meanwhile) cannot show what was typed into it:
    // the page shows the text by itself, to copy.
    const offered = isTaskAction(action ?? '') && model.actions[action as keyof typeof model.actions];
    const kept =
      refused && !offered ? [refused.typed?.comment, refused.typed?.reason].find((text) => text?.trim()) : '';
    res.render('task', {
      title: t('case:task.title', { task: taskLabel(t, task.kind), number: view.applicationNumber }),
      notice: flash,
      errors: refused?.fields ?? {},
      typed: refused ? { action, ...refused.typed } : {},
      kept,
      ...model,
      thread: await commentThread(deps.db, view.applicationNumber, flash),
      certificatePdf:
        task.kind === TaskKind.CertificatePrint &&
        !raw.personalDataRemoved &&
        maySeePersonalData(user, raw) &&
        certificatePdfPath(raw),
    });
  });

  router.get('/api/cases/:number/tasks/:taskId', requireUser, async (req, res) => {
    const t = tOf(res);
    const { view, task } = await taskPage(userOf(res), req.params, t, 'task-api');
    res.json({ task, case: view });
  });

  router.post('/tasks/:number/:taskId/:action', requireUser, async (req, res) => {
    const { number, taskId, action } = req.params as Record<string, string>;
    const t = tOf(res);
    if (!isTaskAction(action)) throw new HttpError(404, t('case:errors.noAction', { action }));
    const user = userOf(res);
    const page = `/tasks/${encodeURIComponent(number)}/${encodeURIComponent(taskId)}`;
    try {
      const view = await performTaskAction(
        deps,
        user,
        { applicationNumber: number, taskId },
        action,
        { body: req.body },
        t,
      );
      const task = view.tasks.find((candidate) => candidate.id === taskId);
      await setFlash(res, req, { kind: 'ok', message: await doneMessage(deps, t, action, view, task) });
      // Claiming leads on to deciding; everything else is done with this task, so back to the list (or to the page the
      // form was on, such as the team view a supervisor reassigns from).
      res.redirect(
        303,
        action === 'claim' && task?.status === TaskStatus.Open ? page : localPath(req.body?.back, '/inbox'),
      );
    } catch (error) {
      const { status, message, fields } = await httpAnswerFor(error, t, deps.db);
      // A task that is not there (or not theirs to see) has no page to go back to: the error page says so.
      if (status === 404) throw error;
      if (status >= 500) return keepWhatWasTyped(res, error, req.body, t);
      const refused: Flash = { kind: 'error', message, about: `${taskId}/${action}`, fields };
      await setFlash(res, req, { ...refused, typed: typedFields(req.body, FORM_FIELDS) });
      res.redirect(303, page);
    }
  });

  router.post('/api/cases/:number/tasks/:taskId/:action', requireUser, async (req, res) => {
    const { number, taskId, action } = req.params as Record<string, string>;
    const t = tOf(res);
    if (!isTaskAction(action)) throw new HttpError(404, t('case:errors.noAction', { action }));
    const user = userOf(res);
    const ref = { applicationNumber: number, taskId };
    const updated = await performTaskAction(deps, user, ref, action, { body: req.body, read: readJson }, t);
    const decided = updated.tasks.find((candidate) => candidate.id === taskId);
    const view = await caseShown(deps, user, updated, 'decision-api', decided);
    const task = view.tasks.find((candidate) => candidate.id === taskId);
    res.json({ message: await doneMessage(deps, t, action, view, task), task, case: view });
  });
  return router;
}

async function doneMessage(
  deps: AppDeps,
  t: TFunction,
  action: Parameters<typeof actionDone>[1],
  view: CaseView,
  task: HumanTask | undefined,
): Promise<string> {
  const assignee = action === 'reassign' ? (await directoryOf(deps.db, t)).person(task?.assignee) : undefined;
  return actionDone(t, action, {
    applicationNumber: view.applicationNumber,
    task: task ? taskLabel(t, task.kind) : '',
    assignee,
  });
}

/**
 * Temporal (or the database) failed under a decision: nothing was decided, and the task page cannot be drawn again
 * either, so there is nowhere to redirect to. The error page then shows the comment or reason the person wrote, so it
 * is not lost with the failed request.
 */
function keepWhatWasTyped(res: Response, error: unknown, body: unknown, t: TFunction): void {
  logOf(res).error({ err: error }, 'decision failed');
  const typed = body as Record<string, unknown> | undefined;
  const text = [typed?.comment, typed?.reason].find((value) => typeof value === 'string' && value.trim());
  res.status(503).render('error', {
    title: t('case:notDecided.title'),
    message: t('case:notDecided.message'),
    kept: text,
  });
}

/** What the task page needs: the case file, the task, and which forms to offer this user. */
async function taskModel(deps: AppDeps, user: User, view: CaseView, task: HumanTask, now: Date, t: TFunction) {
  const directory: Directory = await directoryOf(deps.db, t);
  const rule = TASK_RULES[task.kind];
  const open = task.status === TaskStatus.Open;
  const mine = task.assignee === user.id;
  const heldByOther = !!task.assignee && !mine;
  const member =
    user.roles.includes(task.candidateGroup) || (task.escalated && user.roles.includes(task.supervisingGroup));
  const canDecide = open && member && !heldByOther;
  // As the workflow judges it (caseFile.ts supervises): the supervising group, or an administrator.
  const supervises = user.roles.includes(task.supervisingGroup) || isAdministrator(user);
  const decisions = new Set(rule.decisions);
  const dueState = dueStateOf(task.dueAt, now);
  // Someone else of the group: reassigning to whoever holds the task already would change nothing.
  const members =
    open && supervises
      ? (await membersOf(deps.db, task.candidateGroup))
          .filter((member) => member.id !== task.assignee)
          .map((member) => ({ id: member.id, name: member.name }))
      : [];
  return {
    ...caseFileModel(view, t, directory),
    task: {
      ...taskView(t, directory, task),
      dueState,
      dueStateLabel: dueStateLabel(t, dueState),
      open,
    },
    actions: {
      claim: open && member && !task.assignee,
      release: open && (mine || (supervises && !!task.assignee)),
      reassign: open && supervises,
      approve: canDecide && decisions.has(Decision.Approve),
      reject: canDecide && decisions.has(Decision.Reject),
      return: canDecide && decisions.has(Decision.Return),
      scores: canDecide && decisions.has(Decision.Scores),
      disqualify: canDecide && decisions.has(Decision.Disqualify),
    },
    heldByOther,
    members,
    // "You may reassign it" only when there is someone to reassign it to.
    reassignable: open && supervises && members.length > 0,
    basePath: `/tasks/${encodeURIComponent(view.applicationNumber)}/${encodeURIComponent(task.id)}`,
    form: formKindOf(task),
    isPrint: task.kind === TaskKind.CertificatePrint,
  };
}

/** Which form the task page shows: the words on the buttons differ by kind. */
function formKindOf(task: HumanTask): string {
  switch (task.kind) {
    case 'exam-scores':
    case 'resit-scores':
      return 'scores';
    case 'training-completion':
      return 'training';
    case 'comprehensive-review':
      return 'comprehensive';
    case 'certificate-print':
      return 'print';
    case 'certificate-handover':
      return 'handover';
    default:
      return 'decision';
  }
}
