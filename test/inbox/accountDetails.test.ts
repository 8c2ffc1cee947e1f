/**
 * Accounts an administrator adds and changes, through the API and the page: a new account has its name, email,
 * organisation and groups, and no password until the person sets one with the one-time link the answer carries; an
 * account holding groups at a station and at the guidance center signs in and decides the station review, and the
 * workflow refuses it the center's (four eyes), as a user would meet it through the API. A change of groups is in the
 * audit chain with the account before and after; one's own groups cannot be changed; an unknown organisation, a taken
 * user name, a bad address are refused by field and change nothing; and only an administrator may do any of it.
 */
import { Level } from '../../domain/levels';
import { auditTrailOf } from '../../records/audit';
import { emailsOfGroup, findUser } from '../../records/directory';
import { accountAuditKey } from '../../records/signInFailures';
import { getState, TaskKind } from '../../workflows/definitions';
import { applicationFor } from '../helpers/applications';
import { testWithHarness } from '../helpers/harnessTests';
import { apiAs, apiClient, BrowserSession, visibleText } from '../helpers/web';
import { addAccount, caseHandle, fieldMessage, inboxWebFor, intake, listedFor, openTaskOf } from './fixtures';

const test = testWithHarness({ flavour: 'dev-server' });
const app = inboxWebFor(test);

const PASSWORD = 'a long enough password';

/** Signs the new account in with the password it set through its link. */
async function signInAs(username: string) {
  const response = await fetch(`${app.web.base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-language': 'en' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  const body = (await response.json()) as { token?: string; error?: string };
  return { status: response.status, api: apiClient(app.web.base, body.token) };
}

test.serial(
  'a new account sets its password through its link, and the workflow refuses it a second approval level',
  async (t) => {
    const h = t.context;
    const admin = await apiAs(app.web.base, 'admin');
    const created = await admin.post('/api/admin/accounts', {
      username: 'ma.double',
      name: '马双',
      email: 'ma.double@station-a.example.cn',
      organisationId: 'station-a',
      groups: ['station-a:reviewers', 'center-1:reviewers'],
    });
    t.is(created.status, 201, JSON.stringify(created.body));
    t.regex(created.body.link, /\/account\/reset\/[A-Za-z0-9_-]+$/);
    t.like(await findUser(h.deps.db, 'ma.double'), {
      name: '马双',
      email: 'ma.double@station-a.example.cn',
      roles: ['center-1:reviewers', 'station-a:reviewers'],
    });
    t.true((await emailsOfGroup(h.deps.db, 'center-1:reviewers')).includes('ma.double@station-a.example.cn'));
    t.is((await signInAs('ma.double')).status, 401, 'no password until the person sets one');

    const token = new URL(created.body.link).pathname.split('/').pop();
    const reset = await fetch(`${app.web.base}/api/account/reset/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'en' },
      body: JSON.stringify({ newPassword: PASSWORD }),
    });
    t.is(reset.status, 200);
    const { status, api } = await signInAs('ma.double');
    t.is(status, 201);

    const number = await intake(await app.who.api('sun.clerk'), applicationFor(Level.Primary));
    const stationReview = await openTaskOf(h, number, TaskKind.StationReview);
    const approved = await api.post(`/api/cases/${number}/tasks/${stationReview.id}/approve`, {});
    t.is(approved.status, 200, JSON.stringify(approved.body));
    const centerReview = await openTaskOf(h, number, TaskKind.CenterReview);
    const refused = await api.post(`/api/cases/${number}/tasks/${centerReview.id}/approve`, {});
    t.is(refused.status, 403);
    t.is(refused.body.code, 'refusals:case.fourEyes');
    t.regex(refused.body.error, /^马双 already decided task .+ of this case at another approval level/);
  },
);

