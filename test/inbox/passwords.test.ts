/**
 * Passwords: a person changes their own (page and API), an administrator makes a one-time reset link (page and API),
 * and the person sets a new password with it; a deactivated account gets no link, and its deactivation kills the ones
 * it had, for good. What each sees, who stays signed in, and what the audit chain records.
 * Each test runs its own app over its own database (SQLite; the link's whole story also on PostgreSQL). None of it
 * reaches Temporal.
 */
import test, { type ExecutionContext } from 'ava';
import type { AppDeps } from '../../inbox-ui/app';
import { auditTrailOf, verifyAuditChain } from '../../records/audit';
import type { DialectName } from '../../records/dialect';
import { deactivateAccount, reactivateAccount } from '../../records/accounts';
import { DEMO_PASSWORD, seedDemoDirectory } from '../../records/demoProvince';
import { issuePasswordReset, type ResetIssue, usePasswordReset, userOfResetToken } from '../../records/passwordResets';
import { hashOf } from '../../records/sessions';
import { accountAuditKey } from '../../records/signInFailures';
import { apiAs, apiClient, BrowserSession, visibleText } from '../helpers/web';
import { DIALECTS, freshDatabase } from '../records/databases';
import {
  addAccount,
  fieldMessage,
  inputValue,
  signInStatus,
  UNLIMITED_SIGN_IN,
  webWithoutTemporalFor,
  type WebWithoutTemporal,
} from './fixtures';

const NEW_PASSWORD = 'a-new-password-1';

const app = (t: ExecutionContext, overrides: Partial<AppDeps> = {}) =>
  webWithoutTemporalFor(t, { signInLimits: UNLIMITED_SIGN_IN, ...overrides });

const actions = async (web: WebWithoutTemporal, username: string) =>
  (await auditTrailOf(web.db, accountAuditKey(username))).map((row) => ({
    actor: row.actor,
    action: row.action,
    details: JSON.parse(row.details) as Record<string, unknown>,
  }));

/** The administrator's page after making a link, and the link's path read from it. */
async function issueOnPage(admin: BrowserSession, username: string) {
  await admin.get('/admin/accounts');
  const page = await admin.post('/admin/accounts/password-reset', { username });
  return { page, path: inputValue(page.html, 'resetLink') ?? '' };
}

test('a person changes their own password: this session stays, the others end, and the change is audited', async (t) => {
  const web = await app(t);
  const browser = new BrowserSession(web.base);
  await browser.signIn('sun.clerk');
  const elsewhere = await apiAs(web.base, 'sun.clerk');
  const someoneElse = await apiAs(web.base, 'li.station-reviewer');

  const inbox = await browser.get('/inbox');
  t.regex(inbox.html, /<a href='\/account\/password'>My password<\/a>/, 'the menu links to the page');
  const form = await browser.get('/account/password');
  t.is(form.status, 200);
  t.regex(
    visibleText(form.html),
    /Change my password .* Current password New password At least 10 characters, and not your user name\./,
  );

  const done = await browser.post('/account/password', {
    currentPassword: DEMO_PASSWORD,
    newPassword: NEW_PASSWORD,
    repeatPassword: NEW_PASSWORD,
  });
  t.is(done.location, '/account/password');
  t.regex(visibleText(done.html), /Your password is changed\. 1 other session of yours was signed out\./);
  t.is((await browser.get('/inbox', { follow: false })).status, 200, 'this browser is still signed in');
  t.is((await elsewhere.get('/api/me')).status, 401, 'the other session ended');
  t.is((await someoneElse.get('/api/me')).status, 200, "someone else's session did not");
  t.is(await signInStatus(web.base, 'sun.clerk', DEMO_PASSWORD), 401);
  t.is(await signInStatus(web.base, 'sun.clerk', NEW_PASSWORD), 201);

  const trail = await auditTrailOf(web.db, accountAuditKey('sun.clerk'));
  t.like(trail, [{ actor: 'sun.clerk', action: 'password-changed' }]);
  t.false(JSON.stringify(trail).includes(NEW_PASSWORD), 'never the password');
  t.deepEqual(JSON.parse(trail[0].details), { username: 'sun.clerk', endedSessions: 1 });
  t.true((await verifyAuditChain(web.db)).ok);
});

