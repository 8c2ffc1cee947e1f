/**
 * The state of one appraisal session and the rules for changing it, like caseFile.ts for a case. Update validators
 * call the `check*` methods, which throw before anything is written to history; handlers then call the matching
 * mutation. Nothing here awaits, so two clerks taking the last seat at once are two updates run one after the other:
 * the second one's validator already sees the seat taken.
 */
import { type Message, message } from '../domain/messages';
import { DEFAULT_CATALOGUE } from '../domain/occupations';
import { EXAM_PARTS, type ExamPart, examOutcome, PASS_MARK } from '../domain/scores';
import { type SheetSeats, sheetLineMistakes } from '../domain/scoreSheet';
import {
  type SessionSchedule,
  capacityOf,
  planMistakes,
  scheduleMistakes,
  cleanPlan,
  cleanSchedule,
  examBegins,
  examEnds,
  examines,
  firstFreeSeat,
} from '../domain/sessionPlan';
import { type Actor, type CaseEvent, type ProcessPolicy, RefusalType, type TaskKind, TaskStatus } from './definitions';
import { checkActorShape, checkText, MAX_TEXT, now, refuse, refuseFields } from './refusals';
import {
  type AttendanceCommand,
  type BatchDecision,
  type BatchLine,
  type CarriedMessage,
  type ResultsReady,
  type SeatReleased,
  type PostponeCommand,
  type RevisePlanCommand,
  type RosterEntry,
  type ScoreRowsCommand,
  type SeatCommand,
  type SessionReasonCommand,
  type SessionTask,
  type SessionTaskDecision,
  type SessionView,
  type SessionWorkflowInput,
  SessionDecision,
  SessionStage,
  SessionTaskKind,
  RESULT_LEVELS,
  TERMINAL_SESSION_STAGES,
} from './sessionDefinitions';
import { TaskList } from './taskList';
import { ADMINISTRATORS, TASK_RULES } from './taskRules';

/** Thrown inside the workflow to leave the story when the session ends early (plan rejected, cancelled). */
export class SessionClosed extends Error {}

/** A message for one case, waiting to be signalled by the session's delivery loop (see session.ts). */
export type CaseMessage = CarriedMessage;

export class SessionFile {
  /** Set by the workflow's first activity. */
  policy!: ProcessPolicy;
  /** The run's input, which a carry-over passes on. */
  input!: SessionWorkflowInput;
  readonly tasks: TaskList<SessionTask>;
  /** Messages to cases not yet sent; the delivery loop empties it, continue-as-new carries it over. */
  readonly outbox: CaseMessage[];
  /** Grows with every change of the schedule, so waits on the old dates wake up and count again. */
  scheduleVersion = 0;
  /** The search attribute values last sent, so only changes are upserted. */
  readonly publishedAttributes = new Map<string, string>();
  /** How much of the history the records activity has written. */
  recordedVersion = 0;
  /** Each task's state as last written to the inbox's projection, so unchanged tasks are not written again. */
  readonly recordedTasks = new Map<string, string>();
  /** The check-in step, once the first part has begun (session.ts); the session is held only after it. */
  checkingIn?: Promise<void>;

  /** For a session carried over by continue-as-new: how much of its history was written, and what is unsent. */
  constructor(
    readonly view: SessionView,
    recordedVersion = 0,
    outbox: CaseMessage[] = [],
  ) {
    this.outbox = [...outbox];
    this.tasks = new TaskList(view.tasks, { kind: 'session', id: () => view.sessionId }, (event) => this.record(event));
    this.recordedVersion = recordedVersion;
  }

  static plan(input: SessionWorkflowInput, at: string): SessionFile {
    const { sessionId, stationId, guidanceCenterId, departmentId, plan, plannedBy } = input;
    return new SessionFile({
      sessionId,
      stationId,
      guidanceCenterId,
      departmentId,
      stage: SessionStage.PlanReview,
      closed: false,
      plan,
      plannedBy,
      plannedAt: at,
      postponements: [],
      roster: [],
      tasks: [],
      history: [{ at, type: 'session-planned', by: plannedBy }],
      runs: 1,
    });
  }

  get stage(): SessionStage {
    return this.view.stage;
  }

  /** Cases holding a seat now. */
  get seated(): RosterEntry[] {
    return this.view.roster.filter((entry) => !entry.released);
  }

  record(event: Omit<CaseEvent, 'at'>): void {
    this.view.history.push({ at: now(), ...event });
  }

  enter(stage: SessionStage): void {
    if (this.view.closed) throw new SessionClosed(this.view.stage);
    this.view.stage = stage;
    this.record({ type: `stage:${stage}` });
  }

  /** Candidates marked present: the lines of the score sheet. */
  get present(): RosterEntry[] {
    return this.seated.filter((entry) => entry.attendance?.present);
  }

  openTask(kind: SessionTaskKind, dueAt: Date): SessionTask {
    const [office, role] = this.ownerOf(kind);
    return this.tasks.openTask(
      kind,
      { candidateGroup: `${office}:${role}`, supervisingGroup: `${office}:supervisors` },
      dueAt,
    );
  }

