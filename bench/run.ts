/**
 * `npm run bench [-- --cases N --concurrency C --warmup W --check]`: on one dev server and one in-process worker, runs
 * N level-5 cases of the product (every task decided through the inbox's updates) and N cases of a baseline workflow
 * with the same Temporal shape and empty bodies, then prints cases per second for both, their ratio, the update
 * round trip (p50/p95) and the worker's peak memory. With --check it exits 1 when the product reaches less than 70 %
 * of the baseline's throughput. Figures are also written to bench/results/latest.json.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import {
  bundleWorkflowCode,
  DefaultLogger,
  makeTelemetryFilterString,
  NativeConnection,
  Runtime,
  Worker,
} from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { DEFAULT_POLICY } from '../activities/policy';
import { loadSealKeys } from '../activities/seal';
import { DEFAULT_CATALOGUE } from '../domain/occupations';
import { openDatabase } from '../records/database';
import { institutionFor } from '../runtime/organisations';
import { registerSearchAttributes } from '../runtime/searchAttributes';
import { startDevServer } from '../runtime/temporalServer';
import { baselineActivities } from './baselineActivities';
import { baselineDriver, type CaseDriver, type DriveStats, newStats, productDriver } from './drivers';
import { MemorySampler, runPool } from './measure';
import {
  type BenchReport,
  historyShape,
  kindResult,
  memoryFigures,
  printReport,
  TARGET_RATIO,
  writeReport,
} from './report';

const WORKFLOWS_PATH = path.join(import.meta.dirname, 'workflows.ts');
const RESULTS_FILE = path.join(import.meta.dirname, 'results', 'latest.json');
const NAMESPACE = 'default';

interface BenchOptions {
  cases: number;
  concurrency: number;
  warmUpCases: number;
  check: boolean;
}

function readOptions(): BenchOptions {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string' },
      concurrency: { type: 'string' },
      warmup: { type: 'string' },
      check: { type: 'boolean', default: false },
    },
  });
  return {
    cases: positiveInteger('--cases', values.cases ?? process.env.BENCH_CASES ?? '200'),
    concurrency: positiveInteger('--concurrency', values.concurrency ?? '20'),
    warmUpCases: positiveInteger('--warmup', values.warmup ?? '5'),
    check: values.check ?? false,
  };
}

function positiveInteger(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number, not ${raw}`);
  return value;
}

/** The server, the worker and the client of one bench run, and how to take them down again. */
interface BenchEnvironment {
  client: Client;
  taskQueue: string;
  /** Settles when the worker stops; rejects if it fails. */
  workerRunning: Promise<void>;
  teardown(): Promise<void>;
}

async function startEnvironment(): Promise<BenchEnvironment> {
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
  };
}

const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} };

/** Cases that start the worker's caches, the server's task queue and V8's compiler; not counted. */
async function warmUp(drivers: CaseDriver[], options: BenchOptions): Promise<void> {
  for (const driver of drivers) {
    await runPool(options.warmUpCases, options.concurrency, () => driver.runCase(newStats()));
  }
}

interface Measured {
  stats: DriveStats;
  seconds: number;
}

/**
 * Runs the measured cases in four rounds, product-baseline-baseline-product, so that whatever drifts during the run
 * (the server's store grows, the machine's other load comes and goes) weighs on both kinds alike.
 */
async function measure(
  [product, baseline]: CaseDriver[],
  options: BenchOptions,
  sampler: MemorySampler,
): Promise<Record<CaseDriver['kind'], Measured>> {
  const measured = { product: { stats: newStats(), seconds: 0 }, baseline: { stats: newStats(), seconds: 0 } };
  const firstHalf = Math.floor(options.cases / 2);
  const rounds: [CaseDriver, number][] = [
    [product, firstHalf],
    [baseline, firstHalf],
    [baseline, options.cases - firstHalf],
    [product, options.cases - firstHalf],
  ];
  for (const [driver, count] of rounds) {
    if (count === 0) continue;
    const into = measured[driver.kind];
    sampler.phase = driver.kind;
    const started = performance.now();
    await runPool(count, options.concurrency, () => driver.runCase(into.stats));
    const seconds = (performance.now() - started) / 1000;
    into.seconds += seconds;
    console.log(`  ${driver.kind}: ${count} cases in ${seconds.toFixed(1)} s`);
  }
  sampler.phase = 'report';
  return measured;
}

async function benchmark(
  env: BenchEnvironment,
  options: BenchOptions,
  sampler: MemorySampler,
): Promise<Omit<BenchReport, 'workerMemory'>> {
  const loadAverageBefore = os.loadavg();
  const runTag = Date.now().toString(36).toUpperCase();
  const drivers = [productDriver(env.client, env.taskQueue, runTag), baselineDriver(env.client, env.taskQueue, runTag)];
  console.log(`Warming up: ${options.warmUpCases} cases of each kind`);
  sampler.phase = 'warm-up';
  await warmUp(drivers, options);
  console.log(`Measuring: ${options.cases} cases of each kind, ${options.concurrency} at a time`);
  const { product, baseline } = await measure(drivers, options, sampler);
  const shapeOf = (stats: DriveStats) =>
    stats.lastWorkflowId ? historyShape(env.client.workflow.getHandle(stats.lastWorkflowId)) : undefined;
  const productResult = kindResult(product.stats, product.seconds, await shapeOf(product.stats));
  const baselineResult = kindResult(baseline.stats, baseline.seconds, await shapeOf(baseline.stats));
  const ratio = product.stats.cases / product.seconds / (baseline.stats.cases / baseline.seconds);
  return {
    ranAt: new Date().toISOString(),
    settings: {
      cases: options.cases,
      concurrency: options.concurrency,
      warmUpCases: options.warmUpCases,
      server: 'Temporal dev server in memory, worker in this process',
    },
    machine: { cpus: os.cpus().length, loadAverageBefore, loadAverageAfter: os.loadavg(), node: process.version },
    product: productResult,
    baseline: baselineResult,
    ratio: Number(ratio.toFixed(3)),
    target: TARGET_RATIO,
    meetsTarget: ratio >= TARGET_RATIO,
  };
}

// Warnings and errors only: the bench's own table is the output.
Runtime.install({
  logger: new DefaultLogger('WARN'),
  telemetryOptions: { logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN' }) } },
});

const options = readOptions();
const sampler = new MemorySampler().start(100);
const env = await startEnvironment();
try {
  // A worker that dies would leave every case waiting out its task timeout; fail at once instead.
  const workerStopped = env.workerRunning.then(() => Promise.reject(new Error('the worker stopped during the bench')));
  // Handled by the race; after it, the teardown stops the worker on purpose.
  workerStopped.catch(() => {});
  const figures = await Promise.race([benchmark(env, options, sampler), workerStopped]);
  sampler.stop();
  const report: BenchReport = { ...figures, workerMemory: memoryFigures(sampler.overall, sampler.byPhase) };
  printReport(report);
  writeReport(report, RESULTS_FILE);
  console.log(`Figures written to ${path.relative(process.cwd(), RESULTS_FILE)}`);
  if (options.check && !report.meetsTarget) {
    console.error(
      `The product reaches ${(report.ratio * 100).toFixed(1)} % of the baseline's throughput; the target is 70 %.`,
    );
    process.exitCode = 1;
  }
} finally {
  await env.teardown();
}
