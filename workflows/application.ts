/**
 * One candidate's path, from the application to the handed-over certificate. The function below reads as the story
 * of the case; each stage is a helper further down, and every human step goes through `humanStep`.
 */
import {
  ApplicationFailure,
  condition,
  patched,
  getExternalWorkflowHandle,
  log,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { NotificationKind, NotifyInput } from '../activities/notifications';
import { englishText } from '../domain/englishText';
import { requiresComprehensiveReview } from '../domain/levels';
import { type Message, message } from '../domain/messages';
import { afterResit, type ExamScores, examOutcome, resitDeadline } from '../domain/scores';
import { examBegins, examEnds } from '../domain/sessionPlan';
import { addWorkingDays, endOfLocalDay, localDate } from '../domain/workingDays';
import { auditEntries } from './auditTrail';
import { acts, rendering } from './activities';
import { CaseClosed, CaseFile, sheetNote, sheetSaid } from './caseFile';
import { watchDeadline } from './deadlines';
import { openTaskAttributes, upsertChanged } from './searchAttributeSync';
import {
  type ApplicationWorkflowInput,
  type CaseView,
  type HumanTask,
  approveTask,
  cancelCase,
  claimTask,
  Decision,
  disqualifyCandidate,
  getState,
  reassignTask,
  rejectTask,
  releaseTask,
  returnTask,
  searchAttributes,
  Stage,
  submitScores,
  TaskKind,
  TaskStatus,
  withdrawApplication,
} from './definitions';
import {
  markedAbsent,
  resultsDecided,
  resultsReady,
  scheduleChanged,
  seatGranted,
  seatReleased,
  seatWithdrawn,
  sessionWorkflowIdFor,
  type SheetScores,
  sheetScores,
} from './sessionDefinitions';
import { TASK_RULES } from './taskRules';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A case seated in a session waits for its line of the session's score sheet, with no exam task of its own (which
 * told the examiners once per candidate, for a task the sheet decides). Cases that began their exam before this
 * opened that task, and replay so.
 */
const EXAM_BY_SHEET = 'exam-by-sheet';
/** A case that sat in a session sends its results up in the session's batch; cases before it went up alone. */
const RESULTS_BY_BATCH = 'results-by-batch';
/** A case that sat in a session re-sits its failed part in a later one; cases before it had a re-sit task of their own. */
const RESIT_IN_SESSION = 'resit-in-session';
/**
 * A sealed certificate is rendered when it is printed (inbox-ui/routes/printing.ts), from the content its seal covers,
 * not in the case's path: rendering with the CJK font was most of a case's CPU, and the sealed content alone decides
 * the bytes. Cases sealed before this rendered a file at issuance, and replay so.
 */
const CERTIFICATE_ON_DEMAND = 'certificate-on-demand';

const RESULT_LEVELS: [TaskKind, Stage][] = [
  [TaskKind.ResultStationSummary, Stage.ResultApproval],
  [TaskKind.ResultCenterApproval, Stage.ResultApproval],
  [TaskKind.ResultDepartmentApproval, Stage.ResultApproval],
];

export async function applicationWorkflow(input: ApplicationWorkflowInput): Promise<CaseView> {
  const file = new CaseFile(input);
  registerHandlers(file);
  void keepRecords(file);
  void returnSeats(file);
  try {
    const { policy, ruleSetVersion } = await acts.loadPolicy({ submittedAt: input.submittedAt });
    file.policy = policy;
    file.view.ruleSetVersion = ruleSetVersion;
    await checkEligibility(file);
    await approvalChain(file, [
      [TaskKind.StationReview, Stage.StationReview],
      [TaskKind.CenterReview, Stage.CenterReview],
    ]);
    if (file.policy.appraisalSessions) {
      if (file.view.trainingRequired) await train(file);
      await examineInSessions(file);
    } else {
      await issueAdmissionTicket(file);
      if (file.view.trainingRequired) await train(file);
      await examine(file);
    }
    if (requiresComprehensiveReview(file.app.level)) await reviewTechnicalWork(file);
    if (file.view.sitting && patched(RESULTS_BY_BATCH)) await approveInBatch(file);
    else await approvalChain(file, RESULT_LEVELS);
    await issueCertificate(file);
  } catch (error) {
    if (!(error instanceof CaseClosed)) throw error;
  }
  const { certificate, outcome } = file.view;
  if (certificate && !certificate.handedOverAt && outcome) {
    await acts.voidCertificate({
      number: certificate.number,
      caseId: workflowInfo().workflowId,
      reason: `${outcome.stage}: ${outcome.reason ?? 'closed before hand-over'}`,
      decidedBy: outcome.by ?? 'qualiflow',
      decidedAt: outcome.at,
    });
  }
  publish(file);
  await tellCandidate(file, outcomeNotice(file.stage));
  await condition(() => file.recordedVersion === file.view.history.length && file.seatReleases.length === 0);
  return file.view;
}

