/**
 * The task projection: one row per human task, what the inbox lists. The workflows are the authority; their
 * projection activity writes rows here as tasks open, are claimed, reassigned, escalated and closed, and
 * `npm run projection:rebuild` rewrites them from the workflows' own state.
 *
 * Writes are idempotent by the natural key (workflow_id, task_id) and guarded by the workflow's change counter
 * (`version`): a row is replaced only by a newer version, so a late retry of an older activity changes nothing.
 *
 * The inbox's counts come from counters of open tasks that the database keeps beside the rows (readViews,
 * migrations/0013_open_task_counts.ts); a filtered list still counts its rows.
 */
import { type CompiledQuery, type ExpressionBuilder, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import { type CaseView, Decision, type HumanTask, TaskStatus, workflowIdFor } from '../workflows/definitions';
import {
  RESULT_LEVELS,
  type SessionTask,
  SessionTaskKind,
  type SessionView,
  sessionWorkflowIdFor,
} from '../workflows/sessionDefinitions';
import { TASK_RULES } from '../workflows/taskRules';
import type { Db } from './database';
import { type DialectName, dialectOf } from './dialect';
import type { Database, TaskRowStatus, TaskTable } from './schema';

export type TaskRow = TaskTable;

export type TaskSort = 'due' | 'created' | 'priority';

/** Narrows a page of open tasks; every filter is optional. */
export interface TaskFilters {
  stage?: string;
  /** Any of these occupations (codes); an empty list matches no task. */
  occupations?: readonly string[];
  level?: number;
  /** Due at or after this instant (ISO). */
  dueFrom?: string;
  /** Due before this instant (ISO). */
  dueBefore?: string;
  /** Only tasks nobody has claimed. */
  unclaimed?: boolean;
  search?: TaskSearch;
}

/**
 * What a search box finds, in the case index (records/caseIndex.ts): the tasks of cases whose application number
 * starts with the text and, with `persons`, of cases whose candidate's name starts with it or whose ID number it is
 * (the projection holds no personal data). An appraisal session's tasks have no case, so a search leaves them out.
 */
export interface TaskSearch {
  text: string;
  persons: boolean;
}

/** Where the previous page ended: its last row's sort value and natural key (and rank, in priority order). */
export interface TaskCursor {
  priority?: number;
  at: string;
  workflowId: string;
  taskId: string;
}

export interface TaskPage {
  tasks: TaskRow[];
  /** Set when more tasks follow; pass it back as `after` for the next page. */
  next?: TaskCursor;
  /** Set when tasks come before this page; pass it back as `before` for the previous page. */
  previous?: TaskCursor;
}

/**
 * The case's tasks as projection rows. `version` is the workflow's change counter; by default the length of the case's
 * history, which grows with every change to a task (opened, claimed, released, reassigned, escalated, decided,
 * expired) and with the case's closing, so a later state always carries a larger number.
 */
export function taskRowsFromCase(view: CaseView, version: number = view.history.length): TaskRow[] {
  const workflowId = workflowIdFor(view.applicationNumber);
  const { application } = view;
  return view.tasks.map((task) => ({
    workflow_id: workflowId,
    task_id: task.id,
    application_number: view.applicationNumber,
    kind: task.kind,
    stage: view.stage,
    candidate_group: task.candidateGroup,
    supervising_group: task.supervisingGroup,
    assignee: task.assignee ?? null,
    status: task.status as TaskRowStatus,
    escalated: task.escalated ? 1 : 0,
    level: application.level,
    occupation: application.occupation,
    station_id: application.stationId,
    created_at: task.createdAt,
    due_at: task.dueAt,
    closed_at: closedAt(view, task),
    outcome: task.outcome?.decision ?? null,
    return_reason: returnReasonOf(task),
    version,
    priority: task.escalated ? 0 : 1,
  }));
}

/**
 * An appraisal session's tasks as inbox rows: the session's id stands where a case's number would (its link leads
 * to the session's page), and its first qualification gives the level and occupation the inbox filters on.
 */
export function taskRowsFromSession(
  view: Pick<SessionView, 'sessionId' | 'stationId' | 'stage' | 'plan'>,
  tasks: readonly SessionTask[],
  version: number,
): TaskRow[] {
  const [first] = view.plan.qualifications;
  return tasks.map((task) => ({
    workflow_id: sessionWorkflowIdFor(view.sessionId),
    task_id: task.id,
    application_number: view.sessionId,
    kind: task.kind,
    stage: view.stage,
    candidate_group: task.candidateGroup,
    supervising_group: task.supervisingGroup,
    assignee: task.assignee ?? null,
    status: task.status as TaskRowStatus,
    escalated: task.escalated ? 1 : 0,
    level: first.level,
    occupation: first.occupation,
    station_id: view.stationId,
    created_at: task.createdAt,
    due_at: task.dueAt,
    closed_at: task.status === TaskStatus.Open ? null : (task.outcome?.at ?? task.dueAt),
    outcome: task.outcome?.decision ?? null,
    return_reason: returnReasonOf(task),
    version,
    priority: task.escalated ? 0 : 1,
  }));
}

/** A return carries its reason along, for the inbox to show on the task it reopens (see returnsOf). */
const returnReasonOf = (task: HumanTask | SessionTask): string | null =>
  task.outcome?.decision === Decision.Return ? (task.outcome.comment ?? null) : null;

function closedAt(view: CaseView, task: HumanTask): string | null {
  if (task.status === TaskStatus.Open) return null;
  if (task.outcome) return task.outcome.at;
  // Cancelled: either its window expired, or the case closed around it.
  const expired = view.history.find((event) => event.taskId === task.id && event.type === 'task-expired');
  return expired?.at ?? view.outcome?.at ?? null;
}

// Both dialects cap the parameters of one statement (SQLite 32,766, PostgreSQL 65,535); 21 columns × 500 fits.
const CHUNK = 500;

/**
 * Upserts rows by (workflow_id, task_id) in one transaction. A row replaces the stored one only when its version is
 * greater. Returns how many rows were inserted or replaced.
 */
export async function projectTasks(db: Db, rows: readonly TaskRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    await lockCounters(trx, rows);
    return upsert(trx, rows, false);
  });
}

