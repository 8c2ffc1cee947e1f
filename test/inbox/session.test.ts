/**
 * Signing in and out, as pages and as the API: where a sign-in leads, what a wrong password or a missing field says,
 * the CSRF check on forms, the sign-in rate limit per address, cookies and addresses behind a proxy (TRUST_PROXY),
 * and what a signed-out visitor gets. None of it reaches Temporal. Failures per account: signInThrottle.test.ts.
 */
import anyTest, { type TestFn } from 'ava';
import { DEMO_PASSWORD } from '../../records/demoProvince';
import { apiAs, apiClient, BrowserSession, visibleText } from '../helpers/web';
import { inputValue, startWebWithoutTemporal, UNLIMITED_SIGN_IN, type WebWithoutTemporal } from './fixtures';

const test = anyTest as TestFn<WebWithoutTemporal>;

test.before(async (t) => {
  // This file signs in dozens of times a minute from one address; the limit has its own test and its own app.
  t.context = await startWebWithoutTemporal({ signInLimits: UNLIMITED_SIGN_IN });
});
test.after.always(async (t) => {
  await t.context?.close();
});

const csrfOf = (html: string): string => /<meta name='csrf-token' content='([^']*)'/.exec(html)![1];

function cookieFrom(response: Response, name: string): string | undefined {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    if (pair.startsWith(`${name}=`)) return pair.slice(name.length + 1);
  }
  return undefined;
}

