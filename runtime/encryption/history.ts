/**
 * A history as the server keeps it holds encrypted payloads. Pages that read a history themselves (the administrator's
 * case timeline, the bench's reports) decode it first, with the same codecs as the client: every payload in place,
 * and a failure's message and stack trace back from its encoded attributes (runtime/encryption/failureConverter.ts).
 */
import { defaultPayloadConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';

type History = temporal.api.history.v1.IHistory;

const ENCODED_FAILURE_MESSAGE = 'Encoded failure';

export async function decodeHistory<H extends History>(history: H, codecs: readonly PayloadCodec[]): Promise<H> {
  if (codecs.length > 0) await decodeWithin(history, codecs);
  return history;
}

async function decodeWithin(node: unknown, codecs: readonly PayloadCodec[]): Promise<void> {
  if (!node || typeof node !== 'object' || ArrayBuffer.isView(node)) return;
  const record = node as Record<string, unknown>;
  for (const [field, value] of Object.entries(record)) {
    if (isPayload(value)) record[field] = await decodeOne(value, codecs);
    else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        if (isPayload(value[i])) value[i] = await decodeOne(value[i], codecs);
        else await decodeWithin(value[i], codecs);
      }
    } else await decodeWithin(value, codecs);
  }
  if (record.message === ENCODED_FAILURE_MESSAGE && isPayload(record.encodedAttributes)) {
    const attributes = readJson(record.encodedAttributes);
    if (typeof attributes?.message === 'string') record.message = attributes.message;
    if (typeof attributes?.stack_trace === 'string') record.stackTrace = attributes.stack_trace;
  }
}

async function decodeOne(payload: Payload, codecs: readonly PayloadCodec[]): Promise<Payload> {
  let decoded = [payload];
  // Codecs decode in the reverse of the order they encode.
  for (const codec of [...codecs].reverse()) decoded = await codec.decode(decoded);
  return decoded[0];
}

function isPayload(value: unknown): value is Payload {
  if (!value || typeof value !== 'object') return false;
  const { metadata, data } = value as Payload;
  return ArrayBuffer.isView(data) && !!metadata && typeof metadata === 'object' && !ArrayBuffer.isView(metadata);
}

function readJson(payload: Payload): Record<string, unknown> | undefined {
  try {
    return defaultPayloadConverter.fromPayload<Record<string, unknown>>(payload);
  } catch {
    return undefined;
  }
}
