/**
 * Every main page, as its people open it in a real browser, in Chinese and in English, on a desktop and on a phone
 * (390 px wide): the page never scrolls sideways, its charts' text stays readable, the browser reports no breach of
 * the Content-Security-Policy, and an automated accessibility scan (axe-core, injected into the page) finds no serious
 * or critical violation. Screenshots of each land in test-output/screenshots, and the scan's counts per page in
 * test-output/axe-summary.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Level } from '../../domain/levels';
import { TaskKind } from '../../workflows/definitions';
import { applicationFor } from '../helpers/applications';
import { launchBrowser, type Page, SCREENSHOT_DIR, screenshot } from '../helpers/browser';
import { waitForTask } from '../helpers/cases';
import { testWithHarness } from '../helpers/harnessTests';
import { apiAs, startWeb, type WebApp } from '../helpers/web';
import { UNLIMITED_SIGN_IN } from '../inbox/fixtures';
import { planAhead, waitForSession } from '../sessions/helpers';
import type { Browser } from 'playwright-core';

const test = testWithHarness({ flavour: 'dev-server', policy: { appraisalSessions: true } });

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const LANGUAGES = ['zh-CN', 'en'] as const;
const WIDTHS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

let web: WebApp;
let browser: Browser;
/** `form`: fields to fill (by selector) and send, for a page whose content answers a form, such as a look-up. */
const pages: { name: string; user?: string; path: string; form?: Record<string, string> }[] = [];

test.serial.before(async (t) => {
  const h = t.context;
  web = await startWeb(h, { signInLimits: UNLIMITED_SIGN_IN });
  browser = await launchBrowser();

  // A case waiting at the station review, and a session waiting for the center's review of its plan.
  const primary = applicationFor(Level.Primary);
  const application = { ...primary, candidate: { ...primary.candidate, name: '张伟' } };
  const handle = await h.start(application);
  const task = await waitForTask(handle, TaskKind.StationReview);
  const clerk = await apiAs(web.base, 'sun.clerk');
  const { sessionId } = (await clerk.post('/api/sessions', await planAhead(h))).body as { sessionId: string };
  await waitForSession(h, sessionId, 'its plan review', (view) => view.tasks.length > 0);

  // An account with a history to show: added, and its password link issued.
  const admin = await apiAs(web.base, 'admin');
  const added = await admin.post('/api/admin/accounts', {
    username: 'qian.reviewer',
    name: '钱敏',
    organisationId: 'station-a',
    groups: ['station-a:reviewers'],
  });
  if (added.status !== 201) throw new Error(`the account was not added: ${JSON.stringify(added.body)}`);

  const number = application.applicationNumber;
  pages.push(
    { name: 'login', path: '/login' },
    { name: 'verify-form', path: '/verify' },
    { name: 'report-form', path: '/report' },
    { name: 'inbox', user: 'li.station-reviewer', path: '/inbox' },
    { name: 'task', user: 'li.station-reviewer', path: `/tasks/${number}/${task.id}` },
    { name: 'case', user: 'li.station-reviewer', path: `/cases/${number}` },
    { name: 'notifications', user: 'li.station-reviewer', path: '/notifications' },
    { name: 'intake', user: 'sun.clerk', path: '/applications/new' },
    { name: 'sessions', user: 'sun.clerk', path: '/sessions' },
    { name: 'session', user: 'wu.center-reviewer', path: `/sessions/${sessionId}` },
    { name: 'admin-cases', user: 'admin', path: `/admin/cases?applicationNumber=${number}` },
    { name: 'admin-case', user: 'admin', path: `/admin/cases/${number}` },
    { name: 'sla', user: 'admin', path: '/admin/sla' },
    { name: 'status', user: 'admin', path: '/status' },
    { name: 'accounts', user: 'admin', path: '/admin/accounts' },
    { name: 'organisations', user: 'admin', path: '/admin/organisations' },
    { name: 'new-account', user: 'admin', path: '/admin/accounts/new' },
    // Records' pages with their change history: a seeded station's (empty) and a new account's.
    { name: 'organisation', user: 'admin', path: '/admin/organisations/station-a' },
    { name: 'account-details', user: 'admin', path: '/admin/accounts/qian.reviewer/details' },
    { name: 'personal-data', user: 'admin', path: '/admin/personal-data' },
    // Who saw 张伟: the reviewer's task and case pages above.
    {
      name: 'personal-data-found',
      user: 'admin',
      path: '/admin/personal-data',
      form: { '#idNumber': application.candidate.idNumber },
    },
  );
});
test.after.always(async () => {
  await browser?.close();
  await web?.close();
});

