/**
 * The appraisal institution's special seal: an Ed25519 signature over the certificate's canonical content. Keys live
 * in files named by their key id; the newest signs, every key verifies, so a rotation never invalidates old seals.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { translator } from '../i18n';
import { cliLanguage } from '../runtime/config';

export interface SealKeys {
  signingKeyId: string;
  privateKey: KeyObject;
  publicKeys: Map<string, KeyObject>;
}

/**
 * Loads `seal-<keyId>.key` files; on a first start with none, creates one and says so, in the words of the operator's
 * terminal (its locale: runtime/config.ts cliLanguage).
 */
export function loadSealKeys(dir: string, warn: (message: string) => void = console.warn): SealKeys {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let ids = keyIds(dir);
  if (ids.length === 0) {
    const keyId = `seal-${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`;
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(path.join(dir, `${keyId}.key`), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    warn(translator(cliLanguage())('cli:start.sealKeyGenerated', { keyId, dir }));
    ids = [keyId];
  }
  const publicKeys = new Map<string, KeyObject>();
  for (const id of ids) publicKeys.set(id, createPublicKey(readFileSync(path.join(dir, `${id}.key`))));
  const signingKeyId = ids[ids.length - 1];
  const privateKey = createPrivateKey(readFileSync(path.join(dir, `${signingKeyId}.key`)));
  return { signingKeyId, privateKey, publicKeys };
}

function keyIds(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /^seal-[\w-]+\.key$/.test(name))
    .map((name) => name.slice(0, -'.key'.length))
    .sort();
}

/** One byte sequence per content: keys sorted, no insignificant white space, undefined fields dropped. */
export function canonicalise(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalise).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalise(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function signContent(keys: SealKeys, content: string): { keyId: string; signature: string } {
  return { keyId: keys.signingKeyId, signature: sign(null, Buffer.from(content), keys.privateKey).toString('base64') };
}

export function verifySeal(keys: SealKeys, content: string, seal: { keyId: string; signature: string }): boolean {
  const key = keys.publicKeys.get(seal.keyId);
  return !!key && verify(null, Buffer.from(content), key, Buffer.from(seal.signature, 'base64'));
}
