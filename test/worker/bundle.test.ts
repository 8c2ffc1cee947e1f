/**
 * The workflow bundle is built in a child process (worker/bundle.ts), so that webpack's memory never becomes the
 * worker's. What the worker gets back must be the bundle it would have built itself, and a bundle that cannot be built
 * must say why.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { bundleApart } from '../../worker/bundle';
import { WORKFLOW_BUNDLE_OPTIONS } from '../../worker/worker';

test('the bundle built apart holds the workflows, the failure converter and the tracing interceptors', async (t) => {
  const { code } = await bundleApart(WORKFLOW_BUNDLE_OPTIONS);
  for (const part of ['applicationWorkflow', 'sessionWorkflow', 'investigationWorkflow', 'retentionWorkflow']) {
    t.true(code.includes(part), `the bundle has ${part}`);
  }
  t.true(code.includes('failureConverter'), 'and the failure converter that encrypts messages');
  t.true(code.includes('workflows/tracing.ts'), 'and the tracing interceptors');
});

test('a workflow module that does not compile stops the bundle with the reason', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'qualiflow-bundle-test-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const workflowsPath = path.join(dir, 'workflows.ts');
  writeFileSync(workflowsPath, "import { nothing } from './not-there';\nexport async function broken() { nothing(); }\n");
  const error = await t.throwsAsync(bundleApart({ workflowsPath }));
  t.regex(error!.message, /^Could not bundle the workflows: /);
  t.regex(error!.message, /not-there/);
});