/** What the browser refused under the page's Content-Security-Policy, by page, since it opened. */
const breaches = new WeakMap<Page, string[]>();

/**
 * Chromium both logs a refusal to the console and fires `securitypolicyviolation` in the page; the listener is added
 * by the browser before any of the page's own code (and, like the test's other evaluations, is not itself subject to
 * the policy).
 */
async function watchPolicy(page: Page): Promise<void> {
  const seen: string[] = [];
  breaches.set(page, seen);
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) seen.push(message.text());
  });
  await page.exposeFunction('reportPolicyBreach', (text: string) => seen.push(text));
  await page.addInitScript(() => {
    const scope = globalThis as unknown as {
      addEventListener(
        type: string,
        listener: (event: { violatedDirective: string; blockedURI: string }) => void,
      ): void;
      reportPolicyBreach(text: string): void;
    };
    scope.addEventListener('securitypolicyviolation', (event) =>
      scope.reportPolicyBreach(`${event.violatedDirective} refused ${event.blockedURI || 'inline'}`),
    );
  });
}

/** A browser context of the given language and width, signed in as the user (or a visitor). */
async function open(language: string, size: (typeof WIDTHS)[number], user?: string): Promise<Page> {
  const context = await browser.newContext({
    baseURL: web.base,
    locale: language,
    viewport: { width: size.width, height: size.height },
  });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  await watchPolicy(page);
  if (user) {
    await page.goto('/login');
    await page.locator('#username').fill(user);
    await page.locator('#password').fill('qualiflow-demo');
    await page.locator('main form button[type=submit]').click();
    await page.waitForURL((url) => url.pathname === '/inbox');
  }
  return page;
}

interface AxeResult {
  violations: { id: string; impact: string | null; nodes: unknown[] }[];
}

async function axeScan(page: Page): Promise<AxeResult> {
  // Evaluated, not added as an inline <script>, which the pages' policy refuses.
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(options: object): Promise<AxeResult> } }).axe;
    const result = await axe.run({ resultTypes: ['violations'] });
    return { violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map(() => 0) })) };
  });
}

/** How far the page reaches past the window's right edge, in CSS pixels (0 when it fits), and what reaches it. */
const overflow = (page: Page) =>
  page.evaluate(() => {
    interface Box {
      tagName: string;
      id: string;
      className: unknown;
      getBoundingClientRect(): { right: number };
    }
    const doc = (
      globalThis as unknown as {
        document: { documentElement: { scrollWidth: number }; querySelectorAll(s: string): ArrayLike<Box> };
      }
    ).document;
    const width = (globalThis as unknown as { innerWidth: number }).innerWidth;
    const widest = Array.from(doc.querySelectorAll('body *')).reduce<{ right: number; what: string }>(
      (best, element) => {
        const right = element.getBoundingClientRect().right;
        const name = `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${typeof element.className === 'string' && element.className ? `.${element.className.split(' ')[0]}` : ''}`;
        return right > best.right ? { right, what: name } : best;
      },
      { right: 0, what: '' },
    );
    return { past: Math.max(0, doc.documentElement.scrollWidth - width), widest: widest.what };
  });

/** The smallest rendered height of a chart's text on the page, in CSS pixels (Infinity without charts). */
const smallestChartText = (page: Page) =>
  page.evaluate(() => {
    const doc = (
      globalThis as unknown as {
        document: {
          querySelectorAll(
            s: string,
          ): ArrayLike<{ getBoundingClientRect(): { height: number }; textContent: string | null }>;
        };
      }
    ).document;
    const heights = Array.from(doc.querySelectorAll('svg text'))
      .filter((text) => (text.textContent ?? '').trim() !== '')
      .map((text) => text.getBoundingClientRect().height)
      .filter((height) => height > 0);
    return heights.length ? Math.min(...heights) : Number.POSITIVE_INFINITY;
  });

const summary: Record<string, Record<string, number>> = {};

