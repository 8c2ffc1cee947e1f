/**
 * Which language a person reads: their own choice (kept on their account), a visitor's choice (a cookie), their
 * browser's Accept-Language, and Chinese when nothing says otherwise; the switch on every page; dates the Chinese way.
 */
import test from 'ava';
import { formatDate, formatDateTime, type Language, languageFromHeader } from '../../i18n';
import { testWithHarness } from '../helpers/harnessTests';
import { BrowserSession, startWeb, visibleText, type WebApp } from '../helpers/web';
import { UNLIMITED_SIGN_IN } from '../inbox/fixtures';

const withWeb = testWithHarness({ flavour: 'dev-server' });

const header = test.macro({
  exec(t, value: string | undefined, expected: Language) {
    t.is(languageFromHeader(value), expected);
  },
  title: (_, value: string | undefined, expected: Language) =>
    `Accept-Language ${JSON.stringify(value)} reads ${expected}`,
});

test(header, undefined, 'zh-CN');
test(header, '', 'zh-CN');
test(header, '*', 'zh-CN');
test(header, 'fr-FR, de;q=0.8', 'zh-CN');
test(header, 'en-GB,en;q=0.9', 'en');
test(header, 'zh-TW', 'zh-CN');
test(header, 'fr, en;q=0.5, zh;q=0.4', 'en');
test(header, 'en;q=0.3, zh-CN;q=0.8', 'zh-CN');
test(header, 'zh;q=0, en', 'en');

test('days and times are written the reader’s way, in China time', (t) => {
  // 16:30 UTC on 29 November is half past midnight on the 30th in China.
  t.is(formatDate('2026-11-29T16:30:00Z', 'zh-CN'), '2026年11月30日');
  t.is(formatDate('2026-11-29T16:30:00Z', 'en'), '30 Nov 2026');
  t.is(formatDate('2026-11-29', 'zh-CN'), '2026年11月29日');
  t.is(formatDateTime('2026-11-29T16:30:00Z', 'zh-CN'), '2026年11月30日 00:30');
  t.is(formatDateTime('2026-11-29T16:30:00Z', 'en'), '30 Nov 2026 00:30');
  t.is(formatDateTime('not a date', 'en'), '');
});

let web: WebApp;
withWeb.serial.before(async (t) => {
  web = await startWeb(t.context, { signInLimits: UNLIMITED_SIGN_IN });
});
withWeb.after.always(async () => {
  await web?.close();
});

const langOf = (html: string) => /<html lang='([^']*)'>/.exec(html)?.[1];

withWeb.serial('a visitor reads Chinese unless the browser asks for English, and the switch changes it', async (t) => {
  const anyone = new BrowserSession(web.base, '*');
  const login = await anyone.get('/login');
  t.is(langOf(login.html), 'zh-CN');
  t.regex(visibleText(login.html), /登录 .*用户名.*密码/);
  t.is(langOf((await new BrowserSession(web.base, 'en-US,en;q=0.9').get('/login')).html), 'en');

  const switched = await anyone.post('/language', { language: 'en', back: '/verify' }, { follow: false });
  t.is(switched.status, 303);
  t.is(switched.location, '/verify');
  const after = await anyone.get('/login');
  t.is(langOf(after.html), 'en');
  t.regex(visibleText(after.html), /Sign in .*User name/);
});

withWeb.serial(
  'a signed-in person’s choice is kept on their account, whatever browser they sign in from',
  async (t) => {
    const first = new BrowserSession(web.base, 'zh-CN');
    await first.signIn('chen.examiner');
    t.is(langOf((await first.get('/inbox')).html), 'zh-CN');
    await first.post('/language', { language: 'en', back: '/inbox' });
    t.is(langOf((await first.get('/inbox')).html), 'en');

    // Another browser, asking for Chinese, signed in as the same person: their choice wins.
    const second = new BrowserSession(web.base, 'zh-CN');
    await second.signIn('chen.examiner');
    const inbox = await second.get('/inbox');
    t.is(langOf(inbox.html), 'en');
    t.regex(visibleText(inbox.html), /Signed in as 陈杰/);
    await second.post('/language', { language: 'zh-CN', back: '/inbox' });
    t.is(langOf((await second.get('/inbox')).html), 'zh-CN');
  },
);

withWeb.serial('the switch goes back only to a page of this site, and knows only its two languages', async (t) => {
  const anyone = new BrowserSession(web.base, '*');
  await anyone.get('/login');
  for (const back of ['//evil.example/', 'https://evil.example/', '/\\evil.example']) {
    const answer = await anyone.post('/language', { language: 'en', back }, { follow: false });
    t.is(answer.location, '/', back);
  }
  const unknown = await anyone.post('/language', { language: 'fr' }, { follow: false });
  t.is(unknown.status, 422);
  t.regex(visibleText(unknown.html), /language: must be one of zh-CN, en/);
  const noToken = await anyone.post('/language', { language: 'en' }, { follow: false, csrf: false });
  t.is(noToken.status, 403);
});
