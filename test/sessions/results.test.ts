/**
 * A session's results go up as one batch on the time-skipping server: the station summarises them, the guidance
 * center and the department approve them, each level free to take single candidates out without holding up the
 * rest. Certificate numbers follow the roster; a case too late for the batch goes up on its own.
 */
import { Level } from '../../domain/levels';
import { seatCase, sessionHandle } from '../../runtime/sessions';
import {
  type Actor,
  type CaseView,
  getState,
  RefusalType,
  Stage,
  TaskKind,
  TaskStatus,
  withdrawApplication,
} from '../../workflows/definitions';
import {
  type ScoreRowsCommand,
  type TakeOut,
  approvePlan,
  enterScores,
  returnPlan,
  SessionStage,
  SessionTaskKind,
} from '../../workflows/sessionDefinitions';
import { actors } from '../helpers/actors';
import { approve, fieldsRefused, refused, skipTo, waitForState } from '../helpers/cases';
import type { Harness } from '../helpers/harness';
import { testWithHarness } from '../helpers/harnessTests';
import { applicationFor } from '../helpers/applications';
import {
  approvedSession,
  attend,
  caseAwaitingSeat,
  checkedInSession,
  closeList,
  examinerB,
  planAhead,
  sessionDeps,
  waitForSession,
  waitForSessionTask,
} from './helpers';

const test = testWithHarness({ flavour: 'time-skipping', policy: { appraisalSessions: true } });

const decide = (
  h: Harness,
  sessionId: string,
  update: typeof approvePlan,
  taskId: string,
  actor: Actor,
  details: { comment?: string; takeOut?: TakeOut[] } = {},
) => sessionHandle(h.client, sessionId).executeUpdate(update, { args: [{ taskId, actor, ...details }] });

/** Scores the sheet (entered by one examiner, checked by another) once the last part has ended. */
async function scoreSheet(h: Harness, sessionId: string, skillsEndAt: string, rows: ScoreRowsCommand['rows']) {
  await skipTo(h, Date.parse(skillsEndAt), 1000);
  const entry = await waitForSessionTask(h, sessionId, SessionTaskKind.ScoreEntry);
  await sessionHandle(h.client, sessionId).executeUpdate(enterScores, {
    args: [{ actor: actors.stationExaminer, rows }],
  });
  await decide(h, sessionId, approvePlan, entry.id, actors.stationExaminer);
  const check = await waitForSessionTask(h, sessionId, SessionTaskKind.ScoreCheck);
  await decide(h, sessionId, approvePlan, check.id, examinerB);
}

const certificateOf = (view: CaseView) => view.certificate?.number ?? '';

