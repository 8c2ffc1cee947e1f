/**
 * One-time links an administrator issues for a person to set a new password (records/passwordResets.ts). Only the
 * SHA-256 of the link's token is kept, as for sessions, so reading the database opens no account. A row is used once
 * (`used_at`), lapses a day after it is made, and is deleted when a newer link for the same person voids it.
 */
import type { Kysely, Migration } from 'kysely';

export const passwordResets: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('password_resets')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .execute();
    await db.schema.createIndex('password_resets_by_user').on('password_resets').columns(['user_id']).execute();
  },
};
