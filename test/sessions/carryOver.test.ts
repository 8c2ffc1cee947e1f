/**
 * A session carries itself over (continue-as-new) at any step, not only while seating: with its history limit set
 * low, a small round crosses runs in its score sheet, its results batch and its report, and each run picks up the
 * open task where the last one left it. The round ends as it would in one run.
 *
 * On the dev server, with the session's parts seconds away on the wall clock: the time-skipping server stops moving
 * its clock for a workflow once it has continued as new.
 */
import { sessionHandle, sessionState, updateSession } from '../../runtime/sessions';
import { Stage, TaskKind, TaskStatus } from '../../workflows/definitions';
import {
  type SessionView,
  approvePlan,
  claimSessionTask,
  enterScores,
  releaseSessionTask,
  returnPlan,
  SessionStage,
  SessionTaskKind,
} from '../../workflows/sessionDefinitions';
import { actors } from '../helpers/actors';
import { waitForState } from '../helpers/cases';
import type { Harness } from '../helpers/harness';
import { testWithHarness } from '../helpers/harnessTests';
import {
  attend,
  closeList,
  examinerB,
  sessionSecondsAway,
  untilWallClock,
  waitForSession,
  waitForSessionTask,
} from './helpers';

/** Far below the 4,000 of a real session, so a round of three crosses runs at every step. */
const LIMIT = 60;

const test = testWithHarness({
  flavour: 'dev-server',
  policy: { appraisalSessions: true, sessionHistoryLimit: LIMIT },
});

/** An approved session whose parts are seconds away, three cases seated in it, all present at the check-in. */
async function checkedInSecondsAway(h: Harness) {
  const { planned, sessionId, cases, tickets } = await sessionSecondsAway(h, 3, 30);
  const seated = cases.map(({ handle }, index) => ({ handle, ticket: tickets[index] }));
  await untilWallClock(planned.knowledge.startsAt);
  const list = await waitForSessionTask(h, sessionId, SessionTaskKind.CheckIn);
  await attend(
    h,
    sessionId,
    actors.stationClerk,
    seated.map(({ ticket }) => ({ ticketNumber: ticket, present: true })),
  );
  await closeList(h, sessionId, list.id);
  return { planned, sessionId, seated };
}

/** The stage the session was in each time it carried itself over. */
const carriedIn = (view: SessionView): string[] => {
  let stage = '';
  const stages: string[] = [];
  for (const event of view.history) {
    if (event.type.startsWith('stage:')) stage = event.type.slice('stage:'.length);
    if (event.type === 'session-carried-over') stages.push(stage);
  }
  return stages;
};

test.serial('a round crosses runs at every step after the exam and ends as it would in one', async (t) => {
  const h = t.context;
  const { planned, sessionId, seated } = await checkedInSecondsAway(h);
  const session = sessionHandle(h.client, sessionId);
  const decide = async (
    update: typeof approvePlan,
    kind: SessionTaskKind,
    actor = actors.stationExaminer,
    comment?: string,
  ) => {
    const task = await waitForSessionTask(h, sessionId, kind);
    await updateSession(h.client, sessionId, update, { taskId: task.id, actor, comment });
  };

  /** A task claimed and released a few times, as colleagues pass it between them: each is an update in history. */
  const passAround = async (kind: SessionTaskKind, actor: typeof actors.stationClerk) => {
    for (let i = 0; i < 8; i++) {
      const task = await waitForSessionTask(h, sessionId, kind);
      await updateSession(h.client, sessionId, claimSessionTask, { taskId: task.id, actor });
      await updateSession(h.client, sessionId, releaseSessionTask, { taskId: task.id, actor });
    }
  };

  await untilWallClock(planned.skills.endsAt);
  await waitForSessionTask(h, sessionId, SessionTaskKind.ScoreEntry);
  // Line by line, as a team types a sheet: each line is an update, and the history grows past the limit.
  for (const { ticket } of seated) {
    for (const line of [{ knowledge: 70 }, { skills: 80 }]) {
      await updateSession(h.client, sessionId, enterScores, {
        actor: actors.stationExaminer,
        rows: [{ ticketNumber: ticket, ...line }],
      });
    }
  }
  await decide(approvePlan, SessionTaskKind.ScoreEntry);
  await decide(returnPlan, SessionTaskKind.ScoreCheck, examinerB, 'Initial each line.');
  await decide(approvePlan, SessionTaskKind.ScoreEntry);
  await decide(approvePlan, SessionTaskKind.ScoreCheck, examinerB);

  await waitForSession(h, sessionId, 'all three in the batch', (v) => v.results?.lines.length === 3);
  await decide(approvePlan, SessionTaskKind.ResultSummary, actors.stationReviewer);
  await decide(returnPlan, SessionTaskKind.ResultCenter, actors.centerReviewer, 'Attach the signed sheets.');
  await decide(approvePlan, SessionTaskKind.ResultSummary, actors.stationReviewer);
  await decide(approvePlan, SessionTaskKind.ResultCenter, actors.centerReviewer);
  await passAround(SessionTaskKind.ResultDepartment, actors.departmentApprover);
  await decide(approvePlan, SessionTaskKind.ResultDepartment, actors.departmentApprover);
  const numbered = await Promise.all(
    seated.map(({ handle }) =>
      waitForState(handle, 'a printable certificate', (v) =>
        v.tasks.some((task) => task.kind === TaskKind.CertificatePrint && task.status === TaskStatus.Open),
      ),
    ),
  );
  t.true(numbered.every((view) => view.stage === Stage.Issuance));
  const numbers = numbered.map((view) => view.certificate!.number);
  t.deepEqual([...numbers].sort(), numbers, 'numbered in the order of the roster');

  // The clerks pass the report between them (claimed, released) before one files it.
  await passAround(SessionTaskKind.Report, actors.stationClerk);
  await decide(approvePlan, SessionTaskKind.Report, actors.stationClerk, 'Carried well.');
  const held = await session.result();
  t.is(held.stage, SessionStage.Held);
  t.like(held.sheet, { submittedBy: 'chen.examiner', checked: { by: 'ma.examiner' } });
  t.deepEqual(
    seated.map(({ ticket }) => held.results?.lines.find((line) => line.ticketNumber === ticket)?.certificateNumber),
    numbers,
    'each case took the number the batch reserved for it',
  );
  // One task per step at a time, whichever run it was opened in.
  const kinds = held.tasks.map((task) => task.kind);
  t.deepEqual(
    kinds.filter((kind) => kind.startsWith('session-score') || kind.startsWith('session-result')),
    [
      SessionTaskKind.ScoreEntry,
      SessionTaskKind.ScoreCheck,
      SessionTaskKind.ScoreEntry,
      SessionTaskKind.ScoreCheck,
      SessionTaskKind.ResultSummary,
      SessionTaskKind.ResultCenter,
      SessionTaskKind.ResultSummary,
      SessionTaskKind.ResultCenter,
      SessionTaskKind.ResultDepartment,
    ],
  );
  const stages = carriedIn(held);
  t.log(`${held.runs} runs; carried over in: ${stages.join(', ')}`);
  for (const stage of [SessionStage.Scoring, SessionStage.Results, SessionStage.Reporting]) {
    t.true(stages.includes(stage), `carried over while ${stage} (${stages.join(', ')})`);
  }
  t.is((await sessionState(h.client, sessionId)).runs, held.runs);
});
