/**
 * One data converter for every process that talks to Temporal (the web app, the worker, the command-line clients, the
 * tests and the bench): JSON as before, then encryption.
 */
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec } from './codec';
import type { PayloadKeys } from './keys';

/** Loaded by path, for the worker's sake: `bundleWorkflowCode` builds it into workflow code, which encodes its failures too. */
export const FAILURE_CONVERTER_PATH = fileURLToPath(new URL('./failureConverter.ts', import.meta.url));

/** For clients and workers alike: a worker's activities and workflows encode as its clients do. */
export function encryptedDataConverter(keys: PayloadKeys): DataConverter {
  return { payloadCodecs: [new EncryptionCodec(keys)], failureConverterPath: FAILURE_CONVERTER_PATH };
}