/** Signs in as a browser would, by hand, to keep hold of the session cookie a browser would forget at sign-out. */
async function sessionCookie(base: string, user: string): Promise<string> {
  const login = await fetch(`${base}/login`);
  const visitor = cookieFrom(login, 'qf_visitor');
  const response = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: `qf_visitor=${visitor}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrfOf(await login.text()), username: user, password: DEMO_PASSWORD }),
  });
  const session = cookieFrom(response, 'qf_session');
  if (response.status !== 303 || !session) throw new Error(`sign-in failed: ${response.status}`);
  return `qf_session=${session}`;
}

test('the sign-in page asks for a user name and a password', async (t) => {
  const page = await new BrowserSession(t.context.base).get('/login');
  t.is(page.status, 200);
  const text = visibleText(page.html);
  t.regex(text, /Sign in User name Password Sign in/);
  t.regex(page.html, /<input id='password' name='password' type='password'/);
  t.notRegex(text, /Signed in as/);
});

test('only the embedded demo’s sign-in page points at the README for its accounts', async (t) => {
  const hint = /accounts and their password are listed in the README/;
  t.notRegex(visibleText((await new BrowserSession(t.context.base).get('/login')).html), hint);
  const demo = await startWebWithoutTemporal({ signInLimits: UNLIMITED_SIGN_IN, demoDirectory: true });
  try {
    t.regex(visibleText((await new BrowserSession(demo.base).get('/login')).html), hint);
  } finally {
    await demo.close();
  }
});

test('pages are never kept in a shared cache nor shown in a frame, and the health check answers', async (t) => {
  const login = await fetch(`${t.context.base}/login`);
  t.is(login.headers.get('cache-control'), 'no-store');
  t.is(login.headers.get('x-frame-options'), 'DENY');
  t.is(login.headers.get('x-content-type-options'), 'nosniff');
  t.is(login.headers.get('x-powered-by'), null);
  const health = await apiClient(t.context.base).get('/healthz');
  t.is(health.status, 200);
  t.deepEqual(health.body, { ok: true });
});

test('a wrong password shows the sign-in page again with 401, a message and the user name as typed', async (t) => {
  const browser = new BrowserSession(t.context.base);
  const page = await browser.signIn('li.station-reviewer', 'not-the-password');
  t.is(page.status, 401);
  t.regex(visibleText(page.html), /Sign in The user name or password is wrong\./);
  t.is(inputValue(page.html, 'username'), 'li.station-reviewer');
  t.false(page.html.includes('not-the-password'), 'the password is never sent back');
  t.is((await browser.get('/inbox', { follow: false })).status, 303, 'still signed out');
});

test('signing in leads to the page the person asked for on this site', async (t) => {
  const browser = new BrowserSession(t.context.base);
  const form = await browser.get('/login?next=%2Fnotifications%3Frecipient%3Dstation-a%253Areviewers');
  t.is(inputValue(form.html, 'next'), '/notifications?recipient=station-a%3Areviewers');
  const signedIn = await browser.post(
    '/login',
    { username: 'li.station-reviewer', password: DEMO_PASSWORD, next: inputValue(form.html, 'next')! },
    { follow: false },
  );
  t.is(signedIn.status, 303);
  t.is(signedIn.location, '/notifications?recipient=station-a%3Areviewers');
});

const offSite = ['//evil.example/inbox', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)'];

for (const next of offSite) {
  test(`signing in with next=${next} leads to the inbox, not off the site`, async (t) => {
    const browser = new BrowserSession(t.context.base);
    const form = await browser.get(`/login?next=${encodeURIComponent(next)}`);
    t.is(inputValue(form.html, 'next'), '/inbox', 'the form does not carry the address on');
    const signedIn = await browser.post(
      '/login',
      { username: 'sun.clerk', password: DEMO_PASSWORD, next },
      { follow: false },
    );
    t.is(signedIn.status, 303);
    t.is(signedIn.location, '/inbox');
  });
}

test('a signed-out browser asking for a page is sent to sign in, and back to that page afterwards', async (t) => {
  const browser = new BrowserSession(t.context.base);
  const refused = await browser.get('/inbox?view=mine&sort=created', { follow: false });
  t.is(refused.status, 303);
  t.is(refused.location, '/login?next=%2Finbox%3Fview%3Dmine%26sort%3Dcreated');
  const form = await browser.get(refused.location!);
  t.is(inputValue(form.html, 'next'), '/inbox?view=mine&sort=created');
  const signedIn = await browser.post(
    '/login',
    { username: 'li.station-reviewer', password: DEMO_PASSWORD, next: '/inbox?view=mine&sort=created' },
    { follow: false },
  );
  t.is(signedIn.location, '/inbox?view=mine&sort=created');
  const inbox = await browser.get(signedIn.location!);
  t.is(inbox.status, 200);
  t.regex(visibleText(inbox.html), /Signed in as 李伟/);
});

test('the home page sends a visitor to sign in and a signed-in person to the inbox', async (t) => {
  const browser = new BrowserSession(t.context.base);
  t.is((await browser.get('/', { follow: false })).location, '/login');
  await browser.signIn('sun.clerk');
  t.is((await browser.get('/', { follow: false })).location, '/inbox');
  t.is((await browser.get('/login', { follow: false })).location, '/inbox', 'the sign-in page is skipped');
});

test('signing out ends the session: the old cookie no longer opens the inbox', async (t) => {
  const { base } = t.context;
  const cookie = await sessionCookie(base, 'li.station-reviewer');
  const inbox = await fetch(`${base}/inbox`, { headers: { cookie }, redirect: 'manual' });
  t.is(inbox.status, 200);
  const html = await inbox.text();
  t.regex(visibleText(html), /当前用户 李伟/);

  const signOut = await fetch(`${base}/logout`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrfOf(html) }),
  });
  t.is(signOut.status, 303);
  t.is(signOut.headers.get('location'), '/login');

  const again = await fetch(`${base}/inbox`, { headers: { cookie }, redirect: 'manual' });
  t.is(again.status, 303, 'the cookie a browser might still send is worthless');
  t.is(again.headers.get('location'), '/login?next=%2Finbox');
  t.is((await fetch(`${base}/api/me`, { headers: { cookie } })).status, 401);
});

test('a form posted without its CSRF token is refused with 403 and changes nothing', async (t) => {
  const browser = new BrowserSession(t.context.base);
  await browser.signIn('li.station-reviewer');
  const signOut = await browser.post('/logout', {}, { csrf: false });
  t.is(signOut.status, 403);
  t.regex(
    visibleText(signOut.html),
    /This form has expired or did not come from Qualiflow\. Reload the page and try again\./,
  );
  const inbox = await browser.get('/inbox');
  t.is(inbox.status, 200, 'still signed in');
  t.regex(visibleText(inbox.html), /Signed in as 李伟/);

  const stranger = new BrowserSession(t.context.base);
  await stranger.get('/login');
  const signIn = await stranger.post(
    '/login',
    { username: 'li.station-reviewer', password: DEMO_PASSWORD },
    { csrf: false, follow: false },
  );
  t.is(signIn.status, 403);
  t.is((await stranger.get('/inbox', { follow: false })).status, 303, 'nobody was signed in');
});

test('a Chinese reader is told in Chinese to sign in, that the console is not theirs, and that a form expired', async (t) => {
  const anonymous = apiClient(t.context.base, undefined, 'zh-CN');
  const signedOut = await anonymous.get('/api/me');
  t.is(signedOut.status, 401);
  t.is(signedOut.body.error, '请先登录：以用户名和密码调用 POST /api/session。');
  const reviewer = await apiAs(t.context.base, 'li.station-reviewer', 'zh-CN');
  const notTheirs = await reviewer.get('/api/admin/sla');
  t.is(notTheirs.status, 403);
  t.is(notTheirs.body.error, '只有系统管理员可以打开管理控制台。');

  const browser = new BrowserSession(t.context.base, 'zh-CN');
  await browser.signIn('li.station-reviewer');
  const stale = await browser.post('/logout', {}, { csrf: false });
  t.is(stale.status, 403);
  t.regex(visibleText(stale.html), /该表单已过期，或并非来自 Qualiflow。请刷新页面后重试。/);
});

test('the API signs in with a token, says who it belongs to, and signs out', async (t) => {
  const anonymous = apiClient(t.context.base);
  const signIn = await anonymous.post('/api/session', { username: 'li.station-reviewer', password: DEMO_PASSWORD });
  t.is(signIn.status, 201);
  t.like(signIn.body, {
    user: { id: 'li.station-reviewer', name: '李伟', groups: ['station-a:reviewers'] },
  });
  t.regex(signIn.body.token, /^[\w-]{40,}$/);

  const api = apiClient(t.context.base, signIn.body.token);
  const me = await api.get('/api/me');
  t.is(me.status, 200);
  t.deepEqual(me.body, {
    id: 'li.station-reviewer',
    name: '李伟',
    organisationId: 'station-a',
    groups: ['station-a:reviewers'],
  });

  t.is((await api.delete('/api/session')).status, 204);
  const after = await api.get('/api/me');
  t.is(after.status, 401);
  t.is(after.body.error, 'Sign in first: POST /api/session with your user name and password.');
});

test('a wrong password or an unknown user over the API is 401 with the same message', async (t) => {
  const anonymous = apiClient(t.context.base);
  const wrong = await anonymous.post('/api/session', { username: 'li.station-reviewer', password: 'guess' });
  const unknown = await anonymous.post('/api/session', { username: 'nobody', password: DEMO_PASSWORD });
  t.is(wrong.status, 401);
  t.deepEqual(wrong.body, { error: 'The user name or password is wrong.' });
  t.deepEqual(unknown.body, wrong.body, 'whether the account exists is not told');
  t.is(unknown.status, 401);
});

test('an API sign-in without its fields is 422 with a message for each', async (t) => {
  const anonymous = apiClient(t.context.base);
  const empty = await anonymous.post('/api/session', {});
  t.is(empty.status, 422);
  t.deepEqual(empty.body, {
    error: 'Enter your user name and password.',
    errors: { username: 'is required', password: 'is required' },
  });
  const blankName = await anonymous.post('/api/session', { username: '  ', password: DEMO_PASSWORD });
  t.is(blankName.status, 422);
  t.deepEqual(blankName.body.errors, { username: 'is required' });
});

test('a body that is not JSON is 400 with a sentence, not a stack trace', async (t) => {
  const response = await fetch(`${t.context.base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-language': 'en' },
    body: '{"username": ',
  });
  t.is(response.status, 400);
  const body = (await response.json()) as { error: string };
  t.regex(body.error, /^The request body is not valid: /);
});

