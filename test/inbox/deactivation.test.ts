/**
 * Deactivating the account of someone who has left, from the administrators' accounts page and its API twin: the
 * station review they had claimed goes back to the reviewers' queue through the workflow (the administrator releasing
 * it), the station's supervisors read a notice saying so, the person's browser and API token are signed out at once,
 * a sign-in is refused with the wrong-password answer, and the audit chain has the entry; reactivation lets them in
 * again. An administrator cannot deactivate their own account, a reason is required for either change, and nobody
 * else may make one.
 */
import { Level } from '../../domain/levels';
import { deactivateAccount, listAccounts, reactivateAccount } from '../../records/accounts';
import { auditTrailOf, verifyAuditChain } from '../../records/audit';
import type { Db } from '../../records/database';
import type { DialectName } from '../../records/dialect';
import { authenticate, findUser, listUsers } from '../../records/directory';
import { DEMO_PASSWORD, seedDemoDirectory } from '../../records/demoProvince';
import { translator } from '../../i18n';
import { performTaskAction } from '../../inbox-ui/taskActions';
import type { HttpError } from '../../inbox-ui/temporalErrors';
import { createSession, userOfSession } from '../../records/sessions';
import { accountAuditKey } from '../../records/signInFailures';
import { cancelCase, getState, TaskKind } from '../../workflows/definitions';
import { actors } from '../helpers/actors';
import { applicationFor } from '../helpers/applications';
import { eventually } from '../helpers/cases';
import { type Harness } from '../helpers/harness';
import { testWithHarness } from '../helpers/harnessTests';
import { apiAs, BrowserSession, visibleText } from '../helpers/web';
import { DIALECTS, freshDatabase } from '../records/databases';
import { addAccount, caseHandle, fieldMessage, inboxWebFor, intake, listedFor, openTaskOf } from './fixtures';

const test = testWithHarness({ flavour: 'dev-server' });
const app = inboxWebFor(test);

const WANG = 'wang.station-reviewer';
const WRONG_PASSWORD = 'The user name or password is wrong.';

test.serial.before(async (t) => {
  await addAccount(t.context.deps.db, WANG, 'Wang Fang', ['station-a:reviewers']);
});

/** A new station-a case whose station review `user` has claimed, as the projection says. */
async function claimedBy(h: Harness, user: string) {
  const number = await intake(await app.who.api('sun.clerk'), applicationFor(Level.Primary));
  const { id: taskId } = await openTaskOf(h, number, TaskKind.StationReview);
  const claimed = await (await apiAs(app.web.base, user)).post(`/api/cases/${number}/tasks/${taskId}/claim`, {});
  if (claimed.status !== 200) throw new Error(`claim: ${claimed.status} ${JSON.stringify(claimed.body)}`);
  await holderIs(h.deps.db, number, taskId, user);
  return { number, taskId };
}

const holderIs = (db: Db, number: string, taskId: string, user: string | null) =>
  eventually(`${taskId} of ${number} held by ${user}`, async () => {
    const row = await db
      .selectFrom('tasks')
      .select('assignee')
      .where('application_number', '=', number)
      .where('task_id', '=', taskId)
      .executeTakeFirst();
    return row?.assignee === user ? true : undefined;
  });

