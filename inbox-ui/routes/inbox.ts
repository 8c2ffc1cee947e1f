/**
 * The inbox: my tasks and the tasks my groups may claim, filtered, searched and sorted, a page at a time (first,
 * previous, next), with the count of each view and of the tasks that match; and bulk approval and bulk claim with a
 * result per item. The page and GET /api/tasks share one query reader and one list.
 *
 * An open page learns of new tasks without a reload: its script (inbox-ui/assets/inbox.js) asks GET
 * /api/tasks/changes every half minute or so whether the reader's view has gained or lost a task since the page was
 * read, and offers to show the new list. Without JavaScript the page is the same page, reloaded by hand.
 */
import { Router } from 'express';
import type { TFunction } from 'i18next';
import type { AppDeps } from '../app';
import { logOf } from '../requestLog';
import type { Logger } from '../../runtime/log';
import { type Language, translator } from '../../i18n';
import { Level, LEVELS } from '../../domain/levels';
import { maskName } from '../../domain/masking';
import {
  DEFAULT_CATALOGUE,
  findOccupation,
  matchingOccupations,
  occupationName,
  type OccupationCatalogue,
} from '../../domain/occupations';
import { candidatesOf } from '../../records/caseIndex';
import type { Db } from '../../records/database';
import type { User } from '../../records/directory';
import {
  countTasks,
  holderNames,
  openTasksAssignedTo,
  openTasksForGroups,
  readViews,
  returnsOf,
  type TaskCursor,
  type TaskFilters,
  type TaskPage,
  type TaskRow,
  type ViewState,
} from '../../records/tasks';
import { Decision, TaskKind, workflowIdFor } from '../../workflows/definitions';
import { sessionWorkflowIdFor } from '../../workflows/sessionDefinitions';
import { TASK_RULES } from '../../workflows/taskRules';
import { requireUser, userOf } from '../auth/session';
import { DUE_STATES, dueRange, dueStateOf } from '../dueState';
import { type Flash, setFlash, takeFlash } from '../flash';
import { savedViewsModel } from './savedViews';
import { dueStateLabel, sessionStageLabel, sessionTaskLabel, stageLabel, stageOptions, taskLabel } from '../labels';
import { languageOf, tOf } from '../language';
import { HttpError, httpAnswerFor } from '../temporalErrors';
import { performTaskAction, type TaskRef } from '../taskActions';
import { readJson, readQuery } from '../contract/read';
import {
  BULK_BODIES,
  type BulkBody,
  ChangesQuery,
  INBOX_SORTS,
  InboxQueryFields,
  type InboxView,
  PAGE_SIZE,
} from '../contract/inbox';
import { fieldErrors, type FieldErrors } from '../validation';

/** In the order the page offers them: the widest first. */
const VIEW_ORDER: readonly InboxView[] = ['all', 'claimable', 'mine'];
const BULK_ACTIONS = ['approve', 'claim'] as const;
type BulkAction = (typeof BULK_ACTIONS)[number];

/**
 * The list's query as contract/inbox.ts reads it, its cursors decoded: `occupation` is part of an occupation's Chinese
 * or English name (or its code), every occupation that matches; `q` the search box, an application number's start or
 * a candidate's name or ID number.
 */
export type InboxQuery = Omit<InboxQueryFields, 'after' | 'before'> & { after?: TaskCursor; before?: TaskCursor };

/**
 * A page of the list, the count of tasks matching its filters, and the count and change number of each view
 * (unfiltered), read before the list: a task arriving in between is then offered again as news, never missed.
 */
export interface InboxList extends ViewState {
  page: TaskPage;
  total: number;
}