  /** Who does a session task: result levels are the case tasks' own (taskRules.ts), the rest the station's. */
  private ownerOf(kind: SessionTaskKind): [office: string, role: string] {
    const { stationId, guidanceCenterId, departmentId } = this.view;
    const level = RESULT_LEVELS.find((l) => l.kind === kind);
    if (level) {
      const rule = TASK_RULES[level.caseKind];
      return [rule.owner({ stationId, guidanceCenterId, departmentId } as never), rule.role];
    }
    if (kind === SessionTaskKind.PlanReview) return [guidanceCenterId, 'reviewers'];
    if (kind === SessionTaskKind.ScoreEntry || kind === SessionTaskKind.ScoreCheck) return [stationId, 'examiners'];
    return [stationId, 'clerks'];
  }

  /** Ends the session: open tasks are cancelled; a cancelled session tells every seated case its seat is gone. */
  close(stage: SessionStage, reason?: string, by?: string): SessionClosed {
    if (!this.view.closed) {
      this.tasks.cancelOpen();
      if (stage === SessionStage.Cancelled) {
        for (const entry of this.seated) this.release(entry, `session cancelled: ${reason}`, true);
      }
      this.view.stage = stage;
      this.view.closed = true;
      this.view.outcome = { stage, reason, at: now(), by };
      this.record({ type: `closed:${stage}`, by, comment: reason });
    }
    return new SessionClosed(stage);
  }

  // ---- Checks: called by update validators; they throw ApplicationFailure and change nothing. ----

  /** Approve, return or reject: the plan's review takes all three; the check-in list is closed by approving it. */
  checkTaskDecision(cmd: SessionTaskDecision, decision: SessionDecision): void {
    const task = this.tasks.checkDecider(cmd);
    if (task.kind === SessionTaskKind.CheckIn) return this.checkCheckInClosing(cmd, decision);
    if (task.kind === SessionTaskKind.ScoreEntry) return this.checkSheetSubmission(cmd, decision);
    if (task.kind === SessionTaskKind.ScoreCheck) return this.checkSheetCheck(cmd, decision);
    if (RESULT_LEVELS.some((level) => level.kind === task.kind)) return this.checkBatchDecision(cmd, task, decision);
    if (task.kind === SessionTaskKind.Report) {
      if (decision !== SessionDecision.Approve) {
        refuse(RefusalType.InvalidInput, this.tasks.about(task, 'refusals:session.reportByApproving'));
      }
      return checkText('opinion', cmd.comment, true);
    }
    if (task.kind !== SessionTaskKind.PlanReview) {
      refuse(RefusalType.InvalidInput, this.tasks.about(task, 'refusals:session.decidedByRevising'));
    }
    checkText(
      decision === SessionDecision.Approve ? 'comment' : 'reason',
      cmd.comment,
      decision !== SessionDecision.Approve,
    );
  }

  checkRevision(cmd: RevisePlanCommand, nowMs: number): void {
    const task = this.tasks.checkDecider(cmd);
    if (task.kind !== SessionTaskKind.PlanRevision) {
      refuse(RefusalType.InvalidInput, this.tasks.about(task, 'refusals:session.takesDecisions'));
    }
    checkText('comment', cmd.comment, false);
    refuseFields(planMistakes(cmd.plan, DEFAULT_CATALOGUE, new Date(nowMs)));
  }

  checkSeat(cmd: SeatCommand, nowMs: number): void {
    this.checkOffice(cmd?.actor, 'seat');
    const { sessionId, plan } = this.view;
    const { applicationNumber } = cmd;
    if (typeof applicationNumber !== 'string' || !applicationNumber) {
      refuse(RefusalType.InvalidInput, message('refusals:seat.applicationNumberMissing'));
    }
    if (this.seated.some((entry) => entry.applicationNumber === applicationNumber)) return; // a retry
    if (this.stage !== SessionStage.Registration && this.stage !== SessionStage.RegistrationClosed) {
      refuse(RefusalType.Closed, this.whyNoSeats());
    }
    if (nowMs >= Date.parse(plan.registrationClosesAt)) {
      refuse(
        RefusalType.Closed,
        message('refusals:seat.registrationClosed', { sessionId, closesAt: plan.registrationClosesAt }),
      );
    }
    if (cmd.stationId !== this.view.stationId) {
      refuse(
        RefusalType.Forbidden,
        message('refusals:seat.otherStation', {
          applicationNumber,
          station: cmd.stationId,
          sessionId,
          organisation: this.view.stationId,
        }),
      );
    }
    if (!examines(plan, cmd.occupation, cmd.level)) {
      refuse(
        RefusalType.InvalidInput,
        message('refusals:seat.notExamined', { sessionId, occupation: cmd.occupation, level: cmd.level }),
      );
    }
    if (cmd.resit && examEnds(plan) > Date.parse(cmd.resit.closesAt)) {
      const { part, closesAt } = cmd.resit;
      refuse(RefusalType.Conflict, message(RESIT_TOO_LATE[part], { applicationNumber, closesAt, sessionId }));
    }
    const capacity = capacityOf(plan);
    if (this.seated.length >= capacity) {
      refuse(RefusalType.Conflict, message('refusals:seat.full', { sessionId, capacity }));
    }
  }

