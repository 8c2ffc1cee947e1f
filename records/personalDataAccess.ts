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
import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from './database';
import { appendToChain, type ChainVerification, type HashChain, lockChain, verifyChain } from './hashChain';
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

export type AccessVerification = ChainVerification;

export const PERSONAL_DATA_KEY_FILE = 'personal-data-hmac.key';

const ACCESS_CHAIN: HashChain<'personal_data_access'> = {
  table: 'personal_data_access',
  hashed: ['at', 'viewer', 'application_number', 'id_hash', 'basis', 'task_id', 'task_kind', 'purpose'],
  // Other than the audit chain's: a page view does not wait for the workflow's appends.
  lock: 7_146_016_001,
};

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
    await lockChain(trx, ACCESS_CHAIN);
    await appendToChain(
      trx,
      ACCESS_CHAIN,
      showings.map((showing) => ({
        at: at.toISOString(),
        viewer: showing.viewer,
        application_number: showing.applicationNumber,
        id_hash: showing.idNumber ? idNumberHash(key, showing.idNumber) : null,
        basis: showing.basis,
        task_id: showing.task?.id ?? null,
        task_kind: showing.task?.kind ?? null,
        purpose: showing.purpose,
      })),
    );
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

/** Walks the whole chain in order and reports the first row that does not fit (as verifyAuditChain does). */
export async function verifyAccessLog(db: Db): Promise<AccessVerification> {
  return verifyChain(db, ACCESS_CHAIN);
}
