/**
 * Bulk approval and bulk claim from the inbox and through the API: a result per item, one refusal not stopping the
 * rest; the page posts, is redirected (303) to the results, which a reload does not post again, and a form without a
 * task goes back to the inbox with the reason. Each test takes in its own cases, so they run side by side.
 */
import type { ExecutionContext } from 'ava';
import { getState } from '../../workflows/definitions';
import { type Harness } from '../helpers/harness';
import { testWithHarness } from '../helpers/harnessTests';
import { BrowserSession, visibleText, type WebApp } from '../helpers/web';
import { englishLeftIn } from './englishLeft';
import {
  caseHandle,
  isTask,
  type People,
  type ReviewCase,
  rowKey,
  startInboxWeb,
  stationReviewCase,
  wholeInbox,
} from './fixtures';

const test = testWithHarness({ flavour: 'dev-server' });

let web: WebApp;
let who: People;

// Serial, so it waits for the harness's own hook (ava starts concurrent hooks together).
test.serial.before(async (t) => {
  ({ web, who } = await startInboxWeb(t.context, { secondReviewer: true }));
});
test.after.always(async () => {
  await web?.close();
});

const reviewCase = (h: Harness) => stationReviewCase(h, who);

const ref = (c: ReviewCase) => rowKey(c.number, c.taskId);
const box = (c: ReviewCase) => `<input type='checkbox' name='tasks' value='${ref(c)}'`;
const inboxOf = async (user: string, query = '') => wholeInbox(await who.api(user), query);

/** How many times the case's history records this decision on the task. */
async function decisions(h: Harness, c: ReviewCase, type: string): Promise<number> {
  const view = await caseHandle(h, c.number).query(getState);
  return view.history.filter((event) => event.type === type && event.taskId === c.taskId).length;
}

async function approvedOnce(t: ExecutionContext<Harness>, c: ReviewCase, comment: string) {
  const view = (await (await who.api('li.station-reviewer')).get(`/api/cases/${c.number}`)).body;
  const task = view.tasks.find((candidate: { id: string }) => candidate.id === c.taskId);
  t.like(task, { status: 'done', outcome: { decision: 'approve', by: 'li.station-reviewer', comment } }, c.number);
  t.is(await decisions(t.context, c, 'task-approve'), 1, `${c.number} approved once`);
}

test('bulk approval redirects to a result per task, and reloading the results posts nothing again', async (t) => {
  const [p, q, held] = await Promise.all([reviewCase(t.context), reviewCase(t.context), reviewCase(t.context)]);
  t.is((await (await who.api('he.station-reviewer')).post(`${held.api}/claim`)).status, 200);

  const browser = await who.browser('li.station-reviewer');
  const inbox = await browser.get('/inbox?limit=100');
  t.true(inbox.html.includes(box(p)) && inbox.html.includes(box(q)));
  t.false(inbox.html.includes(box(held)), 'no box for a task a colleague holds');
  t.regex(inbox.html, /<input type='checkbox' id='select-all' hidden aria-label='Select every task on this page' \/>/);

  const posted = await browser.post(
    '/inbox/bulk-approve',
    { tasks: [p, held, q].map(ref), comment: 'Monday batch' },
    { follow: false },
  );
  t.is(posted.status, 303, 'post, redirect, get');
  t.is(posted.location, '/inbox/bulk-results?back=%2Finbox');
  const results = await browser.get(posted.location!);
  t.is(results.status, 200);
  const text = visibleText(results.html);
  t.regex(text, /Bulk approval/);
  t.regex(text, /Approved 2 of 3 tasks\./);
  t.regex(text, new RegExp(`${p.number} Qualification review \\(station\\) Approved`));
  t.regex(
    text,
    new RegExp(
      `${held.number} Qualification review \\(station\\) Not approved: Task Qualification review \\(station\\) is claimed by He Ping \\(station A reviewer\\); only they may decide it\\.`,
    ),
  );
  t.regex(text, new RegExp(`${q.number} Qualification review \\(station\\) Approved`));
  t.regex(results.html, new RegExp(`<a href='/tasks/${p.number}/${p.taskId}'>`));

  const reload = await browser.get(posted.location!, { follow: false });
  t.is(reload.status, 303, 'the results are shown once');
  t.is(reload.location, '/inbox');
  await approvedOnce(t, p, 'Monday batch');
  await approvedOnce(t, q, 'Monday batch');
  const listed = await inboxOf('li.station-reviewer');
  t.false(listed.some(isTask(p.number, p.taskId)) || listed.some(isTask(q.number, q.taskId)), 'gone at once');
  t.true(listed.some(isTask(held.number, held.taskId)));
});

test('a bulk form without a task goes back to the inbox it came from, saying why', async (t) => {
  const browser = await who.browser('li.station-reviewer');
  await browser.get('/inbox?view=claimable');
  for (const [action, message] of [
    ['approve', 'Choose at least one task to approve.'],
    ['claim', 'Choose at least one task to claim.'],
  ]) {
    const posted = await browser.post(`/inbox/bulk-${action}`, { comment: 'Nothing chosen' }, { follow: false });
    t.is(posted.status, 303, action);
    t.is(posted.location, '/inbox');
    const inbox = await browser.get(posted.location!);
    t.regex(inbox.html, new RegExp(`<div class='flash error'[^>]*>\\s*<p>${message.replace('.', '\\.')}</p>`));
  }
});

