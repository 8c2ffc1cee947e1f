/**
 * The process policy: deadlines per task in working days, reminder and escalation offsets, the holiday calendar and
 * the exam windows. Read by an activity when a case starts, so the case keeps the policy of its start in its history
 * (a later edit of the file changes new cases only, and replay stays deterministic).
 */
import { readFileSync } from 'node:fs';
import { type HolidayCalendar, checkCalendar } from '../domain/workingDays';
import { DEFAULT_RESIT_WINDOW_DAYS } from '../domain/scores';
import { TaskKind, type ProcessPolicy } from '../workflows/definitions';
import { SessionTaskKind } from '../workflows/sessionDefinitions';

/** Local examples from DOMAIN.md: 15 working days for marking and for printing, 5-10 for each review. */
export const DEFAULT_POLICY: ProcessPolicy = {
  deadlines: {
    [TaskKind.StationReview]: 5,
    [TaskKind.CenterReview]: 10,
    // Training lasts one to three years; its report is due after three years of working days.
    [TaskKind.TrainingCompletion]: 750,
    [TaskKind.ExamScores]: 15,
    [TaskKind.ResitScores]: 15,
    [TaskKind.ComprehensiveReview]: 15,
    [TaskKind.ResultStationSummary]: 5,
    [TaskKind.ResultCenterApproval]: 10,
    [TaskKind.ResultDepartmentApproval]: 10,
    [TaskKind.CertificatePrint]: 15,
    [TaskKind.CertificateHandover]: 10,
    [SessionTaskKind.PlanReview]: 10,
    [SessionTaskKind.PlanRevision]: 5,
    [SessionTaskKind.CheckIn]: 1,
    // Counted from the end of the exam's last day: DOMAIN.md's 15 working days for marking.
    [SessionTaskKind.ScoreEntry]: 15,
    [SessionTaskKind.ScoreCheck]: 5,
    [SessionTaskKind.Report]: 5,
    // The batch's levels take the time a single case's result approvals take.
    [SessionTaskKind.ResultSummary]: 5,
    [SessionTaskKind.ResultCenter]: 10,
    [SessionTaskKind.ResultDepartment]: 10,
  },
  appraisalSessions: false,
  absenceReseats: 1,
  remindBeforeWorkingDays: 2,
  escalateAfterWorkingDays: 1,
  examLeadDays: 30,
  resitWindowDays: DEFAULT_RESIT_WINDOW_DAYS,
  calendar: { holidays: [], workingWeekends: [] },
};

const TASK_KINDS: readonly string[] = [...Object.values(TaskKind), ...Object.values(SessionTaskKind)];

/** Reads a policy file: any subset of ProcessPolicy, checked field by field, over the defaults. */
export function readPolicyFile(file: string): ProcessPolicy {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`POLICY_FILE ${file} is not readable JSON: ${(error as Error).message}`);
  }
  return mergePolicy(raw, file);
}

export function mergePolicy(raw: unknown, source = 'policy'): ProcessPolicy {
  if (!raw || typeof raw !== 'object') throw new Error(`${source}: expected a JSON object.`);
  const given = raw as Partial<Record<keyof ProcessPolicy, unknown>>;
  const policy: ProcessPolicy = { ...DEFAULT_POLICY, deadlines: { ...DEFAULT_POLICY.deadlines } };
  const count = (name: string, value: unknown, max: number): number => {
    if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > max) {
      throw new Error(`${source}: ${name} must be a whole number from 0 to ${max}.`);
    }
    return value as number;
  };
  if (given.deadlines !== undefined) {
    for (const [kind, days] of Object.entries(given.deadlines as object)) {
      if (!TASK_KINDS.includes(kind)) throw new Error(`${source}: unknown task kind ${kind}.`);
      policy.deadlines[kind as TaskKind | SessionTaskKind] = count(`deadlines.${kind}`, days, 2000);
    }
  }
  for (const name of [
    'remindBeforeWorkingDays',
    'escalateAfterWorkingDays',
    'examLeadDays',
    'resitWindowDays',
  ] as const) {
    if (given[name] !== undefined) policy[name] = count(name, given[name], 3660);
  }
  if (given.absenceReseats !== undefined) policy.absenceReseats = count('absenceReseats', given.absenceReseats, 10);
  if (given.appraisalSessions !== undefined) {
    if (typeof given.appraisalSessions !== 'boolean')
      throw new Error(`${source}: appraisalSessions must be true or false.`);
    policy.appraisalSessions = given.appraisalSessions;
  }
  if (given.calendar !== undefined) policy.calendar = checkCalendar(given.calendar) as HolidayCalendar;
  return policy;
}
