/**
 * Acting on tasks, from the task page's forms and through the API: claim, release, reassign, approve, reject, return,
 * scores, disqualify and bulk approval, with every refusal a person can meet (a field that is wrong, a task someone
 * else holds, a closed task, a task of another station, a form without its CSRF token). Each test takes in its own
 * case, so they run side by side.
 */
import type { ExecutionContext } from 'ava';
import { Level } from '../../domain/levels';
import { TaskKind } from '../../workflows/definitions';
import { applicationFor } from '../helpers/applications';
import { driveTo, eventually } from '../helpers/cases';
import { type Harness } from '../helpers/harness';
import { testWithHarness } from '../helpers/harnessTests';
import { BrowserSession, visibleText, type WebApp } from '../helpers/web';
import { englishLeftIn } from './englishLeft';
import {
  caseHandle,
  fieldMessage,
  inboxRows,
  inputValue,
  intake,
  isTask,
  openTaskOf,
  type People,
  startInboxWeb,
  startWebWithoutTemporal,
  stationReviewCase,
  unescape,
  UNLIMITED_SIGN_IN,
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

/** A new station-a case driven by the default decisions until a task of `kind` is open. */
async function caseAt(h: Harness, kind: TaskKind) {
  const number = await intake(await who.api('sun.clerk'), applicationFor(Level.Primary));
  const { id: taskId } = (await driveTo(caseHandle(h, number), kind))!;
  return { number, taskId, path: `/tasks/${number}/${taskId}`, api: `/api/cases/${number}/tasks/${taskId}` };
}

const taskOf = async (user: string, api: string) => (await (await who.api(user)).get(api)).body.task;

const inboxOf = async (user: string, query = '') => wholeInbox(await who.api(user), query);

/** The flash message at the top of a page (what the person just did, or why it did not happen). */
const flash = (html: string) => /<div class='flash (ok|error)'[^>]*>\s*<p>([^<]*)<\/p>/.exec(html)?.slice(1);

/** The update answers with the decision; the case closes as the workflow reads it, a moment later. */
const closedCasePage = (browser: BrowserSession, number: string) =>
  eventually(`case ${number} to close`, async () => {
    const text = visibleText((await browser.get(`/cases/${number}`)).html);
    return text.includes('(closed)') ? text : undefined;
  });

const hasForm = (html: string, action: string) => html.includes(`action='${action}'`);

/** A select's options as [value, the text a person reads]. */
const options = (html: string, id: string) =>
  [
    ...(new RegExp(`<select id='${id}'[^>]*>([\\s\\S]*?)</select>`).exec(html)?.[1] ?? '').matchAll(
      /<option value='([^']*)'[^>]*>([^<]*)<\/option>/g,
    ),
  ].map((match) => [unescape(match[1]), unescape(match[2])]);

function textareaValue(html: string, id: string): string | undefined {
  const value = new RegExp(`<textarea id='${id}'[^>]*>([^<]*)</textarea>`).exec(html)?.[1];
  return value === undefined ? undefined : unescape(value);
}