// ---- Stages ----

async function checkEligibility(file: CaseFile): Promise<void> {
  file.enter(Stage.Eligibility);
  publish(file);
  const { result, trainingRequired } = await acts.checkEligibility({
    application: file.app,
    ruleSetVersion: file.view.ruleSetVersion,
    submittedOn: localDate(new Date(file.view.submittedAt)),
  });
  file.view.eligibility = result;
  file.view.trainingRequired = trainingRequired;
  const unmet = result.lines.filter((line) => !line.met).length;
  const said = message('case:said.linesUnmet', { unmet, lines: result.lines.length });
  file.record({ type: result.eligible ? 'eligible' : 'ineligible', comment: englishText(said), said });
  if (!result.eligible) throw file.close(Stage.Ineligible, message('case:said.ineligible'));
}

/**
 * A chain of approval levels: each may approve (the case climbs a level), reject (the case ends) or return it to the
 * level below with a reason (that level decides again).
 */
async function approvalChain(file: CaseFile, levels: [TaskKind, Stage][], from = 0): Promise<void> {
  let index = from;
  while (index < levels.length) {
    const [kind, stage] = levels[index];
    if (file.stage !== stage) file.enter(stage);
    const task = await humanStep(file, kind);
    const { decision, comment, by } = task.outcome!;
    if (decision === Decision.Reject) throw file.close(Stage.Rejected, comment, by);
    if (decision === Decision.Return) {
      index = levels.findIndex(([level]) => level === TASK_RULES[kind].returnsTo);
      continue;
    }
    index++;
  }
}

/**
 * The results go up in the batch of the session the candidate sat in. Taken out of it, the case is rejected, or
 * decided again alone from the level it was returned to; a session that keeps no batch for it (it ended, or the
 * station had summarised already) lets it go up alone.
 */
async function approveInBatch(file: CaseFile): Promise<void> {
  file.enter(Stage.ResultApproval);
  publish(file);
  const { sessionId, ticketNumber } = file.view.sitting!;
  try {
    await getExternalWorkflowHandle(sessionWorkflowIdFor(sessionId)).signal(resultsReady, {
      applicationNumber: file.app.applicationNumber,
      ticketNumber,
      deciders: file.decidersByLevel(),
    });
    file.inBatch = true;
    await condition(() => !!file.batchResults || file.view.closed);
  } catch (error) {
    log.warn('the session keeps no batch any more', { sessionId, error: String(error) });
  }
  if (file.view.closed) throw new CaseClosed(file.stage);
  const last = file.batchResults?.decisions.at(-1);
  if (!last) return approvalChain(file, RESULT_LEVELS);
  if (last.decision === Decision.Approve) return;
  if (last.decision === Decision.Reject) throw file.close(Stage.Rejected, last.comment, last.by);
  const level = RESULT_LEVELS.findIndex(([kind]) => kind === TASK_RULES[last.kind].returnsTo);
  await approvalChain(file, RESULT_LEVELS, level);
}

async function issueAdmissionTicket(file: CaseFile): Promise<void> {
  file.enter(Stage.AdmissionTicket);
  publish(file);
  const ticket = await acts.issueAdmissionTicket({
    applicationNumber: file.app.applicationNumber,
    stationId: file.app.stationId,
  });
  file.view.ticket = ticket;
  await tellCandidate(file, 'admission-ticket');
}

async function train(file: CaseFile): Promise<void> {
  file.enter(Stage.Training);
  const task = await humanStep(file, TaskKind.TrainingCompletion);
  if (task.outcome!.decision === Decision.Reject) {
    throw file.close(
      Stage.Failed,
      task.outcome!.comment ?? message('case:said.trainingNotCompleted'),
      task.outcome!.by,
    );
  }
}

