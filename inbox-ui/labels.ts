/** What people call the stages and tasks, for pages, notices and charts. */
import type { DocumentKind } from '../domain/application';
import { Stage, TaskKind } from '../workflows/definitions';
import { SessionTaskKind } from '../workflows/sessionDefinitions';

export const STAGE_LABELS: Record<Stage, string> = {
  [Stage.Application]: 'Application',
  [Stage.Eligibility]: 'Eligibility check',
  [Stage.StationReview]: 'Station review',
  [Stage.CenterReview]: 'Guidance center review',
  [Stage.AwaitingSeat]: 'Waiting for an exam seat',
  [Stage.AdmissionTicket]: 'Admission ticket',
  [Stage.Training]: 'Training',
  [Stage.Examination]: 'Examination',
  [Stage.Resit]: 'Re-sit',
  [Stage.ComprehensiveReview]: 'Comprehensive review',
  [Stage.ResultApproval]: 'Result approval',
  [Stage.Issuance]: 'Issuance',
  [Stage.Issued]: 'Issued',
  [Stage.Ineligible]: 'Ineligible',
  [Stage.Rejected]: 'Rejected',
  [Stage.Failed]: 'Failed',
  [Stage.Withdrawn]: 'Withdrawn',
  [Stage.Disqualified]: 'Disqualified',
  [Stage.Cancelled]: 'Cancelled',
  [Stage.Absent]: 'Absent from the examination',
};

export const TASK_LABELS: Record<TaskKind, string> = {
  [TaskKind.StationReview]: 'Qualification review (station)',
  [TaskKind.CenterReview]: 'Qualification review (guidance center)',
  [TaskKind.TrainingCompletion]: 'Training completion',
  [TaskKind.ExamScores]: 'Examination scores',
  [TaskKind.ResitScores]: 'Re-sit score',
  [TaskKind.ComprehensiveReview]: 'Comprehensive review',
  [TaskKind.ResultStationSummary]: 'Result summary (station)',
  [TaskKind.ResultCenterApproval]: 'Result approval (guidance center)',
  [TaskKind.ResultDepartmentApproval]: 'Result approval (department)',
  [TaskKind.CertificatePrint]: 'Certificate printing',
  [TaskKind.CertificateHandover]: 'Certificate hand-over',
};

export const SESSION_TASK_LABELS: Record<SessionTaskKind, string> = {
  [SessionTaskKind.PlanReview]: 'Session plan review (guidance center)',
  [SessionTaskKind.PlanRevision]: 'Session plan revision (station)',
  [SessionTaskKind.CheckIn]: 'Check-in list',
  [SessionTaskKind.ScoreEntry]: 'Score sheet: entry',
  [SessionTaskKind.ScoreCheck]: 'Score sheet: check (a second examiner)',
  [SessionTaskKind.Report]: 'Session report and opinion of the appraisal team',
  [SessionTaskKind.ResultSummary]: 'Session results: summary (station)',
  [SessionTaskKind.ResultCenter]: 'Session results: approval (guidance center)',
  [SessionTaskKind.ResultDepartment]: 'Session results: approval (department)',
};

export const DOCUMENT_LABELS: Record<DocumentKind, string> = {
  'id-document': 'Copy of the ID document',
  photo: 'Photo',
  'training-completion': 'Training completion certificate',
  'grade-certificate': 'Certificate already held',
  'work-experience': 'Work experience certificate from the employer',
  'technical-achievements': 'Technical achievements',
  'work-performance': 'Work performance appraisal',
  'technical-summary': 'Technical summary',
  paper: 'Paper',
};

export const stageLabel = (stage: string): string => STAGE_LABELS[stage as Stage] ?? stage;

/** Every stage as a select's options, the chosen one marked. */
export const stageOptions = (selected?: string) =>
  Object.values(Stage).map((stage) => ({ value: stage, label: stageLabel(stage), selected: stage === selected }));
export const taskLabel = (kind: string): string => TASK_LABELS[kind as TaskKind] ?? kind;