  checkPostponement(cmd: PostponeCommand, nowMs: number): void {
    this.checkOffice(cmd?.actor, 'postpone');
    this.checkBeforeExam(nowMs, 'postpone');
    if (this.stage === SessionStage.PlanReview || this.stage === SessionStage.PlanRevision) {
      refuse(
        RefusalType.Conflict,
        message('refusals:session.postponePlanNotApproved', { sessionId: this.view.sessionId }),
      );
    }
    checkText('reason', cmd.reason, true);
    refuseFields(scheduleMistakes((cmd.schedule ?? {}) as Partial<SessionSchedule>, new Date(nowMs)));
  }

  checkCancellation(cmd: SessionReasonCommand, nowMs: number): void {
    this.checkOffice(cmd?.actor, 'cancel');
    this.checkBeforeExam(nowMs, 'cancel');
    checkText('reason', cmd.reason, true);
  }

  /**
   * Marks are taken from the moment the first part begins until the list is closed, from the station's office or
   * the session's own examiners. Each names a ticket that holds a seat; one bad mark refuses them all.
   */
  checkAttendance(cmd: AttendanceCommand, nowMs: number): void {
    checkActorShape({ actor: cmd?.actor });
    const { sessionId, stationId, plan, checkIn } = this.view;
    const examiner = plan.examiners.includes(cmd.actor.id) && cmd.actor.groups.includes(`${stationId}:examiners`);
    if (!examiner && !sessionOfficeGroups(stationId).some((group) => cmd.actor.groups.includes(group))) {
      refuse(RefusalType.Forbidden, message('refusals:checkIn.forbidden', { station: stationId, sessionId }));
    }
    this.checkNotEnded();
    if (checkIn) {
      refuse(
        RefusalType.Closed,
        message('refusals:checkIn.closed', { sessionId, closedAt: checkIn.closedAt, person: checkIn.closedBy }),
      );
    }
    if (nowMs < examBegins(plan)) {
      const opensAt = new Date(examBegins(plan)).toISOString();
      refuse(RefusalType.Conflict, message('refusals:checkIn.notOpen', { sessionId, opensAt }));
    }
    if (!Array.isArray(cmd.marks) || cmd.marks.length === 0) {
      refuse(RefusalType.InvalidInput, message('refusals:checkIn.marksMissing'));
    }
    const marks: unknown[] = cmd.marks;
    const seats = this.seatsByTicket();
    const errors: Record<string, Message> = {};
    const seen = new Set<string>();
    marks.forEach((mark: unknown, index: number) => {
      const field = `marks[${index}]`;
      const { ticketNumber, present } = (mark ?? {}) as Record<string, unknown>;
      const ticket = String(ticketNumber);
      if (typeof ticketNumber !== 'string' || !ticketNumber) {
        errors[field] = message('refusals:checkIn.noTicket');
      } else if (seen.has(ticketNumber)) {
        errors[field] = message('refusals:checkIn.markedTwice', { ticket });
      } else if (!seats.has(ticketNumber)) {
        errors[field] = message('refusals:checkIn.noSeat', { ticket, sessionId });
      } else if (typeof present !== 'boolean') {
        errors[field] = message('refusals:checkIn.present', { ticket });
      }
      if (typeof ticketNumber === 'string') seen.add(ticketNumber);
    });
    refuseFields(errors);
  }

  /** Lines go on the sheet while its entry task is open, from the appraisal team only; one bad line refuses all. */
  checkScoreRows(cmd: ScoreRowsCommand): void {
    this.checkTeam(cmd?.actor, 'enter');
    this.sheetOpenForEntry();
    if (!Array.isArray(cmd.rows) || cmd.rows.length === 0) {
      refuse(RefusalType.InvalidInput, message('refusals:sheet.rowsMissing'));
    }
    const mistakes = sheetLineMistakes(cmd.rows, this.sheetSeats());
    refuseFields(Object.fromEntries([...mistakes].map(([index, said]) => [`rows[${index}]`, said])));
  }

  // ---- Mutations: called by update handlers after their validator passed. ----

  decideTask(cmd: SessionTaskDecision, decision: SessionDecision): void {
    const kind = this.tasks.byId(cmd.taskId)?.kind;
    if (kind === SessionTaskKind.CheckIn) this.closeCheckIn(cmd);
    else if (kind === SessionTaskKind.ScoreEntry) this.submitSheet(cmd);
    else if (kind === SessionTaskKind.ScoreCheck) this.checkSheet(cmd, decision);
    else if (kind === SessionTaskKind.Report) this.report(cmd);
    else if (RESULT_LEVELS.some((level) => level.kind === kind)) this.decideBatch(cmd, decision);
    else this.decidePlan(cmd, decision);
  }

  // ---- The results batch ----

