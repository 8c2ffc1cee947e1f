/**
 * The client side of appraisal sessions, for the API, the CLI and the tests: planning a session (checked before
 * anything starts), seating a case in a session or in the next one that fits, and sending a session's decisions.
 * Every refusal names the problem; a refusal by the session workflow itself comes back as its update's failure.
 */
import { createHash } from 'node:crypto';
import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { belongsToStation } from '../domain/applicationNumber';
import { type OccupationCatalogue, DEFAULT_CATALOGUE } from '../domain/occupations';
import { type Message, message } from '../domain/messages';
import { type SessionPlan, cleanPlan, examines, planMistakes } from '../domain/sessionPlan';
import { maskIdNumber, maskName } from '../domain/masking';
import { endOfLocalDay } from '../domain/workingDays';
import { translator } from '../i18n';
import { claimSessionRow, listSessions } from '../records/appraisalSessions';
import { candidatesOf } from '../records/caseIndex';
import type { Db } from '../records/database';
import { findOrganisation, listUsers, reportingLineOf } from '../records/directory';
import {
  type Actor,
  type CaseView,
  getState,
  RefusalType,
  Stage,
  TASK_QUEUE,
  TaskKind,
  TaskStatus,
  workflowIdFor,
} from '../workflows/definitions';
import { sessionWorkflow } from '../workflows/session';
import {
  type RosterEntry,
  type SessionView,
  getSessionState,
  seatCandidate,
  SessionStage,
  sessionWorkflowIdFor,
} from '../workflows/sessionDefinitions';
import { sessionOfficeGroups } from '../workflows/sessionFile';
import { ADMINISTRATORS } from '../workflows/taskRules';

export interface SessionClientDeps {
  client: Client;
  db: Db;
  taskQueue?: string;
  catalogue?: OccupationCatalogue;
  now?: () => Date;
}

/** The words of the English sentence a refusal logs. */
const english = translator('en');

/**
 * Refused before any workflow was asked: `said` is why and `fields` names each input at fault, as Messages that the
 * edge (inbox-ui/temporalErrors.ts, the CLI) puts into the reader's language. The error's own message is the English
 * sentence, with codes for names, for logs.
 */
export class SessionRefused extends Error {
  constructor(
    readonly type: RefusalType,
    readonly said: Message,
    readonly fields?: Record<string, Message>,
  ) {
    super(english(said.key, said.values));
    this.name = 'SessionRefused';
  }
}

export interface PlanRequest {
  actor: Actor;
  stationId: string;
  plan: SessionPlan;
}

/**
 * Plans a session and starts its workflow, which opens the guidance center's review. The same plan sent twice (a
 * double click, a retry after a lost answer) answers the session the first one made.
 */
