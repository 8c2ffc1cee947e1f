/**
 * One appraisal session: a round of examinations a station holds for many candidates at a prescribed time and place
 * (seed sections 15 to 17). The function below reads as its story: the guidance center reviews the plan, candidates
 * are seated until the cut-off, the parts are held while the station keeps the check-in list. The session is the authority on its roster; each case hears of
 * its seat, its new dates or the loss of its seat through signals the session sends (see `deliver`), and a case gives
 * a seat back with a signal of its own.
 *
 * A session can seat thousands. Each seat is an Update in its history, so a long roster carries itself over into a
 * new run (continue-as-new) whenever the history grows long, at a point where nothing is in flight.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  patched,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { NotificationKind } from '../activities/notifications';
import { examBegins, examEnds } from '../domain/sessionPlan';
import { addWorkingDays, endOfLocalDay, localDate } from '../domain/workingDays';
import { auditEntries } from './auditTrail';
import { acts } from './activities';
import { watchDeadline } from './deadlines';
import { searchAttributes, workflowIdFor } from './definitions';
import { openTaskAttributes, upsertChanged } from './searchAttributeSync';
import {
  type SessionTask,
  type SessionView,
  type SessionWorkflowInput,
  approvePlan,
  cancelSession,
  claimSessionTask,
  enterScores,
  getSessionState,
  markedAbsent,
  postponeSession,
  recordAttendance,
  reassignSessionTask,
  RESULT_LEVELS,
  resultsDecided,
  resultsReady,
  rejectPlan,
  releaseSessionTask,
  returnPlan,
  revisePlan,
  scheduleChanged,
  seatCandidate,
  seatGranted,
  seatReleased,
  seatWithdrawn,
  sheetScores,
  SessionDecision,
  SessionStage,
  SessionTaskKind,
} from './sessionDefinitions';
import { type CaseMessage, SessionClosed, SessionFile } from './sessionFile';
import { TaskStatus } from './definitions';

/**
 * A run carries itself over once its history has this many events: far below Temporal's limit (50,000), and few
 * enough that a worker picking the session up replays it in a moment.
 */
export const CARRY_OVER_AFTER_EVENTS = 4_000;

/** Certificate numbers reserved by one activity: a few hundred short transactions, well inside its timeout. */
const NUMBERS_PER_ACTIVITY = 100;

/** Sessions that began their exam before check-in lists existed were held without one, and replay that way. */
const CHECK_IN = 'session-check-in';
/** Likewise for score sheets: a session whose list closed before they existed was held without one. */
const SCORE_SHEET = 'session-score-sheet';
/** And for the station's report, which came after score sheets. */
const REPORT = 'session-report';
/** And for the results batch, which came after the report; a session held before it let its cases go up alone. */
const RESULTS = 'session-results';
/**
 * Sessions carried themselves over only while seating; since this, they do so at any step after the exam too (the
 * sheet, the batch and its cases' messages grow the history by thousands of events in a large session).
 */
const CARRY_OVER_AFTER_EXAM = 'session-carry-over-after-exam';

/** The stages after the exam: a run carried over in one of them resumes there. */
const AFTER_EXAM: readonly SessionStage[] = [SessionStage.Scoring, SessionStage.Results, SessionStage.Reporting];

export async function sessionWorkflow(input: SessionWorkflowInput): Promise<SessionView> {
  const file = input.carried
    ? new SessionFile(input.carried.view, input.carried.recordedVersion, input.carried.outbox)
    : SessionFile.plan(input, new Date().toISOString());
  file.input = input;
  registerHandlers(file);
  void keepRecords(file);
  void deliver(file);
  try {
    if (input.carried) {
      file.policy = input.carried.policy;
    } else {
      file.policy = (await acts.loadPolicy({ submittedAt: file.view.plannedAt })).policy;
      publish(file);
      await reviewPlan(file);
    }
    if (!AFTER_EXAM.includes(file.stage)) {
      await followSchedule(file, input);
      await file.checkingIn;
    }
    if (file.view.checkIn && (file.view.sheet || patched(SCORE_SHEET))) await scoreSheet(file);
    if (file.view.sheet?.checked && (file.view.results || patched(RESULTS))) await results(file);
    if (file.view.checkIn && (file.view.evaluation || patched(REPORT))) await report(file);
    file.close(SessionStage.Held);
  } catch (error) {
    if (!(error instanceof SessionClosed)) throw error;
  }
  publish(file);
  // Every case hears of its lost seat, and the records show the end, before the session's history closes.
  await condition(() => settled(file));
  return file.view;
}