export function inboxRouter(deps: AppDeps): Router {
  // The list's queries, timed for /metrics (inbox-ui/metrics.ts).
  const timed = <T>(run: () => Promise<T>): Promise<T> => deps.metrics?.timeInboxQuery(run) ?? run();
  const router = Router();
  const now = deps.now ?? (() => new Date());
  const catalogue = deps.catalogue ?? DEFAULT_CATALOGUE;

  router.get('/inbox', requireUser, async (req, res) => {
    const user = userOf(res);
    const t = tOf(res);
    const errors = fieldErrors(t);
    const query = readInboxQuery(req.query, errors);
    const invalid = Object.keys(errors.messages).length > 0;
    const at = now();
    const list = invalid ? undefined : await timed(() => inboxList(deps.db, user, query, at, catalogue));
    const { counts, changes } = list ?? (await viewState(deps.db, user));
    // The menu's count (inbox-ui/taskCount.ts leaves this page to count it with its views).
    res.locals.taskCount = counts.all;
    const tasks = list ? await taskItems(deps.db, list.page.tasks, user, at, t, languageOf(res), catalogue) : [];
    const words = pageWords(languageOf(res));
    const flash = await takeFlash(req, res);
    const currentQuery = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '';
    res.status(invalid ? 422 : 200).render('inbox', {
      title: t('inbox:title'),
      query,
      errors: errors.messages,
      flash,
      savedViews: await savedViewsModel(deps.db, user, currentQuery, t, flash),
      tasks,
      total: list?.total ?? 0,
      selectable: tasks.some((task) => task.selectable),
      // Print tasks on the page: their certificates can be downloaded together (routes/printing.ts).
      printable: tasks.some((task) => task.kind === TaskKind.CertificatePrint && task.selectable),
      pages: list && pageLinks(query, list.page),
      views: VIEW_ORDER.map((view) => ({
        label: words.views[view],
        count: counts[view],
        link: inboxLink(query, { view, after: undefined, before: undefined }),
        selected: view === query.view,
      })),
      sortBy: Object.fromEntries(
        INBOX_SORTS.map((sort) => [
          sort,
          { link: inboxLink(query, { sort, after: undefined, before: undefined }), selected: sort === query.sort },
        ]),
      ),
      words: words.row,
      keep: keptParams(query),
      clear: filtering(query) && inboxLink(query, { ...NO_FILTERS, after: undefined, before: undefined }),
      dueStates: words.dueStates.map((option) => ({ ...option, selected: option.value === query.due })),
      stages: words.stages.map((option) => ({ ...option, selected: option.value === query.stage })),
      levels: words.levels.map((option) => ({ ...option, selected: option.value === query.level })),
      changesLink: changesLink({ counts, changes }, query.view),
    });
  });

  // What an open inbox page polls: whether the reader's view gained or lost tasks since its token, and every view's
  // count (the menu's among them). Read from the reader's own counters only, so it tells nothing of other groups.
  router.get('/api/tasks/changes', requireUser, async (req, res) => {
    const t = tOf(res);
    const { view, since } = readQuery(ChangesQuery, req.query, t, t('inbox:invalid'));
    const state = await viewState(deps.db, userOf(res));
    const token = changeToken(state, view);
    const changed = since !== undefined && token !== since.token;
    // New tasks net of those that left: a count that fell or stayed says only that the list changed.
    const newTasks = since ? Math.max(0, state.counts[view] - since.count) : 0;
    res.json({
      view,
      token,
      changed,
      newTasks: changed ? newTasks : 0,
      counts: state.counts,
      message: changed ? news(t, newTasks) : null,
    });
  });

  router.get('/api/tasks', requireUser, async (req, res) => {
    const t = tOf(res);
    const errors = fieldErrors(t);
    const query = readInboxQuery(req.query, errors);
    errors.throwIfAny(t('inbox:invalid'));
    const user = userOf(res);
    const at = now();
    const { page, total, counts } = await timed(() => inboxList(deps.db, user, query, at, catalogue));
    res.json({
      tasks: await taskItems(deps.db, page.tasks, user, at, t, languageOf(res), catalogue),
      next: page.next && encodeCursor(page.next),
      previous: page.previous && encodeCursor(page.previous),
      total,
      counts,
    });
  });

  for (const action of BULK_ACTIONS) {
    // Post, redirect, get: the results wait in the flash (kept server-side, bound to this browser, read once) for
    // the results page, so reloading that page never posts the form again.
    router.post(`/inbox/bulk-${action}`, requireUser, async (req, res) => {
      const words = bulkWords(tOf(res), action);
      const refs = readRefs(req.body?.tasks);
      const back = backTo(req.get('referer'));
      if (refs.length === 0) {
        await setFlash(res, req, { kind: 'error', message: words.noneChosen });
        return res.redirect(303, back);
      }
      const results = await bulk(deps, userOf(res), refs, action, req.body?.comment, tOf(res), logOf(res));
      const done = results.filter((result) => result.ok).length;
      const items: BulkLine[] = results.map(({ ok, message, applicationNumber, taskId }) => ({
        ok,
        text: ok ? words.done : words.refused(message),
        applicationNumber,
        taskId,
      }));
      await setFlash(res, req, {
        kind: done === results.length ? 'ok' : 'error',
        message: words.summary(done, results.length),
        items,
        about: `bulk-${action}`,
      });
      res.redirect(303, `/inbox/bulk-results?${new URLSearchParams({ back })}`);
    });

    router.post(`/api/tasks/bulk-${action}`, requireUser, async (req, res) => {
      const t = tOf(res);
      const { tasks, comment } = readJson(BULK_BODIES[action], req.body, t) as BulkBody;
      res.json({ results: await bulk(deps, userOf(res), tasks, action, comment, t, logOf(res)) });
    });
  }

  router.get('/inbox/bulk-results', requireUser, async (req, res) => {
    const t = tOf(res);
    const back = inboxPath(req.query.back);
    const flash = await takeFlash(req, res);
    const lines = bulkLinesOf(flash);
    // Shown once: a reload (or a link kept) finds the inbox instead, and nothing is posted again.
    if (!flash || !lines) return res.redirect(303, back);
    res.render('bulkResults', {
      title: flash.about === 'bulk-claim' ? t('inbox:results.claimTitle') : t('inbox:results.approveTitle'),
      flash,
      results: lines.map((line) => ({
        ...line,
        taskLabel: taskLabel(t, line.taskId.replace(/-\d+$/, '')),
        link: `/tasks/${encodeURIComponent(line.applicationNumber)}/${encodeURIComponent(line.taskId)}`,
      })),
      back,
    });
  });
  return router;
}

