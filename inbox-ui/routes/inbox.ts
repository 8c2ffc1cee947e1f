/**
 * The inbox: my tasks and the tasks my groups may claim, filtered and sorted, a page at a time, from the task
 * projection; and bulk approval with a result per item. The page and GET /api/tasks share one query reader.
 */
import { Router } from 'express';
import type { AppDeps } from '../app';
import { LEVELS } from '../../domain/levels';
import type { User } from '../../records/directory';
import {
  openTasksAssignedTo,
  openTasksForGroups,
  type TaskCursor,
  type TaskFilters,
  type TaskPage,
  type TaskRow,
  type TaskSort,
} from '../../records/tasks';
import { Decision, Stage, TaskKind } from '../../workflows/definitions';
import { sessionWorkflowIdFor } from '../../workflows/sessionDefinitions';
import { TASK_RULES } from '../../workflows/taskRules';
import { requireUser, userOf } from '../auth/session';
import { DUE_STATES, type DueState, dueRange, dueStateOf } from '../dueState';
import type { TFunction } from 'i18next';
import { dueStateLabel, sessionStageLabel, sessionTaskLabel, stageLabel, stageOptions, taskLabel } from '../labels';
import { tOf } from '../language';
import { httpStatusFor } from '../temporalErrors';
import { performTaskAction, type TaskRef } from '../taskActions';
import { fieldErrors, optionalChoice, optionalInteger, optionalText, type FieldErrors } from '../validation';
import { takeFlash } from '../flash';

const INBOX_VIEWS = ['mine', 'claimable', 'all'] as const;
type InboxView = (typeof INBOX_VIEWS)[number];
const SORTS: readonly TaskSort[] = ['due', 'created', 'priority'];
const PAGE_SIZE = 25;

export interface InboxQuery {
  view: InboxView;
  sort: TaskSort;
  due?: DueState;
  stage?: string;
  occupation?: string;
  level?: number;
  limit: number;
  after?: TaskCursor;
}

export function inboxRouter(deps: AppDeps): Router {
  const router = Router();
  const now = deps.now ?? (() => new Date());

  router.get('/inbox', requireUser, async (req, res) => {
    const user = userOf(res);
    const errors = fieldErrors(tOf(res));
    const query = readInboxQuery(req.query, errors);
    const invalid = Object.keys(errors.messages).length > 0;
    const at = now();
    const page = invalid ? { tasks: [] } : await inboxPage(deps, user, query, at);
    res.status(invalid ? 422 : 200).render('inbox', {
      title: 'Inbox',
      query,
      errors: errors.messages,
      flash: await takeFlash(req, res),
      tasks: page.tasks.map((row) => taskItem(row, user, at, tOf(res))),
      next: page.next && nextLink(req.query, page.next),
      views: INBOX_VIEWS.map((view) => ({ value: view, label: VIEW_LABELS[view], selected: view === query.view })),
      sorts: SORTS.map((sort) => ({ value: sort, label: SORT_LABELS[sort], selected: sort === query.sort })),
      dueStates: DUE_STATES.map((state) => ({
        value: state,
        label: dueStateLabel(tOf(res), state),
        selected: state === query.due,
      })),
      stages: stageOptions(tOf(res), query.stage),
      levels: [...LEVELS].reverse().map((level) => ({ value: level, selected: level === query.level })),
    });
  });

  router.get('/api/tasks', requireUser, async (req, res) => {
    const errors = fieldErrors(tOf(res));
    const query = readInboxQuery(req.query, errors);
    errors.throwIfAny('Some filters are not valid.');
    const user = userOf(res);
    const at = now();
    const page = await inboxPage(deps, user, query, at);
    res.json({
      tasks: page.tasks.map((row) => taskItem(row, user, at, tOf(res))),
      next: page.next && encodeCursor(page.next),
    });
  });

  // Renders the results instead of redirecting: a line per task, which would not fit in a flash cookie. Posting the
  // same form again is harmless: the tasks already approved answer that they are closed.
  router.post('/inbox/bulk-approve', requireUser, async (req, res) => {
    const refs = readRefs(req.body?.tasks);
    const results = refs.length ? await bulkApprove(deps, userOf(res), refs, req.body?.comment, tOf(res)) : [];
    res.status(refs.length ? 200 : 422).render('bulkResults', {
      title: 'Bulk approval',
      results,
      approved: results.filter((result) => result.ok).length,
      error: refs.length ? undefined : 'Choose at least one task to approve.',
      back: backTo(req.get('referer')),
    });
  });

  router.post('/api/tasks/bulk-approve', requireUser, async (req, res) => {
    const errors = fieldErrors(tOf(res));
    const items: unknown = req.body?.tasks;
    if (!Array.isArray(items) || items.length === 0 || items.length > 100) {
      errors.add('tasks', 'must be a list of 1 to 100 { applicationNumber, taskId }');
    }
    const refs = Array.isArray(items) ? items.flatMap((item, i) => refOf(item, i, errors)) : [];
    errors.throwIfAny();
    res.json({ results: await bulkApprove(deps, userOf(res), refs, req.body?.comment, tOf(res)) });
  });
  return router;
}

const VIEW_LABELS: Record<InboxView, string> = {
  mine: 'Claimed by me',
  claimable: 'Unclaimed in my groups',
  all: 'All of my groups',
};
const SORT_LABELS: Record<TaskSort, string> = { due: 'Due date', created: 'Created date', priority: 'Priority' };

