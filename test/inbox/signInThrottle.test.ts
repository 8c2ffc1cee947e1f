/**
 * Failed sign-ins counted per name, whatever address they come from: the waits, the lock, the same answers for a name
 * that has no account, the administrators' notice, and the unlock (page and API, audited). Each test runs its own app
 * over its own database, with its own limits and clock. None of it reaches Temporal.
 */
import test, { type ExecutionContext } from 'ava';
import { auditTrailOf } from '../../records/audit';
import { DEMO_PASSWORD } from '../../records/demoProvince';
import { accountAuditKey } from '../../records/signInFailures';
import type { SignInLimits } from '../../inbox-ui/routes/session';
import { apiAs, BrowserSession, visibleText } from '../helpers/web';
import { inputValue, startWebWithoutTemporal, type WebWithoutTemporal } from './fixtures';

/** An app behind a trusted proxy on loopback, so each attempt may come from an address of its own. */
async function app(t: ExecutionContext, limits: SignInLimits): Promise<WebWithoutTemporal> {
  const web = await startWebWithoutTemporal({ signInLimits: limits, trustProxy: ['loopback'] });
  t.teardown(() => web.close());
  return web;
}

interface Answer {
  status: number;
  error?: string;
  retryAfter: string | null;
  token?: string;
}

let address = 0;

/** One API sign-in from a new address each time. */
async function attempt(base: string, username: string, password: string): Promise<Answer> {
  const response = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'accept-language': 'en',
      'x-forwarded-for': `198.51.100.${++address % 250}`,
    },
    body: JSON.stringify({ username, password }),
  });
  const body = (await response.json()) as { error?: string; token?: string };
  return {
    status: response.status,
    error: body.error,
    retryAfter: response.headers.get('retry-after'),
    token: body.token,
  };
}

