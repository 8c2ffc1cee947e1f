/**
 * One application's whole life in a real browser: the clerk's intake, both reviews, the scores, the three result
 * approvals, printing and hand-over, each done by the person whose job it is through the pages they use, and at the
 * end a stranger checking the certificate. Everything goes through labelled controls, found by the words the reader
 * sees in that language's message catalogue, as a person (or a screen reader) finds them; nothing calls the API.
 *
 * The journey runs in Chinese and in English, each on a desktop and at a phone's 390 px, each with a candidate and a
 * case of its own. Screenshots of the main pages land in test-output/screenshots, named by language and width.
 */
import type { ExecutionContext } from 'ava';
import type { Browser, BrowserContext } from 'playwright-core';
import type { TFunction } from 'i18next';
import {
  accessibilityProblems,
  isFocused,
  launchBrowser,
  type Page,
  reloadUntilVisible,
  screenshot,
  tabTo,
} from '../helpers/browser';
import { testWithHarness } from '../helpers/harnessTests';
import { startWeb, type WebApp } from '../helpers/web';
import { UNLIMITED_SIGN_IN } from '../inbox/fixtures';
import { Level, levelTitle, levelTitleZh } from '../../domain/levels';
import { findOccupation, occupationName } from '../../domain/occupations';
import { type Language, translator } from '../../i18n';
import { DEMO_PASSWORD } from '../../records/demoProvince';
import { DEMO_USERS } from '../../runtime/directory';

// The exam-scores task opens as soon as the admission ticket is out (the exam date only sets its deadline), so the
// default policy needs no override here.
const test = testWithHarness({ flavour: 'dev-server' });
let web: WebApp | undefined;
let browser: Browser | undefined;
// Serial, so it waits for the harness's own hook (ava starts concurrent hooks together). Eight runs sign in some
// fifty times from one address, more than the sign-in limit lets a real address try.
test.serial.before(async (t) => {
  web = await startWeb(t.context, { signInLimits: UNLIMITED_SIGN_IN });
  browser = await launchBrowser();
});
test.after.always(async () => {
  await browser?.close();
  await web?.close();
});

const WIDTHS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;
type Width = (typeof WIDTHS)[number];

interface Candidate {
  name: string;
  idNumber: string;
  /** What the public verification page shows instead: the surname's first character and two stars. */
  maskedName: string;
  /** The first six and the last four characters. */
  maskedIdNumber: string;
}

/** A run: one language at one width, with the candidates of its two cases (valid, distinct ID numbers). */
interface Run {
  language: Language;
  width: Width;
  keyboardCandidate: Pick<Candidate, 'name' | 'idNumber'>;
  candidate: Candidate;
}

const RUNS: Run[] = [
  {
    language: 'zh-CN',
    width: WIDTHS[0],
    keyboardCandidate: { name: '张敏', idNumber: '110105198001010016' },
    candidate: {
      name: '王芳',
      idNumber: '11010519491231002X',
      maskedName: '王**',
      maskedIdNumber: '110105********002X',
    },
  },
  {
    language: 'zh-CN',
    width: WIDTHS[1],
    keyboardCandidate: { name: '刘洋', idNumber: '31010419900202006X' },
    candidate: {
      name: '欧阳娜娜',
      idNumber: '310104198506150031',
      maskedName: '欧**',
      maskedIdNumber: '310104********0031',
    },
  },
  {
    language: 'en',
    width: WIDTHS[0],
    keyboardCandidate: { name: 'Zhang Min', idNumber: '440305198808080071' },
    candidate: {
      name: 'Wang Fang',
      idNumber: '440305199203080049',
      maskedName: 'W**',
      maskedIdNumber: '440305********0049',
    },
  },
  {
    language: 'en',
    width: WIDTHS[1],
    keyboardCandidate: { name: 'Zhou Jie', idNumber: '320102197505050084' },
    candidate: {
      name: 'Huang Xiaoming',
      idNumber: '320102197809220054',
      maskedName: 'H**',
      maskedIdNumber: '320102********0054',
    },
  },
];

const BAKER = findOccupation('baker')!;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The people of one run: a browser context each, in the run's language and at its width, signed in through the
 * form once and kept for the run; `close` ends them all.
 */