export async function planSession(
  deps: SessionClientDeps,
  { actor, stationId, plan }: PlanRequest,
): Promise<{ sessionId: string; alreadyPlanned: boolean }> {
  const now = deps.now?.() ?? new Date();
  if (!actor.groups.some((group) => sessionOfficeGroups(stationId).includes(group))) {
    throw new SessionRefused(RefusalType.Forbidden, message('session:refused.planOffice', { station: stationId }));
  }
  const station = await findOrganisation(deps.db, stationId);
  if (station?.kind !== 'station') {
    throw new SessionRefused(RefusalType.InvalidInput, message('session:refused.planMistakes'), {
      stationId: message('session:planCheck.notAStation', { stationId }),
    });
  }
  const errors = planMistakes(plan, deps.catalogue ?? DEFAULT_CATALOGUE, now);
  if (!errors.examiners) {
    const team = new Set(
      (await listUsers(deps.db)).filter((u) => u.roles.includes(`${stationId}:examiners`)).map((u) => u.id),
    );
    const outsiders = plan.examiners.filter((id) => !team.has(id.trim()));
    if (outsiders.length > 0) {
      errors.examiners = message('session:planCheck.notExaminers', { station: stationId, ids: outsiders.join(', ') });
    }
  }
  if (Object.keys(errors).length > 0)
    throw new SessionRefused(RefusalType.InvalidInput, message('session:refused.planMistakes'), errors);

  const { guidanceCenterId, departmentId } = await reportingLineOf(deps.db, stationId);
  if (!guidanceCenterId || !departmentId) {
    throw new SessionRefused(RefusalType.InvalidInput, message('session:refused.noReviewers', { station: stationId }));
  }
  const clean = cleanPlan(plan);
  const plannedAt = now.toISOString();
  const planKey = createHash('sha256')
    .update(JSON.stringify([stationId, clean]))
    .digest('hex');
  const { sessionId, existed } = await claimSessionRow(
    deps.db,
    {
      stationId,
      guidanceCenterId,
      stage: SessionStage.PlanReview,
      closed: false,
      plan: clean,
      seated: 0,
      plannedBy: actor.id,
      plannedAt,
    },
    planKey,
    (serial) => `${stationId.toUpperCase()}-${plannedAt.slice(0, 4)}-S${String(serial).padStart(3, '0')}`,
  );
  try {
    // Also when the row existed: a start that failed after its row was written is made good by the retry.
    await deps.client.workflow.start(sessionWorkflow, {
      taskQueue: deps.taskQueue ?? TASK_QUEUE,
      workflowId: sessionWorkflowIdFor(sessionId),
      args: [{ sessionId, stationId, guidanceCenterId, departmentId, plan: clean, plannedBy: actor.id }],
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  return { sessionId, alreadyPlanned: existed };
}

export const sessionHandle = (client: Client, sessionId: string) =>
  client.workflow.getHandle<typeof sessionWorkflow>(sessionWorkflowIdFor(sessionId));

/** The session as its workflow knows it; a session nobody planned is refused as not found. */
export async function sessionState(client: Client, sessionId: string): Promise<SessionView> {
  try {
    return await sessionHandle(client, sessionId).query(getSessionState);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw noSession(sessionId);
    throw error;
  }
}

/** Who may look at a session: its station's people, its guidance center's and department's, and administrators. */
/** The session, when this actor may see it; otherwise the same refusal a session that does not exist gets. */
export async function visibleSession(client: Client, actor: Actor, sessionId: string): Promise<SessionView> {
  const view = await sessionState(client, sessionId);
  if (!maySeeSession(actor, view)) throw noSession(sessionId);
  return view;
}

const noSession = (sessionId: string) =>
  new SessionRefused(RefusalType.NotFound, message('session:refused.noSession', { sessionId }));

export function maySeeSession(
  actor: Actor,
  view: Pick<SessionView, 'stationId' | 'guidanceCenterId' | 'departmentId'>,
) {
  const offices = [view.stationId, view.guidanceCenterId, view.departmentId];
  return actor.groups.some((group) => group === 'administrators' || offices.includes(group.split(':')[0]));
}

/**
 * Seats a case in a session, or moves it there from the session it holds a seat in. The case must be its station's
 * and be waiting for a seat (or hold one whose registration is still open); the session checks the rest: its cut-off,
 * its qualifications, and its last free seat, which exactly one of two clerks gets.
 */
export async function seatCase(
  deps: SessionClientDeps,
  { actor, sessionId, applicationNumber }: { actor: Actor; sessionId: string; applicationNumber: string },
): Promise<RosterEntry> {
  const view = await seatableCase(deps, actor, applicationNumber);
  const { occupation, level, stationId } = view.application;
  const resit = view.stage === Stage.Resit ? view.exam?.resit : undefined;
  return updateSession(deps.client, sessionId, seatCandidate, {
    actor,
    applicationNumber: view.applicationNumber,
    occupation,
    level,
    stationId,
    ...(resit && { resit: { part: resit.part, closesAt: endOfLocalDay(resit.deadline).toISOString() } }),
  });
}

/**
 * How often an update is sent again when it met the session carrying itself over (see `metCarryOver`): each attempt
 * lands on the newer run, so a second one is nearly always enough.
 */
const CARRY_OVER_ATTEMPTS = 3;
/** The gRPC status code of that answer. */
const FAILED_PRECONDITION = 9;

/**
 * Sends one update to a session. A session that has ended takes no updates (Temporal answers as if it did not
 * exist); the refusal then says that it ended, and how, the way the workflow would have.
 */
export async function updateSession<Ret, Arg>(
  client: Client,
  sessionId: string,
  update: UpdateDefinition<Ret, [Arg]>,
  arg: Arg,
): Promise<Ret> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await sessionHandle(client, sessionId).executeUpdate(update, { args: [arg] });
    } catch (error) {
      if (attempt < CARRY_OVER_ATTEMPTS && metCarryOver(error)) continue;
      throw await whyRefused(client, sessionId, error);
    }
  }
}