/**
 * Before a write on PostgreSQL: waits for the other writers of the same groups' open-task counters (see
 * migrations/0013_open_task_counts.ts), taking the locks in the order every writer takes them, so that no two writers
 * wait on each other in a circle. A task's groups never change, so its new row names the counters its old row had;
 * rows about to be deleted (`workflowId`) are read for theirs. Held until the transaction ends. SQLite runs one
 * writer at a time anyway.
 */
async function lockCounters(trx: Db, rows: readonly TaskRow[], workflowId?: string): Promise<void> {
  if (dialectOf(trx) !== 'postgres') return;
  const leaving = workflowId
    ? await trx
        .selectFrom('tasks')
        .select(['candidate_group', 'supervising_group'])
        .distinct()
        .where('workflow_id', '=', workflowId)
        .execute()
    : [];
  const pairs = [...rows, ...leaving].map((row) => `${row.candidate_group}\u001f${row.supervising_group}`);
  await sql`SELECT open_task_counts_lock(${[...new Set(pairs)]}::text[])`.execute(trx);
}

async function upsert(trx: Db, rows: readonly TaskRow[], replaceSameVersion: boolean): Promise<number> {
  let applied = 0;
  const unique = newestPerKey(rows);
  for (let start = 0; start < unique.length; start += CHUNK) {
    const result = await trx
      .insertInto('tasks')
      .values(unique.slice(start, start + CHUNK).map((row) => ({ ...row, return_reason: row.return_reason ?? null })))
      .onConflict((oc) =>
        oc
          .columns(['workflow_id', 'task_id'])
          .doUpdateSet((eb) => ({
            application_number: eb.ref('excluded.application_number'),
            kind: eb.ref('excluded.kind'),
            stage: eb.ref('excluded.stage'),
            candidate_group: eb.ref('excluded.candidate_group'),
            supervising_group: eb.ref('excluded.supervising_group'),
            assignee: eb.ref('excluded.assignee'),
            status: eb.ref('excluded.status'),
            escalated: eb.ref('excluded.escalated'),
            level: eb.ref('excluded.level'),
            occupation: eb.ref('excluded.occupation'),
            station_id: eb.ref('excluded.station_id'),
            created_at: eb.ref('excluded.created_at'),
            due_at: eb.ref('excluded.due_at'),
            closed_at: eb.ref('excluded.closed_at'),
            outcome: eb.ref('excluded.outcome'),
            return_reason: eb.ref('excluded.return_reason'),
            version: eb.ref('excluded.version'),
            priority: eb.ref('excluded.priority'),
          }))
          .where('tasks.version', replaceSameVersion ? '<=' : '<', (eb) => eb.ref('excluded.version')),
      )
      .executeTakeFirst();
    applied += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return applied;
}

/** One statement may not touch a key twice (PostgreSQL refuses); the newest version of each key wins. */
function newestPerKey(rows: readonly TaskRow[]): TaskRow[] {
  const byKey = new Map<string, TaskRow>();
  for (const row of rows) {
    const key = `${row.workflow_id}\u0000${row.task_id}`;
    const seen = byKey.get(key);
    if (!seen || row.version > seen.version) byKey.set(key, row);
  }
  return [...byKey.values()];
}

/**
 * What a rebuild does for one case, in one transaction: writes the case's rows even at an equal version (repairing a
 * row changed behind the projection's back), never over a newer one, and removes the case's rows for tasks the
 * workflow does not have, unless a newer write put them there.
 */
export async function replaceCaseTasks(
  db: Db,
  { workflowId, version, rows }: { workflowId: string; version: number; rows: readonly TaskRow[] },
): Promise<{ written: number; removed: number }> {
  return db.transaction().execute(async (trx) => {
    await lockCounters(trx, rows, workflowId);
    const written = rows.length ? await upsert(trx, rows, true) : 0;
    let remove = trx.deleteFrom('tasks').where('workflow_id', '=', workflowId).where('version', '<=', version);
    if (rows.length) {
      remove = remove.where(
        'task_id',
        'not in',
        rows.map((row) => row.task_id),
      );
    }
    const result = await remove.executeTakeFirst();
    return { written, removed: Number(result.numDeletedRows) };
  });
}

/** Removes a case's rows, for a rebuild that starts over. Returns how many were removed. */
export async function deleteCaseTasks(db: Db, workflowId: string): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await lockCounters(trx, [], workflowId);
    const result = await trx.deleteFrom('tasks').where('workflow_id', '=', workflowId).executeTakeFirst();
    return Number(result.numDeletedRows);
  });
}

