/**
 * Everything a client needs to talk to an appraisal session (a round of examinations a station holds for many
 * candidates), and the messages a session and its cases exchange. Kept apart from definitions.ts, like an
 * investigation's, so each evolves on its own; the shared vocabulary (actors, tasks, refusals, events) comes from there.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Level } from '../domain/levels';
import type { ExamPart } from '../domain/scores';
import type { Seat, SessionPlan, SessionSchedule } from '../domain/sessionPlan';
import {
  type Actor,
  type ApprovalLevel,
  type CaseEvent,
  type ProcessPolicy,
  type ReassignCommand,
  type TaskCommand,
  TaskKind,
} from './definitions';
import type { ListedHumanTask } from './taskList';

/** A station's sessions are numbered per year: `STATION-A-2027-S001`. */
export const sessionWorkflowIdFor = (sessionId: string): string => `session-${sessionId}`;

/** Where a session stands. The last three are terminal. */
export enum SessionStage {
  /** The guidance center reviews the plan. */
  PlanReview = 'plan-review',
  /** The center returned the plan; the station revises it. */
  PlanRevision = 'plan-revision',
  /** The plan is approved: candidates are seated and given tickets until the cut-off. */
  Registration = 'registration',
  /** After the cut-off, before the first part begins. */
  RegistrationClosed = 'registration-closed',
  /** From the start of the first part to the end of the last, and until the check-in list is closed. */
  Examination = 'examination',
  /** The appraisal team enters the score sheet, and a second member checks it. */
  Scoring = 'scoring',
  /**
   * The session's results go up as one batch: the station summarises them, the guidance center and then the
   * department approve them, each level free to take single candidates out.
   */
  Results = 'results',
  /** The station reports on the appraisal: its figures, and its opinion of the appraisal team's work. */
  Reporting = 'reporting',
  Held = 'held',
  PlanRejected = 'plan-rejected',
  Cancelled = 'cancelled',
}

export const TERMINAL_SESSION_STAGES: readonly SessionStage[] = [
  SessionStage.Held,
  SessionStage.PlanRejected,
  SessionStage.Cancelled,
];

export enum SessionTaskKind {
  /** The guidance center approves, returns or rejects the station's plan. */
  PlanReview = 'session-plan-review',
  /** The station revises a returned plan. */
  PlanRevision = 'session-plan-revision',
  /**
   * The check-in list: opens when the first part begins; the station closes it (approves it) once every seat is
   * marked present or absent, and the absent candidates' cases hear of it.
   */
  CheckIn = 'session-check-in',
  /** The appraisal team enters both parts' scores of every present candidate, then submits the sheet (approves). */
  ScoreEntry = 'session-score-entry',
  /** Another member of the team checks the sheet: approve sends each score to its case, return sends it back. */
  ScoreCheck = 'session-score-check',
  /** The station gives its opinion of the appraisal team's work (approve, with the opinion as the comment). */
  Report = 'session-report',
  /**
   * The three levels of result approval, each one task for the whole batch: approve (taking single candidates out,
   * each returned or rejected with a reason), or, above the station, return the whole batch to the level below.
   */
  ResultSummary = 'session-result-summary',
  ResultCenter = 'session-result-center',
  ResultDepartment = 'session-result-department',
}

/** The batch's levels in order, each with the case task it stands for (whose rules and levels it shares). */
export const RESULT_LEVELS: readonly { kind: SessionTaskKind; caseKind: TaskKind }[] = [
  { kind: SessionTaskKind.ResultSummary, caseKind: TaskKind.ResultStationSummary },
  { kind: SessionTaskKind.ResultCenter, caseKind: TaskKind.ResultCenterApproval },
  { kind: SessionTaskKind.ResultDepartment, caseKind: TaskKind.ResultDepartmentApproval },
];

export enum SessionDecision {
  Approve = 'approve',
  Return = 'return',
  Reject = 'reject',
  Revise = 'revise',
}

