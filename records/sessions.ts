/**
 * Sign-in sessions. A session is a random token handed to the browser (cookie) or API client (bearer); the table keeps
 * only its SHA-256, so reading the database signs nobody in. Sessions end at sign-out or after `SESSION_HOURS`.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './database';
import { findUser, type User } from './directory';

export const SESSION_HOURS = 12;

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

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

/** The signed-in user, or undefined for an unknown or expired token. */
export async function userOfSession(db: Db, token: string, now = new Date()): Promise<User | undefined> {
  const row = await db
    .selectFrom('sessions')
    .select(['user_id', 'expires_at'])
    .where('token_hash', '=', hashOf(token))
    .executeTakeFirst();
  if (!row || row.expires_at <= now.toISOString()) return undefined;
  return findUser(db, row.user_id);
}

export async function endSession(db: Db, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', hashOf(token)).execute();
}

/** Drops expired sessions; the web app calls it now and then so the table does not grow forever. */
export async function pruneSessions(db: Db, now = new Date()): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', now.toISOString()).executeTakeFirst();
  return Number(result.numDeletedRows);
}