  /** Present candidates whose sheet line passed both parts: the batch the station can expect. */
  passedLines(): number {
    const rows = this.view.sheet?.rows ?? {};
    return this.present.filter(({ ticketNumber }) => {
      const { knowledge, skills, disqualified } = rows[ticketNumber] ?? {};
      const part = this.resitParts.get(ticketNumber);
      if (disqualified) return false;
      if (part) return (rows[ticketNumber]?.[part] ?? 0) >= PASS_MARK;
      if (typeof knowledge !== 'number' || typeof skills !== 'number') return false;
      return examOutcome({ knowledge, skills }).passed;
    }).length;
  }

  /** Tickets of candidates re-sitting one part, with that part. */
  get resitParts(): Map<string, ExamPart> {
    return new Map(this.seated.flatMap((entry) => (entry.resitPart ? [[entry.ticketNumber, entry.resitPart]] : [])));
  }

  /** The candidates still in the batch, in the order of the roster (ticket numbers follow it). */
  get batch(): BatchLine[] {
    const lines = this.view.results?.lines ?? [];
    return lines
      .filter((line) => !line.takenOut && !line.left)
      .sort((a, b) => a.ticketNumber.localeCompare(b.ticketNumber));
  }

  /**
   * A case reached result approval. Before the station's summary it joins the batch; after it, or when this session
   * keeps no batch (it ended, or was held before batches existed), it is told to go up on its own.
   */
  joinBatch(msg: ResultsReady): void {
    const results = this.view.results;
    const known = (list: { applicationNumber: string }[]) =>
      list.some((line) => line.applicationNumber === msg.applicationNumber);
    if (results && (known(results.lines) || results.late.includes(msg.applicationNumber))) return; // a repeat
    const sat = this.present.some(
      (entry) => entry.applicationNumber === msg.applicationNumber && entry.ticketNumber === msg.ticketNumber,
    );
    if (results && sat && !results.summarised && !this.view.closed) {
      const { applicationNumber, ticketNumber, deciders } = msg;
      results.lines.push({ applicationNumber, ticketNumber, deciders });
      this.record({ type: 'results-ready', comment: `${applicationNumber}, ticket ${ticketNumber}` });
      return;
    }
    results?.late.push(msg.applicationNumber);
    this.outbox.push({
      to: msg.applicationNumber,
      signal: 'resultsDecided',
      ticketNumber: msg.ticketNumber,
      decisions: [],
    });
  }

  /** A level decides the batch: approves what stays (after its take-outs), or returns the whole batch a level down. */
  decideBatch(cmd: SessionTaskDecision, decision: SessionDecision): void {
    const task = this.finishTask(cmd, decision);
    const results = this.view.results!;
    const caseKind = caseKindOf(task.kind);
    const by = cmd.actor.id;
    const at = task.outcome!.at;
    const standing = this.standingApprovals(task.kind);
    for (const { ticketNumber, decision: out, reason } of cmd.takeOut ?? []) {
      const line = results.lines.find((l) => l.ticketNumber === ticketNumber)!;
      line.takenOut = { kind: caseKind, decision: out, by, at, comment: reason.trim() };
      this.record({
        type: `result-${out}`,
        taskId: task.id,
        by,
        comment: `${line.applicationNumber}: ${reason.trim()}`,
      });
      this.outbox.push({
        to: line.applicationNumber,
        signal: 'resultsDecided',
        ticketNumber,
        decisions: [...standing, line.takenOut],
      });
    }
    results.decisions.push({
      kind: caseKind,
      decision: decision as 'approve' | 'return',
      by,
      at,
      comment: task.outcome!.comment,
    });
    if (task.kind === SessionTaskKind.ResultSummary) results.summarised = true;
    this.record({
      type: `results-${decision}`,
      taskId: task.id,
      by,
      comment: task.outcome!.comment ?? candidates(this.batch.length),
    });
  }

  /**
   * The department approved: every candidate still in the batch hears of it, in the order of the roster, with the
   * certificate number reserved for them in that order.
   */
  releaseBatch(numbers: Map<string, string>, issuedOn: string): void {
    const results = this.view.results!;
    const decisions = this.standingApprovals();
    for (const line of this.batch) {
      line.certificateNumber = numbers.get(line.applicationNumber);
      const certificate = line.certificateNumber ? { number: line.certificateNumber, issuedOn } : undefined;
      this.outbox.push({
        to: line.applicationNumber,
        signal: 'resultsDecided',
        ticketNumber: line.ticketNumber,
        decisions,
        certificate,
      });
    }
    results.done = true;
    this.record({ type: 'results-released', comment: candidates(this.batch.length) });
  }

  /** The last approval at each level below `kind` (all levels without it): the decisions that stand. */
  private standingApprovals(kind?: SessionTaskKind): BatchDecision[] {
    const results = this.view.results!;
    const below = RESULT_LEVELS.slice(0, kind ? RESULT_LEVELS.findIndex((l) => l.kind === kind) : undefined);
    return below.map(({ caseKind }) =>
      [...results.decisions].reverse().find((d) => d.kind === caseKind && d.decision === 'approve')!,
    );
  }