export async function tasksOfCase(db: Db, workflowId: string): Promise<TaskRow[]> {
  return db.selectFrom('tasks').selectAll().where('workflow_id', '=', workflowId).orderBy('task_id').execute();
}

/** The workflow ids that have rows, for a rebuild to find cases the workflows no longer know. */
export async function projectedWorkflowIds(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('tasks').select('workflow_id').distinct().execute();
  return rows.map((row) => row.workflow_id);
}

export interface OpenTaskQuery {
  /** The user's groups: tasks whose candidate group is one of them, and escalated tasks they supervise. */
  groups: readonly string[];
  sort: TaskSort;
  limit: number;
  /** The next page: the tasks after this cursor. */
  after?: TaskCursor;
  /** The previous page: the tasks before this cursor. Without either cursor, the first page. */
  before?: TaskCursor;
  filters?: TaskFilters;
}

/**
 * One page of the open tasks a user with these groups may act on, in due (or creation, or priority) order, then by
 * natural key.
 *
 * Each group is its own range of a partial index, read in order and cut at the page size; the page is the first rows
 * of those short runs merged. A single `candidate_group IN (…) ORDER BY due_at` would instead read every open task of
 * every group and sort them, which grows with the backlog. The previous page reads the same ranges backwards.
 */
export async function openTasksForGroups(db: Db, query: OpenTaskQuery): Promise<TaskPage> {
  if (new Set(query.groups).size === 0 || query.limit < 1) return { tasks: [] };
  return paged(query, (window) => openTasksQuery(db, { ...query, ...window }).execute());
}