const undecodable = test.macro({
  async exec(t, encoding: string) {
    const body = JSON.stringify({ username: 'sun.clerk', password: DEMO_PASSWORD });
    for (const contentType of ['application/json', 'application/x-www-form-urlencoded']) {
      const response = await fetch(`${t.context.base}/api/session`, {
        method: 'POST',
        headers: { 'content-type': contentType, 'content-encoding': encoding, 'accept-language': 'en' },
        body,
      });
      t.is(response.status, 400, contentType);
      const answer = (await response.json()) as { error: string; token?: string };
      t.regex(answer.error, /^The request body could not be read: /, contentType);
      t.is(answer.token, undefined, 'nobody was signed in');
    }
  },
  title: (_, encoding: string) => `a body that claims Content-Encoding ${encoding} but is not is 400, not 500`,
});
test(undecodable, 'gzip');
test(undecodable, 'deflate');
test(undecodable, 'br');

test('without a session the API answers 401 JSON and never redirects', async (t) => {
  const anonymous = apiClient(t.context.base);
  for (const path of ['/api/tasks', '/api/me', '/api/cases/QF-1/tasks/station-review-1', '/api/admin/sla']) {
    const response = await anonymous.get(path);
    t.is(response.status, 401, path);
    t.is(response.body.error, 'Sign in first: POST /api/session with your user name and password.', path);
  }
  const forged = await apiClient(t.context.base, 'not-a-token').get('/api/tasks');
  t.is(forged.status, 401, 'an unknown token is no session');
  const post = await anonymous.post('/api/tasks/bulk-approve', { tasks: [] });
  t.is(post.status, 401, 'a JSON post without a session is turned away before anything else');
});