/**
 * The words every inbox page repeats (its options, its views, what each row may say), per language: the catalogues
 * are read once, so they are looked up once rather than on every page (a lookup costs microseconds, a page hundreds).
 */
const pageWords = once((language) => {
  const t = translator(language as Language);
  return {
    views: { all: t('inbox:views.all'), claimable: t('inbox:views.claimable'), mine: t('inbox:views.mine') },
    row: {
      escalated: t('inbox:row.escalated'),
      normal: t('inbox:row.normal'),
      returned: t('inbox:row.returned'),
      nobody: t('inbox:row.nobody'),
    },
    stages: stageOptions(t).map(({ value, label }) => ({ value, label })),
    dueStates: DUE_STATES.map((state) => ({ value: state, label: dueStateLabel(t, state) })),
    levels: [...LEVELS].reverse().map((level) => ({ value: level, label: levelLabel(t, level) })),
  };
});

function levelLabel(t: TFunction, level: number): string {
  switch (level) {
    case Level.Primary:
      return t('inbox:level.5');
    case Level.Intermediate:
      return t('inbox:level.4');
    case Level.Advanced:
      return t('inbox:level.3');
    case Level.Technician:
      return t('inbox:level.2');
    case Level.SeniorTechnician:
      return t('inbox:level.1');
    default:
      return String(level);
  }
}

/**
 * The list's query, as the page's filter form and GET /api/tasks send it, read through contract/inbox.ts: what is
 * refused is added to `errors`, field by field, and the rest still read (the page shows the filters it understood).
 * Then what the schema cannot say: a cursor is only one this inbox gave out, and `after` and `before` exclude each
 * other.
 */
export function readInboxQuery(source: unknown, errors: FieldErrors): InboxQuery {
  const { after, before, ...fields } = readFields(source, errors);
  const cursors = { after: decodedCursor(after, 'after', errors), before: decodedCursor(before, 'before', errors) };
  if (cursors.after && cursors.before) errors.add('before', errors.t('inbox:errors.bothCursors'));
  return { ...fields, ...cursors };
}

function readFields(source: unknown, errors: FieldErrors): InboxQueryFields {
  try {
    return readQuery(InboxQueryFields, source, errors.t);
  } catch (error) {
    if (!(error instanceof HttpError) || error.status !== 422) throw error;
    const refused = new Set<string>();
    for (const [field, message] of Object.entries(error.fields ?? {})) {
      errors.add(field, message);
      refused.add(field.split('.')[0]);
    }
    const rest = Object.entries(source as Record<string, unknown>).filter(([name]) => !refused.has(name));
    return readQuery(InboxQueryFields, Object.fromEntries(rest), errors.t);
  }
}