// ---- Stages ----

/** The center approves, returns (the station revises, the center reviews again) or rejects the plan. */
async function reviewPlan(file: SessionFile): Promise<void> {
  for (;;) {
    if (file.stage !== SessionStage.PlanReview) file.enter(SessionStage.PlanReview);
    const review = await humanStep(file, SessionTaskKind.PlanReview);
    const { decision, comment, by } = review.outcome!;
    if (decision === SessionDecision.Approve) return;
    if (decision === SessionDecision.Reject) throw file.close(SessionStage.PlanRejected, comment, by);
    file.enter(SessionStage.PlanRevision);
    await humanStep(file, SessionTaskKind.PlanRevision);
  }
}

/**
 * Registration until the cut-off, then the wait for the first part, then the parts themselves. The stage is worked
 * out from the clock and the current plan each time round, so a postponement (which may reopen registration) and a
 * run carried over by continue-as-new both simply pick up where the dates say the session stands.
 */
async function followSchedule(file: SessionFile, input: SessionWorkflowInput): Promise<void> {
  for (;;) {
    const { plan } = file.view;
    const at = Date.now();
    const cutOff = Date.parse(plan.registrationClosesAt);
    const [stage, until] =
      at < cutOff
        ? [SessionStage.Registration, cutOff]
        : at < examBegins(plan)
          ? [SessionStage.RegistrationClosed, examBegins(plan)]
          : [SessionStage.Examination, examEnds(plan)];
    // The check-in list opens with the first part, even when a worker comes back only after the last one ended.
    if (stage === SessionStage.Examination && !file.checkingIn && keepsCheckIn(file)) {
      if (file.stage !== stage) file.enter(stage);
      publish(file);
      file.checkingIn = checkIn(file);
    }
    if (stage === SessionStage.Examination && at >= until) return;
    if (file.stage !== stage) {
      file.enter(stage);
      publish(file);
    }
    const version = file.scheduleVersion;
    await condition(
      () => file.view.closed || file.scheduleVersion !== version || historyIsLong(file),
      Math.max(1, until - Date.now()),
    );
    if (file.view.closed) throw new SessionClosed(file.stage);
    if (historyIsLong(file)) await carryOver(file, input);
  }
}

/** A run carried over while the list was open picks its task up again; a closed list needs nothing more. */
function keepsCheckIn(file: SessionFile): boolean {
  return !!file.view.checkIn || file.tasks.open.some((t) => t.kind === SessionTaskKind.CheckIn) || patched(CHECK_IN);
}

/** Runs beside the schedule, so a session that closes meanwhile ends it quietly rather than as a stray failure. */
async function checkIn(file: SessionFile): Promise<void> {
  if (file.view.checkIn) return;
  const open = file.tasks.open.find((t) => t.kind === SessionTaskKind.CheckIn);
  try {
    await humanStep(file, SessionTaskKind.CheckIn, open);
  } catch (error) {
    if (!(error instanceof SessionClosed)) throw error;
  }
}

/**
 * The appraisal team enters every present candidate's scores and submits the sheet; another member checks it, and
 * either sends it back (with why) or approves it, which sends each candidate's scores to their case.
 */
async function scoreSheet(file: SessionFile): Promise<void> {
  if (file.present.length === 0 || file.view.sheet?.checked) return;
  if (file.stage !== SessionStage.Scoring) file.enter(SessionStage.Scoring);
  file.view.sheet ??= { rows: {}, returns: [] };
  const { calendar, deadlines } = file.policy;
  const lastDay = localDate(new Date(examEnds(file.view.plan)));
  const dueAt = addWorkingDays(endOfLocalDay(lastDay), deadlines[SessionTaskKind.ScoreEntry] ?? 15, calendar);
  // Entered until submitted, then checked; a return clears the submission. A run carried over picks up where the
  // sheet stands, even when an update that came with its first task moved it on.
  const sheet = file.view.sheet;
  while (!sheet.checked) {
    if (!sheet.submittedBy) await humanStep(file, SessionTaskKind.ScoreEntry, undefined, dueAt);
    else await humanStep(file, SessionTaskKind.ScoreCheck);
  }
}

