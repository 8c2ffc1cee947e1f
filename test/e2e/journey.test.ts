/**
 * One application's whole life in a real browser: the clerk's intake, both reviews, the scores, the three result
 * approvals, printing and hand-over, each done by the person whose job it is through the pages they use, and at the
 * end a stranger checking the certificate. Everything goes through labelled controls, as a person (or a screen
 * reader) finds them; nothing calls the API. Screenshots of the main pages land in test-output/screenshots.
 */
import type { ExecutionContext } from 'ava';
import {
  accessibilityProblems,
  isFocused,
  type Page,
  reloadUntilVisible,
  screenshot,
  tabTo,
  useBrowser,
} from '../helpers/browser';
import { testWithHarness } from '../helpers/harnessTests';
import { startWeb, type WebApp } from '../helpers/web';
import { DEMO_PASSWORD } from '../../records/directory';
import { DEMO_USERS } from '../../runtime/directory';

// The exam-scores task opens as soon as the admission ticket is out (the exam date only sets its deadline), so the
// default policy needs no override here.
const test = testWithHarness({ flavour: 'dev-server' });
let web: WebApp | undefined;
// Serial, so it waits for the harness's own hook (ava starts concurrent hooks together).
test.serial.before(async (t) => {
  web = await startWeb(t.context);
});
test.after.always(async () => {
  await web?.close();
});
const people = useBrowser(test, () => web!.base);

interface Candidate {
  name: string;
  idNumber: string;
}

const WANG_FANG: Candidate = { name: 'Wang Fang', idNumber: '11010519491231002X' };

const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });

/** The clerk's form for a level 5 baker employed in the occupation for three years. */
async function fillApplication(page: Page, candidate: Candidate): Promise<void> {
  await field(page, 'Full name').fill(candidate.name);
  await field(page, 'ID document').selectOption('resident-id');
  await field(page, 'ID number').fill(candidate.idNumber);
  await field(page, 'Occupation').selectOption({ label: 'Baker' });
  await field(page, 'Level').selectOption({ label: 'Level 5 (primary)' });
  await field(page, 'Employed in a post of this occupation').check();
  await field(page, 'Years of continuous work').fill('3');
  await field(page, 'Years in this occupation').fill('3');
  await field(page, 'Copy of the ID document (required)').fill('station-a/register/2026/0412-id.pdf');
  await field(page, 'Photo (required)').fill('station-a/register/2026/0412-photo.jpg');
}

/** Opens the application form from the menu, submits a valid application and returns its number from the case page. */
async function takeInApplication(clerk: Page, candidate: Candidate): Promise<string> {
  await clerk.getByRole('link', { name: 'New application' }).click();
  await clerk.waitForURL((url) => url.pathname === '/applications/new');
  await fillApplication(clerk, candidate);
  await clerk.getByRole('button', { name: 'Submit the application' }).click();
  await clerk.waitForURL((url) => url.pathname.startsWith('/cases/'));
  return decodeURIComponent(new URL(clerk.url()).pathname.slice('/cases/'.length));
}

/** The inbox row of a case's task; reloads until the worker has projected it. */
async function openFromInbox(page: Page, applicationNumber: string, task: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click();
  const link = page.getByRole('row').filter({ hasText: applicationNumber }).getByRole('link', { name: task });
  await reloadUntilVisible(page, link, `"${task}" of ${applicationNumber} in the inbox`);
  await link.click();
  await page.waitForURL((url) => url.pathname.startsWith(`/tasks/${applicationNumber}/`));
  await page.getByRole('heading', { level: 1, name: task }).waitFor();
}

async function claim(page: Page, user: string): Promise<void> {
  await page.getByRole('button', { name: 'Claim', exact: true }).click();
  await page.getByText(`claimed by ${DEMO_USERS[user].name}`).waitFor();
}

/** After a decision the inbox shows at once, without the decided task: the action writes the projection itself. */
async function backInInboxWithout(t: ExecutionContext, page: Page, applicationNumber: string, task: string) {
  await page.waitForURL((url) => url.pathname === '/inbox');
  t.regex(await page.getByRole('status').innerText(), new RegExp(`of case ${applicationNumber}`));
  const rows = page.getByRole('row').filter({ hasText: applicationNumber }).getByRole('link', { name: task });
  t.is(await rows.count(), 0, `${task} of ${applicationNumber} is still listed`);
}

/** Open, claim and approve with a comment: the shape of every review and approval. */
async function approveAs(t: ExecutionContext, user: string, applicationNumber: string, task: string, comment: string) {
  const page = await people.as(user);
  await openFromInbox(page, applicationNumber, task);
  await claim(page, user);
  await field(page, 'Comment (optional)').fill(comment);
  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  await backInInboxWithout(t, page, applicationNumber, task);
}