function decodedCursor(
  text: string | undefined,
  name: 'after' | 'before',
  errors: FieldErrors,
): TaskCursor | undefined {
  const cursor = text === undefined ? undefined : decodeCursor(text);
  if (text !== undefined && !cursor) errors.add(name, errors.t('inbox:errors.cursor'));
  return cursor;
}

/** Each view's count and change number, in one statement over the open-task counters (records/tasks.ts readViews). */
export const viewState = (db: Db, user: User): Promise<ViewState> =>
  readViews(db, { groups: user.roles, assignee: user.id });

/**
 * Where a view stood: its change number and its count (`<changes>-<count>`). The change number moves with every task
 * that enters or leaves the view; the count tells how many more there are.
 */
const changeToken = ({ counts, changes }: ViewState, view: InboxView): string => `${changes[view]}-${counts[view]}`;

/** What the page polls to learn whether its view has changed since it was read. */
const changesLink = (state: ViewState, view: InboxView): string =>
  `/api/tasks/changes?${new URLSearchParams({ view, since: changeToken(state, view) })}`;

/** What the page says of a change: how many new tasks, or that tasks went (or moved) only. */
const news = (t: TFunction, newTasks: number): string =>
  newTasks > 0 ? t('inbox:live.newTasks', { count: newTasks }) : t('inbox:live.changed');

export async function inboxList(
  db: Db,
  user: User,
  query: InboxQuery,
  now: Date,
  catalogue: OccupationCatalogue = DEFAULT_CATALOGUE,
): Promise<InboxList> {
  const filters: TaskFilters = {
    stage: query.stage,
    level: query.level,
    ...(query.occupation !== undefined && {
      occupations: matchingOccupations(query.occupation, catalogue).map((occupation) => occupation.code),
    }),
    ...(query.due ? dueRange(query.due, now) : {}),
    // Names and ID numbers too: the list holds only tasks the reader works on through their groups (or holds), and
    // access.ts lets whoever works on one of a case's tasks see its candidate. So the search finds no one the reader
    // may not see; a station's user searching another station's candidate finds nothing, as the list shows nothing.
    ...(query.q !== undefined && { search: { text: query.q, persons: true } }),
  };
  // First, so that the list is never older than the counts' change numbers (see InboxList).
  const { counts, changes } = await viewState(db, user);
  // "mine" is the person's own tasks, whatever their groups; the other views read the groups' ranges.
  const mine = query.view === 'mine';
  const listed = { ...filters, ...(query.view === 'claimable' && { unclaimed: true }) };
  const window = { sort: query.sort, limit: query.limit, after: query.after, before: query.before };
  const page = mine
    ? await openTasksAssignedTo(db, { ...window, assignee: user.id, filters })
    : await openTasksForGroups(db, { ...window, groups: user.roles, filters: listed });
  const total = filtering(query)
    ? await countTasks(db, mine ? { assignee: user.id, filters } : { groups: user.roles, filters: listed })
    : counts[query.view];
  return { page, total, counts, changes };
}

/**
 * The rows as the list shows them, labels and links ready, with what the projection does not hold: the candidate
 * (from the case index), whether a return opened the task again and why, and the holder's name. Three small reads by
 * key for the page's rows, whatever the backlog.
 *
 * The candidate is masked for everyone, on the page and in the API: a list puts many people on one screen (and into
 * API clients' logs and caches), and the masked name beside the case number is enough to tell rows apart. The task
 * page shows the person in full to whoever access.ts lets see them. The name is joined from the case index rather
 * than copied into the projection, which keeps the projection free of personal data (the workflow's records activity
 * is never given the candidate either).
 */
