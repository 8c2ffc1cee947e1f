/**
 * What an open inbox page polls (GET /api/tasks/changes) and how the page loads its script: the answer says whether
 * the reader's view gained or lost tasks since the page's token, in the reader's words, and tells nothing of other
 * groups' tasks; the script is a file under a versioned link, cached for a year, and the page has no inline script.
 * The projection is written directly: these routes read the database alone.
 */
import test from 'ava';
import { projectTasks, type TaskRow } from '../../records/tasks';
import { apiAs, apiClient, BrowserSession } from '../helpers/web';
import { taskRow } from '../records/taskRows';
import { startWebWithoutTemporal, unescape, type WebWithoutTemporal } from './fixtures';

/** A web app of the test's own, so that its counts are its tasks alone. */
async function web(t: { teardown(fn: () => Promise<void>): void }): Promise<WebWithoutTemporal> {
  const app = await startWebWithoutTemporal();
  t.teardown(() => app.close());
  return app;
}

let serial = 0;
/** An open station review of a case of its own, in station A's reviewers unless told otherwise. */
const review = (overrides: Partial<TaskRow> = {}): TaskRow =>
  taskRow({
    workflow_id: `application-STATION-A-20260301-${String(++serial).padStart(6, '0')}`,
    task_id: 'station-review-1',
    ...overrides,
  });

/** The link the page's script polls, as the page gives it. */
const changesLink = (html: string) => unescape(/data-changes='([^']*)'/.exec(html)?.[1] ?? '');

test('the inbox is told of new tasks in its view, in the reader’s words, and of nothing in other groups', async (t) => {
  const { base, db } = await web(t);
  await projectTasks(db, [review(), review()]);
  const reader = new BrowserSession(base);
  await reader.signIn('li.station-reviewer');
  const link = changesLink((await reader.get('/inbox')).html);
  t.regex(link, /^\/api\/tasks\/changes\?view=all&since=\d+-2$/);
  const poll = async (session = reader, path = link) => JSON.parse((await session.get(path)).html);

  t.deepEqual(await poll(), {
    view: 'all',
    token: link.split('since=')[1],
    changed: false,
    newTasks: 0,
    counts: { all: 2, claimable: 2, mine: 0 },
    message: null,
  });

  // Another station's tasks, and their claims: the reader's answer stays exactly as it was.
  const elsewhere = review({ candidate_group: 'station-b:reviewers', supervising_group: 'station-b:supervisors' });
  await projectTasks(db, [elsewhere]);
  await projectTasks(db, [{ ...elsewhere, assignee: 'zhao.station-b-reviewer', version: 2 }]);
  t.deepEqual((await poll()).token, link.split('since=')[1], "another group's tasks change nothing");

  const arrived = review();
  await projectTasks(db, [arrived, review()]);
  t.like(await poll(), {
    changed: true,
    newTasks: 2,
    counts: { all: 4, claimable: 4, mine: 0 },
    message: '2 new tasks',
  });
  const chinese = new BrowserSession(base, 'zh-CN');
  await chinese.signIn('li.station-reviewer');
  t.is((await poll(chinese)).message, '有 2 项新任务');

  // A task claimed by a colleague: no more tasks, but the list did change, except the reader's own.
  const since = async (view: string) => changesLink((await reader.get(`/inbox?view=${view}`)).html);
  const [all, claimable, mine] = [await since('all'), await since('claimable'), await since('mine')];
  await projectTasks(db, [{ ...arrived, assignee: 'ma.station-reviewer', version: 2 }]);
  t.like(await poll(reader, all), { changed: true, newTasks: 0, message: 'The list has changed' });
  t.like(await poll(reader, claimable), { changed: true, newTasks: 0, message: 'The list has changed' });
  t.like(await poll(reader, mine), { changed: false, newTasks: 0, message: null });
});

test('the changes answer refuses a token it never gave and anyone not signed in', async (t) => {
  const { base } = await web(t);
  const api = await apiAs(base, 'li.station-reviewer');
  const refused = await api.get('/api/tasks/changes?view=every&since=next-week');
  t.is(refused.status, 422);
  t.deepEqual(Object.keys(refused.body.errors).sort(), ['since', 'view']);
  t.is((await api.get('/api/tasks/changes')).body.changed, false, 'without a token, only the current one');
  t.is((await apiClient(base).get('/api/tasks/changes?view=all')).status, 401);
});

test('the inbox runs its script from a versioned file kept for a year, and has no inline script', async (t) => {
  const { base } = await web(t);
  const reader = new BrowserSession(base);
  await reader.signIn('li.station-reviewer');
  const { html } = await reader.get('/inbox');
  const scripts = [...unescape(html).matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
  t.deepEqual(scripts.length, 1);
  const src = /^<script src='(\/assets\/inbox\.js\?v=[0-9a-f]{12})' defer>$/.exec(scripts[0])?.[1];
  t.truthy(src, scripts[0]);
  t.regex(html, /<script src='[^']*' defer><\/script>/, 'nothing between the tags');

  const response = await fetch(`${base}${src}`);
  t.is(response.status, 200);
  t.regex(response.headers.get('content-type') ?? '', /javascript/);
  t.is(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  t.is(response.headers.get('x-content-type-options'), 'nosniff');
  t.true((await response.text()).includes('inbox:poll'));
  t.is((await fetch(`${base}/assets/`)).status, 404, 'no listing of the folder');

  // The list of shortcuts, in the page's words, shown by the script.
  t.regex(
    html,
    /<details class='shortcuts' id='shortcuts' data-page='inbox' hidden>\s*<summary>Keyboard shortcuts<\/summary>/,
  );
  const chinese = new BrowserSession(base, 'zh-CN');
  await chinese.signIn('li.station-reviewer');
  t.regex((await chinese.get('/inbox')).html, /<summary>键盘快捷键<\/summary>/);
});
