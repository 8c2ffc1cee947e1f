/**
 * The deadlines page on a phone, in a real browser 390 px wide: the chart's text stays readable (11 px or more, where a
 * wide chart shrunk to the screen would draw it at about 4 px), nothing of it runs past its edge, and the page itself
 * does not scroll sideways. In English, then in Chinese, whose labels are wider.
 */
import { Level } from '../../domain/levels';
import { TaskKind } from '../../workflows/definitions';
import { applicationFor } from '../helpers/applications';
import { type Page, reloadUntilVisible, screenshot, useBrowser } from '../helpers/browser';
import { testWithHarness } from '../helpers/harnessTests';
import { apiAs, startWeb, type WebApp } from '../helpers/web';
import { intake, openTaskOf, UNLIMITED_SIGN_IN } from './fixtures';

const test = testWithHarness({ flavour: 'dev-server' });
let web: WebApp | undefined;
// Serial, so it waits for the harness's own hook (ava starts concurrent hooks together).
test.serial.before(async (t) => {
  web = await startWeb(t.context, { signInLimits: UNLIMITED_SIGN_IN });
  const number = await intake(await apiAs(web.base, 'sun.clerk'), applicationFor(Level.Primary));
  await openTaskOf(t.context, number, TaskKind.StationReview);
});
test.after.always(async () => {
  await web?.close();
});
const people = useBrowser(test, () => web!.base);

/** The little of the DOM the measurement touches; the project compiles without DOM types. */
interface Box {
  width: number;
  right: number;
}
interface InPageElement {
  getBoundingClientRect(): Box;
  querySelectorAll(selectors: string): ArrayLike<InPageElement>;
  viewBox: { baseVal: { width: number } };
}
interface InPage {
  document: { querySelector(selectors: string): InPageElement; documentElement: { scrollWidth: number } };
  getComputedStyle(element: InPageElement): { fontSize: string };
  innerWidth: number;
}

/** The chart's smallest text as drawn on the screen, its right edge and its texts', and the page's width. */
async function measure(page: Page) {
  return page.evaluate(() => {
    const win = globalThis as unknown as InPage;
    const svg = win.document.querySelector('svg.sla-chart');
    const box = svg.getBoundingClientRect();
    const scale = box.width / svg.viewBox.baseVal.width;
    const texts = Array.from(svg.querySelectorAll('text'));
    return {
      smallestText: Math.min(...texts.map((text) => parseFloat(win.getComputedStyle(text).fontSize) * scale)),
      chartRight: box.right,
      textsRight: Math.max(...texts.map((text) => text.getBoundingClientRect().right)),
      viewport: win.innerWidth,
      pageWidth: win.document.documentElement.scrollWidth,
    };
  });
}

test.serial('on a 390 px phone the deadlines chart keeps its text readable, in English and in Chinese', async (t) => {
  const page = await people.as('admin');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/admin/sla');
  await reloadUntilVisible(page, page.locator('svg.sla-chart .sla-row'), 'a bar in the chart');

  const english = await measure(page);
  t.true(english.smallestText >= 11, `the smallest text is ${english.smallestText.toFixed(1)} px`);
  t.true(english.textsRight <= english.chartRight + 1, 'no text runs past the chart');
  t.true(english.chartRight <= english.viewport, `the chart ends at ${english.chartRight} px`);
  t.true(english.pageWidth <= english.viewport, `the page is ${english.pageWidth} px wide`);

  await page.getByRole('button', { name: 'Language: 中文' }).click();
  await page.getByRole('heading', { level: 1, name: '办理时限' }).waitFor();
  const chinese = await measure(page);
  t.true(chinese.smallestText >= 11, `the smallest Chinese text is ${chinese.smallestText.toFixed(1)} px`);
  t.true(chinese.textsRight <= chinese.chartRight + 1, 'no Chinese text runs past the chart');
  t.true(chinese.pageWidth <= chinese.viewport, `the Chinese page is ${chinese.pageWidth} px wide`);
  await screenshot(page, 'sla-dashboard-phone-zh');
});
