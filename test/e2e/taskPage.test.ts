/**
 * The task page in a real browser, in Chinese: the case file comes first, with the task and its forms beside it on a
 * wide screen and below it on a narrow one; after claiming, the confirmation has the focus, so a screen reader reads
 * it out; and the page passes the accessibility checks. Screenshots land in test-output/screenshots.
 */
import { Level } from '../../domain/levels';
import { TaskKind } from '../../workflows/definitions';
import { accessibilityProblems, type Page, screenshot, useBrowser } from '../helpers/browser';
import { applicationFor } from '../helpers/applications';
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

/** Where a region of the page is drawn. */
const box = async (page: Page, selector: string) => (await page.locator(selector).boundingBox())!;

test.serial(
  'the case file comes first; the task is beside it on a wide screen and below it on a narrow one',
  async (t) => {
    const who = people(web!.base);
    const number = await intake(await who.api('sun.clerk'), applicationFor(Level.Primary));
    const { id } = await openTaskOf(t.context, number, TaskKind.StationReview);
    await listedFor(await who.api('li.station-reviewer'), number, id);

    const page = await browser.visitor();
    await page.goto('/login');
    await page.getByLabel('用户名', { exact: true }).fill('li.station-reviewer');
    await page.getByLabel('密码', { exact: true }).fill('qualiflow-demo');
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL((url) => url.pathname === '/inbox');

    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(`/tasks/${number}/${id}`);
    await page.getByRole('heading', { level: 1, name: '资格审核（鉴定站）' }).waitFor();
    const file = await box(page, '.task-file');
    const panel = await box(page, '.task-panel');
    t.true(panel.x >= file.x + file.width, 'the task is to the right of the case file');
    t.true(Math.abs(panel.y - file.y) < 5, 'side by side, from the same top');
    t.deepEqual(await accessibilityProblems(page), []);

    await page.getByRole('button', { name: '认领', exact: true }).click();
    const confirmation = page.getByRole('status');
    await confirmation.waitFor();
    t.is(await confirmation.innerText(), `已认领申报 ${number} 的“资格审核（鉴定站）”任务。`);
    t.true(
      await confirmation.evaluate((element) => element === element.ownerDocument.activeElement),
      'the confirmation has the focus',
    );
    await screenshot(page, 'task-page-zh');

    await page.setViewportSize({ width: 600, height: 900 });
    const narrowFile = await box(page, '.task-file');
    const narrowPanel = await box(page, '.task-panel');
    t.true(narrowPanel.y >= narrowFile.y + narrowFile.height, 'the task comes below the case file');
    t.true(narrowPanel.width > 500, 'and takes the width');
    await screenshot(page, 'task-page-zh-narrow');
    await page.context().close();
  },
);
