/**
 * A real Temporal server, a worker with the real activities over a real SQLite database, and a client: one per test
 * file, built in test.before and torn down in test.after.always. The time-skipping flavour starts with time locked,
 * so a test moves the clock only by `skip` (or while it waits for a workflow result).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  WorkflowNotFoundError,
  type Client,
  type WorkflowClientInterceptor,
  type WorkflowHandle,
} from '@temporalio/client';
import proto from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { ActivityDeps } from '../../activities';
import { DEFAULT_POLICY } from '../../activities/policy';
import { loadSealKeys } from '../../activities/seal';
import type { ApplicationInput } from '../../domain/application';
import { DEFAULT_CATALOGUE } from '../../domain/occupations';
import { openDatabase } from '../../records/database';
import { installSdkLogging } from '../../runtime/logging';
import { institutionFor } from '../../runtime/organisations';
import { registerSearchAttributes } from '../../runtime/searchAttributes';
import { startDevServer, startTimeSkippingServer, type RunningServer } from '../../runtime/temporalServer';
import { applicationWorkflow } from '../../workflows';
import { type ProcessPolicy, getState, workflowIdFor } from '../../workflows/definitions';
import { createWorker, WORKFLOWS_PATH } from '../../worker/worker';
import type { DeliveryLoop } from '../../worker/deliveries';
import type { Db } from '../../records/database';

export interface Harness {
  readonly env: TestWorkflowEnvironment;
  readonly client: Client;
  /** The client of the server running now; ava copies t.context, so after `restartEverything` use this. */
  currentClient(): Client;
  deps: ActivityDeps;
  taskQueue: string;
  /** Starts a case as the station would, at workflow time. */
  start(application: ApplicationInput): Promise<WorkflowHandle<typeof applicationWorkflow>>;
  /** Moves workflow time forward (time-skipping server only). */
  skip(duration: string | number): Promise<void>;
  restartWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  /** Dev server only: stops the worker and the server, then starts both again from the same state file. */
  restartEverything(): Promise<void>;
  /**
   * A test's own workflows are those started through this harness's client after this call (cases that a file's
   * `before` hook started for all its tests are not).
   */
  beginTest(): void;
  /**
   * Terminates the test's own workflows that are still running. Each test ends its own cases this way, so a case a
   * test left open (by design, or because an assertion failed halfway) never fires timers while a later test moves
   * the shared clock.
   */
  endTest(): Promise<void>;
  teardown(): Promise<void>;
}

// Warnings and errors only: a passing run should be readable.
installSdkLogging('WARN');

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** Bundling takes seconds; a test file does it once. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger });
  return bundle;
}

const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} };

export interface HarnessOptions {
  flavour: 'time-skipping' | 'dev-server';
  policy?: Partial<ProcessPolicy>;
  /** An email delivery loop over the harness's database: notices are then queued, and the loop runs until teardown. */
  mail?: (db: Db) => DeliveryLoop;
}

