/**
 * Records event histories from real runs on the dev server into test/replay/histories/, for the replay test.
 * Run it when a deliberate change of workflow code has been put behind patched() and a new shape should be kept too:
 *
 *   npx tsx test/replay/record.ts
 *
 * Old histories are never rewritten: they are what running cases look like and what new code must still replay.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Level } from '../../domain/levels';
import type { WorkflowHandle } from '@temporalio/client';
import { seatCase, sessionHandle, updateSession } from '../../runtime/sessions';
import { type Actor, Stage, TaskKind, withdrawApplication } from '../../workflows/definitions';
import {
  approvePlan,
  cancelSession,
  enterScores,
  postponeSession,
  recordAttendance,
  returnPlan,
  revisePlan,
  SessionStage,
  type TakeOut,
  SessionTaskKind,
} from '../../workflows/sessionDefinitions';
import { actors } from '../helpers/actors';
import { applicationFor, applicationNeedingTraining } from '../helpers/applications';
import { driveTo, score, sendBack, waitForState, waitForTask } from '../helpers/cases';
import { createHarness, type Harness } from '../helpers/harness';
import { REPLAY_PAYLOAD_KEYS } from './payloadKeys';
import {
  approveBatch,
  approvedSession,
  sessionSecondsAway,
  untilWallClock,
  caseAwaitingSeat,
  examinerB,
  plan,
  planAhead,
  sessionDeps,
  waitForSession,
  waitForSessionTask,
} from '../sessions/helpers';

const SCENARIOS: Record<string, (h: Harness) => Promise<WorkflowHandle>> = {
  'level5-issued': async (h) => {
    const handle = await h.start(applicationFor(Level.Primary));
    await driveTo(handle);
    return handle;
  },
  // Recorded with payload encryption on (REPLAY_PAYLOAD_KEYS): what every case started since looks like.
  'level4-encrypted-issued': async (h) => {
    const handle = await h.start(applicationFor(Level.Intermediate));
    await driveTo(handle);
    return handle;
  },
  'level2-returned-then-issued': async (h) => {
    const handle = await h.start(applicationFor(Level.Technician));
    await driveTo(handle, TaskKind.CenterReview);
    await sendBack(handle, TaskKind.CenterReview, actors.centerReviewer, 'work-experience letter unsigned');
    await driveTo(handle);
    return handle;
  },
  // Since the certificate is rendered when printed: the case's path numbers and seals it, and renders nothing.
  'level3-printed-on-demand-issued': async (h) => {
    const handle = await h.start(applicationFor(Level.Advanced));
    await driveTo(handle);
    return handle;
  },
  'training-resit-issued': async (h) => {
    const handle = await h.start(applicationNeedingTraining());
    await driveTo(handle, TaskKind.ExamScores);
    await score(handle, TaskKind.ExamScores, { knowledge: 72, skills: 41 });
    await driveTo(handle);
    return handle;
  },
  'withdrawn-at-exam': async (h) => {
    const handle = await h.start(applicationFor(Level.Primary));
    await driveTo(handle, TaskKind.ExamScores);
    await handle.executeUpdate(withdrawApplication, {
      args: [{ actor: actors.stationClerk, reason: 'candidate moved to another province' }],
    });
    await handle.result();
    return handle;
  },
};

/**
 * With appraisal sessions: a session and a case, each to its end. Three histories have no scenario here, because
 * today's code takes a further step in them: `session-held-before-check-in.json`, a session held before check-in
 * lists (commit 8a80bc9: plan approved, one case seated, both parts over), and `session-scored-held.json`, held once
 * its sheet was checked, before the station's report (commit e9d369b, scenario scoredRound without the report).
 * And `session-case-scored-by-sheet.json`, a case whose own exam task its session's sheet decided (commit 66a78f6);
 * today's seated cases open no exam task (`session-case-sheet-line-issued.json`).
 */
