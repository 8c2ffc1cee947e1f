/**
 * The two SQL dialects the application database speaks. Almost everything goes through Kysely's builders and needs no
 * branching; the few places that do (an auto-numbered key, locking the audit chain's head) ask here.
 */
import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see Kysely<unknown>, the app Kysely<Database>
export function dialectOf(db: Kysely<any>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/**
 * An auto-numbered integer primary key: `serial` on PostgreSQL, `integer … autoincrement` on SQLite (where
 * AUTOINCREMENT also guarantees ids are never reused after a delete).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see dialectOf
export function serialPrimaryKey(db: Kysely<any>): {
  type: 'serial' | 'integer';
  build: (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
} {
  return dialectOf(db) === 'postgres'
    ? { type: 'serial', build: (column) => column.primaryKey() }
    : { type: 'integer', build: (column) => column.primaryKey().autoIncrement() };
}
