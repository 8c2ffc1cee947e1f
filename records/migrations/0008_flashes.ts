/**
 * What a page says after a POST redirects to it (post, redirect, get): the message, and what the person typed when
 * the action was refused, so that nothing typed is lost and a reload does not send the form again. Kept in the
 * database rather than in the cookie, because a refused reason in Chinese can outgrow a cookie, and because every web
 * server behind one database must find it. Rows live for minutes and are read once.
 */
import type { Kysely, Migration } from 'kysely';

export const flashes: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('flashes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      // The browser it was left for (its session or visitor binding): an id carried to another browser finds nothing.
      .addColumn('binding_hash', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('flashes_by_expiry').on('flashes').column('expires_at').execute();
  },
};