const SESSION_SCENARIOS: Record<string, (h: Harness) => Promise<WorkflowHandle>> = {
  // Plan returned, revised, approved; a case seated; the session postponed, then cancelled.
  'session-revised-postponed-cancelled': async (h) => {
    const { sessionId } = await sessionRound(h);
    const session = sessionHandle(h.client, sessionId);
    await session.executeUpdate(cancelSession, {
      args: [{ actor: actors.stationSupervisor, reason: 'No examiners.' }],
    });
    return session;
  },
  // Waiting for a seat, seated, rescheduled, the seat withdrawn by the cancellation, then withdrawn by the station.
  'session-case-seat-withdrawn': async (h) => {
    const { sessionId, handle } = await sessionRound(h);
    await sessionHandle(h.client, sessionId).executeUpdate(cancelSession, {
      args: [{ actor: actors.stationSupervisor, reason: 'No examiners.' }],
    });
    await waitForState(handle, 'waiting for a seat again', (v) => v.stage === Stage.AwaitingSeat);
    await handle.executeUpdate(withdrawApplication, {
      args: [{ actor: actors.stationClerk, reason: 'candidate moved to another province' }],
    });
    return handle;
  },
  // The session path's exam: seated in a session whose parts are seconds away, scored once both have begun.
  'session-case-examined-issued': async (h) => {
    const now = Date.now();
    const at = (seconds: number) => new Date(now + seconds * 1000).toISOString();
    const planned = await planAhead(h, {
      overrides: {
        registrationClosesAt: at(20),
        knowledge: { startsAt: at(21), endsAt: at(22), place: 'Hall 1' },
        skills: { startsAt: at(23), endsAt: at(24), place: 'Workshop 1' },
      },
    });
    const sessionId = await approvedSession(h, planned);
    const { application, handle } = await caseAwaitingSeat(h);
    await seatCase(await sessionDeps(h), {
      actor: actors.stationClerk,
      sessionId,
      applicationNumber: application.applicationNumber,
    });
    await untilWallClock(planned.knowledge.startsAt);
    await waitForTask(handle, TaskKind.ExamScores);
    await untilWallClock(planned.skills.startsAt);
    await driveTo(handle);
    return handle;
  },
  // The check-in list opened with the first part, closed with one present and one absent; the session then held.
  'session-checked-in-held': async (h) => (await checkInRound(h)).session,
  // Marked absent by the check-in list, waiting for a seat again, then withdrawn.
  'session-case-absent-withdrawn': async (h) => (await checkInRound(h)).absent,
  // Both present; the score sheet entered, returned by the checker, corrected, checked; the station's report; held.
  'session-reported-held': async (h) => (await scoredRound(h, { report: true })).session,
  // Sat with no exam task of its own, scored by its session's checked sheet, then to the handed-over certificate.
  'session-case-sheet-line-issued': async (h) => {
    const { scored } = await scoredRound(h, { report: true });
    await driveTo(scored!);
    return scored!;
  },
  // Both passed; the station's summary took one out (rejected), the center and the department approved the other.
  'session-results-held': async (h) => (await batchRound(h)).session,
  // Approved in its session's batch, its number reserved in roster order, then to the handed-over certificate.
  'session-case-batch-issued': async (h) => {
    const { approved } = await batchRound(h);
    await driveTo(approved);
    return approved;
  },
  // Failed the skills part, re-sat it alone in a later session, went up in that session's batch, and was issued.
  'session-case-resit-in-session-issued': async (h) => {
    const first = await twoSeatedSecondsAway(h);
    await scoredRound(h, {
      round: first,
      rows: [
        [80, 40],
        [80, 80],
      ],
      report: false,
    });
    const [resitter] = first.cases;
    await waitForState(resitter.handle, 'the re-sit', (v) => v.stage === Stage.Resit);
    const second = await sessionSecondsAway(h, 0);
    const entry = await seatCase(await sessionDeps(h), {
      actor: actors.stationClerk,
      sessionId: second.sessionId,
      applicationNumber: resitter.application.applicationNumber,
    });
    await scoredRound(h, {
      round: { ...second, tickets: [entry.ticketNumber] },
      rows: [[undefined, 72]],
      report: false,
    });
    await approveBatch(h, second.sessionId);
    await driveTo(resitter.handle);
    return resitter.handle;
  },
};

/** With a session history limit low enough that a small round carries itself over after its exam too. */
const CARRIED_SCENARIOS: Record<string, (h: Harness) => Promise<WorkflowHandle>> = {
  // The last run of a session that carried itself over at its steps after the exam (sheet, batch, report).
  'session-carried-after-exam-held': async (h) => (await batchRound(h)).session,
};

