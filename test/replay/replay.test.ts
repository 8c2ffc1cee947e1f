/**
 * Histories recorded from real runs (see record.ts) must replay against the current workflow code without
 * nondeterminism: this is what keeps a change from breaking the cases that are running for months or years.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../helpers/harness';

const dir = path.join(import.meta.dirname, 'histories');
const files = readdirSync(dir).filter((name) => name.endsWith('.json'));

test('histories of real runs are kept for replay', (t) => {
  t.true(files.length >= 4, `found ${files.join(', ')}`);
});

for (const file of files) {
  test(`the recorded history ${file} replays against the current code`, async (t) => {
    const history = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    const result = await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, file);
    t.is(result, undefined);
  });
}