/** The statement behind openTasksForGroups (one row more than the page, to tell whether another follows). */
export function openTasksQuery(db: Db, query: OpenTaskQuery) {
  const groups = [...new Set(query.groups)];
  if (groups.length === 0) throw new Error('openTasksQuery needs at least one group');
  const take = query.limit + 1;
  const backward = query.before !== undefined;
  const cursor = query.before ?? query.after;
  const [first, ...rest] = visibleRanges(groups, query.filters, dialectOf(db)).map((range) => {
    let run = range(db.selectFrom('tasks').selectAll());
    if (cursor) run = run.where(beyond(query.sort, cursor, backward));
    return db.selectFrom(ordered(run, query.sort, backward).limit(take).as('run')).selectAll();
  });
  const merged = rest.reduce((union, run) => union.unionAll(run), first);
  return ordered(db.selectFrom(merged.as('page')).selectAll(), query.sort, backward).limit(take);
}

/** Open tasks claimed by (or assigned to) one person, by due date (or the given order). */
export async function openTasksAssignedTo(
  db: Db,
  {
    assignee,
    limit,
    after,
    before,
    sort = 'due',
    filters,
  }: {
    assignee: string;
    limit: number;
    after?: TaskCursor;
    before?: TaskCursor;
    sort?: TaskSort;
    filters?: TaskFilters;
  },
): Promise<TaskPage> {
  if (limit < 1) return { tasks: [] };
  return paged({ sort, limit, after, before }, (window) => {
    const backward = window.before !== undefined;
    const cursor = window.before ?? window.after;
    let query = filtered(heldBy(db.selectFrom('tasks').selectAll(), assignee), filters, dialectOf(db));
    if (cursor) query = query.where(beyond(sort, cursor, backward));
    return ordered(query, sort, backward)
      .limit(limit + 1)
      .execute();
  });
}

export interface TaskCount {
  /** The tasks these groups see, as openTasksForGroups lists them… */
  groups?: readonly string[];
  /** …or the tasks this person holds, as openTasksAssignedTo lists them. */
  assignee?: string;
  filters?: TaskFilters;
}

/**
 * How many open tasks a list holds. A whole view (no filter, or only `unclaimed`) is a sum of the open-task counters
 * (see readViews); a filtered list counts its rows (countTaskRows).
 */
export async function countTasks(db: Db, query: TaskCount): Promise<number> {
  const { unclaimed, ...narrowing } = query.filters ?? {};
  if (Object.values(narrowing).some((value) => value !== undefined)) return countTaskRows(db, query);
  const { groups = [], assignee } = query;
  const { counts } = await readViews(db, { groups: assignee === undefined ? groups : [], assignee });
  if (assignee !== undefined) return unclaimed ? 0 : counts.mine;
  return unclaimed ? counts.claimable : counts.all;
}

/**
 * How many open tasks a list holds, counted row by row in one statement: a count per index range (the ranges the
 * page reads), summed. Without filters a range is counted in its index alone; a filter on a column the index lacks
 * reads the range's rows.
 */
export async function countTaskRows(db: Db, { groups, assignee, filters }: TaskCount): Promise<number> {
  const counted = <O>(query: SelectQueryBuilder<Database, 'tasks', O>) =>
    query.select((eb) => eb.fn.countAll<number | string>().as('n'));
  if (assignee !== undefined) {
    const held = filtered(heldBy(db.selectFrom('tasks'), assignee), filters, dialectOf(db));
    const row = await counted(held).executeTakeFirstOrThrow();
    return Number(row.n);
  }
  const unique = [...new Set(groups ?? [])];
  if (unique.length === 0) return 0;
  const [first, ...rest] = visibleRanges(unique, filters, dialectOf(db)).map((range) =>
    counted(range(db.selectFrom('tasks'))),
  );
  const counts = rest.reduce((union, range) => union.unionAll(range), first);
  const row = await db
    .selectFrom(counts.as('counts'))
    .select((eb) => eb.fn.sum<number | string | null>('n').as('total'))
    .executeTakeFirstOrThrow();
  // PostgreSQL counts in bigint and sums in numeric, which pg returns as strings.
  return Number(row.total ?? 0);
}

