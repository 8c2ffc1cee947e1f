/**
 * Everything a client needs to talk to an investigation of an issued certificate: its id, its messages and their
 * types, and the check of a disciplinary report that the client runs before starting anything and the workflow runs
 * again when a report is attached. Kept apart from definitions.ts (the case's messages) so the two evolve separately;
 * the shared vocabulary (actors, task statuses, refusal types, history events) is imported from there.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { type Message, message } from '../domain/messages';
import { textMistake, textProblem } from '../domain/text';
import type { HolidayCalendar } from '../domain/workingDays';
import type { Actor, CaseEvent } from './definitions';
import type { ListedHumanTask } from './taskList';

/**
 * One investigation per report that finds none open on the certificate; `n` counts the certificate's investigations
 * (1, 2, ...), so the id is a business key that is never reused, which the registry's status changes rely on.
 */
export const investigationIdFor = (certificateNumber: string, n: number): string =>
  `investigation-${certificateNumber}-${n}`;

/** The reason category of a report; a revocation shows it publicly. */
export enum ReportCategory {
  Cheating = 'cheating',
  ForgedCertificate = 'forged-certificate',
  ExamDiscipline = 'exam-discipline',
  Other = 'other',
}

export const REPORT_CATEGORIES: readonly ReportCategory[] = Object.values(ReportCategory);

export interface ViolationReport {
  /** Who reports: anyone may (DOMAIN.md, Discipline); a name, a user id or a contact. */
  reporter: string;
  category: ReportCategory;
  description: string;
  /** ISO instant the report was received. */
  reportedAt: string;
}

export interface InvestigationInput {
  certificateNumber: string;
  report: ViolationReport;
}

/** Where an investigation stands. The last three are terminal. */
export enum InvestigationStage {
  Opened = 'opened',
  DepartmentDecision = 'department-decision',
  AppealWindow = 'appeal-window',
  AppealReview = 'appeal-review',
  Dismissed = 'dismissed',
  RevokedFinal = 'revoked-final',
  Reinstated = 'reinstated',
}

export enum InvestigationTaskKind {
  /** The administrative department decides the report: revoke or dismiss. */
  Decision = 'investigation-decision',
  /** The department decides the holder's appeal against a revocation: uphold or reinstate. */
  AppealReview = 'appeal-review',
}

export enum InvestigationDecision {
  Revoke = 'revoke',
  Dismiss = 'dismiss',
  Uphold = 'uphold',
  Reinstate = 'reinstate',
}

/** Which task takes which decisions. */
export const DECISIONS_OF: Record<InvestigationTaskKind, readonly InvestigationDecision[]> = {
  [InvestigationTaskKind.Decision]: [InvestigationDecision.Revoke, InvestigationDecision.Dismiss],
  [InvestigationTaskKind.AppealReview]: [InvestigationDecision.Uphold, InvestigationDecision.Reinstate],
};

/** A department task of an investigation: the shared fields of every task (taskList.ts), its kind and decision. */
export interface InvestigationTask extends ListedHumanTask {
  kind: InvestigationTaskKind;
  outcome?: { decision: InvestigationDecision; by: string; at: string; reason: string };
}

export interface StatusDecision {
  reason: string;
  by: string;
  at: string;
  /** When the registry row was written; until then verification still shows the previous status. */
  recordedAt?: string;
}

/** What the getState query answers: the whole investigation as the workflow knows it. */
export interface InvestigationView {
  investigationId: string;
  certificateNumber: string;
  stage: InvestigationStage;
  closed: boolean;
  openedAt: string;
  /** The report that opened the investigation first, then any attached while it was open. */
  reports: ViolationReport[];
  /** From the registry (loadCertificateHolder); no ID number and no email here. */
  holder?: { applicationNumber: string; name: string; stationId: string };
  departmentId?: string;
  appealWindowDays?: number;
  revocation?: StatusDecision & { category: ReportCategory; appealClosesAt: string };
  appeal?: { reason: string; by: string; at: string };
  reinstatement?: StatusDecision;
  tasks: InvestigationTask[];
  history: CaseEvent[];
  outcome?: { stage: InvestigationStage; reason?: string; said?: Message; at: string; by?: string };
}

