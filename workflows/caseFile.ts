/**
 * The state of one case and the rules for changing it. The workflow drives it; update validators call its `check*`
 * methods, which throw before anything is written to history; handlers then call the matching mutation. Nothing here
 * awaits, so a handler's change is complete the moment it returns.
 */
import type { NotificationKind } from '../activities/notifications';
import { englishText } from '../domain/englishText';
import { isMessage, type Message, message } from '../domain/messages';
import { examOutcome, type ExamPart, type ScoreProblem, scoreProblem } from '../domain/scores';
import {
  type Actor,
  type ApproveCommand,
  type ApplicationWorkflowInput,
  type CaseEvent,
  type CaseView,
  type HumanTask,
  type ProcessPolicy,
  type ScoresCommand,
  type TaskCommand,
  ApprovalLevel,
  Decision,
  RefusalType,
  Stage,
  TaskKind,
  TaskStatus,
  TERMINAL_STAGES,
} from './definitions';
import { checkText, now, refuse } from './refusals';
import type {
  MarkedAbsent,
  ResultsDecided,
  ScheduleChanged,
  SeatGranted,
  SeatWithdrawn,
  SheetScores,
} from './sessionDefinitions';
import { TaskList } from './taskList';
import { ADMINISTRATORS, candidateGroupFor, supervisingGroupFor, TASK_RULES, withdrawingGroupsFor } from './taskRules';

/** Why a task refuses a decision it does not take, by the decision asked for. */
const NOT_TAKEN: Record<Decision, string> = {
  [Decision.Approve]: 'refusals:decision.notTaken.approve',
  [Decision.Reject]: 'refusals:decision.notTaken.reject',
  [Decision.Return]: 'refusals:decision.notTaken.return',
  [Decision.Scores]: 'refusals:decision.notTaken.scores',
  [Decision.Disqualify]: 'refusals:decision.notTaken.disqualify',
};

/** A score refused for a part other than the one failed, by the failed part. */
const RESIT_ONLY: Record<ExamPart, string> = {
  knowledge: 'refusals:scores.resitOnly.knowledge',
  skills: 'refusals:scores.resitOnly.skills',
};

/** Why a value is not a score, by the domain's word for it. */
const NOT_A_SCORE: Record<ScoreProblem, string> = {
  notANumber: 'refusals:scores.notANumber',
  outOfRange: 'refusals:scores.outOfRange',
  tooPrecise: 'refusals:scores.tooPrecise',
};

/** Thrown inside the workflow to leave the story when the case reaches a terminal outcome. */
export class CaseClosed extends Error {}

export class CaseFile {
  readonly view: CaseView;
  /** Set by the workflow's first activity; until then the case has no tasks for it to time. */
  policy!: ProcessPolicy;
  /** The search attribute values last sent, so only changes are upserted. */
  readonly publishedAttributes = new Map<string, string>();
  /** How much of the history the records activity has written (see keepRecords in application.ts). */
  recordedVersion = 0;
  /** Each task's state as last written to the projection, so unchanged tasks are not written again. */
  readonly recordedTasks = new Map<string, string>();
  /** The case's human tasks: opening, deadlines, claiming (taskList.ts); the decisions are the case's own. */
  readonly tasks: TaskList<HumanTask>;
  /** Keys of the session messages already taken, so a repeated signal changes nothing. */
  private readonly sessionMessages = new Set<string>();
  /** Grows with every change to the case's seat, so the story's wait on the old one wakes up. */
  seatRevision = 0;
  /** Notices for the candidate that a session message calls for; the story sends them. */
  readonly candidateNotices: { kind: NotificationKind; reason?: string }[] = [];
  /** Seats to give back to their sessions (a move, or the case closed before its exam); a loop sends them. */
  readonly seatReleases: { sessionId: string; reason: string; unusedCertificate?: string; fromBatch?: boolean }[] = [];
  /** Scores from a checked sheet that came before the case's own exam task opened (see takeSheetScores). */
  private waitingSheetScores?: SheetScores;
  /** The session batch's word on this case's results (see takeResults); the story reads it once. */
  batchResults?: ResultsDecided;
  /** Set once the case has told its session that its results wait in the batch, until the batch answers. */
  inBatch = false;