function peopleOf(run: Run, t: TFunction) {
  const contexts: BrowserContext[] = [];
  const signedIn = new Map<string, Promise<Page>>();
  const visitor = async () => {
    if (!browser || !web) throw new Error('The browser and the web app start in test.before.');
    const context = await browser.newContext({
      baseURL: web.base,
      // The browser's language is the page's: nobody here has chosen another.
      locale: run.language,
      viewport: { width: run.width.width, height: run.width.height },
    });
    contexts.push(context);
    // Every page here answers in well under a second; a locator that waits longer has found a bug.
    context.setDefaultTimeout(10_000);
    return context.newPage();
  };
  const signIn = async (page: Page, user: string) => {
    await page.goto('/login');
    await page.getByLabel(t('common:signIn.userName'), { exact: true }).fill(user);
    await page.getByLabel(t('common:signIn.password'), { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: t('common:signIn.submit'), exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/inbox');
    return page;
  };
  return {
    visitor,
    as(user: string): Promise<Page> {
      let page = signedIn.get(user);
      if (!page) {
        page = visitor().then((fresh) => signIn(fresh, user));
        signedIn.set(user, page);
      }
      return page;
    },
    async close() {
      await Promise.all(contexts.map((context) => context.close()));
    },
  };
}

/** The steps a run's people take, in the run's words. */
function journeyOf(t: ExecutionContext, run: Run) {
  const { language, width } = run;
  const words = translator(language);
  const people = peopleOf(run, words);
  const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });
  const task = (kind: string) => words(`labels:task.${kind}`);
  const required = (document: string) =>
    words('intake:documentRequired', { label: words(`labels:document.${document}`) });

  /** The page at this step: the accessibility checks, no sideways scrolling, and a screenshot. */
  async function look(page: Page, what: string, name: string): Promise<void> {
    t.deepEqual(await accessibilityProblems(page), [], `accessibility of the ${what}`);
    const sideways = await page.evaluate(() => {
      const { document, innerWidth } = globalThis as unknown as {
        document: { documentElement: { scrollWidth: number } };
        innerWidth: number;
      };
      return document.documentElement.scrollWidth - innerWidth;
    });
    t.true(sideways <= 0, `the ${what} scrolls sideways by ${sideways} px at ${width.width} px`);
    await screenshot(page, `journey-${language}-${width.name}-${name}`);
  }

  /** The clerk's form for a level 5 baker employed in the occupation for three years. */
  async function fillApplication(page: Page, candidate: Pick<Candidate, 'name' | 'idNumber'>): Promise<void> {
    await field(page, words('intake:fullName')).fill(candidate.name);
    await field(page, words('intake:idType')).selectOption({ label: words('intake:idTypes.resident-id') });
    await field(page, words('intake:idNumber')).fill(candidate.idNumber);
    await field(page, words('intake:occupation')).selectOption({ label: occupationName(BAKER, language) });
    await field(page, words('intake:level')).selectOption({
      label: language === 'zh-CN' ? levelTitleZh(Level.Primary) : levelTitle(Level.Primary),
    });
    await field(page, words('intake:employedInOccupation')).check();
    await field(page, words('intake:continuousWorkYears')).fill('3');
    await field(page, words('intake:yearsInOccupation')).fill('3');
    await field(page, required('id-document')).fill('station-a/register/2026/0412-id.pdf');
    await field(page, required('photo')).fill('station-a/register/2026/0412-photo.jpg');
  }

  const submit = (page: Page) => page.getByRole('button', { name: words('intake:submit'), exact: true }).click();
  const mainMenu = (page: Page) => page.getByRole('navigation', { name: words('common:nav.label') });

  async function openIntakeForm(clerk: Page): Promise<void> {
    await mainMenu(clerk)
      .getByRole('link', { name: words('common:nav.newApplication') })
      .click();
    await clerk.waitForURL((url) => url.pathname === '/applications/new');
  }

  /** Waits for the case page an intake lands on and returns its application number. */
  async function caseNumberOf(clerk: Page): Promise<string> {
    await clerk.waitForURL((url) => url.pathname.startsWith('/cases/'));
    return decodeURIComponent(new URL(clerk.url()).pathname.slice('/cases/'.length));
  }

  /** The inbox row of a case's task; reloads until the worker has projected it. */
  async function openFromInbox(page: Page, applicationNumber: string, label: string): Promise<void> {
    await mainMenu(page)
      .getByRole('link', { name: words('common:nav.inbox') })
      .click();
    const link = page.getByRole('row').filter({ hasText: applicationNumber }).getByRole('link', { name: label });
    await reloadUntilVisible(page, link, `"${label}" of ${applicationNumber} in the inbox`);
    await link.click();
    await page.waitForURL((url) => url.pathname.startsWith(`/tasks/${applicationNumber}/`));
    await page.getByRole('heading', { level: 1, name: label }).waitFor();
  }

  const claimedBy = (user: string) =>
    words('case:task.claimedBy', { status: words('case:status.open'), person: DEMO_USERS[user].name });

  async function claim(page: Page, user: string): Promise<void> {
    await page.getByRole('button', { name: words('case:act.claim'), exact: true }).click();
    await page.getByText(claimedBy(user)).waitFor();
  }

  /** After a decision the inbox shows at once, without the decided task: the action writes the projection itself. */
  async function backInInboxWithout(page: Page, applicationNumber: string, label: string, done: string) {
    await page.waitForURL((url) => url.pathname === '/inbox');
    t.is(
      (await page.getByRole('status').innerText()).trim(),
      words(`case:done.${done}`, { task: label, number: applicationNumber }),
    );
    const rows = page.getByRole('row').filter({ hasText: applicationNumber }).getByRole('link', { name: label });
    t.is(await rows.count(), 0, `${label} of ${applicationNumber} is still listed`);
  }

  const approveButton = (page: Page) =>
    page.getByRole('button', { name: words('case:act.approve.submit.decision'), exact: true });

  /**
   * Open, claim and approve with a comment: the shape of every review and approval. The print and hand-over tasks
   * name their button for what it records, and the hand-over asks who received the certificate.
   */
  async function approveAs(
    user: string,
    applicationNumber: string,
    kind: string,
    comment: string,
    { form = 'decision', receivedBy }: { form?: 'decision' | 'print' | 'handover'; receivedBy?: string } = {},
  ) {
    const page = await people.as(user);
    await openFromInbox(page, applicationNumber, task(kind));
    await claim(page, user);
    await field(page, words('case:act.comment')).fill(comment);
    if (receivedBy) await field(page, words('case:act.receivedBy.label')).fill(receivedBy);
    await page.getByRole('button', { name: words(`case:act.approve.submit.${form}`), exact: true }).click();
    await backInInboxWithout(page, applicationNumber, task(kind), 'approve');
  }

  return {
    words,
    people,
    field,
    task,
    look,
    fillApplication,
    submit,
    mainMenu,
    openIntakeForm,
    caseNumberOf,
    openFromInbox,
    claimedBy,
    claim,
    backInInboxWithout,
    approveButton,
    approveAs,
  };
}

