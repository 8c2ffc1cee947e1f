/**
 * Examination scores: a knowledge (written) part and an operational skills part, each 0-100. Both parts at 60 or more
 * pass; the grade is the grade of the weaker part. A candidate who failed exactly one part may re-sit that part once.
 */
import { addDays, isIsoDate } from './dates';

export enum Grade {
  Fail = 'fail',
  Pass = 'pass',
  Good = 'good',
  Excellent = 'excellent',
}

export type ExamPart = 'knowledge' | 'skills';

export const EXAM_PARTS: readonly ExamPart[] = Object.freeze(['knowledge', 'skills'] as const);

export interface ExamScores {
  knowledge: number;
  skills: number;
}

export const PASS_MARK = 60;
export const GOOD_MARK = 80;
export const EXCELLENT_MARK = 95;

/** The local rule of DOMAIN.md: the failed part may be re-sat within 1 year of the exam. Configurable by callers. */
export const DEFAULT_RESIT_WINDOW_DAYS = 365;

/** Why a value is not a score, as a code that messages in the reader's language are keyed by. */
export type ScoreProblem = 'notANumber' | 'outOfRange' | 'tooPrecise';

/** Why the value is not a score, or undefined when it is one: a number from 0 to 100 with at most one decimal. */
export function scoreProblem(value: unknown): ScoreProblem | undefined {
  if (typeof value !== 'number' || Number.isNaN(value)) return 'notANumber';
  if (!(value >= 0 && value <= 100)) return 'outOfRange';
  // Compare with a tolerance: 79.9 * 10 is not exactly 799 in binary floating point.
  if (Math.abs(value * 10 - Math.round(value * 10)) > 1e-9) return 'tooPrecise';
  return undefined;
}

export function gradeOf(score: number): Grade {
  if (score >= EXCELLENT_MARK) return Grade.Excellent;
  if (score >= GOOD_MARK) return Grade.Good;
  if (score >= PASS_MARK) return Grade.Pass;
  return Grade.Fail;
}

export interface ExamOutcome {
  passed: boolean;
  grade: Grade;
  failedParts: ExamPart[];
  resitAllowed: boolean;
}

export function examOutcome(scores: ExamScores): ExamOutcome {
  const failedParts = EXAM_PARTS.filter((part) => scores[part] < PASS_MARK);
  return {
    passed: failedParts.length === 0,
    grade: gradeOf(Math.min(scores.knowledge, scores.skills)),
    failedParts,
    resitAllowed: failedParts.length === 1,
  };
}

/** The scores after a re-sit: the re-sat part takes the new score, the other part keeps its first score. */
export function afterResit(first: ExamScores, part: ExamPart, resitScore: number): ExamScores {
  const problem = scoreProblem(resitScore);
  if (problem !== undefined) throw new RangeError(`re-sit score ${resitScore} is not a valid score (${problem})`);
  return { ...first, [part]: resitScore };
}

/** The last day ('YYYY-MM-DD') on which the failed part may be re-sat. */
export function resitDeadline(examDate: string, windowDays: number): string {
  if (!isIsoDate(examDate)) throw new RangeError(`exam date "${examDate}" is not a real date in the form YYYY-MM-DD`);
  if (!Number.isInteger(windowDays) || windowDays < 0) {
    throw new RangeError(`re-sit window must be a whole number of days, 0 or more (got ${windowDays})`);
  }
  return addDays(examDate, windowDays);
}