  constructor(input: ApplicationWorkflowInput) {
    const { application, submittedAt } = input;
    this.view = {
      applicationNumber: application.applicationNumber,
      stage: Stage.Application,
      closed: false,
      submittedAt,
      application,
      ruleSetVersion: '',
      tasks: [],
      history: [{ at: submittedAt, type: 'application-received' }],
    };
    this.tasks = new TaskList(this.view.tasks, { kind: 'case', id: () => this.view.applicationNumber }, (event) =>
      this.record(event),
    );
  }

  get app() {
    return this.view.application;
  }

  get stage(): Stage {
    return this.view.stage;
  }

  record(event: Omit<CaseEvent, 'at'>): void {
    this.view.history.push({ at: now(), ...event });
  }

  /** Moves the case to a stage; a case closed meanwhile (withdrawn, cancelled) leaves the story here. */
  enter(stage: Stage): void {
    if (this.view.closed) throw new CaseClosed(this.view.stage);
    this.view.stage = stage;
    this.record({ type: `stage:${stage}` });
  }

  openTask(kind: TaskKind, dueAt: Date): HumanTask {
    const groups = {
      candidateGroup: candidateGroupFor(kind, this.app),
      supervisingGroup: supervisingGroupFor(kind, this.app),
    };
    return this.tasks.openTask(kind, groups, dueAt);
  }

  /**
   * Ends the case: every open task is cancelled and the story stops at its next wait. A seat is given back. A reason
   * the workflow words itself comes as a Message, kept beside its English so each reader's page can say it; a person's
   * reason is kept as typed.
   */
  close(stage: Stage, why?: string | Message, by?: string): CaseClosed {
    if (!this.view.closed) {
      this.tasks.cancelOpen();
      const { sitting } = this.view;
      if (sitting && this.stage === Stage.AdmissionTicket) {
        this.seatReleases.push({ sessionId: sitting.sessionId, reason: `the case was closed (${stage})` });
      }
      if (sitting && this.inBatch) {
        const reason = `the case was closed (${stage})`;
        this.seatReleases.push({ sessionId: sitting.sessionId, reason, fromBatch: true });
      }
      this.view.stage = stage;
      this.view.closed = true;
      const said = isMessage(why) ? why : undefined;
      const reason = said ? englishText(said) : (why as string | undefined);
      this.view.outcome = { stage, reason, ...(said && { said }), at: now(), by };
      this.record({ type: `closed:${stage}`, by, comment: reason, ...(said && { said }) });
    }
    return new CaseClosed(stage);
  }

  // ---- Checks: called by update validators; they throw ApplicationFailure and change nothing. ----

  checkDecision(cmd: TaskCommand, decision: Decision, text?: { field: 'reason' | 'comment'; value: unknown }): void {
    const task = this.tasks.checkDecider(cmd);
    const rule = TASK_RULES[task.kind];
    if (!rule.decisions.includes(decision)) {
      refuse(RefusalType.InvalidInput, this.tasks.about(task, NOT_TAKEN[decision]));
    }
    if (rule.level) this.checkSingleLevel(cmd.actor, rule.level);
    if (text) checkText(text.field, text.value, text.field === 'reason');
  }

  /** A recipient belongs to the certificate's hand-over, and is text as a clerk types it. */
  checkRecipient(cmd: ApproveCommand): void {
    if (cmd.receivedBy === undefined) return;
    if (this.tasks.byId(cmd.taskId)?.kind !== TaskKind.CertificateHandover) {
      refuse(RefusalType.InvalidInput, message('refusals:decision.receivedByAtHandover'));
    }
    checkText('receivedBy', cmd.receivedBy, true);
  }

