/**
 * Failed sign-ins per sign-in name, kept in the application database rather than in a web server's memory, so that
 * every web server sharing the database counts the same failures: a guesser who spreads tries over several servers
 * (or addresses) meets the same delays and the same lock. A row exists only while a name has failures in a row; a
 * successful sign-in deletes it, and an administrator's unlock deletes a locked one.
 *
 * Keyed by the name as typed, whether or not an account has it, so an unknown name is throttled exactly like a known
 * one and the answers do not tell which names exist.
 */
import type { Kysely, Migration } from 'kysely';

export const signInFailures: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('sign_in_failures')
      .addColumn('username', 'text', (c) => c.primaryKey())
      .addColumn('failures', 'integer', (c) => c.notNull())
      .addColumn('last_failed_at', 'text', (c) => c.notNull())
      .addColumn('locked_at', 'text')
      .execute();
  },
};
