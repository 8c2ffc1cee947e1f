/**
 * Failed sign-ins per sign-in name, shared by every web server on the database (migration 0015). After a few failures
 * in a row each further attempt waits, the wait doubling with each failure; at the limit the name is locked until an
 * administrator unlocks it. A name is counted whether or not an account has it, so an unknown name meets the same
 * waits, the same lock and the same database work as a known one: neither the answer nor its timing tells them apart.
 *
 * Every change is one statement (an upsert that counts and locks together, a conditional delete), so concurrent
 * failures on several servers are all counted and the lock is set exactly once.
 */
import { sql } from 'kysely';
import { appendAudit } from './audit';
import type { Db } from './database';

export interface SignInThrottle {
  /** Failures in a row that cost nothing: the attempt after them need not wait. */
  freeFailures: number;
  /** Failures in a row that lock the name until an administrator unlocks it. */
  lockAfter: number;
}

/** The first wait, after the free failures; it doubles with each further failure up to the longest. */
const FIRST_WAIT_MS = 1000;
const LONGEST_WAIT_MS = 15 * 60_000;

/** Whether a name may try its password now. */
export type SignInGate = { state: 'open' } | { state: 'wait'; retryAt: Date } | { state: 'locked' };

/** How long the next attempt must wait after this many failures in a row. */
export function waitAfter(failures: number, { freeFailures }: SignInThrottle): number {
  if (failures < freeFailures) return 0;
  return Math.min(FIRST_WAIT_MS * 2 ** (failures - freeFailures), LONGEST_WAIT_MS);
}

export async function signInGate(db: Db, username: string, throttle: SignInThrottle, now: Date): Promise<SignInGate> {
  const row = await db
    .selectFrom('sign_in_failures')
    .select(['failures', 'last_failed_at', 'locked_at'])
    .where('username', '=', username)
    .executeTakeFirst();
  if (!row) return { state: 'open' };
  if (row.locked_at !== null) return { state: 'locked' };
  const retryAt = new Date(Date.parse(row.last_failed_at) + waitAfter(Number(row.failures), throttle));
  return retryAt > now ? { state: 'wait', retryAt } : { state: 'open' };
}

export interface CountedFailure {
  failures: number;
  /** Locked, by this failure or an earlier one. */
  locked: boolean;
  /** Set when this very failure locked the name: the one that tells the administrators. */
  lockedAt?: string;
}

/** Counts a failed sign-in for the name, locking it when the count reaches the limit. */
export async function countFailure(
  db: Db,
  username: string,
  { lockAfter }: SignInThrottle,
  now: Date,
): Promise<CountedFailure> {
  const at = now.toISOString();
  const row = await db
    .insertInto('sign_in_failures')
    .values({ username, failures: 1, last_failed_at: at, locked_at: lockAfter <= 1 ? at : null })
    .onConflict((oc) =>
      oc.column('username').doUpdateSet({
        failures: sql<number>`sign_in_failures.failures + 1`,
        last_failed_at: at,
        // Set once: a lock keeps the moment it was set, which names its notice and its unlock.
        locked_at: sql<
          string | null
        >`case when sign_in_failures.locked_at is null and sign_in_failures.failures + 1 >= ${lockAfter} then ${at} else sign_in_failures.locked_at end`,
      }),
    )
    .returning(['failures', 'locked_at'])
    .executeTakeFirstOrThrow();
  // A lock carrying this statement's own moment was set by it (or by one in the same millisecond, whose notice has
  // the same key and is written once).
  const lockedHere = row.locked_at === at;
  return { failures: Number(row.failures), locked: row.locked_at !== null, ...(lockedHere && { lockedAt: at }) };
}

/**
 * How long failures are remembered without a new one: a name that has been quiet for a day starts counting afresh,
 * and names tried once by a guesser (most of them no account's) do not pile up in the table.
 */
export const FAILURES_FORGOTTEN_AFTER_MS = 24 * 3600_000;

/** Forgets every unlocked name whose last failure is older than a day; a lock stays until an administrator lifts it. */
export async function forgetOldFailures(db: Db, now: Date): Promise<void> {
  await db
    .deleteFrom('sign_in_failures')
    .where('locked_at', 'is', null)
    .where('last_failed_at', '<', new Date(now.getTime() - FAILURES_FORGOTTEN_AFTER_MS).toISOString())
    .execute();
}

/** A successful sign-in starts the count again; a lock set meanwhile by a concurrent failure stays. */
export async function clearFailures(db: Db, username: string): Promise<void> {
  await db.deleteFrom('sign_in_failures').where('username', '=', username).where('locked_at', 'is', null).execute();
}

export interface LockedName {
  username: string;
  /** The account's holder, when an account has the name. */
  personName?: string;
  failures: number;
  lockedAt: string;
}

/** Locked names, the latest lock first. */
export async function lockedNames(db: Db): Promise<LockedName[]> {
  const rows = await db
    .selectFrom('sign_in_failures')
    .leftJoin('users', 'users.id', 'sign_in_failures.username')
    .select(['sign_in_failures.username', 'sign_in_failures.failures', 'sign_in_failures.locked_at', 'users.name'])
    .where('sign_in_failures.locked_at', 'is not', null)
    .orderBy('sign_in_failures.locked_at', 'desc')
    .orderBy('sign_in_failures.username')
    .execute();
  return rows.map((row) => ({
    username: row.username,
    ...(row.name !== null && { personName: row.name }),
    failures: Number(row.failures),
    lockedAt: row.locked_at!,
  }));
}

/**
 * An administrator's unlock: written to the audit chain, then the name's failures are deleted. The audit entry is
 * keyed by the lock it lifts, so an unlock that is sent again (or that failed between the two writes and is retried)
 * appends nothing twice. False when the name is not locked.
 */
export async function unlockName(db: Db, username: string, by: string, now: Date): Promise<boolean> {
  const row = await db
    .selectFrom('sign_in_failures')
    .select(['failures', 'locked_at'])
    .where('username', '=', username)
    .where('locked_at', 'is not', null)
    .executeTakeFirst();
  if (!row) return false;
  await appendAudit(
    db,
    {
      at: now.toISOString(),
      actor: by,
      action: 'account-unlocked',
      workflowId: accountAuditKey(username),
      details: { username, failures: Number(row.failures), lockedAt: row.locked_at },
    },
    `account-unlocked:${username}:${row.locked_at}`,
  );
  await db
    .deleteFrom('sign_in_failures')
    .where('username', '=', username)
    .where('locked_at', '=', row.locked_at!)
    .execute();
  return true;
}

/** Where an account's entries sit in the audit log, beside the cases' `application-<number>`. */
export const accountAuditKey = (username: string): string => `account-${username}`;
