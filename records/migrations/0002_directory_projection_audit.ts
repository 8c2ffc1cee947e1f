/**
 * The user directory (organisations, accounts), the task projection the inbox lists, and the hash-chained audit log.
 *
 * The inbox asks for "the open tasks of my groups, by due date (or creation), first page", where a task is also
 * visible to its supervising group once escalated. Each group is read as its own index range in order (see
 * records/tasks.ts), so the indexes lead with the group, then the sort key, then the natural key as tie-breaker.
 * They are partial on open tasks (SQLite and PostgreSQL both support it): closed tasks, which outnumber open ones in
 * time, cost them nothing.
 */
import { type Kysely, type Migration, sql } from 'kysely';

export const directoryProjectionAudit: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('organisations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('province', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
      .addColumn('roles', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('users_by_organisation').on('users').columns(['organisation_id', 'id']).execute();

    await db.schema
      .createTable('tasks')
      .addColumn('workflow_id', 'text', (c) => c.notNull())
      .addColumn('task_id', 'text', (c) => c.notNull())
      .addColumn('application_number', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('stage', 'text', (c) => c.notNull())
      .addColumn('candidate_group', 'text', (c) => c.notNull())
      .addColumn('supervising_group', 'text', (c) => c.notNull())
      .addColumn('assignee', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('escalated', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('level', 'integer', (c) => c.notNull())
      .addColumn('occupation', 'text', (c) => c.notNull())
      .addColumn('station_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('due_at', 'text', (c) => c.notNull())
      .addColumn('closed_at', 'text')
      .addColumn('outcome', 'text')
      .addColumn('version', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('tasks_pk', ['workflow_id', 'task_id'])
      .execute();
    const keyset = ['workflow_id', 'task_id'];
    for (const sort of ['due_at', 'created_at']) {
      const suffix = sort === 'due_at' ? 'due' : 'created';
      await db.schema
        .createIndex(`tasks_open_by_group_${suffix}`)
        .on('tasks')
        .columns(['candidate_group', sort, ...keyset])
        .where(sql.ref('status'), '=', 'open')
        .execute();
      await db.schema
        .createIndex(`tasks_escalated_by_supervisors_${suffix}`)
        .on('tasks')
        .columns(['supervising_group', sort, ...keyset])
        .where(sql.ref('status'), '=', 'open')
        .where(sql.ref('escalated'), '=', 1)
        .execute();
    }
    await db.schema
      .createIndex('tasks_open_by_assignee_due')
      .on('tasks')
      .columns(['assignee', 'due_at', ...keyset])
      .where(sql.ref('status'), '=', 'open')
      .execute();

    // seq is assigned by appendAudit under the chain's lock: gapless, so a deleted row shows as a missing number.
    await db.schema
      .createTable('audit_log')
      .addColumn('seq', 'integer', (c) => c.primaryKey())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('workflow_id', 'text', (c) => c.notNull())
      .addColumn('task_id', 'text')
      .addColumn('comment', 'text')
      .addColumn('details', 'text', (c) => c.notNull())
      .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_log_by_case').on('audit_log').columns(['workflow_id', 'seq']).execute();
  },
};
