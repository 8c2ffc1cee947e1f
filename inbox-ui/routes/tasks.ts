/**
 * A task's page (the case file, the eligibility explanation, scores, earlier decisions, the deadline and the form its
 * kind needs) and every action on it, as form posts and as JSON.
 */
import { type Response, Router } from 'express';
import type { AppDeps } from '../app';
import type { User } from '../../records/directory';
import { type CaseView, Decision, type HumanTask, TaskStatus } from '../../workflows/definitions';
import { TASK_RULES } from '../../workflows/taskRules';
import { caseFor, isAdministrator } from '../auth/access';
import { requireUser, userOf } from '../auth/session';
import { dueStateOf } from '../dueState';
import { setFlash, takeFlash } from '../flash';
import { dueStateLabel, taskLabel } from '../labels';
import { ACTION_DONE, isTaskAction, membersOf, performTaskAction, visibleCase, visibleTask } from '../taskActions';
import type { TFunction } from 'i18next';
import { tOf } from '../language';
import { HttpError, httpStatusFor } from '../temporalErrors';
import { caseFileModel } from '../caseModel';

export function tasksRouter(deps: AppDeps): Router {
  const router = Router();
  const now = deps.now ?? (() => new Date());

  const taskPage = async (user: User, applicationNumber: string, taskId: string) => {
    const raw = await visibleCase(deps.client, user, applicationNumber);
    const task = visibleTask(user, raw, taskId);
    return { view: caseFor(user, raw), task };
  };

  router.get('/tasks/:number/:taskId', requireUser, async (req, res) => {
    const user = userOf(res);
    const { view, task } = await taskPage(user, String(req.params.number), String(req.params.taskId));
    res.render('task', {
      title: `${taskLabel(tOf(res), task.kind)} · case ${view.applicationNumber}`,
      flash: await takeFlash(req, res),
      ...(await taskModel(deps, user, view, task, now(), tOf(res))),
    });
  });

  router.get('/api/cases/:number/tasks/:taskId', requireUser, async (req, res) => {
    const { view, task } = await taskPage(userOf(res), String(req.params.number), String(req.params.taskId));
    res.json({ task, case: view });
  });

  // A refused form comes back with what was typed and each field's message; the workflow's refusals as a sentence.
  router.post('/tasks/:number/:taskId/:action', requireUser, async (req, res) => {
    const { number, taskId, action } = req.params as Record<string, string>;
    if (!isTaskAction(action)) throw new HttpError(404, `There is no "${action}" action on a task.`);
    const user = userOf(res);
    try {
      const view = await performTaskAction(
        deps,
        user,
        { applicationNumber: number, taskId },
        action,
        req.body,
        tOf(res),
      );
      await setFlash(res, req, { kind: 'ok', message: `${ACTION_DONE[action]} ${taskId} of case ${number}.` });
      const task = view.tasks.find((candidate) => candidate.id === taskId);
      // Claiming leads on to deciding; everything else is done with this task, so back to the list.
      res.redirect(
        303,
        action === 'claim' && task?.status === TaskStatus.Open
          ? `/tasks/${encodeURIComponent(number)}/${encodeURIComponent(taskId)}`
          : '/inbox',
      );
    } catch (error) {
      const { status, message, fields } = httpStatusFor(error);
      // A missing task goes to the error page; a refusal shows the form again, as typed.
      if (status === 404) throw error;
      if (status >= 500) return keepWhatWasTyped(res, error, req.body);
      const { view, task } = await taskPage(user, number, taskId);
      res.status(status).render('task', {
        title: `${taskLabel(tOf(res), task.kind)} · case ${view.applicationNumber}`,
        flash: { kind: 'error', message },
        errors: fields ?? {},
        typed: { action, ...(req.body as object) },
        ...(await taskModel(deps, user, view, task, now(), tOf(res))),
      });
    }
  });

  router.post('/api/cases/:number/tasks/:taskId/:action', requireUser, async (req, res) => {
    const { number, taskId, action } = req.params as Record<string, string>;
    if (!isTaskAction(action)) throw new HttpError(404, `There is no "${action}" action on a task.`);
    const user = userOf(res);
    const view = caseFor(
      user,
      await performTaskAction(deps, user, { applicationNumber: number, taskId }, action, req.body, tOf(res)),
    );
    res.json({
      message: `${ACTION_DONE[action]} ${taskId} of case ${number}.`,
      task: view.tasks.find((candidate) => candidate.id === taskId),
      case: view,
    });
  });
  return router;
}

/**
 * Temporal (or the database) failed under a decision: nothing was decided, and the page cannot be drawn again either.
 * The error page then shows the comment or reason the person wrote, so it is not lost with the failed request.
 */
function keepWhatWasTyped(res: Response, error: unknown, body: unknown): void {
  console.error(error);
  const typed = body as Record<string, unknown> | undefined;
  const text = [typed?.comment, typed?.reason].find((value) => typeof value === 'string' && value.trim());
  res.status(503).render('error', {
    title: 'Not decided',
    message: 'The decision could not be recorded just now; nothing was changed. Try again in a moment.',
    kept: text,
  });
}

/** What the task page needs: the case file, the task, and which forms to offer this user. */
async function taskModel(deps: AppDeps, user: User, view: CaseView, task: HumanTask, now: Date, t: TFunction) {
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
  return {
    ...caseFileModel(view, t),
    task: {
      ...task,
      label: taskLabel(t, task.kind),
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
    members:
      open && supervises
        ? (await membersOf(deps.db, task.candidateGroup)).map((m) => ({ id: m.id, name: m.name }))
        : [],
    basePath: `/tasks/${encodeURIComponent(view.applicationNumber)}/${encodeURIComponent(task.id)}`,
    form: formKindOf(task),
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
    default:
      return 'decision';
  }
}