  checkScores(cmd: ScoresCommand): void {
    this.checkDecision(cmd, Decision.Scores, { field: 'comment', value: cmd.comment });
    const task = this.tasks.byId(cmd.taskId)!;
    const { sitting } = this.view;
    if (sitting && task.kind === TaskKind.ExamScores) {
      // One sheet per session, entered and checked by two of its team: no score goes round it case by case.
      refuse(
        RefusalType.Conflict,
        message('refusals:scores.fromSessionSheet', {
          applicationNumber: this.view.applicationNumber,
          sessionId: sitting.sessionId,
        }),
      );
    }
    const required: ExamPart[] =
      task.kind === TaskKind.ResitScores ? [this.view.exam!.resit!.part] : ['knowledge', 'skills'];
    for (const part of ['knowledge', 'skills'] as const) {
      const value = cmd[part];
      if (!required.includes(part)) {
        if (value !== undefined) {
          refuse(RefusalType.InvalidInput, message(RESIT_ONLY[required[0]]));
        }
        continue;
      }
      if (value === undefined) {
        refuse(RefusalType.InvalidInput, message('refusals:scores.required', { field: part }));
      }
      const problem = scoreProblem(value);
      if (problem) {
        refuse(RefusalType.InvalidInput, message(NOT_A_SCORE[problem], { field: part }));
      }
    }
  }

  checkWithdrawal(actor: Actor, reason: unknown): void {
    this.checkOpenCase();
    if (!actor?.groups?.some((group) => withdrawingGroupsFor(this.app).includes(group))) {
      refuse(RefusalType.Forbidden, message('refusals:case.withdrawForbidden', { station: this.app.stationId }));
    }
    checkText('reason', reason, true);
  }

  checkCancellation(actor: Actor, reason: unknown): void {
    this.checkOpenCase();
    if (!actor?.groups?.includes(ADMINISTRATORS)) {
      refuse(RefusalType.Forbidden, message('refusals:case.cancelForbidden'));
    }
    checkText('reason', reason, true);
  }

  // ---- Mutations: called by update handlers after their validator passed. ----

  decide(
    cmd: TaskCommand,
    decision: Decision,
    details: { comment?: string; said?: Message; scores?: ScoresCommand; receivedBy?: string } = {},
  ): void {
    const task = this.tasks.byId(cmd.taskId)!;
    const { knowledge, skills } = details.scores ?? {};
    task.status = TaskStatus.Done;
    task.assignee ??= cmd.actor.id;
    task.outcome = {
      decision,
      by: cmd.actor.id,
      at: now(),
      comment: details.comment?.trim() || undefined,
      ...(details.said && { said: details.said }),
      scores: details.scores ? { knowledge, skills } : undefined,
      ...(details.receivedBy?.trim() && { receivedBy: details.receivedBy.trim() }),
    };
    const { comment, said } = task.outcome;
    this.record({ type: `task-${decision}`, taskId: task.id, by: cmd.actor.id, comment, ...(said && { said }) });
  }

  // ---- Session messages: signals, so no validator; whatever does not fit is answered, never thrown. ----

  /**
   * A session gives the case a seat. The case takes it while it waits for one, or in exchange for the seat it holds
   * while that session's registration is still open (a move); otherwise the seat goes back.
   */
  takeSeat(msg: SeatGranted): void {
    if (!this.firstTime(msg.key)) return;
    const held = this.view.sitting;
    if (held?.sessionId === msg.sessionId && held.ticketNumber === msg.ticketNumber) return;
    const waiting =
      !this.view.closed &&
      (this.stage === Stage.AwaitingSeat ||
        this.stage === Stage.AdmissionTicket ||
        (this.stage === Stage.Resit && !held && this.resitsInSession));
    const movable = !held || Date.now() < Date.parse(held.schedule.registrationClosesAt);
    if (!waiting || !movable) {
      const why = !waiting
        ? `the case is at ${this.stage}`
        : `it is seated in ${held!.sessionId}, whose registration has closed`;
      this.seatReleases.push({ sessionId: msg.sessionId, reason: `not taken: ${why}` });
      return;
    }
    if (held && held.sessionId !== msg.sessionId) {
      this.seatReleases.push({ sessionId: held.sessionId, reason: `moved to session ${msg.sessionId}` });
    }
    const { sessionId, seat, ticketNumber, issuedAt, schedule } = msg;
    this.view.sitting = { sessionId, seat, ticketNumber, issuedAt, schedule };
    this.view.ticket = { number: ticketNumber, issuedAt };
    this.record({
      type: 'seat-granted',
      comment: `${sessionId}: ${seat.room} #${seat.number}, ticket ${ticketNumber}`,
    });
    this.candidateNotices.push({ kind: 'admission-ticket' });
    this.seatRevision++;
  }