  enterRows(cmd: ScoreRowsCommand): void {
    const sheet = this.view.sheet!;
    const at = now();
    for (const { ticketNumber, knowledge, skills, disqualified } of cmd.rows) {
      const row = sheet.rows[ticketNumber] ?? { ticketNumber, by: cmd.actor.id, at };
      if (typeof knowledge === 'number') row.knowledge = knowledge;
      if (typeof skills === 'number') row.skills = skills;
      if (typeof disqualified === 'string') row.disqualified = disqualified.trim() || undefined;
      sheet.rows[ticketNumber] = { ...row, by: cmd.actor.id, at };
    }
    this.record({ type: 'scores-entered', by: cmd.actor.id, comment: `${cmd.rows.length} lines` });
  }

  report(cmd: SessionTaskDecision): void {
    const task = this.finishTask(cmd, SessionDecision.Approve);
    this.view.evaluation = { opinion: task.outcome!.comment!, by: cmd.actor.id, at: task.outcome!.at };
    this.record({ type: 'session-reported', taskId: task.id, by: cmd.actor.id, comment: task.outcome!.comment });
  }

  /** The team member who submits the sheet is its enterer; a second one checks it. */
  submitSheet(cmd: SessionTaskDecision): void {
    this.finishTask(cmd, SessionDecision.Approve);
    this.view.sheet!.submittedBy = cmd.actor.id;
    this.record({ type: 'score-sheet-submitted', taskId: cmd.taskId, by: cmd.actor.id });
  }

  /** Approved, each present candidate's scores go to their case; returned, the sheet goes back to entry. */
  checkSheet(cmd: SessionTaskDecision, decision: SessionDecision): void {
    const task = this.finishTask(cmd, decision);
    const sheet = this.view.sheet!;
    const by = cmd.actor.id;
    if (decision === SessionDecision.Return) {
      sheet.returns.push({ by, at: now(), reason: task.outcome!.comment! });
      sheet.submittedBy = undefined;
      this.record({ type: 'score-sheet-returned', taskId: task.id, by, comment: task.outcome!.comment });
      return;
    }
    sheet.checked = { by, at: now() };
    this.record({ type: 'score-sheet-checked', taskId: task.id, by, comment: candidates(this.present.length) });
    for (const { applicationNumber, ticketNumber } of this.present) {
      const { knowledge, skills, disqualified } = sheet.rows[ticketNumber];
      this.outbox.push({
        to: applicationNumber,
        signal: 'sheetScores',
        ticketNumber,
        ...(disqualified ? { disqualified } : { knowledge, skills }),
        enteredBy: sheet.submittedBy!,
        checkedBy: by,
      });
    }
  }

  decidePlan(cmd: SessionTaskDecision, decision: SessionDecision): SessionTask {
    const task = this.tasks.byId(cmd.taskId)!;
    task.status = TaskStatus.Done;
    task.assignee ??= cmd.actor.id;
    task.outcome = { decision, by: cmd.actor.id, at: now(), comment: cmd.comment?.trim() || undefined };
    this.record({ type: `plan-${decision}`, taskId: task.id, by: cmd.actor.id, comment: task.outcome.comment });
    return task;
  }

  revise(cmd: RevisePlanCommand): void {
    this.view.plan = cleanPlan(cmd.plan);
    this.scheduleVersion++;
    this.decidePlan(cmd, SessionDecision.Revise);
  }

  /** Gives the case the first free seat and a new ticket; a case already seated keeps what it has. */
  seat(cmd: SeatCommand): RosterEntry {
    const held = this.seated.find((entry) => entry.applicationNumber === cmd.applicationNumber);
    if (held) return held;
    const seat = firstFreeSeat(
      this.view.plan.rooms,
      this.seated.map((entry) => entry.seat),
    )!;
    const entry: RosterEntry = {
      applicationNumber: cmd.applicationNumber,
      occupation: cmd.occupation,
      level: cmd.level,
      seat,
      ticketNumber: `${this.view.sessionId}-${String(this.view.roster.length + 1).padStart(4, '0')}`,
      seatedAt: now(),
      seatedBy: cmd.actor.id,
      ...(cmd.resit && { resitPart: cmd.resit.part }),
    };
    this.view.roster.push(entry);
    this.record({
      type: 'seated',
      by: cmd.actor.id,
      comment: `${entry.applicationNumber} ${seat.room} #${seat.number}${entry.resitPart ? ` (re-sits ${entry.resitPart})` : ''}`,
    });
    this.outbox.push({ to: entry.applicationNumber, signal: 'seatGranted', entry });
    return entry;
  }

  /** A case's message about its seat: given up (it moved or closed), or a reserved number it closed without taking. */
  caseReleased({ applicationNumber, reason, unusedCertificate, fromBatch }: SeatReleased): void {
    if (fromBatch) return this.leaveBatch(applicationNumber, reason);
    if (unusedCertificate)
      this.outbox.push({ to: applicationNumber, signal: 'voidNumber', number: unusedCertificate, reason });
    else this.releaseFor(applicationNumber, reason);
  }

