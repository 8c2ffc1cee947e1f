/**
 * Investigation histories recorded by record.ts must replay against the current workflow code: an investigation runs
 * for months (a 60-day appeal window, department deadlines), so a change that breaks replay breaks running ones.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { Worker } from '@temporalio/worker';
import { UNTRACED_SINKS } from '../../worker/worker';
import { workflowBundle } from '../helpers/harness';

const dir = path.join(import.meta.dirname, 'histories');
const files = readdirSync(dir).filter((name) => name.endsWith('.json'));

test('investigation histories of real runs are kept for replay', (t) => {
  t.true(files.length >= 3, `found ${files.join(', ')}`);
});

for (const file of files) {
  test(`the recorded investigation ${file} replays against the current code`, async (t) => {
    const history = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    const result = await Worker.runReplayHistory(
      { workflowBundle: await workflowBundle(), sinks: UNTRACED_SINKS },
      history,
      file,
    );
    t.is(result, undefined);
  });
}
