/**
 * Email delivery state on the notification log, which doubles as the outbox: the notify activity writes a notice
 * once, and a delivery loop in the worker sends it later, so a slow or absent mail server never holds up a case.
 * Rows written before this migration, or while no SMTP server is configured, stay `logged` (read in the app only).
 */
import type { Kysely, Migration } from 'kysely';

export const notificationDelivery: Migration = {
  async up(db: Kysely<unknown>) {
    // One column per statement: SQLite's ALTER TABLE adds one at a time.
    await db.schema
      .alterTable('notifications')
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('logged'))
      .execute();
    await db.schema
      .alterTable('notifications')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('notifications').addColumn('last_error', 'text').execute();
    await db.schema.alterTable('notifications').addColumn('sent_at', 'text').execute();
    await db.schema.alterTable('notifications').addColumn('next_attempt_at', 'text').execute();
    await db.schema.alterTable('notifications').addColumn('claimed_by', 'text').execute();
    // The delivery loop's only query: due rows of one status, soonest first.
    await db.schema
      .createIndex('notifications_due')
      .on('notifications')
      .columns(['status', 'next_attempt_at'])
      .execute();
  },
};
