/**
 * The audit log: every decision (who, what, when, comment), append-only and hash-chained. Each row's hash is
 * sha256(previous row's hash + canonical JSON of the row), so changing, deleting or reordering any row breaks the chain
 * from there on, and `npm run audit:verify` says where. Appends are serialised (the chain has one head) and idempotent
 * by key, so a retried activity appends once.
 *
 * The chain cannot show a cut at its end (the newest rows deleted): compare the head hash that verification prints
 * with one kept elsewhere.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from './database';
import { dialectOf } from './dialect';
import type { AuditLogTable } from './schema';

export interface AuditEntry {
  /** ISO instant of the decision, as the workflow recorded it. */
  at: string;
  actor: string;
  /** What was done, e.g. `task-approve`, `case-cancelled`. */
  action: string;
  workflowId: string;
  taskId?: string;
  comment?: string;
  details?: Record<string, unknown>;
}

export type AuditRecord = AuditLogTable;

export type AuditVerification =
  | { ok: true; count: number; /** The last row's hash (the genesis value for an empty log). */ head: string }
  | { ok: false; brokenAt: number; reason: string };

export const GENESIS_HASH = '0'.repeat(64);

// Any fixed number: it names the chain's lock among the database's advisory locks.
const AUDIT_CHAIN_LOCK = 7_146_010_315;

/**
 * Appends an entry as the chain's next row and returns the row; with an idempotency key already in the log, returns
 * that row instead and appends nothing.
 */
export async function appendAudit(db: Db, entry: AuditEntry, idempotencyKey: string): Promise<AuditRecord> {
  return db.transaction().execute((trx) => appendAuditWithin(trx, entry, idempotencyKey));
}

/**
 * The same append inside the caller's transaction, for a change that must be recorded in the same commit as the entry
 * (records/retention.ts). The chain's lock is held until that transaction ends.
 */
export async function appendAuditWithin(trx: Db, entry: AuditEntry, idempotencyKey: string): Promise<AuditRecord> {
  // One head, one writer. SQLite transactions begin with the write lock (records/database.ts); PostgreSQL queues
  // appenders on a transaction-scoped advisory lock, released at commit, after which the next reads the new head.
  if (dialectOf(trx) === 'postgres') await sql`select pg_advisory_xact_lock(${sql.lit(AUDIT_CHAIN_LOCK)})`.execute(trx);
  const existing = await trx
    .selectFrom('audit_log')
    .selectAll()
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst();
  if (existing) return existing;
  const head = await trx
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const content = {
    seq: (head?.seq ?? 0) + 1,
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    workflow_id: entry.workflowId,
    task_id: entry.taskId ?? null,
    comment: entry.comment ?? null,
    details: canonicalJson(entry.details ?? {}),
    idempotency_key: idempotencyKey,
  };
  const prevHash = head?.hash ?? GENESIS_HASH;
  const row: AuditRecord = { ...content, prev_hash: prevHash, hash: chainHash(prevHash, content) };
  await trx.insertInto('audit_log').values(row).execute();
  return row;
}

/** A case's audit trail, oldest first. */
export async function auditTrailOf(db: Db, workflowId: string): Promise<AuditRecord[]> {
  return db.selectFrom('audit_log').selectAll().where('workflow_id', '=', workflowId).orderBy('seq').execute();
}

const VERIFY_BATCH = 1000;

/** Walks the whole chain in order and reports the first row that does not fit. */
export async function verifyAuditChain(db: Db): Promise<AuditVerification> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
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
      const { hash, prev_hash: _prev, ...content } = row;
      if (chainHash(prevHash, content) !== hash) {
        return {
          ok: false,
          brokenAt: row.seq,
          reason: `row ${row.seq} does not match its hash (changed after writing)`,
        };
      }
      prevHash = hash;
      expectedSeq++;
    }
    if (rows.length < VERIFY_BATCH) return { ok: true, count: expectedSeq - 1, head: prevHash };
  }
}

function chainHash(prevHash: string, content: Omit<AuditRecord, 'hash' | 'prev_hash'>): string {
  // The content's fields in a fixed order, so the hash depends on the values alone.
  const canonical = canonicalJson({
    seq: Number(content.seq),
    at: content.at,
    actor: content.actor,
    action: content.action,
    workflow_id: content.workflow_id,
    task_id: content.task_id,
    comment: content.comment,
    details: content.details,
    idempotency_key: content.idempotency_key,
  });
  return createHash('sha256').update(prevHash).update(canonical).digest('hex');
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
