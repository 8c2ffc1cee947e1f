/**
 * Everything a client needs to talk to a case: the task queue, the messages and their types. The CLI, the web app,
 * the bench and the tests import these objects; no message name appears as a string anywhere else.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { ApplicationInput } from '../domain/application';
import type { EligibilityResult } from '../domain/eligibility';
import type { Message } from '../domain/messages';
import type { ExamOutcome, ExamPart, ExamScores } from '../domain/scores';
import type { Seat, SessionSchedule } from '../domain/sessionPlan';
import type { HolidayCalendar } from '../domain/workingDays';
import type { SessionTaskKind } from './sessionDefinitions';
import type { ListedHumanTask } from './taskList';

export const TASK_QUEUE = 'qualiflow';

export const workflowIdFor = (applicationNumber: string): string => `application-${applicationNumber}`;

/** Where a case stands. The last eight are terminal. */
export enum Stage {
  Application = 'application',
  Eligibility = 'eligibility',
  StationReview = 'station-review',
  CenterReview = 'center-review',
  /** Reviewed (and trained, where required), waiting for a seat in an appraisal session. */
  AwaitingSeat = 'awaiting-seat',
  AdmissionTicket = 'admission-ticket',
  Training = 'training',
  Examination = 'examination',
  Resit = 'resit',
  ComprehensiveReview = 'comprehensive-review',
  ResultApproval = 'result-approval',
  Issuance = 'issuance',
  Issued = 'issued',
  Ineligible = 'ineligible',
  Rejected = 'rejected',
  Failed = 'failed',
  Withdrawn = 'withdrawn',
  Disqualified = 'disqualified',
  Cancelled = 'cancelled',
  /** Absent from the examination once more than the policy's `absenceReseats` allows. */
  Absent = 'absent',
}

export const TERMINAL_STAGES: readonly Stage[] = [
  Stage.Issued,
  Stage.Ineligible,
  Stage.Rejected,
  Stage.Failed,
  Stage.Withdrawn,
  Stage.Disqualified,
  Stage.Cancelled,
  Stage.Absent,
];

/** Every human step of the process. */
export enum TaskKind {
  StationReview = 'station-review',
  CenterReview = 'center-review',
  TrainingCompletion = 'training-completion',
  ExamScores = 'exam-scores',
  ResitScores = 'resit-scores',
  ComprehensiveReview = 'comprehensive-review',
  ResultStationSummary = 'result-station-summary',
  ResultCenterApproval = 'result-center-approval',
  ResultDepartmentApproval = 'result-department-approval',
  CertificatePrint = 'certificate-print',
  CertificateHandover = 'certificate-handover',
}

/** The organisational levels; one person may decide at only one of them in a case. */
export enum ApprovalLevel {
  Station = 'station',
  Center = 'center',
  Department = 'department',
}

export enum TaskStatus {
  Open = 'open',
  Done = 'done',
  Cancelled = 'cancelled',
}

export enum Decision {
  Approve = 'approve',
  Reject = 'reject',
  Return = 'return',
  Scores = 'scores',
  Disqualify = 'disqualify',
}

/** Who is acting. Authentication happens at the edge (inbox, CLI); the workflow checks what the actor may do. */
export interface Actor {
  id: string;
  /** Groups like `station-a:reviewers`; see `groupOf` for how tasks name them. */
  groups: string[];
}

export interface TaskOutcome {
  decision: Decision;
  by: string;
  at: string;
  comment?: string;
  /** The comment as a Message, when the workflow wrote it (a score sheet's note); a person's stays in `comment`. */
  said?: Message;
  scores?: Partial<ExamScores>;
  /** The hand-over's recipient (ApproveCommand.receivedBy). */
  receivedBy?: string;
}

/** A case's human task: the shared fields of every task (taskList.ts), its kind and its decision. */
export interface HumanTask extends ListedHumanTask {
  kind: TaskKind;
  outcome?: TaskOutcome;
}

/** One line of the case's business timeline. */
export interface CaseEvent {
  at: string;
  type: string;
  by?: string;
  taskId?: string;
  comment?: string;
  /** The comment as a Message, when the workflow wrote it (a person's words stay in `comment` alone). */
  said?: Message;
}

/** The seat a case holds in an appraisal session, as the session granted it (workflows/session.ts). */
export interface Sitting {
  sessionId: string;
  seat: Seat;
  ticketNumber: string;
  issuedAt: string;
  schedule: SessionSchedule;
}

export interface ExamRecord {
  examDate: string;
  /** The appraisal session the exam was sat in, when the case went through one. */
  sessionId?: string;
  scores?: ExamScores;
  outcome?: ExamOutcome;
  /** The failed part's re-sit: by when, its score once taken, and the session it was taken in (if any). */
  resit?: { part: ExamPart; deadline: string; score?: number; sessionId?: string };
  disqualified?: { reason: string; by: string };
}

export interface CertificateRecord {
  number: string;
  issuedOn: string;
  seal?: { keyId: string; signature: string };
  printedAt?: string;
  handedOverAt?: string;
  /** Who took the certificate at the hand-over: the holder, or the person the holder sent, as the clerk wrote it. */
  receivedBy?: string;
}

