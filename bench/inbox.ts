/**
 * The inbox as people use it, over HTTP on the embedded default (SQLite), with 100,000 open tasks in the projection:
 *
 * - the first page of the inbox (HTML) and of GET /api/tasks, timed server-side (from the request's arrival to the
 *   response's last byte, by a timer wrapped around the app) for users of one to three groups; beside them the sign-in
 *   page, which runs the same session, layout and rendering without the task query: the baseline of the ratio;
 * - a decision's round trip: the reviewer's approve form posted, the redirect followed, the updated inbox received,
 *   with a real Temporal update behind it. After each round trip the projection must already show the task closed.
 *
 * Targets: first page p95 < 50 ms server-side; round trip p95 < 150 ms.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import express from 'express';
import { createApp } from '../inbox-ui/app';
import { Level } from '../domain/levels';
import { listen } from '../inbox-ui/listen';
import { installSdkLogging } from '../runtime/logging';
import { seedDemoDirectory } from '../records/directory';
import { projectTasks } from '../records/tasks';
import { submitApplication } from '../runtime/intake';
import { TaskKind, TaskStatus } from '../workflows/definitions';
import { applicationFor } from '../test/helpers/applications';
import { BrowserSession } from '../test/helpers/web';
import type { BenchEnvironment } from './environment';
import { percentile, sleepMs } from './measure';
import { backlog } from './projection';

export const PAGE_TARGET_P95_MS = 50;
export const ROUND_TRIP_TARGET_P95_MS = 150;

export interface InboxFigures {
  openTasks: number;
  page: Percentiles;
  api: Percentiles;
  baseline: Percentiles;
  /** Inbox page p95 over the sign-in page's p95. */
  pageRatio: number;
  roundTrip: Percentiles & { decisions: number };
  meetsTargets: boolean;
}

interface Percentiles {
  p50: number;
  p95: number;
}

/** Signed-in demo users whose groups hold most of the backlog. */
const USERS = ['li.station-reviewer', 'zhou.supervisor', 'wu.center-reviewer', 'zheng.approver'];

export async function benchInbox(
  env: BenchEnvironment,
  { openTasks = 100_000, runs = 300, decisions = 40, log = console.log } = {},
): Promise<InboxFigures> {
  await seedDemoDirectory(env.db);
  log(`inbox bench: filling ${openTasks.toLocaleString('en')} open tasks …`);
  const rows = backlog(openTasks, 0);
  for (let i = 0; i < rows.length; i += 5000) await projectTasks(env.db, rows.slice(i, i + 5000));

  const serverMs = new Map<string, number[]>();
  const outer = express();
  outer.use((req, res, next) => {
    const started = performance.now();
    res.on('finish', () => {
      const key = req.path.startsWith('/tasks/') ? 'decision' : req.path;
      serverMs.set(key, [...(serverMs.get(key) ?? []), performance.now() - started]);
    });
    next();
  });
  outer.use(
    createApp({ client: env.client, db: env.db, temporalUiUrl: '', namespace: 'default', taskQueue: env.taskQueue }),
  );
  const server = await listen(outer, { port: 0, host: '127.0.0.1' });
  const address = server.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  try {
    const sessions = await Promise.all(
      USERS.map(async (user) => {
        const session = new BrowserSession(base);
        await session.signIn(user);
        return session;
      }),
    );
    const anonymous = new BrowserSession(base);
    // Warm-up: compiled templates, prepared statements, V8.
    for (let n = 0; n < 30; n++) {
      await sessions[n % sessions.length].get('/inbox');
      await sessions[n % sessions.length].get('/api/tasks');
      await anonymous.get('/login');
    }
    serverMs.clear();
    for (let n = 0; n < runs; n++) {
      const session = sessions[n % sessions.length];
      await session.get('/inbox');
      await session.get('/api/tasks');
      await anonymous.get('/login');
    }
    const page = figures(serverMs.get('/inbox'));
    const api = figures(serverMs.get('/api/tasks'));
    const baseline = figures(serverMs.get('/login'));
    log(
      `inbox bench: first page over ${openTasks.toLocaleString('en')} open tasks, ${runs} runs, server-side: ` +
        `page p50 ${page.p50} ms p95 ${page.p95} ms; API p50 ${api.p50} ms p95 ${api.p95} ms; ` +
        `sign-in page (baseline) p95 ${baseline.p95} ms; ratio ${(page.p95 / baseline.p95).toFixed(2)}`,
    );

    const roundTrip = await decisionRoundTrips(env, sessions[0], decisions);
    log(
      `inbox bench: decision round trip (approve, redirect, updated inbox), ${decisions} decisions: ` +
        `p50 ${roundTrip.p50} ms, p95 ${roundTrip.p95} ms (target < ${ROUND_TRIP_TARGET_P95_MS} ms)`,
    );
    return {
      openTasks,
      page,
      api,
      baseline,
      pageRatio: round(page.p95 / baseline.p95),
      roundTrip,
      meetsTargets:
        page.p95 < PAGE_TARGET_P95_MS && api.p95 < PAGE_TARGET_P95_MS && roundTrip.p95 < ROUND_TRIP_TARGET_P95_MS,
    };
  } finally {
    await server.close();
  }
}