test('claiming a task from its page leads back to it, claimed by me, and my inbox shows it at once', async (t) => {
  const { number, taskId, path } = await reviewCase(t.context);
  const li = await who.browser('li.station-reviewer');
  const before = await li.get(path);
  t.is(before.status, 200);
  t.regex(visibleText(before.html), new RegExp(`Qualification review \\(station\\) · case ${number}`));
  t.regex(visibleText(before.html), /Status open, not claimed/);
  t.true(hasForm(before.html, `${path}/claim`));
  t.false(hasForm(before.html, `${path}/release`));

  const claimed = await li.post(`${path}/claim`);
  t.is(claimed.status, 200);
  t.is(claimed.location, path);
  t.deepEqual(flash(claimed.html), ['ok', `Claimed Qualification review (station) of case ${number}.`]);
  t.regex(
    claimed.html,
    /<div class='flash ok' role='status' tabindex='-1' autofocus>/,
    'the confirmation takes the focus',
  );
  t.is(claimed.html.match(/<div class='flash /g)?.length, 1, 'shown once, not by the layout as well');
  t.regex(claimed.html, /<\/h1>\s*<div class='flash ok'/, 'under the page heading');
  t.regex(visibleText(claimed.html), /Status open, claimed by 李伟/);
  t.false(hasForm(claimed.html, `${path}/claim`));
  t.true(hasForm(claimed.html, `${path}/release`) && hasForm(claimed.html, `${path}/approve`));

  t.true((await inboxOf('li.station-reviewer', '&view=mine')).some(isTask(number, taskId)), 'no waiting');
  t.false((await inboxOf('li.station-reviewer', '&view=claimable')).some(isTask(number, taskId)));
});

test('releasing a claimed task puts it back among the unclaimed at once', async (t) => {
  const { number, taskId, path, api } = await reviewCase(t.context);
  const li = await who.api('li.station-reviewer');
  const shown = await li.get(api);
  t.is(shown.status, 200);
  t.like(shown.body, {
    task: { id: taskId, kind: 'station-review', status: 'open' },
    case: { applicationNumber: number },
  });

  const claim = await li.post(`${api}/claim`);
  t.is(claim.status, 200);
  t.like(claim.body, {
    message: `Claimed Qualification review (station) of case ${number}.`,
    task: { assignee: 'li.station-reviewer' },
  });
  const release = await li.post(`${api}/release`);
  t.is(release.status, 200);
  t.is(release.body.message, `Released Qualification review (station) of case ${number}.`);
  t.is(release.body.task.assignee, undefined);
  t.true((await inboxOf('li.station-reviewer', '&view=claimable')).some(isTask(number, taskId)));
  t.false((await inboxOf('li.station-reviewer', '&view=mine')).some(isTask(number, taskId)));

  const browser = await who.browser('li.station-reviewer');
  await browser.post(`${path}/claim`);
  const released = await browser.post(`${path}/release`);
  t.is(released.location, '/inbox');
  t.deepEqual(flash(released.html), ['ok', `Released Qualification review (station) of case ${number}.`]);
  // The tests of this file open many tasks at once: the first page may not reach this one, so ask for all of them.
  t.true(inboxRows(await browser.get('/inbox?view=claimable&limit=100')).includes(`${number}/${taskId}`));
});

test('a supervisor reassigns a task to a member of its group, whose inbox shows it at once', async (t) => {
  const { number, taskId, path, api } = await reviewCase(t.context);
  const zhou = await who.browser('zhou.supervisor');
  const page = await zhou.get(path);
  t.is(page.status, 200);
  t.true(hasForm(page.html, `${path}/reassign`));
  t.false(hasForm(page.html, `${path}/claim`), 'a supervisor is not a member of the reviewers');
  // The people of the task's group, by name; the value sent is their user id.
  t.deepEqual(options(page.html, 'assignee'), [
    ['he.station-reviewer', 'He Ping (station A reviewer)'],
    ['li.station-reviewer', '李伟'],
  ]);

  const reassigned = await zhou.post(`${path}/reassign`, { assignee: 'he.station-reviewer' });
  t.is(reassigned.location, '/inbox');
  t.deepEqual(flash(reassigned.html), [
    'ok',
    `Reassigned Qualification review (station) of case ${number} to He Ping (station A reviewer).`,
  ]);
  t.true((await inboxOf('he.station-reviewer', '&view=mine')).some(isTask(number, taskId)), 'no waiting');
  const casePage = visibleText((await zhou.get(`/cases/${number}`)).html);
  t.regex(casePage, /周敏 reassigned Qualification review \(station\) to He Ping \(station A reviewer\)/);
  t.false(casePage.includes('he.station-reviewer'), 'people by name, not by user id');

  // Now He Ping holds it: the list offers only the others, and reassigning to her again is refused.
  const held = await zhou.get(path);
  t.regex(visibleText(held.html), /Status open, claimed by He Ping \(station A reviewer\)/);
  t.deepEqual(options(held.html, 'assignee'), [['li.station-reviewer', '李伟']]);
  const api2 = await who.api('zhou.supervisor');
  const same = await api2.post(`${api}/reassign`, { assignee: 'he.station-reviewer' });
  t.is(same.status, 422);
  t.deepEqual(same.body.errors, {
    assignee: 'He Ping (station A reviewer) already holds this task; choose someone else',
  });
  const refused = await zhou.post(`${path}/reassign`, { assignee: 'he.station-reviewer' });
  t.is(refused.location, path);
  t.is(
    fieldMessage(refused.html, 'assignee'),
    'He Ping (station A reviewer) already holds this task; choose someone else',
  );

  const back = await api2.post(`${api}/reassign`, { assignee: 'li.station-reviewer' });
  t.is(back.status, 200);
  t.is(back.body.task.assignee, 'li.station-reviewer');
  t.is(back.body.message, `Reassigned Qualification review (station) of case ${number} to 李伟.`);
});

test('reassigning to someone outside the group is refused with a message on the assignee field', async (t) => {
  const { number, taskId, path, api } = await reviewCase(t.context);
  const zhou = await who.api('zhou.supervisor');
  const outsider = await zhou.post(`${api}/reassign`, { assignee: 'zhao.station-b-reviewer' });
  t.is(outsider.status, 422);
  t.deepEqual(outsider.body, {
    error: 'Some fields need attention.',
    errors: {
      assignee: '赵蕾 is not a member of 东城职业技能鉴定站 reviewers, which handles this task',
    },
  });
  const nobody = await zhou.post(`${api}/reassign`, {});
  t.is(nobody.status, 422);
  t.deepEqual(nobody.body.errors, { assignee: 'is required' });

  const browser = await who.browser('zhou.supervisor');
  await browser.get(path);
  const page = await browser.post(`${path}/reassign`, { assignee: 'zhao.station-b-reviewer' });
  t.is(page.location, path, 'back to the task, not a page on the POST');
  t.deepEqual(flash(page.html), ['error', 'Some fields need attention.']);
  t.is(
    fieldMessage(page.html, 'assignee'),
    '赵蕾 is not a member of 东城职业技能鉴定站 reviewers, which handles this task',
  );
  t.regex(page.html, /<select id='assignee' name='assignee' aria-invalid='true'/);
  t.regex(visibleText(page.html), new RegExp(`Qualification review \\(station\\) · case ${number}`), 'the same task');
  t.is((await taskOf('li.station-reviewer', api)).assignee, undefined, 'nothing changed');
  t.truthy(taskId);
});

test('someone who is not a supervisor cannot reassign: 403, and the task stays as it was', async (t) => {
  const { path, api } = await reviewCase(t.context);
  const li = await who.api('li.station-reviewer');
  const refused = await li.post(`${api}/reassign`, { assignee: 'he.station-reviewer' });
  t.is(refused.status, 403);
  const onlySupervisors =
    'Only members of 东城职业技能鉴定站 supervisors may reassign task Qualification review (station).';
  t.deepEqual(refused.body, { error: onlySupervisors, code: 'refusals:task.reassignForbidden' });

  const browser = await who.browser('li.station-reviewer');
  const page = await browser.get(path);
  t.false(hasForm(page.html, `${path}/reassign`), 'the form is not offered');
  const posted = await browser.post(`${path}/reassign`, { assignee: 'he.station-reviewer' });
  t.is(posted.location, path);
  t.deepEqual(flash(posted.html), ['error', onlySupervisors]);
  t.is((await taskOf('li.station-reviewer', api)).assignee, undefined);
});

test('an approval with a comment appears under "Decisions so far" and leaves my inbox at once', async (t) => {
  const { number, taskId, path } = await reviewCase(t.context);
  const li = await who.browser('li.station-reviewer');
  await li.get(path);
  const approved = await li.post(`${path}/approve`, { comment: 'Documents complete & checked' });
  t.is(approved.status, 200);
  t.is(approved.location, '/inbox');
  t.deepEqual(flash(approved.html), ['ok', `Approved Qualification review (station) of case ${number}.`]);
  t.false(inboxRows(approved).includes(`${number}/${taskId}`), 'the inbox it lands on no longer lists the task');
  t.false((await inboxOf('li.station-reviewer')).some(isTask(number, taskId)));

  const casePage = visibleText((await li.get(`/cases/${number}`)).html);
  t.regex(casePage, /Decisions so far .* 李伟 approved Qualification review \(station\) Documents complete & checked/);
  t.false(casePage.includes(taskId), 'the task by its label, not its code');
  const taskPage = visibleText((await li.get(path)).html);
  t.regex(taskPage, /Status done, claimed by 李伟/);
  t.regex(taskPage, /Decision approved by 李伟 at .*: Documents complete & checked/);
});

test('a rejection or a return without a reason is refused with 422, and the form keeps what was typed', async (t) => {
  const h = t.context;
  const { number } = await reviewCase(h);
  const station = (await openTaskOf(h, number, TaskKind.StationReview)).id;
  t.is(
    (await (await who.api('li.station-reviewer')).post(`/api/cases/${number}/tasks/${station}/approve`)).status,
    200,
  );
  const center = (await openTaskOf(h, number, TaskKind.CenterReview)).id;
  const api = `/api/cases/${number}/tasks/${center}`;
  const path = `/tasks/${number}/${center}`;

  const wu = await who.api('wu.center-reviewer');
  const reject = await wu.post(`${api}/reject`, {});
  t.is(reject.status, 422);
  t.deepEqual(reject.body, { error: 'Say why: a rejection needs a reason.', errors: { reason: 'is required' } });
  const giveBack = await wu.post(`${api}/return`, { reason: '   ' });
  t.is(giveBack.status, 422);
  t.deepEqual(giveBack.body, { error: 'Say why: a return needs a reason.', errors: { reason: 'is required' } });

  const browser = await who.browser('wu.center-reviewer');
  await browser.get(path);
  const blank = await browser.post(`${path}/return`, { reason: '' });
  t.is(blank.location, path);
  t.deepEqual(flash(blank.html), ['error', 'Say why: a return needs a reason.']);
  t.is(fieldMessage(blank.html, 'return-reason'), 'is required');
  t.is(fieldMessage(blank.html, 'reject-reason'), undefined, 'only the form that was sent is marked');

  const essay = `The evidence does not hold. ${'x'.repeat(2000)}`;
  const long = await browser.post(`${path}/reject`, { reason: essay });
  t.is(long.location, path);
  t.is(fieldMessage(long.html, 'reject-reason'), 'must be at most 2000 characters');
  t.is(textareaValue(long.html, 'reject-reason'), essay, 'what was typed is not lost');
  t.is((await taskOf('wu.center-reviewer', api)).status, 'open', 'nothing was decided');

  const returned = await wu.post(`${api}/return`, { reason: 'The photo is missing' });
  t.is(returned.status, 200);
  t.like(returned.body.task, { status: 'done', outcome: { decision: 'return', comment: 'The photo is missing' } });
  const again = (await openTaskOf(h, number, TaskKind.StationReview)).id;
  t.not(again, station, 'the station reviews the case again');

  const li = await who.browser('li.station-reviewer');
  await li.get(`/tasks/${number}/${again}`);
  const rejected = await li.post(`/tasks/${number}/${again}/reject`, { reason: 'No photo after all' });
  t.is(rejected.location, '/inbox');
  const casePage = await closedCasePage(li, number);
  t.regex(casePage, /Stage Rejected \(closed\): No photo after all/);
  t.regex(casePage, /吴华 returned Qualification review \(guidance center\) The photo is missing/);
});

test('scores out of range are refused on the knowledge field, the typed scores stay, valid ones are recorded', async (t) => {
  const { number, taskId, path, api } = await caseAt(t.context, TaskKind.ExamScores);
  const chen = await who.api('chen.examiner');
  const high = await chen.post(`${api}/scores`, { knowledge: 140, skills: 80 });
  t.is(high.status, 422);
  t.deepEqual(high.body, {
    error: 'Some fields need attention.',
    errors: { knowledge: 'must be a number from 0 to 100' },
  });
  const none = await chen.post(`${api}/scores`, {});
  t.deepEqual(none.body.errors, { knowledge: 'enter at least one score' });
  const half = await chen.post(`${api}/scores`, { knowledge: 80 });
  t.is(half.status, 422, "the workflow's own refusal");
  t.deepEqual(half.body, { error: 'skills: a score is required.', code: 'refusals:scores.required' });

  const browser = await who.browser('chen.examiner');
  await browser.get(path);
  const page = await browser.post(`${path}/scores`, { knowledge: '140', skills: '80', comment: 'Marked twice' });
  t.is(page.location, path);
  t.is(fieldMessage(page.html, 'knowledge'), 'must be a number from 0 to 100');
  t.regex(page.html, /<input id='knowledge' name='knowledge' inputmode='decimal' value='140' aria-invalid='true'/);
  t.is(inputValue(page.html, 'skills'), '80');
  t.is(textareaValue(page.html, 'scores-comment'), 'Marked twice');

  const recorded = await browser.post(`${path}/scores`, { knowledge: '82', skills: '90', comment: 'Marked twice' });
  t.is(recorded.location, '/inbox');
  t.deepEqual(flash(recorded.html), ['ok', `Recorded Examination scores of case ${number}.`]);
  t.truthy(taskId);
  const casePage = visibleText((await browser.get(`/cases/${number}`)).html);
  t.regex(casePage, /Scores Part Score Grade Knowledge 82 .* Skills 90 /);
  t.regex(casePage, /陈杰 recorded Examination scores Marked twice/);
});

test('disqualifying needs a reason, and with one it closes the case', async (t) => {
  const { number, path, api } = await caseAt(t.context, TaskKind.ExamScores);
  const browser = await who.browser('chen.examiner');
  await browser.get(path);
  const blank = await browser.post(`${path}/disqualify`, { reason: '' });
  t.is(blank.location, path);
  t.deepEqual(flash(blank.html), ['error', 'Say why: a disqualification needs a reason.']);
  t.is(fieldMessage(blank.html, 'disqualify-reason'), 'is required');

  const chen = await who.api('chen.examiner');
  t.deepEqual((await chen.post(`${api}/disqualify`, {})).body.errors, { reason: 'is required' });
  const done = await chen.post(`${api}/disqualify`, { reason: 'Used a phone during the exam' });
  t.is(done.status, 200);
  t.like(done.body.task, {
    status: 'done',
    outcome: { decision: 'disqualify', comment: 'Used a phone during the exam' },
  });
  const casePage = await closedCasePage(browser, number);
  t.regex(casePage, /Stage Disqualified \(closed\): Used a phone during the exam/);
});

test('deciding a task someone else holds is refused, and its page says who holds it', async (t) => {
  const { path, api } = await reviewCase(t.context);
  t.is((await (await who.api('li.station-reviewer')).post(`${api}/claim`)).status, 200);

  const he = await who.api('he.station-reviewer');
  const approve = await he.post(`${api}/approve`, { comment: 'Mine now' });
  t.is(approve.status, 403);
  const heldByLi = 'Task Qualification review (station) is claimed by 李伟; only they may decide it.';
  t.deepEqual(approve.body, { error: heldByLi, code: 'refusals:task.claimedByOther' });
  const claim = await he.post(`${api}/claim`);
  t.is(claim.status, 409);
  t.deepEqual(claim.body, {
    error: 'Task Qualification review (station) is already claimed by 李伟.',
    code: 'refusals:task.alreadyClaimed',
  });
  const release = await he.post(`${api}/release`);
  t.is(release.status, 403);
  t.deepEqual(release.body, {
    error: 'Only 李伟 or a supervisor may release task Qualification review (station).',
    code: 'refusals:task.releaseForbidden',
  });

  const browser = await who.browser('he.station-reviewer');
  const page = await browser.get(path);
  t.regex(visibleText(page.html), /李伟 holds this task; only they can decide it\./);
  t.false(hasForm(page.html, `${path}/approve`) || hasForm(page.html, `${path}/claim`));
  const posted = await browser.post(`${path}/approve`, { comment: 'Mine now' });
  t.is(posted.location, path);
  t.deepEqual(flash(posted.html), ['error', heldByLi]);
  t.is(textareaValue(posted.html, 'kept'), 'Mine now', 'the comment written is there to copy');
  t.like(await taskOf('li.station-reviewer', api), { status: 'open', assignee: 'li.station-reviewer' });

  const freed = await (await who.api('zhou.supervisor')).post(`${api}/release`);
  t.is(freed.status, 200, 'a supervisor may free it');
  t.is(freed.body.task.assignee, undefined);
});

test('acting on a task that is already closed answers 409', async (t) => {
  const { number, path, api } = await reviewCase(t.context);
  const li = await who.api('li.station-reviewer');
  const first = await li.post(`${api}/approve`, { comment: 'Fine' });
  t.is(first.status, 200);
  t.like(first.body, {
    message: `Approved Qualification review (station) of case ${number}.`,
    task: { status: 'done', outcome: { decision: 'approve', by: 'li.station-reviewer', comment: 'Fine' } },
  });
  for (const action of ['approve', 'claim', 'reject']) {
    const again = await li.post(`${api}/${action}`, { reason: 'Changed my mind' });
    t.is(again.status, 409, action);
    t.deepEqual(
      again.body,
      { error: 'Task Qualification review (station) is closed (done).', code: 'refusals:task.closed.done' },
      action,
    );
  }

  const browser = await who.browser('li.station-reviewer');
  const page = await browser.get(path);
  t.notRegex(visibleText(page.html), /Act on this task/);
  const posted = await browser.post(`${path}/approve`, { comment: 'Again' });
  t.is(posted.location, path);
  t.deepEqual(flash(posted.html), ['error', 'Task Qualification review (station) is closed (done).']);
});

test('a station-b reviewer gets the same 404 for a station-a task as for a case that does not exist', async (t) => {
  const { number, taskId, path, api } = await reviewCase(t.context);
  const zhao = await who.api('zhao.station-b-reviewer');
  const missing = 'QF-20260101-NOSUCH';
  const notFound = (n: string) => ({ error: `No case ${n} that you can see.` });

  for (const [what, hidden, absent] of [
    ['view', await zhao.get(api), await zhao.get(`/api/cases/${missing}/tasks/${taskId}`)],
    ['approve', await zhao.post(`${api}/approve`), await zhao.post(`/api/cases/${missing}/tasks/${taskId}/approve`)],
    ['claim', await zhao.post(`${api}/claim`), await zhao.post(`/api/cases/${missing}/tasks/${taskId}/claim`)],
  ] as const) {
    t.is(hidden.status, 404, what);
    t.deepEqual(hidden.body, notFound(number), what);
    t.is(absent.status, 404, what);
    t.deepEqual(absent.body, notFound(missing), `${what}: the answers differ only by the number asked for`);
  }

  const browser = await who.browser('zhao.station-b-reviewer');
  const page = await browser.get(path);
  t.is(page.status, 404);
  t.regex(visibleText(page.html), new RegExp(`Error 404 No case ${number} that you can see\\.`));
  const posted = await browser.post(`${path}/approve`);
  t.is(posted.status, 404);
  t.like(await taskOf('li.station-reviewer', api), { status: 'open' }, 'nothing happened to it');

  // A station-a clerk sees the case, but the reviewers' task is not theirs: the same answer as a task that is not there.
  const clerk = await who.api('sun.clerk');
  const notTheirs = await clerk.get(api);
  const noSuchTask = await clerk.get(`/api/cases/${number}/tasks/station-review-99`);
  t.is(notTheirs.status, 404);
  t.deepEqual(notTheirs.body, { error: `Case ${number} has no task ${taskId} that you can see.` });
  t.deepEqual(noSuchTask.body, { error: `Case ${number} has no task station-review-99 that you can see.` });
});

test('an action the app does not know is 404', async (t) => {
  const { path, api } = await reviewCase(t.context);
  const response = await (await who.api('li.station-reviewer')).post(`${api}/frobnicate`);
  t.is(response.status, 404);
  t.deepEqual(response.body, { error: 'There is no "frobnicate" action on a task.' });
  const browser = await who.browser('li.station-reviewer');
  const page = await browser.post(`${path}/frobnicate`);
  t.is(page.status, 404);
  t.regex(visibleText(page.html), /There is no "frobnicate" action on a task\./);
});

test('a claim posted without its CSRF token is refused, and the task stays unclaimed', async (t) => {
  const { path, api } = await reviewCase(t.context);
  const browser = await who.browser('li.station-reviewer');
  await browser.get(path);
  const posted = await browser.post(`${path}/claim`, {}, { csrf: false });
  t.is(posted.status, 403);
  t.regex(visibleText(posted.html), /This form has expired or did not come from Qualiflow/);
  t.is((await taskOf('li.station-reviewer', api)).assignee, undefined);
});

async function approvedOf(t: ExecutionContext<Harness>, number: string, taskId: string, comment: string) {
  const view = (await (await who.api('li.station-reviewer')).get(`/api/cases/${number}`)).body;
  const task = view.tasks.find((candidate: { id: string }) => candidate.id === taskId);
  t.like(task, { status: 'done', outcome: { decision: 'approve', by: 'li.station-reviewer', comment } }, number);
}

test('bulk approval through the API gives a result per item, and a bad item does not stop the others', async (t) => {
  const [u, v] = await Promise.all([reviewCase(t.context), reviewCase(t.context)]);
  const li = await who.api('li.station-reviewer');
  const response = await li.post('/api/tasks/bulk-approve', {
    tasks: [
      { applicationNumber: u.number, taskId: u.taskId },
      { applicationNumber: u.number, taskId: 'station-review-99' },
      { applicationNumber: v.number, taskId: v.taskId },
    ],
    comment: 'Batch',
  });
  t.is(response.status, 200);
  t.deepEqual(response.body, {
    results: [
      { applicationNumber: u.number, taskId: u.taskId, ok: true, status: 200, message: 'approved' },
      {
        applicationNumber: u.number,
        taskId: 'station-review-99',
        ok: false,
        status: 404,
        message: `Case ${u.number} has no task station-review-99 that you can see.`,
      },
      { applicationNumber: v.number, taskId: v.taskId, ok: true, status: 200, message: 'approved' },
    ],
  });
  await approvedOf(t, v.number, v.taskId, 'Batch');

  const twice = await li.post('/api/tasks/bulk-approve', {
    tasks: [{ applicationNumber: u.number, taskId: u.taskId }],
  });
  t.like(twice.body.results[0], {
    ok: false,
    status: 409,
    message: 'Task Qualification review (station) is closed (done).',
  });

  const empty = await li.post('/api/tasks/bulk-approve', { tasks: [] });
  t.is(empty.status, 422);
  t.deepEqual(empty.body.errors, { tasks: 'must be a list of 1 to 100 { applicationNumber, taskId }' });
  const shapeless = await li.post('/api/tasks/bulk-approve', { tasks: [{ applicationNumber: u.number }] });
  t.is(shapeless.status, 422);
  t.deepEqual(shapeless.body.errors, { 'tasks.0': 'must be { applicationNumber, taskId }' });
});

test('when Temporal does not answer, a decision is not taken and the comment written is shown to copy', async (t) => {
  const offline = await startWebWithoutTemporal({ signInLimits: UNLIMITED_SIGN_IN });
  t.teardown(() => offline.close());
  const reviewer = new BrowserSession(offline.base);
  await reviewer.signIn('li.station-reviewer');
  await reviewer.get('/inbox');
  const comment = 'Documents checked against the register, all complete.';
  const page = await reviewer.post('/tasks/QF-2026-000001/station-review-1/approve', { comment });
  t.is(page.status, 503);
  t.regex(visibleText(page.html), /could not be recorded just now; nothing was changed/);
  t.true(visibleText(page.html).includes(comment), 'what the person wrote is on the page');
});

test('a refused decision is answered with a redirect to its task, which shows the reason typed, once', async (t) => {
  const { number, path } = await reviewCase(t.context);
  const li = await who.browser('li.station-reviewer');
  await li.get(path);
  const reason = `The work certificate is unsigned. ${'Checked twice. '.repeat(140)}`;
  const posted = await li.post(`${path}/reject`, { reason }, { follow: false });
  t.is(posted.status, 303, 'never a page on the POST, so a reload cannot send it again');
  t.is(posted.location, path);

  const page = await li.get(path);
  t.deepEqual(flash(page.html), ['error', 'Say why: a rejection needs a reason.']);
  t.regex(page.html, /<div class='flash error' role='alert' tabindex='-1' autofocus>/);
  t.is(fieldMessage(page.html, 'reject-reason'), 'must be at most 2000 characters');
  t.is(textareaValue(page.html, 'reject-reason'), reason, 'all of it, though longer than a cookie could carry');
  t.is(textareaValue(page.html, 'approve-comment'), '', 'only the form that was sent');

  const again = await li.get(path);
  t.is(flash(again.html), undefined, 'the flash is read once');
  t.is(textareaValue(again.html, 'reject-reason'), '');

  const approved = await li.post(`${path}/approve`, { comment: 'Fine after all' }, { follow: false });
  t.is(approved.status, 303);
  t.is(approved.location, '/inbox');
  t.is(number.length > 0, true);
});

test('a print task shows its certificate: the PDF for those who may see the case, the same bytes each time', async (t) => {
  const { number, path } = await caseAt(t.context, TaskKind.CertificatePrint);
  const zheng = await who.browser('zheng.approver');
  const page = await zheng.get(path);
  t.is(page.status, 200);
  const pdfPath = `/cases/${number}/certificate.pdf`;
  t.true(page.html.includes(`<a href='${pdfPath}' download>Download the certificate (PDF)</a>`));
  t.regex(visibleText(page.html), /Certificate Certificate number [YS]\d{21} Download the certificate \(PDF\)/);

  const download = async (user: string) =>
    fetch(`${web.base}${pdfPath}`, { headers: { authorization: `Bearer ${(await who.api(user)).token}` } });
  const first = await download('zheng.approver');
  t.is(first.status, 200);
  t.is(first.headers.get('content-type'), 'application/pdf');
  const bytes = Buffer.from(await first.arrayBuffer());
  t.is(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
  const second = Buffer.from(await (await download('zheng.approver')).arrayBuffer());
  t.true(bytes.equals(second), 'byte-identical on every download');

  const stranger = await download('zhao.station-b-reviewer');
  t.is(stranger.status, 404, 'another station sees neither the case nor its certificate');
  const early = await reviewCase(t.context);
  t.is(
    (
      await fetch(`${web.base}/cases/${early.number}/certificate.pdf`, {
        headers: { authorization: `Bearer ${(await who.api('li.station-reviewer')).token}` },
      })
    ).status,
    404,
    'no certificate yet',
  );
  t.false(
    visibleText((await (await who.browser('li.station-reviewer')).get(early.path)).html).includes('Certificate number'),
  );
});

test('the task page reads in Chinese: labels, names, China dates, and no English sentence of its own', async (t) => {
  const { number, path } = await reviewCase(t.context);
  for (const language of ['zh-CN', '*']) {
    const browser = new BrowserSession(web.base, language);
    await browser.signIn('li.station-reviewer');
    const page = await browser.get(path);
    t.is(page.status, 200, language);
    const text = visibleText(page.html);
    t.regex(text, new RegExp(`资格审核（鉴定站） · 申报 ${number}`), language);
    t.regex(text, /状态 办理中，未认领/);
    t.regex(text, /办理部门 东城职业技能鉴定站的审核人员/);
    t.regex(text, /创建时间（北京时间） 20\d\d年\d{1,2}月\d{1,2}日 \d\d:\d\d/);
    t.regex(text, /办理时限（北京时间） 20\d\d年\d{1,2}月\d{1,2}日 \d\d:\d\d 未到期/);
    t.regex(text, /考生 .*（居民身份证 \d{17}[\dX]）/);
    t.regex(text, /等级 五级\/初级工/);
    t.regex(text, /申报条件：\s?符合/);
    t.regex(page.html, /<button type='submit'>认领<\/button>/);
    t.deepEqual(englishLeftIn(text, 'case'), [], language);
  }

  const li = new BrowserSession(web.base, 'zh-CN');
  await li.signIn('li.station-reviewer');
  await li.get(path);
  const claimed = await li.post(`${path}/claim`);
  t.deepEqual(flash(claimed.html), ['ok', `已认领申报 ${number} 的“资格审核（鉴定站）”任务。`]);
  t.regex(visibleText(claimed.html), /状态 办理中，由李伟认领/);
  const blank = await li.post(`${path}/reject`, { reason: ' ' });
  t.deepEqual(flash(blank.html), ['error', '请说明理由：驳回须填写理由。']);
  t.is(fieldMessage(blank.html, 'reject-reason'), '为必填项');
  await li.post(`${path}/approve`, { comment: '材料齐全。' });
  const casePage = visibleText((await li.get(`/cases/${number}`)).html);
  t.regex(casePage, /办理记录 时间（北京时间） 办理人 办理事项 意见 .*李伟 资格审核（鉴定站）：已批准 材料齐全。/);
  t.deepEqual(englishLeftIn(casePage, 'case'), []);
});
