/**
 * A whole appraisal round worked on the session's page, as its people do it in a browser (cookies, CSRF, forms,
 * post-redirect-get): the center approves the plan, the station ticks the check-in list and closes it, the examiners
 * enter, submit and check the score sheet, and the station files its report. A refused form shows its reason and keeps
 * what was typed.
 */
import { Stage } from '../../workflows/definitions';
import { SessionStage, SessionTaskKind } from '../../workflows/sessionDefinitions';
import { skipTo, waitForState } from '../helpers/cases';
import { testWithHarness } from '../helpers/harnessTests';
import { startWeb, visibleText, type WebApp } from '../helpers/web';
import { people, UNLIMITED_SIGN_IN, inputValue } from '../inbox/fixtures';
import { approvedSession, caseAwaitingSeat, plan, planAhead, waitForSession, waitForSessionTask } from './helpers';

const test = testWithHarness({ flavour: 'time-skipping', policy: { appraisalSessions: true } });

let web: WebApp;
test.serial.before(async (t) => {
  web = await startWeb(t.context, { signInLimits: UNLIMITED_SIGN_IN });
});
test.after.always(async () => {
  await web?.close();
});

test.serial(
  'a round worked on the session page: plan, check-in, score sheet with a mistake, check, report',
  async (t) => {
    const h = t.context;
    const who = people(web.base);
    const planned = await planAhead(h);
    const sessionId = await plan(h, planned);
    const at = `/sessions/${sessionId}`;
    const review = await waitForSessionTask(h, sessionId, SessionTaskKind.PlanReview);

    // The center: a return without a reason is refused on the page; an approval goes through.
    const center = await who.browser('wu.center-reviewer');
    t.regex(visibleText((await center.get(at)).html), /Session plan review \(guidance center\).*Approve the plan/);
    const noReason = await center.post(`${at}/tasks/${review.id}/return`, { comment: '' });
    t.is(noReason.location, at);
    t.regex(visibleText(noReason.html), /reason/);
    const approved = await center.post(`${at}/tasks/${review.id}/approve`, { comment: 'In order.' });
    t.is(approved.location, at);
    t.regex(visibleText(approved.html), /Session plan approved\./);
    await waitForSession(h, sessionId, 'registration', (v) => v.stage === SessionStage.Registration);

    // The station seats its cases from the page; a number it does not hold is refused, and stays in the box.
    const clerk = await who.browser('sun.clerk');
    const unknown = await clerk.post(`${at}/seats`, { applicationNumber: 'STATION-A-2026-999999' });
    t.is(unknown.location, at);
    t.regex(visibleText(unknown.html), /Your station has no case STATION-A-2026-999999\./);
    t.is(inputValue(unknown.html, 'applicationNumber'), 'STATION-A-2026-999999');
    const cases = [await caseAwaitingSeat(h), await caseAwaitingSeat(h)];
    const tickets: string[] = [];
    for (const { application, handle } of cases) {
      const seated = await clerk.post(`${at}/seats`, { applicationNumber: application.applicationNumber });
      const ticket = new RegExp(`Seated case ${application.applicationNumber}: Room 101, seat \\d, ticket (\\S+)\\.`);
      tickets.push(ticket.exec(visibleText(seated.html))![1]);
      await waitForState(handle, 'seated', (v) => v.stage === Stage.AdmissionTicket);
    }

    // The station at the door: both came.
    await skipTo(h, Date.parse(planned.knowledge.startsAt), 1000);
    const list = await waitForSessionTask(h, sessionId, SessionTaskKind.CheckIn);
    t.regex(visibleText((await clerk.get(at)).html), /Check-in list/);
    const marked = await clerk.post(`${at}/attendance`, {
      [`mark:${tickets[0]}`]: 'present',
      [`mark:${tickets[1]}`]: 'present',
    });
    t.regex(visibleText(marked.html), /2 marks saved on the check-in list\./);
    await clerk.post(`${at}/tasks/${list.id}/approve`, { comment: '' });

    // The examiners: a mistyped score is refused and stays in its box; the corrected sheet is submitted.
    await skipTo(h, Date.parse(planned.skills.endsAt), 1000);
    const entry = await waitForSessionTask(h, sessionId, SessionTaskKind.ScoreEntry);
    const chen = await who.browser('chen.examiner');
    const mistyped = await chen.post(
      `${at}/scores`,
      {
        [`knowledge:${tickets[0]}`]: '8O',
        [`skills:${tickets[0]}`]: '75',
        [`knowledge:${tickets[1]}`]: '90',
        [`skills:${tickets[1]}`]: '88',
      },
      { follow: false },
    );
    t.is(mistyped.status, 303, 'a refused form is answered with a redirect too');
    t.is(mistyped.location, at);
    const shown = await chen.get(at);
    t.regex(visibleText(shown.html), new RegExp(`ticket ${tickets[0]}: knowledge must be a number`));
    t.is(inputValue(shown.html, `knowledge:${tickets[0]}`), '8O', 'what was typed is still there');
    t.is(inputValue(shown.html, `skills:${tickets[1]}`), '88');
    const reloaded = await chen.get(at);
    t.notRegex(visibleText(reloaded.html), /must be a number/, 'the refusal is shown once');
    t.is(inputValue(reloaded.html, `knowledge:${tickets[0]}`), '', 'nothing was written');
    const saved = await chen.post(`${at}/scores`, {
      [`knowledge:${tickets[0]}`]: '80',
      [`skills:${tickets[0]}`]: '75',
      [`knowledge:${tickets[1]}`]: '90',
      [`skills:${tickets[1]}`]: '88',
    });
    t.regex(visibleText(saved.html), /2 lines saved on the score sheet\./);
    await chen.post(`${at}/tasks/${entry.id}/approve`, { comment: '' });

    const check = await waitForSessionTask(h, sessionId, SessionTaskKind.ScoreCheck);
    const ownCheck = await chen.post(`${at}/tasks/${check.id}/approve`, { comment: '' });
    t.is(ownCheck.location, at);
    t.regex(visibleText(ownCheck.html), /another member of the appraisal team must check it/);
    const ma = await who.browser('ma.examiner');
    await ma.post(`${at}/tasks/${check.id}/approve`, { comment: 'Matches the paper.' });

    // The results go up as a batch; the center takes the second candidate out, keeping what was typed when refused.
    await waitForSession(h, sessionId, 'both in the batch', (v) => v.results?.lines.length === 2);
    const summary = await waitForSessionTask(h, sessionId, SessionTaskKind.ResultSummary);
    const stationReviewer = await who.browser('li.station-reviewer');
    await stationReviewer.post(`${at}/tasks/${summary.id}/approve`, { comment: 'Both passed.' });
    const centerTask = await waitForSessionTask(h, sessionId, SessionTaskKind.ResultCenter);
    const centerReviewer = await who.browser('wu.center-reviewer');
    const unexplained = await centerReviewer.post(`${at}/tasks/${centerTask.id}/approve`, {
      comment: '',
      [`out:${tickets[1]}`]: 'return',
      [`why:${tickets[1]}`]: ' ',
    });
    t.is(unexplained.location, at);
    t.regex(visibleText(unexplained.html), new RegExp(`reason: say why ticket ${tickets[1]} is taken out`));
    t.regex(unexplained.html, new RegExp(`<option value='return' selected>`));
    await centerReviewer.post(`${at}/tasks/${centerTask.id}/approve`, {
      comment: '',
      [`out:${tickets[1]}`]: 'return',
      [`why:${tickets[1]}`]: 'The skills sheet is not signed.',
    });
    const departmentTask = await waitForSessionTask(h, sessionId, SessionTaskKind.ResultDepartment);
    const department = await who.browser('zheng.approver');
    await department.post(`${at}/tasks/${departmentTask.id}/approve`, { comment: '' });
    const released = await waitForSession(h, sessionId, 'released', (v) => !!v.results?.done);
    const number = released.results!.lines.find((line) => line.ticketNumber === tickets[0])!.certificateNumber!;
    const batch = visibleText((await clerk.get(at)).html);
    t.regex(batch, new RegExp(`${tickets[0]} \\S+ approved ${number}`));
    t.regex(
      batch,
      new RegExp(
        `${tickets[1]} \\S+ returned at Session results: approval \\(guidance center\\): The skills sheet is not signed\\.`,
      ),
    );

    // The station's report, and the session is held.
    const report = await waitForSessionTask(h, sessionId, SessionTaskKind.Report);
    const opinion = 'The team kept time and marked carefully.';
    await clerk.post(`${at}/tasks/${report.id}/approve`, { comment: opinion });
    await waitForSession(h, sessionId, 'held', (v) => v.stage === SessionStage.Held);
    const final = visibleText((await clerk.get(at)).html);
    t.regex(final, /Stage Held \(closed\)/);
    t.regex(final, new RegExp(`Opinion of the team ${opinion} \\(孙丽\\)`), 'by name, not id');
    t.regex(final, /Report filed 孙丽/, 'the history says what happened, and who did it');
    t.regex(final, new RegExp(`${tickets[1]} Room 101, seat 2 .* Baker, Level 5 \\(primary\\) present 90 88`));
    await waitForState(cases[1].handle, 'at result approval', (v) => v.stage === Stage.ResultApproval);
  },
);