/**
 * The results go up as a batch. Cases join it as they reach result approval (joinBatch) until the station's summary;
 * each level approves what stays, taking single candidates out, or returns the whole batch a level down. Once the
 * department approves, the certificate numbers are reserved in the order of the roster, and every case hears of it.
 */
async function results(file: SessionFile): Promise<void> {
  file.view.results ??= {
    expected: file.passedLines(),
    lines: [],
    decisions: [],
    summarised: false,
    done: false,
    late: [],
  };
  if (file.view.results.expected === 0 || file.view.results.done) return;
  if (file.stage !== SessionStage.Results) file.enter(SessionStage.Results);
  const { results } = file.view;
  // The level after the last decision: a run carried over resumes there, even when an update that came with its
  // first task decided the open level before this story got going again.
  const next = () => {
    const last = results.decisions.at(-1);
    if (!last) return 0;
    const level = RESULT_LEVELS.findIndex(({ caseKind }) => caseKind === last.kind);
    return last.decision === 'return' ? level - 1 : level + 1;
  };
  // Until the department approves, or every candidate has been taken out.
  while (next() < RESULT_LEVELS.length && !(results.summarised && file.batch.length === 0)) {
    await humanStep(file, RESULT_LEVELS[next()].kind);
  }
  const issuedOn = localDate(new Date());
  const numbers = new Map<string, string>();
  const { stationId } = file.view;
  // In the roster's order, a slice at a time so each activity stays short; a retried slice finds its numbers.
  const batch = file.batch;
  for (let from = 0; from < batch.length; from += NUMBERS_PER_ACTIVITY) {
    const cases = batch.slice(from, from + NUMBERS_PER_ACTIVITY).map(({ applicationNumber }) => {
      const { level } = file.view.roster.find((entry) => entry.applicationNumber === applicationNumber)!;
      return { applicationNumber, level };
    });
    for (const { applicationNumber, number } of await acts.reserveCertificateNumbers({ stationId, issuedOn, cases })) {
      numbers.set(applicationNumber, number);
    }
  }
  file.releaseBatch(numbers, issuedOn);
  publish(file);
}

/** The station reports on the appraisal: the figures speak for themselves; its opinion of the team is the task's. */
async function report(file: SessionFile): Promise<void> {
  if (file.view.evaluation) return;
  if (file.stage !== SessionStage.Reporting) file.enter(SessionStage.Reporting);
  await humanStep(file, SessionTaskKind.Report);
}

// ---- Human steps ----

/**
 * `resume`: a task still open from the run before (continue-as-new); its group was told when it opened. `dueAt`:
 * a deadline counted from something other than now (the exam's last day).
 */
async function humanStep(
  file: SessionFile,
  kind: SessionTaskKind,
  resume?: SessionTask,
  dueAt?: Date,
): Promise<SessionTask> {
  // A policy recorded before a kind of task existed has no deadline for it: one working day, the shortest there is.
  const days = file.policy.deadlines[kind] ?? 1;
  // A run carried over finds its task open already (a step never has two tasks of one kind open).
  resume ??= file.tasks.open.find((task) => task.kind === kind);
  const task = resume ?? file.openTask(kind, dueAt ?? addWorkingDays(new Date(), days, file.policy.calendar));
  const mayCarryOver = AFTER_EXAM.includes(file.stage) && patched(CARRY_OVER_AFTER_EXAM);
  publish(file);
  const watcher = watchDeadline(file, task, {
    notify: (t, notice) => tellGroup(file, t, notice),
    changed: () => publish(file),
  });
  try {
    if (!resume) await tellGroup(file, task, 'task-opened');
    await condition(() => task.status !== TaskStatus.Open || file.view.closed || (mayCarryOver && historyIsLong(file)));
  } finally {
    watcher.cancel();
  }
  if (file.view.closed) throw new SessionClosed(file.stage);
  if (task.status === TaskStatus.Open) await carryOver(file, file.input);
  publish(file);
  return task;
}

// ---- Cases ----

/**
 * Sends the outbox's messages to their cases, a batch at a time. A case that has ended cannot take a seat: the
 * session then frees the seat it was given.
 */
async function deliver(file: SessionFile): Promise<void> {
  for (;;) {
    await condition(() => file.outbox.length > 0);
    const batch = file.outbox.slice(0, 200);
    await Promise.all(batch.map((message) => signalCase(file, message)));
    file.outbox.splice(0, batch.length);
  }
}