/**
 * Waits, durably, for a seat in an appraisal session; tells the candidate of the ticket; follows the session's dates
 * (a postponement, or a cancellation that sends the case back to waiting) until the exam's first part begins.
 * `waiting`: the stage while without a seat (a re-sit waits in its own); `closesAt`: when waiting for a seat ends
 * unseated (a re-sit's window), answered false.
 */
async function sitInSession(file: CaseFile, waiting = Stage.AwaitingSeat, closesAt?: Date): Promise<boolean> {
  for (;;) {
    if (!file.view.sitting) {
      if (file.stage !== waiting) file.enter(waiting);
      publish(file);
      await tellCandidateOfSeat(file);
      const seated = () => !!file.view.sitting || file.view.closed;
      if (!closesAt) await condition(seated);
      else if (!(await condition(seated, Math.max(1, closesAt.getTime() - Date.now())))) return false;
      if (file.view.closed) throw new CaseClosed(file.stage);
    }
    if (file.stage !== Stage.AdmissionTicket) file.enter(Stage.AdmissionTicket);
    publish(file);
    await tellCandidateOfSeat(file);
    const revision = file.seatRevision;
    const begins = examBegins(file.view.sitting!.schedule);
    await condition(() => file.seatRevision !== revision || file.view.closed, Math.max(1, begins - Date.now()));
    if (file.view.closed) throw new CaseClosed(file.stage);
    if (file.seatRevision === revision && file.view.sitting) return true;
  }
}

/**
 * Sits the exam in a session; a candidate the check-in list marks absent waits for a seat in a later session, as
 * often as the policy allows, and then the case ends as absent.
 */
async function examineInSessions(file: CaseFile): Promise<void> {
  for (;;) {
    await sitInSession(file);
    if ((await examine(file)) !== 'absent') return;
    const { sessionId } = file.view.sitting!;
    const absences = file.view.absences!.length;
    file.view.sitting = undefined;
    file.view.ticket = undefined;
    file.view.exam = undefined;
    if (absences > (file.policy.absenceReseats ?? 1)) {
      const said =
        absences === 1
          ? message('case:said.absent', { sessionId })
          : message('case:said.absentAgain', { sessionId, absences });
      throw file.close(Stage.Absent, said);
    }
    await tellCandidate(file, 'marked-absent', message('case:said.absentReseated', { sessionId }));
  }
}

/** Scores the exam; `absent` when the session's check-in list marked the candidate absent instead. */
async function examine(file: CaseFile): Promise<'absent' | void> {
  if (file.absentFromSitting()) return 'absent';
  file.enter(Stage.Examination);
  const { calendar, deadlines } = file.policy;
  const { sitting } = file.view;
  // Marking is due some working days after the day the exam ends: the session's last part, or the case's own date.
  let examDate: string;
  let lastDay: string;
  if (sitting) {
    examDate = localDate(new Date(examBegins(sitting.schedule)));
    lastDay = localDate(new Date(examEnds(sitting.schedule)));
    file.view.exam = { examDate, sessionId: sitting.sessionId };
  } else {
    examDate = localDate(new Date(Date.now() + file.policy.examLeadDays * DAY_MS));
    lastDay = examDate;
    file.view.exam = { examDate };
  }
  let scores: ExamScores;
  if (sitting && patched(EXAM_BY_SHEET)) {
    const line = await sheetLine(file);
    if (!line) return 'absent';
    scores = { knowledge: line.knowledge!, skills: line.skills! };
  } else {
    const opened = humanStep(file, TaskKind.ExamScores, {
      dueAt: addWorkingDays(endOfLocalDay(lastDay), deadlines[TaskKind.ExamScores], calendar),
    });
    // humanStep opens the task before its first wait, so a sheet's scores that came early can decide it now.
    file.takeWaitingSheetScores();
    const marking = await opened;
    if (marking.status === TaskStatus.Cancelled && file.absentFromSitting()) return 'absent';
    disqualifyIfDecided(file, marking);
    scores = { knowledge: marking.outcome!.scores!.knowledge!, skills: marking.outcome!.scores!.skills! };
  }
  let outcome = examOutcome(scores);
  file.view.exam = { ...file.view.exam, scores, outcome };
  await tellCandidate(file, 'exam-results');
  if (outcome.passed) return;
  if (!outcome.resitAllowed) throw file.close(Stage.Failed, message('case:said.bothPartsFailed'));

  // One re-sit of the failed part, within the window counted from the exam.
  file.enter(Stage.Resit);
  const part = outcome.failedParts[0];
  const deadline = resitDeadline(examDate, file.policy.resitWindowDays);
  file.view.exam.resit = { part, deadline };
  const closesAt = endOfLocalDay(deadline);
  if (sitting && patched(RESIT_IN_SESSION)) return resitInSession(file, scores, closesAt);
  const resit = await humanStep(file, TaskKind.ResitScores, { dueAt: closesAt, closesAt });
  if (resit.status !== TaskStatus.Done) {
    throw file.close(Stage.Failed, message('case:said.resitWindowClosed', { part, deadline }));
  }
  disqualifyIfDecided(file, resit);
  const score = resit.outcome!.scores![part]!;
  const final = afterResit(scores, part, score);
  outcome = examOutcome(final);
  file.view.exam = { ...file.view.exam, scores: final, outcome, resit: { part, deadline, score } };
  await tellCandidate(file, 'exam-results');
  if (!outcome.passed) throw file.close(Stage.Failed, message('case:said.resitFailed', { part }));
}