test.serial(
  'a batch goes up three levels: one candidate rejected at the station, one returned by the center, the rest issued in roster order',
  async (t) => {
    const h = t.context;
    const { planned, sessionId, seated } = await checkedInSession(h, 4);
    const [first, returned, rejected, resitter] = seated;
    await scoreSheet(h, sessionId, planned.skills.endsAt, [
      { ticketNumber: first.ticket, knowledge: 80, skills: 81 },
      { ticketNumber: returned.ticket, knowledge: 70, skills: 72 },
      { ticketNumber: rejected.ticket, knowledge: 90, skills: 91 },
      { ticketNumber: resitter.ticket, knowledge: 75, skills: 40 },
    ]);

    // The three who passed join the batch as their cases reach result approval; none opens a task of its own.
    const summary = await waitForSessionTask(h, sessionId, SessionTaskKind.ResultSummary);
    t.is(summary.candidateGroup, 'station-a:reviewers');
    const joined = await waitForSession(h, sessionId, 'three in the batch', (v) => v.results?.lines.length === 3);
    t.is(joined.stage, SessionStage.Results);
    t.is(joined.results?.expected, 3);
    const waiting = await waitForState(first.handle, 'result approval', (v) => v.stage === Stage.ResultApproval);
    t.false(waiting.tasks.some((task) => task.status === TaskStatus.Open));
    await waitForState(resitter.handle, 'the re-sit', (v) => v.stage === Stage.Resit);

    // The station may take a candidate out only by rejecting them, and must say why.
    await fieldsRefused(
      t,
      decide(h, sessionId, approvePlan, summary.id, actors.doubleHatted, {
        takeOut: [
          { ticketNumber: rejected.ticket, decision: 'return', reason: 'Check again.' },
          { ticketNumber: first.ticket, decision: 'reject', reason: ' ' },
          { ticketNumber: 'NO-SUCH-TICKET', decision: 'reject', reason: 'Unknown.' },
        ],
      }),
      {
        'takeOut[0]': {
          key: 'refusals:results.summaryRejectsOnly',
          values: { ticket: rejected.ticket, given: 'return' },
        },
        'takeOut[1]': { key: 'refusals:results.takeOutReason', values: { ticket: first.ticket } },
        'takeOut[2]': { key: 'refusals:results.notInBatch', values: { ticket: 'NO-SUCH-TICKET', sessionId } },
      },
    );
    await decide(h, sessionId, approvePlan, summary.id, actors.doubleHatted, {
      comment: 'Results of the round, summarised.',
      takeOut: [
        { ticketNumber: rejected.ticket, decision: 'reject', reason: 'The ID copy on file is not the candidate’s.' },
      ],
    });
    const closed = await waitForState(rejected.handle, 'rejected', (v) => v.closed);
    t.is(closed.stage, Stage.Rejected);
    t.like(closed.outcome, { reason: 'The ID copy on file is not the candidate’s.', by: 'ma.double' });

    // Four eyes across levels: whoever summarised at the station may not approve for the center.
    const center = await waitForSessionTask(h, sessionId, SessionTaskKind.ResultCenter);
    t.is(center.candidateGroup, 'center-1:reviewers');
    await refused(t, decide(h, sessionId, approvePlan, center.id, actors.doubleHatted), RefusalType.Forbidden, {
      key: 'refusals:results.fourEyes',
      values: { actor: 'ma.double', sessionId },
    });
    await decide(h, sessionId, approvePlan, center.id, actors.centerReviewer, {
      takeOut: [{ ticketNumber: returned.ticket, decision: 'return', reason: 'The skills sheet is illegible.' }],
    });

    // Returned alone, the case is decided again at the station, on its own; the batch goes on without it.
    const alone = await waitForState(returned.handle, 'its own summary', (v) =>
      v.tasks.some((task) => task.kind === TaskKind.ResultStationSummary && task.status === TaskStatus.Open),
    );
    const decided = alone.tasks.filter((task) => task.status === TaskStatus.Done).map((task) => task.outcome);
    t.like(decided.slice(-2), [
      { decision: 'approve', by: 'ma.double', comment: 'Results of the round, summarised.' },
      { decision: 'return', by: 'wu.center-reviewer', comment: 'The skills sheet is illegible.' },
    ]);

    const department = await waitForSessionTask(h, sessionId, SessionTaskKind.ResultDepartment);
    t.is(department.candidateGroup, 'department-1:approvers');
    await decide(h, sessionId, approvePlan, department.id, actors.departmentApprover);
    const issued = await waitForState(first.handle, 'a printable certificate', (v) =>
      v.tasks.some((task) => task.kind === TaskKind.CertificatePrint && task.status === TaskStatus.Open),
    );
    t.like(
      issued.history.filter((event) => event.type === 'task-approve').map(({ by, comment }) => ({ by, comment })),
      [
        { by: 'li.station-reviewer' },
        { by: 'wu.center-reviewer' },
        { by: 'ma.double', comment: `results batch of session ${sessionId}: Results of the round, summarised.` },
        { by: 'wu.center-reviewer', comment: `results batch of session ${sessionId}` },
        { by: 'zheng.approver', comment: `results batch of session ${sessionId}` },
      ],
    );

    // The returned case goes up alone and is numbered after the batch.
    await approve(returned.handle, TaskKind.ResultStationSummary, actors.stationReviewer);
    await approve(returned.handle, TaskKind.ResultCenterApproval, actors.centerReviewer);
    await approve(returned.handle, TaskKind.ResultDepartmentApproval, actors.departmentApprover);
    const later = await waitForState(returned.handle, 'numbered', (v) => !!v.certificate?.number);
    t.true(certificateOf(issued) < certificateOf(later), `${certificateOf(issued)} before ${certificateOf(later)}`);
    // The one who failed a part waits to re-sit it in a later session (resits.test.ts), outside this batch.
    t.is((await waitForState(resitter.handle, 'the re-sit', (v) => v.stage === Stage.Resit)).sitting, undefined);

    const report = await waitForSessionTask(h, sessionId, SessionTaskKind.Report);
    await decide(h, sessionId, approvePlan, report.id, actors.stationClerk, { comment: 'A careful round.' });
    const held = await sessionHandle(h.client, sessionId).result();
    t.is(held.stage, SessionStage.Held);
    t.like(held.results, { expected: 3, summarised: true, done: true, late: [] });
    t.deepEqual(
      held.results?.lines
        .map((line) => [line.ticketNumber, line.takenOut?.decision, !!line.certificateNumber])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      [
        [first.ticket, undefined, true],
        [returned.ticket, 'return', false],
        [rejected.ticket, 'reject', false],
      ],
    );
  },
);

