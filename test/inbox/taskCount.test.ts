/**
 * The menu's task count (inbox-ui/taskCount.ts): the open tasks of the reader's groups, counted for each page a
 * signed-in person opens, and not for API calls, form posts or visitors. The count itself is the inbox's "all" view,
 * which the records tests check against the list; here, what the middleware counts and when.
 */
import test from 'ava';
import express from 'express';
import type { User } from '../../records/directory';
import { projectTasks, type TaskRow } from '../../records/tasks';
import { listen } from '../../inbox-ui/listen';
import { menuTaskCount } from '../../inbox-ui/taskCount';
import { freshDatabase } from '../records/databases';
import { taskRow } from '../records/taskRows';

const reviewer: User = {
  id: 'li.station-reviewer',
  name: 'Li Wei',
  organisationId: 'station-a',
  roles: ['station-a:reviewers', 'station-a:supervisors'],
  createdAt: '2026-03-01T00:00:00.000Z',
};

const task = (number: number, overrides: Partial<TaskRow> = {}): TaskRow =>
  taskRow({ workflow_id: `application-STATION-A-${number}`, task_id: 'station-review-1', ...overrides });

test('the menu counts the open tasks of my groups on every page I open, and nothing for the API or a visitor', async (t) => {
  const { db } = await freshDatabase(t, 'sqlite');
  await projectTasks(db, [
    task(1),
    task(2, { assignee: 'he.station-reviewer' }),
    task(3, { status: 'done', outcome: 'approve' }),
    task(4, { candidate_group: 'station-b:reviewers', supervising_group: 'station-b:supervisors' }),
    // Another group's task, escalated to supervisors I belong to: in my inbox, so in the count.
    task(5, { candidate_group: 'station-a:examiners', escalated: 1, priority: 0 }),
    task(6, { candidate_group: 'station-a:examiners' }),
  ]);
  const app = express();
  app.use((req, res, next) => {
    if (req.get('x-signed-in')) res.locals.auth = { user: reviewer, via: 'cookie', token: 'x' };
    next();
  });
  app.use(menuTaskCount(db));
  app.all('/{*path}', (_req, res) => {
    res.json({ taskCount: res.locals.taskCount ?? null });
  });
  const server = await listen(app, { port: 0, host: '127.0.0.1' });
  t.teardown(() => server.close());
  const address = server.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const count = async (method: string, path: string, signedIn = true) =>
    (
      (await (await fetch(`${base}${path}`, { method, headers: signedIn ? { 'x-signed-in': '1' } : {} })).json()) as {
        taskCount: number | null;
      }
    ).taskCount;

  t.is(await count('GET', '/cases/STATION-A-1'), 3);
  t.is(await count('GET', '/sessions'), 3);
  t.is(await count('GET', '/api/tasks'), null, 'the API answers with its own counts');
  t.is(await count('GET', '/inbox'), null, 'the inbox counts it with its views');
  t.is(await count('POST', '/tasks/STATION-A-1/station-review-1/claim'), null, 'a post is answered with a redirect');
  t.is(await count('GET', '/login', false), null, 'a visitor has no inbox');
});
