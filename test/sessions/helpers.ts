/**
 * Steps for appraisal session tests: a plan dated from the server's clock, the guidance center's decision, cases that
 * wait for a seat, and waits for what people would see. Everything goes through runtime/sessions.ts, as the API and
 * the CLI do.
 */
import type { ExecutionContext } from 'ava';
import { Level } from '../../domain/levels';
import type { SessionPlan } from '../../domain/sessionPlan';
import { seedDemoDirectory } from '../../records/demoProvince';
import {
  planSession,
  seatCase,
  SessionRefused,
  sessionHandle,
  sessionState,
  type SessionClientDeps,
  updateSession,
} from '../../runtime/sessions';
import { type ApplicationInput } from '../../domain/application';
import { type Actor, type RefusalType, Stage } from '../../workflows/definitions';
import {
  type AttendanceCommand,
  type SessionTask,
  type SessionView,
  approvePlan,
  recordAttendance,
  SessionTaskKind,
} from '../../workflows/sessionDefinitions';
import { TaskStatus } from '../../workflows/definitions';
import { actors } from '../helpers/actors';
import { applicationFor } from '../helpers/applications';
import { approve, eventually, serverNow, skipTo, waitForState, type CaseHandle } from '../helpers/cases';
import type { Harness } from '../helpers/harness';
import { TaskKind } from '../../workflows/definitions';

export const DAY = 24 * 3_600_000;
export const HOUR = 3_600_000;

export const examinerB: Actor = { id: 'ma.examiner', groups: ['station-a:examiners'] };

/** The client's dependencies, with the server's clock of this moment (time-skipping runs ahead of the wall). */
export async function sessionDeps(h: Harness): Promise<SessionClientDeps> {
  await seedDemoDirectory(h.deps.db);
  const at = new Date(await serverNow(h));
  return { client: h.client, db: h.deps.db, taskQueue: h.taskQueue, now: () => at };
}

/**
 * A plan for baker level 5 at station A: cut-off in `cutOffDays`, the knowledge part a day later at 09:00 for two
 * hours, the skills part the day after; one room of `seats`.
 */
export async function planAhead(
  h: Harness,
  {
    seats = 2,
    cutOffDays = 10,
    overrides = {},
  }: { seats?: number; cutOffDays?: number; overrides?: Partial<SessionPlan> } = {},
): Promise<SessionPlan> {
  const now = await serverNow(h);
  const at = (days: number, hours = 0) => new Date(now + days * DAY + hours * HOUR).toISOString();
  return {
    qualifications: [{ occupation: 'baker', level: Level.Primary }],
    registrationClosesAt: at(cutOffDays),
    knowledge: { startsAt: at(cutOffDays + 1), endsAt: at(cutOffDays + 1, 2), place: 'Station A, building 2' },
    skills: { startsAt: at(cutOffDays + 2), endsAt: at(cutOffDays + 2, 3), place: 'Station A, workshop 1' },
    rooms: [{ name: 'Room 101', seats }],
    examiners: ['chen.examiner', 'ma.examiner'],
    ...overrides,
  };
}

export async function plan(h: Harness, planned: SessionPlan, actor: Actor = actors.stationClerk): Promise<string> {
  const { sessionId } = await planSession(await sessionDeps(h), { actor, stationId: 'station-a', plan: planned });
  return sessionId;
}

export async function waitForSession(
  h: Harness,
  sessionId: string,
  what: string,
  check: (view: SessionView) => boolean,
): Promise<SessionView> {
  let last: SessionView | undefined;
  try {
    return await eventually(what, async () => {
      last = await sessionState(h.client, sessionId).catch(() => undefined);
      return last && check(last) ? last : undefined;
    });
  } catch (error) {
    throw new Error(`${(error as Error).message}; session stage ${last?.stage}`);
  }
}

export const openSessionTask = (view: SessionView, kind: SessionTaskKind): SessionTask | undefined =>
  view.tasks.find((task) => task.kind === kind && task.status === TaskStatus.Open);

export async function waitForSessionTask(h: Harness, sessionId: string, kind: SessionTaskKind): Promise<SessionTask> {
  const view = await waitForSession(h, sessionId, `an open ${kind} task`, (v) => !!openSessionTask(v, kind));
  return openSessionTask(view, kind)!;
}

/** A session whose plan the guidance center approved: open for registration. */
export async function approvedSession(h: Harness, planned?: SessionPlan): Promise<string> {
  const sessionId = await plan(h, planned ?? (await planAhead(h)));
  const task = await waitForSessionTask(h, sessionId, SessionTaskKind.PlanReview);
  await sessionHandle(h.client, sessionId).executeUpdate(approvePlan, {
    args: [{ taskId: task.id, actor: actors.centerReviewer }],
  });
  await waitForSession(h, sessionId, 'registration', (v) => v.stage === 'registration');
  return sessionId;
}

