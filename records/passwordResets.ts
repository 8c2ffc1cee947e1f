/**
 * Passwords after the demo seed: a person changes their own, and an administrator issues a one-time link with which a
 * person who cannot sign in sets a new one (migration 0021). A link is a random token of which only the SHA-256 is
 * kept; it works once, for a day, and a newer link for the same person voids it. A deactivated account gets no link,
 * and its deactivation voids the links it had (accounts.ts), so that a link handed on before someone left cannot let
 * them back in, then or after a reactivation. Every change is written to the audit chain under the account's key, in
 * the same transaction as the change itself; an entry names who and when, never a password or a token.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { appendAuditWithin } from './audit';
import type { Db } from './database';
import { hashPassword } from './directory';
import { endSessionsOf, hashOf } from './sessions';
import { accountAuditKey } from './signInFailures';

/** How long an issued link may be used. */
export const RESET_LINK_HOURS = 24;

/** Where a link's token is used: the path the administrator hands on. */
export const resetPath = (token: string): string => `/account/reset/${token}`;

/**
 * Deletes the person's unused links, within the caller's transaction, whose audit entry says so: a voided link then
 * answers as an unknown one. Returns how many there were.
 */
export async function voidResetLinksWithin(trx: Db, userId: string): Promise<number> {
  const voided = await trx
    .deleteFrom('password_resets')
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(voided.numDeletedRows);
}

/** Sets the password, deleting the person's unused links (the new password supersedes them); no audit of its own. */
async function storePassword(trx: Db, userId: string, passwordHash: string): Promise<void> {
  await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
  await voidResetLinksWithin(trx, userId);
}

/**
 * A person's own change, once the route has checked their current password: the new one is set, every session of
 * theirs but `keep` (the one that asked) is ended, and `password-changed` is audited. Returns how many sessions ended.
 */
export async function changeOwnPassword(
  db: Db,
  userId: string,
  password: string,
  { keep, now }: { keep: string; now: Date },
): Promise<{ endedSessions: number }> {
  const passwordHash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    await storePassword(trx, userId, passwordHash);
    const endedSessions = await endSessionsOf(trx, userId, { except: keep });
    const at = now.toISOString();
    await appendAuditWithin(
      trx,
      {
        at,
        actor: userId,
        action: 'password-changed',
        workflowId: accountAuditKey(userId),
        details: { username: userId, endedSessions },
      },
      `password-changed:${userId}:${at}:${randomUUID()}`,
    );
    return { endedSessions };
  });
}

export interface IssuedReset {
  /** The token, to be shown once: nothing keeps it. */
  token: string;
  path: string;
  expiresAt: string;
}

/** What an administrator's request for a link found: the link, or why there is none. */
export type ResetIssue = ({ outcome: 'issued' } & IssuedReset) | { outcome: 'unknown' } | { outcome: 'deactivated' };

/**
 * An administrator's link for `username`: earlier unused links of theirs are voided, the new one's hash is stored and
 * `password-reset-issued` is audited. `unknown` when no account has the name, `deactivated` for a deactivated account
 * (nothing is written for either).
 */
export async function issuePasswordReset(db: Db, username: string, by: string, now: Date): Promise<ResetIssue> {
  const token = randomBytes(32).toString('base64url');
  const createdAt = now.toISOString();
  const expiresAt = new Date(now.getTime() + RESET_LINK_HOURS * 3600_000).toISOString();
  return db.transaction().execute(async (trx): Promise<ResetIssue> => {
    const user = await trx
      .selectFrom('users')
      .select(['id', 'deactivated_at'])
      .where('id', '=', username)
      .executeTakeFirst();
    if (!user) return { outcome: 'unknown' };
    if (user.deactivated_at) return { outcome: 'deactivated' };
    await voidResetLinksWithin(trx, user.id);
    await trx
      .insertInto('password_resets')
      .values({
        token_hash: hashOf(token),
        user_id: user.id,
        created_by: by,
        created_at: createdAt,
        expires_at: expiresAt,
        used_at: null,
      })
      .execute();
    await appendAuditWithin(
      trx,
      {
        at: createdAt,
        actor: by,
        action: 'password-reset-issued',
        workflowId: accountAuditKey(user.id),
        details: { username: user.id, expiresAt },
      },
      `password-reset-issued:${hashOf(token)}`,
    );
    return { outcome: 'issued', token, path: resetPath(token), expiresAt };
  });
}

/**
 * The accounts a link may set the password of: active ones. Deactivation deletes the links, and reactivation deletes
 * any that a request for one made while the deactivation was under way could have left; this keeps such a link dead
 * in between.
 */
const activeAccounts = (db: Db) => db.selectFrom('users').select('id').where('deactivated_at', 'is', null);

/** The account a link may still set the password of; undefined for a token unknown, used or expired alike. */
export async function userOfResetToken(db: Db, token: string, now: Date): Promise<string | undefined> {
  const row = await db
    .selectFrom('password_resets')
    .select('user_id')
    .where('token_hash', '=', hashOf(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .where('user_id', 'in', activeAccounts(db))
    .executeTakeFirst();
  return row?.user_id;
}

/**
 * Uses a link: in one transaction the token is marked used (one statement that only an unused, unexpired token
 * passes, so two submissions at once set one password), the password is set, every session of the person is ended
 * and `password-reset-used` is audited. Undefined when the token is unknown, used or expired (or its account is
 * deactivated).
 */
export async function usePasswordReset(
  db: Db,
  token: string,
  password: string,
  now: Date,
): Promise<{ userId: string; endedSessions: number } | undefined> {
  const passwordHash = await hashPassword(password);
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('password_resets')
      .set({ used_at: at })
      .where('token_hash', '=', hashOf(token))
      .where('used_at', 'is', null)
      .where('expires_at', '>', at)
      .where('user_id', 'in', activeAccounts(trx))
      .returning(['user_id', 'created_by', 'created_at'])
      .executeTakeFirst();
    if (!row) return undefined;
    await storePassword(trx, row.user_id, passwordHash);
    const endedSessions = await endSessionsOf(trx, row.user_id);
    await appendAuditWithin(
      trx,
      {
        at,
        actor: row.user_id,
        action: 'password-reset-used',
        workflowId: accountAuditKey(row.user_id),
        details: { username: row.user_id, issuedBy: row.created_by, issuedAt: row.created_at, endedSessions },
      },
      `password-reset-used:${hashOf(token)}`,
    );
    return { userId: row.user_id, endedSessions };
  });
}