export interface SessionTask extends ListedHumanTask {
  kind: SessionTaskKind;
  outcome?: { decision: SessionDecision; by: string; at: string; comment?: string };
}

/** One line of the roster: a case holding (or having held) a seat. Ticket numbers are never reused. */
export interface RosterEntry {
  applicationNumber: string;
  occupation: string;
  level: Level;
  seat: Seat;
  ticketNumber: string;
  seatedAt: string;
  seatedBy: string;
  /** Set when the seat was given up: the case moved, closed, or the session was cancelled. */
  released?: { at: string; reason: string };
  /** The check-in list's mark, from the first part's start; the last mark counts until the list is closed. */
  attendance?: { present: boolean; by: string; at: string };
  /** A re-sit: the candidate sits only this part, the one they failed in an earlier session. */
  resitPart?: ExamPart;
}

export interface SessionWorkflowInput {
  sessionId: string;
  stationId: string;
  guidanceCenterId: string;
  departmentId: string;
  /** Checked by the client with planMistakes before the start, and stored clean. */
  plan: SessionPlan;
  plannedBy: string;
  /** A session carried over by continue-as-new: its whole state, so the roster never restarts. */
  carried?: { view: SessionView; recordedVersion: number; policy: ProcessPolicy; outbox: CarriedMessage[] };
}

/** A message to a case that a run had not sent yet (workflows/sessionFile.ts CaseMessage). */
export type CarriedMessage =
  | { to: string; signal: 'seatGranted'; entry: RosterEntry }
  | { to: string; signal: 'scheduleChanged'; reason: string; step: number }
  | { to: string; signal: 'seatWithdrawn'; reason: string }
  | { to: string; signal: 'markedAbsent'; ticketNumber: string }
  | ({ to: string; signal: 'sheetScores' } & Omit<SheetScores, 'key' | 'sessionId'>)
  | ({ to: string; signal: 'resultsDecided' } & Omit<ResultsDecided, 'key' | 'sessionId'>)
  /** Not a signal: a certificate number reserved for a case that closed before it could take it is voided. */
  | { to: string; signal: 'voidNumber'; number: string; reason: string };

/** What the getSessionState query answers. No personal data: cases are named by their application numbers. */
export interface SessionView {
  sessionId: string;
  stationId: string;
  guidanceCenterId: string;
  departmentId: string;
  stage: SessionStage;
  closed: boolean;
  plan: SessionPlan;
  plannedBy: string;
  plannedAt: string;
  /** The earlier schedules, newest last, each with why and by whom it was moved. */
  postponements: { from: SessionSchedule; reason: string; by: string; at: string }[];
  roster: RosterEntry[];
  tasks: SessionTask[];
  history: CaseEvent[];
  outcome?: { stage: SessionStage; reason?: string; at: string; by?: string };
  /** The score sheet, from the moment the last part has ended and the check-in list is closed. */
  sheet?: ScoreSheet;
  /** The station's opinion of the appraisal team's work, from the session's report task. */
  evaluation?: { opinion: string; by: string; at: string };
  /** The batch of results, from the moment the checked sheet's candidates begin to reach result approval. */
  results?: ResultBatch;
  /** Set when the check-in list was closed: by whom, and how many came. */
  checkIn?: { closedAt: string; closedBy: string; present: number; absent: number };
  /** How many runs (continue-as-new) the session's history has been carried over. */
  runs: number;
}

/** One present candidate's line on the score sheet; a part not yet entered is missing. */
export interface SheetRow {
  ticketNumber: string;
  knowledge?: number;
  skills?: number;
  /** The appraisal team disqualified the candidate (an incident at the exam), with why; the scores then do not count. */
  disqualified?: string;
  /** Who entered the line last, and when. */
  by: string;
  at: string;
}

