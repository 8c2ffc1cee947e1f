/**
 * `npm run worker`: one more worker process for the configured Temporal cluster (or the embedded dev server that
 * `npm start` runs). Workers are stateless; run as many as the load needs.
 */
import { loadCjkFont } from '../activities/cjkFont';
import { loadConfig } from '../runtime/config';
import { installSdkRuntime } from '../runtime/logging';
import { ensureRetentionSchedule } from '../runtime/retention';
import { stopOnSignals } from '../runtime/shutdown';
import { connectTemporal } from '../runtime/temporal';
import { startTracing } from '../runtime/tracing';
import { buildActivityDeps } from './deps';
import { createWorker } from './worker';

const config = loadConfig();
// Before connecting: a worker without the font would take certificate tasks and fail every one.
loadCjkFont();
installSdkRuntime({ metricsAddress: config.workerMetricsAddress });
const tracing = startTracing(config.tracing, 'qualiflow-worker');
const temporal = await connectTemporal(config, { startServer: false, tracing });
const deps = await buildActivityDeps(config);
// The daily removal of personal data after the retention period (runtime/retention.ts).
await ensureRetentionSchedule(temporal.client);
// Email goes out beside the worker, never inside an activity (see worker/deliveries.ts).
deps.mail?.start();
const worker = await createWorker({
  connection: temporal.nativeConnection,
  namespace: temporal.namespace,
  dataConverter: temporal.dataConverter,
  deps,
  tracing,
});
// The SDK shuts the worker down on the first SIGINT/SIGTERM and lets running activities finish; our handlers keep a
// second signal from killing the process while they do.
stopOnSignals(async () => {
  if (worker.getState() === 'RUNNING') worker.shutdown();
});
await worker.run();
await deps.mail?.stop();
await deps.db.destroy();
await temporal.close();
// Last: the spans of the activities that finished while the worker stopped.
await tracing?.shutdown();