for (const language of LANGUAGES) {
  for (const size of WIDTHS) {
    test.serial(
      `every main page in ${language} at ${size.width} px fits, reads, keeps to its policy, and passes the accessibility scan`,
      async (t) => {
        const problems: string[] = [];
        for (const { name, user, path: where, form } of pages) {
          const page = await open(language, size, user);
          try {
            await page.goto(where);
            if (form) {
              for (const [field, value] of Object.entries(form)) await page.locator(field).fill(value);
              const answered = page.waitForResponse((response) => response.request().method() === 'POST');
              await page.locator('main form button[type=submit]').click();
              await answered;
              await page.waitForLoadState('load');
            }
            t.is(await page.locator('html').getAttribute('lang'), language, `${name}: the page's language`);
            const { past, widest } = await overflow(page);
            if (past > 0) problems.push(`${name}: scrolls sideways by ${past} px (widest: ${widest})`);
            const smallest = await smallestChartText(page);
            if (smallest < 9) problems.push(`${name}: chart text only ${smallest.toFixed(1)} px high`);
            for (const breach of new Set(breaches.get(page))) problems.push(`${name}: policy breach: ${breach}`);
            const { violations } = await axeScan(page);
            const counts: Record<string, number> = {};
            for (const v of violations)
              counts[v.impact ?? 'unknown'] = (counts[v.impact ?? 'unknown'] ?? 0) + v.nodes.length;
            summary[`${language} ${size.name} ${name}`] = counts;
            for (const v of violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')) {
              problems.push(`${name}: ${v.impact} ${v.id} (${v.nodes.length} elements)`);
            }
            await screenshot(page, `every-page-${language}-${size.name}-${name}`);
          } finally {
            await page.context().close();
          }
        }
        t.deepEqual(problems, []);
      },
    );
  }
}

/** Each inbox row's height, and how many lines its application number takes and how far right it reaches. */
const inboxCards = (page: Page) =>
  page.evaluate(() => {
    interface Rect {
      height: number;
      right: number;
    }
    const doc = (
      globalThis as unknown as {
        document: {
          querySelectorAll(s: string): ArrayLike<{ getBoundingClientRect(): Rect; querySelector(s: string): unknown }>;
          createRange(): { selectNodeContents(node: unknown): void; getClientRects(): ArrayLike<Rect> };
        };
      }
    ).document;
    return Array.from(doc.querySelectorAll('#inbox-list tbody tr')).map((row) => {
      // A range over the number's text has one box per line it is laid out on.
      const range = doc.createRange();
      range.selectNodeContents(row.querySelector('td.case'));
      const lines = Array.from(range.getClientRects());
      return {
        height: row.getBoundingClientRect().height,
        numberLines: lines.length,
        numberRight: Math.max(...lines.map((line) => line.right)),
      };
    });
  });

for (const language of LANGUAGES) {
  test.serial(
    `on a phone in ${language} each inbox task is a short card with its application number on one line`,
    async (t) => {
      const page = await open(language, WIDTHS[1], 'li.station-reviewer');
      try {
        await page.goto('/inbox');
        const cards = await inboxCards(page);
        t.true(cards.length > 0, 'the reviewer has a task');
        for (const card of cards) {
          t.is(card.numberLines, 1, 'the application number is not broken');
          t.true(card.numberRight <= WIDTHS[1].width, `the application number ends at ${card.numberRight} px`);
          t.true(card.height < 220, `a card ${card.height} px high`);
        }
        t.is((await overflow(page)).past, 0, 'no sideways scroll');
        // The sort links the hidden header row holds are offered above the cards.
        t.true(await page.locator('nav.sort-by a').first().isVisible());
        await screenshot(page, `inbox-cards-${language}-phone`);
      } finally {
        await page.context().close();
      }
    },
  );
}

test.serial('on a desktop the inbox headers and application numbers keep their words whole', async (t) => {
  const page = await open('zh-CN', WIDTHS[0], 'li.station-reviewer');
  try {
    await page.goto('/inbox');
    t.is((await inboxCards(page))[0]?.numberLines, 1, 'the application number is on one line');
    // A header cell is as tall as its row; its words have one box per line they take, and begin on its first line.
    for (const header of ['选择', '优先级']) {
      const words = page.locator('#inbox-list thead th :is(span, a)', { hasText: header });
      const lines = await words.evaluate((node) => {
        interface Box {
          top: number;
          height: number;
        }
        const element = node as unknown as {
          getClientRects(): ArrayLike<Box>;
          closest(s: string): { getBoundingClientRect(): Box };
        };
        const boxes = Array.from(element.getClientRects());
        const cell = element.closest('th').getBoundingClientRect();
        return { count: boxes.length, onFirstLine: boxes[0]!.top - cell.top < boxes[0]!.height };
      });
      t.deepEqual(lines, { count: 1, onFirstLine: true }, `${header} is on one line`);
    }
    t.false(await page.locator('nav.sort-by').isVisible(), 'the headers themselves sort');
  } finally {
    await page.context().close();
  }
});

test.after.always(() => {
  mkdirSync(path.dirname(SCREENSHOT_DIR), { recursive: true });
  writeFileSync(path.join(SCREENSHOT_DIR, '..', 'axe-summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
});
