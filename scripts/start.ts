/**
 * `npm start`: the whole product on one machine. Without TEMPORAL_ADDRESS it installs (once) and starts the Temporal
 * dev server persisted to ./data, then runs the worker and the web app in this process. Ctrl-C stops them in order:
 * web, worker (running activities finish), server. The next start resumes every open case, timers included.
 */
import { loadCjkFont } from '../activities/cjkFont';
import { buildActivityDeps } from '../worker/deps';
import { describeSmtpUrl } from '../worker/deliveries';
import { createWorker } from '../worker/worker';
import { createApp } from '../inbox-ui/app';
import { listen } from '../inbox-ui/listen';
import { DEFAULT_SIGN_IN_LIMITS } from '../inbox-ui/routes/session';
import { describeTarget } from '../records/database';
import { databaseTarget, loadConfig } from '../runtime/config';
import { personalDataKeyOf } from '../runtime/encryption/keys';
import { installSdkRuntime } from '../runtime/logging';
import { ensureRetentionSchedule } from '../runtime/retention';
import { stopOnSignals } from '../runtime/shutdown';
import { connectTemporal } from '../runtime/temporal';
import { startTracing } from '../runtime/tracing';
import { t } from './cli';

async function main(): Promise<void> {
  const config = loadConfig();
  // Before the Temporal server starts: without the font no certificate or ticket could be printed.
  loadCjkFont();
  installSdkRuntime({ metricsAddress: config.workerMetricsAddress });
  const external = Boolean(config.temporal.connection);
  console.log(
    external
      ? t('cli:start.connecting', { address: config.temporal.connection!.address })
      : t('cli:start.startingServer'),
  );
  // The web app and the worker trace as two services, as they would in two processes.
  const webTracing = startTracing(config.tracing, 'qualiflow-web');
  const workerTracing = startTracing(config.tracing, 'qualiflow-worker');
  const temporal = await connectTemporal(config, { startServer: !external, tracing: webTracing });
  const deps = await buildActivityDeps(config);
  // The daily removal of personal data after the retention period (runtime/retention.ts).
  await ensureRetentionSchedule(temporal.client);
  const worker = await createWorker({
    connection: temporal.nativeConnection,
    namespace: temporal.namespace,
    dataConverter: temporal.dataConverter,
    deps,
    tracing: workerTracing,
  });
  const running = worker.run();
  deps.mail?.start();
  const web = await listen(
    createApp({
      client: temporal.client,
      db: deps.db,
      temporalUiUrl: temporal.uiUrl,
      namespace: temporal.namespace,
      seal: deps.seal,
      publicUrl: config.web.publicUrl,
      emailNotices: config.mail.smtpUrl !== undefined,
      trustProxy: config.web.trustProxy,
      demoDirectory: !config.databaseUrl,
      signInLimits: { ...DEFAULT_SIGN_IN_LIMITS, perAccount: config.signInLockAfter },
      metricsToken: config.metricsToken,
      personalDataKey: personalDataKeyOf(config.sealKeyDir, t),
      calendar: deps.policy.calendar,
      tracer: webTracing?.tracer,
    }),
    config.web,
  );
  const address = external ? config.temporal.connection!.address : `127.0.0.1:${config.devServer.port}`;
  const { smtpUrl } = config.mail;
  console.log(
    [
      '',
      t('cli:start.running'),
      t('cli:start.webApp', { url: config.web.publicUrl }),
      t('cli:start.temporalUi', { url: temporal.uiUrl }),
      t('cli:start.temporal', { address, namespace: temporal.namespace }),
      t('cli:start.data', { dir: config.dataDir }),
      t('cli:start.database', { database: describeTarget(databaseTarget(config)) }),
      smtpUrl ? t('cli:start.emailSmtp', { smtp: describeSmtpUrl(smtpUrl) }) : t('cli:start.emailNone'),
      t('cli:start.pressCtrlC'),
    ].join('\n'),
  );

  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= stopInOrder());
  const stopInOrder = async () => {
    console.log(`\n${t('cli:start.stopping')}`);
    await web.close();
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
    await deps.mail?.stop();
    await deps.db.destroy();
    await temporal.close();
    await Promise.all([webTracing?.shutdown(), workerTracing?.shutdown()]);
    console.log(t('cli:start.stopped'));
  };
  // The worker also listens for the first of these signals and shuts itself down; `stop` waits for that and then the
  // rest, and later signals only wait with it.
  stopOnSignals(stop);
  await running.catch(async (error) => {
    console.error(t('cli:start.workerStopped', { message: error.message }));
    await stop();
    process.exitCode = 1;
  });
}

// The refusals of the modules start-up runs (configuration, font, Temporal server) are one sentence each.
main().catch((error: Error) => {
  console.error(t('cli:start.refused', { reason: error.message }));
  process.exit(1);
});
