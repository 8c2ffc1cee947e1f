/**
 * The Content-Security-Policy and Referrer-Policy on every answer, and the templates that let the policy be strict:
 * no inline script, style block, style attribute or event handler anywhere (the browser tests, test/e2e/everyPage,
 * check that no page meets a violation). None of it reaches Temporal.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import anyTest, { type TestFn } from 'ava';
import { apiAs, BrowserSession } from '../helpers/web';
import { startWebWithoutTemporal, UNLIMITED_SIGN_IN, type WebWithoutTemporal } from './fixtures';

const test = anyTest as TestFn<WebWithoutTemporal>;

test.before(async (t) => {
  t.context = await startWebWithoutTemporal({ signInLimits: UNLIMITED_SIGN_IN });
});
test.after.always(async (t) => {
  await t.context?.close();
});

const POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; " +
  "base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

test('pages, API answers and error pages carry the strict policy and keep their address from other sites', async (t) => {
  const { base } = t.context;
  const admin = await apiAs(base, 'admin');
  const answers = {
    'the sign-in page': await fetch(`${base}/login`),
    'a missing page': await fetch(`${base}/no/such/page`),
    'the public verification form': await fetch(`${base}/verify`),
    'an API answer': (await admin.get('/api/admin/accounts/locked')).headers,
  };
  for (const [what, answer] of Object.entries(answers)) {
    const headers = answer instanceof Headers ? answer : answer.headers;
    t.is(headers.get('content-security-policy'), POLICY, what);
    t.is(headers.get('referrer-policy'), 'same-origin', what);
    t.is(headers.get('x-frame-options'), 'DENY', what);
  }
});

test('every page links its styles from a file the policy allows, served as CSS', async (t) => {
  const page = await new BrowserSession(t.context.base).get('/login');
  // Handlebars writes the link's `=` as &#x3D;, which the browser reads back as `=`.
  const link = /<link rel='stylesheet' href='(\/assets\/site\.css\?v&#x3D;[0-9a-f]{12})' \/>/
    .exec(page.html)?.[1]
    ?.replace('&#x3D;', '=');
  t.truthy(link, 'the layout links the stylesheet under a versioned address');
  const css = await fetch(`${t.context.base}${link}`);
  t.is(css.status, 200);
  t.regex(css.headers.get('content-type') ?? '', /^text\/css/);
  t.regex(await css.text(), /\.skip:focus \{/);
});

const VIEWS = path.join(import.meta.dirname, '..', '..', 'inbox-ui', 'views');

test('no template has an inline script, a style block, a style attribute or an event handler', (t) => {
  const templates = readdirSync(VIEWS, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.hbs'));
  t.true(templates.length > 10, 'the templates were found');
  const inline = templates.flatMap((file) => {
    // Comments and mustaches out first: a helper's argument (`onTime=totals.onTime`) is no handler.
    const markup = readFileSync(path.join(VIEWS, file), 'utf8')
      .replace(/\{\{!--[\s\S]*?--\}\}|\{\{![\s\S]*?\}\}/g, '')
      .replace(/\{\{[\s\S]*?\}\}/g, '');
    return [...markup.matchAll(/<script(?![^>]*\ssrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=/g)].map(
      (match) => `${file}: ${match[0]}`,
    );
  });
  t.deepEqual(inline, []);
});
