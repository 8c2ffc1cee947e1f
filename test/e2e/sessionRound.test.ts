/**
 * An appraisal round in a real browser, on the session's page: the guidance center approves the plan, the station
 * seats its cases, prints the tickets and ticks the check-in list, the examiners type the score sheet (one mistyped score refused and
 * kept in its box), submit and check it, and the station files its report. Everything goes through labelled controls,
 * the station's seating of its cases too. The session page passes the accessibility checks at each step, and
 * screenshots land in test-output/screenshots.
 */
import { SessionStage, SessionTaskKind } from '../../workflows/sessionDefinitions';
import { accessibilityProblems, screenshot, useBrowser } from '../helpers/browser';
import { skipTo } from '../helpers/cases';
import { testWithHarness } from '../helpers/harnessTests';
import { startWeb, type WebApp } from '../helpers/web';
import { UNLIMITED_SIGN_IN } from '../inbox/fixtures';
import { caseAwaitingSeat, plan, planAhead, waitForSession, waitForSessionTask } from '../sessions/helpers';

const test = testWithHarness({ flavour: 'time-skipping', policy: { appraisalSessions: true } });
let web: WebApp | undefined;
test.serial.before(async (t) => {
  web = await startWeb(t.context, { signInLimits: UNLIMITED_SIGN_IN });
});
test.after.always(async () => {
  await web?.close();
});
const people = useBrowser(test, () => web!.base);

test.serial(
  'a round on the session page: plan approved, check-in ticked, sheet typed and checked, report filed',
  async (t) => {
    const h = t.context;
    const planned = await planAhead(h);
    const sessionId = await plan(h, planned);
    const at = `/sessions/${sessionId}`;
    await waitForSessionTask(h, sessionId, SessionTaskKind.PlanReview);

    const center = await people.as('wu.center-reviewer');
    await center.goto('/sessions');
    await center.getByRole('link', { name: sessionId }).click();
    await center.waitForURL((url) => url.pathname === at);
    t.deepEqual(await accessibilityProblems(center), []);
    await center.getByLabel('Comment (a reason is required to return or reject)').fill('Rooms and team in order.');
    await center.getByRole('button', { name: 'Approve the plan' }).click();
    await center.getByRole('status').filter({ hasText: 'approve done' }).waitFor();
    await waitForSession(h, sessionId, 'registration', (v) => v.stage === SessionStage.Registration);

    const clerk = await people.as('sun.clerk');
    await clerk.goto(at);
    const tickets: string[] = [];
    for (let i = 0; i < 2; i++) {
      const { application } = await caseAwaitingSeat(h);
      await clerk.getByLabel('Application number').fill(application.applicationNumber);
      await clerk.getByRole('button', { name: 'Seat the case' }).click();
      const flash = clerk.getByRole('status').filter({ hasText: `Seated case ${application.applicationNumber}` });
      tickets.push(/ticket (\S+)\./.exec(await flash.innerText())![1]);
    }
    t.deepEqual(await accessibilityProblems(clerk), []);
    const download = clerk.waitForEvent('download');
    await clerk.getByRole('link', { name: 'All admission tickets (PDF)' }).click();
    t.is((await download).suggestedFilename(), `admission-tickets-${sessionId}.pdf`);

    await skipTo(h, Date.parse(planned.knowledge.startsAt), 1000);
    await waitForSessionTask(h, sessionId, SessionTaskKind.CheckIn);
    await clerk.goto(at);
    await clerk.getByLabel(`${tickets[0]} present`).check();
    await clerk.getByLabel(`${tickets[1]} present`).check();
    await clerk.getByRole('button', { name: 'Save the marks' }).click();
    await clerk.getByRole('status').filter({ hasText: '2 marks saved' }).waitFor();
    t.deepEqual(await accessibilityProblems(clerk), []);
    await screenshot(clerk, 'session-check-in');
    await clerk.getByRole('button', { name: 'Close the check-in list' }).click();
    await clerk.getByRole('status').filter({ hasText: 'approve done' }).waitFor();

    await skipTo(h, Date.parse(planned.skills.endsAt), 1000);
    await waitForSessionTask(h, sessionId, SessionTaskKind.ScoreEntry);
    const chen = await people.as('chen.examiner');
    await chen.goto(at);
    await chen.getByLabel(`${tickets[0]} knowledge`).fill('8O');
    await chen.getByLabel(`${tickets[0]} skills`).fill('75');
    await chen.getByLabel(`${tickets[1]} knowledge`).fill('90');
    await chen.getByLabel(`${tickets[1]} skills`).fill('88');
    await chen.getByRole('button', { name: 'Save the lines' }).click();
    await chen.getByRole('alert').filter({ hasText: 'knowledge must be a number' }).waitFor();
    t.is(await chen.getByLabel(`${tickets[1]} skills`).inputValue(), '88', 'nothing typed is lost');
    await chen.getByLabel(`${tickets[0]} knowledge`).fill('80');
    await chen.getByRole('button', { name: 'Save the lines' }).click();
    await chen.getByRole('status').filter({ hasText: '2 lines saved' }).waitFor();
    await screenshot(chen, 'session-score-sheet');
    await chen.getByRole('button', { name: 'Submit the sheet for checking' }).click();
    await chen.getByRole('status').filter({ hasText: 'approve done' }).waitFor();

    await waitForSessionTask(h, sessionId, SessionTaskKind.ScoreCheck);
    const ma = await people.as('ma.examiner');
    await ma.goto(at);
    await ma.getByRole('button', { name: 'Approve the sheet' }).click();
    await ma.getByRole('status').filter({ hasText: 'approve done' }).waitFor();

    await waitForSessionTask(h, sessionId, SessionTaskKind.Report);
    await clerk.goto(at);
    await clerk
      .getByLabel("Opinion of the appraisal team's work (required)")
      .fill('The team kept time and marked carefully.');
    await clerk.getByRole('button', { name: 'File the report' }).click();
    await clerk.getByRole('status').filter({ hasText: 'approve done' }).waitFor();
    await waitForSession(h, sessionId, 'held', (v) => v.stage === SessionStage.Held);
    await clerk.reload();
    t.regex(await clerk.getByRole('main').innerText(), /Held \(closed\)/);
    t.deepEqual(await accessibilityProblems(clerk), []);
    await screenshot(clerk, 'session-held');
  },
);
