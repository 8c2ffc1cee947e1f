/**
 * What an operator watches: /metrics in Prometheus's format (request durations by route, the inbox query's time,
 * the outbox, open and overdue tasks by organisation), only for the operator's scraper; and /readyz, which says
 * whether the database and Temporal answer. Each test has its own app and database.
 */
import test, { type ExecutionContext } from 'ava';
import { projectTasks } from '../../records/tasks';
import { taskRow } from '../records/taskRows';
import { BrowserSession } from '../helpers/web';
import { startWebWithoutTemporal, type WebWithoutTemporal } from './fixtures';
import type { NotificationStatus } from '../../records/schema';

async function app(t: ExecutionContext, metricsToken?: string): Promise<WebWithoutTemporal> {
  const web = await startWebWithoutTemporal({ metricsToken });
  t.teardown(() => web.close());
  return web;
}

const scrape = (web: WebWithoutTemporal, token?: string) =>
  fetch(`${web.base}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

/** A metric's value in the text format, by its name and labels as written there. */
function valueOf(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function notice(web: WebWithoutTemporal, key: string, status: NotificationStatus): Promise<void> {
  await web.db
    .insertInto('notifications')
    .values({
      key,
      kind: 'task-opened',
      application_number: key,
      recipient: 'station-a:reviewers',
      email: 'reviewers@station-a.example',
      subject: '新任务',
      body: '新任务',
      subject_en: 'New task',
      body_en: 'New task',
      link: '',
      created_at: '2026-03-01T08:00:00.000Z',
      status,
      next_attempt_at: null,
    })
    .execute();
}

test('the scraper reads open and overdue tasks by organisation, the outbox, and the inbox’s own timings', async (t) => {
  const web = await app(t);
  const future = new Date(Date.now() + 7 * 86_400_000).toISOString();
  await projectTasks(web.db, [
    taskRow({ workflow_id: 'application-A-1', task_id: 'station-review-1', due_at: '2026-01-10T08:00:00.000Z' }),
    taskRow({ workflow_id: 'application-A-2', task_id: 'station-review-1', due_at: future }),
    taskRow({
      workflow_id: 'application-A-3',
      task_id: 'center-review-1',
      candidate_group: 'center-1:reviewers',
      supervising_group: 'center-1:supervisors',
      due_at: future,
    }),
    taskRow({ workflow_id: 'application-A-4', task_id: 'station-review-1', status: 'done', due_at: '2026-01-10' }),
  ]);
  await notice(web, 'n1', 'queued');
  await notice(web, 'n2', 'queued');
  await notice(web, 'n3', 'failed');
  await notice(web, 'n4', 'sent');
  const reviewer = new BrowserSession(web.base);
  await reviewer.signIn('li.station-reviewer');
  t.is((await reviewer.get('/inbox')).status, 200);

  const answer = await scrape(web);
  t.is(answer.status, 200);
  t.regex(answer.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const text = await answer.text();
  t.is(valueOf(text, 'qualiflow_open_tasks{organisation="station-a"}'), 2);
  t.is(valueOf(text, 'qualiflow_overdue_tasks{organisation="station-a"}'), 1);
  t.is(valueOf(text, 'qualiflow_open_tasks{organisation="center-1"}'), 1);
  t.is(valueOf(text, 'qualiflow_overdue_tasks{organisation="center-1"}'), 0);
  t.is(valueOf(text, 'qualiflow_notices{state="queued"}'), 2);
  t.is(valueOf(text, 'qualiflow_notices{state="failed"}'), 1);
  // Twice: the sign-in lands on the inbox, then the reviewer opened it again.
  t.is(valueOf(text, 'qualiflow_inbox_query_duration_seconds_count'), 2);
  t.is(valueOf(text, 'qualiflow_http_request_duration_seconds_count{method="GET",route="/inbox",status="2xx"}'), 2);
  // Routes by their pattern: an id in a label would make a series per case.
  t.false(/route="[^"]*application-A/.test(text));
  t.true(text.includes('qualiflow_web_process_resident_memory_bytes'));
});

test('without METRICS_TOKEN only this machine may scrape; with it, only the token opens /metrics', async (t) => {
  const token = 'a-scraper-token-of-sufficient-length';
  const web = await app(t, token);
  t.is((await scrape(web)).status, 404, 'loopback is not enough once a token is set');
  t.is((await scrape(web, 'wrong-token-of-the-same-kind-xxxx')).status, 404);
  const answer = await scrape(web, token);
  t.is(answer.status, 200);
  t.is(valueOf(await answer.text(), 'qualiflow_metrics_refused_total'), 2);
});

test('/readyz says the database answers and Temporal does not, with 503', async (t) => {
  const web = await app(t);
  const answer = await fetch(`${web.base}/readyz`);
  t.is(answer.status, 503);
  t.deepEqual(await answer.json(), { ready: false, database: 'ok', temporal: 'unreachable' });
  t.is(answer.headers.get('cache-control'), 'no-store');
});
