/**
 * The personal-data access log: who was shown which candidate's unmasked name or ID number, when, for which case and
 * why. Append-only and hash-chained like the audit log (records/audit.ts), with the same check: each row's hash is
 * sha256(previous hash + canonical JSON of the row), and `npm run audit:verify` walks both chains.
 *
 * A chain of its own rather than rows in the audit log: the audit log holds the workflow's decisions, appended by
 * retried activities under idempotency keys, and is read as a case's story; showings come from every page view, many
 * per decision, and are read by ID number. Sharing one head would make every task page queue behind the workflow's
 * appends and the other way round.
 *
 * The ID number is stored as HMAC-SHA256 under a key kept beside the seal keys, so the log is not one more copy of the
 * people it is about: without the key, its hashes cannot be tried against the small space of valid ID numbers. The
 * administrators' look-up hashes the number typed in.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { canonicalJson, GENESIS_HASH } from './audit';
import type { Db } from './database';
import { dialectOf } from './dialect';
import type { PersonalDataAccessTable } from './schema';

export type AccessRecord = PersonalDataAccessTable;

/** What gave the viewer the right to see the person (inbox-ui/auth/access.ts). */
export type AccessBasis = 'task' | 'station-clerk' | 'session-office' | 'administrator';

/** One person shown to one viewer on one page or answer. */
export interface Showing {
  viewer: string;
  applicationNumber: string | null;
  /** The ID number as shown; hashed before it is stored. Absent when only the name was on record. */
  idNumber?: string | null;
  basis: AccessBasis;
  task?: { id: string; kind: string };
  /** Where it was shown, e.g. `task-page`, `check-in-list`. */
  purpose: string;
}

export type AccessVerification =
  { ok: true; count: number; head: string } | { ok: false; brokenAt: number; reason: string };

export const PERSONAL_DATA_KEY_FILE = 'personal-data-hmac.key';

// Any fixed number other than the audit chain's: it names this chain's lock among the advisory locks.
const ACCESS_CHAIN_LOCK = 7_146_016_001;

// Rows per INSERT: a roster of hundreds stays far below both dialects' limits on bound values.
const INSERT_BATCH = 200;

/**
 * The HMAC key in `<sealKeyDir>/personal-data-hmac.key`, made on the first start. It is never rotated: a new key
 * would make every earlier row unfindable. Two processes starting together may both try to make it: the second's
 * exclusive create fails and it reads the first's.
 */
export function loadPersonalDataKey(dir: string, generated: (file: string) => void): Buffer {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, PERSONAL_DATA_KEY_FILE);
  try {
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    generated(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length < 32) throw new Error(`${file} holds fewer than 32 bytes of key`);
  return key;
}

/** The stored form of an ID number: trimmed, upper case, no inner spaces (as the case index keeps it), then keyed. */
export function idNumberHash(key: Buffer, idNumber: string): string {
  const normalised = idNumber.trim().toUpperCase().replace(/\s+/g, '');
  return createHmac('sha256', key).update(normalised).digest('hex');
}

/**
 * Appends the showings as the chain's next rows, in one transaction and one INSERT per 200 rows: a page that lists
 * 30 candidates costs one round of writes, not 30.
 */
export async function recordShowings(db: Db, key: Buffer, showings: Showing[], at: Date): Promise<void> {
  if (showings.length === 0) return;
  await db.transaction().execute(async (trx) => {
    // One head, one writer: as for the audit log (records/audit.ts appendAudit).
    if (dialectOf(trx) === 'postgres')
      await sql`select pg_advisory_xact_lock(${sql.lit(ACCESS_CHAIN_LOCK)})`.execute(trx);
    const head = await trx
      .selectFrom('personal_data_access')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    let seq = head?.seq ?? 0;
    let prevHash = head?.hash ?? GENESIS_HASH;
    const rows = showings.map((showing): AccessRecord => {
      const content: Omit<AccessRecord, 'prev_hash' | 'hash'> = {
        seq: ++seq,
        at: at.toISOString(),
        viewer: showing.viewer,
        application_number: showing.applicationNumber,
        id_hash: showing.idNumber ? idNumberHash(key, showing.idNumber) : null,
        basis: showing.basis,
        task_id: showing.task?.id ?? null,
        task_kind: showing.task?.kind ?? null,
        purpose: showing.purpose,
      };
      const row = { ...content, prev_hash: prevHash, hash: chainHash(prevHash, content) };
      prevHash = row.hash;
      return row;
    });
    for (let from = 0; from < rows.length; from += INSERT_BATCH) {
      await trx
        .insertInto('personal_data_access')
        .values(rows.slice(from, from + INSERT_BATCH))
        .execute();
    }
  });
}

/** Every showing of the person with this ID number, the latest first. */
export async function showingsOf(db: Db, key: Buffer, idNumber: string, limit = 500): Promise<AccessRecord[]> {
  return db
    .selectFrom('personal_data_access')
    .selectAll()
    .where('id_hash', '=', idNumberHash(key, idNumber))
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
}

const VERIFY_BATCH = 1000;

/** Walks the whole chain in order and reports the first row that does not fit (as verifyAuditChain does). */
export async function verifyAccessLog(db: Db): Promise<AccessVerification> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  for (;;) {
    const rows = await db
      .selectFrom('personal_data_access')
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

function chainHash(prevHash: string, content: Omit<AccessRecord, 'hash' | 'prev_hash'>): string {
  const canonical = canonicalJson({
    seq: Number(content.seq),
    at: content.at,
    viewer: content.viewer,
    application_number: content.application_number,
    id_hash: content.id_hash,
    basis: content.basis,
    task_id: content.task_id,
    task_kind: content.task_kind,
    purpose: content.purpose,
  });
  return createHash('sha256').update(prevHash).update(canonical).digest('hex');
}
