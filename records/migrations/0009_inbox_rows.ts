/**
 * What the inbox's richer list needs of the task projection: a return's reason, and counts that stay cheap.
 *
 * The reason is kept on the task that returned the work; the inbox shows it on the task the return opened again
 * (records/tasks.ts returnsOf). The projection still holds no personal data: the candidate's name comes from the case
 * index when a page is read.
 *
 * "Unclaimed in my groups" is counted on every inbox page: a partial index of the unclaimed open tasks per group
 * counts them without reading rows, and lists them in due order as the claimable view reads them. `assignee` is one
 * of its columns although it is always null there: SQLite counts from an index alone only when the index holds every
 * column the query names.
 *
 * A filtered list shows how many tasks match: the group's tasks in due order with every column the filters read
 * (occupation, level, stage, due date, holder) count in the index alone, and a filtered page skips non-matching
 * tasks there before it reads a row.
 */
import { type Kysely, type Migration, sql } from 'kysely';

export const inboxRows: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('tasks').addColumn('return_reason', 'text').execute();
    await db.schema
      .createIndex('tasks_open_by_group_due_filters')
      .on('tasks')
      .columns(['candidate_group', 'due_at', 'occupation', 'level', 'stage', 'assignee', 'workflow_id', 'task_id'])
      .where(sql.ref('status'), '=', 'open')
      .execute();
    await db.schema
      .createIndex('tasks_unclaimed_by_group_due')
      .on('tasks')
      .columns(['candidate_group', 'assignee', 'due_at', 'workflow_id', 'task_id'])
      .where(sql.ref('status'), '=', 'open')
      .where(sql.ref('assignee'), 'is', null)
      .execute();
  },
};
