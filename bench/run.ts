/**
 * `npm run bench [-- --cases N --concurrency C --warmup W --check --session-candidates S --session-baseline B]`: on
 * one dev server and one in-process worker, runs N level-5 cases of the product (every task decided through the
 * inbox's updates) and N cases of a baseline workflow with the same Temporal shape and empty bodies, then prints cases
 * per second for both, their ratio, the update round trip (p50/p95) and the worker's peak memory. With --check
 * (`npm run bench --check` works too) it exits 1 when a target of bench/report.ts is missed (throughput at least 90 % of
 * the baseline's, the update round trip's p95 at most 1.3 times the baseline's, the worker's process at most 400 MB),
 * when the baseline's activities, updates, timers and upserts differ from the product's in number or order, or when
 * a part below misses its target. Then the inbox (bench/inbox.ts), an appraisal session of S candidates (default 500;
 * 0 leaves it out) beside B cases doing the same work case by case (default S; bench/session.ts), the projection
 * (bench/projection.ts) and the statistics (bench/statistics.ts). Figures are also written to
 * bench/results/latest.json.
 *
 * `--only session` runs the session bench alone (its figures go to bench/results/session.json); `--only documents`
 * measures rendering a certificate for download (bench/documents.ts).
 */
import { benchDocuments, printDocumentFigures } from './documents';
import { benchInbox } from './inbox';
import { benchProjection } from './projection';
import { benchStatistics } from './statistics';
import { benchSession, type SessionBenchOptions } from './session';
import { printSessionFigures } from './sessionReport';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { baselineDriver, type CaseDriver, type DriveStats, newStats, productDriver } from './drivers';
import { type BenchEnvironment, startEnvironment } from './environment';
import { MemorySampler, runPool } from './measure';
import {
  type BenchReport,
  historyShape,
  kindResult,
  type Measured,
  memoryFigures,
  printReport,
  shapeDifference,
  TARGET_RATIO,
  missedTargets,
  writeReport,
} from './report';

const RESULTS_FILE = path.join(import.meta.dirname, 'results', 'latest.json');
const SESSION_RESULTS_FILE = path.join(import.meta.dirname, 'results', 'session.json');

interface BenchOptions {
  cases: number;
  concurrency: number;
  warmUpCases: number;
  check: boolean;
  /** Candidates in the session bench's session; 0 leaves the session bench out. */
  sessionCandidates: number;
  /** Cases doing the session's work case by case, the baseline of its ratios. */
  sessionBaseline: number;
  only?: 'session' | 'documents';
}

function readOptions(): BenchOptions {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string' },
      concurrency: { type: 'string' },
      warmup: { type: 'string' },
      check: { type: 'boolean', default: false },
      'session-candidates': { type: 'string' },
      'session-baseline': { type: 'string' },
      only: { type: 'string' },
    },
  });
  if (values.only !== undefined && values.only !== 'session' && values.only !== 'documents') {
    throw new Error(`--only takes session or documents (that bench alone), not ${values.only}`);
  }
  const sessionCandidates = wholeNumber(
    '--session-candidates',
    values['session-candidates'] ?? process.env.BENCH_SESSION_CANDIDATES ?? '500',
    0,
  );
  // A session has at most 100 rooms, each seated here with 50.
  if (sessionCandidates > 5000) throw new Error('--session-candidates must be at most 5000');
  if (values.only === 'session' && sessionCandidates === 0) throw new Error('--only session needs candidates');
  return {
    cases: positiveInteger('--cases', values.cases ?? process.env.BENCH_CASES ?? '200'),
    concurrency: positiveInteger('--concurrency', values.concurrency ?? '20'),
    warmUpCases: positiveInteger('--warmup', values.warmup ?? '5'),
    // `npm run bench --check` (without `--`) hands the flag to npm, which passes it on as npm_config_check.
    check: values.check || process.env.npm_config_check === 'true',
    sessionCandidates,
    sessionBaseline: positiveInteger(
      '--session-baseline',
      values['session-baseline'] ?? String(sessionCandidates || 1),
    ),
    only: values.only,
  };
}

function positiveInteger(name: string, raw: string): number {
  return wholeNumber(name, raw, 1);
}