  /** A case that closed while in the batch leaves it; the candidate stays on the roster, as they sat the exam. */
  private leaveBatch(applicationNumber: string, reason: string): void {
    const line = this.view.results?.lines.find((l) => l.applicationNumber === applicationNumber);
    if (!line || line.takenOut || line.left || this.view.results!.done) return;
    line.left = { at: now(), reason };
    this.record({ type: 'left-results-batch', comment: `${applicationNumber}: ${reason}` });
  }

  /** The case gave its seat up (it moved or closed); a seat it no longer holds changes nothing. */
  releaseFor(applicationNumber: string, reason: string): void {
    const entry = this.seated.find((e) => e.applicationNumber === applicationNumber);
    if (entry) this.release(entry, reason, false);
  }

  markAttendance(cmd: AttendanceCommand): void {
    const seats = this.seatsByTicket();
    const at = now();
    for (const { ticketNumber, present } of cmd.marks) {
      seats.get(ticketNumber)!.attendance = { present, by: cmd.actor.id, at };
    }
    const present = cmd.marks.filter((mark) => mark.present).length;
    this.record({
      type: 'attendance-marked',
      by: cmd.actor.id,
      comment: `${present} present, ${cmd.marks.length - present} absent`,
    });
  }

  /** The list is final: each absent candidate's case hears of it (and waits for another seat, or ends). */
  closeCheckIn(cmd: SessionTaskDecision): void {
    const task = this.tasks.byId(cmd.taskId)!;
    const by = cmd.actor.id;
    task.status = TaskStatus.Done;
    task.assignee ??= by;
    task.outcome = { decision: SessionDecision.Approve, by, at: now(), comment: cmd.comment?.trim() || undefined };
    const absent = this.seated.filter((entry) => entry.attendance?.present === false);
    const present = this.seated.length - absent.length;
    this.view.checkIn = { closedAt: now(), closedBy: by, present, absent: absent.length };
    this.record({
      type: 'check-in-closed',
      taskId: task.id,
      by,
      comment: `${present} present, ${absent.length} absent`,
    });
    for (const { applicationNumber, ticketNumber } of absent) {
      this.outbox.push({ to: applicationNumber, signal: 'markedAbsent', ticketNumber });
    }
  }

  postpone(cmd: PostponeCommand): void {
    const { knowledge, skills, registrationClosesAt } = this.view.plan;
    const reason = cmd.reason.trim();
    this.view.postponements.push({
      from: { knowledge, skills, registrationClosesAt },
      reason,
      by: cmd.actor.id,
      at: now(),
    });
    Object.assign(this.view.plan, cleanSchedule(cmd.schedule));
    this.scheduleVersion++;
    this.record({ type: 'session-postponed', by: cmd.actor.id, comment: reason });
    const step = this.view.postponements.length;
    for (const entry of this.seated)
      this.outbox.push({ to: entry.applicationNumber, signal: 'scheduleChanged', reason, step });
  }

  // ---- Helpers ----

  private finishTask(cmd: SessionTaskDecision, decision: SessionDecision): SessionTask {
    const task = this.tasks.byId(cmd.taskId)!;
    task.status = TaskStatus.Done;
    task.assignee ??= cmd.actor.id;
    task.outcome = { decision, by: cmd.actor.id, at: now(), comment: cmd.comment?.trim() || undefined };
    return task;
  }

  /** The session's own appraisal team: named in its plan, and examiners of its station. */
  private checkTeam(actor: Actor, work: keyof typeof TEAM_WORK): void {
    checkActorShape({ actor });
    const { sessionId, stationId, plan } = this.view;
    if (!plan.examiners.includes(actor.id) || !actor.groups.includes(`${stationId}:examiners`)) {
      refuse(RefusalType.Forbidden, message(TEAM_WORK[work], { sessionId }));
    }
  }

  private sheetOpenForEntry(): void {
    const { sessionId, sheet } = this.view;
    if (this.tasks.open.some((task) => task.kind === SessionTaskKind.ScoreEntry)) return;
    if (sheet?.checked) {
      refuse(RefusalType.Closed, message('refusals:sheet.checked', { sessionId, person: sheet.checked.by }));
    }
    if (sheet?.submittedBy) {
      refuse(RefusalType.Conflict, message('refusals:sheet.beingChecked', { sessionId }));
    }
    refuse(RefusalType.Conflict, message('refusals:sheet.notOpen', { sessionId }));
  }

  private sheetSeats(): SheetSeats {
    return {
      sessionId: this.view.sessionId,
      present: new Set(this.present.map((entry) => entry.ticketNumber)),
      absent: new Set(
        this.seated.filter((entry) => entry.attendance?.present === false).map((entry) => entry.ticketNumber),
      ),
      resitParts: this.resitParts,
    };
  }