export interface ViewCounts {
  /** The open tasks of the person's groups (and the escalated ones they supervise)… */
  all: number;
  /** …of which nobody holds… */
  claimable: number;
  /** …and the open tasks the person holds, whatever their group. */
  mine: number;
}

export interface ViewState {
  counts: ViewCounts;
  /**
   * Per view, how many times a task has entered or left it (summed over its counters, which only grow): a number that
   * moves whenever the view's list gains or loses a task, and stays put otherwise. Only comparable for the same person
   * and groups.
   */
  changes: ViewCounts;
}

/**
 * Each view's count and change number, summed over the open-task counters (records/migrations/0013): the rows of
 * the person's groups, of the escalated tasks they supervise in other groups, and of the tasks they hold: a row per
 * group, holder and escalation, whatever the backlog, and exact, since the database adds to them in the statement
 * that changes a task. The
 * statement is the same for every page the person opens: it is built once per dialect and person's groups, since
 * building it costs more than running it.
 */
export async function readViews(db: Db, person: { groups: readonly string[]; assignee?: string }): Promise<ViewState> {
  const groups = [...new Set(person.groups)];
  const key = JSON.stringify([groups, person.assignee ?? null]);
  const { adapter } = db.getExecutor();
  let statements = VIEW_COUNTS.get(adapter);
  if (!statements) VIEW_COUNTS.set(adapter, (statements = new Map()));
  let statement = statements.get(key);
  if (!statement) {
    statement = viewsStatement(db, groups, person.assignee);
    // People's group sets are few; a bound keeps a strange caller from growing the map for ever.
    if (statements.size >= 1000) statements.clear();
    statements.set(key, statement);
  }
  const [row] = (await db.executeQuery(statement)).rows as Record<string, number | string | null>[];
  // PostgreSQL sums in bigint (numeric), which pg returns as strings; an empty sum is null.
  const read = (name: string) => Number(row?.[name] ?? 0);
  return {
    counts: { all: read('all_open'), claimable: read('claimable_open'), mine: read('mine_open') },
    changes: { all: read('all_changes'), claimable: read('claimable_changes'), mine: read('mine_changes') },
  };
}

function viewsStatement(db: Db, groups: readonly string[], assignee: string | undefined): CompiledQuery {
  type Counters = ExpressionBuilder<Database, 'open_task_counts'>;
  // As visibleRanges reads the tasks: the groups' own, and the escalated ones they supervise in groups not theirs.
  const visible = (eb: Counters) =>
    groups.length === 0
      ? nothing
      : eb.or([
          eb('candidate_group', 'in', groups),
          eb.and([
            eb('escalated', '=', sql.lit(1)),
            eb('supervising_group', 'in', groups),
            eb('candidate_group', 'not in', groups),
          ]),
        ]);
  const unclaimed = (eb: Counters) => eb.and([visible(eb), eb('holder', '=', sql.lit(''))]);
  const held = (eb: Counters) => (assignee === undefined ? nothing : eb('holder', '=', assignee));
  const views = { all: visible, claimable: unclaimed, mine: held };
  return db
    .selectFrom('open_task_counts')
    .select((eb) =>
      Object.entries(views).flatMap(([view, within]) =>
        (['open_tasks', 'changes'] as const).map((column) =>
          eb.fn
            .sum<number | string | null>(eb.case().when(within(eb)).then(eb.ref(column)).end())
            .as(`${view}_${column === 'open_tasks' ? 'open' : 'changes'}`),
        ),
      ),
    )
    .where((eb) => eb.or([visible(eb), held(eb)]))
    .compile();
}

/** The compiled view counts, by database (its adapter) and person. */
const VIEW_COUNTS = new WeakMap<object, Map<string, CompiledQuery>>();

/** How many open tasks these groups see (all open tasks without groups). */
export async function countOpenTasks(db: Db, groups?: readonly string[]): Promise<number> {
  if (groups) return countTasks(db, { groups });
  const row = await db
    .selectFrom('open_task_counts')
    .select((eb) => eb.fn.sum<number | string | null>('open_tasks').as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n ?? 0);
}

