/**
 * Personal data kept only for a retention period after a case closes (records/retention.ts removes it).
 *
 * `closed_at` starts the period: the workflow's own closing time, written by the records activity with the stage.
 * Cases already closed when this migration runs have no known closing time, so their period starts now: a case's data
 * may then be kept a little longer than the period, never removed early.
 *
 * `personal_data_removed_at` marks a case whose name and ID number are gone (they are null then), so pages say that
 * the data was removed rather than that it was never there, and a rebuild of the index does not bring it back.
 */
import { type Kysely, type Migration, sql } from 'kysely';

export const personalDataRetention: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('cases').addColumn('closed_at', 'text').execute();
    await db.schema.alterTable('cases').addColumn('personal_data_removed_at', 'text').execute();
    await sql`UPDATE cases SET closed_at = ${new Date().toISOString()} WHERE closed = 1`.execute(db);
    // The daily removal reads closed cases whose data is still there, oldest closing first.
    await db.schema
      .createIndex('cases_awaiting_removal')
      .on('cases')
      .column('closed_at')
      .where(sql.ref('personal_data_removed_at'), 'is', null)
      .execute();
  },
};