/**
 * Starts `count` cases, waits until each one's station review is in the projection, then decides them one by one as
 * the reviewer would: post the approve form, follow the redirect to the inbox. Timed in the browser's place.
 */
async function decisionRoundTrips(env: BenchEnvironment, reviewer: BrowserSession, count: number) {
  const numbers: string[] = [];
  for (let i = 0; i < count; i++) {
    const result = await submitApplication(
      { client: env.client, db: env.db, taskQueue: env.taskQueue },
      applicationFor(Level.Primary, {
        applicationNumber: `BENCH-INBOX-${Date.now().toString(36).toUpperCase()}-${i}`,
      }),
    );
    if (!result.ok) throw new Error(`the bench's application is invalid: ${JSON.stringify(result.errors)}`);
    numbers.push(result.application.applicationNumber);
  }
  const taskId = `${TaskKind.StationReview}-1`;
  const ready = async (number: string) =>
    env.db
      .selectFrom('tasks')
      .select('status')
      .where('application_number', '=', number)
      .where('task_id', '=', taskId)
      .executeTakeFirst();
  for (const number of numbers) while (!(await ready(number))) await sleepMs(20);

  const samples: number[] = [];
  for (const number of numbers) {
    await reviewer.get(`/tasks/${number}/${taskId}`);
    const started = performance.now();
    const page = await reviewer.post(`/tasks/${number}/${taskId}/approve`, { comment: 'Bench approval.' });
    samples.push(performance.now() - started);
    if (page.status !== 200 || !page.location?.startsWith('/inbox')) {
      throw new Error(`approving ${number} did not lead back to the inbox (${page.status} ${page.location})`);
    }
    if ((await ready(number))?.status !== TaskStatus.Done) {
      throw new Error(`the inbox was served before the projection knew ${number}'s decision`);
    }
  }
  return { ...figures(samples), decisions: count };
}

function figures(samples: number[] | undefined): Percentiles {
  if (!samples?.length) throw new Error('the bench took no samples');
  return { p50: round(percentile(samples, 50)), p95: round(percentile(samples, 95)) };
}

const round = (value: number) => Math.round(value * 100) / 100;

// `npx tsx bench/inbox.ts`: this part alone, on a server and worker of its own.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { startEnvironment } = await import('./environment');
  installSdkLogging('WARN');
  const env = await startEnvironment();
  try {
    const result = await benchInbox(env);
    process.exitCode = result.meetsTargets ? 0 : 1;
  } finally {
    await env.teardown();
  }
}