for (const run of RUNS) {
  const { language, width, candidate } = run;
  const where = `in ${language === 'zh-CN' ? 'Chinese' : 'English'} at ${width.name} width`;

  // Before its run's journey, so that its open task is on the deadlines dashboard the journey photographs at the end.
  test.serial(`a reviewer signs in and claims a task from the keyboard alone, ${where}`, async (t) => {
    const j = journeyOf(t, run);
    const { words } = j;
    try {
      const clerk = await j.people.as('sun.clerk');
      await j.openIntakeForm(clerk);
      await j.fillApplication(clerk, run.keyboardCandidate);
      await j.submit(clerk);
      const applicationNumber = await j.caseNumberOf(clerk);

      // Sign in without a mouse: the user name has the focus, Tab moves on, Enter sends the form.
      const reviewer = await j.people.visitor();
      await reviewer.goto('/login');
      await j.look(reviewer, 'sign-in page', 'login');
      const userName = j.field(reviewer, words('common:signIn.userName'));
      if (!(await isFocused(userName))) await tabTo(reviewer, userName);
      await reviewer.keyboard.type('li.station-reviewer');
      await reviewer.keyboard.press('Tab');
      t.true(await isFocused(j.field(reviewer, words('common:signIn.password'))));
      await reviewer.keyboard.type(DEMO_PASSWORD);
      await reviewer.keyboard.press('Enter');
      await reviewer.waitForURL((url) => url.pathname === '/inbox');

      const row = reviewer.getByRole('row').filter({ hasText: applicationNumber });
      await reloadUntilVisible(reviewer, row, `${applicationNumber} in the inbox`);

      // On the task page the first Tab reaches the skip link; further presses reach Claim, and Enter claims.
      const stationReview = j.task('station-review');
      await row.getByRole('link', { name: stationReview }).click();
      await reviewer.waitForURL((url) => url.pathname.startsWith(`/tasks/${applicationNumber}/`));
      await reviewer.keyboard.press('Tab');
      t.true(await isFocused(reviewer.getByRole('link', { name: words('common:skipToContent') })));
      await tabTo(reviewer, reviewer.getByRole('button', { name: words('case:act.claim'), exact: true }));
      await reviewer.keyboard.press('Enter');
      await reviewer.getByText(j.claimedBy('li.station-reviewer')).waitFor();
      t.is(
        (await reviewer.getByRole('status').innerText()).trim(),
        words('case:done.claim', { task: stationReview, number: applicationNumber }),
      );
    } finally {
      await j.people.close();
    }
  });

  test.serial(
    `one application goes from intake to a verified certificate, each step by the person whose job it is, ${where}`,
    async (t) => {
      const j = journeyOf(t, run);
      const { words, field } = j;
      try {
        // Intake. The first try leaves the name out: the error sits at the field, and nothing typed is lost.
        const clerk = await j.people.as('sun.clerk');
        await j.openIntakeForm(clerk);
        await j.look(clerk, 'intake form', 'intake-form');
        await j.fillApplication(clerk, { ...candidate, name: '' });
        await j.submit(clerk);
        t.is((await clerk.getByRole('alert').innerText()).trim(), words('intake:refused'));

        const marked = await clerk
          .locator('[aria-invalid="true"]')
          .evaluateAll((fields) => fields.map((input) => input.id));
        t.deepEqual(marked, ['candidate-name'], 'only the name is marked as wrong');
        const name = field(clerk, words('intake:fullName'));
        t.is(await name.getAttribute('aria-invalid'), 'true');
        const nameError = clerk.locator(`[id="${await name.getAttribute('aria-describedby')}"]`);
        t.is(await nameError.innerText(), words('intake:check.empty'));
        // Next to the field: the message follows the input inside the field's own box.
        t.true(await name.evaluate((input, error) => input.nextElementSibling?.id === error, 'candidate-name-error'));
        t.is(await field(clerk, words('intake:idNumber')).inputValue(), candidate.idNumber);
        t.is(await field(clerk, words('intake:idType')).inputValue(), 'resident-id');
        t.is(await field(clerk, words('intake:occupation')).inputValue(), 'baker');
        t.is(await field(clerk, words('intake:level')).inputValue(), '5');
        t.true(await field(clerk, words('intake:employedInOccupation')).isChecked());
        t.is(await field(clerk, words('intake:continuousWorkYears')).inputValue(), '3');
        t.is(
          await field(clerk, words('intake:documentRequired', { label: words('labels:document.photo') })).inputValue(),
          'station-a/register/2026/0412-photo.jpg',
        );
        await j.look(clerk, 'intake form with errors', 'intake-form-with-errors');

        await name.fill(candidate.name);
        await j.submit(clerk);
        const applicationNumber = await j.caseNumberOf(clerk);
        t.is(
          (await clerk.getByRole('status').innerText()).trim(),
          words('intake:receivedEligible', { number: applicationNumber }),
        );
        const eligible = words('case:eligibility.heading') + words('case:eligibility.eligible');
        await clerk.getByRole('heading', { level: 2, name: eligible }).waitFor();
        const explanation = clerk.getByRole('region', { name: eligible });
        const judgedBy = escape(words('case:eligibility.judgedBy', { version: '\u0000' })).replace('\u0000', '.+');
        const met = escape(words('case:eligibility.met') + words('case:punct.colon'));
        // A line that starts with "Met: " (in Chinese "满足：", which "不满足：" also ends with, so from the line's start).
        t.regex(await explanation.innerText(), new RegExp(`${judgedBy}\\n[\\s\\S]*^${met}`, 'm'));
        await j.look(clerk, 'case page', 'case-page');

        // The two qualification reviews.
        const stationReviewer = await j.people.as('li.station-reviewer');
        const inboxRow = stationReviewer.getByRole('row').filter({ hasText: applicationNumber });
        await reloadUntilVisible(stationReviewer, inboxRow, `${applicationNumber} in the station reviewer's inbox`);
        await j.look(stationReviewer, 'inbox', 'inbox');
        const stationReview = j.task('station-review');
        await j.openFromInbox(stationReviewer, applicationNumber, stationReview);
        await j.claim(stationReviewer, 'li.station-reviewer');
        await j.look(stationReviewer, 'task page', 'task-page');
        await field(stationReviewer, words('case:act.comment')).fill('ID document and employment record checked.');
        await j.approveButton(stationReviewer).click();
        await j.backInInboxWithout(stationReviewer, applicationNumber, stationReview, 'approve');

        await j.approveAs('wu.center-reviewer', applicationNumber, 'center-review', 'Agreed.');

        // The examiner's marks.
        const examiner = await j.people.as('chen.examiner');
        const examScores = j.task('exam-scores');
        await j.openFromInbox(examiner, applicationNumber, examScores);
        await j.claim(examiner, 'chen.examiner');
        await field(examiner, words('case:act.scores.knowledge')).fill('82');
        await field(examiner, words('case:act.scores.skills')).fill('75');
        await examiner.getByRole('button', { name: words('case:act.scores.submit'), exact: true }).click();
        await j.backInInboxWithout(examiner, applicationNumber, examScores, 'scores');

        // Level 5 has no comprehensive review. One person may decide at one level only, so each level is someone
        // else; the same person twice at the same level (the station's reviewer, the center's) is allowed.
        await j.approveAs('li.station-reviewer', applicationNumber, 'result-station-summary', 'Both parts passed.');
        await j.approveAs('wu.center-reviewer', applicationNumber, 'result-center-approval', 'Agreed.');
        await j.approveAs('zheng.approver', applicationNumber, 'result-department-approval', 'Approved for issue.');
        await j.approveAs('zheng.approver', applicationNumber, 'certificate-print', 'Printed and sealed.', {
          form: 'print',
        });
        await j.approveAs(
          'sun.clerk',
          applicationNumber,
          'certificate-handover',
          'Handed to the candidate in person.',
          {
            form: 'handover',
            receivedBy: candidate.name,
          },
        );

        // The case page has the certificate number; the stage turns to issued once the hand-over is recorded.
        await clerk.goto(`/cases/${applicationNumber}`);
        const issued = words('case:file.closed', { stage: words('labels:stage.issued') });
        await reloadUntilVisible(clerk, clerk.getByText(issued), 'the issued case');
        const certificateLink = clerk.getByRole('link', { name: /^[YS]\d{21}$/ });
        const certificateNumber = (await certificateLink.innerText()).trim();
        t.true(
          (await clerk.locator('main').innerText()).includes(words('case:file.receivedBy', { person: candidate.name })),
          'the case file says who received the certificate',
        );
        t.true(
          (await clerk.getByRole('region', { name: words('case:decisions.heading') }).innerText()).includes(
            DEMO_USERS['zheng.approver'].name,
          ),
          'the department approver is missing from the decisions',
        );

        // Anyone may check it: the name and ID number come back masked.
        const stranger = await j.people.visitor();
        await stranger.goto(`/verify/${certificateNumber}`);
        await stranger.getByRole('heading', { level: 1, name: words('verify:headline.valid') }).waitFor();
        const row = (header: string) =>
          stranger
            .getByRole('row')
            .filter({ has: stranger.getByRole('rowheader', { name: header, exact: true }) })
            .getByRole('cell');
        t.is((await row(words('verify:holder')).innerText()).trim(), candidate.maskedName);
        t.is((await row(words('verify:idNumber')).innerText()).trim(), candidate.maskedIdNumber);
        const page = await stranger.locator('main').innerText();
        t.false(page.includes(candidate.name), 'the full name is shown to the public');
        t.false(page.includes(candidate.idNumber), 'the full ID number is shown to the public');
        await j.look(stranger, 'verification page', 'verification');

        // The administrator's history of the case, and the deadlines dashboard.
        const admin = await j.people.as('admin');
        await admin.goto(`/cases/${applicationNumber}`);
        await admin.getByRole('link', { name: words('case:page.history') }).click();
        await admin.waitForURL((url) => url.pathname === `/admin/cases/${applicationNumber}`);
        const timeline = await admin.getByRole('region', { name: words('admin:case.timeline') }).innerText();
        // People by their names in the directory, not their user ids.
        for (const name of ['孙丽', '李伟', '吴华', '陈杰', '郑毅']) {
          t.true(timeline.includes(name), `${name} is missing from the timeline`);
        }
        t.false(timeline.includes('li.station-reviewer'), 'a user id is shown in the timeline');
        await j.look(admin, 'administrator case history', 'admin-case-history');
        await j
          .mainMenu(admin)
          .getByRole('link', { name: words('common:nav.deadlines') })
          .click();
        await admin.getByRole('heading', { level: 1, name: words('admin:sla.title') }).waitFor();
        await j.look(admin, 'deadlines dashboard', 'sla-dashboard');
      } finally {
        await j.people.close();
      }
    },
  );
}