const signInAnswer = async (username: string) => {
  const response = await fetch(`${app.web.base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-language': 'en' },
    body: JSON.stringify({ username, password: 'qualiflow-demo' }),
  });
  return { status: response.status, body: (await response.json()) as { error?: string; token?: string } };
};

const trailOf = async (h: Harness, username: string) =>
  (await auditTrailOf(h.deps.db, accountAuditKey(username))).map((entry) => ({
    action: entry.action,
    actor: entry.actor,
    comment: entry.comment,
  }));

test.serial(
  'deactivating a reviewer sends their claimed task back to the queue, tells the supervisors and signs them out',
  async (t) => {
    const held = await claimedBy(t.context, WANG);
    const wangBrowser = await app.who.browser(WANG);
    const wangApi = await apiAs(app.web.base, WANG);
    t.is((await wangApi.get('/api/me')).status, 200);

    const admin = await app.who.browser('admin');
    const listed = await admin.get('/admin/accounts');
    t.regex(
      visibleText(listed.html),
      /Wang Fang wang\.station-reviewer Change details 东城职业技能鉴定站 reviewers Active/,
    );
    const done = await admin.post(`/admin/accounts/${WANG}/deactivate`, { reason: 'Left the station in May' });
    t.is(done.location, '/admin/accounts');
    const page = visibleText(done.html);
    t.regex(
      page,
      /Wang Fang \(wang\.station-reviewer\) is deactivated: they can no longer sign in, and their sessions have ended\. 1 task they held went back to its group\./,
    );
    t.true(
      page.includes(
        `Qualification review (station), ${held.number}: back in the queue of 东城职业技能鉴定站 reviewers`,
      ),
      page,
    );
    t.regex(
      page,
      /Wang Fang wang\.station-reviewer Change details 东城职业技能鉴定站 reviewers Deactivated .* by 系统管理员/,
    );
    t.regex(page, /Reason: Left the station in May/);

    // The workflow let the task go, and the reviewers' queue has it unclaimed.
    const view = await caseHandle(t.context, held.number).query(getState);
    t.like(
      view.tasks.find((task) => task.id === held.taskId),
      { status: 'open', assignee: undefined },
    );
    const queued = await listedFor(
      await app.who.api('li.station-reviewer'),
      held.number,
      held.taskId,
      '&view=claimable',
    );
    t.is(queued.assignee, null);

    // The station's supervisors read why it came back.
    const notices = await (await app.who.browser('zhou.supervisor')).get('/notifications');
    const read = visibleText(notices.html);
    t.true(
      read.includes(
        'Tasks held by Wang Fang (wang.station-reviewer) are back in the queue of 东城职业技能鉴定站 reviewers',
      ),
      read,
    );
    t.true(
      read.includes(
        `An administrator deactivated the account of Wang Fang (wang.station-reviewer) (reason: Left the station in May). The task they held is back in the queue of 东城职业技能鉴定站 reviewers, unclaimed: Qualification review (station) (${held.number}).`,
      ),
      read,
    );

    // Signed out everywhere at once, and refused at sign-in as for a wrong password.
    const again = await wangBrowser.get('/inbox');
    t.is(again.location, '/login?next=%2Finbox');
    const me = await wangApi.get('/api/me');
    t.is(me.status, 401);
    t.deepEqual(await signInAnswer(WANG), { status: 401, body: { error: WRONG_PASSWORD } });
    const form = await new BrowserSession(app.web.base).signIn(WANG);
    t.is(form.status, 401);
    t.true(visibleText(form.html).includes(WRONG_PASSWORD));

    // Nobody can hand them work any more.
    const team = (await (await app.who.api('zhou.supervisor')).get('/api/inbox/team')).body as {
      groups: { group: string; members: { id: string }[] }[];
    };
    const reviewers = team.groups.find((group) => group.group === 'station-a:reviewers')!;
    t.false(reviewers.members.some((member) => member.id === WANG));

    t.like(await trailOf(t.context, WANG), [
      { action: 'account-deactivated', actor: 'admin', comment: 'Left the station in May' },
    ]);
    t.true((await verifyAuditChain(t.context.deps.db)).ok);

    // Reactivated for a reason, they may sign in again with their old password.
    const back = await admin.post(`/admin/accounts/${WANG}/reactivate`, { reason: 'Back at the station in June' });
    const backPage = visibleText(back.html);
    t.true(backPage.includes('Wang Fang (wang.station-reviewer) is reactivated: they may sign in again.'), backPage);
    t.regex(
      backPage,
      /Wang Fang wang\.station-reviewer Change details 东城职业技能鉴定站 reviewers Active .* reactivated by 系统管理员 Reason: Back at the station in June/,
    );
    t.is((await signInAnswer(WANG)).status, 201);
    const trail = await trailOf(t.context, WANG);
    t.like(trail, [
      { action: 'account-deactivated' },
      { action: 'account-reactivated', actor: 'admin', comment: 'Back at the station in June' },
    ]);
    t.is(trail.length, 2);
    t.true((await verifyAuditChain(t.context.deps.db)).ok);
  },
);

test.serial(
  'a claim that reaches the case after its person was deactivated goes back to the group at once',
  async (t) => {
    const h = t.context;
    const QIAN = 'qian.station-reviewer';
    await addAccount(h.deps.db, QIAN, 'Qian Li', ['station-a:reviewers']);
    const number = await intake(await app.who.api('sun.clerk'), applicationFor(Level.Primary));
    const { id: taskId } = await openTaskOf(h, number, TaskKind.StationReview);
    // The request was let in while the account was active: the route had read its person from the session.
    const qian = (await findUser(h.deps.db, QIAN))!;
    // The deactivation comes between, and finds nothing held by Qian Li to release.
    await deactivateAccount(h.deps.db, { username: QIAN, by: 'admin', reason: 'left the station', now: new Date() });
    // The later tests read the accounts page with one deactivated account, their own.
    t.teardown(() =>
      reactivateAccount(h.deps.db, { username: QIAN, by: 'admin', reason: 'test over', now: new Date() }),
    );

    const refused = await t.throwsAsync(
      performTaskAction(
        { client: h.client, db: h.deps.db },
        qian,
        { applicationNumber: number, taskId },
        'claim',
        { body: {} },
        translator('en'),
      ),
    );
    t.is((refused as HttpError).status, 409);
    t.regex(
      refused!.message,
      /^Qian Li's account was deactivated while this was being recorded: the task is back with .+, for someone else to take\.$/,
    );
    const task = (await caseHandle(h, number).query(getState)).tasks.find((candidate) => candidate.id === taskId)!;
    t.is(task.assignee, undefined, 'the case holds the task for its group');
    await holderIs(h.deps.db, number, taskId, null);
    const queued = await listedFor(await app.who.api('li.station-reviewer'), number, taskId, '&view=claimable');
    t.is(queued.assignee, null, "in the reviewers' queue again");
  },
);

test.serial('an administrator cannot deactivate their own account, and a reason is required', async (t) => {
  const admin = await app.who.browser('admin');
  const self = await admin.post('/admin/accounts/admin/deactivate', { reason: 'Testing' });
  t.true(visibleText(self.html).includes('You cannot deactivate your own account; ask another administrator.'));
  const selfApi = await (await app.who.api('admin')).post('/api/admin/accounts/admin/deactivate', { reason: 'x' });
  t.is(selfApi.status, 403);
  t.is(selfApi.body.error, 'You cannot deactivate your own account; ask another administrator.');
  t.is((await signInAnswer('admin')).status, 201);

  const blank = await admin.post(`/admin/accounts/${WANG}/deactivate`, { reason: '   ' });
  const text = visibleText(blank.html);
  t.true(text.includes('Give a reason for deactivating Wang Fang (wang.station-reviewer):'), text);
  t.regex(blank.html, /aria-invalid='true'/);
  const blankApi = await (await app.who.api('admin')).post(`/api/admin/accounts/${WANG}/deactivate`, {});
  t.is(blankApi.status, 422);
  t.truthy(blankApi.body.errors.reason);
  t.is((await signInAnswer(WANG)).status, 201, 'nothing changed');
});

test.serial('reactivation without a reason is refused on the page and the API, and changes nothing', async (t) => {
  const api = await app.who.api('admin');
  t.is((await api.post(`/api/admin/accounts/${WANG}/deactivate`, { reason: 'On leave' })).status, 200);
  const admin = await app.who.browser('admin');

  const blank = await admin.post(`/admin/accounts/${WANG}/reactivate`, { reason: '   ' });
  t.is(blank.location, '/admin/accounts');
  t.true(visibleText(blank.html).includes('Give a reason for reactivating Wang Fang (wang.station-reviewer):'));
  t.regex(blank.html, /<textarea id='reactivate-reason-\d+' name='reason' rows='2' required aria-invalid='true'/);

  const tooLong = 'x'.repeat(2001);
  const long = await admin.post(`/admin/accounts/${WANG}/reactivate`, { reason: tooLong });
  const field = /<textarea id='(reactivate-reason-\d+)'[^>]*>([^<]*)<\/textarea>/.exec(long.html);
  t.is(field?.[2], tooLong, 'what was typed is kept');
  t.truthy(fieldMessage(long.html, field![1]));

  const missing = await api.post(`/api/admin/accounts/${WANG}/reactivate`, {});
  t.is(missing.status, 422);
  t.is(missing.body.error, 'Give a reason for reactivating Wang Fang (wang.station-reviewer): is required');
  t.truthy(missing.body.errors.reason);
  const longApi = await api.post(`/api/admin/accounts/${WANG}/reactivate`, { reason: tooLong });
  t.is(longApi.status, 422);
  t.truthy(longApi.body.errors.reason);

  t.is((await signInAnswer(WANG)).status, 401, 'still deactivated');
  t.deepEqual(
    (await trailOf(t.context, WANG)).slice(-1).map((entry) => entry.action),
    ['account-deactivated'],
    'nothing audited',
  );
  t.is((await api.post(`/api/admin/accounts/${WANG}/reactivate`, { reason: 'Back from leave' })).status, 200);
});

test.serial('someone who is not an administrator may neither see the accounts nor deactivate one', async (t) => {
  const supervisor = await app.who.api('zhou.supervisor');
  t.is((await supervisor.post(`/api/admin/accounts/${WANG}/deactivate`, { reason: 'Mine' })).status, 403);
  t.is((await supervisor.post(`/api/admin/accounts/${WANG}/reactivate`, { reason: 'Mine' })).status, 403);
  t.is((await supervisor.get('/api/admin/accounts')).status, 403);
  const page = await (
    await app.who.browser('zhou.supervisor')
  ).post(`/admin/accounts/${WANG}/deactivate`, {
    reason: 'Mine',
  });
  t.is(page.status, 403);
  t.is((await signInAnswer(WANG)).status, 201);
});

test.serial(
  'the API deactivates, answers which tasks went back and which a closed case kept, and reactivates',
  async (t) => {
    const open = await claimedBy(t.context, WANG);
    const closed = await claimedBy(t.context, WANG);
    // The case closes while the projection still shows the task open and held: its release is refused, and skipped.
    await caseHandle(t.context, closed.number).executeUpdate(cancelCase, {
      args: [{ actor: actors.administrator, reason: 'Withdrawn' }],
    });
    await eventually('the case closed in the projection', async () => {
      const row = await t.context.deps.db
        .selectFrom('tasks')
        .select('status')
        .where('application_number', '=', closed.number)
        .executeTakeFirst();
      return row?.status === 'cancelled' ? true : undefined;
    });
    await t.context.deps.db
      .updateTable('tasks')
      .set({ status: 'open', assignee: WANG })
      .where('application_number', '=', closed.number)
      .where('task_id', '=', closed.taskId)
      .execute();

    const api = await app.who.api('admin');
    const answer = await api.post(`/api/admin/accounts/${WANG}/deactivate`, { reason: 'Moved to another city' });
    t.is(answer.status, 200);
    t.is(
      answer.body.message,
      'Wang Fang (wang.station-reviewer) is deactivated: they can no longer sign in, and their sessions have ended. ' +
        '1 task they held went back to its group. 1 task could not be released; it is shown below.',
    );
    t.deepEqual(
      answer.body.released.map((task: { applicationNumber: string }) => task.applicationNumber),
      [open.number],
    );
    t.is(answer.body.notReleased.length, 1);
    t.like(answer.body.notReleased[0], { applicationNumber: closed.number, taskId: closed.taskId });
    t.is(answer.body.notReleased[0].error, 'its case has ended');
    await holderIs(t.context.deps.db, open.number, open.taskId, null);

    const accounts = (await api.get('/api/admin/accounts')).body.accounts as {
      username: string;
      deactivated?: { by: string; reason: string };
    }[];
    t.like(
      accounts.find((account) => account.username === WANG),
      { deactivated: { by: 'admin', reason: 'Moved to another city' } },
    );
    t.is((await api.post(`/api/admin/accounts/${WANG}/deactivate`, { reason: 'Again' })).status, 409);
    t.is((await api.post('/api/admin/accounts/nobody.here/deactivate', { reason: 'Who?' })).status, 404);

    const reason = { reason: 'Came back from the other city' };
    const reactivated = await api.post(`/api/admin/accounts/${WANG}/reactivate`, reason);
    t.is(reactivated.status, 200);
    t.is(reactivated.body.message, 'Wang Fang (wang.station-reviewer) is reactivated: they may sign in again.');
    t.is((await api.post(`/api/admin/accounts/${WANG}/reactivate`, reason)).status, 409);
    t.is((await api.post('/api/admin/accounts/nobody.here/reactivate', reason)).status, 404);
    t.is((await signInAnswer(WANG)).status, 201);
    const listed = (await api.get('/api/admin/accounts')).body.accounts as {
      username: string;
      deactivated?: unknown;
      reactivated?: { by: string; reason: string };
    }[];
    const wang = listed.find((account) => account.username === WANG);
    t.like(wang, { reactivated: { by: 'admin', reason: 'Came back from the other city' } });
    t.is(wang?.deactivated, undefined);
  },
);

test.serial('the accounts section reads in Chinese', async (t) => {
  const browser = new BrowserSession(app.web.base, 'zh-CN');
  await browser.signIn('admin');
  const page = visibleText((await browser.get('/admin/accounts')).html);
  t.regex(page, /账号 人员离岗后停用其账号/);
  t.regex(page, /姓名 用户名 所属小组 状态 操作/);
  t.regex(page, /本人账号/);
});

const recordsOnBoth = test.macro({
  async exec(t, dialect: DialectName) {
    const { db } = await freshDatabase(t, dialect);
    await seedDemoDirectory(db);
    const token = await createSession(db, 'li.station-reviewer');
    const at = new Date('2026-05-06T02:00:00Z');
    const change = { username: 'li.station-reviewer', by: 'admin', reason: 'Left', now: at };
    // Sent twice at once: one deactivation, one audit entry.
    const both = await Promise.all([deactivateAccount(db, change), deactivateAccount(db, change)]);
    t.deepEqual(both.map((one) => one.outcome).sort(), ['already', 'done']);
    t.is(await userOfSession(db, token), undefined);
    t.is(await db.selectFrom('sessions').select('token_hash').executeTakeFirst(), undefined);
    t.is(await authenticate(db, 'li.station-reviewer', DEMO_PASSWORD), undefined);
    t.false((await listUsers(db)).some((user) => user.id === 'li.station-reviewer'));
    t.like(
      (await listAccounts(db)).find((account) => account.username === 'li.station-reviewer'),
      {
        deactivated: { at: at.toISOString(), by: 'admin', reason: 'Left' },
      },
    );
    t.is((await deactivateAccount(db, { ...change, username: 'nobody' })).outcome, 'unknown');

    const back = { username: 'li.station-reviewer', by: 'admin', reason: 'Back', now: at };
    t.is((await reactivateAccount(db, back)).outcome, 'done');
    t.is((await reactivateAccount(db, back)).outcome, 'already');
    t.truthy(await authenticate(db, 'li.station-reviewer', DEMO_PASSWORD));
    const listed = (await listAccounts(db)).find((account) => account.username === 'li.station-reviewer');
    t.deepEqual(listed?.reactivated, { at: at.toISOString(), by: 'admin', reason: 'Back' });
    t.is(listed?.deactivated, undefined);
    const trail = await auditTrailOf(db, accountAuditKey('li.station-reviewer'));
    t.deepEqual(
      trail.map((entry) => [entry.action, entry.comment]),
      [
        ['account-deactivated', 'Left'],
        ['account-reactivated', 'Back'],
      ],
    );
    t.like(JSON.parse(trail[1].details), { reason: 'Back', deactivationReason: 'Left' });
    t.true((await verifyAuditChain(db)).ok);
  },
  title: (_, dialect: DialectName) => `deactivation and reactivation are recorded once on ${dialect}`,
});
for (const dialect of DIALECTS) test(recordsOnBoth, dialect);
