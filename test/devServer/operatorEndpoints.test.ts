/**
 * What an operator watches on a real server: a worker process serves the Temporal SDK's own metrics where
 * WORKER_METRICS_ADDRESS says, and the web app's /readyz answers 200 once the database and Temporal both answer.
 */
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../inbox-ui/app';
import { listen } from '../../inbox-ui/listen';
import { openDatabase } from '../../records/database';
import { registerSearchAttributes } from '../../runtime/searchAttributes';
import { freePort, PROJECT_ROOT, startDevServer } from '../../runtime/temporalServer';
import { eventually } from '../helpers/cases';
import { payloadKeysSetting, testPayloadKeys } from '../helpers/payloadKeys';

test('a worker serves the SDK’s metrics for Prometheus, and /readyz is 200 when Temporal and the database answer', async (t) => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'qualiflow-operator-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const server = await startDevServer();
  t.teardown(() => server.stop());
  const connection = await Connection.connect({ address: server.address });
  t.teardown(() => connection.close());
  await registerSearchAttributes(connection, 'default');

  const metricsAddress = `127.0.0.1:${await freePort()}`;
  const worker = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'worker', 'main.ts')], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_NAMESPACE: 'default',
      PAYLOAD_KEYS: payloadKeysSetting(testPayloadKeys()),
      WORKER_METRICS_ADDRESS: metricsAddress,
    },
    stdio: 'ignore',
  });
  t.teardown(() => worker.kill('SIGKILL'));
  const metrics = await eventually(
    'the worker’s metrics',
    async () => {
      const answer = await fetch(`http://${metricsAddress}/metrics`).catch(() => undefined);
      const text = answer?.ok ? await answer.text() : '';
      // Pollers report once the worker polls its task queue.
      return /^temporal_\w+/m.test(text) && text.includes('task_queue="qualiflow"') ? text : undefined;
    },
    60_000,
  );
  t.regex(metrics, /^# TYPE temporal_/m);

  const db = await openDatabase(path.join(dataDir, 'web.db'));
  t.teardown(() => db.destroy());
  const web = await listen(
    createApp({
      client: new Client({ connection }),
      db,
      temporalUiUrl: server.uiUrl!,
      namespace: 'default',
      personalDataKey: randomBytes(32),
    }),
    { port: 0, host: '127.0.0.1' },
  );
  t.teardown(() => web.close());
  const address = web.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
  t.is(ready.status, 200);
  t.deepEqual(await ready.json(), { ready: true, database: 'ok', temporal: 'ok' });
});