/**
 * Sets every open-task counter to what the rows hold, in one transaction that keeps task writes waiting meanwhile (on
 * PostgreSQL a lock on the counters, which every trigger takes; SQLite writes one at a time anyway). The triggers keep
 * them exact; this repairs counters changed behind their back (a restored table, triggers disabled for a bulk load).
 * A counter it corrects counts as a change, so open inboxes notice. Returns how many counters it corrected.
 */
export async function recountOpenTasks(db: Db): Promise<number> {
  return db.transaction().execute(async (trx) => {
    if (dialectOf(trx) === 'postgres') await sql`LOCK TABLE open_task_counts IN SHARE ROW EXCLUSIVE MODE`.execute(trx);
    const truth = await open(trx.selectFrom('tasks'))
      .select(['candidate_group', 'supervising_group', 'escalated'])
      .select((eb) => [eb.fn.coalesce('assignee', sql.lit('')).as('holder'), eb.fn.countAll<number | string>().as('n')])
      .groupBy(['candidate_group', 'supervising_group', 'escalated', sql`coalesce(assignee, '')`])
      .execute();
    const counters = await trx.selectFrom('open_task_counts').selectAll().execute();
    const keyOf = (row: { candidate_group: string; supervising_group: string; escalated: number; holder: string }) =>
      JSON.stringify([row.candidate_group, row.supervising_group, Number(row.escalated), row.holder]);
    const wanted = new Map(
      truth.map((row) => [keyOf(row), { ...row, escalated: Number(row.escalated), n: Number(row.n) }]),
    );
    let corrected = 0;
    for (const counter of counters) {
      const n = wanted.get(keyOf(counter))?.n ?? 0;
      wanted.delete(keyOf(counter));
      if (Number(counter.open_tasks) === n) continue;
      corrected++;
      await trx
        .updateTable('open_task_counts')
        .set((eb) => ({ open_tasks: n, changes: eb('changes', '+', 1) }))
        .where('candidate_group', '=', counter.candidate_group)
        .where('supervising_group', '=', counter.supervising_group)
        .where('escalated', '=', counter.escalated)
        .where('holder', '=', counter.holder)
        .execute();
    }
    for (const missing of wanted.values()) {
      corrected++;
      const { n, ...key } = missing;
      await trx
        .insertInto('open_task_counts')
        .values({ ...key, open_tasks: n, changes: 1 })
        .execute();
    }
    return corrected;
  });
}

/** One index range of a list, with the list's filters: a query narrowed, whatever it selects. */
type Range = <O>(query: SelectQueryBuilder<Database, 'tasks', O>) => SelectQueryBuilder<Database, 'tasks', O>;

/**
 * The open tasks a user with these groups sees, as index ranges: for each group, the tasks it is the candidate group
 * of, and the escalated tasks it supervises (unless the user sees them through one of their groups already).
 */
function visibleRanges(groups: readonly string[], filters: TaskFilters | undefined, dialect: DialectName): Range[] {
  return groups.flatMap((group): Range[] => [
    (query) => filtered(open(query).where('candidate_group', '=', group), filters, dialect),
    (query) =>
      filtered(
        open(query)
          .where('escalated', '=', sql.lit(1))
          .where('supervising_group', '=', group)
          .where('candidate_group', 'not in', groups),
        filters,
        dialect,
      ),
  ]);
}

// Literals, not parameters: SQLite picks a partial index only when the query repeats its condition verbatim.
const open = <O>(query: SelectQueryBuilder<Database, 'tasks', O>) => query.where('status', '=', sql.lit('open'));

const heldBy = <O>(query: SelectQueryBuilder<Database, 'tasks', O>, assignee: string) =>
  open(query).where('assignee', '=', assignee);

interface PageWindow {
  sort: TaskSort;
  limit: number;
  after?: TaskCursor;
  before?: TaskCursor;
}

/**
 * A page from rows read one past its size: forwards from the start or from `after`, or backwards from `before`
 * (nearest first, so the rows are turned round).
 */
