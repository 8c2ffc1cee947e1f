/**
 * Re-sits on the time-skipping server: a candidate who failed one part in a session is seated in a later session for
 * that part only, within the re-sit window; the later session's sheet takes only that part, and the passed case goes
 * up in that session's batch. A window that closes before a seat is taken ends the case.
 */
import { seatCase, sessionHandle } from '../../runtime/sessions';
import { type Actor, RefusalType, Stage, TaskKind } from '../../workflows/definitions';
import { type ScoreRowsCommand, approvePlan, enterScores, SessionTaskKind } from '../../workflows/sessionDefinitions';
import { actors } from '../helpers/actors';
import { refused, skipTo, waitForState } from '../helpers/cases';
import type { Harness } from '../helpers/harness';
import { testWithHarness } from '../helpers/harnessTests';
import {
  approvedSession,
  attend,
  checkedInSession,
  closeList,
  examinerB,
  planAhead,
  sessionDeps,
  sessionRefused,
  waitForSession,
  waitForSessionTask,
} from './helpers';

const test = testWithHarness({
  flavour: 'time-skipping',
  policy: { appraisalSessions: true, resitWindowDays: 20 },
});

const decide = (h: Harness, sessionId: string, taskId: string, actor: Actor) =>
  sessionHandle(h.client, sessionId).executeUpdate(approvePlan, { args: [{ taskId, actor }] });

const enter = (h: Harness, sessionId: string, rows: ScoreRowsCommand['rows']) =>
  sessionHandle(h.client, sessionId).executeUpdate(enterScores, { args: [{ actor: actors.stationExaminer, rows }] });

/** Enters the sheet, submits it and has a second examiner check it. */
async function checkedSheet(h: Harness, sessionId: string, rows: ScoreRowsCommand['rows']) {
  const entry = await waitForSessionTask(h, sessionId, SessionTaskKind.ScoreEntry);
  await enter(h, sessionId, rows);
  await decide(h, sessionId, entry.id, actors.stationExaminer);
  await decide(h, sessionId, (await waitForSessionTask(h, sessionId, SessionTaskKind.ScoreCheck)).id, examinerB);
}

test.serial(
  'a failed part is re-sat in a later session, that part alone; a window that closes unseated ends the case',
  async (t) => {
    const h = t.context;
    const first = await checkedInSession(h, 2);
    const [resitter, idle] = first.seated;
    await skipTo(h, Date.parse(first.planned.skills.endsAt), 1000);
    await checkedSheet(
      h,
      first.sessionId,
      first.seated.map(({ ticket }) => ({ ticketNumber: ticket, knowledge: 75, skills: 40 })),
    );

    // Failed the skills part: the case waits for a seat to re-sit it, with no re-sit task of its own.
    const waiting = await waitForState(resitter.handle, 'the re-sit', (v) => v.stage === Stage.Resit);
    t.like(waiting.exam?.resit, { part: 'skills' });
    t.false(waiting.tasks.some((task) => task.kind === TaskKind.ResitScores));
    t.is(waiting.sitting, undefined);

    // A session that ends after the window cannot take the re-sit; one inside it can, for the skills part only.
    const tooLate = await approvedSession(h, await planAhead(h, { seats: 2, cutOffDays: 25 }));
    await refused(
      t,
      seatCase(await sessionDeps(h), {
        actor: actors.stationClerk,
        sessionId: tooLate,
        applicationNumber: resitter.application.applicationNumber,
      }),
      RefusalType.Conflict,
      new RegExp(`re-sits its skills part by .*; session ${tooLate} ends later`),
    );
    const second = await planAhead(h, { seats: 2, cutOffDays: 3 });
    const sessionId = await approvedSession(h, second);
    const entry = await seatCase(await sessionDeps(h), {
      actor: actors.stationClerk,
      sessionId,
      applicationNumber: resitter.application.applicationNumber,
    });
    t.is(entry.resitPart, 'skills');
    await waitForState(resitter.handle, 'seated for the re-sit', (v) => v.stage === Stage.AdmissionTicket);

    await skipTo(h, Date.parse(second.knowledge.startsAt), 1000);
    const list = await waitForSessionTask(h, sessionId, SessionTaskKind.CheckIn);
    await attend(h, sessionId, actors.stationClerk, [{ ticketNumber: entry.ticketNumber, present: true }]);
    await closeList(h, sessionId, list.id);
    await skipTo(h, Date.parse(second.skills.endsAt), 1000);
    await waitForSessionTask(h, sessionId, SessionTaskKind.ScoreEntry);
    await refused(
      t,
      enter(h, sessionId, [{ ticketNumber: entry.ticketNumber, knowledge: 90, skills: 70 }]),
      RefusalType.InvalidInput,
      new RegExp(`ticket ${entry.ticketNumber} re-sits only the skills part; it takes no knowledge score`),
    );
    await checkedSheet(h, sessionId, [{ ticketNumber: entry.ticketNumber, skills: 70 }]);

    // The first knowledge score stands beside the new skills score; the case goes up in the later session's batch.
    const passed = await waitForState(resitter.handle, 'result approval', (v) => v.stage === Stage.ResultApproval);
    t.deepEqual(passed.exam?.scores, { knowledge: 75, skills: 70 });
    t.like(passed.exam?.resit, { part: 'skills', score: 70, sessionId });
    const batch = await waitForSession(h, sessionId, 'the batch', (v) => v.results?.lines.length === 1);
    t.like(batch.results, { expected: 1, lines: [{ applicationNumber: resitter.application.applicationNumber }] });

    // The other candidate was never seated again: the window closes and the case ends.
    const deadline = (await waitForState(idle.handle, 'the re-sit', (v) => v.stage === Stage.Resit)).exam!.resit!
      .deadline;
    await skipTo(h, Date.parse(`${deadline}T16:00:01Z`), 1000);
    const failed = await waitForState(idle.handle, 'failed', (v) => v.closed);
    t.is(failed.stage, Stage.Failed);
    t.is(
      failed.outcome?.reason,
      `The re-sit window for the skills part closed on ${deadline} before a seat was taken.`,
    );
    await sessionRefused(
      t,
      seatCase(await sessionDeps(h), {
        actor: actors.stationClerk,
        sessionId,
        applicationNumber: idle.application.applicationNumber,
      }),
      { type: RefusalType.Conflict, message: /is at failed; only a case waiting for a seat/ },
    );
  },
);