  moveExam(msg: ScheduleChanged): void {
    if (!this.firstTime(msg.key) || !this.holdsSeatIn(msg.sessionId)) return;
    this.view.sitting!.schedule = msg.schedule;
    this.record({ type: 'exam-rescheduled', comment: msg.reason });
    this.candidateNotices.push({ kind: 'exam-rescheduled', reason: msg.reason });
    this.seatRevision++;
  }

  loseSeat(msg: SeatWithdrawn): void {
    if (!this.firstTime(msg.key) || !this.holdsSeatIn(msg.sessionId)) return;
    this.view.sitting = undefined;
    this.view.ticket = undefined;
    this.record({ type: 'seat-withdrawn', comment: `${msg.sessionId}: ${msg.reason}` });
    this.candidateNotices.push({ kind: 'seat-withdrawn', reason: msg.reason });
    this.seatRevision++;
  }

  /**
   * The session's closed check-in list marks the candidate absent: the exam task, open since the first part began,
   * ends unanswered and the story decides whether the case waits for another seat (see examineInSessions).
   */
  markAbsent(msg: MarkedAbsent): void {
    const { sitting } = this.view;
    if (!this.firstTime(msg.key) || this.view.closed) return;
    if (sitting?.sessionId !== msg.sessionId || sitting.ticketNumber !== msg.ticketNumber) return;
    if (![Stage.AdmissionTicket, Stage.Examination, Stage.Resit].includes(this.stage)) return;
    this.view.absences = [
      ...(this.view.absences ?? []),
      { sessionId: msg.sessionId, ticketNumber: msg.ticketNumber, at: now() },
    ];
    this.record({ type: 'marked-absent', comment: `${msg.sessionId}, ticket ${msg.ticketNumber}` });
    this.tasks.cancelOpen();
    this.seatRevision++;
  }

  /**
   * The session's checked score sheet: the case's line, with the examiner who submitted the sheet and the one who
   * checked it. A case that sat in a session before sheets existed had an exam task of its own, which the line then
   * decides; otherwise the line waits here for the story (application.ts, examine), as it does when it comes before
   * that task opened (its worker lagged behind the session's).
   */
  takeSheetScores(msg: SheetScores): void {
    const { sitting } = this.view;
    if (!this.firstTime(msg.key) || this.view.closed) return;
    if (sitting?.sessionId !== msg.sessionId || sitting.ticketNumber !== msg.ticketNumber) return;
    const task = this.tasks.open.find((t) => t.kind === TaskKind.ExamScores);
    if (!task) {
      this.waitingSheetScores = msg;
      return;
    }
    const { knowledge, skills, enteredBy, disqualified } = msg;
    const actor = { id: enteredBy, groups: [] };
    if (disqualified) this.decide({ taskId: task.id, actor }, Decision.Disqualify, { comment: disqualified });
    else
      this.decide({ taskId: task.id, actor }, Decision.Scores, {
        comment: sheetNote(msg),
        said: sheetSaid(msg),
        scores: { taskId: task.id, actor, knowledge, skills },
      });
  }

  /**
   * The session's results batch decided this case: each level's decision becomes a done task of the case, as if it
   * had been decided here, so the case's timeline, audit and four-eyes checks read the same either way. A number
   * reserved for a case that has closed meanwhile goes back to the session, which voids it.
   */
  takeResults(msg: ResultsDecided): void {
    const { sitting } = this.view;
    if (!this.firstTime(msg.key) || sitting?.sessionId !== msg.sessionId) return;
    if (this.view.closed || this.stage !== Stage.ResultApproval) {
      if (msg.certificate) {
        const reason = `the case was closed (${this.stage}) before its certificate was issued`;
        this.seatReleases.push({ sessionId: msg.sessionId, reason, unusedCertificate: msg.certificate.number });
      }
      return;
    }
    for (const { kind, decision, by, at, comment } of msg.decisions) {
      const task = this.openTask(kind, new Date(at));
      task.status = TaskStatus.Done;
      task.assignee = by;
      task.outcome = { decision: decision as Decision, by, at, comment };
      this.record({ type: `task-${decision}`, taskId: task.id, by, comment: batchNote(msg.sessionId, comment) });
    }
    this.batchResults = msg;
    this.inBatch = false;
  }

