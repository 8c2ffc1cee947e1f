/**
 * Deactivated accounts: someone who has left the station keeps their row (their name still stands in case histories,
 * the audit log and the notices), but cannot sign in, holds no session and is no longer offered as someone to hand
 * work to. Null `deactivated_at` is an active account; reactivation sets the three back to null.
 */
import type { Kysely, Migration } from 'kysely';

export const accountDeactivation: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('users').addColumn('deactivated_at', 'text').execute();
    await db.schema.alterTable('users').addColumn('deactivated_by', 'text').execute();
    await db.schema.alterTable('users').addColumn('deactivation_reason', 'text').execute();
  },
};
