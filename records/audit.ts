/**
 * The audit log: every decision (who, what, when, comment), append-only and hash-chained. Each row's hash is
 * sha256(previous row's hash + canonical JSON of the row), so changing, deleting or reordering any row breaks the chain
 * from there on, and `npm run audit:verify` says where. Appends are serialised (the chain has one head) and idempotent
 * by key, so a retried activity appends once.
 *
 * The chain cannot show a cut at its end (the newest rows deleted): compare the head hash that verification prints
 * with one kept elsewhere.
 */
import type { Db } from './database';
import {
  appendToChain,
  type ChainVerification,
  canonicalJson,
  type HashChain,
  lockChain,
  verifyChain,
} from './hashChain';
import type { AuditLogTable } from './schema';

export { GENESIS_HASH } from './hashChain';

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

export type AuditVerification = ChainVerification;

const AUDIT_CHAIN: HashChain<'audit_log'> = {
  table: 'audit_log',
  hashed: ['at', 'actor', 'action', 'workflow_id', 'task_id', 'comment', 'details', 'idempotency_key'],
  lock: 7_146_010_315,
};

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
  await lockChain(trx, AUDIT_CHAIN);
  const existing = await trx
    .selectFrom('audit_log')
    .selectAll()
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst();
  if (existing) return existing;
  const [row] = await appendToChain(trx, AUDIT_CHAIN, [
    {
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      workflow_id: entry.workflowId,
      task_id: entry.taskId ?? null,
      comment: entry.comment ?? null,
      details: canonicalJson(entry.details ?? {}),
      idempotency_key: idempotencyKey,
    },
  ]);
  return row;
}

/** A case's audit trail, oldest first. */
export async function auditTrailOf(db: Db, workflowId: string): Promise<AuditRecord[]> {
  return db.selectFrom('audit_log').selectAll().where('workflow_id', '=', workflowId).orderBy('seq').execute();
}

/** Walks the whole chain in order and reports the first row that does not fit. */
export async function verifyAuditChain(db: Db): Promise<AuditVerification> {
  return verifyChain(db, AUDIT_CHAIN);
}
