/**
 * An append-only, hash-chained table: each row's hash is sha256(previous row's hash + canonical JSON of the row's
 * hashed columns), so changing, deleting or reordering any row breaks the chain from there on. The audit log
 * (records/audit.ts) and the personal-data access log (records/personalDataAccess.ts) are two such chains, each with
 * its own head and lock.
 */
import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Db } from './database';
import { dialectOf } from './dialect';
import type { Database } from './schema';

export const GENESIS_HASH = '0'.repeat(64);

/** The columns every chained table has: its place in the chain and the two hashes that link it. */
interface Link {
  seq: number;
  prev_hash: string;
  hash: string;
}

type ChainTable = { [T in keyof Database]: Database[T] extends Link ? T : never }[keyof Database];

/** A row's own values: what the caller writes; the chain adds the place and the hashes. */
export type ChainContent<T extends ChainTable> = Omit<Database[T], keyof Link>;

export interface HashChain<T extends ChainTable> {
  table: T;
  /**
   * The columns whose values the hash covers, besides `seq`. Named rather than "every column", so that a column added
   * later leaves the hashes of the rows written before it unchanged.
   */
  hashed: readonly (keyof ChainContent<T>)[];
  /** Any fixed number, different for each chain: it names the chain's lock among PostgreSQL's advisory locks. */
  lock: number;
}

export type ChainVerification =
  | { ok: true; count: number; /** The last row's hash (the genesis value for an empty chain). */ head: string }
  | { ok: false; brokenAt: number; reason: string };

// The queries below are the same for every chained table; Kysely cannot type them over a table chosen by a type
// parameter, so they see each chain as rows of its links and the caller's row type is restored on the way out.
const linksOf = (db: Db): Kysely<Record<string, Link>> => db as unknown as Kysely<Record<string, Link>>;

/**
 * Takes the chain's lock until `trx` ends: one head, one writer. SQLite transactions begin with the write lock
 * (records/database.ts); PostgreSQL queues appenders on a transaction-scoped advisory lock, released at commit, after
 * which the next reads the new head. Take it before reading anything the append depends on.
 */
export async function lockChain<T extends ChainTable>(trx: Db, chain: HashChain<T>): Promise<void> {
  if (dialectOf(trx) === 'postgres') await sql`select pg_advisory_xact_lock(${sql.lit(chain.lock)})`.execute(trx);
}

// Rows per INSERT: a roster of hundreds stays far below both dialects' limits on bound values.
const INSERT_BATCH = 200;

/**
 * Appends the contents as the chain's next rows, in order, one INSERT per 200 rows, and returns the rows written.
 * The caller holds the chain's lock (lockChain) in `trx`.
 */
export async function appendToChain<T extends ChainTable>(
  trx: Db,
  chain: HashChain<T>,
  contents: readonly ChainContent<T>[],
): Promise<Database[T][]> {
  const head = await linksOf(trx)
    .selectFrom(chain.table as string)
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  const rows = contents.map((content) => {
    const placed = { seq: ++seq, ...content };
    const row = { ...placed, prev_hash: prevHash, hash: linkHash(chain, prevHash, placed) };
    prevHash = row.hash;
    return row;
  });
  for (let from = 0; from < rows.length; from += INSERT_BATCH) {
    await linksOf(trx)
      .insertInto(chain.table as string)
      .values(rows.slice(from, from + INSERT_BATCH))
      .execute();
  }
  return rows as unknown as Database[T][];
}

const VERIFY_BATCH = 1000;

/** Walks the whole chain in order and reports the first row that does not fit. */
export async function verifyChain<T extends ChainTable>(db: Db, chain: HashChain<T>): Promise<ChainVerification> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  for (;;) {
    const rows = await linksOf(db)
      .selectFrom(chain.table as string)
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(VERIFY_BATCH)
      .execute();
    for (const row of rows) {
      if (row.seq !== expectedSeq) {
        return {
          ok: false,
          brokenAt: expectedSeq,
          reason: `row ${expectedSeq} is missing (the next row is ${row.seq})`,
        };
      }
      if (row.prev_hash !== prevHash) {
        return {
          ok: false,
          brokenAt: row.seq,
          reason: `row ${row.seq} does not link to the hash of row ${row.seq - 1}`,
        };
      }
      if (linkHash(chain, prevHash, row as unknown as ChainContent<T> & { seq: number }) !== row.hash) {
        return {
          ok: false,
          brokenAt: row.seq,
          reason: `row ${row.seq} does not match its hash (changed after writing)`,
        };
      }
      prevHash = row.hash;
      expectedSeq++;
    }
    if (rows.length < VERIFY_BATCH) return { ok: true, count: expectedSeq - 1, head: prevHash };
  }
}

function linkHash<T extends ChainTable>(
  chain: HashChain<T>,
  prevHash: string,
  row: ChainContent<T> & { seq: number },
): string {
  // Only the named columns, so the hash depends on their values alone (canonicalJson fixes the order).
  const hashed: Record<string, unknown> = { seq: Number(row.seq) };
  for (const column of chain.hashed) hashed[column as string] = row[column];
  return createHash('sha256').update(prevHash).update(canonicalJson(hashed)).digest('hex');
}

/** JSON with object keys sorted at every depth: one text per value. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