export function readInboxQuery(source: unknown, errors: FieldErrors): InboxQuery {
  const view = optionalChoice(source, 'view', INBOX_VIEWS, errors) ?? 'all';
  const sort = optionalChoice(source, 'sort', SORTS, errors) ?? 'due';
  const due = optionalChoice(source, 'due', DUE_STATES, errors);
  const stage = optionalChoice(source, 'stage', Object.values(Stage), errors);
  const occupation = optionalText(source, 'occupation', errors, 100);
  const level = optionalInteger(source, 'level', errors, { min: 1, max: 5 });
  const limit = optionalInteger(source, 'limit', errors, { min: 1, max: 100 }) ?? PAGE_SIZE;
  const afterText = optionalText(source, 'after', errors, 500);
  const after = afterText === undefined ? undefined : decodeCursor(afterText);
  if (afterText !== undefined && !after) errors.add('after', 'is not a cursor this inbox gave out');
  return { view, sort, due, stage, occupation, level, limit, after };
}

export async function inboxPage(deps: AppDeps, user: User, query: InboxQuery, now: Date): Promise<TaskPage> {
  const filters: TaskFilters = {
    stage: query.stage,
    occupation: query.occupation,
    level: query.level,
    ...(query.due ? dueRange(query.due, now) : {}),
  };
  const common = { sort: query.sort, limit: query.limit, after: query.after, filters };
  if (query.view === 'mine') return openTasksAssignedTo(deps.db, { ...common, assignee: user.id });
  return openTasksForGroups(deps.db, {
    ...common,
    groups: user.roles,
    filters: { ...filters, unclaimed: query.view === 'claimable' },
  });
}

/** A row as the inbox shows it: no personal data (the projection has none), labels and links ready. */
function taskItem(row: TaskRow, user: User, now: Date, t: TFunction) {
  const dueState = dueStateOf(row.due_at, now);
  const rule = TASK_RULES[row.kind as TaskKind];
  // An appraisal session's task: its id stands where a case's number would, and it is worked on the session's page.
  const session = row.workflow_id === sessionWorkflowIdFor(row.application_number);
  return {
    applicationNumber: row.application_number,
    taskId: row.task_id,
    kind: row.kind,
    kindLabel: session ? sessionTaskLabel(t, row.kind) : taskLabel(t, row.kind),
    stage: row.stage,
    stageLabel: session ? sessionStageLabel(t, row.stage) : stageLabel(t, row.stage),
    occupation: row.occupation,
    level: row.level,
    candidateGroup: row.candidate_group,
    assignee: row.assignee,
    escalated: row.escalated === 1,
    createdAt: row.created_at,
    dueAt: row.due_at,
    dueState,
    dueStateLabel: dueStateLabel(t, dueState),
    link: session
      ? `/sessions/${encodeURIComponent(row.application_number)}`
      : `/tasks/${encodeURIComponent(row.application_number)}/${encodeURIComponent(row.task_id)}`,
    /** Approvable from the list: the task accepts a plain approval and nobody else holds it. */
    bulkApprovable: !!rule?.decisions.includes(Decision.Approve) && (!row.assignee || row.assignee === user.id),
  };
}

export interface BulkResult extends TaskRef {
  ok: boolean;
  status: number;
  message: string;
}

/** One by one, each its own update: one refusal does not stop the rest, and each item says what happened to it. */
async function bulkApprove(
  deps: AppDeps,
  user: User,
  refs: TaskRef[],
  comment: unknown,
  t: TFunction,
): Promise<BulkResult[]> {
  const results: BulkResult[] = [];
  for (const ref of refs) {
    try {
      await performTaskAction(deps, user, ref, 'approve', { comment }, t);
      results.push({ ...ref, ok: true, status: 200, message: 'approved' });
    } catch (error) {
      const { status, message } = httpStatusFor(error);
      if (status >= 500) console.error(error);
      results.push({ ...ref, ok: false, status, message });
    }
  }
  return results;
}

function refOf(item: unknown, i: number, errors: FieldErrors): TaskRef[] {
  const { applicationNumber, taskId } = (item ?? {}) as Record<string, unknown>;
  if (typeof applicationNumber !== 'string' || typeof taskId !== 'string' || !applicationNumber || !taskId) {
    errors.add(`tasks.${i}`, 'must be { applicationNumber, taskId }');
    return [];
  }
  return [{ applicationNumber, taskId }];
}

/** Checkbox values `<number>/<task id>`, one or many. */
function readRefs(raw: unknown): TaskRef[] {
  const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return values.flatMap((value) => {
    const [applicationNumber, taskId, ...rest] = typeof value === 'string' ? value.split('/') : [];
    return applicationNumber && taskId && rest.length === 0 ? [{ applicationNumber, taskId }] : [];
  });
}

const encodeCursor = (cursor: TaskCursor): string => Buffer.from(JSON.stringify(cursor)).toString('base64url');

function decodeCursor(text: string): TaskCursor | undefined {
  try {
    const cursor = JSON.parse(Buffer.from(text, 'base64url').toString()) as TaskCursor;
    const ok =
      typeof cursor.at === 'string' &&
      typeof cursor.workflowId === 'string' &&
      typeof cursor.taskId === 'string' &&
      (cursor.priority === undefined || typeof cursor.priority === 'number');
    return ok ? cursor : undefined;
  } catch {
    return undefined;
  }
}

function nextLink(query: Record<string, unknown>, cursor: TaskCursor): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (typeof value === 'string' && key !== 'after') params.set(key, value);
  params.set('after', encodeCursor(cursor));
  return `/inbox?${params}`;
}

/** Back to the inbox page the form was on, filters kept; never to another site. */
function backTo(referer: string | undefined): string {
  if (!referer) return '/inbox';
  try {
    const url = new URL(referer);
    return url.pathname === '/inbox' ? `${url.pathname}${url.search}` : '/inbox';
  } catch {
    return '/inbox';
  }
}