/**
 * The failed part is re-sat in a later session, within the window: the case waits for a seat for that part alone, and
 * its line of that session's sheet gives the new score. Absent, it waits for another seat while the window lasts.
 */
async function resitInSession(file: CaseFile, first: ExamScores, closesAt: Date): Promise<void> {
  const { part, deadline } = file.view.exam!.resit!;
  for (;;) {
    file.view.sitting = undefined;
    file.view.ticket = undefined;
    if (!(await sitInSession(file, Stage.Resit, closesAt))) {
      throw file.close(Stage.Failed, message('case:said.resitWindowClosedUnseated', { part, deadline }));
    }
    file.enter(Stage.Resit);
    const line = await sheetLine(file);
    if (line) {
      const score = line[part]!;
      const final = afterResit(first, part, score);
      const outcome = examOutcome(final);
      const { sessionId } = file.view.sitting!;
      file.view.exam = { ...file.view.exam!, scores: final, outcome, resit: { part, deadline, score, sessionId } };
      await tellCandidate(file, 'exam-results');
      if (!outcome.passed) throw file.close(Stage.Failed, message('case:said.resitFailed', { part }));
      return;
    }
    await tellCandidate(
      file,
      'marked-absent',
      message('case:said.resitAbsent', { sessionId: file.view.sitting!.sessionId, deadline }),
    );
  }
}

/**
 * Waits for the case's line of its session's checked score sheet, or for the check-in list's absence (undefined).
 * A line that disqualifies closes the case, as the examiner who submitted the sheet.
 */
async function sheetLine(file: CaseFile): Promise<SheetScores | undefined> {
  publish(file);
  await condition(() => file.hasSheetLine || file.absentFromSitting() || file.view.closed);
  if (file.view.closed) throw new CaseClosed(file.stage);
  if (file.absentFromSitting()) return undefined;
  const line = file.takeSheetLine()!;
  const { enteredBy: by, disqualified } = line;
  if (disqualified) {
    file.view.exam = {
      ...file.view.exam!,
      scores: { knowledge: 0, skills: 0 },
      disqualified: { reason: disqualified, by },
    };
    throw file.close(Stage.Disqualified, disqualified, by);
  }
  file.record({ type: 'exam-scored', by, comment: sheetNote(line), said: sheetSaid(line) });
  return line;
}

function disqualifyIfDecided(file: CaseFile, task: HumanTask): void {
  const { decision, comment, by } = task.outcome!;
  if (decision !== Decision.Disqualify) return;
  file.view.exam = { ...file.view.exam!, scores: { knowledge: 0, skills: 0 }, disqualified: { reason: comment!, by } };
  throw file.close(Stage.Disqualified, comment, by);
}

async function reviewTechnicalWork(file: CaseFile): Promise<void> {
  file.enter(Stage.ComprehensiveReview);
  const task = await humanStep(file, TaskKind.ComprehensiveReview);
  const { decision, by, comment } = task.outcome!;
  file.view.comprehensiveReview = { passed: decision === Decision.Approve, by, comment };
  if (decision === Decision.Reject)
    throw file.close(Stage.Failed, comment ?? message('case:said.comprehensiveReviewFailed'), by);
}

