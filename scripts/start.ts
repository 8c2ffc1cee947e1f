/**
 * `npm start`: the whole product on one machine. Without TEMPORAL_ADDRESS it installs (once) and starts the Temporal
 * dev server persisted to ./data, then runs the worker and the web app in this process. Ctrl-C stops them in order:
 * web, worker (running activities finish), server. The next start resumes every open case, timers included.
 */
import { loadCjkFont } from '../activities/certificateDocument';
import { buildActivityDeps } from '../worker/deps';
import { describeSmtpUrl } from '../worker/deliveries';
import { createWorker } from '../worker/worker';
import { createApp } from '../inbox-ui/app';
import { listen } from '../inbox-ui/listen';
import { describeTarget } from '../records/database';
import { databaseTarget, loadConfig } from '../runtime/config';
import { installSdkLogging } from '../runtime/logging';
import { stopOnSignals } from '../runtime/shutdown';
import { connectTemporal } from '../runtime/temporal';

async function main(): Promise<void> {
  const config = loadConfig();
  // Before the Temporal server starts: without the font no certificate or ticket could be printed.
  loadCjkFont();
  installSdkLogging();
  const external = Boolean(config.temporal.connection);
  console.log(
    external
      ? `Connecting to Temporal at ${config.temporal.connection!.address} …`
      : 'Starting the Temporal dev server …',
  );
  const temporal = await connectTemporal(config, { startServer: !external });
  const deps = await buildActivityDeps(config);
  const worker = await createWorker({ connection: temporal.nativeConnection, namespace: temporal.namespace, deps });
  const running = worker.run();
  deps.mail?.start();
  const web = await listen(
    createApp({
      client: temporal.client,
      db: deps.db,
      temporalUiUrl: temporal.uiUrl,
      namespace: temporal.namespace,
      seal: deps.seal,
    }),
    config.web,
  );
  console.log(
    [
      '',
      `Qualiflow is running.`,
      `  Web app:          ${config.web.publicUrl}`,
      `  Temporal Web UI:  ${temporal.uiUrl}`,
      `  Temporal:         ${external ? config.temporal.connection!.address : `127.0.0.1:${config.devServer.port}`} (namespace ${temporal.namespace})`,
      `  Data:             ${config.dataDir}`,
      `  Database:         ${describeTarget(databaseTarget(config))}`,
      `  Email:            ${config.mail.smtpUrl ? `SMTP via ${describeSmtpUrl(config.mail.smtpUrl)}` : 'none (notices are in the notification log)'}`,
      'Press Ctrl-C to stop.',
    ].join('\n'),
  );

  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= stopInOrder());
  const stopInOrder = async () => {
    console.log('\nStopping …');
    await web.close();
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
    await deps.mail?.stop();
    await deps.db.destroy();
    await temporal.close();
    console.log('Stopped.');
  };
  // The worker also listens for the first of these signals and shuts itself down; `stop` waits for that and then the
  // rest, and later signals only wait with it.
  stopOnSignals(stop);
  await running.catch(async (error) => {
    console.error(`The worker stopped: ${error.message}`);
    await stop();
    process.exitCode = 1;
  });
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
