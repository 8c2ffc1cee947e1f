/**
 * A real Temporal server, a worker with the real activities over a real SQLite database, and a client: one per test
 * file, built in test.before and torn down in test.after.always. The time-skipping flavour starts with time locked,
 * so a test moves the clock only by `skip` (or while it waits for a workflow result).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WorkflowNotFoundError, Client, type WorkflowClientInterceptor, type WorkflowHandle } from '@temporalio/client';
import proto from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { ActivityDeps } from '../../activities';
import { DEFAULT_POLICY } from '../../activities/policy';
import { loadSealKeys } from '../../activities/seal';
import type { ApplicationInput } from '../../domain/application';
import { DEFAULT_CATALOGUE } from '../../domain/occupations';
import { openDatabase } from '../../records/database';
import { installSdkRuntime } from '../../runtime/logging';
import { registerSearchAttributes } from '../../runtime/searchAttributes';
import { encryptedDataConverter } from '../../runtime/encryption/dataConverter';
import type { PayloadKeys } from '../../runtime/encryption/keys';
import type { Tracing } from '../../runtime/tracing';
import {
  type DevServerOptions,
  startDevServer,
  startTimeSkippingServer,
  type RunningServer,
} from '../../runtime/temporalServer';
import { applicationWorkflow } from '../../workflows';
import { type ProcessPolicy, getState, workflowIdFor } from '../../workflows/definitions';
import { createWorker, WORKFLOW_BUNDLE_OPTIONS } from '../../worker/worker';
import type { DeliveryLoop } from '../../worker/deliveries';
import type { Db } from '../../records/database';
import { testPayloadKeys } from './payloadKeys';
import { seedDemoOrganisations } from '../../records/demoProvince';

export interface Harness {
  readonly env: TestWorkflowEnvironment;
  readonly client: Client;
  /** The client of the server running now; ava copies t.context, so after `restartEverything` use this. */
  currentClient(): Client;
  deps: ActivityDeps;
  taskQueue: string;
  /** The harness's own payload keys: its client and worker encrypt as the product's do. */
  payloadKeys: PayloadKeys;
  /** Dev server only: the SQLite file the server keeps its state in. */
  temporalStateFile?: string;
  /** Dev server only: where its Web UI is served. */
  uiUrl?: string;
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
installSdkRuntime({ level: 'WARN' });

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** Bundling takes seconds; a test file does it once. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ ...WORKFLOW_BUNDLE_OPTIONS, logger: quietLogger });
  return bundle;
}

const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} };

export interface HarnessOptions {
  flavour: 'time-skipping' | 'dev-server';
  policy?: Partial<ProcessPolicy>;
  /** An email delivery loop over the harness's database: notices are then queued, and the loop runs until teardown. */
  mail?: (db: Db) => DeliveryLoop;
  /** The keys its client and worker encrypt with; a fresh pair by default (`testPayloadKeys`). */
  payloadKeys?: PayloadKeys;
  /** Dev server only: more of its options (a Web UI port, a codec endpoint). */
  devServer?: Pick<DevServerOptions, 'uiPort' | 'uiCodecEndpoint'>;
  /** A worker with OpenTelemetry tracing (runtime/tracing.ts). */
  tracing?: Tracing;
}