async function taskItems(
  db: Db,
  rows: TaskRow[],
  user: User,
  now: Date,
  t: TFunction,
  language: Language,
  catalogue: OccupationCatalogue,
) {
  const isSession = (row: TaskRow) => row.workflow_id === sessionWorkflowIdFor(row.application_number);
  const cases = rows.filter((row) => !isSession(row)).map((row) => row.application_number);
  const candidates = cases.length ? await candidatesOf(db, [...new Set(cases)]) : new Map();
  const returns = await returnsOf(db, rows);
  const holders = await holderNames(
    db,
    rows.flatMap((row) => row.assignee ?? []),
  );
  // A page repeats a few kinds, stages and occupations: each label is looked up once (a lookup costs microseconds).
  const label = {
    kind: once((kind) => taskLabel(t, kind)),
    sessionKind: once((kind) => sessionTaskLabel(t, kind)),
    stage: once((stage) => stageLabel(t, stage)),
    sessionStage: once((stage) => sessionStageLabel(t, stage)),
    due: once((state) => dueStateLabel(t, state)),
    level: once((level) => levelLabel(t, Number(level))),
    occupation: once((code) => {
      const occupation = findOccupation(code, catalogue);
      return occupation ? occupationName(occupation, language) : code;
    }),
  };
  return rows.map((row) => {
    const dueState = dueStateOf(row.due_at, now);
    const rule = TASK_RULES[row.kind as TaskKind];
    // An appraisal session's task: its id stands where a case's number would, and it is worked on the session's page.
    const session = isSession(row);
    const name: string | null | undefined = candidates.get(row.application_number)?.name;
    const returned = returns.get(`${row.workflow_id}/${row.task_id}`);
    // A hand-over records who received the certificate, which one comment for many tasks cannot say.
    const bulkApprovable =
      !!rule?.decisions.includes(Decision.Approve) &&
      row.kind !== TaskKind.CertificateHandover &&
      (!row.assignee || row.assignee === user.id);
    const claimable = !session && !row.assignee;
    return {
      applicationNumber: row.application_number,
      taskId: row.task_id,
      kind: row.kind,
      kindLabel: session ? label.sessionKind(row.kind) : label.kind(row.kind),
      stage: row.stage,
      stageLabel: session ? label.sessionStage(row.stage) : label.stage(row.stage),
      candidate: name ? maskName(name) : null,
      occupation: row.occupation,
      occupationName: label.occupation(row.occupation),
      level: row.level,
      levelLabel: label.level(String(row.level)),
      candidateGroup: row.candidate_group,
      assignee: row.assignee,
      assigneeName: row.assignee ? (holders.get(row.assignee) ?? row.assignee) : null,
      escalated: row.escalated === 1,
      returned: !!returned,
      returnReason: returned?.reason ?? null,
      createdAt: row.created_at,
      dueAt: row.due_at,
      dueState,
      dueStateLabel: label.due(dueState),
      link: session
        ? `/sessions/${encodeURIComponent(row.application_number)}`
        : `/tasks/${encodeURIComponent(row.application_number)}/${encodeURIComponent(row.task_id)}`,
      /** Approvable from the list: the task accepts a plain approval and nobody else holds it. */
      bulkApprovable,
      /** Claimable from the list: a case's task that nobody holds. */
      claimable,
      selectable: bulkApprovable || claimable,
    };
  });
}

/** A function of a key, worked out once per key. */
function once<T>(work: (key: string) => T): (key: string) => T {
  const known = new Map<string, T>();
  return (key) => {
    if (!known.has(key)) known.set(key, work(key));
    return known.get(key)!;
  };
}

// ---- Bulk actions ----

export interface BulkResult extends TaskRef {
  ok: boolean;
  status: number;
  message: string;
}

/** A line of the results page, as the flash carries it across the redirect. */
interface BulkLine {
  ok: boolean;
  text: string;
  applicationNumber: string;
  taskId: string;
}

function bulkWords(t: TFunction, action: BulkAction) {
  if (action === 'claim') {
    return {
      noneChosen: t('inbox:results.noneChosenClaim'),
      done: t('inbox:results.claimedItem'),
      refused: (reason: string) => t('inbox:results.notClaimed', { reason }),
      summary: (done: number, count: number) => t('inbox:results.claimed', { done, count }),
      api: t('inbox:api.claimed'),
    };
  }
  return {
    noneChosen: t('inbox:results.noneChosenApprove'),
    done: t('inbox:results.approvedItem'),
    refused: (reason: string) => t('inbox:results.notApproved', { reason }),
    summary: (done: number, count: number) => t('inbox:results.approved', { done, count }),
    api: t('inbox:api.approved'),
  };
}

