/**
 * Encrypts every payload Qualiflow hands to Temporal (workflow inputs and results, activity arguments, updates,
 * queries, failures' messages): the Temporal server, its database, and every history export hold only ciphertext.
 *
 * A payload becomes AES-256-GCM over the whole original payload (its metadata too, so even the encoding is hidden),
 * with a fresh 96-bit nonce, and the key id in clear metadata so any process holding that key can open it. A payload
 * without our encoding passes through: histories written before encryption was turned on still replay and read.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { PayloadKeys } from './keys';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const ProtoPayload = proto.temporal.api.common.v1.Payload;
const text = new TextEncoder();
const fromText = new TextDecoder();

/** A payload that names a key this process does not hold: say which, so the operator knows what to add. */
export class UnknownPayloadKeyError extends Error {
  constructor(readonly keyId: string) {
    super(
      `This payload was encrypted with the key "${keyId}", which this process does not have (PAYLOAD_KEYS or the key folder).`,
    );
    this.name = 'UnknownPayloadKeyError';
  }
}

export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keyRing: PayloadKeys) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.decrypt(payload));
  }

  encrypt(payload: Payload): Payload {
    const keyId = this.keyRing.encryptWith;
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keyRing.keys.get(keyId)!, nonce);
    // The key id is authenticated too: a payload moved under another id fails rather than decrypting to garbage.
    cipher.setAAD(text.encode(keyId));
    const sealed = Buffer.concat([cipher.update(ProtoPayload.encode(payload).finish()), cipher.final()]);
    return {
      metadata: { encoding: text.encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: text.encode(keyId) },
      data: Buffer.concat([nonce, sealed, cipher.getAuthTag()]),
    };
  }

  decrypt(payload: Payload): Payload {
    if (!isEncrypted(payload)) return payload;
    const keyId = fromText.decode(payload.metadata![KEY_ID_METADATA] ?? new Uint8Array());
    const key = this.keyRing.keys.get(keyId);
    if (!key) throw new UnknownPayloadKeyError(keyId);
    const data = Buffer.from(payload.data ?? new Uint8Array());
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, NONCE_BYTES));
    decipher.setAAD(text.encode(keyId));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    const plain = Buffer.concat([
      decipher.update(data.subarray(NONCE_BYTES, data.length - TAG_BYTES)),
      decipher.final(),
    ]);
    return ProtoPayload.decode(plain);
  }
}

export function isEncrypted(payload: Payload): boolean {
  const encoding = payload.metadata?.encoding;
  return encoding !== undefined && encoding !== null && fromText.decode(encoding) === ENCRYPTED_ENCODING;
}
