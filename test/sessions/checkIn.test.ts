/**
 * The check-in list of an appraisal session on the time-skipping server: it opens with the first part, every seat is
 * marked present or absent before the station closes it, and an absent candidate is seated once more in a later
 * session, then closed as absent.
 */
import { seatCase, sessionHandle } from '../../runtime/sessions';
import { RefusalType, Stage, TaskStatus } from '../../workflows/definitions';
import { approvePlan, SessionStage, SessionTaskKind } from '../../workflows/sessionDefinitions';
import { actors } from '../helpers/actors';
import { candidateNotices, refused, skipTo, waitForNotices, waitForState } from '../helpers/cases';
import { stateOf } from '../helpers/harness';
import { testWithHarness } from '../helpers/harnessTests';
import {
  approvedSession,
  attend,
  closeList,
  examinerB,
  planAhead,
  seatedSession,
  sessionDeps,
  waitForSession,
  waitForSessionTask,
} from './helpers';

const test = testWithHarness({ flavour: 'time-skipping', policy: { appraisalSessions: true } });

test.serial(
  'the check-in list opens with the first part; an absent candidate is seated once more, then closed as absent',
  async (t) => {
    const h = t.context;
    const { planned, sessionId, seated } = await seatedSession(h, 2);
    const [came, missed] = seated;

    await refused(
      t,
      attend(h, sessionId, actors.stationClerk, [{ ticketNumber: came.ticket, present: true }]),
      RefusalType.Conflict,
      /The check-in list of session .* opens when its first part begins, at /,
    );
    await skipTo(h, Date.parse(planned.knowledge.startsAt), 1000);
    const list = await waitForSessionTask(h, sessionId, SessionTaskKind.CheckIn);
    t.is(list.candidateGroup, 'station-a:clerks');

    // An examiner of the team ticks who came; the clerk cannot close the list while a seat is unmarked.
    await attend(h, sessionId, examinerB, [{ ticketNumber: came.ticket, present: true }]);
    await refused(
      t,
      closeList(h, sessionId, list.id),
      RefusalType.Conflict,
      new RegExp(`1 of 2 seats have no mark yet \\(${missed.ticket}\\); mark each present or absent`),
    );
    await attend(h, sessionId, actors.stationClerk, [{ ticketNumber: missed.ticket, present: false }]);
    const closed = await closeList(h, sessionId, list.id);
    t.like(closed.checkIn, { closedBy: 'sun.clerk', present: 1, absent: 1 });
    await refused(
      t,
      attend(h, sessionId, actors.stationClerk, [{ ticketNumber: missed.ticket, present: true }]),
      RefusalType.Closed,
      /The check-in list of session .* was closed at .* by sun\.clerk/,
    );

    // The absent candidate's case waits for a seat again, and the candidate is told.
    const waiting = await waitForState(
      missed.handle,
      'waiting for another seat',
      (v) => v.stage === Stage.AwaitingSeat,
    );
    t.deepEqual(
      waiting.absences?.map((a) => [a.sessionId, a.ticketNumber]),
      [[sessionId, missed.ticket]],
    );
    t.is(waiting.sitting, undefined);
    t.false(waiting.tasks.some((task) => task.status === TaskStatus.Open));
    const notices = await waitForNotices(h, missed.application.applicationNumber, 'the absence notice', (n) =>
      candidateNotices(n).includes('marked-absent'),
    );
    t.regex(notices.find((n) => n.kind === 'marked-absent')!.body, /you will be seated once more in a later session/);
    const present = await stateOf(came.handle);
    t.is(present.stage, Stage.Examination);
    t.is(present.absences, undefined);

    // Once its last part has ended, the session turns to the score sheet of the one who came.
    await skipTo(h, Date.parse(planned.skills.endsAt), 1000);
    const scoring = await waitForSession(h, sessionId, 'the score sheet', (v) => v.stage === SessionStage.Scoring);
    t.is(scoring.sheet && Object.keys(scoring.sheet.rows).length, 0);

    // Absent from a second session as well: the policy allows one more seat, so the case ends.
    const later = await planAhead(h);
    const second = await approvedSession(h, later);
    const again = await seatCase(await sessionDeps(h), {
      actor: actors.stationClerk,
      sessionId: second,
      applicationNumber: missed.application.applicationNumber,
    });
    await waitForState(missed.handle, 'seated again', (v) => v.stage === Stage.AdmissionTicket);
    await skipTo(h, Date.parse(later.knowledge.startsAt), 1000);
    const secondList = await waitForSessionTask(h, second, SessionTaskKind.CheckIn);
    await attend(h, second, actors.stationClerk, [{ ticketNumber: again.ticketNumber, present: false }]);
    await closeList(h, second, secondList.id);
    const ended = await waitForState(missed.handle, 'closed as absent', (v) => v.closed);
    t.is(ended.stage, Stage.Absent);
    t.regex(
      ended.outcome?.reason ?? '',
      new RegExp(`absent from the examination of session ${second} \\(absent 2 times\\)`),
    );
  },
);

test.serial('bad marks are refused, each named, and change nothing', async (t) => {
  const h = t.context;
  const { planned, sessionId, seated } = await seatedSession(h, 1);
  const [{ ticket }] = seated;
  await skipTo(h, Date.parse(planned.knowledge.startsAt), 1000);
  await waitForSessionTask(h, sessionId, SessionTaskKind.CheckIn);

  await refused(
    t,
    attend(h, sessionId, actors.stationClerk, [
      { ticketNumber: 'NO-SUCH-TICKET', present: true },
      { ticketNumber: ticket, present: 'yes' as never },
      { ticketNumber: ticket, present: true },
    ]),
    RefusalType.InvalidInput,
    new RegExp(
      `marks\\[0\\]: ticket NO-SUCH-TICKET holds no seat in session ${sessionId}\\. ` +
        `marks\\[1\\]: present: must be true or false for ticket ${ticket}\\. ` +
        `marks\\[2\\]: ticket ${ticket} is marked twice\\.`,
    ),
  );
  await refused(t, attend(h, sessionId, actors.stationClerk, []), RefusalType.InvalidInput, /marks: list the tickets/);
  await refused(
    t,
    attend(h, sessionId, actors.otherStationClerk, [{ ticketNumber: ticket, present: true }]),
    RefusalType.Forbidden,
    /Only station-a's clerks and supervisors, or session .*'s examiners, may mark its check-in list/,
  );
  // An examiner of the station who is not on this session's team.
  const outsider = { id: 'lin.examiner', groups: ['station-a:examiners'] };
  await refused(
    t,
    attend(h, sessionId, outsider, [{ ticketNumber: ticket, present: true }]),
    RefusalType.Forbidden,
    /may mark its check-in list/,
  );
  const list = await waitForSessionTask(h, sessionId, SessionTaskKind.CheckIn);
  await refused(
    t,
    sessionHandle(h.client, sessionId).executeUpdate(approvePlan, {
      args: [{ taskId: list.id, actor: actors.centerReviewer }],
    }),
    RefusalType.Forbidden,
    /wu\.center-reviewer is not in station-a:clerks/,
  );
  const view = await waitForSession(h, sessionId, 'the session', () => true);
  t.is(view.roster[0].attendance, undefined, 'no mark was written');
  t.false(view.history.some((event) => event.type === 'attendance-marked'));
});