async function assertAccessible(t: ExecutionContext, page: Page, what: string): Promise<void> {
  t.deepEqual(await accessibilityProblems(page), [], `accessibility of the ${what}`);
}

// First, so that its open task is on the deadlines dashboard the journey photographs at the end.
test.serial('a reviewer signs in and claims a task from the keyboard alone', async (t) => {
  const clerk = await people.as('sun.clerk');
  const applicationNumber = await takeInApplication(clerk, { name: 'Zhang Min', idNumber: '110105198001010016' });

  // Sign in without a mouse: the user name has the focus, Tab moves on, Enter sends the form.
  const reviewer = await people.visitor();
  await reviewer.goto('/login');
  await assertAccessible(t, reviewer, 'sign-in page');
  await screenshot(reviewer, 'login');
  const userName = field(reviewer, 'User name');
  if (!(await isFocused(userName))) await tabTo(reviewer, userName);
  await reviewer.keyboard.type('li.station-reviewer');
  await reviewer.keyboard.press('Tab');
  t.true(await isFocused(field(reviewer, 'Password')));
  await reviewer.keyboard.type(DEMO_PASSWORD);
  await reviewer.keyboard.press('Enter');
  await reviewer.waitForURL((url) => url.pathname === '/inbox');

  const task = reviewer.getByRole('row').filter({ hasText: applicationNumber });
  await reloadUntilVisible(reviewer, task, `${applicationNumber} in the inbox`);

  // On the task page the first Tab reaches the skip link; further presses reach Claim, and Enter claims.
  await task.getByRole('link', { name: 'Qualification review (station)' }).click();
  await reviewer.waitForURL((url) => url.pathname.startsWith(`/tasks/${applicationNumber}/`));
  await reviewer.keyboard.press('Tab');
  t.true(await isFocused(reviewer.getByRole('link', { name: 'Skip to content' })));
  await tabTo(reviewer, reviewer.getByRole('button', { name: 'Claim', exact: true }));
  await reviewer.keyboard.press('Enter');
  await reviewer.getByText('claimed by 李伟').waitFor();
  t.regex(await reviewer.getByRole('status').innerText(), /^Claimed /);

  await reviewer.context().close();
});

