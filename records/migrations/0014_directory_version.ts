/**
 * A version number for the directory: one row whose `version` the database adds one to on every write to `users` or
 * `organisations`, so that a web server may keep the names it read and know, with one small read, whether they are
 * still the database's (records/directory.ts `directoryNames`).
 *
 * Triggers keep it, not the application: a write through another web server, the seeding at start, or an operator's
 * INSERT typed in psql (with DATABASE_URL the directory is the operator's to fill) all move it, in the transaction
 * that makes the write. SQLite's triggers run per row; PostgreSQL's once per statement (TRUNCATE included), which may
 * count a statement that changed nothing: one needless reread, never a missed change.
 */
import { type Kysely, type Migration, sql } from 'kysely';
import { dialectOf } from '../dialect';

const TABLES = ['users', 'organisations'] as const;
const BUMP = 'UPDATE directory_version SET version = version + 1 WHERE id = 1;';

export const directoryVersion: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('directory_version')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('version', 'integer', (c) => c.notNull())
      .execute();
    await sql`INSERT INTO directory_version (id, version) VALUES (1, 1)`.execute(db);

    if (dialectOf(db) === 'postgres') {
      await sql
        .raw(
          `CREATE FUNCTION directory_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN ${BUMP} RETURN NULL; END $$`,
        )
        .execute(db);
      for (const table of TABLES) {
        await sql
          .raw(
            `CREATE TRIGGER directory_version_${table} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
             FOR EACH STATEMENT EXECUTE FUNCTION directory_version_bump()`,
          )
          .execute(db);
      }
      return;
    }
    for (const table of TABLES) {
      for (const event of ['insert', 'update', 'delete']) {
        await sql
          .raw(
            `CREATE TRIGGER directory_version_${table}_${event} AFTER ${event.toUpperCase()} ON ${table}
             BEGIN ${BUMP} END`,
          )
          .execute(db);
      }
    }
  },
};
