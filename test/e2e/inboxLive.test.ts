/**
 * The inbox in a real browser, in Chinese, by keyboard alone: a task that arrives while the page is open is announced
 * without a reload (the page's poll is asked for by the test, through the `inbox:poll` event the script listens to,
 * instead of waiting out its half minute), the reader shows the new list when they choose, with their ticks kept; and
 * the shortcuts move between rows, open a task, and on its page bring the claim and approve buttons into focus, never
 * deciding on a key alone.
 */
import { Level } from '../../domain/levels';
import { translator } from '../../i18n';
import { TaskKind } from '../../workflows/definitions';
import { applicationFor } from '../helpers/applications';
import { accessibilityProblems, isFocused, type Page, screenshot, tabTo, useBrowser } from '../helpers/browser';
import { testWithHarness } from '../helpers/harnessTests';
import { startWeb, type WebApp } from '../helpers/web';
import { intake, listedFor, openTaskOf, people, UNLIMITED_SIGN_IN } from '../inbox/fixtures';

const test = testWithHarness({ flavour: 'dev-server' });
let web: WebApp | undefined;
test.serial.before(async (t) => {
  web = await startWeb(t.context, { signInLimits: UNLIMITED_SIGN_IN });
});
test.after.always(async () => {
  await web?.close();
});
const browser = useBrowser(test, () => web!.base, { locale: 'zh-CN' });
const words = translator('zh-CN');

