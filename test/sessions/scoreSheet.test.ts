/**
 * A session's score sheet on the time-skipping server: it opens when the last part has ended and the check-in list
 * is closed; the appraisal team enters it, one member submits it and another checks it (four eyes); a checked sheet
 * scores each present candidate's case once, and a returned one goes back to entry.
 */
import { sessionHandle, updateSession } from '../../runtime/sessions';
import { type Actor, RefusalType, Stage, TaskKind } from '../../workflows/definitions';
import {
  type ScoreRowsCommand,
  approvePlan,
  enterScores,
  returnPlan,
  SessionStage,
  SessionTaskKind,
} from '../../workflows/sessionDefinitions';
import { actors } from '../helpers/actors';
import { refused, skipTo, waitForState } from '../helpers/cases';
import type { Harness } from '../helpers/harness';
import { testWithHarness } from '../helpers/harnessTests';
import {
  approveBatch,
  checkedInSession,
  examinerB,
  sessionRefused,
  waitForSession,
  waitForSessionTask,
} from './helpers';

const test = testWithHarness({ flavour: 'time-skipping', policy: { appraisalSessions: true } });

const examinerA = actors.stationExaminer;

const enter = (h: Harness, sessionId: string, actor: Actor, rows: ScoreRowsCommand['rows']) =>
  sessionHandle(h.client, sessionId).executeUpdate(enterScores, { args: [{ actor, rows }] });

const decide = (
  h: Harness,
  sessionId: string,
  update: typeof approvePlan,
  taskId: string,
  actor: Actor,
  comment?: string,
) => sessionHandle(h.client, sessionId).executeUpdate(update, { args: [{ taskId, actor, comment }] });

test.serial(
  'a sheet entered by one examiner and checked by another scores each present case once; a return sends it back',
  async (t) => {
    const h = t.context;
    const { planned, sessionId, seated } = await checkedInSession(h, 2);
    const [first, second] = seated;

    // Nothing is taken before the last part has ended, and never case by case: the case has no exam task.
    await refused(
      t,
      enter(h, sessionId, examinerA, [{ ticketNumber: first.ticket, knowledge: 80, skills: 80 }]),
      RefusalType.Conflict,
      /opens once its last part has ended and its check-in list is closed/,
    );
    const sitting = await waitForState(first.handle, 'the exam', (v) => v.stage === Stage.Examination);
    t.false(sitting.tasks.some((task) => task.kind === TaskKind.ExamScores));

    await skipTo(h, Date.parse(planned.skills.endsAt), 1000);
    const entry = await waitForSessionTask(h, sessionId, SessionTaskKind.ScoreEntry);
    t.is(entry.candidateGroup, 'station-a:examiners');
    t.is((await waitForSession(h, sessionId, 'scoring', () => true)).stage, SessionStage.Scoring);
    await enter(h, sessionId, examinerA, [
      { ticketNumber: first.ticket, knowledge: 81, skills: 77.5 },
      { ticketNumber: second.ticket, knowledge: 66 },
    ]);
    await refused(
      t,
      decide(h, sessionId, approvePlan, entry.id, examinerA),
      RefusalType.Conflict,
      new RegExp(`^1 of 2 present candidates lack a score \\(${second.ticket}\\); enter them before submitting`),
    );
    await enter(h, sessionId, examinerB, [{ ticketNumber: second.ticket, skills: 85 }]);
    await decide(h, sessionId, approvePlan, entry.id, examinerA);

    // Four eyes: the examiner who submitted the sheet cannot check it.
    const check = await waitForSessionTask(h, sessionId, SessionTaskKind.ScoreCheck);
    await refused(
      t,
      decide(h, sessionId, approvePlan, check.id, examinerA),
      RefusalType.Forbidden,
      /chen\.examiner submitted this score sheet; another member of the appraisal team must check it/,
    );
    await refused(
      t,
      enter(h, sessionId, examinerB, [{ ticketNumber: second.ticket, skills: 58 }]),
      RefusalType.Conflict,
      /is being checked; it takes changes again only if the checker returns it/,
    );
    await decide(h, sessionId, returnPlan, check.id, examinerB, 'The skills score of the second seat is 58, not 85.');

    // Back to entry: the correction, submitted again, and checked.
    const again = await waitForSessionTask(h, sessionId, SessionTaskKind.ScoreEntry);
    t.not(again.id, entry.id);
    await enter(h, sessionId, examinerA, [{ ticketNumber: second.ticket, skills: 58 }]);
    await decide(h, sessionId, approvePlan, again.id, examinerA);
    const recheck = await waitForSessionTask(h, sessionId, SessionTaskKind.ScoreCheck);
    await decide(h, sessionId, approvePlan, recheck.id, examinerB, 'Matches the paper sheets.');
    await approveBatch(h, sessionId);
    const report = await waitForSessionTask(h, sessionId, SessionTaskKind.Report);
    await refused(
      t,
      enter(h, sessionId, examinerA, [{ ticketNumber: first.ticket, knowledge: 90 }]),
      RefusalType.Closed,
      /was checked by ma\.examiner; its scores have gone to the cases/,
    );
    await decide(h, sessionId, approvePlan, report.id, actors.stationClerk, 'The team marked carefully.');
    const held = await sessionHandle(h.client, sessionId).result();
    t.is(held.stage, SessionStage.Held);
    t.like(held.sheet, { submittedBy: 'chen.examiner', checked: { by: 'ma.examiner' } });
    t.is(held.sheet?.returns[0].reason, 'The skills score of the second seat is 58, not 85.');

    // Each case took its line once, as the submitter's, with the checker named.
    const passed = await waitForState(first.handle, 'scored', (v) => !!v.exam?.scores);
    t.deepEqual(passed.exam?.scores, { knowledge: 81, skills: 77.5 });
    const scored = passed.history.filter((event) => event.type === 'exam-scored');
    t.like(scored, [{ by: 'chen.examiner', comment: `score sheet of session ${sessionId}, checked by ma.examiner` }]);
    const resit = await waitForState(second.handle, 'the re-sit', (v) => v.stage === Stage.Resit);
    t.deepEqual(resit.exam?.scores, { knowledge: 66, skills: 58 });

    await sessionRefused(
      t,
      updateSession(h.client, sessionId, enterScores, {
        actor: examinerA,
        rows: [{ ticketNumber: first.ticket, knowledge: 90 }],
      }),
      { type: RefusalType.Closed, message: /Session .* has ended \(held\); nothing more can be done in it/ },
    );
  },
);