  private checkSheetSubmission(cmd: SessionTaskDecision, decision: SessionDecision): void {
    if (decision !== SessionDecision.Approve) {
      refuse(RefusalType.InvalidInput, this.about(cmd, 'refusals:sheet.submitByApproving'));
    }
    this.checkTeam(cmd.actor, 'submit');
    checkText('comment', cmd.comment, false);
    const rows = this.view.sheet?.rows ?? {};
    const missing = this.present.flatMap(({ ticketNumber, resitPart }) => {
      const row = rows[ticketNumber];
      if (row?.disqualified) return [];
      const parts = (resitPart ? [resitPart] : EXAM_PARTS).filter((part) => typeof row?.[part] !== 'number');
      return parts.length ? [{ ticketNumber, parts }] : [];
    });
    if (missing.length > 0) {
      refuse(
        RefusalType.Conflict,
        message('refusals:sheet.scoresMissing', {
          missing: missing.length,
          present: this.present.length,
          tickets: firstTickets(missing.map((line) => line.ticketNumber)),
        }),
      );
    }
  }

  private checkSheetCheck(cmd: SessionTaskDecision, decision: SessionDecision): void {
    if (decision === SessionDecision.Reject) {
      refuse(RefusalType.InvalidInput, this.about(cmd, 'refusals:sheet.checkApproveOrReturn'));
    }
    this.checkTeam(cmd.actor, 'check');
    const enteredBy = this.view.sheet?.submittedBy;
    if (cmd.actor.id === enteredBy) {
      refuse(RefusalType.Forbidden, message('refusals:sheet.fourEyes', { person: enteredBy }));
    }
    checkText(
      decision === SessionDecision.Approve ? 'comment' : 'reason',
      cmd.comment,
      decision === SessionDecision.Return,
    );
  }

  /**
   * A result level approves the batch, taking single candidates out (each returned or rejected with a reason), or
   * returns the whole batch to the level below. Whoever decided at another level, for the batch or for one of its
   * cases, may not decide here (four eyes across levels, as for a case alone).
   */
  private checkBatchDecision(cmd: SessionTaskDecision, task: SessionTask, decision: SessionDecision): void {
    const { sessionId } = this.view;
    const results = this.view.results!;
    const rule = TASK_RULES[caseKindOf(task.kind)];
    if (decision === SessionDecision.Reject) {
      refuse(RefusalType.InvalidInput, this.tasks.about(task, 'refusals:results.noReject', { sessionId }));
    }
    if (decision === SessionDecision.Return && !rule.returnsTo) {
      refuse(RefusalType.InvalidInput, this.tasks.about(task, 'refusals:results.firstLevel'));
    }
    this.checkOneLevel(cmd.actor, rule.level!);
    checkText(
      decision === SessionDecision.Return ? 'reason' : 'comment',
      cmd.comment,
      decision === SessionDecision.Return,
    );
    const takeOut = cmd.takeOut as unknown;
    if (takeOut === undefined) {
      if (decision === SessionDecision.Approve && this.batch.length === 0) this.refuseEmptyBatch(results.expected);
      return;
    }
    if (!Array.isArray(takeOut) || decision !== SessionDecision.Approve) {
      return refuse(RefusalType.InvalidInput, message('refusals:results.takeOutList'));
    }
    const inBatch = new Map(this.batch.map((line) => [line.ticketNumber, line]));
    const errors: Record<string, Message> = {};
    const seen = new Set<string>();
    takeOut.forEach((item: unknown, index: number) => {
      const field = `takeOut[${index}]`;
      const { ticketNumber, decision: out, reason } = (item ?? {}) as Record<string, unknown>;
      const ticket = String(ticketNumber);
      const given = String(out);
      if (typeof ticketNumber !== 'string' || !inBatch.has(ticketNumber)) {
        errors[field] = message('refusals:results.notInBatch', { ticket, sessionId });
      } else if (seen.has(ticketNumber)) {
        errors[field] = message('refusals:results.takenOutTwice', { ticket });
      } else if (out !== 'reject' && (out !== 'return' || !rule.returnsTo)) {
        errors[field] = rule.returnsTo
          ? message('refusals:results.takeOutDecision', { ticket, given })
          : message('refusals:results.summaryRejectsOnly', { ticket, given });
      } else if (typeof reason !== 'string' || !reason.trim()) {
        errors[field] = message('refusals:results.takeOutReason', { ticket });
      } else if (reason.length > MAX_TEXT) {
        errors[field] = message('refusals:results.takeOutReasonTooLong', { ticket, max: MAX_TEXT });
      }
      if (typeof ticketNumber === 'string') seen.add(ticketNumber);
    });
    refuseFields(errors);
    if (takeOut.length === 0 && this.batch.length === 0) this.refuseEmptyBatch(results.expected);
  }

  private refuseEmptyBatch(expected: number): never {
    const { sessionId } = this.view;
    return refuse(RefusalType.Conflict, message('refusals:results.empty', { sessionId, expected }));
  }

  private checkOneLevel(actor: Actor, level: string): void {
    const results = this.view.results!;
    const earlier = results.decisions.find((d) => d.by === actor.id && TASK_RULES[d.kind].level !== level);
    const { sessionId } = this.view;
    if (earlier) {
      refuse(RefusalType.Forbidden, message('refusals:results.fourEyes', { actor: actor.id, sessionId }));
    }
    const cases = this.batch.filter((line) =>
      Object.entries(line.deciders).some(([other, ids]) => other !== level && ids?.includes(actor.id)),
    );
    if (cases.length > 0) {
      const numbers = cases.map((l) => l.applicationNumber).join(', ');
      refuse(
        RefusalType.Forbidden,
        message('refusals:results.fourEyesCases', { actor: actor.id, applicationNumbers: numbers }),
      );
    }
  }