const WRONG = { status: 401, error: 'The user name or password is wrong.', retryAfter: null };
const LOCKED = {
  status: 423,
  error: 'This user name is locked after too many failed sign-ins. Ask an administrator to unlock it.',
  retryAfter: null,
};
const waitFor = (seconds: number) => ({
  status: 429,
  error: `Too many sign-in attempts. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
  retryAfter: String(seconds),
});

/** Two failures, a wait of 1 s, a failure, a wait of 2 s, the fourth failure locks; then even the password is refused. */
async function guessUntilLocked(base: string, username: string, clock: { now: number }): Promise<Answer[]> {
  const answers = [await attempt(base, username, 'guess-1'), await attempt(base, username, 'guess-2')];
  answers.push(await attempt(base, username, 'guess-3'));
  clock.now += 1000;
  answers.push(await attempt(base, username, 'guess-4'), await attempt(base, username, 'guess-5'));
  clock.now += 2000;
  answers.push(await attempt(base, username, 'guess-6'));
  answers.push(await attempt(base, username, DEMO_PASSWORD));
  clock.now += 24 * 3600_000;
  answers.push(await attempt(base, username, DEMO_PASSWORD));
  return answers;
}

test('failures for one name wait longer each time and then lock it, from whichever address they come', async (t) => {
  const clock = { now: Date.UTC(2026, 2, 1, 8) };
  const web = await app(t, { perAddress: 1000, perAccount: 4, freeFailures: 2, now: () => clock.now });
  const answers = await guessUntilLocked(web.base, 'sun.clerk', clock);
  t.deepEqual(
    answers.map(({ status, error, retryAfter }) => ({ status, error, retryAfter })),
    [WRONG, WRONG, waitFor(1), WRONG, waitFor(2), LOCKED, LOCKED, LOCKED],
    'the right password does not open a locked name, nor does a day passing',
  );
  t.true(
    answers.every((answer) => answer.token === undefined),
    'nobody was signed in',
  );
});

test('a name without an account gets the same answers, waits and lock as one with an account', async (t) => {
  const clock = { now: Date.UTC(2026, 2, 1, 8) };
  const web = await app(t, { perAddress: 1000, perAccount: 4, freeFailures: 2, now: () => clock.now });
  const known = await guessUntilLocked(web.base, 'li.station-reviewer', clock);
  const unknown = await guessUntilLocked(web.base, 'nobody.here', clock);
  t.deepEqual(unknown, known);
});

test('a successful sign-in clears the failures counted before it', async (t) => {
  const clock = { now: Date.UTC(2026, 2, 1, 8) };
  const web = await app(t, { perAddress: 1000, perAccount: 4, freeFailures: 2, now: () => clock.now });
  t.like(await attempt(web.base, 'sun.clerk', 'guess-1'), WRONG);
  t.is((await attempt(web.base, 'sun.clerk', DEMO_PASSWORD)).status, 201);
  t.like(await attempt(web.base, 'sun.clerk', 'guess-2'), WRONG);
  t.like(await attempt(web.base, 'sun.clerk', 'guess-3'), WRONG, 'one failure since the sign-in: no wait yet');
  t.like(await attempt(web.base, 'sun.clerk', 'guess-4'), waitFor(1), 'two since the sign-in: now it waits');
});

test('failures a day old are forgotten: the count starts again, and names tried once leave the table', async (t) => {
  const clock = { now: Date.UTC(2026, 2, 1, 8) };
  const web = await app(t, { perAddress: 1000, perAccount: 4, freeFailures: 2, now: () => clock.now });
  t.like(await attempt(web.base, 'sun.clerk', 'guess-1'), WRONG);
  t.like(await attempt(web.base, 'sun.clerk', 'guess-2'), WRONG);
  for (const name of ['guesser.1', 'guesser.2', 'guesser.3']) await attempt(web.base, name, 'guess');
  clock.now += 24 * 3600_000 + 1;
  t.like(await attempt(web.base, 'sun.clerk', 'guess-3'), WRONG);
  t.like(await attempt(web.base, 'sun.clerk', 'guess-4'), WRONG, 'the count started again: no wait after one');
  t.like(await attempt(web.base, 'sun.clerk', 'guess-5'), waitFor(1));
  const names = await web.db.selectFrom('sign_in_failures').select('username').execute();
  t.deepEqual(
    names.map((row) => row.username),
    ['sun.clerk'],
  );
});

test('the sign-in form says a name is locked, in English and in Chinese, and keeps the name typed', async (t) => {
  const web = await app(t, { perAddress: 1000, perAccount: 2, freeFailures: 100 });
  await attempt(web.base, 'sun.clerk', 'guess-1');
  await attempt(web.base, 'sun.clerk', 'guess-2');
  const english = await new BrowserSession(web.base).signIn('sun.clerk');
  t.is(english.status, 423);
  t.regex(visibleText(english.html), /Sign in This user name is locked after too many failed sign-ins\./);
  t.is(inputValue(english.html, 'username'), 'sun.clerk');
  const browser = new BrowserSession(web.base, 'zh-CN');
  const chinese = await browser.signIn('sun.clerk');
  t.is(chinese.status, 423);
  t.regex(visibleText(chinese.html), /该用户名因登录失败次数过多已被锁定，请联系系统管理员解锁。/);
  t.is((await browser.get('/inbox', { follow: false })).status, 303, 'not signed in');
});

test('a lock tells the administrators, who unlock the name on their page; the unlock is audited', async (t) => {
  const web = await app(t, { perAddress: 1000, perAccount: 3, freeFailures: 100 });
  for (const guess of ['guess-1', 'guess-2', 'guess-3']) await attempt(web.base, 'sun.clerk', guess);

  const admin = new BrowserSession(web.base);
  await admin.signIn('admin');
  const notices = visibleText((await admin.get('/notifications')).html);
  t.regex(notices, /User name sun\.clerk locked after failed sign-ins/);
  t.regex(notices, /The user name sun\.clerk was locked after 3 failed sign-ins in a row\./);

  const list = await admin.get('/admin/accounts');
  t.is(list.status, 200);
  t.regex(visibleText(list.html), /Accounts Locked user names .* sun\.clerk 孙丽 3 .* Unlock/);
  const path = '/admin/accounts/sun.clerk/unlock';
  t.is((await admin.post(path, {}, { csrf: false })).status, 403, 'a form from elsewhere unlocks nothing');
  t.is((await attempt(web.base, 'sun.clerk', DEMO_PASSWORD)).status, 423, 'still locked');

  const done = await admin.post(path);
  t.is(done.location, '/admin/accounts');
  t.regex(
    visibleText(done.html),
    /孙丽 \(sun\.clerk\) is unlocked: it may sign in again\. .* No user name is locked\./,
  );
  const trail = await auditTrailOf(web.db, accountAuditKey('sun.clerk'));
  t.is(trail.length, 1);
  t.like(trail[0], { actor: 'admin', action: 'account-unlocked' });
  t.is((await attempt(web.base, 'sun.clerk', DEMO_PASSWORD)).status, 201, 'the person signs in again');

  const again = await admin.post(path);
  t.regex(visibleText(again.html), /孙丽 \(sun\.clerk\) is not locked\./);
  t.is((await auditTrailOf(web.db, accountAuditKey('sun.clerk'))).length, 1, 'nothing more to audit');
});

test('administrators list and unlock locked names over the API; nobody else may', async (t) => {
  const web = await app(t, { perAddress: 1000, perAccount: 2, freeFailures: 100 });
  for (const name of ['sun.clerk', 'nobody.here']) {
    await attempt(web.base, name, 'guess-1');
    await attempt(web.base, name, 'guess-2');
  }
  const clerk = await apiAs(web.base, 'li.station-reviewer');
  t.is((await clerk.get('/api/admin/accounts/locked')).status, 403);
  t.is((await clerk.post('/api/admin/accounts/sun.clerk/unlock')).status, 403);

  const admin = await apiAs(web.base, 'admin');
  const locked = await admin.get('/api/admin/accounts/locked');
  t.is(locked.status, 200);
  t.deepEqual(
    locked.body.locked.map((row: { username: string; personName?: string; failures: number }) => [
      row.username,
      row.personName,
      row.failures,
    ]),
    [
      ['nobody.here', undefined, 2],
      ['sun.clerk', '孙丽', 2],
    ],
    'the latest lock first; a name without an account has no holder',
  );
  const unlocked = await admin.post('/api/admin/accounts/sun.clerk/unlock');
  t.is(unlocked.status, 200);
  t.is(unlocked.body.message, 'sun.clerk is unlocked: it may sign in again.');
  const twice = await admin.post('/api/admin/accounts/sun.clerk/unlock');
  t.is(twice.status, 409);
  t.is(twice.body.error, 'sun.clerk is not locked.');
  t.deepEqual(
    (await admin.get('/api/admin/accounts/locked')).body.locked.map((row: { username: string }) => row.username),
    ['nobody.here'],
  );
});
