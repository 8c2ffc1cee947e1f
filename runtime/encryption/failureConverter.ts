/**
 * Failures' messages and stack traces go into an encoded attribute, so the payload codec encrypts them as well: an
 * activity's error can quote a candidate's email address (an SMTP refusal) or name. Loaded by path, because the
 * workflow bundle needs it too (runtime/encryption/dataConverter.ts).
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