/** A round whose two candidates pass; the station's summary rejects the second, the rest approve the first. */
async function batchRound(h: Harness) {
  const round = await twoSeatedSecondsAway(h);
  const { sessionId, session, tickets, cases } = round;
  await scoredRound(h, { round, report: false });
  await waitForSession(h, sessionId, 'both in the batch', (v) => v.results?.lines.length === 2);
  const decide = async (kind: SessionTaskKind, actor: Actor, takeOut?: TakeOut[], comment?: string) => {
    const task = await waitForSessionTask(h, sessionId, kind);
    await updateSession(h.client, sessionId, approvePlan, { taskId: task.id, actor, takeOut, comment });
  };
  await decide(SessionTaskKind.ResultSummary, actors.stationReviewer, [
    { ticketNumber: tickets[1], decision: 'reject', reason: 'The ID copy is not the candidate’s.' },
  ]);
  await decide(SessionTaskKind.ResultCenter, actors.centerReviewer);
  await decide(SessionTaskKind.ResultDepartment, actors.departmentApprover);
  await decide(SessionTaskKind.Report, actors.stationClerk, undefined, 'A well-run round.');
  await session.result();
  return { session, approved: cases[0].handle };
}

const twoSeatedSecondsAway = (h: Harness) => sessionSecondsAway(h, 2);

/**
 * A session whose parts are seconds away: two cases seated, one marked present and one absent on the check-in list,
 * which the station closes; the absent case waits for a seat again and is withdrawn. Both the session and the absent
 * case then end.
 */
async function checkInRound(h: Harness) {
  const { planned, sessionId, session, cases, tickets } = await twoSeatedSecondsAway(h);
  const [came, missed] = cases;
  await untilWallClock(planned.knowledge.startsAt);
  const list = await waitForSessionTask(h, sessionId, SessionTaskKind.CheckIn);
  await session.executeUpdate(recordAttendance, {
    args: [
      {
        actor: actors.stationClerk,
        marks: [
          { ticketNumber: tickets[0], present: true },
          { ticketNumber: tickets[1], present: false },
        ],
      },
    ],
  });
  await updateSession(h.client, sessionId, approvePlan, { taskId: list.id, actor: actors.stationClerk });
  await waitForState(missed.handle, 'waiting for a seat again', (v) => v.stage === Stage.AwaitingSeat);
  await missed.handle.executeUpdate(withdrawApplication, {
    args: [{ actor: actors.stationClerk, reason: 'candidate moved to another province' }],
  });
  await came.handle.executeUpdate(withdrawApplication, {
    args: [{ actor: actors.stationClerk, reason: 'candidate moved to another province' }],
  });
  return { session, absent: missed.handle };
}

type Round = Awaited<ReturnType<typeof sessionSecondsAway>>;

/**
 * Everyone present; the sheet (both parts 82 and 76 unless `rows` say otherwise, by ticket) entered, returned by the
 * checker, corrected and checked; with `report`, the station's report (a session from before result batches).
 */
async function scoredRound(
  h: Harness,
  {
    round,
    rows: given,
    report,
  }: { round?: Round; rows?: [knowledge: number | undefined, skills: number][]; report: boolean },
) {
  const { planned, sessionId, session, cases, tickets } = round ?? (await twoSeatedSecondsAway(h));
  await untilWallClock(planned.knowledge.startsAt);
  const list = await waitForSessionTask(h, sessionId, SessionTaskKind.CheckIn);
  const marks = tickets.map((ticketNumber) => ({ ticketNumber, present: true }));
  await updateSession(h.client, sessionId, recordAttendance, { actor: actors.stationClerk, marks });
  await updateSession(h.client, sessionId, approvePlan, { taskId: list.id, actor: actors.stationClerk });
  await untilWallClock(planned.skills.endsAt);
  const decide = async (update: typeof approvePlan, kind: SessionTaskKind, actor: Actor, comment?: string) => {
    const task = await waitForSessionTask(h, sessionId, kind);
    await updateSession(h.client, sessionId, update, { taskId: task.id, actor, comment });
  };
  const rows = tickets.map((ticketNumber, index) => {
    const [knowledge, skills] = given?.[index] ?? [82, 76];
    return { ticketNumber, ...(knowledge !== undefined && { knowledge }), skills };
  });
  await waitForSessionTask(h, sessionId, SessionTaskKind.ScoreEntry);
  await updateSession(h.client, sessionId, enterScores, { actor: actors.stationExaminer, rows });
  await decide(approvePlan, SessionTaskKind.ScoreEntry, actors.stationExaminer);
  await decide(returnPlan, SessionTaskKind.ScoreCheck, examinerB, 'Check the second seat against the paper.');
  await decide(approvePlan, SessionTaskKind.ScoreEntry, actors.stationExaminer);
  await decide(approvePlan, SessionTaskKind.ScoreCheck, examinerB);
  if (report) {
    await decide(approvePlan, SessionTaskKind.Report, actors.stationClerk, 'The team kept time and marked carefully.');
    await session.result();
  }
  return { session, scored: cases[0]?.handle };
}