async function issueCertificate(file: CaseFile): Promise<void> {
  file.enter(Stage.Issuance);
  publish(file);
  const { applicationNumber, level, stationId, candidate, occupation, specialty } = file.app;
  // A batch's number was reserved on the day the department approved it, in the order of the session's roster.
  const issuedOn = file.batchResults?.certificate?.issuedOn ?? localDate(new Date());
  const { number } = await acts.assignCertificateNumber({ applicationNumber, level, stationId, issuedOn });
  file.view.certificate = { number, issuedOn };
  file.record({ type: 'certificate-numbered', comment: number });
  const seal = await acts.sealCertificate({
    number,
    issuedOn,
    holderName: candidate.name,
    idType: candidate.idType,
    idNumber: candidate.idNumber,
    occupation,
    specialty,
    level,
    stationId,
  });
  file.view.certificate.seal = seal;
  file.record({ type: 'certificate-sealed', comment: `key ${seal.keyId}` });
  if (!patched(CERTIFICATE_ON_DEMAND)) {
    const photo = file.app.documents.find((document) => document.kind === 'photo');
    const printable = await rendering.renderCertificate({ number, photoReference: photo?.reference });
    file.record({ type: 'certificate-rendered', comment: `sha256 ${printable.sha256}` });
  }

  const print = await humanStep(file, TaskKind.CertificatePrint);
  file.view.certificate.printedAt = print.outcome!.at;
  await tellCandidate(file, 'certificate-ready');

  const handover = await humanStep(file, TaskKind.CertificateHandover);
  await acts.recordHandover({
    applicationNumber,
    certificateNumber: number,
    handedOverBy: handover.outcome!.by,
    handedOverAt: handover.outcome!.at,
    note: handover.outcome!.comment,
    receivedBy: handover.outcome!.receivedBy,
  });
  file.view.certificate.handedOverAt = handover.outcome!.at;
  file.view.certificate.receivedBy = handover.outcome!.receivedBy;
  file.close(Stage.Issued, undefined, handover.outcome!.by);
}

// ---- Human steps ----

interface StepOptions {
  dueAt?: Date;
  /** A hard end: when reached, the task is cancelled and the step returns it undecided. */
  closesAt?: Date;
}

/** Opens a task, tells its group, watches its deadline and waits for its decision (or for the case to close). */
async function humanStep(file: CaseFile, kind: TaskKind, options: StepOptions = {}): Promise<HumanTask> {
  const dueAt = options.dueAt ?? addWorkingDays(new Date(), file.policy.deadlines[kind], file.policy.calendar);
  const task = file.openTask(kind, dueAt);
  publish(file);
  const notify = (t: HumanTask, notice: NotificationKind) => tellGroup(file, t, notice);
  const watcher = watchDeadline(file, task, { notify, changed: () => publish(file) }, options.closesAt);
  try {
    await notify(task, 'task-opened');
    const decided = () => task.status !== TaskStatus.Open || file.view.closed;
    if (options.closesAt) {
      const inTime = await condition(decided, Math.max(0, options.closesAt.getTime() - Date.now()));
      if (!inTime) {
        task.status = TaskStatus.Cancelled;
        file.record({ type: 'task-expired', taskId: task.id });
      }
    } else {
      await condition(decided);
    }
  } finally {
    watcher.cancel();
  }
  if (file.view.closed) throw new CaseClosed(file.stage);
  publish(file);
  return task;
}

// ---- Records ----

/**
 * Runs beside the story for the whole case: after each batch of changes it writes the task projection and the audit
 * entries of new decisions through one activity. A batch is everything recorded since the last write, so a burst of
 * decisions costs one activity, and the version (the history's length) orders the writes.
 */
async function keepRecords(file: CaseFile): Promise<void> {
  const workflowId = workflowInfo().workflowId;
  for (;;) {
    await condition(() => file.view.history.length > file.recordedVersion);
    const from = file.recordedVersion;
    const version = file.view.history.length;
    const audit = auditEntries(workflowId, file.view.history, from, version);
    await acts.recordCase({ snapshot: projectionSnapshot(file), version, audit });
    file.recordedVersion = version;
  }
}

/**
 * The projection needs tasks, stage, outcome and the case's organisations; the candidate's personal data stays out of
 * the activity's input.
 * Only tasks that changed since the last write go along (an open task also when the case's stage moved), which keeps
 * both the activity's input in the history and the database writes small.
 */
