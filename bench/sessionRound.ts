/**
 * One appraisal session of many candidates, in real time on the dev server, driven as the API and the CLI drive it
 * (runtime/sessions.ts and the session's updates): the station plans it, the guidance center approves the plan,
 * clerks seat every case, the check-in list is marked and closed, the team enters, submits and checks the score sheet,
 * and the three levels approve the results as one batch. Two spans are timed: from the sheet's check to every case at
 * result approval in the batch, and from the department's approval to every certificate issued (with, beside it, the
 * span from the station's summary, the batch's whole way up). The rest only sets the round up.
 */
import type { Client } from '@temporalio/client';
import { Level } from '../domain/levels';
import type { SessionPlan } from '../domain/sessionPlan';
import type { Db } from '../records/database';
import { planSession, seatCase, sessionHandle, sessionState, type SessionClientDeps } from '../runtime/sessions';
import { actors } from '../test/helpers/actors';
import { type Actor, Stage, TaskKind, TaskStatus } from '../workflows/definitions';
import {
  type SessionTask,
  type SessionView,
  approvePlan,
  enterScores,
  recordAttendance,
  SessionStage,
  SessionTaskKind,
} from '../workflows/sessionDefinitions';
import { atStage, seconds } from './caseByCase';
import { pollUntil, runPool, sleepMs, startSpan, type Timed } from './measure';
import { checkIssued, countOpenTasks, phaseTimeoutMs, reviewedCases, whenCounted } from './sessionCases';

export interface SessionRoundTimes {
  sessionId: string;
  workflowId: string;
  /** Wall time to seat every case, and each seat's round trip (case query and session update). */
  seating: { ms: number; latenciesMs: number[] };
  /** How long after planning the registration closed: the seating budget below. */
  cutOffAfterMs: number;
  /** From the score check's approval sent to every case at result approval and in the session's batch. */
  sheetToAdvanced: Timed;
  /** From the station's summary sent to every certificate issued: the batch's three levels and the issuing. */
  summaryToIssued: Timed;
  /** From the department's approval sent to every certificate issued. */
  departmentToIssued: Timed;
  /** The session as it ended (held, once its report was filed). */
  final: SessionView;
  /** A case of the session, for its history's size. */
  sampleWorkflowId: string;
}

const ROOM_SEATS = 50;

/**
 * The registration cut-off must lie in the future when the plan is made (domain/sessionPlan.ts), and seats are
 * refused after it, so it is set this far ahead: room for the plan's review and for seating every case, and little
 * more, since the round then waits it out. Seating took 34 ms a seat for 500 and 64 ms for 50 on two loaded cores.
 */
const seatingBudgetMs = (count: number) => 15_000 + SEAT_MS * count;
const SEAT_MS = 100;

/** The second examiner of the demo station's team, who checks what the first submitted (four eyes). */
const checkingExaminer: Actor = { id: 'ma.examiner', groups: ['station-a:examiners'] };

/**
 * The smallest plan the validator takes for a round happening now: the cut-off after the seating budget, the
 * knowledge part starting at the cut-off (it may not start before it) and each part lasting one second.
 */
function planFor(count: number, now: number): SessionPlan {
  const at = (ms: number) => new Date(now + ms).toISOString();
  const cutOff = seatingBudgetMs(count);
  return {
    qualifications: [{ occupation: 'baker', level: Level.Primary }],
    registrationClosesAt: at(cutOff),
    knowledge: { startsAt: at(cutOff), endsAt: at(cutOff + 1_000), place: 'Station A, building 2' },
    skills: { startsAt: at(cutOff + 1_000), endsAt: at(cutOff + 2_000), place: 'Station A, workshop 1' },
    rooms: Array.from({ length: Math.ceil(count / ROOM_SEATS) }, (_, i) => ({
      name: `Room ${i + 1}`,
      seats: ROOM_SEATS,
    })),
    examiners: ['chen.examiner', checkingExaminer.id],
  };
}