export async function createHarness(options: HarnessOptions): Promise<Harness> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'qualiflow-test-'));
  const timeSkipping = options.flavour === 'time-skipping';
  // The dev server keeps its state in a file, so `restartEverything` can bring the same cases back.
  const devServerDb = path.join(dir, 'temporal.db');
  let server: RunningServer;
  let env: TestWorkflowEnvironment;
  let client: Client;

  // Every start through the harness's client, whoever calls it (a test, intake, the investigation runtime).
  const started = new Set<string>();
  const payloadKeys = options.payloadKeys ?? testPayloadKeys();
  const startServer = async (port?: number) => {
    server = timeSkipping
      ? await startTimeSkippingServer()
      : await startDevServer({ dbFile: devServerDb, port, ...options.devServer });
    env = await connectEnvironment(server.address, timeSkipping);
    client = plainClient(env.connection, payloadKeys, (workflowId) => started.add(workflowId));
    await registerSearchAttributes(env.connection, 'default');
    if (timeSkipping) await env.connection.testService!.lockTimeSkipping({});
  };
  await startServer();

  const db = await openDatabase(path.join(dir, 'qualiflow.db'));
  // The demo province's organisations, whose coding blocks certificate numbers are made from.
  await seedDemoOrganisations(db);
  const deps: ActivityDeps = {
    db,
    policy: { ...DEFAULT_POLICY, ...options.policy },
    catalogue: DEFAULT_CATALOGUE,
    seal: loadSealKeys(path.join(dir, 'keys'), () => {}),
    certificateNumberFormat: 'skill-level',
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
      dataConverter: encryptedDataConverter(payloadKeys),
      workflowBundle: await workflowBundle(),
      tracing: options.tracing,
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
      return client;
    },
    currentClient: () => client,
    deps,
    taskQueue,
    payloadKeys,
    temporalStateFile: timeSkipping ? undefined : devServerDb,
    get uiUrl() {
      return server.uiUrl;
    },
    start: async (application) =>
      client.workflow.start(applicationWorkflow, {
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
      await terminateWhenIdle(client, ids);
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
async function connectEnvironment(address: string, timeSkipping: boolean): Promise<TestWorkflowEnvironment> {
  const factory = TestWorkflowEnvironment as unknown as {
    create(opts: object): Promise<TestWorkflowEnvironment>;
  };
  return factory.create({
    server: { type: 'existing' },
    address,
    namespace: 'default',
    supportsTimeSkipping: timeSkipping,
  });
}

/**
 * The client tests use: a plain one, which records every workflow started through it. Not the environment's own
 * client, whose `result()` lets the time-skipping server's clock run while it waits: once the workflow has ended and
 * before the clock is locked again, the server skips to its next timer, which with nothing else pending is ten years
 * away (it jumped 2026 → 2036 → … → 2106 under load, and certificates could no longer be numbered). Here time moves
 * only when a test skips it.
 */
function plainClient(
  connection: TestWorkflowEnvironment['connection'],
  payloadKeys: PayloadKeys,
  onStart: (workflowId: string) => void,
): Client {
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
  return new Client({
    connection,
    namespace: 'default',
    dataConverter: encryptedDataConverter(payloadKeys),
    interceptors: { workflow: [recordStarts] },
  });
}

/**
 * Ends the workflows a test left running, once none of them has anything in flight. The time-skipping server holds
 * its clock while an activity or workflow task is outstanding, and a workflow terminated in the middle of one never
 * gives that hold back: the clock would stand still for every later test. With the clock locked between tests, a
 * workflow that is idle gets new work only from another one: a case signals its session, a session its cases. So all
 * of them must be idle at the same time, each judged from one snapshot of its history (a describe and a history read
 * separately can each miss what happened between them).
 */
async function terminateWhenIdle(client: Client, workflowIds: string[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  let running: string[] = [];
  for (;;) {
    const states = await Promise.all(workflowIds.map((id) => stateOfWorkflow(client, id)));
    const busy = workflowIds.filter((_, i) => states[i] === 'busy');
    running = workflowIds.filter((_, i) => states[i] === 'idle');
    if (busy.length === 0) break;
    if (Date.now() > deadline) throw new Error(`${busy.join(', ')} still busy 30 s after their test ended`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await Promise.all(
    running.map(async (id) => {
      try {
        await client.workflow.getHandle(id).terminate('the test that started it is over');
      } catch (error) {
        // It finished by itself between the look and the terminate: what the terminate was for.
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
    }),
  );
}

const { EventType } = proto.temporal.api.enums.v1;

/** Never started (its start was refused) or ended; running with nothing in flight; or running with work in flight. */
async function stateOfWorkflow(client: Client, workflowId: string): Promise<'gone' | 'idle' | 'busy'> {
  let history;
  try {
    history = await client.workflow.getHandle(workflowId).fetchHistory();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return 'gone';
    throw error;
  }
  return inFlight(history.events ?? []);
}

/**
 * From one history: ended, or whether a workflow task, an activity or a signal to another workflow is outstanding
 * (a failed workflow task is retried, so it counts too).
 */
function inFlight(events: proto.temporal.api.history.v1.IHistoryEvent[]): 'gone' | 'idle' | 'busy' {
  let workflowTask = false;
  const open = new Set<string>();
  for (const event of events) {
    const id = String(event.eventId);
    switch (event.eventType) {
      case EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED:
        workflowTask = true;
        break;
      case EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
        workflowTask = false;
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
      case EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED:
        open.add(id);
        break;
      default: {
        const done =
          event.activityTaskCompletedEventAttributes ??
          event.activityTaskFailedEventAttributes ??
          event.activityTaskTimedOutEventAttributes ??
          event.activityTaskCanceledEventAttributes;
        if (done) open.delete(String(done.scheduledEventId));
        const signalled =
          event.externalWorkflowExecutionSignaledEventAttributes ??
          event.signalExternalWorkflowExecutionFailedEventAttributes;
        if (signalled) open.delete(String(signalled.initiatedEventId));
        if (CLOSING_EVENTS.has(event.eventType ?? 0)) return 'gone';
      }
    }
  }
  return workflowTask || open.size > 0 ? 'busy' : 'idle';
}

const CLOSING_EVENTS = new Set<number>([
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
]);

/** The case as its workflow reports it right now. */
export async function stateOf(handle: WorkflowHandle) {
  return handle.query(getState);
}