async function signalCase(file: SessionFile, message: CaseMessage): Promise<void> {
  const { sessionId, plan } = file.view;
  const target = getExternalWorkflowHandle(workflowIdFor(message.to));
  const schedule = { knowledge: plan.knowledge, skills: plan.skills, registrationClosesAt: plan.registrationClosesAt };
  try {
    if (message.signal === 'seatGranted') {
      const { seat, ticketNumber, seatedAt } = message.entry;
      await target.signal(seatGranted, {
        key: `${sessionId}/seat/${ticketNumber}`,
        sessionId,
        seat,
        ticketNumber,
        issuedAt: seatedAt,
        schedule,
      });
    } else if (message.signal === 'scheduleChanged') {
      await target.signal(scheduleChanged, {
        key: `${sessionId}/schedule/${message.step}`,
        sessionId,
        schedule,
        reason: message.reason,
      });
    } else if (message.signal === 'sheetScores') {
      const { to: _to, signal: _signal, ...scores } = message;
      await target.signal(sheetScores, { key: `${sessionId}/scores/${scores.ticketNumber}`, sessionId, ...scores });
    } else if (message.signal === 'resultsDecided') {
      const { to: _to, signal: _signal, ...decided } = message;
      await target.signal(resultsDecided, {
        key: `${sessionId}/results/${decided.ticketNumber}`,
        sessionId,
        ...decided,
      });
    } else if (message.signal === 'voidNumber') {
      await voidNumber(message.to, message.number, message.reason);
    } else if (message.signal === 'markedAbsent') {
      const { ticketNumber } = message;
      await target.signal(markedAbsent, { key: `${sessionId}/absent/${ticketNumber}`, sessionId, ticketNumber });
    } else {
      await target.signal(seatWithdrawn, { key: `${sessionId}/withdrawn`, sessionId, reason: message.reason });
    }
  } catch (error) {
    log.warn('a case could not be told', { to: message.to, signal: message.signal, error: String(error) });
    if (message.signal === 'seatGranted') file.releaseFor(message.to, 'the case has ended');
    if (message.signal === 'resultsDecided' && message.certificate) {
      await voidNumber(message.to, message.certificate.number, 'the case ended before its certificate was issued');
    }
  }
}

/** A number reserved for a case that will never take it stays in the register, voided: the serials keep no gaps. */
async function voidNumber(applicationNumber: string, number: string, reason: string): Promise<void> {
  await acts.voidCertificate({
    number,
    caseId: workflowIdFor(applicationNumber),
    reason,
    decidedBy: 'qualiflow',
    decidedAt: new Date().toISOString(),
  });
}

// ---- Carrying over ----

function historyIsLong(file: SessionFile): boolean {
  const info = workflowInfo();
  const limit = file.policy?.sessionHistoryLimit ?? CARRY_OVER_AFTER_EVENTS;
  return info.continueAsNewSuggested || info.historyLength > limit;
}

/** Nothing is in flight: no update half done, no message unsent, no record unwritten. */
function settled(file: SessionFile): boolean {
  return allHandlersFinished() && file.outbox.length === 0 && file.recordedVersion === file.view.history.length;
}

/**
 * Starts the next run with the whole session in its input. Only the update handlers must be done (they are
 * synchronous, so this is at once); unsent messages and unwritten records go along, and the next run sends and
 * writes them. A message or record already on its way is sent or written once more, which changes nothing: a case
 * takes each message once by its key, and the records are keyed and version-guarded. Waiting for them instead could
 * wait for ever while clerks keep seating candidates.
 */
async function carryOver(file: SessionFile, input: SessionWorkflowInput): Promise<never> {
  await condition(allHandlersFinished);
  file.record({ type: 'session-carried-over', comment: `run ${file.view.runs + 1}` });
  const view = { ...file.view, runs: file.view.runs + 1 };
  return continueAsNew<typeof sessionWorkflow>({
    ...input,
    carried: { view, recordedVersion: file.recordedVersion, policy: file.policy, outbox: file.outbox },
  });
}

// ---- Records ----