async function signIn(page: Page, user: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel(words('common:signIn.userName'), { exact: true }).fill(user);
  await page.getByLabel(words('common:signIn.password'), { exact: true }).fill('qualiflow-demo');
  await page.getByRole('button', { name: words('common:signIn.submit'), exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/inbox');
}

/** Presses Shift+Tab until the locator has the focus, as a keyboard user going back up the page would. */
async function backTabTo(page: Page, locator: ReturnType<Page['locator']>, maxPresses = 80): Promise<void> {
  for (let presses = 1; presses <= maxPresses; presses++) {
    await page.keyboard.press('Shift+Tab');
    if (await isFocused(locator)) return;
  }
  throw new Error(`${locator} did not get the focus in ${maxPresses} presses of Shift+Tab`);
}

/** Presses j until the row's link has the focus (from the row the reader is on). */
async function jTo(page: Page, link: ReturnType<Page['locator']>, maxPresses = 50): Promise<void> {
  for (let presses = 0; presses <= maxPresses; presses++) {
    if (await isFocused(link)) return;
    await page.keyboard.press('j');
  }
  throw new Error(`${link} did not get the focus in ${maxPresses} presses of j`);
}

/** The row's link that names the task: where the shortcuts put the focus. */
const taskLink = (page: Page, number: string) => page.locator(`tr[data-task='${number}/station-review-1'] td a`);

test.serial(
  'a new task is announced without a reload, and shown with the ticks kept when the reader asks',
  async (t) => {
    const who = people(web!.base);
    const clerk = await who.api('sun.clerk');
    const reviewer = await who.api('li.station-reviewer');
    const first = await intake(clerk, applicationFor(Level.Primary));
    await listedFor(reviewer, first, 'station-review-1');

    const page = await browser.visitor();
    await signIn(page, 'li.station-reviewer');
    const rows = page.locator('#inbox-list tbody tr');
    const before = await rows.count();
    const menuCount = page.locator("header nav a[href='/inbox'] .count");
    t.is(await menuCount.innerText(), String(before));
    // Something this page holds that a reload would lose.
    await page.evaluate(() => Object.assign(globalThis, { unreloaded: true }));
    // A tick to keep: the first row's box, ticked from the keyboard.
    await tabTo(page, page.getByRole('checkbox', { name: new RegExp(first) }));
    await page.keyboard.press('Space');

    const second = await intake(clerk, applicationFor(Level.Primary));
    await listedFor(reviewer, second, 'station-review-1');
    // The poll the script would send within half a minute, sent now.
    await page.evaluate(() =>
      (globalThis as unknown as { document: EventTarget }).document.dispatchEvent(new Event('inbox:poll')),
    );
    // The polite live region under the heading, which a screen reader reads out when its words change.
    const news = page.locator("[aria-live='polite']").filter({ hasText: words('inbox:live.newTasks', { count: 1 }) });
    await news.waitFor();
    t.is(await menuCount.innerText(), String(before + 1), 'the menu counts the new task');
    t.is(await rows.count(), before, 'the rows stay as they were until the reader asks');
    t.true(await page.evaluate(() => (globalThis as unknown as { unreloaded?: boolean }).unreloaded === true));
    await screenshot(page, 'inbox-live-news-zh');

    const show = news.getByRole('button', { name: words('inbox:live.show') });
    await backTabTo(page, show);
    await page.keyboard.press('Enter');
    await taskLink(page, second).waitFor();
    t.is(await rows.count(), before + 1);
    t.true(await page.getByRole('checkbox', { name: new RegExp(first) }).isChecked(), 'the tick is kept');
    t.true(await isFocused(page.locator('#inbox-list table')), 'the new list has the focus');
    t.true(await news.isHidden(), 'the news is gone once shown');
    t.true(await page.evaluate(() => (globalThis as unknown as { unreloaded?: boolean }).unreloaded === true));
    t.deepEqual(await accessibilityProblems(page), []);
    await page.context().close();
  },
);

test.serial('the shortcuts move between rows and open a task, whose claim and approve wait for Enter', async (t) => {
  const who = people(web!.base);
  const clerk = await who.api('sun.clerk');
  const reviewer = await who.api('li.station-reviewer');
  const number = await intake(clerk, applicationFor(Level.Primary));
  const { id } = await openTaskOf(t.context, number, TaskKind.StationReview);
  await listedFor(reviewer, number, id);

  const page = await browser.visitor();
  await signIn(page, 'li.station-reviewer');
  const links = page.locator('#inbox-list tbody tr td a');
  t.true((await links.count()) >= 2, 'rows to move between');
  await page.keyboard.press('j');
  t.true(await isFocused(links.nth(0)), 'j: the first row');
  await page.keyboard.press('j');
  t.true(await isFocused(links.nth(1)), 'j: the next row');
  await page.keyboard.press('ArrowUp');
  t.true(await isFocused(links.nth(0)), '↑ from a row: the row before');
  await page.keyboard.press('k');
  t.true(await isFocused(links.nth(0)), 'k stops at the first row');

  // Typing in the search box is typing.
  const search = page.getByLabel(words('inbox:filters.search'), { exact: true });
  await tabTo(page, search, 80);
  await page.keyboard.type('jk');
  t.is(await search.inputValue(), 'jk');
  t.true(await isFocused(search));
  await search.fill('');

  // ? shows the list, named in the page's language (from a link: in a field, ? is a character).
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('?');
  const list = page.locator('details#shortcuts');
  t.true(await list.evaluate((details) => (details as unknown as { open: boolean }).open));
  t.true(await isFocused(list.getByText(words('inbox:shortcuts.title'), { exact: true })));

  // c on a row ticks it and goes to the bulk claim, which Enter would press.
  await jTo(page, taskLink(page, number));
  await page.keyboard.press('c');
  t.true(await isFocused(page.getByRole('button', { name: words('inbox:bulk.claim'), exact: true })));
  t.true(await page.getByRole('checkbox', { name: new RegExp(number) }).isChecked());

  await page.keyboard.press('k');
  await jTo(page, taskLink(page, number));
  await page.keyboard.press('o');
  await page.waitForURL((url) => url.pathname === `/tasks/${number}/${id}`);
  await page.keyboard.press('c');
  const claim = page.getByRole('button', { name: words('case:act.claim'), exact: true });
  t.true(await isFocused(claim), 'c: the claim button, not yet pressed');
  await page.keyboard.press('Enter');
  await page.getByRole('status').filter({ hasText: number }).waitFor();

  await page.keyboard.press('a');
  const approve = page.locator("form[action$='/approve'] button[type=submit]");
  t.true(await isFocused(approve), 'a: the approve button, not yet pressed');
  t.is(new URL(page.url()).pathname, `/tasks/${number}/${id}`, 'nothing was decided');
  t.deepEqual(await accessibilityProblems(page), []);
  await screenshot(page, 'task-shortcuts-zh');
  await page.context().close();
});
