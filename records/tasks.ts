/**
 * The task projection: one row per human task, what the inbox lists. The workflows are the authority; their
 * projection activity writes rows here as tasks open, are claimed, reassigned, escalated and closed, and
 * `npm run projection:rebuild` rewrites them from the workflows' own state.
 *
 * Writes are idempotent by the natural key (workflow_id, task_id) and guarded by the workflow's change counter
 * (`version`): a row is replaced only by a newer version, so a late retry of an older activity changes nothing.
 */
import { type ExpressionBuilder, type SelectQueryBuilder, sql } from 'kysely';
import { type CaseView, type HumanTask, TaskStatus, workflowIdFor } from '../workflows/definitions';
import { type SessionTask, type SessionView, sessionWorkflowIdFor } from '../workflows/sessionDefinitions';
import type { Db } from './database';
import type { Database, TaskRowStatus, TaskTable } from './schema';

export type TaskRow = TaskTable;

export type TaskSort = 'due' | 'created' | 'priority';

/** Narrows a page of open tasks; every filter is optional. */
export interface TaskFilters {
  stage?: string;
  occupation?: string;
  level?: number;
  /** Due at or after this instant (ISO). */
  dueFrom?: string;
  /** Due before this instant (ISO). */
  dueBefore?: string;
  /** Only tasks nobody has claimed. */
  unclaimed?: boolean;
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
    version,
    priority: task.escalated ? 0 : 1,
  }));
}

function closedAt(view: CaseView, task: HumanTask): string | null {
  if (task.status === TaskStatus.Open) return null;
  if (task.outcome) return task.outcome.at;
  // Cancelled: either its window expired, or the case closed around it.
  const expired = view.history.find((event) => event.taskId === task.id && event.type === 'task-expired');
  return expired?.at ?? view.outcome?.at ?? null;
}

// Both dialects cap the parameters of one statement (SQLite 32,766, PostgreSQL 65,535); 20 columns × 500 fits.
const CHUNK = 500;

/**
 * Upserts rows by (workflow_id, task_id) in one transaction. A row replaces the stored one only when its version is
 * greater. Returns how many rows were inserted or replaced.
 */
export async function projectTasks(db: Db, rows: readonly TaskRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  return db.transaction().execute((trx) => upsert(trx, rows, false));
}

