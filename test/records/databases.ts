/**
 * The data-layer tests run once per dialect. Each test opens its own empty database: a SQLite file in a temporary
 * folder, or a newly created database on the test PostgreSQL cluster. Both are removed when the test ends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ExecutionContext } from 'ava';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { type Db, openDatabase } from '../../records/database';
import type { DialectName } from '../../records/dialect';
import { migrations } from '../../records/migrations/index';
import type { Database } from '../../records/schema';
import { createTestDatabase } from '../helpers/postgres';

export const DIALECTS: readonly DialectName[] = ['sqlite', 'postgres'];

export interface TestDatabase {
  db: Db;
  /** What openDatabase was given: the file or the URL, for opening it again (or handing it to a command). */
  target: string;
}

/** A fresh, migrated database of the dialect, closed and removed when the test ends. */
export async function freshDatabase(t: ExecutionContext, dialect: DialectName): Promise<TestDatabase> {
  const target = await emptyTarget(t, dialect);
  const db = await openDatabase(target);
  t.teardown(() => db.destroy());
  return { db, target };
}

/** A target for an empty database of the dialect (nothing created in it yet), removed when the test ends. */
export async function emptyTarget(t: ExecutionContext, dialect: DialectName): Promise<string> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'qualiflow-records-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    return path.join(dir, 'qualiflow.db');
  }
  const database = await createTestDatabase(t.title);
  // Teardowns run last-registered first: the connections close before the database is dropped.
  t.teardown(() => database.drop());
  return database.url;
}

/**
 * An empty database of the dialect migrated up to, not including, `migration` (`'0026'`): a database of the release
 * before it, for a test to fill as that release would and then open with this one. The caller destroys `before`
 * first; the database itself is removed when the test ends.
 */
export async function migratedBefore(
  t: ExecutionContext,
  dialect: DialectName,
  migration: string,
): Promise<{ target: string; before: Kysely<Database> }> {
  const target = await emptyTarget(t, dialect);
  const before = new Kysely<Database>({
    dialect:
      dialect === 'postgres'
        ? new PostgresDialect({ pool: new pg.Pool({ connectionString: target, max: 2 }) })
        : new SqliteDialect({ database: new SQLite(target) }),
  });
  const earlier = Object.entries(await migrations.getMigrations()).filter(([name]) => name < migration);
  const migrator = new Migrator({ db: before, provider: { getMigrations: async () => Object.fromEntries(earlier) } });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
  return { target, before };
}
