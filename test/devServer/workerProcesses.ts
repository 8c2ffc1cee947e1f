/**
 * A dev server with real `npm run worker` processes (worker/main.ts) beside it, for the tests that watch what an
 * operator would: the processes are the ones a deployment runs, started as child processes with the settings a
 * deployment gives them. Everything is stopped and removed when the test ends; workers are killed with SIGKILL, since
 * their shutdown is not what these tests look at.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ExecutionContext } from 'ava';
import { Connection } from '@temporalio/client';
import type { PayloadKeys } from '../../runtime/encryption/keys';
import { registerSearchAttributes } from '../../runtime/searchAttributes';
import { PROJECT_ROOT, type RunningServer, startDevServer } from '../../runtime/temporalServer';
import { payloadKeysSetting, testPayloadKeys } from '../helpers/payloadKeys';

export interface WorkerCluster {
  /** The workers' DATA_DIR: their SQLite database is `qualiflow.db` in it. */
  dataDir: string;
  server: RunningServer;
  connection: Connection;
  /** The keys the workers read from PAYLOAD_KEYS, for a client that reads what they write. */
  keys: PayloadKeys;
  /** Starts one more worker process; `settings` are added to its environment. */
  startWorker(settings?: Record<string, string>): ChildProcess;
}

/** `name` tells the test's data folder apart in the temporary folder. */
export async function workerCluster(t: ExecutionContext, name: string): Promise<WorkerCluster> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `qualiflow-${name}-`));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const server = await startDevServer();
  t.teardown(() => server.stop());
  const connection = await Connection.connect({ address: server.address });
  t.teardown(() => connection.close());
  await registerSearchAttributes(connection, 'default');
  // The workers and the test's client share keys as a cluster's processes do: from PAYLOAD_KEYS.
  const keys = testPayloadKeys();
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_NAMESPACE: 'default',
    PAYLOAD_KEYS: payloadKeysSetting(keys),
  };
  return {
    dataDir,
    server,
    connection,
    keys,
    startWorker(settings = {}) {
      const worker = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'worker', 'main.ts')], {
        cwd: PROJECT_ROOT,
        env: { ...env, ...settings },
        stdio: 'ignore',
      });
      t.teardown(() => worker.kill('SIGKILL'));
      return worker;
    },
  };
}