/** Times of an investigation, read by its first activity and kept in its history. */
export interface InvestigationPolicy {
  /** Calendar days after the revocation within which an appeal may be filed; the window ends at local midnight. */
  appealWindowDays: number;
  /** Working days the department has for the decision on a report. */
  decisionWorkingDays: number;
  /** Working days the department has for the decision on an appeal. */
  appealReviewWorkingDays: number;
  remindBeforeWorkingDays: number;
  escalateAfterWorkingDays: number;
  calendar: HolidayCalendar;
}

// ---- Updates: every human decision. Each returns the investigation as it is after the decision. ----

export interface ReasonCommand {
  actor: Actor;
  reason: string;
}
export interface RevokeCommand extends ReasonCommand {
  /** The category shown publicly; defaults to the category of the report that opened the investigation. */
  category?: ReportCategory;
}
export interface AttachReportCommand {
  report: ViolationReport;
}

export const revokeCertificate = defineUpdate<InvestigationView, [RevokeCommand]>('revokeCertificate');
export const dismissReport = defineUpdate<InvestigationView, [ReasonCommand]>('dismissReport');
export const fileAppeal = defineUpdate<InvestigationView, [ReasonCommand]>('fileAppeal');
export const upholdRevocation = defineUpdate<InvestigationView, [ReasonCommand]>('upholdRevocation');
export const reinstateCertificate = defineUpdate<InvestigationView, [ReasonCommand]>('reinstateCertificate');
/** A further report on the same certificate while this investigation is open joins it instead of opening another. */
export const attachReport = defineUpdate<InvestigationView, [AttachReportCommand]>('attachReport');

/** Named like the case's query, so generic tools (the Web UI's query tab, the CLI) ask both the same way. */
export const getInvestigationState = defineQuery<InvestigationView>('getState');

// ---- The report check: the client runs it before starting anything; attachReport's validator runs it again. ----

export const DESCRIPTION_MIN = 10;
export const DESCRIPTION_MAX = 4000;
export const REPORTER_MAX = 200;

/** Why each field of a report is wrong (`refusals:report.*`), keyed by field; empty when the report is acceptable. */
export function checkReport(report: unknown): Record<string, Message> {
  if (!report || typeof report !== 'object') return { report: message('refusals:report.missing') };
  const errors: Record<string, Message> = {};
  const { reporter, category, description, reportedAt } = report as Record<string, unknown>;
  if (typeof reporter !== 'string' || !reporter.trim()) errors.reporter = message('refusals:report.noReporter');
  else if (reporter.length > REPORTER_MAX) {
    errors.reporter = message('refusals:report.reporterTooLong', { max: REPORTER_MAX });
  }
  if (!REPORT_CATEGORIES.includes(category as ReportCategory)) {
    errors.category = message('refusals:report.category', {
      categories: REPORT_CATEGORIES.join(', '),
      given: JSON.stringify(category ?? null),
    });
  }
  const text = typeof description === 'string' ? description.trim() : '';
  if (typeof description !== 'string' || !text) errors.description = message('refusals:report.noDescription');
  else if (text.length < DESCRIPTION_MIN) {
    errors.description = message('refusals:report.descriptionTooShort', { min: DESCRIPTION_MIN, length: text.length });
  } else if (text.length > DESCRIPTION_MAX) {
    errors.description = message('refusals:report.descriptionTooLong', { max: DESCRIPTION_MAX, length: text.length });
  }
  if (typeof reportedAt !== 'string' || Number.isNaN(Date.parse(reportedAt))) {
    errors.reportedAt = message('refusals:report.reportedAt');
  }
  // Text no person means to write (domain/text.ts): a pattern test only, so the validator answers alike on replay.
  for (const [field, value] of [
    ['reporter', reporter],
    ['description', description],
  ] as const) {
    const problem = typeof value === 'string' && !errors[field] ? textProblem(value) : undefined;
    if (problem) errors[field] = textMistake(problem, field);
  }
  return errors;
}
