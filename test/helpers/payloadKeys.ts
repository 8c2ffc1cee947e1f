/**
 * Payload keys for tests: each harness (and each test that runs the product's processes) has its own, so no test can
 * pass by reading another's payloads.
 */
import { randomBytes } from 'node:crypto';
import type { PayloadKeys } from '../../runtime/encryption/keys';

/** A fresh key that encrypts, beside an older one it may still be asked to decrypt with. */
export function testPayloadKeys(): PayloadKeys {
  return {
    encryptWith: 'test-new',
    keys: new Map([
      ['test-new', randomBytes(32)],
      ['test-old', randomBytes(32)],
    ]),
  };
}

/** The keys as PAYLOAD_KEYS gives them to a process: `id=base64,…`, the encrypting one first. */
export function payloadKeysSetting(keys: PayloadKeys): string {
  const ids = [keys.encryptWith, ...[...keys.keys.keys()].filter((id) => id !== keys.encryptWith)];
  return ids.map((id) => `${id}=${keys.keys.get(id)!.toString('base64')}`).join(',');
}