async function sessionRound(h: Harness) {
  const planned = await planAhead(h);
  const sessionId = await plan(h, planned);
  const session = sessionHandle(h.client, sessionId);
  const review = await waitForSessionTask(h, sessionId, SessionTaskKind.PlanReview);
  await session.executeUpdate(returnPlan, {
    args: [{ taskId: review.id, actor: actors.centerReviewer, comment: 'Seats?' }],
  });
  const revision = await waitForSessionTask(h, sessionId, SessionTaskKind.PlanRevision);
  await session.executeUpdate(revisePlan, {
    args: [
      {
        taskId: revision.id,
        actor: actors.stationClerk,
        plan: { ...planned, rooms: [{ name: 'Room 101', seats: 30 }] },
      },
    ],
  });
  const second = await waitForSessionTask(h, sessionId, SessionTaskKind.PlanReview);
  await session.executeUpdate(approvePlan, { args: [{ taskId: second.id, actor: actors.centerReviewer }] });
  await waitForSession(h, sessionId, 'registration', (v) => v.stage === SessionStage.Registration);
  const { application, handle } = await caseAwaitingSeat(h);
  await seatCase(await sessionDeps(h), {
    actor: actors.stationClerk,
    sessionId,
    applicationNumber: application.applicationNumber,
  });
  await waitForState(handle, 'seated', (v) => v.stage === Stage.AdmissionTicket);
  const later = (iso: string) => new Date(Date.parse(iso) + 7 * 24 * 3_600_000).toISOString();
  await session.executeUpdate(postponeSession, {
    args: [
      {
        actor: actors.stationSupervisor,
        reason: 'The workshop is flooded.',
        schedule: {
          registrationClosesAt: planned.registrationClosesAt,
          knowledge: {
            ...planned.knowledge,
            startsAt: later(planned.knowledge.startsAt),
            endsAt: later(planned.knowledge.endsAt),
          },
          skills: { ...planned.skills, startsAt: later(planned.skills.startsAt), endsAt: later(planned.skills.endsAt) },
        },
      },
    ],
  });
  await waitForState(handle, 'rescheduled', (v) => v.history.some((e) => e.type === 'exam-rescheduled'));
  return { sessionId, handle };
}

async function record(h: Harness, scenarios: Record<string, (h: Harness) => Promise<WorkflowHandle>>) {
  for (const [name, scenario] of Object.entries(scenarios)) {
    const file = path.join(import.meta.dirname, 'histories', `${name}.json`);
    if (existsSync(file)) continue;
    const handle = await scenario(h);
    await handle.result();
    writeFileSync(file, historyToJSON(await handle.fetchHistory()));
    console.log(`recorded ${file}`);
  }
}

for (const [options, scenarios] of [
  [{}, SCENARIOS],
  [{ policy: { appraisalSessions: true } }, SESSION_SCENARIOS],
  [{ policy: { appraisalSessions: true, sessionHistoryLimit: 60 } }, CARRIED_SCENARIOS],
] as const) {
  const h = await createHarness({ flavour: 'dev-server', payloadKeys: REPLAY_PAYLOAD_KEYS, ...options });
  try {
    await record(h, scenarios);
  } finally {
    await h.teardown();
  }
}
