/**
 * Histories recorded from real runs (see record.ts) must replay against the current workflow code without
 * nondeterminism: this is what keeps a change from breaking the cases that are running for months or years.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { Worker } from '@temporalio/worker';
import { applicationFor } from '../helpers/applications';
import { Level } from '../../domain/levels';
import { encryptedDataConverter } from '../../runtime/encryption/dataConverter';
import { workflowBundle } from '../helpers/harness';
import { UNTRACED_SINKS } from '../../worker/worker';
import { REPLAY_PAYLOAD_KEYS } from './payloadKeys';

const dir = path.join(import.meta.dirname, 'histories');
const files = readdirSync(dir).filter((name) => name.endsWith('.json'));

test('histories of real runs are kept for replay', (t) => {
  t.true(files.length >= 4, `found ${files.join(', ')}`);
});

// Histories from before payload encryption are plain JSON; the codec passes them through, as it does for running cases.
const dataConverter = encryptedDataConverter(REPLAY_PAYLOAD_KEYS);

for (const file of files) {
  test(`the recorded history ${file} replays against the current code`, async (t) => {
    const history = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    const result = await Worker.runReplayHistory(
      // The bundle holds the tracing interceptors (worker/worker.ts); a replay drops their spans.
      { workflowBundle: await workflowBundle(), dataConverter, sinks: UNTRACED_SINKS },
      history,
      file,
    );
    t.is(result, undefined);
  });
}

test('an encrypted history is among them, and it holds the candidate only as ciphertext', (t) => {
  const encrypted = readFileSync(path.join(dir, 'level4-encrypted-issued.json'), 'utf8');
  const { name, idNumber } = applicationFor(Level.Intermediate).candidate;
  const clear = Buffer.from(encrypted).toString('latin1') + base64Decoded(encrypted);
  t.false(clear.includes(idNumber));
  t.false(clear.includes(name));
  t.true(encrypted.includes(Buffer.from('binary/encrypted').toString('base64')));
});

/** Every base64 value in the file decoded, so a payload that was merely encoded (JSON in base64) would be seen. */
function base64Decoded(json: string): string {
  return [...json.matchAll(/"([A-Za-z0-9+/]{8,}={0,2})"/g)]
    .map(([, value]) => Buffer.from(value, 'base64').toString('utf8'))
    .join('\n');
}