test('the change form refuses each broken rule on its field, changes nothing, and a wrong current password counts as a failed sign-in', async (t) => {
  const web = await app(t);
  const browser = new BrowserSession(web.base);
  await browser.signIn('sun.clerk');
  await browser.get('/account/password');
  const refusals: [Record<string, string>, string, string][] = [
    [
      { currentPassword: DEMO_PASSWORD, newPassword: 'short-1', repeatPassword: 'short-1' },
      'newPassword',
      'The new password must be at least 10 characters long.',
    ],
    [
      { currentPassword: DEMO_PASSWORD, newPassword: NEW_PASSWORD, repeatPassword: `${NEW_PASSWORD}x` },
      'repeatPassword',
      'The two entries of the new password differ.',
    ],
    [{ currentPassword: DEMO_PASSWORD, newPassword: NEW_PASSWORD }, 'repeatPassword', 'Type the new password again.'],
    [
      { currentPassword: 'not-my-password', newPassword: NEW_PASSWORD, repeatPassword: NEW_PASSWORD },
      'currentPassword',
      'This is not your current password.',
    ],
    [{ newPassword: NEW_PASSWORD, repeatPassword: NEW_PASSWORD }, 'currentPassword', 'Enter your current password.'],
  ];
  for (const [form, field, message] of refusals) {
    const page = await browser.post('/account/password', form);
    t.is(page.status, 422, field);
    t.is(fieldMessage(page.html, field), message);
    t.regex(visibleText(page.html), /The password was not changed\./);
    t.false(page.html.includes(form.newPassword ?? '-'), 'no password is written back into the page');
  }
  const failures = await web.db.selectFrom('sign_in_failures').select(['username', 'failures']).execute();
  t.deepEqual(failures, [{ username: 'sun.clerk', failures: 1 }], 'the wrong current password was counted');
  t.is(await signInStatus(web.base, 'sun.clerk', DEMO_PASSWORD), 201, 'the password is unchanged');
  t.deepEqual(await actions(web, 'sun.clerk'), [], 'nothing audited');
});

test('the user name, in any case, is refused as a new password', async (t) => {
  const web = await app(t);
  await addAccount(web.db, 'zhou.long-name', '周长名', ['station-a:clerks']);
  const api = await apiAs(web.base, 'zhou.long-name');
  const refused = await api.post('/api/account/password', {
    currentPassword: DEMO_PASSWORD,
    newPassword: 'Zhou.Long-Name',
  });
  t.is(refused.status, 422);
  t.is(refused.body.errors.newPassword, 'The new password must not be your user name.');
});

test('wrong current passwords wait and lock the name as failed sign-ins do, and tell the administrators', async (t) => {
  const web = await app(t, { signInLimits: { perAddress: 1000, perAccount: 2, freeFailures: 100 } });
  const api = await apiAs(web.base, 'sun.clerk');
  const body = { currentPassword: 'guess-one', newPassword: NEW_PASSWORD };
  const first = await api.post('/api/account/password', body);
  t.is(first.status, 422);
  t.is(first.body.errors.currentPassword, 'This is not your current password.');
  const second = await api.post('/api/account/password', body);
  t.is(second.status, 423);
  t.is(
    second.body.errors.currentPassword,
    'This user name is locked after too many failed sign-ins. Ask an administrator to unlock it.',
  );
  const right = await api.post('/api/account/password', { ...body, currentPassword: DEMO_PASSWORD });
  t.is(right.status, 423, 'a locked name changes nothing, even with the right password');
  t.is(await signInStatus(web.base, 'sun.clerk', DEMO_PASSWORD), 423);
  const notices = await web.db.selectFrom('notifications').select(['kind', 'recipient']).execute();
  t.deepEqual(notices, [{ kind: 'account-locked', recipient: 'administrators' }]);
});

test('the API changes the password too, with or without the repetition, and refuses without a session', async (t) => {
  const web = await app(t);
  const api = await apiAs(web.base, 'sun.clerk');
  const browser = new BrowserSession(web.base);
  await browser.signIn('sun.clerk');
  t.is(
    (
      await apiClient(web.base).post('/api/account/password', {
        currentPassword: DEMO_PASSWORD,
        newPassword: NEW_PASSWORD,
      })
    ).status,
    401,
  );
  const mismatch = await api.post('/api/account/password', {
    currentPassword: DEMO_PASSWORD,
    newPassword: NEW_PASSWORD,
    repeatPassword: 'something-else',
  });
  t.is(mismatch.status, 422);
  t.deepEqual(mismatch.body.errors, { repeatPassword: 'The two entries of the new password differ.' });
  const changed = await api.post('/api/account/password', {
    currentPassword: DEMO_PASSWORD,
    newPassword: NEW_PASSWORD,
  });
  t.is(changed.status, 200);
  t.deepEqual(changed.body, {
    message: 'Your password is changed. 1 other session of yours was signed out.',
    endedSessions: 1,
  });
  t.is((await api.get('/api/me')).status, 200, 'the asking session stays');
  t.is((await browser.get('/inbox', { follow: false })).status, 303, "the browser's session ended");
});