export interface ScoreSheet {
  /** By ticket number. */
  rows: Record<string, SheetRow>;
  /** Who submitted it for checking; the checker must be someone else. */
  submittedBy?: string;
  checked?: { by: string; at: string };
  /** Each time a checker sent it back, with why. */
  returns: { by: string; at: string; reason: string }[];
}

/** A level's decision on the batch, or on one candidate taken out of it. */
export interface BatchDecision {
  kind: TaskKind;
  decision: 'approve' | 'return' | 'reject';
  by: string;
  at: string;
  comment?: string;
}

/** One candidate in the results batch. */
export interface BatchLine {
  applicationNumber: string;
  ticketNumber: string;
  /** Who decided the case at each approval level before it joined (four eyes across levels holds for the batch too). */
  deciders: Partial<Record<ApprovalLevel, string[]>>;
  /** Set when a level took the candidate out of the batch: returned or rejected, with why. */
  takenOut?: BatchDecision;
  /** Reserved in roster order once the department approved the batch. */
  certificateNumber?: string;
  /** Set when the case closed while in the batch (withdrawn, cancelled): it goes no further. */
  left?: { at: string; reason: string };
}

export interface ResultBatch {
  /** Candidates whose sheet line passed both parts: those the station may expect to reach result approval. */
  expected: number;
  /** Candidates whose cases reached result approval before the station's summary, in the order they came. */
  lines: BatchLine[];
  /** Each level's decision on the whole batch, in order (a return adds one and reopens the level below). */
  decisions: BatchDecision[];
  /** Set by the station's summary: later arrivals go up on their own. */
  summarised: boolean;
  /** Set once the department approved and every case has been told. */
  done: boolean;
  /** Cases that reached result approval too late for the batch, and went up on their own. */
  late: string[];
}

// ---- Updates from people. ----

/** A candidate taken out of the batch by a level's approval: returned (decided again alone) or rejected. */
export interface TakeOut {
  ticketNumber: string;
  decision: 'return' | 'reject';
  reason: string;
}

export interface SessionTaskDecision extends TaskCommand {
  /** A reason for a return or a rejection, a comment for an approval. */
  comment?: string;
  /** On a result level's approval: the candidates it takes out of the batch; the rest go on. */
  takeOut?: TakeOut[];
}
export interface RevisePlanCommand extends TaskCommand {
  plan: SessionPlan;
  comment?: string;
}
export interface SeatCommand {
  actor: Actor;
  applicationNumber: string;
  /** The case's own, read from the case by the client (runtime/sessions.ts): a session seats only what it examines. */
  occupation: string;
  level: Level;
  stationId: string;
  /** A case re-sitting the part it failed: which part, and when its re-sit window closes. */
  resit?: { part: ExamPart; closesAt: string };
}
export interface PostponeCommand {
  actor: Actor;
  reason: string;
  schedule: SessionSchedule;
}
export interface SessionReasonCommand {
  actor: Actor;
  reason: string;
}
/** Lines of the score sheet by ticket number: one or both parts each; a line entered again replaces its parts. */
export interface ScoreRowsCommand {
  actor: Actor;
  rows: { ticketNumber: string; knowledge?: number; skills?: number; disqualified?: string }[];
}
/** Marks on the check-in list, by ticket number: several at once, as a room's list is ticked. */
export interface AttendanceCommand {
  actor: Actor;
  marks: { ticketNumber: string; present: boolean }[];
}