test.serial(
  'a case withdrawn leaves the batch; the center returns the rest; the station summarises them again and they go on',
  async (t) => {
    const h = t.context;
    const { planned, sessionId, seated } = await checkedInSession(h, 3);
    const withdrawn = seated.pop()!;
    await scoreSheet(
      h,
      sessionId,
      planned.skills.endsAt,
      [...seated, withdrawn].map(({ ticket }) => ({ ticketNumber: ticket, knowledge: 66, skills: 77 })),
    );
    await waitForSession(h, sessionId, 'all three in the batch', (v) => v.results?.lines.length === 3);
    await withdrawn.handle.executeUpdate(withdrawApplication, {
      args: [{ actor: actors.stationClerk, reason: 'The candidate moved away.' }],
    });
    const left = await waitForSession(h, sessionId, 'one left', (v) => !!v.results?.lines.some((line) => line.left));
    t.like(left.results?.lines.find((line) => line.ticketNumber === withdrawn.ticket)?.left, {
      reason: 'the case was closed (withdrawn)',
    });
    const summary = await waitForSessionTask(h, sessionId, SessionTaskKind.ResultSummary);
    await refused(
      t,
      decide(h, sessionId, returnPlan, summary.id, actors.stationReviewer, { comment: 'Why?' }),
      RefusalType.InvalidInput,
      /is the first level of the results; there is no level below to return them to/,
    );
    await decide(h, sessionId, approvePlan, summary.id, actors.stationReviewer);
    const center = await waitForSessionTask(h, sessionId, SessionTaskKind.ResultCenter);
    await refused(
      t,
      decide(h, sessionId, returnPlan, center.id, actors.centerReviewer),
      RefusalType.InvalidInput,
      /reason: a reason is required/,
    );
    await decide(h, sessionId, returnPlan, center.id, actors.centerReviewer, { comment: 'Attach the signed sheets.' });
    const again = await waitForSessionTask(h, sessionId, SessionTaskKind.ResultSummary);
    t.not(again.id, summary.id);
    await decide(h, sessionId, approvePlan, again.id, actors.stationReviewer, { comment: 'Signed sheets attached.' });
    await decide(
      h,
      sessionId,
      approvePlan,
      (await waitForSessionTask(h, sessionId, SessionTaskKind.ResultCenter)).id,
      actors.centerReviewer,
    );
    await decide(
      h,
      sessionId,
      approvePlan,
      (await waitForSessionTask(h, sessionId, SessionTaskKind.ResultDepartment)).id,
      actors.departmentApprover,
    );
    const numbered = await Promise.all(
      seated.map(({ handle }) => waitForState(handle, 'numbered', (v) => !!v.certificate?.number)),
    );
    t.true(certificateOf(numbered[0]) < certificateOf(numbered[1]));
    t.is((await withdrawn.handle.query(getState)).certificate, undefined);
    const decisions = await waitForSession(h, sessionId, 'released', (v) => !!v.results?.done);
    t.deepEqual(
      decisions.results?.decisions.map((d) => `${d.kind} ${d.decision} ${d.by}`),
      [
        'result-station-summary approve li.station-reviewer',
        'result-center-approval return wu.center-reviewer',
        'result-station-summary approve li.station-reviewer',
        'result-center-approval approve wu.center-reviewer',
        'result-department-approval approve zheng.approver',
      ],
    );
  },
);