test('an administrator makes a one-time link; the person sets a new password with it and every session of theirs ends', async (t) => {
  const web = await app(t);
  const person = await apiAs(web.base, 'sun.clerk');
  const admin = new BrowserSession(web.base);
  await admin.signIn('admin');
  const { page, path } = await issueOnPage(admin, 'sun.clerk');
  t.is(page.status, 201);
  t.regex(visibleText(page.html), /Reset a password .* A reset link for 孙丽 \(sun\.clerk\) is ready, valid until/);
  t.regex(visibleText(page.html), /Copy it now: it is not shown again/);
  t.regex(path, /^\/account\/reset\/[A-Za-z0-9_-]{43}$/);
  t.false((await admin.get('/admin/accounts')).html.includes(path), 'shown once: the page does not show it again');

  const visitor = new BrowserSession(web.base);
  const form = await visitor.get(path);
  t.is(form.status, 200);
  t.regex(visibleText(form.html), /Set a new password Choose a new password for sun\.clerk\./);
  const headers = await fetch(`${web.base}${path}`);
  t.is(headers.headers.get('referrer-policy'), 'no-referrer');
  t.is(headers.headers.get('cache-control'), 'no-store');

  const refused = await visitor.post(path, { newPassword: NEW_PASSWORD, repeatPassword: 'a-new-password-2' });
  t.is(refused.status, 422);
  t.is(fieldMessage(refused.html, 'repeatPassword'), 'The two entries of the new password differ.');
  t.is((await person.get('/api/me')).status, 200, 'a refused form changes nothing');

  const done = await visitor.post(path, { newPassword: NEW_PASSWORD, repeatPassword: NEW_PASSWORD });
  t.is(done.location, '/login');
  t.regex(visibleText(done.html), /The password of sun\.clerk is set\. Sign in with it\. Sign in/);
  t.is((await person.get('/api/me')).status, 401, 'every session of the person ended');
  t.is(await signInStatus(web.base, 'sun.clerk', DEMO_PASSWORD), 401);
  t.is(await signInStatus(web.base, 'sun.clerk', NEW_PASSWORD), 201);

  const again = await visitor.get(path);
  t.is(again.status, 404);
  t.regex(visibleText(again.html), /This link is no longer valid; ask an administrator for a new one\./);
  t.is((await visitor.post(path, { newPassword: 'third-password', repeatPassword: 'third-password' })).status, 404);
  t.is(await signInStatus(web.base, 'sun.clerk', NEW_PASSWORD), 201, 'a used link sets nothing');

  t.deepEqual(
    (await actions(web, 'sun.clerk')).map(({ actor, action }) => [actor, action]),
    [
      ['admin', 'password-reset-issued'],
      ['sun.clerk', 'password-reset-used'],
    ],
  );
  const trail = JSON.stringify(await auditTrailOf(web.db, accountAuditKey('sun.clerk')));
  t.false(trail.includes(path.split('/').pop()!), 'never the token');
  t.false(trail.includes(NEW_PASSWORD), 'never the password');
  const stored = await web.db.selectFrom('password_resets').selectAll().execute();
  t.is(stored.length, 1);
  t.not(stored[0].token_hash, path.split('/').pop(), 'only its hash is kept');
  t.like(stored[0], { user_id: 'sun.clerk', created_by: 'admin' });
  t.truthy(stored[0].used_at);
});

