/**
 * Sign-in sessions. A session is a random token handed to the browser (cookie) or API client (bearer); the table keeps
 * only its SHA-256, so reading the database signs nobody in. Sessions end at sign-out or after `SESSION_HOURS`.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './database';
import { toUser, type User } from './directory';

export const SESSION_HOURS = 12;

/** What is stored of a bearer secret (a session's token, a reset link's): reading the database opens no account. */
export const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createSession(db: Db, userId: string, now = new Date()): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db
    .insertInto('sessions')
    .values({
      token_hash: hashOf(token),
      user_id: userId,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + SESSION_HOURS * 3600_000).toISOString(),
    })
    .execute();
  return token;
}

/**
 * The signed-in user, or undefined for an unknown or expired token, or one whose account has been deactivated (its
 * sessions are deleted then too; this also holds for one a sign-in racing the deactivation made).
 */
export async function userOfSession(db: Db, token: string, now = new Date()): Promise<User | undefined> {
  // One read on every request: the session, its user and the user's groups together (a row per group).
  const rows = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .leftJoin('user_groups', 'user_groups.user_id', 'users.id')
    .selectAll('users')
    .select(['sessions.expires_at as session_expires_at', 'user_groups.group_name'])
    .where('sessions.token_hash', '=', hashOf(token))
    .where('users.deactivated_at', 'is', null)
    .orderBy('user_groups.group_name')
    .execute();
  if (rows.length === 0 || rows[0].session_expires_at <= now.toISOString()) return undefined;
  const { session_expires_at: _expires, group_name: _group, ...user } = rows[0];
  const groups = rows.map((row) => row.group_name).filter((group): group is string => group !== null);
  return toUser(user, groups);
}

export async function endSession(db: Db, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', hashOf(token)).execute();
}

/**
 * Ends every session of a user, or every one but `except` (a token: the session that asked), and says how many ended.
 * Takes a transaction too, so a password change and the sign-outs it forces commit together.
 */
export async function endSessionsOf(db: Db, userId: string, { except }: { except?: string } = {}): Promise<number> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (except !== undefined) query = query.where('token_hash', '!=', hashOf(except));
  return Number((await query.executeTakeFirst()).numDeletedRows);
}

/** Drops expired sessions; the web app calls it now and then so the table does not grow forever. */
export async function pruneSessions(db: Db, now = new Date()): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', now.toISOString()).executeTakeFirst();
  return Number(result.numDeletedRows);
}