async function paged(window: PageWindow, read: (window: PageWindow) => Promise<TaskRow[]>): Promise<TaskPage> {
  const rows = await read(window);
  const more = rows.length > window.limit;
  const tasks = rows.slice(0, window.limit);
  if (!window.before) {
    return {
      tasks,
      ...(more && { next: cursorOf(tasks[tasks.length - 1], window.sort) }),
      ...(window.after && tasks.length > 0 && { previous: cursorOf(tasks[0], window.sort) }),
    };
  }
  tasks.reverse();
  // Tasks closed since the later page was read can leave the first page short: it is read afresh from the start.
  if (!more && tasks.length < window.limit) return paged({ ...window, before: undefined, after: undefined }, read);
  return {
    tasks,
    next: cursorOf(tasks[tasks.length - 1], window.sort),
    ...(more && { previous: cursorOf(tasks[0], window.sort) }),
  };
}

function cursorOf(row: TaskRow, sort: TaskSort): TaskCursor {
  const cursor: TaskCursor = {
    at: sort === 'created' ? row.created_at : row.due_at,
    workflowId: row.workflow_id,
    taskId: row.task_id,
  };
  if (sort === 'priority') cursor.priority = row.priority;
  return cursor;
}

/** The page's order, on the tasks table or on the merged runs (hence column references rather than typed names). */
function ordered<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  sort: TaskSort,
  backward = false,
): SelectQueryBuilder<DB, TB, O> {
  const columns = [...(sort === 'priority' ? ['priority'] : []), sort === 'created' ? 'created_at' : 'due_at'];
  return [...columns, 'workflow_id', 'task_id'].reduce(
    (q, column) => q.orderBy(sql.ref(column), backward ? 'desc' : 'asc'),
    query,
  );
}

function filtered<O>(
  query: SelectQueryBuilder<Database, 'tasks', O>,
  filters: TaskFilters = {},
  dialect: DialectName,
): SelectQueryBuilder<Database, 'tasks', O> {
  let q = query;
  if (filters.stage) q = q.where('stage', '=', filters.stage);
  if (filters.occupations) {
    q = filters.occupations.length ? q.where('occupation', 'in', filters.occupations) : q.where(nothing);
  }
  if (filters.level !== undefined) q = q.where('level', '=', filters.level);
  if (filters.dueFrom) q = q.where('due_at', '>=', filters.dueFrom);
  if (filters.dueBefore) q = q.where('due_at', '<', filters.dueBefore);
  if (filters.unclaimed) q = q.where('assignee', 'is', null);
  if (filters.search) q = q.where(found(filters.search, dialect));
  return q;
}

const nothing = sql<SqlBool>`1 = 0`;

/**
 * The search, through the case index: a case's number by its start, and with `persons` its candidate's name by its
 * start and ID number whole. The tasks are then found by their workflow's key, whatever the group's backlog.
 */
function found({ text, persons }: TaskSearch, dialect: DialectName) {
  // A search box is not a pattern language: `%` and `_` are dropped rather than escaped, as the case index does.
  const plain = text.replace(/[%_]/g, '').trim();
  return (eb: ExpressionBuilder<Database, 'tasks'>) => {
    if (!plain) return nothing;
    const cases = eb
      .selectFrom('cases')
      .select('cases.workflow_id')
      .where((c) =>
        c.or([
          // Application numbers are upper case (`STATION-A-20261129-7KQ2XD`), whatever the person typed.
          startsWith(c, 'cases.application_number', plain.toUpperCase(), dialect),
          ...(persons
            ? [startsWith(c, 'cases.candidate_name', plain, dialect), c('cases.id_number', '=', plain.toUpperCase())]
            : []),
        ]),
      );
    return eb('tasks.workflow_id', 'in', cases);
  };
}

/**
 * A text column starting with a prefix. SQLite compares text byte by byte, so a range is exact there and seeks the
 * column's index, where its LIKE (case-blind) would read every row; PostgreSQL may sort by a language's rules, under
 * which a range is not a prefix, so it takes LIKE.
 */
