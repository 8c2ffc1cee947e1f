/**
 * An appraisal round in a real browser, on the session's page: the guidance center approves the plan, the station
 * seats its cases, prints the tickets and ticks the check-in list, the examiners import the score sheet from a CSV file
 * (a file with mistakes previewed row by row and nothing written, then the corrected file confirmed), submit and
 * check it. The results then go up as one batch: the station's reviewer
 * sends it on, the guidance center's reviewer returns one candidate (a take-out without a reason refused and kept) and
 * approves the other, the department approves; the approved candidate's certificate is numbered and printed from its
 * own task, and the station files its report. Everything goes through labelled controls, the station's seating of its
 * cases too. The session page passes the accessibility checks at each step, and screenshots land in
 * test-output/screenshots.
 */
import { TaskKind, TaskStatus } from '../../workflows/definitions';
import { SessionStage, SessionTaskKind } from '../../workflows/sessionDefinitions';
import { accessibilityProblems, reloadUntilVisible, screenshot, useBrowser } from '../helpers/browser';
import { type CaseHandle, skipTo, waitForState } from '../helpers/cases';
import { testWithHarness } from '../helpers/harnessTests';
import { startWeb, type WebApp } from '../helpers/web';
import { UNLIMITED_SIGN_IN } from '../inbox/fixtures';
import { caseAwaitingSeat, plan, planAhead, waitForSession, waitForSessionTask } from '../sessions/helpers';