  private checkCheckInClosing(cmd: SessionTaskDecision, decision: SessionDecision): void {
    if (decision !== SessionDecision.Approve) {
      refuse(RefusalType.InvalidInput, this.about(cmd, 'refusals:checkIn.closeByApproving'));
    }
    checkText('comment', cmd.comment, false);
    const unmarked = this.seated.filter((entry) => !entry.attendance).map((entry) => entry.ticketNumber);
    if (unmarked.length > 0) {
      refuse(
        RefusalType.Conflict,
        message('refusals:checkIn.unmarked', {
          unmarked: unmarked.length,
          seated: this.seated.length,
          tickets: firstTickets(unmarked),
        }),
      );
    }
  }

  private seatsByTicket(): Map<string, RosterEntry> {
    return new Map(this.seated.map((entry) => [entry.ticketNumber, entry]));
  }

  private release(entry: RosterEntry, reason: string, tellCase: boolean): void {
    entry.released = { at: now(), reason };
    this.record({ type: 'seat-released', comment: `${entry.applicationNumber}: ${reason}` });
    if (tellCase) this.outbox.push({ to: entry.applicationNumber, signal: 'seatWithdrawn', reason });
  }

  /** Seating, postponing and cancelling are the station office's: its clerks, supervisors, or an administrator. */
  private checkOffice(actor: Actor, work: keyof typeof OFFICE_WORK): void {
    checkActorShape({ actor });
    const { stationId: station, sessionId } = this.view;
    if (!sessionOfficeGroups(station).some((group) => actor.groups.includes(group))) {
      refuse(RefusalType.Forbidden, message(OFFICE_WORK[work], { station, sessionId }));
    }
  }

  private checkNotEnded(): void {
    const { sessionId } = this.view;
    if (this.view.closed) {
      refuse(RefusalType.Closed, message('refusals:session.ended', { sessionId, sessionStage: this.stage }));
    }
  }

  private checkBeforeExam(nowMs: number, work: 'postpone' | 'cancel'): void {
    const { sessionId, plan } = this.view;
    this.checkNotEnded();
    if (nowMs >= examBegins(plan)) {
      const beganAt = new Date(examBegins(plan)).toISOString();
      refuse(RefusalType.Closed, message(BEGUN[work], { sessionId, beganAt }));
    }
  }

  private whyNoSeats(): Message {
    const { sessionId } = this.view;
    const sessionStage = this.stage;
    if (this.view.closed) {
      return message('refusals:seat.sessionEnded', { sessionId, sessionStage });
    }
    if (this.stage === SessionStage.PlanReview || this.stage === SessionStage.PlanRevision) {
      return message('refusals:seat.planNotApproved', { sessionId });
    }
    return message('refusals:seat.underWay', { sessionId, sessionStage });
  }

  /** A refusal about the task a decision names, which the checks before it found open. */
  private about(cmd: SessionTaskDecision, key: string): Message {
    return this.tasks.about(this.tasks.byId(cmd.taskId)!, key);
  }
}

/** A re-sit's window closes before the session ends, by the part re-sat. */
const RESIT_TOO_LATE: Record<ExamPart, string> = {
  knowledge: 'refusals:seat.resitTooLate.knowledge',
  skills: 'refusals:seat.resitTooLate.skills',
};

/** What only a session's appraisal team may do, by the refusal that says so. */
const TEAM_WORK = {
  enter: 'refusals:team.enter',
  submit: 'refusals:team.submit',
  check: 'refusals:team.check',
} as const;

/** What only the station's office may do. */
const OFFICE_WORK = {
  seat: 'refusals:office.seat',
  postpone: 'refusals:office.postpone',
  cancel: 'refusals:office.cancel',
} as const;

/** What a session that has begun may no longer be. */
const BEGUN = {
  postpone: 'refusals:session.begunPostpone',
  cancel: 'refusals:session.begunCancel',
} as const;

/** The first ten tickets of a list, and an ellipsis for the rest: the refusal also says how many there are. */
const firstTickets = (tickets: string[]): string => tickets.slice(0, 10).join(', ') + (tickets.length > 10 ? ' …' : '');

export const sessionOfficeGroups = (stationId: string): string[] => [
  `${stationId}:clerks`,
  `${stationId}:supervisors`,
  ADMINISTRATORS,
];

const candidates = (count: number): string => `${count} candidate${count === 1 ? '' : 's'}`;

/** The case task a result level stands for. */
export const caseKindOf = (kind: SessionTaskKind): TaskKind => RESULT_LEVELS.find((l) => l.kind === kind)!.caseKind;

export const isTerminalSession = (stage: SessionStage): boolean => TERMINAL_SESSION_STAGES.includes(stage);