export const getSessionState = defineQuery<SessionView>('getSessionState');
export const claimSessionTask = defineUpdate<SessionView, [TaskCommand]>('claimTask');
export const releaseSessionTask = defineUpdate<SessionView, [TaskCommand]>('releaseTask');
export const reassignSessionTask = defineUpdate<SessionView, [ReassignCommand]>('reassignTask');
/** Approves a session task: the plan (its review), or the check-in list (closing it). */
export const approvePlan = defineUpdate<SessionView, [SessionTaskDecision]>('approveTask');
export const returnPlan = defineUpdate<SessionView, [SessionTaskDecision]>('returnTask');
export const rejectPlan = defineUpdate<SessionView, [SessionTaskDecision]>('rejectTask');
export const revisePlan = defineUpdate<SessionView, [RevisePlanCommand]>('revisePlan');
/** Answers the roster line: the new one, or the one the case already holds (a retry seats nobody twice). */
export const seatCandidate = defineUpdate<RosterEntry, [SeatCommand]>('seatCandidate');
export const postponeSession = defineUpdate<SessionView, [PostponeCommand]>('postponeSession');
export const cancelSession = defineUpdate<SessionView, [SessionReasonCommand]>('cancelSession');
export const recordAttendance = defineUpdate<SessionView, [AttendanceCommand]>('recordAttendance');
export const enterScores = defineUpdate<SessionView, [ScoreRowsCommand]>('enterScores');

// ---- Between a session and its cases: signals, each keyed so a repeat changes nothing. ----

/** Session → case: you hold this seat (and its ticket), in a session with this schedule. */
export interface SeatGranted {
  key: string;
  sessionId: string;
  seat: Seat;
  ticketNumber: string;
  issuedAt: string;
  schedule: SessionSchedule;
}
/** Session → case: the session's dates moved. */
export interface ScheduleChanged {
  key: string;
  sessionId: string;
  schedule: SessionSchedule;
  reason: string;
}
/** Session → case: your seat is gone (the session was cancelled, or the case closed meanwhile). */
export interface SeatWithdrawn {
  key: string;
  sessionId: string;
  reason: string;
}
/** Session → case: the check-in list, now closed, marks you absent. */
export interface MarkedAbsent {
  key: string;
  sessionId: string;
  ticketNumber: string;
}
/** Session → case: your scores, from the checked score sheet. */
export interface SheetScores {
  key: string;
  sessionId: string;
  ticketNumber: string;
  knowledge?: number;
  skills?: number;
  /** The team's reason when it disqualified the candidate; the scores are then absent. */
  disqualified?: string;
  /** Who submitted the sheet, and who checked it. */
  enteredBy: string;
  checkedBy: string;
}
/**
 * Session → case: the batch's decisions that concern you, every level in order. The last one says where you stand:
 * approved at the department's level (with the certificate number reserved for you), taken out (returned or
 * rejected), or, with no decisions, too late for the batch: your results go up on their own.
 */
export interface ResultsDecided {
  key: string;
  sessionId: string;
  ticketNumber: string;
  decisions: BatchDecision[];
  certificate?: { number: string; issuedOn: string };
}
/** Case → session: give up my seat (I moved to another session, or I closed). */
export interface SeatReleased {
  applicationNumber: string;
  reason: string;
  /** A certificate number the session reserved that the case, closed, will never take: the session voids it. */
  unusedCertificate?: string;
  /** The case closed while its results waited in the batch: it leaves the batch and keeps its seat on the roster. */
  fromBatch?: boolean;
}
/** Case → session: my results await approval; who decided my case at each level so far. */
export interface ResultsReady {
  applicationNumber: string;
  ticketNumber: string;
  deciders: Partial<Record<ApprovalLevel, string[]>>;
}

export const seatGranted = defineSignal<[SeatGranted]>('seatGranted');
export const scheduleChanged = defineSignal<[ScheduleChanged]>('scheduleChanged');
export const seatWithdrawn = defineSignal<[SeatWithdrawn]>('seatWithdrawn');
export const markedAbsent = defineSignal<[MarkedAbsent]>('markedAbsent');
export const sheetScores = defineSignal<[SheetScores]>('sheetScores');
export const seatReleased = defineSignal<[SeatReleased]>('seatReleased');
export const resultsDecided = defineSignal<[ResultsDecided]>('resultsDecided');
export const resultsReady = defineSignal<[ResultsReady]>('resultsReady');
