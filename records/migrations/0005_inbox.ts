/**
 * What the inbox adds: sign-in sessions, the case index administrators search, and a priority rank on tasks.
 *
 * Sessions are stored by the SHA-256 of their token, so a copy of the table signs nobody in. The case index holds
 * the candidate's name and ID number next to the case's organisations and stage: Temporal's search attributes carry
 * no personal data, so finding a case by a person happens here. The priority indexes mirror the due and created
 * ones (records/tasks.ts reads each group as its own index range).
 */
import { type Kysely, type Migration, sql } from 'kysely';

export const inbox: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('sessions')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sessions_by_user').on('sessions').columns(['user_id']).execute();

    await db.schema
      .createTable('cases')
      .addColumn('application_number', 'text', (c) => c.primaryKey())
      .addColumn('workflow_id', 'text', (c) => c.notNull())
      .addColumn('station_id', 'text', (c) => c.notNull())
      .addColumn('guidance_center_id', 'text')
      .addColumn('department_id', 'text')
      .addColumn('training_institution_id', 'text')
      .addColumn('occupation', 'text', (c) => c.notNull())
      .addColumn('level', 'integer', (c) => c.notNull())
      .addColumn('candidate_name', 'text')
      .addColumn('id_number', 'text')
      .addColumn('stage', 'text', (c) => c.notNull())
      .addColumn('closed', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('submitted_at', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.createIndex('cases_by_id_number').on('cases').columns(['id_number']).execute();
    await db.schema.createIndex('cases_by_name').on('cases').columns(['candidate_name']).execute();
    await db.schema.createIndex('cases_by_stage').on('cases').columns(['stage', 'submitted_at']).execute();
    await db.schema.createIndex('cases_by_station').on('cases').columns(['station_id', 'submitted_at']).execute();

    // 0 for escalated tasks, 1 for the rest: "priority" sorts by (priority, due_at).
    await db.schema
      .alterTable('tasks')
      .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    const keyset = ['workflow_id', 'task_id'];
    await db.schema
      .createIndex('tasks_open_by_group_priority')
      .on('tasks')
      .columns(['candidate_group', 'priority', 'due_at', ...keyset])
      .where(sql.ref('status'), '=', 'open')
      .execute();
    await db.schema
      .createIndex('tasks_escalated_by_supervisors_priority')
      .on('tasks')
      .columns(['supervising_group', 'priority', 'due_at', ...keyset])
      .where(sql.ref('status'), '=', 'open')
      .where(sql.ref('escalated'), '=', 1)
      .execute();
    await db.schema
      .createIndex('tasks_open_by_stage_due')
      .on('tasks')
      .columns(['stage', 'due_at'])
      .where(sql.ref('status'), '=', 'open')
      .execute();
  },
};