/** What the getState query answers: the whole case file as the workflow knows it. */
export interface CaseView {
  applicationNumber: string;
  stage: Stage;
  closed: boolean;
  submittedAt: string;
  application: ApplicationInput;
  ruleSetVersion: string;
  eligibility?: EligibilityResult;
  trainingRequired?: boolean;
  ticket?: { number: string; issuedAt: string };
  /** The seat held in an appraisal session (policy `appraisalSessions`); gone again if the session is cancelled. */
  sitting?: Sitting;
  /** The sessions whose check-in list marked the candidate absent, oldest first. */
  absences?: { sessionId: string; ticketNumber: string; at: string }[];
  exam?: ExamRecord;
  comprehensiveReview?: { passed: boolean; by: string; comment?: string };
  certificate?: CertificateRecord;
  tasks: HumanTask[];
  history: CaseEvent[];
  /** `said`: the reason as a Message when the workflow wrote it; older cases and a person's reason have `reason` only. */
  outcome?: { stage: Stage; reason?: string; said?: Message; at: string; by?: string };
}

/** Deadlines and windows, read once when a case starts (see activities/policy.ts) and kept in its history. */
export interface ProcessPolicy {
  /** Working days from a task's creation to its deadline, for the tasks of cases and of appraisal sessions. */
  deadlines: Record<TaskKind | SessionTaskKind, number>;
  /** Working days before the deadline when the first reminder goes out. */
  remindBeforeWorkingDays: number;
  /** Working days after the deadline when the task escalates to its supervising group. */
  escalateAfterWorkingDays: number;
  /**
   * Whether a case waits for a seat in an appraisal session (workflows/session.ts), which sets its exam's dates. Off,
   * the case dates its own exam `examLeadDays` after its ticket. Missing in the policies of cases started before
   * sessions existed, which is how those keep replaying the path they took.
   */
  appraisalSessions?: boolean;
  /**
   * How many times a case marked absent is seated again in a later session before it ends as absent. Missing in
   * policies recorded before check-in lists existed: those cases had no absences to count.
   */
  absenceReseats?: number;
  /**
   * A session's run carries itself over (continue-as-new) once its history has this many events; 4,000 when unset.
   * Lowered only to prove the carry-over at every step with a few candidates.
   */
  sessionHistoryLimit?: number;
  /** Calendar days between the admission ticket (or training completion) and the exam, for a case without sessions. */
  examLeadDays: number;
  /** Calendar days after the exam within which the failed part may be re-sat. */
  resitWindowDays: number;
  calendar: HolidayCalendar;
}

export interface ApplicationWorkflowInput {
  application: ApplicationInput;
  /** ISO instant the station received the application; rule sets are chosen by this date. */
  submittedAt: string;
}

// ---- Updates: every human decision. Each returns the case as it is after the decision. ----

export interface TaskCommand {
  taskId: string;
  actor: Actor;
}
export interface ApproveCommand extends TaskCommand {
  comment?: string;
  /** At the certificate's hand-over: who received it. The web app asks for it; older clients send none. */
  receivedBy?: string;
}
export interface ReasonCommand extends TaskCommand {
  reason: string;
}
export interface ScoresCommand extends TaskCommand {
  knowledge?: number;
  skills?: number;
  comment?: string;
}
export interface ReassignCommand extends TaskCommand {
  assignee: string;
}
export interface CaseCommand {
  actor: Actor;
  reason: string;
}

export const claimTask = defineUpdate<CaseView, [TaskCommand]>('claimTask');
export const releaseTask = defineUpdate<CaseView, [TaskCommand]>('releaseTask');
export const reassignTask = defineUpdate<CaseView, [ReassignCommand]>('reassignTask');
export const approveTask = defineUpdate<CaseView, [ApproveCommand]>('approveTask');
export const rejectTask = defineUpdate<CaseView, [ReasonCommand]>('rejectTask');
export const returnTask = defineUpdate<CaseView, [ReasonCommand]>('returnTask');
export const submitScores = defineUpdate<CaseView, [ScoresCommand]>('submitScores');
export const disqualifyCandidate = defineUpdate<CaseView, [ReasonCommand]>('disqualifyCandidate');
export const withdrawApplication = defineUpdate<CaseView, [CaseCommand]>('withdrawApplication');
export const cancelCase = defineUpdate<CaseView, [CaseCommand]>('cancelCase');

export const getState = defineQuery<CaseView>('getState');

/** Business errors a decision can be refused with; the API maps them to HTTP statuses. */
export enum RefusalType {
  InvalidInput = 'InvalidInput',
  NotFound = 'TaskNotFound',
  Closed = 'TaskClosed',
  Forbidden = 'Forbidden',
  Conflict = 'Conflict',
}

// ---- Search attributes: what lists and dashboards filter on. None carries personal data. ----

export const searchAttributes = {
  stage: defineSearchAttributeKey('QfStage', SearchAttributeType.KEYWORD),
  openTaskKinds: defineSearchAttributeKey('QfOpenTaskKinds', SearchAttributeType.KEYWORD_LIST),
  candidateGroups: defineSearchAttributeKey('QfCandidateGroups', SearchAttributeType.KEYWORD_LIST),
  assignees: defineSearchAttributeKey('QfAssignees', SearchAttributeType.KEYWORD_LIST),
  nextDueAt: defineSearchAttributeKey('QfNextDueAt', SearchAttributeType.DATETIME),
  level: defineSearchAttributeKey('QfLevel', SearchAttributeType.INT),
  occupation: defineSearchAttributeKey('QfOccupation', SearchAttributeType.KEYWORD),
  station: defineSearchAttributeKey('QfStation', SearchAttributeType.KEYWORD),
} as const;
