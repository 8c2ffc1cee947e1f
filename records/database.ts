/**
 * Opens the application database and brings its schema up to date. The embedded default is a SQLite file under
 * ./data; a `postgres://` URL (DATABASE_URL) selects PostgreSQL. Both run the same Kysely migrations and queries.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';
import pg from 'pg';
import { migrations } from './migrations/index';
import type { Database } from './schema';

export type Db = Kysely<Database>;

export const isPostgresUrl = (target: string): boolean => /^postgres(ql)?:\/\//i.test(target);

/**
 * `target` is a SQLite file path, `:memory:`, or a `postgres://` / `postgresql://` URL. Creates the file's folder,
 * then applies every migration not yet applied.
 */
export async function openDatabase(target: string): Promise<Db> {
  const db = new Kysely<Database>({ dialect: isPostgresUrl(target) ? postgresDialect(target) : sqliteDialect(target) });
  // Migrations are numbered by the issue that adds them and may land out of order; each applies once either way.
  const migrator = new Migrator({ db, provider: migrations, allowUnorderedMigrations: true });
  let { error } = await migrator.migrateToLatest();
  // Kysely takes no lock on SQLite, so two processes starting on a fresh file (two workers) can both try a
  // migration, and the one that loses finds its table already made. By then the winner is applying them; once it is
  // done, migrating again finds nothing left to do. A real fault fails every time and is reported below.
  for (let attempt = 1; error && attempt <= 5; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    ({ error } = await migrator.migrateToLatest());
  }
  if (error) {
    await db.destroy();
    throw new Error(
      `Could not migrate the database at ${describeTarget(target)}: ${(error as Error).message ?? error}`,
    );
  }
  return db;
}

/** The target without its password, for messages and logs. */
export function describeTarget(target: string): string {
  if (!isPostgresUrl(target)) return target;
  try {
    const url = new URL(target);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'a PostgreSQL URL that does not parse';
  }
}

function postgresDialect(url: string): PostgresDialect {
  return new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 10 }) });
}

function sqliteDialect(file: string): SqliteDialect {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  // WAL lets the web app read while the worker writes; the busy timeout covers the short write overlaps.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  return new ImmediateSqliteDialect({ database: sqlite });
}

/**
 * Transactions that take SQLite's write lock when they begin. A deferred transaction that reads and then writes fails
 * at once (SQLITE_BUSY_SNAPSHOT, no busy wait) when another process (the web app beside the worker) committed in
 * between; an immediate one waits for the lock instead, so read-then-write transactions (numbering, the audit chain)
 * are serial across processes too.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  readonly #settings: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#settings = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#settings);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/**
 * Adds one to a named counter inside the caller's transaction and returns the new value. On PostgreSQL the upsert
 * locks the counter's row until the transaction ends, so concurrent callers queue and the values stay gapless.
 */
export async function nextInSequence(trx: Db, name: string): Promise<number> {
  const row = await trx
    .insertInto('sequences')
    .values({ name, value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('sequences.value', '+', 1) })))
    .returning('value')
    .executeTakeFirstOrThrow();
  return row.value;
}