/** One by one, each its own update: one refusal does not stop the rest, and each item says what happened to it. */
async function bulk(
  deps: AppDeps,
  user: User,
  refs: TaskRef[],
  action: BulkAction,
  comment: unknown,
  t: TFunction,
  log: Logger,
): Promise<BulkResult[]> {
  const results: BulkResult[] = [];
  const done = bulkWords(t, action).api;
  for (const ref of refs) {
    try {
      await performTaskAction(
        deps,
        user,
        ref,
        action,
        { body: action === 'approve' ? { comment } : {}, read: readJson },
        t,
      );
      results.push({ ...ref, ok: true, status: 200, message: done });
    } catch (error) {
      const { status, message } = await httpAnswerFor(error, t, deps.db);
      if (status >= 500)
        log.error({ err: error, workflowId: workflowIdFor(ref.applicationNumber) }, 'bulk action failed');
      results.push({ ...ref, ok: false, status, message });
    }
  }
  return results;
}

/** The flash's lines, if it is a bulk action's (the flash may be another page's, or one from before an upgrade). */
function bulkLinesOf(flash: Flash | undefined): BulkLine[] | undefined {
  const lines = flash?.items as Partial<BulkLine>[] | undefined;
  if (!Array.isArray(lines) || !flash?.about?.startsWith('bulk-')) return undefined;
  const whole = (line: Partial<BulkLine>): line is BulkLine =>
    typeof line.ok === 'boolean' &&
    typeof line.text === 'string' &&
    typeof line.applicationNumber === 'string' &&
    typeof line.taskId === 'string';
  return lines.every(whole) ? lines : undefined;
}

/** Checkbox values `<number>/<task id>`, one or many. */
export function readRefs(raw: unknown): TaskRef[] {
  const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return values.flatMap((value) => {
    const [applicationNumber, taskId, ...rest] = typeof value === 'string' ? value.split('/') : [];
    return applicationNumber && taskId && rest.length === 0 ? [{ applicationNumber, taskId }] : [];
  });
}

// ---- Links ----

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

/** The query as a link's parameters, defaults left out: what a link keeps when it changes one thing. */
function paramsOf(query: InboxQuery): Record<string, string | undefined> {
  return {
    view: query.view === 'all' ? undefined : query.view,
    stage: query.stage,
    occupation: query.occupation,
    level: query.level?.toString(),
    due: query.due,
    q: query.q,
    sort: query.sort === 'due' ? undefined : query.sort,
    limit: query.limit === PAGE_SIZE ? undefined : String(query.limit),
    after: query.after && encodeCursor(query.after),
    before: query.before && encodeCursor(query.before),
  };
}

function inboxLink(query: InboxQuery, change: Partial<InboxQuery>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(paramsOf({ ...query, ...change }))) if (value) params.set(name, value);
  const search = params.toString();
  return search ? `/inbox?${search}` : '/inbox';
}

const NO_FILTERS = { stage: undefined, occupation: undefined, level: undefined, due: undefined, q: undefined };

/** Whether the list is narrowed by a filter or a search (its total then differs from its view's count). */
const filtering = (query: InboxQuery): boolean =>
  Object.keys(NO_FILTERS).some((name) => query[name as keyof typeof NO_FILTERS] !== undefined);

/** What the filter form carries along unseen, so that applying filters keeps the view, the order and the page size. */
function keptParams(query: InboxQuery): { name: string; value: string }[] {
  const { view, sort, limit } = paramsOf(query);
  return Object.entries({ view, sort, limit }).flatMap(([name, value]) => (value ? [{ name, value }] : []));
}

function pageLinks(query: InboxQuery, page: TaskPage) {
  const fresh = { after: undefined, before: undefined };
  return {
    first: page.previous || query.after ? inboxLink(query, fresh) : undefined,
    previous: page.previous && inboxLink(query, { ...fresh, before: page.previous }),
    next: page.next && inboxLink(query, { ...fresh, after: page.next }),
  };
}

/** Back to the inbox page the form was on, filters kept; never to another site. */
export function backTo(referer: string | undefined): string {
  if (!referer) return '/inbox';
  try {
    const url = new URL(referer);
    return inboxPath(`${url.pathname}${url.search}`);
  } catch {
    return '/inbox';
  }
}

/** A path of the inbox list itself ('/inbox', '/inbox?…'), or the inbox. */
const inboxPath = (value: unknown): string =>
  typeof value === 'string' && /^\/inbox(\?|$)/.test(value) ? value : '/inbox';
