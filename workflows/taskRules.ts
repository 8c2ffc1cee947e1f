/**
 * Who does each human step, at which approval level, and which decisions it accepts. Plain data, so the inbox can
 * show the right form and the workflow can refuse the wrong decision with the same table.
 */
import type { ApplicationInput } from '../domain/application';
import { ApprovalLevel, Decision, TaskKind } from './definitions';

export const ADMINISTRATORS = 'administrators';

export interface TaskRule {
  /** The organisation whose role owns the task, and that role. */
  owner: (app: ApplicationInput) => string;
  role: 'reviewers' | 'examiners' | 'approvers' | 'clerks' | 'trainers';
  level?: ApprovalLevel;
  decisions: readonly Decision[];
  /** Where a return sends the case; only tasks with a level below them accept Decision.Return. */
  returnsTo?: TaskKind;
}

const station = (app: ApplicationInput) => app.stationId;
const center = (app: ApplicationInput) => app.guidanceCenterId;
const department = (app: ApplicationInput) => app.departmentId;
const trainer = (app: ApplicationInput) => app.trainingInstitutionId ?? app.stationId;

const { Approve, Reject, Return, Scores, Disqualify } = Decision;

export const TASK_RULES: Record<TaskKind, TaskRule> = {
  [TaskKind.StationReview]: {
    owner: station,
    role: 'reviewers',
    level: ApprovalLevel.Station,
    decisions: [Approve, Reject],
  },
  [TaskKind.CenterReview]: {
    owner: center,
    role: 'reviewers',
    level: ApprovalLevel.Center,
    decisions: [Approve, Reject, Return],
    returnsTo: TaskKind.StationReview,
  },
  [TaskKind.TrainingCompletion]: { owner: trainer, role: 'trainers', decisions: [Approve, Reject] },
  [TaskKind.ExamScores]: { owner: station, role: 'examiners', decisions: [Scores, Disqualify] },
  [TaskKind.ResitScores]: { owner: station, role: 'examiners', decisions: [Scores, Disqualify] },
  [TaskKind.ComprehensiveReview]: { owner: station, role: 'examiners', decisions: [Approve, Reject] },
  [TaskKind.ResultStationSummary]: {
    owner: station,
    role: 'reviewers',
    level: ApprovalLevel.Station,
    decisions: [Approve, Reject],
  },
  [TaskKind.ResultCenterApproval]: {
    owner: center,
    role: 'reviewers',
    level: ApprovalLevel.Center,
    decisions: [Approve, Reject, Return],
    returnsTo: TaskKind.ResultStationSummary,
  },
  [TaskKind.ResultDepartmentApproval]: {
    owner: department,
    role: 'approvers',
    level: ApprovalLevel.Department,
    decisions: [Approve, Reject, Return],
    returnsTo: TaskKind.ResultCenterApproval,
  },
  [TaskKind.CertificatePrint]: {
    owner: department,
    role: 'approvers',
    level: ApprovalLevel.Department,
    decisions: [Approve],
  },
  [TaskKind.CertificateHandover]: { owner: station, role: 'clerks', decisions: [Approve] },
};

export const candidateGroupFor = (kind: TaskKind, app: ApplicationInput): string =>
  `${TASK_RULES[kind].owner(app)}:${TASK_RULES[kind].role}`;

/** Overdue work goes to the supervisors of the organisation that owns it. */
export const supervisingGroupFor = (kind: TaskKind, app: ApplicationInput): string =>
  `${TASK_RULES[kind].owner(app)}:supervisors`;

/** Who may withdraw an application on the candidate's behalf: the station that received it. */
export const withdrawingGroupsFor = (app: ApplicationInput): string[] => [
  `${app.stationId}:clerks`,
  `${app.stationId}:supervisors`,
  ADMINISTRATORS,
];
