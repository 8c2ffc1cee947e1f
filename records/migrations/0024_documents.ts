/**
 * The files handed in at intake (an ID copy, a photo, a certificate's scan), kept by the SHA-256 of their bytes
 * (records/documents.ts): the same file twice is one row, and a case's application names a file as `sha256:<hex>`, so
 * every web server that shares the database finds it. The bytes are a `blob` on SQLite and a `bytea` on PostgreSQL.
 */
import type { Kysely, Migration } from 'kysely';
import { dialectOf } from '../dialect';

export const documents: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('documents')
      .addColumn('sha256', 'text', (c) => c.primaryKey())
      .addColumn('media_type', 'text', (c) => c.notNull())
      .addColumn('size', 'integer', (c) => c.notNull())
      .addColumn('bytes', dialectOf(db) === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
  },
};