test.serial(
  'one application goes from intake to a verified certificate, each step by the person whose job it is',
  async (t) => {
    // Intake. The first try leaves the name out: the error sits at the field, and nothing typed is lost.
    const clerk = await people.as('sun.clerk');
    await clerk.getByRole('link', { name: 'New application' }).click();
    await clerk.waitForURL((url) => url.pathname === '/applications/new');
    await assertAccessible(t, clerk, 'intake form');
    await fillApplication(clerk, { ...WANG_FANG, name: '' });
    await clerk.getByRole('button', { name: 'Submit the application' }).click();
    t.regex(await clerk.getByRole('alert').innerText(), /not saved: see the marked fields/);

    const marked = await clerk
      .locator('[aria-invalid="true"]')
      .evaluateAll((fields) => fields.map((input) => input.id));
    t.deepEqual(marked, ['candidate-name'], 'only the name is marked as wrong');
    const name = field(clerk, 'Full name');
    t.is(await name.getAttribute('aria-invalid'), 'true');
    const nameError = clerk.locator(`[id="${await name.getAttribute('aria-describedby')}"]`);
    t.is(await nameError.innerText(), 'must not be empty');
    // Next to the field: the message follows the input inside the field's own box.
    t.true(await name.evaluate((input, error) => input.nextElementSibling?.id === error, 'candidate-name-error'));
    t.is(await field(clerk, 'ID number').inputValue(), WANG_FANG.idNumber);
    t.is(await field(clerk, 'ID document').inputValue(), 'resident-id');
    t.is(await field(clerk, 'Occupation').inputValue(), 'baker');
    t.is(await field(clerk, 'Level').inputValue(), '5');
    t.true(await field(clerk, 'Employed in a post of this occupation').isChecked());
    t.is(await field(clerk, 'Years of continuous work').inputValue(), '3');
    t.is(await field(clerk, 'Photo (required)').inputValue(), 'station-a/register/2026/0412-photo.jpg');
    await assertAccessible(t, clerk, 'intake form with errors');
    await screenshot(clerk, 'intake-form-with-errors');

    await name.fill(WANG_FANG.name);
    await clerk.getByRole('button', { name: 'Submit the application' }).click();
    await clerk.waitForURL((url) => url.pathname.startsWith('/cases/'));
    const applicationNumber = decodeURIComponent(new URL(clerk.url()).pathname.slice('/cases/'.length));
    t.regex(await clerk.getByRole('status').innerText(), /received\. The candidate is eligible\./);
    await clerk.getByRole('heading', { level: 2, name: 'Eligibility: eligible' }).waitFor();
    const explanation = clerk.getByRole('region', { name: 'Eligibility: eligible' });
    t.regex(await explanation.innerText(), /Judged by rule set .+\n[\s\S]*Met: /);
    await assertAccessible(t, clerk, 'case page');
    await screenshot(clerk, 'case-page');

    // The two qualification reviews.
    const stationReviewer = await people.as('li.station-reviewer');
    const inboxRow = stationReviewer.getByRole('row').filter({ hasText: applicationNumber });
    await reloadUntilVisible(stationReviewer, inboxRow, `${applicationNumber} in the station reviewer's inbox`);
    await assertAccessible(t, stationReviewer, 'inbox');
    await screenshot(stationReviewer, 'inbox');
    await openFromInbox(stationReviewer, applicationNumber, 'Qualification review (station)');
    await claim(stationReviewer, 'li.station-reviewer');
    await assertAccessible(t, stationReviewer, 'task page');
    await screenshot(stationReviewer, 'task-page');
    await field(stationReviewer, 'Comment (optional)').fill('ID document and employment record checked.');
    await stationReviewer.getByRole('button', { name: 'Approve', exact: true }).click();
    await backInInboxWithout(t, stationReviewer, applicationNumber, 'Qualification review (station)');

    await approveAs(t, 'wu.center-reviewer', applicationNumber, 'Qualification review (guidance center)', 'Agreed.');

    // The examiner's marks.
    const examiner = await people.as('chen.examiner');
    await openFromInbox(examiner, applicationNumber, 'Examination scores');
    await claim(examiner, 'chen.examiner');
    await field(examiner, 'Knowledge score (0–100)').fill('82');
    await field(examiner, 'Skills score (0–100)').fill('75');
    await examiner.getByRole('button', { name: 'Record scores', exact: true }).click();
    await backInInboxWithout(t, examiner, applicationNumber, 'Examination scores');

    // Level 5 has no comprehensive review. One person may decide at one level only, so each level is someone else;
    // the same person twice at the same level (the station's reviewer, the center's) is allowed.
    await approveAs(t, 'li.station-reviewer', applicationNumber, 'Result summary (station)', 'Both parts passed.');
    await approveAs(t, 'wu.center-reviewer', applicationNumber, 'Result approval (guidance center)', 'Agreed.');
    await approveAs(t, 'zheng.approver', applicationNumber, 'Result approval (department)', 'Approved for issue.');
    await approveAs(t, 'zheng.approver', applicationNumber, 'Certificate printing', 'Printed and sealed.');
    await approveAs(t, 'sun.clerk', applicationNumber, 'Certificate hand-over', 'Handed to the candidate in person.');

    // The case page has the certificate number; the stage turns to issued once the hand-over is recorded.
    await clerk.goto(`/cases/${applicationNumber}`);
    await reloadUntilVisible(clerk, clerk.getByText('Issued (closed)'), 'the issued case');
    const certificateLink = clerk.getByRole('link', { name: /^[YS]\d{21}$/ });
    const certificateNumber = (await certificateLink.innerText()).trim();
    t.regex(
      await clerk.getByRole('region', { name: 'Decisions so far' }).innerText(),
      /郑毅/,
    );

    // Anyone may check it: the name and ID number come back masked.
    const stranger = await people.visitor();
    await stranger.goto(`/verify/${certificateNumber}`);
    await stranger.getByRole('heading', { level: 1, name: 'Valid certificate' }).waitFor();
    const holder = await stranger.getByRole('row', { name: /Holder/ }).innerText();
    t.regex(holder, /W\*\*/);
    const page = await stranger.locator('main').innerText();
    t.false(page.includes(WANG_FANG.name), 'the full name is shown to the public');
    t.false(page.includes(WANG_FANG.idNumber), 'the full ID number is shown to the public');
    t.regex(page, /110105\*{8}002X/);
    await assertAccessible(t, stranger, 'verification page');
    await screenshot(stranger, 'verification');
    await stranger.context().close();

    // The administrator's history of the case, and the deadlines dashboard.
    const admin = await people.as('admin');
    await admin.goto(`/cases/${applicationNumber}`);
    await admin.getByRole('link', { name: 'History and administration' }).click();
    await admin.waitForURL((url) => url.pathname === `/admin/cases/${applicationNumber}`);
    const timeline = await admin.getByRole('region', { name: 'Timeline' }).innerText();
    // People by their names in the directory, not their user ids.
    for (const name of ['孙丽', '李伟', '吴华', '陈杰', '郑毅']) {
      t.true(timeline.includes(name), `${name} is missing from the timeline`);
    }
    t.false(timeline.includes('li.station-reviewer'), 'a user id is shown in the timeline');
    await assertAccessible(t, admin, 'administrator case history');
    await screenshot(admin, 'admin-case-history');
    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Deadlines' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Deadlines' }).waitFor();
    await assertAccessible(t, admin, 'deadlines dashboard');
    await screenshot(admin, 'sla-dashboard');
  },
);