test('an unknown address is a 404 page, and a 404 JSON under /api', async (t) => {
  const page = await new BrowserSession(t.context.base).get('/no/such/page');
  t.is(page.status, 404);
  t.regex(visibleText(page.html), /Not found Nothing at \/no\/such\/page\./);
  const api = await (await apiAs(t.context.base, 'sun.clerk')).get('/api/no-such-thing');
  t.is(api.status, 404);
  t.deepEqual(api.body, { error: 'Nothing at /api/no-such-thing.' });
});

test('too many sign-in attempts from one address are refused with 429 and Retry-After, even with the right password', async (t) => {
  const web = await startWebWithoutTemporal({ signInLimits: { perAddress: 3, perAccount: 100 } });
  t.teardown(() => web.close());
  const anonymous = apiClient(web.base);
  // Fields missing are refused before the limits, so they cost no attempt.
  t.is((await anonymous.post('/api/session', {})).status, 422);
  t.is((await anonymous.post('/api/session', { username: 'sun.clerk', password: 'guess-1' })).status, 401);
  t.is((await anonymous.post('/api/session', { username: 'li.station-reviewer', password: 'guess-2' })).status, 401);
  t.is((await anonymous.post('/api/session', { username: 'wu.center-reviewer', password: DEMO_PASSWORD })).status, 201);

  const refused = await anonymous.post('/api/session', { username: 'sun.clerk', password: DEMO_PASSWORD });
  t.is(refused.status, 429, 'three attempts per address, whichever account');
  t.regex(refused.body.error, /^Too many sign-in attempts\. Try again in \d+ seconds?\.$/);
  const retryAfter = Number(refused.headers.get('retry-after'));
  t.true(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
  t.true(refused.body.error.includes(`${retryAfter} second`), 'the page and the header agree');

  // The form is refused too, and says so.
  const browser = new BrowserSession(web.base);
  const page = await browser.signIn('li.station-reviewer');
  t.is(page.status, 429);
  t.regex(visibleText(page.html), /Too many sign-in attempts\. Try again in \d+ seconds?\./);
  t.is(inputValue(page.html, 'username'), 'li.station-reviewer');
  t.is((await browser.get('/inbox', { follow: false })).status, 303, 'not signed in');
});

/** Whether the answer sets the cookie, and with Secure. */
function cookieLine(response: Response, name: string): string | undefined {
  return response.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));
}

