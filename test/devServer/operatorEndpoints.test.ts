/**
 * What an operator watches on a real server: a worker process serves the Temporal SDK's own metrics where
 * WORKER_METRICS_ADDRESS says, and the web app's /readyz answers 200 once the database and Temporal both answer.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import test from 'ava';
import { Client } from '@temporalio/client';
import { createApp } from '../../inbox-ui/app';
import { listen } from '../../inbox-ui/listen';
import { openDatabase } from '../../records/database';
import { freePort } from '../../runtime/temporalServer';
import { eventually } from '../helpers/cases';
import { workerCluster } from './workerProcesses';

test('a worker serves the SDK’s metrics for Prometheus, and /readyz is 200 when Temporal and the database answer', async (t) => {
  const { dataDir, server, connection, startWorker } = await workerCluster(t, 'operator');
  const metricsAddress = `127.0.0.1:${await freePort()}`;
  startWorker({ WORKER_METRICS_ADDRESS: metricsAddress });
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
