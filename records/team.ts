/**
 * What a supervisor's team view counts: the open tasks of the groups they supervise, per group and holder, and the
 * tasks those people hold. Two queries for the whole page, however many people it lists.
 */
import { sql } from 'kysely';
import type { Db } from './database';

/** Open tasks of one candidate group held by one person (or by nobody: `assignee` null). */
export interface OpenCount {
  group: string;
  assignee: string | null;
  open: number;
  overdue: number;
}

export interface HeldTask {
  group: string;
  assignee: string;
  applicationNumber: string;
  taskId: string;
  kind: string;
  dueAt: string;
}

/** Open tasks per (candidate group, holder) for these groups, and how many of them were due before `now`. */
export async function openCounts(db: Db, groups: readonly string[], now: Date): Promise<OpenCount[]> {
  if (groups.length === 0) return [];
  const rows = await db
    .selectFrom('tasks')
    .select((eb) => [
      'candidate_group',
      'assignee',
      eb.fn.countAll<number | string>().as('open'),
      // Due times are ISO instants in UTC, so text order is time order.
      eb.fn.sum<number | string | null>(sql`case when due_at < ${now.toISOString()} then 1 else 0 end`).as('overdue'),
    ])
    .where('status', '=', 'open')
    .where('candidate_group', 'in', [...groups])
    .groupBy(['candidate_group', 'assignee'])
    .execute();
  // PostgreSQL counts in bigint and sums in numeric, which pg returns as strings.
  return rows.map((row) => ({
    group: row.candidate_group,
    assignee: row.assignee,
    open: Number(row.open),
    overdue: Number(row.overdue ?? 0),
  }));
}

/** The open tasks of these groups that someone holds, soonest due first. */
export async function heldTasks(db: Db, groups: readonly string[]): Promise<HeldTask[]> {
  if (groups.length === 0) return [];
  const rows = await db
    .selectFrom('tasks')
    .select(['candidate_group', 'assignee', 'application_number', 'task_id', 'kind', 'due_at'])
    .where('status', '=', 'open')
    .where('assignee', 'is not', null)
    .where('candidate_group', 'in', [...groups])
    .orderBy('due_at')
    .orderBy('task_id')
    .execute();
  return rows.map((row) => ({
    group: row.candidate_group,
    assignee: row.assignee!,
    applicationNumber: row.application_number,
    taskId: row.task_id,
    kind: row.kind,
    dueAt: row.due_at,
  }));
}