test.serial('a change of groups is audited with the account before and after; one’s own groups stay', async (t) => {
  const h = t.context;
  const admin = await apiAs(app.web.base, 'admin');
  t.is(
    (
      await admin.post('/api/admin/accounts', {
        username: 'tang.reviewer',
        name: '唐宁',
        organisationId: 'station-b',
        groups: ['station-b:reviewers'],
      })
    ).status,
    201,
  );
  const changed = await admin.put('/api/admin/accounts/tang.reviewer/details', {
    name: '唐宁',
    email: 'tang@station-b.example.cn',
    organisationId: 'station-b',
    groups: ['station-b:reviewers', 'station-b:supervisors'],
  });
  t.is(changed.status, 200, JSON.stringify(changed.body));
  t.is(changed.body.message, "The change to 唐宁's account was saved.");
  const trail = await auditTrailOf(h.deps.db, accountAuditKey('tang.reviewer'));
  t.deepEqual(
    trail.map((entry) => [entry.action, entry.actor]).filter(([action]) => action !== 'password-reset-issued'),
    [
      ['account-created', 'admin'],
      ['account-changed', 'admin'],
    ],
  );
  t.like(JSON.parse(trail.at(-1)!.details ?? '{}'), {
    before: { groups: ['station-b:reviewers'] },
    after: { email: 'tang@station-b.example.cn', groups: ['station-b:reviewers', 'station-b:supervisors'] },
  });

  const history = await admin.get('/api/admin/accounts/tang.reviewer/history');
  t.is(history.status, 200, JSON.stringify(history.body));
  t.like(history.body.history[0], {
    action: 'account-changed',
    by: 'admin',
    changes: [
      { field: 'email', after: 'tang@station-b.example.cn' },
      { field: 'groups', before: 'station-b:reviewers', after: 'station-b:reviewers, station-b:supervisors' },
    ],
  });
  t.is(history.body.history.at(-1).action, 'account-created');
  const browser = await app.who.browser('admin');
  const page = visibleText((await browser.get('/admin/accounts/tang.reviewer/details')).html);
  t.true(page.includes('Details changed'), page);
  t.true(page.includes('Groups: station-b:reviewers → station-b:reviewers, station-b:supervisors'));
  t.true(page.includes('Password link issued'));

  const own = await admin.put('/api/admin/accounts/admin/details', {
    name: '系统管理员',
    organisationId: 'department-1',
    groups: ['station-a:clerks'],
  });
  t.is(own.status, 403);
  t.is(own.body.error, 'You cannot change your own groups; another administrator can.');
  t.deepEqual((await findUser(h.deps.db, 'admin'))?.roles, ['administrators']);
});

test.serial('a group taken from someone sends the tasks they held in it back to its queue, and says so', async (t) => {
  const h = t.context;
  const admin = await apiAs(app.web.base, 'admin');
  await addAccount(h.deps.db, 'wei.reviewer', 'Wei Lan', ['station-a:reviewers', 'station-a:examiners']);
  const number = await intake(await app.who.api('sun.clerk'), applicationFor(Level.Primary));
  const review = await openTaskOf(h, number, TaskKind.StationReview);
  const wei = await apiAs(app.web.base, 'wei.reviewer');
  t.is((await wei.post(`/api/cases/${number}/tasks/${review.id}/claim`, {})).status, 200);
  await listedFor(wei, number, review.id);

  const changed = await admin.put('/api/admin/accounts/wei.reviewer/details', {
    name: 'Wei Lan',
    organisationId: 'station-a',
    groups: ['station-a:examiners'],
  });
  t.is(changed.status, 200, JSON.stringify(changed.body));
  t.is(
    changed.body.message,
    "The change to Wei Lan's account was saved. 1 task they held in a group taken from them went back to its queue.",
  );
  t.like(changed.body.released, [{ applicationNumber: number, taskId: review.id, group: 'station-a:reviewers' }]);
  const view = await caseHandle(h, number).query(getState);
  t.like(
    view.tasks.find((task) => task.id === review.id),
    { status: 'open', assignee: undefined },
  );
  const notices = visibleText((await (await app.who.browser('zhou.supervisor')).get('/notifications')).html);
  t.true(
    notices.includes(
      `An administrator took Wei Lan (wei.reviewer) out of 东城职业技能鉴定站 reviewers. The task they held is back in the queue of 东城职业技能鉴定站 reviewers, unclaimed: Qualification review (station) (${number}).`,
    ),
    notices,
  );
});

