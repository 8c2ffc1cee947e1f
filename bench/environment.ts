/**
 * The bench's world: a dev server of its own, the search attributes registered, one worker in this process serving
 * both the product's case workflow and the baseline on one task queue, and a client. A part of the bench that needs
 * a policy of its own (the session bench: cases that wait for a seat) starts more workers, each on its own task queue.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { bundleApart } from '../worker/bundle';
import { TRACING_INTERCEPTORS_PATH, UNTRACED_SINKS } from '../worker/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { DEFAULT_POLICY } from '../activities/policy';
import { loadSealKeys } from '../activities/seal';
import { DEFAULT_CATALOGUE } from '../domain/occupations';
import { type Db, openDatabase } from '../records/database';
import { encryptedDataConverter, FAILURE_CONVERTER_PATH } from '../runtime/encryption/dataConverter';
import { registerSearchAttributes } from '../runtime/searchAttributes';
import { startDevServer } from '../runtime/temporalServer';
import type { ProcessPolicy } from '../workflows/definitions';
import { baselineActivities } from './baselineActivities';
import { seedDemoOrganisations } from '../records/demoProvince';

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
  /**
   * Another worker in this process, with this policy over the defaults, on a task queue of its own: a case reads its
   * policy from the worker that runs its first activity, so a second policy needs a second worker. Torn down with
   * the rest.
   */
  startWorker(name: string, policy: Partial<ProcessPolicy>): Promise<BenchWorker>;
  teardown(): Promise<void>;
}

export interface BenchWorker {
  taskQueue: string;
  /** Settles when the worker stops; rejects if it fails. */
  running: Promise<void>;
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
  // Bundled once, apart (worker/bundle.ts), as a product worker's is: every worker of the run shares it.
  const workflowBundle = await bundleApart({
    workflowsPath: WORKFLOWS_PATH,
    failureConverterPath: FAILURE_CONVERTER_PATH,
    // As the product's bundle has them (tracing off): the product and the baseline pay for them alike.
    workflowInterceptorModules: [TRACING_INTERCEPTORS_PATH],
  });
  // Encrypted as the product runs; the baseline's workflows share the client and worker, so both pay the same.
  const dataConverter = encryptedDataConverter({ encryptWith: 'bench', keys: new Map([['bench', randomBytes(32)]]) });
  const createWorker = (queue: string, activityDeps: ActivityDeps) =>
    Worker.create({
      connection: nativeConnection,
      namespace: NAMESPACE,
      taskQueue: queue,
      // The product's activities, as worker/worker.ts registers them, beside the baseline's no-ops.
      activities: { ...createActivities(activityDeps), ...baselineActivities },
      workflowBundle,
      dataConverter,
      sinks: UNTRACED_SINKS,
    });
  const worker = await createWorker(taskQueue, deps);
  const workerRunning = worker.run();
  const others: { worker: Worker; running: Promise<void> }[] = [];
  return {
    client: new Client({ connection, namespace: NAMESPACE, dataConverter }),
    db: deps.db,
    taskQueue,
    workerRunning,
    async startWorker(name, policy) {
      const queue = `${taskQueue}-${name}`;
      // The same database, keys and certificate folder: only the policy differs.
      const other = await createWorker(queue, { ...deps, policy: { ...deps.policy, ...policy } });
      const running = other.run();
      others.push({ worker: other, running });
      return { taskQueue: queue, running };
    },
    async teardown() {
      for (const w of [worker, ...others.map((o) => o.worker)]) if (w.getState() === 'RUNNING') w.shutdown();
      await Promise.all([workerRunning, ...others.map((o) => o.running)].map((p) => p.catch(() => {})));
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
  const db = await openDatabase(path.join(dir, 'qualiflow.db'));
  await seedDemoOrganisations(db);
  return {
    db,
    policy: DEFAULT_POLICY,
    catalogue: DEFAULT_CATALOGUE,
    seal: loadSealKeys(path.join(dir, 'keys'), () => {}),
    certificateNumberFormat: 'skill-level',
    publicUrl: 'http://127.0.0.1:3000',
    certificateDir: path.join(dir, 'certificates'),
  };
}
