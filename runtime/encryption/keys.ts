/**
 * The keys that encrypt what Qualiflow hands to Temporal. The newest key encrypts; every key decrypts, so a rotation
 * (add a key, keep the old ones until no history in retention still needs them) never strands a running case.
 *
 * Two sources, in this order:
 * - PAYLOAD_KEYS in the environment: `id=base64,id=base64`, the first encrypting (a secret store injects this in
 *   production, so no key needs to sit on a disk);
 * - files `payload-<id>.key` in the key folder beside the seal keys, one base64 key each, the last by name encrypting.
 *   On a first start with none, one is made and the terminal says so, as for the seal key.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TFunction } from 'i18next';
import { loadPersonalDataKey } from '../../records/personalDataAccess';

/** AES-256: 32 bytes. */
export const KEY_BYTES = 32;

export interface PayloadKeys {
  /** The id written into every payload encrypted now. */
  readonly encryptWith: string;
  readonly keys: ReadonlyMap<string, Buffer>;
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** PAYLOAD_KEYS, or undefined when it is unset; a malformed value is one sentence that never repeats a key. */
export function payloadKeysSetting(raw: string | undefined, t: TFunction): PayloadKeys | undefined {
  if (!raw?.trim()) return undefined;
  const keys = new Map<string, Buffer>();
  for (const entry of raw.split(',')) {
    // The first '=' ends the id: base64 ends with its own.
    const [id, encoded] = splitOnce(entry.trim(), '=');
    const key = encoded === undefined ? undefined : strictBase64(encoded);
    if (!id || !KEY_ID.test(id) || key?.length !== KEY_BYTES || keys.has(id)) {
      throw new Error(t('cli:config.payloadKeys', { id: id && KEY_ID.test(id) ? id : '?' }));
    }
    keys.set(id, key);
  }
  return { encryptWith: keys.keys().next().value!, keys };
}

/**
 * The key files in `dir`, creating the first one when there is none. Several processes may start at once on one
 * data folder (`npm run worker` beside `npm run web`): the first key is written aside and linked into place, so
 * exactly one of them creates it and the others read the same key.
 */
export function loadPayloadKeyFiles(
  dir: string,
  t: TFunction,
  warn: (message: string) => void = console.warn,
): PayloadKeys {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (keyIds(dir).length === 0) {
    const keyId = `payload-${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`;
    const aside = path.join(dir, `.${keyId}.${process.pid}.tmp`);
    writeFileSync(aside, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600 });
    try {
      linkSync(aside, path.join(dir, `${keyId}.key`));
      warn(t('cli:start.payloadKeyGenerated', { keyId, dir }));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(aside, { force: true });
    }
  }
  const ids = keyIds(dir);
  const keys = new Map<string, Buffer>();
  for (const id of ids) {
    const key = strictBase64(readFileSync(path.join(dir, `${id}.key`), 'utf8').trim());
    if (key?.length !== KEY_BYTES)
      throw new Error(t('cli:config.payloadKeyFile', { file: path.join(dir, `${id}.key`) }));
    keys.set(id, key);
  }
  return { encryptWith: ids[ids.length - 1], keys };
}

function keyIds(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /^payload-[A-Za-z0-9._-]+\.key$/.test(name))
    .map((name) => name.slice(0, -'.key'.length))
    .sort();
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + separator.length)];
}

/** Base64 that decodes to exactly what it says: Buffer.from would skip stray characters and shorten the key. */
function strictBase64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

/**
 * The personal-data access log's HMAC key (records/personalDataAccess.ts), from the same key folder; made on the first
 * start, saying so in the words of the operator's terminal.
 */
export function personalDataKeyOf(sealKeyDir: string, t: TFunction): Buffer {
  return loadPersonalDataKey(sealKeyDir, (file) => console.warn(t('admin:personalData.keyGenerated', { file })));
}