test.serial('bad lines are named one by one, and nothing goes on the sheet', async (t) => {
  const h = t.context;
  const { planned, sessionId, seated } = await checkedInSession(h, 2, [1]);
  const [came, missed] = seated;
  await skipTo(h, Date.parse(planned.skills.endsAt), 1000);
  await waitForSessionTask(h, sessionId, SessionTaskKind.ScoreEntry);

  await refused(
    t,
    enter(h, sessionId, examinerA, [
      { ticketNumber: 'NO-SUCH-TICKET', knowledge: 70, skills: 70 },
      { ticketNumber: missed.ticket, knowledge: 70, skills: 70 },
      { ticketNumber: came.ticket, knowledge: 101, skills: 70 },
      { ticketNumber: came.ticket, knowledge: 70, skills: 70 },
      { ticketNumber: came.ticket } as never,
    ]),
    RefusalType.InvalidInput,
    new RegExp(
      [
        `rows\\[0\\]: ticket NO-SUCH-TICKET holds no seat in session ${sessionId}\\.`,
        `rows\\[1\\]: ticket ${missed.ticket} was marked absent; an absent candidate has no scores\\.`,
        `rows\\[2\\]: ticket ${came.ticket}: knowledge must be between 0 and 100\\.`,
        `rows\\[3\\]: ticket ${came.ticket} is on the sheet twice\\.`,
        `rows\\[4\\]: ticket ${came.ticket} is on the sheet twice\\.`,
      ].join(' '),
    ),
  );
  await refused(
    t,
    enter(h, sessionId, { id: 'lin.examiner', groups: ['station-a:examiners'] }, [
      { ticketNumber: came.ticket, knowledge: 70, skills: 70 },
    ]),
    RefusalType.Forbidden,
    { key: 'refusals:team.enter', values: { sessionId } },
  );
  const view = await waitForSession(h, sessionId, 'the session', () => true);
  t.deepEqual(view.sheet?.rows, {});
  t.false(view.history.some((event) => event.type === 'scores-entered'));
});

test.serial(
  'the team disqualifies a candidate on the sheet, with a reason; the case ends so once the sheet is checked',
  async (t) => {
    const h = t.context;
    const { planned, sessionId, seated } = await checkedInSession(h, 2);
    const [honest, cheat] = seated;
    await skipTo(h, Date.parse(planned.skills.endsAt), 1000);
    const entry = await waitForSessionTask(h, sessionId, SessionTaskKind.ScoreEntry);
    await refused(
      t,
      enter(h, sessionId, examinerA, [{ ticketNumber: cheat.ticket, disqualified: 42 as never }]),
      RefusalType.InvalidInput,
      /disqualified must be the reason, as text/,
    );
    await enter(h, sessionId, examinerA, [
      { ticketNumber: honest.ticket, knowledge: 70, skills: 71 },
      { ticketNumber: cheat.ticket, disqualified: 'Used a phone during the knowledge part.' },
    ]);
    await decide(h, sessionId, approvePlan, entry.id, examinerA);
    const check = await waitForSessionTask(h, sessionId, SessionTaskKind.ScoreCheck);
    await decide(h, sessionId, approvePlan, check.id, examinerB);

    const ended = await waitForState(cheat.handle, 'disqualified', (v) => v.closed);
    t.is(ended.stage, Stage.Disqualified);
    t.like(ended.outcome, { reason: 'Used a phone during the knowledge part.', by: 'chen.examiner' });
    t.like(ended.exam?.disqualified, { reason: 'Used a phone during the knowledge part.', by: 'chen.examiner' });
    t.deepEqual((await waitForState(honest.handle, 'scored', (v) => !!v.exam?.scores)).exam?.scores, {
      knowledge: 70,
      skills: 71,
    });
    await approveBatch(h, sessionId);
    const report = await waitForSession(h, sessionId, 'the report', (v) => v.stage === SessionStage.Reporting);
    t.is(report.sheet?.rows[cheat.ticket].disqualified, 'Used a phone during the knowledge part.');
  },
);