/** A score sheet as a station keeps it: UTF-8 CSV with the Chinese headers. */
const sheetFile = (rows: string[]) => ({
  name: 'score-sheet.csv',
  mimeType: 'text/csv',
  buffer: Buffer.from(['准考证号,理论知识,操作技能', ...rows].join('\n')),
});

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
  'a round on the session page: plan approved, check-in ticked, sheet imported and checked, the results approved at three levels with one candidate returned, a certificate printed, report filed',
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
    await center.getByRole('status').filter({ hasText: 'Session plan approved.' }).waitFor();
    await waitForSession(h, sessionId, 'registration', (v) => v.stage === SessionStage.Registration);

    const clerk = await people.as('sun.clerk');
    await clerk.goto(at);
    const tickets: string[] = [];
    const cases: { applicationNumber: string; handle: CaseHandle }[] = [];
    for (let i = 0; i < 2; i++) {
      const { application, handle } = await caseAwaitingSeat(h);
      cases.push({ applicationNumber: application.applicationNumber, handle });
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
    await clerk.getByRole('status').filter({ hasText: 'Check-in list closed.' }).waitFor();

    await skipTo(h, Date.parse(planned.skills.endsAt), 1000);
    await waitForSessionTask(h, sessionId, SessionTaskKind.ScoreEntry);
    const chen = await people.as('chen.examiner');
    await chen.goto(at);
    // The team imports the file it kept: a file with mistakes is previewed row by row and nothing is written.
    const file = chen.getByLabel('Score sheet file (CSV or XLSX)');
    await file.setInputFiles(sheetFile([`${tickets[0]},80,75`, `${tickets[1]},90,188`, 'NO-SUCH-TICKET,70,70']));
    await chen.getByRole('button', { name: 'Preview the import' }).click();
    await chen.getByRole('alert').filter({ hasText: '2 of 3 rows cannot go on the sheet' }).waitFor();
    const preview = await chen.getByRole('region', { name: /Preview of score-sheet\.csv/ }).innerText();
    t.regex(
      preview,
      new RegExp(`${tickets[1]}\\s+90\\s+188\\s+ticket ${tickets[1]}: skills must be between 0 and 100`),
    );
    t.regex(preview, new RegExp(`NO-SUCH-TICKET .*holds no seat in session ${sessionId}`));
    t.is(await chen.getByRole('button', { name: /^Import these/ }).count(), 0);
    t.is(await chen.getByLabel(`${tickets[0]} knowledge`).inputValue(), '', 'nothing was written');
    t.deepEqual(await accessibilityProblems(chen), []);

    // The corrected file: every row matched, confirmed, and on the sheet.
    await file.setInputFiles(sheetFile([`${tickets[0]},80,75`, `${tickets[1]},90,88`]));
    await chen.getByRole('button', { name: 'Preview the import' }).click();
    await chen.getByRole('status').filter({ hasText: 'All 2 rows can go on the sheet.' }).waitFor();
    await chen.getByRole('button', { name: 'Import these 2 rows' }).click();
    await chen.getByRole('status').filter({ hasText: '2 lines imported onto the score sheet.' }).waitFor();
    t.is(await chen.getByLabel(`${tickets[1]} skills`).inputValue(), '88');
    await screenshot(chen, 'session-score-sheet');
    await chen.getByRole('button', { name: 'Submit the sheet for checking' }).click();
    await chen.getByRole('status').filter({ hasText: 'Score sheet submitted for checking.' }).waitFor();

    await waitForSessionTask(h, sessionId, SessionTaskKind.ScoreCheck);
    const ma = await people.as('ma.examiner');
    await ma.goto(at);
    await ma.getByRole('button', { name: 'Approve the sheet' }).click();
    await ma.getByRole('status').filter({ hasText: 'Score sheet approved' }).waitFor();

    // Both passed, so both cases join the batch as they reach result approval; the station sums up once both are in.
    await waitForSession(h, sessionId, 'both in the batch', (v) => v.results?.lines.length === 2);
    await waitForSessionTask(h, sessionId, SessionTaskKind.ResultSummary);
    const station = await people.as('li.station-reviewer');
    await station.goto(at);
    const batch = (page: typeof station) => page.getByRole('region', { name: 'Results batch' });
    t.regex(await batch(station).innerText(), /2 of 2 candidates who passed have joined the batch/);
    for (const ticket of tickets) {
      t.regex(await batch(station).getByRole('row').filter({ hasText: ticket }).innerText(), /in the batch/);
    }
    // The station may only reject a single candidate; returning is for the levels above.
    t.deepEqual(await station.getByLabel(`Decision for ticket ${tickets[0]}`).locator('option').allInnerTexts(), [
      'Stays in the batch',
      'Take out: reject',
    ]);
    t.deepEqual(await accessibilityProblems(station), []);
    await station.getByLabel('Summary (optional)').fill('Both candidates passed both parts.');
    await station.getByRole('button', { name: 'Send the results to the guidance center' }).click();
    await station.getByRole('status').filter({ hasText: 'Results sent to the guidance center.' }).waitFor();

    await waitForSessionTask(h, sessionId, SessionTaskKind.ResultCenter);
    await center.goto(at);
    const returnReason = 'The skills sheet of this ticket is not signed.';
    await center
      .getByLabel(`Decision for ticket ${tickets[1]}`)
      .selectOption({ label: 'Take out: return to the level below' });
    await center.getByRole('button', { name: 'Approve and send to the department' }).click();
    await center
      .getByRole('alert')
      .filter({ hasText: `say why ticket ${tickets[1]} is taken out` })
      .waitFor();
    t.is(await center.getByLabel(`Decision for ticket ${tickets[1]}`).inputValue(), 'return', 'the choice is kept');
    t.deepEqual(await accessibilityProblems(center), []);
    await center.getByLabel(`Reason for ticket ${tickets[1]}`).fill(returnReason);
    await screenshot(center, 'session-results-center');
    await center.getByRole('button', { name: 'Approve and send to the department' }).click();
    await center.getByRole('status').filter({ hasText: 'Results approved and sent to the department.' }).waitFor();

    await waitForSessionTask(h, sessionId, SessionTaskKind.ResultDepartment);
    const department = await people.as('zheng.approver');
    await department.goto(at);
    // The returned candidate has left the batch: the department decides on the other one only.
    await department.getByLabel(`Decision for ticket ${tickets[0]}`).waitFor();
    t.is(await department.getByLabel(`Decision for ticket ${tickets[1]}`).count(), 0);
    t.regex(
      await batch(department).getByRole('row').filter({ hasText: tickets[1] }).innerText(),
      new RegExp(`returned at Session results: approval \\(guidance center\\): ${returnReason}`),
    );
    t.deepEqual(await accessibilityProblems(department), []);
    await department.getByRole('button', { name: 'Approve: certificates are numbered in roster order' }).click();
    await department
      .getByRole('status')
      .filter({ hasText: 'Results approved; the certificates are numbered' })
      .waitFor();

    // The number is reserved in the roster's order and shown on the session page; the case gets it with its print task.
    await waitForSession(h, sessionId, 'the batch released', (v) => !!v.results?.done);
    await department.reload();
    const approved = batch(department).getByRole('row').filter({ hasText: tickets[0] });
    t.regex(await approved.innerText(), /approved/);
    const certificateNumber = (await approved.getByRole('cell').nth(3).innerText()).trim();
    t.regex(certificateNumber, /^[YS]\d{21}$/);
    t.regex(
      await batch(department).getByRole('row').filter({ hasText: tickets[1] }).innerText(),
      new RegExp(`returned at Session results: approval \\(guidance center\\): ${returnReason}\\s*$`),
      'the returned candidate has no certificate number',
    );
    const decisions = await batch(department).getByRole('listitem').allInnerTexts();
    t.is(decisions.length, 3);
    t.regex(
      decisions[0],
      /^Session results: summary \(station\): approved by 李伟, .*: Both candidates passed/,
    );
    t.regex(
      decisions[1],
      /^Session results: approval \(guidance center\): approved by 吴华/,
    );
    t.regex(decisions[2], /^Session results: approval \(department\): approved by 郑毅/);
    t.deepEqual(await accessibilityProblems(department), []);
    await screenshot(department, 'session-results');

    const [printed] = cases;
    await waitForState(printed.handle, 'a certificate to print', (v) =>
      v.tasks.some((task) => task.kind === TaskKind.CertificatePrint && task.status === TaskStatus.Open),
    );
    await approved.getByRole('link', { name: printed.applicationNumber }).click();
    await department.waitForURL((url) => url.pathname === `/cases/${printed.applicationNumber}`);
    t.is(await department.getByRole('link', { name: certificateNumber }).count(), 1, 'the case shows its number');
    await department.getByRole('link', { name: 'Certificate printing' }).waitFor();
    // The same task is in the department's inbox (a projection the worker writes a moment later).
    await department.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click();
    const inboxRow = department
      .getByRole('row')
      .filter({ hasText: printed.applicationNumber })
      .getByRole('link', { name: 'Certificate printing' });
    await reloadUntilVisible(
      department,
      inboxRow,
      `"Certificate printing" of ${printed.applicationNumber} in the inbox`,
    );
    await inboxRow.click();
    await department.waitForURL((url) => url.pathname.startsWith(`/tasks/${printed.applicationNumber}/`));
    await department.getByRole('heading', { level: 1, name: 'Certificate printing' }).waitFor();
    await department.getByRole('button', { name: 'Claim', exact: true }).click();
    await department.getByText('claimed by 郑毅').waitFor();
    t.deepEqual(await accessibilityProblems(department), []);
    await department.getByLabel('Comment (optional)', { exact: true }).fill('Printed and sealed.');
    await department.getByRole('button', { name: 'Mark as printed', exact: true }).click();
    await department.waitForURL((url) => url.pathname === '/inbox');
    t.regex(
      await department.getByRole('status').innerText(),
      new RegExp(`Approved .* of case ${printed.applicationNumber}`),
    );
    await department.goto(`/cases/${printed.applicationNumber}`);
    t.is(await department.getByRole('link', { name: 'Certificate printing' }).count(), 0, 'the print task is done');

    // The returned candidate goes up again on their own, starting from the station's summary of their case.
    const [, returned] = cases;
    await waitForState(returned.handle, 'its own summary', (v) =>
      v.tasks.some((task) => task.kind === TaskKind.ResultStationSummary && task.status === TaskStatus.Open),
    );
    await station.goto(`/cases/${returned.applicationNumber}`);
    await station.getByRole('link', { name: 'Result summary (station)' }).waitFor();

    await waitForSessionTask(h, sessionId, SessionTaskKind.Report);
    await clerk.goto(at);
    await clerk
      .getByLabel("Opinion of the appraisal team's work (required)")
      .fill('The team kept time and marked carefully.');
    await clerk.getByRole('button', { name: 'File the report' }).click();
    await clerk.getByRole('status').filter({ hasText: 'Report filed.' }).waitFor();
    await waitForSession(h, sessionId, 'held', (v) => v.stage === SessionStage.Held);
    await clerk.reload();
    t.regex(await clerk.getByRole('main').innerText(), /Held \(closed\)/);
    t.deepEqual(await accessibilityProblems(clerk), []);
    await screenshot(clerk, 'session-held');
  },
);