test.serial('a station cancels a session from its page, with a reason', async (t) => {
  const h = t.context;
  const sessionId = await approvedSession(h);
  const clerk = await people(web.base).browser('zhou.supervisor');
  const at = `/sessions/${sessionId}`;
  t.regex(visibleText((await clerk.get(at)).html), /Cancel the session/);
  const bare = await clerk.post(`${at}/cancel`, { reason: '  ' });
  t.is(bare.location, at);
  t.regex(visibleText(bare.html), /reason/);
  const done = await clerk.post(`${at}/cancel`, { reason: 'The workshop is closed for repairs.' });
  t.regex(visibleText(done.html), /The session is cancelled; its candidates wait for a seat again and are told\./);
  t.regex(visibleText(done.html), /Stage Cancelled \(closed\): The workshop is closed for repairs\./);
  await waitForSession(h, sessionId, 'cancelled', (v) => v.stage === SessionStage.Cancelled);
});

test.serial(
  'a case waiting for a seat is seated in the next session from its own page, by its station only',
  async (t) => {
    const h = t.context;
    const sessionId = await approvedSession(h);
    const { application, handle } = await caseAwaitingSeat(h);
    const at = `/cases/${application.applicationNumber}`;
    const stranger = await people(web.base).browser('he.clerk-b');
    const refused = await stranger.post(`${at}/seat`);
    t.is(refused.status, 404);
    t.regex(visibleText(refused.html), new RegExp(`No case ${application.applicationNumber} that you can see\\.`));

    const clerk = await people(web.base).browser('sun.clerk');
    t.regex(
      visibleText((await clerk.get(at)).html),
      /This case waits for an exam seat\. Seat it in the next session that fits/,
    );
    const seated = await clerk.post(`${at}/seat`);
    t.is(seated.location, at);
    t.regex(
      visibleText(seated.html),
      new RegExp(`Seated in session ${sessionId}: Room 101, seat 1, ticket ${sessionId}-0001\\.`),
    );
    await waitForState(handle, 'seated', (v) => v.stage === Stage.AdmissionTicket);
    t.notRegex(visibleText((await clerk.get(at)).html), /This case waits for an exam seat/);
  },
);