test('bulk claim from the inbox claims each selected task for me, one refusal not stopping the others', async (t) => {
  const [p, q, held] = await Promise.all([reviewCase(t.context), reviewCase(t.context), reviewCase(t.context)]);
  const browser = await who.browser('li.station-reviewer');
  const inbox = await browser.get('/inbox?view=claimable&limit=100');
  t.true([p, q, held].every((c) => inbox.html.includes(box(c))));
  t.regex(
    inbox.html,
    /<button type='submit' class='secondary' formaction='\/inbox\/bulk-claim'>Claim selected<\/button>/,
  );
  // A colleague is quicker with one of them.
  t.is((await (await who.api('he.station-reviewer')).post(`${held.api}/claim`)).status, 200);

  const results = await browser.post('/inbox/bulk-claim', { tasks: [p, held, q].map(ref) });
  t.is(results.status, 200);
  t.regex(results.location ?? '', /^\/inbox\/bulk-results\?/);
  const text = visibleText(results.html);
  t.regex(text, /Bulk claim/);
  t.regex(text, /Claimed 2 of 3 tasks\./);
  t.regex(text, new RegExp(`${p.number} Qualification review \\(station\\) Claimed`));
  t.regex(
    text,
    new RegExp(
      `${held.number} Qualification review \\(station\\) Not claimed: Task Qualification review \\(station\\) is already claimed by He Ping \\(station A reviewer\\)\\.`,
    ),
  );

  const mine = await inboxOf('li.station-reviewer', '&view=mine');
  t.true(mine.some(isTask(p.number, p.taskId)) && mine.some(isTask(q.number, q.taskId)), 'mine at once');
  t.false(mine.some(isTask(held.number, held.taskId)));
  t.is(await decisions(t.context, p, 'task-claimed'), 1);
});

test('bulk claim through the API gives a result per item, and a list that is no list is refused', async (t) => {
  const [u, v] = await Promise.all([reviewCase(t.context), reviewCase(t.context)]);
  const li = await who.api('li.station-reviewer');
  const response = await li.post('/api/tasks/bulk-claim', {
    tasks: [
      { applicationNumber: u.number, taskId: u.taskId },
      { applicationNumber: u.number, taskId: 'station-review-99' },
      { applicationNumber: v.number, taskId: v.taskId },
    ],
  });
  t.is(response.status, 200);
  t.deepEqual(response.body, {
    results: [
      { applicationNumber: u.number, taskId: u.taskId, ok: true, status: 200, message: 'claimed' },
      {
        applicationNumber: u.number,
        taskId: 'station-review-99',
        ok: false,
        status: 404,
        message: `Case ${u.number} has no task station-review-99 that you can see.`,
      },
      { applicationNumber: v.number, taskId: v.taskId, ok: true, status: 200, message: 'claimed' },
    ],
  });
  t.true((await inboxOf('li.station-reviewer', '&view=mine')).some(isTask(v.number, v.taskId)));

  const theirs = await (
    await who.api('he.station-reviewer')
  ).post('/api/tasks/bulk-claim', {
    tasks: [{ applicationNumber: u.number, taskId: u.taskId }],
  });
  t.like(theirs.body.results[0], {
    ok: false,
    status: 409,
    message: 'Task Qualification review (station) is already claimed by 李伟.',
  });

  const empty = await li.post('/api/tasks/bulk-claim', { tasks: [] });
  t.is(empty.status, 422);
  t.deepEqual(empty.body.errors, { tasks: 'must be a list of 1 to 100 { applicationNumber, taskId }' });
  const shapeless = await li.post('/api/tasks/bulk-claim', { tasks: [{ taskId: u.taskId }] });
  t.deepEqual(shapeless.body.errors, { 'tasks.0': 'must be { applicationNumber, taskId }' });
});

test('the results of a bulk action read in Chinese', async (t) => {
  const [p, q] = await Promise.all([reviewCase(t.context), reviewCase(t.context)]);
  const browser = new BrowserSession(web.base, 'zh-CN');
  await browser.signIn('li.station-reviewer');
  const inbox = visibleText((await browser.get('/inbox?limit=100')).html);
  t.true(inbox.includes('批量处理所选任务') && inbox.includes('审核意见（选填）'));
  const results = await browser.post('/inbox/bulk-approve', { tasks: [ref(p), ref(q)], comment: '材料齐全' });
  const text = visibleText(results.html);
  t.regex(text, /批量审核结果/);
  t.regex(text, /共 2 项任务，已审核通过 2 项。/);
  t.regex(text, new RegExp(`${p.number} 资格审核（鉴定站） 已审核通过`));
  t.regex(text, /返回待办任务/);
  t.deepEqual(englishLeftIn(text, 'inbox'), []);

  const nothing = await browser.post('/inbox/bulk-claim', {});
  t.regex(visibleText(nothing.html), /请至少选择一项要认领的任务。/);
});