function projectionSnapshot(file: CaseFile): CaseView {
  const { view } = file;
  const { level, occupation, stationId, guidanceCenterId, departmentId, trainingInstitutionId } = view.application;
  const changed = view.tasks.filter((task) => {
    const state = JSON.stringify(task) + (task.status === TaskStatus.Open ? view.stage : '');
    if (file.recordedTasks.get(task.id) === state) return false;
    file.recordedTasks.set(task.id, state);
    return true;
  });
  return {
    ...view,
    application: {
      applicationNumber: view.applicationNumber,
      level,
      occupation,
      stationId,
      guidanceCenterId,
      departmentId,
      trainingInstitutionId,
    } as CaseView['application'],
    tasks: changed,
    history: view.history.filter((event) => event.type === 'task-expired'),
    eligibility: undefined,
    // The exam's result alone, for the statistics (records/caseIndex.ts); an activity's input is not part of what a
    // replay compares, so histories recorded without it still replay.
    exam: view.exam?.outcome && { examDate: view.exam.examDate, outcome: view.exam.outcome },
    certificate: undefined,
  };
}

// ---- Messages ----

function registerHandlers(file: CaseFile): void {
  setHandler(getState, () => file.view);
  setHandler(claimTask, (cmd) => (file.tasks.claim(cmd), afterChange(file)), {
    validator: (cmd) => file.tasks.checkClaim(cmd),
  });
  setHandler(releaseTask, (cmd) => (file.tasks.release(cmd), afterChange(file)), {
    validator: (cmd) => file.tasks.checkRelease(cmd),
  });
  setHandler(reassignTask, (cmd) => (file.tasks.reassign(cmd), afterChange(file)), {
    validator: (cmd) => file.tasks.checkReassign(cmd),
  });
  setHandler(approveTask, (cmd) => (file.decide(cmd, Decision.Approve, cmd), afterChange(file)), {
    validator: (cmd) => {
      file.checkDecision(cmd, Decision.Approve, { field: 'comment', value: cmd.comment });
      file.checkRecipient(cmd);
    },
  });
  setHandler(rejectTask, (cmd) => (file.decide(cmd, Decision.Reject, { comment: cmd.reason }), afterChange(file)), {
    validator: (cmd) => file.checkDecision(cmd, Decision.Reject, { field: 'reason', value: cmd.reason }),
  });
  setHandler(returnTask, (cmd) => (file.decide(cmd, Decision.Return, { comment: cmd.reason }), afterChange(file)), {
    validator: (cmd) => file.checkDecision(cmd, Decision.Return, { field: 'reason', value: cmd.reason }),
  });
  setHandler(
    submitScores,
    (cmd) => (file.decide(cmd, Decision.Scores, { comment: cmd.comment, scores: cmd }), afterChange(file)),
    { validator: (cmd) => file.checkScores(cmd) },
  );
  setHandler(
    disqualifyCandidate,
    (cmd) => (file.decide(cmd, Decision.Disqualify, { comment: cmd.reason }), afterChange(file)),
    { validator: (cmd) => file.checkDecision(cmd, Decision.Disqualify, { field: 'reason', value: cmd.reason }) },
  );
  setHandler(
    withdrawApplication,
    (cmd) => (file.close(Stage.Withdrawn, cmd.reason.trim(), cmd.actor.id), afterChange(file)),
    { validator: (cmd) => file.checkWithdrawal(cmd?.actor, cmd?.reason) },
  );
  // From appraisal sessions: each message is keyed, so a repeat changes nothing.
  setHandler(seatGranted, (msg) => (file.takeSeat(msg), publish(file)));
  setHandler(scheduleChanged, (msg) => file.moveExam(msg));
  setHandler(seatWithdrawn, (msg) => (file.loseSeat(msg), publish(file)));
  setHandler(markedAbsent, (msg) => (file.markAbsent(msg), publish(file)));
  setHandler(sheetScores, (msg) => (file.takeSheetScores(msg), publish(file)));
  setHandler(resultsDecided, (msg) => (file.takeResults(msg), publish(file)));
  setHandler(cancelCase, (cmd) => (file.close(Stage.Cancelled, cmd.reason.trim(), cmd.actor.id), afterChange(file)), {
    validator: (cmd) => file.checkCancellation(cmd?.actor, cmd?.reason),
  });
}

function afterChange(file: CaseFile): CaseView {
  publish(file);
  return file.view;
}

/**
 * Mirrors what lists and dashboards filter on into search attributes; never personal data. Only values that changed
 * are sent, since every upsert is an event in the case's history.
 */