function wholeNumber(name: string, raw: string, min: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be a whole number of at least ${min}, not ${raw}`);
  }
  return value;
}

const sessionOptions = (options: BenchOptions): SessionBenchOptions => ({
  candidates: options.sessionCandidates,
  caseByCaseCases: options.sessionBaseline,
  concurrency: options.concurrency,
});

/** `--only session`: the session bench alone, on a world of its own. */
async function sessionOnly(options: BenchOptions): Promise<void> {
  const loadAverageBefore = os.loadavg();
  const env = await startEnvironment();
  try {
    const session = await Promise.race([benchSession(env, sessionOptions(options)), failsWhenStopped(env)]);
    printSessionFigures(session);
    const machine = {
      cpus: os.cpus().length,
      loadAverageBefore,
      loadAverageAfter: os.loadavg(),
      node: process.version,
    };
    writeReport({ ranAt: new Date().toISOString(), machine, session }, SESSION_RESULTS_FILE);
    console.log(`Figures written to ${path.relative(process.cwd(), SESSION_RESULTS_FILE)}`);
  } finally {
    await env.teardown();
  }
}

/** A worker that dies would leave every case waiting out its task timeout; fail at once instead. */
function failsWhenStopped(env: BenchEnvironment): Promise<never> {
  const stopped = env.workerRunning.then(() => Promise.reject(new Error('the worker stopped during the bench')));
  // Handled by the race; after it, the teardown stops the worker on purpose.
  stopped.catch(() => {});
  return stopped;
}

/** Cases that start the worker's caches, the server's task queue and V8's compiler; not counted. */
async function warmUp(drivers: CaseDriver[], options: BenchOptions): Promise<void> {
  for (const driver of drivers) {
    await runPool(options.warmUpCases, options.concurrency, () => driver.runCase(newStats()));
  }
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
  const measured = {
    product: { stats: newStats(), seconds: 0, cpuMs: 0 },
    baseline: { stats: newStats(), seconds: 0, cpuMs: 0 },
  };
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
    const cpuBefore = process.cpuUsage();
    await runPool(count, options.concurrency, () => driver.runCase(into.stats));
    const cpu = process.cpuUsage(cpuBefore);
    const seconds = (performance.now() - started) / 1000;
    into.seconds += seconds;
    into.cpuMs += (cpu.user + cpu.system) / 1000;
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
    stats.lastWorkflowId
      ? historyShape(env.client.workflow.getHandle(stats.lastWorkflowId), stats.lastHistoryEntries)
      : undefined;
  const productResult = kindResult(product, await shapeOf(product.stats));
  const baselineResult = kindResult(baseline, await shapeOf(baseline.stats));
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

/** Warnings and errors only: the bench's own table is the output. For the benches that run Temporal. */
function quietTemporal(): void {
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    telemetryOptions: { logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN' }) } },
  });
}

/** Every part of the bench, one after the other. */
async function wholeBench(options: BenchOptions): Promise<void> {
  const sampler = new MemorySampler().start(100);
  const env = await startEnvironment();
  try {
    const workerStopped = failsWhenStopped(env);
    const figures = await Promise.race([benchmark(env, options, sampler), workerStopped]);
    sampler.stop();
    // The inbox over HTTP with a full projection, on the same server and worker (bench/inbox.ts).
    const inbox = await Promise.race([benchInbox(env), workerStopped]);
    if (options.check && !inbox.meetsTargets) process.exitCode = 1;
    // Last on this server, so that nothing it leaves (open print tasks, a larger store) weighs on the figures above.
    const session =
      options.sessionCandidates > 0
        ? await Promise.race([benchSession(env, sessionOptions(options)), workerStopped])
        : undefined;
    const report: BenchReport = {
      ...figures,
      workerMemory: memoryFigures(sampler.overall, sampler.byPhase),
      inbox,
      session,
    };
    printReport(report);
    if (session) printSessionFigures(session);
    writeReport(report, RESULTS_FILE);
    console.log(`Figures written to ${path.relative(process.cwd(), RESULTS_FILE)}`);
    const shapeDiffers = shapeDifference(report.product.history, report.baseline.history);
    if (options.check && shapeDiffers) {
      console.error(`The baseline no longer has the product's shape, so the ratio means nothing: ${shapeDiffers}.`);
      process.exitCode = 1;
    }
    for (const missed of options.check ? missedTargets(report) : []) {
      console.error(missed);
      process.exitCode = 1;
    }
  } finally {
    await env.teardown();
  }

  // The inbox's first-page query over a backlog of 100,000 open tasks, on SQLite and PostgreSQL (bench/projection.ts).
  const projection = await benchProjection();
  if (options.check && !projection.every((figure) => figure.meetsTarget && figure.indexUsed)) process.exitCode = 1;

  // The statistics page's model over 100,000 cases and their tasks, on SQLite and PostgreSQL (bench/statistics.ts).
  const statistics = await benchStatistics();
  if (options.check && !statistics.every((figure) => figure.meetsTarget)) process.exitCode = 1;
}

const options = readOptions();
if (options.only !== 'documents') quietTemporal();
if (options.only === 'session') await sessionOnly(options);
else if (options.only === 'documents') printDocumentFigures(await benchDocuments());
else await wholeBench(options);