/**
 * The update reached the session in the workflow task that carried it over (continue-as-new) while another event
 * came in; the server then fails that task as "unhandled command" and answers the update with this error. The update
 * was never accepted, so it is sent again, and the newer run takes it; a clerk should not see the session's
 * housekeeping.
 */
function metCarryOver(error: unknown): boolean {
  const cause = (error as { cause?: { code?: number; details?: string } }).cause;
  return cause?.code === FAILED_PRECONDITION && /unexpected workflow task failure/.test(cause.details ?? '');
}

/** A session that has ended answers as if it did not exist: say that it ended, and how, as the workflow would. */
async function whyRefused(client: Client, sessionId: string, error: unknown): Promise<unknown> {
  if (!(error instanceof WorkflowNotFoundError)) return error;
  const ended = await sessionState(client, sessionId);
  return new SessionRefused(
    RefusalType.Closed,
    message('session:refused.ended', { sessionId, sessionStage: ended.stage }),
  );
}

/** One line of a room's check-in list: the seat, and who must sit in it. */
export interface CheckInRow {
  ticketNumber: string;
  room: string;
  seat: number;
  applicationNumber: string;
  occupation: string;
  level: number;
  candidate: { name: string | null; idNumber: string | null };
  attendance?: RosterEntry['attendance'];
}

/**
 * Those who check candidates in at the door see whom to expect: the station's clerks, supervisors and examiners, and
 * administrators. Anyone else who may see the session (its guidance center) sees the list masked.
 */
export function mayCheckIn(actor: Actor, view: SessionView): boolean {
  const groups = [...sessionOfficeGroups(view.stationId), `${view.stationId}:examiners`];
  return actor.groups.some((group) => groups.includes(group));
}

/** The seated candidates of one room (or all rooms), in seat order, with their marks so far. */
export async function checkInList(
  db: Db,
  actor: Actor,
  view: SessionView,
  room?: string,
): Promise<{ sessionId: string; room?: string; rows: CheckInRow[] }> {
  if (room !== undefined && !view.plan.rooms.some((r) => r.name === room)) {
    const rooms = view.plan.rooms.map((r) => r.name).join(', ');
    throw new SessionRefused(
      RefusalType.NotFound,
      message('session:refused.noRoom', { sessionId: view.sessionId, room, rooms }),
    );
  }
  const roomOrder = view.plan.rooms.map((r) => r.name);
  const seated = view.roster
    .filter((entry) => !entry.released && (room === undefined || entry.seat.room === room))
    .sort((a, b) => roomOrder.indexOf(a.seat.room) - roomOrder.indexOf(b.seat.room) || a.seat.number - b.seat.number);
  const people = await candidatesOf(
    db,
    seated.map((entry) => entry.applicationNumber),
  );
  const unmasked = mayCheckIn(actor, view);
  const rows = seated.map((entry): CheckInRow => {
    const person = people.get(entry.applicationNumber);
    const name = person?.name ?? null;
    const idNumber = person?.idNumber ?? null;
    return {
      ticketNumber: entry.ticketNumber,
      room: entry.seat.room,
      seat: entry.seat.number,
      applicationNumber: entry.applicationNumber,
      occupation: entry.occupation,
      level: entry.level,
      candidate: unmasked
        ? { name, idNumber }
        : { name: name && maskName(name), idNumber: idNumber && maskIdNumber(idNumber) },
      attendance: entry.attendance,
    };
  });
  return { sessionId: view.sessionId, room, rows };
}

/** Where a session's score sheet stands, for its page and the API. */
export type SheetState = 'not-open' | 'entry' | 'check' | 'checked';

export function sheetState(view: SessionView): SheetState {
  const { sheet } = view;
  if (!sheet) return 'not-open';
  if (sheet.checked) return 'checked';
  return sheet.submittedBy ? 'check' : 'entry';
}

/** The score sheet: every present candidate in seat order, with the scores entered so far. */
export async function scoreSheetOf(db: Db, actor: Actor, view: SessionView) {
  const { rows } = await checkInList(db, actor, view);
  const lines = view.sheet?.rows ?? {};
  return {
    sessionId: view.sessionId,
    state: sheetState(view),
    submittedBy: view.sheet?.submittedBy,
    checked: view.sheet?.checked,
    returns: view.sheet?.returns ?? [],
    rows: rows
      .filter((row) => row.attendance?.present)
      .map(({ attendance: _attendance, ...row }) => {
        const line = lines[row.ticketNumber];
        const { knowledge, skills, disqualified, by: enteredBy, at: enteredAt } = line ?? {};
        return { ...row, knowledge, skills, disqualified, enteredBy, enteredAt };
      }),
  };
}

