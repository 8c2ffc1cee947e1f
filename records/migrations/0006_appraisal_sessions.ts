/**
 * Appraisal sessions: one row per session, what the station's session list and "the next fitting session" read. The
 * session workflow is the authority (its roster, its tasks); its records activity keeps this row current,
 * version-guarded like the task projection. No personal data: a session names cases only by number, and not here.
 */
import type { Kysely, Migration } from 'kysely';

export const appraisalSessions: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('appraisal_sessions')
      .addColumn('session_id', 'text', (c) => c.primaryKey())
      .addColumn('station_id', 'text', (c) => c.notNull())
      .addColumn('guidance_center_id', 'text', (c) => c.notNull())
      .addColumn('stage', 'text', (c) => c.notNull())
      .addColumn('closed', 'integer', (c) => c.notNull().defaultTo(0))
      // The plan as JSON: qualifications, both parts' times and places, rooms, appraisal team, cut-off.
      .addColumn('plan', 'text', (c) => c.notNull())
      .addColumn('first_part_starts_at', 'text', (c) => c.notNull())
      .addColumn('registration_closes_at', 'text', (c) => c.notNull())
      .addColumn('capacity', 'integer', (c) => c.notNull())
      .addColumn('seated', 'integer', (c) => c.notNull())
      .addColumn('planned_by', 'text', (c) => c.notNull())
      .addColumn('planned_at', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      // A digest of the station and the plan as first submitted: the same plan sent twice (a double click, a retry)
      // finds the session the first one made.
      .addColumn('plan_key', 'text', (c) => c.notNull().unique())
      .execute();
    await db.schema
      .createIndex('appraisal_sessions_by_station')
      .on('appraisal_sessions')
      .columns(['station_id', 'closed', 'first_part_starts_at'])
      .execute();
  },
};