async function upsert(trx: Db, rows: readonly TaskRow[], replaceSameVersion: boolean): Promise<number> {
  let applied = 0;
  const unique = newestPerKey(rows);
  for (let start = 0; start < unique.length; start += CHUNK) {
    const result = await trx
      .insertInto('tasks')
      .values(unique.slice(start, start + CHUNK))
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
  const result = await db.deleteFrom('tasks').where('workflow_id', '=', workflowId).executeTakeFirst();
  return Number(result.numDeletedRows);
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
  after?: TaskCursor;
  filters?: TaskFilters;
}

/**
 * One page of the open tasks a user with these groups may act on, in due (or creation, or priority) order, then by
 * natural key.
 *
 * Each group is its own range of a partial index, read in order and cut at the page size; the page is the first rows
 * of those short runs merged. A single `candidate_group IN (…) ORDER BY due_at` would instead read every open task of
 * every group and sort them, which grows with the backlog.
 */
export async function openTasksForGroups(db: Db, query: OpenTaskQuery): Promise<TaskPage> {
  if (new Set(query.groups).size === 0 || query.limit < 1) return { tasks: [] };
  const rows = await openTasksQuery(db, query).execute();
  return pageOf(rows, query.limit, query.sort);
}

/** The statement behind openTasksForGroups (one row more than the page, to tell whether another follows). */
export function openTasksQuery(db: Db, query: OpenTaskQuery) {
  const groups = [...new Set(query.groups)];
  if (groups.length === 0) throw new Error('openTasksQuery needs at least one group');
  const take = query.limit + 1;

  const run = (group: string, via: 'candidate' | 'supervisor') => {
    let branch = db
      .selectFrom('tasks')
      .selectAll()
      // Literals, not parameters: SQLite picks a partial index only when the query repeats its condition verbatim.
      .where('status', '=', sql.lit('open'));
    if (via === 'candidate') {
      branch = branch.where('candidate_group', '=', group);
    } else {
      // A user who is in both groups already sees the task through the first branch.
      branch = branch
        .where('escalated', '=', sql.lit(1))
        .where('supervising_group', '=', group)
        .where('candidate_group', 'not in', groups);
    }
    branch = filtered(branch, query.filters);
    if (query.after) branch = branch.where(afterCursor(query.sort, query.after));
    return db.selectFrom(ordered(branch, query.sort).limit(take).as('run')).selectAll();
  };

  const [first, ...rest] = groups.flatMap((group) => [run(group, 'candidate'), run(group, 'supervisor')]);
  const merged = rest.reduce((union, branch) => union.unionAll(branch), first);
  return ordered(db.selectFrom(merged.as('page')).selectAll(), query.sort).limit(take);
}

/** Open tasks claimed by (or assigned to) one person, by due date (or the given order). */
export async function openTasksAssignedTo(
  db: Db,
  {
    assignee,
    limit,
    after,
    sort = 'due',
    filters,
  }: { assignee: string; limit: number; after?: TaskCursor; sort?: TaskSort; filters?: TaskFilters },
): Promise<TaskPage> {
  let query = db.selectFrom('tasks').selectAll().where('status', '=', sql.lit('open')).where('assignee', '=', assignee);
  query = filtered(query, filters);
  if (after) query = query.where(afterCursor(sort, after));
  const rows = await ordered(query, sort)
    .limit(limit + 1)
    .execute();
  return pageOf(rows, limit, sort);
}

function pageOf(rows: TaskRow[], limit: number, sort: TaskSort): TaskPage {
  const tasks = rows.slice(0, limit);
  const last = tasks[tasks.length - 1];
  if (rows.length <= limit) return { tasks };
  const at = sort === 'created' ? last.created_at : last.due_at;
  const next: TaskCursor = { at, workflowId: last.workflow_id, taskId: last.task_id };
  if (sort === 'priority') next.priority = last.priority;
  return { tasks, next };
}

/** The page's order, on the tasks table or on the merged runs (hence column references rather than typed names). */
function ordered<DB, TB extends keyof DB>(
  query: SelectQueryBuilder<DB, TB, TaskRow>,
  sort: TaskSort,
): SelectQueryBuilder<DB, TB, TaskRow> {
  const columns = [...(sort === 'priority' ? ['priority'] : []), sort === 'created' ? 'created_at' : 'due_at'];
  return [...columns, 'workflow_id', 'task_id'].reduce((q, column) => q.orderBy(sql.ref(column)), query);
}

function filtered<Q extends SelectQueryBuilder<Database, 'tasks', TaskRow>>(query: Q, filters: TaskFilters = {}): Q {
  let q: SelectQueryBuilder<Database, 'tasks', TaskRow> = query;
  if (filters.stage) q = q.where('stage', '=', filters.stage);
  if (filters.occupation) q = q.where('occupation', '=', filters.occupation);
  if (filters.level !== undefined) q = q.where('level', '=', filters.level);
  if (filters.dueFrom) q = q.where('due_at', '>=', filters.dueFrom);
  if (filters.dueBefore) q = q.where('due_at', '<', filters.dueBefore);
  if (filters.unclaimed) q = q.where('assignee', 'is', null);
  return q as Q;
}

/** Rows strictly after the cursor in (rank, sort, workflow_id, task_id) order, as an index range both dialects seek. */
function afterCursor(sort: TaskSort, after: TaskCursor) {
  return (eb: ExpressionBuilder<Database, 'tasks'>) => {
    if (sort === 'priority') {
      return eb(
        eb.refTuple('priority', 'due_at', 'workflow_id', 'task_id'),
        '>',
        eb.tuple(after.priority ?? 1, after.at, after.workflowId, after.taskId),
      );
    }
    const column = sort === 'created' ? 'created_at' : 'due_at';
    return eb(eb.refTuple(column, 'workflow_id', 'task_id'), '>', eb.tuple(after.at, after.workflowId, after.taskId));
  };
}

/** How many open tasks these groups see (all open tasks without groups), for the inbox's badge. */
export async function countOpenTasks(db: Db, groups?: readonly string[]): Promise<number> {
  let query = db
    .selectFrom('tasks')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('status', '=', sql.lit('open'));
  if (groups) {
    if (groups.length === 0) return 0;
    query = query.where((eb) =>
      eb.or([
        eb('candidate_group', 'in', groups),
        eb.and([eb('escalated', '=', sql.lit(1)), eb('supervising_group', 'in', groups)]),
      ]),
    );
  }
  const row = await query.executeTakeFirstOrThrow();
  // PostgreSQL counts in bigint, which pg returns as a string.
  return Number(row.count);
}