export async function createHarness(options: HarnessOptions): Promise<Harness> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'qualiflow-test-'));
  const timeSkipping = options.flavour === 'time-skipping';
  // The dev server keeps its state in a file, so `restartEverything` can bring the same cases back.
  const devServerDb = path.join(dir, 'temporal.db');
  let server: RunningServer;
  let env: TestWorkflowEnvironment;

  // Every start through the harness's client, whoever calls it (a test, intake, the investigation runtime).
  const started = new Set<string>();
  const startServer = async (port?: number) => {
    server = timeSkipping ? await startTimeSkippingServer() : await startDevServer({ dbFile: devServerDb, port });
    env = await connectEnvironment(server.address, timeSkipping, (workflowId) => started.add(workflowId));
    await registerSearchAttributes(env.connection, 'default');
    if (timeSkipping) await env.connection.testService!.lockTimeSkipping({});
  };
  await startServer();

  const deps: ActivityDeps = {
    db: await openDatabase(path.join(dir, 'qualiflow.db')),
    policy: { ...DEFAULT_POLICY, ...options.policy },
    catalogue: DEFAULT_CATALOGUE,
    seal: loadSealKeys(path.join(dir, 'keys'), () => {}),
    certificateNumberFormat: 'skill-level',
    institutionFor,
    publicUrl: 'http://127.0.0.1:3000',
    certificateDir: path.join(dir, 'certificates'),
  };
  const deliveries = options.mail?.(deps.db);
  deps.mail = deliveries;
  deliveries?.start();
  const taskQueue = `test-${process.pid}-${Date.now()}`;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;

  const startWorker = async () => {
    worker = await createWorker({
      connection: env.nativeConnection,
      namespace: 'default',
      deps,
      taskQueue,
      workflowBundle: await workflowBundle(),
    });
    running = worker.run();
  };
  const stopWorker = async () => {
    if (worker && worker.getState() === 'RUNNING') worker.shutdown();
    await running;
    worker = undefined;
  };
  const stopServer = async () => {
    await env.teardown();
    await server.stop();
  };
  await startWorker();

  return {
    get env() {
      return env;
    },
    get client() {
      return env.client;
    },
    currentClient: () => env.client,
    deps,
    taskQueue,
    start: async (application) =>
      env.client.workflow.start(applicationWorkflow, {
        taskQueue,
        workflowId: workflowIdFor(application.applicationNumber),
        // The server's clock, which the time-skipping server moves ahead of the wall clock.
        args: [{ application, submittedAt: new Date(await env.currentTimeMs()).toISOString() }],
      }),
    skip: async (duration) => env.sleep(duration),
    restartWorker: async () => {
      await stopWorker();
      await startWorker();
    },
    stopWorker,
    async restartEverything() {
      if (timeSkipping) throw new Error('the time-skipping server keeps no state to restart from');
      const port = Number(server.address.split(':')[1]);
      await stopWorker();
      await stopServer();
      await startServer(port);
      await startWorker();
    },
    beginTest: () => started.clear(),
    async endTest() {
      const ids = [...started];
      started.clear();
      await Promise.all(ids.map((id) => terminateIfRunning(env.client, id)));
    },
    async teardown() {
      await stopWorker();
      await stopServer();
      await deliveries?.stop();
      await deps.db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The SDK's own environment object, pointed at a server we started (its built-in launcher downloads binaries and
 * allows 5 s). `create` is the SDK's internal constructor path; it is the only one that enables the test service
 * (time skipping) for an existing server.
 */
async function connectEnvironment(
  address: string,
  timeSkipping: boolean,
  onStart: (workflowId: string) => void,
): Promise<TestWorkflowEnvironment> {
  const factory = TestWorkflowEnvironment as unknown as {
    create(opts: object): Promise<TestWorkflowEnvironment>;
  };
  const recordStarts: WorkflowClientInterceptor = {
    async start(input, next) {
      onStart(input.options.workflowId);
      return next(input);
    },
    async signalWithStart(input, next) {
      onStart(input.options.workflowId);
      return next(input);
    },
  };
  return factory.create({
    server: { type: 'existing' },
    address,
    namespace: 'default',
    supportsTimeSkipping: timeSkipping,
    client: { interceptors: { workflow: [recordStarts] } },
  });
}

/**
 * Ends a workflow that is still running once nothing of it is in flight. The time-skipping server holds its clock
 * while an activity or workflow task is outstanding, and a workflow terminated in the middle of one never gives that
 * hold back: the clock would stand still for every later test. With the clock locked between tests, nothing new
 * starts once the workflow is idle, so the terminate that follows cannot cut anything short. (That server's describe
 * does not report a pending workflow task, so the history tells.)
 */
async function terminateIfRunning(client: Client, workflowId: string): Promise<void> {
  const handle = client.workflow.getHandle(workflowId);
  const deadline = Date.now() + 30_000;
  for (;;) {
    let description;
    try {
      description = await handle.describe();
    } catch (error) {
      // Never started (the start itself was refused): nothing to end.
      if (error instanceof WorkflowNotFoundError) return;
      throw error;
    }
    if (description.status.name !== 'RUNNING') return;
    const busy =
      (description.raw.pendingActivities ?? []).length > 0 || workflowTaskOutstanding(await handle.fetchHistory());
    if (!busy) break;
    if (Date.now() > deadline) throw new Error(`${workflowId} is still busy 30 s after its test ended`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  try {
    await handle.terminate('the test that started it is over');
  } catch (error) {
    // It finished by itself between the look and the terminate: what the terminate was for.
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
}

const { EventType } = proto.temporal.api.enums.v1;

/** A workflow task was scheduled after the last one that completed (a failed one is retried, so it counts too). */
function workflowTaskOutstanding(history: proto.temporal.api.history.v1.IHistory): boolean {
  let outstanding = false;
  for (const { eventType } of history.events ?? []) {
    if (eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED) outstanding = true;
    if (eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) outstanding = false;
  }
  return outstanding;
}

/** The case as its workflow reports it right now. */
export async function stateOf(handle: WorkflowHandle) {
  return handle.query(getState);
}