test('an unknown, a used and an expired link get the same page; a newer link voids the older one', async (t) => {
  const clock = { now: Date.UTC(2026, 2, 1, 8) };
  const web = await app(t, {
    now: () => new Date(clock.now),
    signInLimits: { ...UNLIMITED_SIGN_IN, now: () => clock.now },
  });
  const admin = await apiAs(web.base, 'admin');
  const first = await admin.post('/api/admin/accounts/sun.clerk/password-reset');
  t.is(first.status, 201);
  t.is(first.body.username, 'sun.clerk');
  t.is(first.body.expiresAt, new Date(clock.now + 24 * 3600_000).toISOString());
  t.regex(first.body.message, /^A reset link for sun\.clerk is ready, valid until /);
  const second = await admin.post('/api/admin/accounts/sun.clerk/password-reset');
  const visitor = new BrowserSession(web.base);
  const unknown = await visitor.get('/account/reset/not-a-token');
  const voided = await visitor.get(first.body.link);
  t.is((await visitor.get(second.body.link)).status, 200, 'the newer link works');
  clock.now += 24 * 3600_000;
  const expired = await visitor.get(second.body.link);
  for (const page of [unknown, voided, expired]) {
    t.is(page.status, 404);
    t.is(visibleText(page.html), visibleText(unknown.html));
  }
  const api = await fetch(`${web.base}/api/account/reset/${second.body.link.split('/').pop()}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-language': 'en' },
    body: JSON.stringify({ newPassword: NEW_PASSWORD }),
  });
  t.is(api.status, 404);
  t.deepEqual(await api.json(), { error: 'This link is no longer valid; ask an administrator for a new one.' });
});

test('the API sets the password with a link', async (t) => {
  const web = await app(t);
  const admin = await apiAs(web.base, 'admin');
  const { link } = (await admin.post('/api/admin/accounts/sun.clerk/password-reset')).body;
  const use = (body: unknown) => apiClient(web.base).post(`/api/${link.slice(1)}`, body);
  const short = await use({ newPassword: 'too-short' });
  t.is(short.status, 422);
  t.deepEqual(short.body.errors, { newPassword: 'The new password must be at least 10 characters long.' });
  const set = await use({ newPassword: NEW_PASSWORD });
  t.is(set.status, 200);
  t.is(set.body.message, 'The password of sun.clerk is set. Sign in with it.');
  t.is(await signInStatus(web.base, 'sun.clerk', NEW_PASSWORD), 201);
  t.is((await use({ newPassword: NEW_PASSWORD })).status, 404);
});

test('an unknown user name gets a clear error; only administrators make links', async (t) => {
  const web = await app(t);
  const admin = new BrowserSession(web.base);
  await admin.signIn('admin');
  const { page } = await issueOnPage(admin, 'no.such-person');
  t.is(page.status, 422);
  t.is(fieldMessage(page.html, 'reset-username'), 'No account has the user name no.such-person.');
  t.is(inputValue(page.html, 'username'), 'no.such-person', 'what was typed is kept');
  const empty = await admin.post('/admin/accounts/password-reset', { username: '  ' });
  t.is(fieldMessage(empty.html, 'reset-username'), 'Enter the user name of the account.');

  const api = await apiAs(web.base, 'admin');
  const unknown = await api.post('/api/admin/accounts/no.such-person/password-reset');
  t.is(unknown.status, 404);
  t.is(unknown.body.error, 'No account has the user name no.such-person.');

  const clerk = await apiAs(web.base, 'sun.clerk');
  t.is((await clerk.post('/api/admin/accounts/li.station-reviewer/password-reset')).status, 403);
  const clerkBrowser = new BrowserSession(web.base);
  await clerkBrowser.signIn('sun.clerk');
  await clerkBrowser.get('/inbox');
  t.is((await clerkBrowser.post('/admin/accounts/password-reset', { username: 'li.station-reviewer' })).status, 403);
  t.is((await apiClient(web.base).post('/api/admin/accounts/sun.clerk/password-reset')).status, 401);
  t.is(await web.db.selectFrom('password_resets').select('token_hash').executeTakeFirst(), undefined, 'no link made');
});

test('the link pages are rate-limited per address like the sign-in', async (t) => {
  const web = await app(t, { signInLimits: { perAddress: 3, perAccount: 100, now: () => Date.UTC(2026, 2, 1) } });
  const visitor = new BrowserSession(web.base);
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push((await visitor.get(`/account/reset/guess-${i}`)).status);
  t.deepEqual(statuses, [404, 404, 404, 429]);
  const limited = await fetch(`${web.base}/account/reset/guess-5`, { headers: { 'accept-language': 'en' } });
  t.is(limited.status, 429);
  t.truthy(limited.headers.get('retry-after'));
  t.is(limited.headers.get('referrer-policy'), 'no-referrer');
  t.regex(visibleText(await limited.text()), /Too many attempts from your address\. Try again in \d+ seconds?\./);
});

test('the administrator’s form and the link’s pages read in Chinese', async (t) => {
  const web = await app(t);
  const admin = new BrowserSession(web.base, 'zh-CN');
  await admin.signIn('admin');
  const { page, path } = await issueOnPage(admin, 'sun.clerk');
  t.regex(visibleText(page.html), /孙丽（sun\.clerk） 的密码重置链接已生成/);
  const form = await new BrowserSession(web.base, 'zh-CN').get(path);
  t.regex(visibleText(form.html), /设置新密码 为 sun\.clerk 设置新密码。/);
  const gone = await new BrowserSession(web.base, 'zh-CN').get('/account/reset/x');
  t.regex(visibleText(gone.html), /此链接已失效，请联系系统管理员重新生成。/);
});

/** The link of an issue that must have made one. */
function issued(issue: ResetIssue) {
  if (issue.outcome !== 'issued') throw new Error(`no link: ${issue.outcome}`);
  return issue;
}

const linkStory = test.macro({
  async exec(t, dialect: DialectName) {
    const { db } = await freshDatabase(t, dialect);
    await seedDemoDirectory(db);
    const at = new Date(Date.UTC(2026, 2, 1, 8));
    t.deepEqual(await issuePasswordReset(db, 'nobody', 'admin', at), { outcome: 'unknown' });
    const older = issued(await issuePasswordReset(db, 'sun.clerk', 'admin', at));
    const newer = issued(await issuePasswordReset(db, 'sun.clerk', 'admin', at));
    t.is(await userOfResetToken(db, older.token, at), undefined, 'voided by the newer one');
    t.is(await userOfResetToken(db, newer.token, at), 'sun.clerk');
    t.is(await userOfResetToken(db, newer.token, new Date(newer.expiresAt)), undefined, 'lapsed after a day');
    await db
      .insertInto('sessions')
      .values({
        token_hash: 'x',
        user_id: 'sun.clerk',
        created_at: at.toISOString(),
        expires_at: '2099-01-01T00:00:00.000Z',
      })
      .execute();
    const [one, two] = await Promise.all([
      usePasswordReset(db, newer.token, NEW_PASSWORD, at),
      usePasswordReset(db, newer.token, 'another-password', at),
    ]);
    t.is([one, two].filter(Boolean).length, 1, 'used once, even twice at the same moment');
    t.deepEqual(one ?? two, { userId: 'sun.clerk', endedSessions: 1 });
    t.deepEqual(
      (await auditTrailOf(db, accountAuditKey('sun.clerk'))).map((row) => row.action),
      ['password-reset-issued', 'password-reset-issued', 'password-reset-used'],
    );
    t.true((await verifyAuditChain(db)).ok);
  },
  title: (_, dialect) => `a link is voided by a newer one, lapses after a day and is used once (${dialect})`,
});
for (const dialect of DIALECTS) test(linkStory, dialect);

test('a deactivated account gets no reset link, and a link made before its deactivation stays dead after a reactivation', async (t) => {
  const web = await app(t);
  const api = await apiAs(web.base, 'admin');
  const before = await api.post('/api/admin/accounts/sun.clerk/password-reset');
  t.is(before.status, 201);
  const visitor = new BrowserSession(web.base);
  t.is((await visitor.get(before.body.link)).status, 200, 'the link works before the deactivation');
  const unknown = await visitor.get('/account/reset/not-a-token');

  const deactivated = await api.post('/api/admin/accounts/sun.clerk/deactivate', { reason: 'Left in May' });
  t.is(deactivated.status, 200);
  const dead = async (when: string) => {
    const page = await visitor.get(before.body.link);
    t.is(page.status, 404, when);
    t.is(visibleText(page.html), visibleText(unknown.html), `${when}: the page of any dead link, saying nothing more`);
    const form = await visitor.post(before.body.link, { newPassword: NEW_PASSWORD, repeatPassword: NEW_PASSWORD });
    t.is(form.status, 404, when);
    t.is(visibleText(form.html), visibleText(unknown.html), when);
    const json = await apiClient(web.base).post(`/api/${before.body.link.slice(1)}`, { newPassword: NEW_PASSWORD });
    t.is(json.status, 404, when);
    t.deepEqual(json.body, { error: 'This link is no longer valid; ask an administrator for a new one.' }, when);
  };
  await dead('after the deactivation');

  // The form keeps the name and says why above the page; the API answers 409; no link is made.
  const admin = new BrowserSession(web.base);
  await admin.signIn('admin');
  const { page, path } = await issueOnPage(admin, 'sun.clerk');
  t.is(page.status, 409);
  t.regex(
    visibleText(page.html),
    /孙丽 \(sun\.clerk\) is deactivated: no reset link can be made for the account\. Reactivate it first if the person is back\./,
  );
  t.is(inputValue(page.html, 'username'), 'sun.clerk', 'what was typed is kept');
  t.is(path, '', 'no link shown');
  const refused = await api.post('/api/admin/accounts/sun.clerk/password-reset');
  t.is(refused.status, 409);
  t.is(
    refused.body.error,
    '孙丽 (sun.clerk) is deactivated: no reset link can be made for the account. Reactivate it first if the person is back.',
  );
  t.is(await web.db.selectFrom('password_resets').select('token_hash').executeTakeFirst(), undefined, 'none kept');

  t.is((await api.post('/api/admin/accounts/sun.clerk/reactivate', { reason: 'Back in June' })).status, 200);
  await dead('after the reactivation');
  t.is(await signInStatus(web.base, 'sun.clerk', DEMO_PASSWORD), 201, 'the old link set no password');
  t.is(await signInStatus(web.base, 'sun.clerk', NEW_PASSWORD), 401);
  t.is((await api.post('/api/admin/accounts/sun.clerk/password-reset')).status, 201, 'a new link may be made');

  t.like(await actions(web, 'sun.clerk'), [
    { action: 'password-reset-issued' },
    { action: 'account-deactivated', details: { reason: 'Left in May', resetLinksVoided: 1 } },
    { action: 'account-reactivated', details: { reason: 'Back in June', resetLinksVoided: 0 } },
    { action: 'password-reset-issued' },
  ]);
  t.is((await actions(web, 'sun.clerk')).length, 4);
  t.true((await verifyAuditChain(web.db)).ok);
});

const deactivatedLinks = test.macro({
  async exec(t, dialect: DialectName) {
    const { db } = await freshDatabase(t, dialect);
    await seedDemoDirectory(db);
    const at = new Date(Date.UTC(2026, 2, 1, 8));
    const link = issued(await issuePasswordReset(db, 'sun.clerk', 'admin', at));
    await deactivateAccount(db, { username: 'sun.clerk', by: 'admin', reason: 'Left', now: at });
    t.deepEqual(await db.selectFrom('password_resets').select('user_id').execute(), [], 'voided with the deactivation');
    t.is(await userOfResetToken(db, link.token, at), undefined);
    t.is(await usePasswordReset(db, link.token, NEW_PASSWORD, at), undefined);
    t.deepEqual(await issuePasswordReset(db, 'sun.clerk', 'admin', at), { outcome: 'deactivated' });

    // A link that a request made at the moment of the deactivation left behind: dead while deactivated, and voided
    // by the reactivation rather than revived.
    await db
      .insertInto('password_resets')
      .values({
        token_hash: hashOf('raced'),
        user_id: 'sun.clerk',
        created_by: 'admin',
        created_at: at.toISOString(),
        expires_at: '2099-01-01T00:00:00.000Z',
        used_at: null,
      })
      .execute();
    t.is(await userOfResetToken(db, 'raced', at), undefined, 'no link works for a deactivated account');
    t.is(await usePasswordReset(db, 'raced', NEW_PASSWORD, at), undefined);
    await reactivateAccount(db, { username: 'sun.clerk', by: 'admin', reason: 'Back', now: at });
    t.is(await userOfResetToken(db, 'raced', at), undefined, 'voided by the reactivation');
    t.is(await db.selectFrom('password_resets').select('user_id').executeTakeFirst(), undefined);
    t.is(await userOfResetToken(db, link.token, at), undefined, 'still dead after the reactivation');
    t.is(await usePasswordReset(db, link.token, NEW_PASSWORD, at), undefined);
    t.is(issued(await issuePasswordReset(db, 'sun.clerk', 'admin', at)).outcome, 'issued');
    t.true((await verifyAuditChain(db)).ok);
  },
  title: (_, dialect) => `deactivation voids the links and reactivation revives none (${dialect})`,
});
for (const dialect of DIALECTS) test(deactivatedLinks, dialect);
