/**
 * Reactivation takes a reason, as deactivation does: the account's row keeps its latest reactivation (when, by whom,
 * why) for the accounts list, while the audit chain keeps every one. Null until the account is first reactivated, and
 * set back to null when it is deactivated again (the deactivation's three columns then say the latest change).
 */
import type { Kysely, Migration } from 'kysely';

export const accountReactivation: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('users').addColumn('reactivated_at', 'text').execute();
    await db.schema.alterTable('users').addColumn('reactivated_by', 'text').execute();
    await db.schema.alterTable('users').addColumn('reactivation_reason', 'text').execute();
  },
};