/**
 * Seats a case in the soonest session of its station that examines its occupation and level, is open for
 * registration and has a free seat. A session that fills up meanwhile refuses, and the next one is tried.
 */
export async function seatInNextSession(
  deps: SessionClientDeps,
  { actor, applicationNumber }: { actor: Actor; applicationNumber: string },
): Promise<{ sessionId: string; entry: RosterEntry }> {
  const view = await seatableCase(deps, actor, applicationNumber);
  const { occupation, level, stationId } = view.application;
  const now = (deps.now?.() ?? new Date()).getTime();
  // The list lags its sessions by a moment (their records activity writes it), so it only narrows the search: each
  // session itself says whether it takes the case now.
  const fitting = (await listSessions(deps.db, { stationIds: [stationId], open: true })).filter(
    (s) =>
      Date.parse(s.plan.registrationClosesAt) > now &&
      s.seated < s.capacity &&
      s.sessionId !== view.sitting?.sessionId &&
      examines(s.plan, occupation, level),
  );
  for (const session of fitting) {
    try {
      const entry = await seatCase(deps, { actor, sessionId: session.sessionId, applicationNumber });
      return { sessionId: session.sessionId, entry };
    } catch (error) {
      // Full, not yet approved, or closed since the list was read: the next session may still take the case.
      const refusal = (error as { cause?: unknown }).cause;
      const passOver = [RefusalType.Conflict, RefusalType.Closed] as string[];
      if (error instanceof SessionRefused && error.type === RefusalType.Closed) continue;
      if (!(refusal instanceof ApplicationFailure && passOver.includes(refusal.type ?? ''))) throw error;
    }
  }
  const sought = { station: stationId, occupation, level };
  throw new SessionRefused(
    RefusalType.Conflict,
    view.sitting
      ? message('session:refused.noFittingSessionElsewhere', { ...sought, sessionId: view.sitting.sessionId })
      : message('session:refused.noFittingSession', sought),
  );
}

/** The case, when the actor's station holds it and it may take a seat now. */
async function seatableCase(deps: SessionClientDeps, actor: Actor, applicationNumber: string): Promise<CaseView> {
  const number = typeof applicationNumber === 'string' ? applicationNumber.trim().toUpperCase() : '';
  // The same answer for a case that does not exist and one of another station: the number tells nobody anything.
  const unknown = new SessionRefused(
    RefusalType.NotFound,
    number ? message('session:refused.noCase', { applicationNumber: number }) : message('session:refused.noCaseNumber'),
  );
  // A number names its station, so one of another station is refused before anything is looked up: the answer, and
  // the time it takes, are the same whether such a case exists or not.
  const stations = actor.groups.map((group) => group.split(':')[0]);
  const administrator = actor.groups.includes(ADMINISTRATORS);
  if (!number || (!administrator && !stations.some((station) => belongsToStation(number, station)))) throw unknown;
  let view: CaseView;
  try {
    view = await deps.client.workflow.getHandle(workflowIdFor(number)).query(getState);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw unknown;
    throw error;
  }
  if (!actor.groups.some((group) => sessionOfficeGroups(view.application.stationId).includes(group))) throw unknown;
  const { stage, sitting } = view;
  // A re-sit waits for a seat in its own stage, unless it has a re-sit task of its own (a case from before sessions).
  const resitting =
    stage === Stage.Resit &&
    !sitting &&
    !view.tasks.some((t) => t.kind === TaskKind.ResitScores && t.status === TaskStatus.Open);
  if (view.closed || (stage !== Stage.AwaitingSeat && stage !== Stage.AdmissionTicket && !resitting)) {
    throw new SessionRefused(
      RefusalType.Conflict,
      message('session:refused.notSeatable', { applicationNumber: number, stage }),
    );
  }
  const now = (deps.now?.() ?? new Date()).getTime();
  if (sitting && now >= Date.parse(sitting.schedule.registrationClosesAt)) {
    throw new SessionRefused(
      RefusalType.Closed,
      message('session:refused.cannotMove', {
        applicationNumber: number,
        sessionId: sitting.sessionId,
        closedAt: sitting.schedule.registrationClosesAt,
      }),
    );
  }
  return view;
}
