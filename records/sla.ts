/**
 * What the SLA dashboard reads from the task projection: open tasks by stage and due state, and the overdue ones.
 * Due states are ranges of due_at around now (see inbox-ui/dueState.ts), counted in one pass.
 */
import { sql } from 'kysely';
import type { Db } from './database';
import type { TaskRow } from './tasks';

export interface StageDueCounts {
  stage: string;
  overdue: number;
  dueSoon: number;
  onTime: number;
}

export async function openTaskCountsByStage(
  db: Db,
  { now, soon }: { now: string; soon: string },
): Promise<StageDueCounts[]> {
  const rows = await db
    .selectFrom('tasks')
    .select((eb) => [
      'stage',
      eb.fn.sum<number | string>(sql`case when due_at < ${now} then 1 else 0 end`).as('overdue'),
      eb.fn.sum<number | string>(sql`case when due_at >= ${now} and due_at < ${soon} then 1 else 0 end`).as('dueSoon'),
      eb.fn.sum<number | string>(sql`case when due_at >= ${soon} then 1 else 0 end`).as('onTime'),
    ])
    .where('status', '=', sql.lit('open'))
    .groupBy('stage')
    .orderBy('stage')
    .execute();
  // PostgreSQL sums in bigint, which pg returns as text.
  return rows.map((row) => ({
    stage: row.stage,
    overdue: Number(row.overdue),
    dueSoon: Number(row.dueSoon),
    onTime: Number(row.onTime),
  }));
}

/** The most overdue first. */
export async function overdueTasks(db: Db, { now, limit }: { now: string; limit: number }): Promise<TaskRow[]> {
  return db
    .selectFrom('tasks')
    .selectAll()
    .where('status', '=', sql.lit('open'))
    .where('due_at', '<', now)
    .orderBy('due_at')
    .orderBy('workflow_id')
    .orderBy('task_id')
    .limit(limit)
    .execute();
}