/** A level 5 baker case of station A, reviewed by station and center, waiting for a seat. */
export async function caseAwaitingSeat(
  h: Harness,
  overrides: Partial<ApplicationInput> = {},
): Promise<{ application: ApplicationInput; handle: CaseHandle }> {
  const application = applicationFor(Level.Primary, overrides);
  const handle = await h.start(application);
  await approve(handle, TaskKind.StationReview, actors.stationReviewer);
  await approve(handle, TaskKind.CenterReview, actors.centerReviewer);
  await waitForState(handle, 'a case waiting for a seat', (v) => v.stage === Stage.AwaitingSeat);
  return { application, handle };
}

export const attend = (h: Harness, sessionId: string, actor: Actor, marks: AttendanceCommand['marks']) =>
  updateSession(h.client, sessionId, recordAttendance, { actor, marks });

export const closeList = (h: Harness, sessionId: string, taskId: string, actor: Actor = actors.stationClerk) =>
  updateSession(h.client, sessionId, approvePlan, { taskId, actor });

/** An approved session, and `count` cases seated in it; answers the tickets in seating order. */
export async function seatedSession(h: Harness, count: number) {
  const planned = await planAhead(h, { seats: count + 1 });
  const sessionId = await approvedSession(h, planned);
  const seated = [];
  for (let i = 0; i < count; i++) {
    const { application, handle } = await caseAwaitingSeat(h);
    const entry = await seatCase(await sessionDeps(h), {
      actor: actors.stationClerk,
      sessionId,
      applicationNumber: application.applicationNumber,
    });
    await waitForState(handle, 'seated', (v) => v.stage === Stage.AdmissionTicket);
    seated.push({ application, handle, ticket: entry.ticketNumber });
  }
  return { planned, sessionId, seated };
}

/** A session of `count` seated cases whose check-in list is closed with these marks (present unless said). */
export async function checkedInSession(h: Harness, count: number, absent: number[] = []) {
  const round = await seatedSession(h, count);
  await skipTo(h, Date.parse(round.planned.knowledge.startsAt), 1000);
  const list = await waitForSessionTask(h, round.sessionId, SessionTaskKind.CheckIn);
  await attend(
    h,
    round.sessionId,
    actors.stationClerk,
    round.seated.map(({ ticket }, index) => ({ ticketNumber: ticket, present: !absent.includes(index) })),
  );
  await closeList(h, round.sessionId, list.id);
  return round;
}

/** Asserts a request was refused before any workflow was asked, with this type, message and (if given) fields. */
export async function sessionRefused(
  t: ExecutionContext,
  request: Promise<unknown>,
  expected: { type: RefusalType; message: RegExp; fields?: string[] },
): Promise<SessionRefused | undefined> {
  const error = await t.throwsAsync(request, { instanceOf: SessionRefused });
  t.is(error?.type, expected.type);
  t.regex(error?.message ?? '', expected.message);
  if (expected.fields) t.deepEqual(Object.keys(error?.fields ?? {}).sort(), [...expected.fields].sort());
  return error;
}

/**
 * Sends a session's results up through its three levels untouched, once every candidate who passed has joined the
 * batch; the session's report comes after.
 */
export async function approveBatch(h: Harness, sessionId: string): Promise<void> {
  await waitForSession(
    h,
    sessionId,
    'a full batch',
    (v) => !!v.results && v.results.lines.length === v.results.expected,
  );
  const levels: [SessionTaskKind, Actor][] = [
    [SessionTaskKind.ResultSummary, actors.stationReviewer],
    [SessionTaskKind.ResultCenter, actors.centerReviewer],
    [SessionTaskKind.ResultDepartment, actors.departmentApprover],
  ];
  for (const [kind, actor] of levels) {
    const task = await waitForSessionTask(h, sessionId, kind);
    await sessionHandle(h.client, sessionId).executeUpdate(approvePlan, { args: [{ taskId: task.id, actor }] });
  }
}

/** Waits on the wall clock (the dev server's, which tests cannot move) until just past the instant. */
export const untilWallClock = (iso: string) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(iso) - Date.now() + 500)));

/**
 * For the dev server: an approved session whose cut-off is `cutOffSeconds` away on the wall clock and whose parts
 * follow a second apart, with `seated` new cases seated in it (tickets in seat order).
 */
export async function sessionSecondsAway(h: Harness, seated: number, cutOffSeconds = 25) {
  const now = Date.now();
  const at = (seconds: number) => new Date(now + (cutOffSeconds + seconds) * 1000).toISOString();
  const planned = await planAhead(h, {
    seats: Math.max(2, seated),
    overrides: {
      registrationClosesAt: at(0),
      knowledge: { startsAt: at(1), endsAt: at(2), place: 'Hall 1' },
      skills: { startsAt: at(3), endsAt: at(4), place: 'Workshop 1' },
    },
  });
  const sessionId = await approvedSession(h, planned);
  const cases = [];
  for (let i = 0; i < seated; i++) cases.push(await caseAwaitingSeat(h));
  const tickets: string[] = [];
  for (const { application } of cases) {
    const entry = await seatCase(await sessionDeps(h), {
      actor: actors.stationClerk,
      sessionId,
      applicationNumber: application.applicationNumber,
    });
    tickets.push(entry.ticketNumber);
  }
  return { planned, sessionId, session: sessionHandle(h.client, sessionId), cases, tickets };
}
