/**
 * A real browser for the end-to-end tests: Debian's Chromium driven by playwright-core (`npx playwright install`
 * cannot download its own browsers here). One browser per test file, a fresh context (cookies, session) per person,
 * and the checks a person using a screen reader or a keyboard relies on.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { TestFn } from 'ava';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../records/demoProvince';

export type { Page } from 'playwright-core';

export const SCREENSHOT_DIR = path.join(import.meta.dirname, '..', '..', 'test-output', 'screenshots');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
}

export interface People {
  /** A page in a context of its own: someone who has not signed in. */
  visitor(): Promise<Page>;
  /** The page of a signed-in person: one context each, kept for the whole file, so each person signs in once. */
  as(user: string): Promise<Page>;
}

/**
 * Launches the file's browser in `test.before` and closes it in `test.after.always`. `base` is read when a context
 * opens, so the web app may start in a hook of its own.
 */
export function useBrowser<Context>(
  test: TestFn<Context>,
  base: () => string,
  { locale = 'en-GB' }: { locale?: string } = {},
): People {
  let browser: Browser | undefined;
  const signedIn = new Map<string, Promise<Page>>();
  test.before(async () => {
    browser = await launchBrowser();
  });
  test.after.always(async () => {
    await browser?.close();
  });

  const visitor = async () => {
    if (!browser) throw new Error('The browser starts in test.before; open pages inside a test.');
    // The browser's language is what a visitor's pages are in (English unless the test reads Chinese pages).
    const context = await browser.newContext({ baseURL: base(), locale });
    // Every page here answers in well under a second; a locator that waits longer has found a bug.
    context.setDefaultTimeout(10_000);
    return context.newPage();
  };
  return {
    visitor,
    as(user) {
      let page = signedIn.get(user);
      if (!page) {
        page = visitor().then(async (fresh) => {
          await signIn(fresh, user);
          return fresh;
        });
        signedIn.set(user, page);
      }
      return page;
    },
  };
}

/** Signs in through the form, as a person would, and lands in the inbox. */
export async function signIn(page: Page, user: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('User name', { exact: true }).fill(user);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/inbox');
}

/** A full-page PNG kept as test output: test-output/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Reloads the page until the locator shows. For pages read from the task projection, which the worker writes
 * shortly after the workflow moves: a person would press reload too.
 */
export async function reloadUntilVisible(page: Page, locator: Locator, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await locator.first().waitFor({ state: 'visible', timeout: 500 });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`Gave up after ${timeoutMs} ms waiting for ${what} on ${page.url()}`);
      await page.reload();
    }
  }
}

export async function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => element === element.ownerDocument.activeElement);
}

/** Presses Tab until the locator has the focus, as a keyboard user would; fails when it never gets it. */
export async function tabTo(page: Page, locator: Locator, maxPresses = 40): Promise<number> {
  for (let presses = 1; presses <= maxPresses; presses++) {
    await page.keyboard.press('Tab');
    if (await isFocused(locator)) return presses;
  }
  throw new Error(`${locator} did not get the focus in ${maxPresses} presses of Tab on ${page.url()}`);
}

/**
 * What a screen reader user would trip over on the page: a visible form control or button without a name (a
 * `<label>` for it, or aria-label/aria-labelledby; a placeholder is not a label), not exactly one h1, a heading that
 * skips a level, a page without a language or title. An empty list is a pass.
 */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  // Runs in the page, so self-contained; typed by the small shapes below, since the project compiles without DOM types.
  // No named functions inside: tsx keeps function names with a `__name` helper that the page does not have.
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: InPageDocument }).document;
    const problems: string[] = [];

    for (const control of Array.from(doc.querySelectorAll('input, select, textarea, button'))) {
      if (control.getAttribute('type') === 'hidden' || control.getClientRects().length === 0) continue;
      const byLabel = Array.from(control.labels ?? []).some((label) => (label.textContent ?? '').trim() !== '');
      const byAria = (control.getAttribute('aria-label') ?? '').trim() !== '';
      const byReference = (control.getAttribute('aria-labelledby') ?? '')
        .split(/\s+/)
        .some((id) => id !== '' && (doc.getElementById(id)?.textContent ?? '').trim() !== '');
      const byContent = control.tagName === 'BUTTON' && (control.textContent ?? '').trim() !== '';
      if (!byLabel && !byAria && !byReference && !byContent) {
        const name = control.getAttribute('name');
        problems.push(
          `unlabelled ${control.tagName.toLowerCase()}${control.id ? `#${control.id}` : ''}${name ? ` [name=${name}]` : ''}`,
        );
      }
    }

    const levels = Array.from(doc.querySelectorAll('h1, h2, h3, h4, h5, h6')).map((heading) => ({
      level: Number(heading.tagName.slice(1)),
      text: (heading.textContent ?? '').replace(/\s+/g, ' ').trim(),
    }));
    const h1s = levels.filter((heading) => heading.level === 1).length;
    if (h1s !== 1) problems.push(`${h1s} h1 headings instead of one`);
    levels.forEach((heading, i) => {
      const before = i === 0 ? 0 : levels[i - 1].level;
      if (heading.level > before + 1) {
        problems.push(`h${heading.level} "${heading.text}" follows ${before ? `h${before}` : 'the top of the page'}`);
      }
    });
    if (!doc.documentElement.getAttribute('lang')) problems.push('no lang on <html>');
    if (!doc.title.trim()) problems.push('no <title>');
    return problems;
  });
}

/** The little of the DOM that `accessibilityProblems` touches. */
interface InPageElement {
  tagName: string;
  id: string;
  textContent: string | null;
  labels?: ArrayLike<InPageElement> | null;
  getAttribute(name: string): string | null;
  getClientRects(): { length: number };
}

interface InPageDocument {
  title: string;
  documentElement: InPageElement;
  querySelectorAll(selectors: string): ArrayLike<InPageElement>;
  getElementById(id: string): InPageElement | null;
}
