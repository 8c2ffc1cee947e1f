/** The flash store (see migrations/0008_flashes.ts): put once, taken once, gone after FLASH_MINUTES. */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './database';

export const FLASH_MINUTES = 10;

const hashOf = (binding: string) => createHash('sha256').update(binding).digest('hex');

/**
 * Stores a payload for one browser; returns the id its cookie (or a form) carries. Expired rows go at the same time.
 * A flash lives FLASH_MINUTES; a preview kept for its confirmation (inbox-ui/flash.ts keepForConfirmation) longer.
 */
export async function putFlash(
  db: Db,
  binding: string,
  payload: unknown,
  now = new Date(),
  minutes = FLASH_MINUTES,
): Promise<string> {
  const id = randomBytes(18).toString('base64url');
  await db.deleteFrom('flashes').where('expires_at', '<=', now.toISOString()).execute();
  await db
    .insertInto('flashes')
    .values({
      id,
      binding_hash: hashOf(binding),
      payload: JSON.stringify(payload),
      expires_at: new Date(now.getTime() + minutes * 60_000).toISOString(),
    })
    .execute();
  return id;
}

/** The payload left for this browser under this id, removed as it is read; undefined if none (or another's). */
export async function takeFlashPayload(db: Db, id: string, binding: string, now = new Date()): Promise<unknown> {
  const row = await db
    .deleteFrom('flashes')
    .where('id', '=', id)
    .where('binding_hash', '=', hashOf(binding))
    .returning(['payload', 'expires_at'])
    .executeTakeFirst();
  if (!row || row.expires_at <= now.toISOString()) return undefined;
  return JSON.parse(row.payload) as unknown;
}