test.serial('a refused account says why by field and changes nothing', async (t) => {
  const h = t.context;
  const admin = await apiAs(app.web.base, 'admin');
  const base = { username: 'qian.new', name: '钱新', organisationId: 'station-a', groups: ['station-a:clerks'] };
  const unknownGroup = await admin.post('/api/admin/accounts', { ...base, groups: ['station-q:clerks'] });
  t.is(unknownGroup.status, 422);
  t.is(unknownGroup.body.errors.groups, 'station-q:clerks names no registered organisation, or no role.');
  const badRole = await admin.post('/api/admin/accounts', { ...base, groups: ['station-a:owners'] });
  t.is(badRole.status, 422);
  t.truthy(badRole.body.errors['groups.0']);
  const badEmail = await admin.post('/api/admin/accounts', { ...base, email: 'not an address' });
  t.is(badEmail.status, 422);
  t.is(badEmail.body.errors.email, 'Enter an email address like name@example.cn.');
  t.is(await findUser(h.deps.db, 'qian.new'), undefined);
  const taken = await admin.post('/api/admin/accounts', { ...base, username: 'sun.clerk' });
  t.is(taken.status, 409);
  t.is((await findUser(h.deps.db, 'sun.clerk'))?.name, '孙丽');
});

test.serial('the page adds an account and shows its password link once', async (t) => {
  const h = t.context;
  const browser = await app.who.browser('admin');
  t.is((await browser.get('/admin/accounts/new')).status, 200);
  const form = {
    username: 'xu.examiner',
    name: '徐明',
    email: 'xu@station-a.example.cn',
    organisationId: 'station-a',
    groups: 'station-a:examiners\nstation-a:owners',
  };
  const refused = await browser.post('/admin/accounts/new', form);
  t.is(refused.status, 422);
  t.truthy(fieldMessage(refused.html, 'account-groups'));
  t.true(refused.html.includes("value='徐明'"), 'the name is kept as typed');
  const added = await browser.post('/admin/accounts/new', { ...form, groups: 'station-a:examiners' });
  t.is(added.status, 201);
  t.regex(visibleText(added.html), /The account xu\.examiner of 徐明 was added/);
  t.regex(added.html, /name='passwordLink' value='[^']*\/account\/reset\/[A-Za-z0-9_-]+'/);
  t.deepEqual((await findUser(h.deps.db, 'xu.examiner'))?.roles, ['station-a:examiners']);
  const list = await browser.get('/admin/accounts');
  t.true(list.html.includes('/admin/accounts/xu.examiner/details'));
});

test.serial('nobody but an administrator adds or changes an account', async (t) => {
  const h = t.context;
  const supervisor = await apiAs(app.web.base, 'zhou.supervisor');
  const body = { username: 'x.intruder', name: '越权', organisationId: 'station-a', groups: ['administrators'] };
  t.is((await supervisor.post('/api/admin/accounts', body)).status, 403);
  t.is((await supervisor.get('/api/admin/accounts/zhou.supervisor/history')).status, 403);
  t.is(
    (await supervisor.put('/api/admin/accounts/zhou.supervisor/details', { ...body, username: undefined })).status,
    403,
  );
  const browser = new BrowserSession(app.web.base);
  await browser.signIn('li.station-reviewer');
  t.is((await browser.get('/admin/accounts/new')).status, 403);
  t.is(await findUser(h.deps.db, 'x.intruder'), undefined);
  t.deepEqual((await findUser(h.deps.db, 'zhou.supervisor'))?.roles, ['station-a:supervisors']);
});