export async function runSessionRound(
  { client, db }: { client: Client; db: Db },
  { taskQueue, tag, count, concurrency }: { taskQueue: string; tag: string; count: number; concurrency: number },
  log: (line: string) => void,
): Promise<SessionRoundTimes> {
  log(`  session: ${count} cases through their two reviews to waiting for a seat …`);
  const group = await reviewedCases(
    client,
    { taskQueue, tag, count, concurrency },
    (view) => view.stage === Stage.AwaitingSeat,
  );

  const deps: SessionClientDeps = { client, db, taskQueue };
  const plannedAt = Date.now();
  const plan = planFor(count, plannedAt);
  const { sessionId } = await planSession(deps, { actor: actors.stationClerk, stationId: 'station-a', plan });
  const session = sessionHandle(client, sessionId);
  const decideTask = async (kind: SessionTaskKind, actor: Actor, comment?: string) => {
    const task = await sessionTask(client, sessionId, kind);
    return session.executeUpdate(approvePlan, { args: [{ taskId: task.id, actor, comment }] });
  };
  await decideTask(SessionTaskKind.PlanReview, actors.centerReviewer);

  log(`  session ${sessionId}: seating ${count} cases, ${concurrency} clerks at a time …`);
  const tickets: string[] = [];
  const latenciesMs: number[] = [];
  const seatingStarted = performance.now();
  await runPool(count, concurrency, async (index) => {
    const started = performance.now();
    const entry = await seatCase(deps, {
      actor: actors.stationClerk,
      sessionId,
      applicationNumber: group.cases[index].applicationNumber,
    });
    latenciesMs.push(performance.now() - started);
    tickets[index] = entry.ticketNumber;
  }).catch((error: unknown) => {
    if (Date.now() < Date.parse(plan.registrationClosesAt)) throw error;
    throw new Error(`seating did not finish before the cut-off, ${seatingBudgetMs(count) / 1000} s after planning`, {
      cause: error,
    });
  });
  const seatingMs = performance.now() - seatingStarted;
  log(`  session: ${count} seated in ${seconds(seatingMs)} s; waiting for the cut-off and the parts …`);

  await until(plan.knowledge.startsAt);
  const marks = tickets.map((ticketNumber) => ({ ticketNumber, present: true }));
  await sessionTask(client, sessionId, SessionTaskKind.CheckIn);
  await session.executeUpdate(recordAttendance, { args: [{ actor: actors.stationClerk, marks }] });
  await decideTask(SessionTaskKind.CheckIn, actors.stationClerk);

  await until(plan.skills.endsAt);
  await sessionTask(client, sessionId, SessionTaskKind.ScoreEntry);
  // The whole sheet in one update, as an imported file goes on it.
  const rows = tickets.map((ticketNumber) => ({ ticketNumber, knowledge: 82, skills: 90 }));
  await session.executeUpdate(enterScores, { args: [{ actor: actors.stationExaminer, rows }] });
  await decideTask(SessionTaskKind.ScoreEntry, actors.stationExaminer);
  const check = await sessionTask(client, sessionId, SessionTaskKind.ScoreCheck);

  const checking = startSpan();
  await session.executeUpdate(approvePlan, { args: [{ taskId: check.id, actor: checkingExaminer }] });
  // The case index first (cheap to read while hundreds of cases move), then the session's batch, a query or two.
  await atStage(db, group, Stage.ResultApproval);
  await pollUntil(
    `all ${count} in session ${sessionId}'s batch`,
    () => sessionState(client, sessionId),
    (view) => (view.results?.lines.length === count ? view : undefined),
    { timeoutMs: phaseTimeoutMs(count), maxGapMs: 250 },
  );
  const sheetToAdvanced = checking.end();
  log(`  session: checked sheet to every case in the batch in ${seconds(sheetToAdvanced.ms)} s`);

  const fromSummary = startSpan();
  await decideTask(SessionTaskKind.ResultSummary, actors.stationReviewer);
  await decideTask(SessionTaskKind.ResultCenter, actors.centerReviewer);
  const department = await sessionTask(client, sessionId, SessionTaskKind.ResultDepartment);
  const fromDepartment = startSpan();
  await session.executeUpdate(approvePlan, { args: [{ taskId: department.id, actor: actors.departmentApprover }] });
  await whenCounted(
    `every certificate of session ${sessionId} issued`,
    () => countOpenTasks(db, group.prefix, TaskKind.CertificatePrint),
    count,
    phaseTimeoutMs(count),
  );
  const departmentToIssued = fromDepartment.end();
  const summaryToIssued = fromSummary.end();
  log(`  session: department's approval to every certificate issued in ${seconds(departmentToIssued.ms)} s`);
  await checkIssued(group, concurrency);

  // The station's report closes the session, so its history is measured whole.
  await decideTask(SessionTaskKind.Report, actors.stationClerk, 'The bench round.');
  const final = await session.result();
  if (final.stage !== SessionStage.Held) throw new Error(`session ${sessionId} ended ${final.stage}, not held`);
  return {
    sessionId,
    workflowId: session.workflowId,
    seating: { ms: seatingMs, latenciesMs },
    cutOffAfterMs: Date.parse(plan.registrationClosesAt) - plannedAt,
    sheetToAdvanced,
    summaryToIssued,
    departmentToIssued,
    final,
    sampleWorkflowId: group.cases[0].handle.workflowId,
  };
}

const openSessionTask = (view: SessionView, kind: SessionTaskKind): SessionTask | undefined =>
  view.tasks.find((task) => task.kind === kind && task.status === TaskStatus.Open);

/** The session's open task of this kind. Its view holds the whole roster, so it is read at most four times a second. */
const sessionTask = (client: Client, sessionId: string, kind: SessionTaskKind) =>
  pollUntil(
    `an open ${kind} task on session ${sessionId}`,
    () => sessionState(client, sessionId),
    (view) => openSessionTask(view, kind),
    { timeoutMs: 120_000, maxGapMs: 250 },
  );

/** Waits on the wall clock (the dev server's) until just past the instant. */
const until = (iso: string) => sleepMs(Math.max(0, Date.parse(iso) - Date.now() + 500));