/** Like a case's keepRecords (application.ts): the session's row in the session list, and its decisions' audit. */
async function keepRecords(file: SessionFile): Promise<void> {
  const workflowId = workflowInfo().workflowId;
  for (;;) {
    await condition(() => file.view.history.length > file.recordedVersion);
    const from = file.recordedVersion;
    const version = file.view.history.length;
    const audit = auditEntries(workflowId, file.view.history, from, version);
    const { sessionId, stationId, guidanceCenterId, stage, closed, plan, plannedBy, plannedAt } = file.view;
    await acts.recordSession({
      session: {
        sessionId,
        stationId,
        guidanceCenterId,
        stage,
        closed,
        plan,
        plannedBy,
        plannedAt,
        seated: file.seated.length,
      },
      version,
      audit,
      tasks: changedTasks(file),
    });
    file.recordedVersion = version;
  }
}

/** The tasks that changed since the last write (an open one also when the session's stage moved). */
function changedTasks(file: SessionFile): SessionTask[] {
  return file.view.tasks.filter((task) => {
    const state = JSON.stringify(task) + (task.status === TaskStatus.Open ? file.stage : '');
    if (file.recordedTasks.get(task.id) === state) return false;
    file.recordedTasks.set(task.id, state);
    return true;
  });
}

// ---- Messages ----

function registerHandlers(file: SessionFile): void {
  setHandler(getSessionState, () => file.view);
  const after = () => (publish(file), file.view);
  setHandler(claimSessionTask, (cmd) => (file.tasks.claim(cmd), after()), {
    validator: (cmd) => void file.tasks.checkClaim(cmd),
  });
  setHandler(releaseSessionTask, (cmd) => (file.tasks.release(cmd), after()), {
    validator: (cmd) => file.tasks.checkRelease(cmd),
  });
  setHandler(reassignSessionTask, (cmd) => (file.tasks.reassign(cmd), after()), {
    validator: (cmd) => file.tasks.checkReassign(cmd),
  });
  const taskDecision = (update: typeof approvePlan, decision: SessionDecision) =>
    setHandler(update, (cmd) => (file.decideTask(cmd, decision), after()), {
      validator: (cmd) => file.checkTaskDecision(cmd, decision),
    });
  taskDecision(approvePlan, SessionDecision.Approve);
  taskDecision(returnPlan, SessionDecision.Return);
  taskDecision(rejectPlan, SessionDecision.Reject);
  setHandler(revisePlan, (cmd) => (file.revise(cmd), after()), {
    validator: (cmd) => file.checkRevision(cmd, Date.now()),
  });
  setHandler(seatCandidate, (cmd) => file.seat(cmd), { validator: (cmd) => file.checkSeat(cmd, Date.now()) });
  setHandler(postponeSession, (cmd) => (file.postpone(cmd), after()), {
    validator: (cmd) => file.checkPostponement(cmd, Date.now()),
  });
  setHandler(cancelSession, (cmd) => (file.close(SessionStage.Cancelled, cmd.reason.trim(), cmd.actor.id), after()), {
    validator: (cmd) => file.checkCancellation(cmd, Date.now()),
  });
  setHandler(recordAttendance, (cmd) => (file.markAttendance(cmd), after()), {
    validator: (cmd) => file.checkAttendance(cmd, Date.now()),
  });
  setHandler(enterScores, (cmd) => (file.enterRows(cmd), after()), { validator: (cmd) => file.checkScoreRows(cmd) });
  setHandler(seatReleased, (msg) => file.caseReleased(msg));
  setHandler(resultsReady, (msg) => (file.joinBatch(msg), publish(file)));
}

/** The search attributes every workflow with tasks keeps (see searchAttributeSync.ts); no personal data. */
function publish(file: SessionFile): void {
  const { kinds, groups, nextDue } = openTaskAttributes(file.tasks.open);
  upsertChanged(file.publishedAttributes, [
    { key: searchAttributes.stage, value: file.stage },
    kinds,
    groups,
    nextDue,
    { key: searchAttributes.station, value: file.view.stationId },
  ]);
}

/** Group notices about a session go in the session's own log (its id stands where a case's number would). */
async function tellGroup(file: SessionFile, task: SessionTask, kind: NotificationKind): Promise<void> {
  const group = kind === 'task-escalated' ? task.supervisingGroup : task.candidateGroup;
  const { sessionId } = file.view;
  await acts.notify({
    key: `${workflowInfo().workflowId}/${task.id}/${kind}`,
    kind,
    applicationNumber: sessionId,
    recipient: { group },
    task: { id: task.id, kind: task.kind, dueAt: task.dueAt, assignee: task.assignee },
    session: { id: sessionId },
  });
}