/** Signs in with the form, as a browser would through a proxy that adds `headers` to every request. */
async function signInThrough(base: string, headers: Record<string, string>) {
  const login = await fetch(`${base}/login`, { headers });
  const visitor = cookieLine(login, 'qf_visitor');
  const signedIn = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...headers, cookie: visitor!.split(';')[0], 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrfOf(await login.text()), username: 'sun.clerk', password: DEMO_PASSWORD }),
  });
  return { visitor, session: cookieLine(signedIn, 'qf_session'), status: signedIn.status };
}

test('behind a trusted TLS proxy the session and form cookies are Secure; without it they are not', async (t) => {
  const web = await startWebWithoutTemporal({ signInLimits: UNLIMITED_SIGN_IN, trustProxy: ['loopback'] });
  t.teardown(() => web.close());
  const proxied = await signInThrough(web.base, { 'x-forwarded-proto': 'https' });
  t.is(proxied.status, 303);
  t.regex(proxied.visitor!, /; Secure/, 'the cookie the CSRF token is bound to');
  t.regex(proxied.session!, /; Secure/);
  t.regex(proxied.session!, /; HttpOnly/);

  // The same proxy passing plain HTTP on: nothing claims HTTPS, and a Secure cookie would never come back.
  const plain = await signInThrough(web.base, {});
  t.is(plain.status, 303);
  t.notRegex(plain.visitor!, /; Secure/);
  t.notRegex(plain.session!, /; Secure/);
});

test('without TRUST_PROXY a client claiming HTTPS in X-Forwarded-Proto gets no Secure cookie', async (t) => {
  const claimed = await signInThrough(t.context.base, { 'x-forwarded-proto': 'https' });
  t.is(claimed.status, 303);
  t.notRegex(claimed.visitor!, /; Secure/);
  t.notRegex(claimed.session!, /; Secure/);
});

/** Three wrong passwords for three names, each claiming another address in X-Forwarded-For: the statuses. */
async function guessesFromClaimedAddresses(base: string): Promise<number[]> {
  const statuses: number[] = [];
  for (const [n, username] of ['sun.clerk', 'li.station-reviewer', 'wu.center-reviewer'].entries()) {
    const response = await fetch(`${base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${n + 1}` },
      body: JSON.stringify({ username, password: 'guess' }),
    });
    statuses.push(response.status);
  }
  return statuses;
}

test("X-Forwarded-For moves the sign-in limit's address only when the proxy sending it is trusted", async (t) => {
  const limits = { perAddress: 2, perAccount: 100 };
  const direct = await startWebWithoutTemporal({ signInLimits: limits });
  t.teardown(() => direct.close());
  t.deepEqual(await guessesFromClaimedAddresses(direct.base), [401, 401, 429], 'one address, whatever it claims');

  const proxied = await startWebWithoutTemporal({ signInLimits: limits, trustProxy: ['loopback'] });
  t.teardown(() => proxied.close());
  t.deepEqual(await guessesFromClaimedAddresses(proxied.base), [401, 401, 401], 'three clients behind the proxy');
});
