/**
 * Opens the application database and brings its schema up to date. The embedded default is a SQLite file under
 * ./data; PostgreSQL support arrives with the records issue through the same Kysely interface.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { migrations } from './migrations/index';
import type { Database } from './schema';

export type Db = Kysely<Database>;

export async function openDatabase(file: string): Promise<Db> {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  // WAL lets the web app read while the worker writes; the busy timeout covers the short write overlaps.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  const { error } = await new Migrator({ db, provider: migrations }).migrateToLatest();
  if (error) {
    await db.destroy();
    throw new Error(`Could not migrate the database at ${file}: ${error}`);
  }
  return db;
}

/** Adds one to a named counter inside the caller's transaction and returns the new value. */
export async function nextInSequence(trx: Db, name: string): Promise<number> {
  const row = await trx
    .insertInto('sequences')
    .values({ name, value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('sequences.value', '+', 1) })))
    .returning('value')
    .executeTakeFirstOrThrow();
  return row.value;
}
