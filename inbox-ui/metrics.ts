/**
 * What an operator watches, in Prometheus's text format at `/metrics`: how long requests take per route, how long the
 * inbox's own query takes, how many notices wait for the mail server or have failed, and how many tasks each
 * organisation has open and overdue. The counts are read from the database when Prometheus asks, so they are the
 * same whichever web server answers; the durations are this server's own.
 *
 * Only the operator's scraper may read it: with METRICS_TOKEN set, a request bearing that token; without it, a
 * request from this machine (loopback), whatever proxy headers say.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { sql } from 'kysely';
import type { Db } from '../records/database';

export interface AppMetrics {
  registry: Registry;
  /** Times every request, labelled by the route that answered it. */
  timeRequests: RequestHandler;
  /** Times the inbox's list query (records/tasks.ts) around `run`. */
  timeInboxQuery<T>(run: () => Promise<T>): Promise<T>;
  /** The `/metrics` answer, for the operator's scraper only. */
  serve: RequestHandler;
}

/** Seconds: from a quick page to a slow PDF. */
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const QUERY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

export function createMetrics(db: Db, { token }: { token?: string } = {}): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'qualiflow_web_' });
  const requests = new Histogram({
    name: 'qualiflow_http_request_duration_seconds',
    help: 'Time to answer a request, by method, route pattern and status class.',
    labelNames: ['method', 'route', 'status'],
    buckets: REQUEST_BUCKETS,
    registers: [registry],
  });
  const inboxQuery = new Histogram({
    name: 'qualiflow_inbox_query_duration_seconds',
    help: 'Time of the inbox list query in the application database.',
    buckets: QUERY_BUCKETS,
    registers: [registry],
  });
  const refusedScrapes = new Counter({
    name: 'qualiflow_metrics_refused_total',
    help: 'Requests for /metrics refused for want of the token or a loopback address.',
    registers: [registry],
  });
  new Gauge({
    name: 'qualiflow_notices',
    help: 'Notices by delivery state: queued and sending are the outbox depth, failed gave up after its attempts.',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const rows = await db
        .selectFrom('notifications')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .where('status', 'in', ['queued', 'sending', 'failed'])
        .groupBy('status')
        .execute();
      this.reset();
      for (const state of ['queued', 'sending', 'failed']) {
        this.set({ state }, Number(rows.find((row) => row.status === state)?.n ?? 0));
      }
    },
  });
  const byOrganisation = async () => {
    const now = new Date().toISOString();
    const rows = await db
      .selectFrom('tasks')
      .select([
        'candidate_group',
        (eb) => eb.fn.countAll<number>().as('open'),
        sql<number>`sum(case when due_at < ${now} then 1 else 0 end)`.as('overdue'),
      ])
      .where('status', '=', 'open')
      .groupBy('candidate_group')
      .execute();
    const totals = new Map<string, { open: number; overdue: number }>();
    for (const row of rows) {
      // A group is `<organisation>:<role>`: the organisation is what an operator compares.
      const organisation = row.candidate_group.split(':')[0];
      const total = totals.get(organisation) ?? { open: 0, overdue: 0 };
      total.open += Number(row.open);
      total.overdue += Number(row.overdue ?? 0);
      totals.set(organisation, total);
    }
    return totals;
  };
  new Gauge({
    name: 'qualiflow_open_tasks',
    help: 'Open human tasks, by the organisation of their candidate group.',
    labelNames: ['organisation'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const [organisation, { open }] of await byOrganisation()) this.set({ organisation }, open);
    },
  });
  new Gauge({
    name: 'qualiflow_overdue_tasks',
    help: 'Open human tasks past their deadline, by the organisation of their candidate group.',
    labelNames: ['organisation'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const [organisation, { overdue }] of await byOrganisation()) this.set({ organisation }, overdue);
    },
  });

  return {
    registry,
    timeRequests: (req, res, next) => {
      const end = requests.startTimer();
      res.once('finish', () =>
        end({ method: req.method, route: routeOf(req), status: `${Math.floor(res.statusCode / 100)}xx` }),
      );
      next();
    },
    async timeInboxQuery(run) {
      const end = inboxQuery.startTimer();
      try {
        return await run();
      } finally {
        end();
      }
    },
    serve: async (req, res) => {
      if (!mayScrape(req, token)) {
        refusedScrapes.inc();
        res.status(404).type('text/plain').send('Not found\n');
        return;
      }
      res.type(registry.contentType).send(await registry.metrics());
    },
  };
}

/** The route's pattern (`/tasks/:number/:taskId`), never the path itself: ids in labels would grow without bound. */
export function routeOf(req: Request): string {
  const pattern = req.route?.path;
  return typeof pattern === 'string' ? `${req.baseUrl}${pattern}` : 'unmatched';
}

function mayScrape(req: Request, token: string | undefined): boolean {
  if (token) {
    const presented = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1] ?? '';
    const [a, b] = [Buffer.from(presented), Buffer.from(token)];
    return a.length === b.length && timingSafeEqual(a, b);
  }
  // The socket's own address: X-Forwarded-For is the client's word, not the connection's.
  const address = req.socket.remoteAddress ?? '';
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}