function publish(file: CaseFile): void {
  const open = file.tasks.open;
  const { kinds, groups, nextDue } = openTaskAttributes(open);
  upsertChanged(file.publishedAttributes, [
    { key: searchAttributes.stage, value: file.stage },
    kinds,
    groups,
    { key: searchAttributes.assignees, value: [...new Set(open.flatMap((task) => task.assignee ?? []))] },
    nextDue,
    { key: searchAttributes.level, value: file.app.level },
    { key: searchAttributes.occupation, value: file.app.occupation },
    { key: searchAttributes.station, value: file.app.stationId },
  ]);
}

async function tellGroup(file: CaseFile, task: HumanTask, kind: NotificationKind): Promise<void> {
  const group = kind === 'task-escalated' ? task.supervisingGroup : task.candidateGroup;
  await acts.notify({
    key: `${workflowInfo().workflowId}/${task.id}/${kind}`,
    kind,
    applicationNumber: file.app.applicationNumber,
    recipient: { group },
    task: { id: task.id, kind: task.kind, dueAt: task.dueAt, assignee: task.assignee },
  });
}

/** The notices a session's messages called for (a ticket, new dates, a lost seat), in the order they came. */
async function tellCandidateOfSeat(file: CaseFile): Promise<void> {
  while (file.candidateNotices.length > 0) {
    const { kind, reason } = file.candidateNotices.shift()!;
    await tellCandidate(file, kind, reason);
  }
}

/**
 * Gives seats back to their sessions: after a move to another session, or when the case closed holding one. Runs
 * beside the story; the workflow ends only once every seat is given back.
 */
async function returnSeats(file: CaseFile): Promise<void> {
  for (;;) {
    await condition(() => file.seatReleases.length > 0);
    const { sessionId, reason, unusedCertificate, fromBatch } = file.seatReleases[0];
    const session = getExternalWorkflowHandle(sessionWorkflowIdFor(sessionId));
    try {
      await session.signal(seatReleased, {
        applicationNumber: file.app.applicationNumber,
        reason,
        unusedCertificate,
        fromBatch,
      });
    } catch (error) {
      // A session that has ended holds no seats any more.
      log.warn('a seat could not be given back', { sessionId, error: String(error) });
    }
    file.seatReleases.shift();
  }
}

/**
 * A notice to the candidate. Its reason is a person's words (a string, as typed) or the workflow's own (a Message, put
 * into the notice's languages by the notify activity); without one, the reason the case closed with, if it closed.
 */
async function tellCandidate(
  file: CaseFile,
  kind: NotificationKind | undefined,
  reason?: string | Message,
): Promise<void> {
  if (!kind) return;
  const said = reason === undefined ? file.view.outcome?.said : typeof reason === 'string' ? undefined : reason;
  const words = typeof reason === 'string' ? reason : reason ? englishText(reason) : file.view.outcome?.reason;
  const { name, email } = file.app.candidate;
  const round = file.view.history.filter((event) => event.type === `notice:${kind}`).length;
  file.record({ type: `notice:${kind}` });
  await acts.notify({
    key: `${workflowInfo().workflowId}/candidate/${kind}/${round}`,
    kind,
    applicationNumber: file.app.applicationNumber,
    recipient: { candidate: { name, email } },
    stage: file.stage,
    reason: words,
    ...(said && { reasonSaid: said }),
    sitting: sittingNotice(file, kind),
  });
}

/** Where and when the candidate sits, on the notices that are about it. */
function sittingNotice(file: CaseFile, kind: NotificationKind): NotifyInput['sitting'] {
  const { sitting } = file.view;
  if (!sitting || (kind !== 'admission-ticket' && kind !== 'exam-rescheduled')) return undefined;
  const { sessionId, ticketNumber, seat, schedule } = sitting;
  return { sessionId, ticketNumber, room: seat.room, seat: seat.number, schedule };
}

function outcomeNotice(stage: Stage): NotificationKind | undefined {
  switch (stage) {
    case Stage.Issued:
      return 'certificate-handed-over';
    case Stage.Ineligible:
    case Stage.Rejected:
    case Stage.Failed:
    case Stage.Withdrawn:
    case Stage.Disqualified:
    case Stage.Cancelled:
    case Stage.Absent:
      return 'case-closed';
    default:
      log.warn('case ended outside a terminal stage', { stage });
      throw ApplicationFailure.nonRetryable(`case ended in stage ${stage}`);
  }
}