test.serial('a case that reaches result approval after the station’s summary goes up on its own', async (t) => {
  const h = t.context;
  const planned = await planAhead(h, {
    seats: 3,
    overrides: {
      qualifications: [
        { occupation: 'baker', level: Level.Primary },
        { occupation: 'baker', level: Level.Technician },
      ],
    },
  });
  const sessionId = await approvedSession(h, planned);
  const prompt = await caseAwaitingSeat(h);
  // A technician's case passes a comprehensive review of its technical work before its results go up.
  const reviewed = await h.start(applicationFor(Level.Technician));
  await approve(reviewed, TaskKind.StationReview, actors.stationReviewer);
  await approve(reviewed, TaskKind.CenterReview, actors.centerReviewer);
  await waitForState(reviewed, 'waiting for a seat', (v) => v.stage === Stage.AwaitingSeat);
  const tickets = [];
  for (const applicationNumber of [
    prompt.application.applicationNumber,
    (await reviewed.query(getState)).applicationNumber,
  ]) {
    const entry = await seatCase(await sessionDeps(h), { actor: actors.stationClerk, sessionId, applicationNumber });
    tickets.push(entry.ticketNumber);
  }
  await skipTo(h, Date.parse(planned.knowledge.startsAt), 1000);
  const list = await waitForSessionTask(h, sessionId, SessionTaskKind.CheckIn);
  await attend(
    h,
    sessionId,
    actors.stationClerk,
    tickets.map((ticketNumber) => ({ ticketNumber, present: true })),
  );
  await closeList(h, sessionId, list.id);
  await scoreSheet(
    h,
    sessionId,
    planned.skills.endsAt,
    tickets.map((ticketNumber) => ({ ticketNumber, knowledge: 88, skills: 90 })),
  );

  // The station summarises the one that is ready; the technician's review is still open.
  await waitForSession(h, sessionId, 'one in the batch', (v) => v.results?.lines.length === 1);
  const summary = await waitForSessionTask(h, sessionId, SessionTaskKind.ResultSummary);
  await decide(h, sessionId, approvePlan, summary.id, actors.stationReviewer);
  await approve(reviewed, TaskKind.ComprehensiveReview, actors.stationExaminer);
  const alone = await waitForState(reviewed, 'its own summary', (v) =>
    v.tasks.some((task) => task.kind === TaskKind.ResultStationSummary && task.status === TaskStatus.Open),
  );
  t.is(alone.stage, Stage.ResultApproval);
  const session = await waitForSession(h, sessionId, 'the late case', (v) => v.results?.late.length === 1);
  t.deepEqual(session.results?.late, [alone.applicationNumber]);
  t.is(session.results?.expected, 2);
  t.deepEqual(
    session.results?.lines.map((line) => line.applicationNumber),
    [prompt.application.applicationNumber],
  );
});
