/**
 * The personal-data access log: every showing of a candidate's unmasked name or ID number, hash-chained like the
 * audit log but a chain of its own (records/personalDataAccess.ts says why). The ID number is kept only as a keyed
 * hash, indexed for the administrators' look-up; the case's index serves "who saw this case".
 */
import type { Kysely, Migration } from 'kysely';

export const personalDataAccess: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('personal_data_access')
      .addColumn('seq', 'integer', (c) => c.primaryKey())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('viewer', 'text', (c) => c.notNull())
      .addColumn('application_number', 'text')
      .addColumn('id_hash', 'text')
      .addColumn('basis', 'text', (c) => c.notNull())
      .addColumn('task_id', 'text')
      .addColumn('task_kind', 'text')
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('personal_data_access_by_id')
      .on('personal_data_access')
      .columns(['id_hash', 'seq'])
      .execute();
    await db.schema
      .createIndex('personal_data_access_by_case')
      .on('personal_data_access')
      .columns(['application_number', 'seq'])
      .execute();
  },
};