  /** Who decided this case at each approval level so far: a batch keeps four eyes across levels with it. */
  decidersByLevel(): Partial<Record<ApprovalLevel, string[]>> {
    const deciders: Partial<Record<ApprovalLevel, string[]>> = {};
    for (const task of this.view.tasks) {
      const level = TASK_RULES[task.kind].level;
      if (level && task.outcome) deciders[level] = [...new Set([...(deciders[level] ?? []), task.outcome.by])];
    }
    return deciders;
  }

  /** The sheet's line for the seat held now, once it has come; taken once. */
  takeSheetLine(): SheetScores | undefined {
    const line = this.waitingSheetScores;
    this.waitingSheetScores = undefined;
    return line;
  }

  get hasSheetLine(): boolean {
    return this.waitingSheetScores !== undefined;
  }

  /** Called once the exam task is open: scores that came early decide it now. */
  takeWaitingSheetScores(): void {
    const waiting = this.waitingSheetScores;
    if (!waiting) return;
    this.waitingSheetScores = undefined;
    this.sessionMessages.delete(waiting.key);
    this.takeSheetScores(waiting);
  }

  /** Whether the seat held now was marked absent (the mark may come before the case's own exam timer fires). */
  absentFromSitting(): boolean {
    const { sitting, absences = [] } = this.view;
    return (
      !!sitting && absences.some((a) => a.sessionId === sitting.sessionId && a.ticketNumber === sitting.ticketNumber)
    );
  }

  private firstTime(key: string): boolean {
    if (this.sessionMessages.has(key)) return false;
    this.sessionMessages.add(key);
    return true;
  }

  /** Seated there and not yet sitting the exam: a session's later messages no longer move an exam under way. */
  private holdsSeatIn(sessionId: string): boolean {
    return this.view.sitting?.sessionId === sessionId && this.stage === Stage.AdmissionTicket && !this.view.closed;
  }

  // ---- Helpers ----

  /** A re-sit taken in a later session: no re-sit task of the case's own is open (cases before sessions had one). */
  get resitsInSession(): boolean {
    return !!this.view.exam?.resit && !this.tasks.open.some((task) => task.kind === TaskKind.ResitScores);
  }

  /** A resit is allowed only where the exam left exactly one failed part. */
  resitPart(): ExamPart | undefined {
    const outcome = this.view.exam?.scores && examOutcome(this.view.exam.scores);
    return outcome?.resitAllowed ? outcome.failedParts[0] : undefined;
  }

  private checkOpenCase(): void {
    if (this.view.closed || TERMINAL_STAGES.includes(this.view.stage)) {
      refuse(
        RefusalType.Closed,
        message('refusals:case.closed', { applicationNumber: this.view.applicationNumber, stage: this.view.stage }),
      );
    }
  }

  /** Four eyes across levels: whoever decided at one approval level may not decide at another in the same case. */
  private checkSingleLevel(actor: Actor, level: ApprovalLevel): void {
    for (const task of this.view.tasks) {
      const otherLevel = TASK_RULES[task.kind].level;
      if (task.outcome?.by === actor.id && otherLevel && otherLevel !== level) {
        refuse(
          RefusalType.Forbidden,
          message('refusals:case.fourEyes', { actor: actor.id, task: task.kind, taskId: task.id }),
        );
      }
    }
  }
}

const batchNote = (sessionId: string, comment?: string): string =>
  `results batch of session ${sessionId}${comment ? `: ${comment}` : ''}`;

/** How a case's history names where its scores came from: a Message for pages, its English for logs. */
export const sheetSaid = ({ sessionId, checkedBy }: SheetScores): Message =>
  message('case:said.sheetNote', { sessionId, person: checkedBy });
export const sheetNote = (line: SheetScores): string => englishText(sheetSaid(line));