function startsWith(
  eb: ExpressionBuilder<Database, 'cases'>,
  column: 'cases.application_number' | 'cases.candidate_name',
  prefix: string,
  dialect: DialectName,
) {
  if (dialect === 'postgres') return eb(column, 'like', `${prefix}%`);
  return eb.and([eb(column, '>=', prefix), eb(column, '<', `${prefix}\u{10FFFF}`)]);
}

/** Rows strictly beyond the cursor in (rank, sort, workflow_id, task_id) order, as an index range both dialects seek. */
function beyond(sort: TaskSort, cursor: TaskCursor, backward: boolean) {
  const direction = backward ? '<' : '>';
  return (eb: ExpressionBuilder<Database, 'tasks'>) => {
    if (sort === 'priority') {
      return eb(
        eb.refTuple('priority', 'due_at', 'workflow_id', 'task_id'),
        direction,
        eb.tuple(cursor.priority ?? 1, cursor.at, cursor.workflowId, cursor.taskId),
      );
    }
    const column = sort === 'created' ? 'created_at' : 'due_at';
    return eb(
      eb.refTuple(column, 'workflow_id', 'task_id'),
      direction,
      eb.tuple(cursor.at, cursor.workflowId, cursor.taskId),
    );
  };
}

/** The kind of task a return opens again, by the kind of the task that returned the work. */
const REOPENED_BY_RETURN: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    Object.entries(TASK_RULES).flatMap(([kind, rule]) => (rule.returnsTo ? [[kind, rule.returnsTo]] : [])),
  ),
  [SessionTaskKind.PlanReview]: SessionTaskKind.PlanRevision,
  [SessionTaskKind.ScoreCheck]: SessionTaskKind.ScoreEntry,
  // A session's results go back a level, as a case's do.
  ...Object.fromEntries(RESULT_LEVELS.slice(1).map((level, i) => [level.kind, RESULT_LEVELS[i].kind])),
};

/**
 * Which of these tasks a return from the level above opened again, with the return's reason (by `<workflow
 * id>/<task id>`). A task was, when the latest return aimed at its kind came before it and no other task of its kind
 * came between the two; "before" by the numbers in the task ids, which count up through a workflow.
 *
 * Worked out when a page is read, from the rows of the page's workflows (a handful each, found by the primary key):
 * the workflow's records activity sends only the tasks that changed, so the reopened task may reach the projection in
 * another write than the return, and a row could not be marked when it is written.
 */
export async function returnsOf(db: Db, rows: readonly TaskRow[]): Promise<Map<string, { reason: string | null }>> {
  const returned = new Map<string, { reason: string | null }>();
  const workflowIds = [...new Set(rows.map((row) => row.workflow_id))];
  if (workflowIds.length === 0) return returned;
  const siblings = new Map<string, { kind: string; seq: number; outcome: string | null; reason: string | null }[]>();
  const all = await db
    .selectFrom('tasks')
    .select(['workflow_id', 'task_id', 'kind', 'outcome', 'return_reason'])
    .where('workflow_id', 'in', workflowIds)
    .execute();
  for (const row of all) {
    const list = siblings.get(row.workflow_id) ?? [];
    list.push({
      kind: row.kind,
      seq: sequenceOf(row.task_id),
      outcome: row.outcome,
      reason: row.return_reason ?? null,
    });
    siblings.set(row.workflow_id, list);
  }
  for (const row of rows) {
    const seq = sequenceOf(row.task_id);
    const others = siblings.get(row.workflow_id) ?? [];
    const last = others
      .filter((o) => o.outcome === Decision.Return && REOPENED_BY_RETURN[o.kind] === row.kind && o.seq < seq)
      .sort((a, b) => b.seq - a.seq)[0];
    if (!last) continue;
    const between = others.some((o) => o.kind === row.kind && o.seq > last.seq && o.seq < seq);
    if (!between) returned.set(`${row.workflow_id}/${row.task_id}`, { reason: last.reason });
  }
  return returned;
}

/** `station-review-3` → 3. */
const sequenceOf = (taskId: string): number => Number(/-(\d+)$/.exec(taskId)?.[1] ?? Number.NaN);

/** The names of the people holding tasks, by user id (an id the directory lacks is left out). */
export async function holderNames(db: Db, userIds: readonly string[]): Promise<Map<string, string>> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}
