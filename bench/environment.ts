/**
 * The bench's world: a dev server of its own, the search attributes registered, one worker in this process serving
 * both the product's case workflow and the baseline on one task queue, and a client.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { DEFAULT_POLICY } from '../activities/policy';
import { loadSealKeys } from '../activities/seal';
import { DEFAULT_CATALOGUE } from '../domain/occupations';
import { type Db, openDatabase } from '../records/database';
import { institutionFor } from '../runtime/organisations';
import { registerSearchAttributes } from '../runtime/searchAttributes';
import { startDevServer } from '../runtime/temporalServer';
import { baselineActivities } from './baselineActivities';

const WORKFLOWS_PATH = path.join(import.meta.dirname, 'workflows.ts');
const NAMESPACE = 'default';

/** The server, the worker and the client of one bench run, and how to take them down again. */
export interface BenchEnvironment {
  client: Client;
  /** The product's application database (SQLite, the embedded default), which the inbox bench fills. */
  db: Db;
  taskQueue: string;
  /** Settles when the worker stops; rejects if it fails. */
  workerRunning: Promise<void>;
  teardown(): Promise<void>;
}

export async function startEnvironment(): Promise<BenchEnvironment> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'qualiflow-bench-'));
  // In memory: the bench measures the workflows, not the server's disk; both kinds share the server all the same.
  const server = await startDevServer();
  const connection = await Connection.connect({ address: server.address });
  await registerSearchAttributes(connection, NAMESPACE);
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const deps = await productActivityDeps(dir);
  const taskQueue = `bench-${process.pid}`;
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: NAMESPACE,
    taskQueue,
    // The product's activities, as worker/worker.ts registers them, beside the baseline's no-ops.
    activities: { ...createActivities(deps), ...baselineActivities },
    workflowBundle: await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger }),
  });
  const workerRunning = worker.run();
  return {
    client: new Client({ connection, namespace: NAMESPACE }),
    db: deps.db,
    taskQueue,
    workerRunning,
    async teardown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await workerRunning.catch(() => {});
      await nativeConnection.close();
      await connection.close();
      await server.stop();
      await deps.db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The product's real activities over a fresh SQLite database, as the tests build them. */
async function productActivityDeps(dir: string): Promise<ActivityDeps> {
  return {
    db: await openDatabase(path.join(dir, 'qualiflow.db')),
    policy: DEFAULT_POLICY,
    catalogue: DEFAULT_CATALOGUE,
    seal: loadSealKeys(path.join(dir, 'keys'), () => {}),
    certificateNumberFormat: 'skill-level',
    institutionFor,
    publicUrl: 'http://127.0.0.1:3000',
    certificateDir: path.join(dir, 'certificates'),
  };
}

const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} };
