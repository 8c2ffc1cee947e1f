/**
 * The figures of an appraisal session's report (seed section 17: the station reports on each appraisal and keeps
 * statistics): how many were seated, came and stayed away; how many sat and passed each part; and the grade bands of
 * those scored on both. Pure counting over the roster and the score sheet, so the API, the exports and the tests
 * agree on every number.
 */
import { EXAM_PARTS, type ExamPart, examOutcome, Grade, PASS_MARK } from './scores';

/** What the figures are counted from: the seats still held, with their marks, and the sheet's lines. */
export interface ReportSeat {
  ticketNumber: string;
  attendance?: { present: boolean };
}
export type ReportLines = Record<string, { knowledge?: number; skills?: number; disqualified?: string }>;

export interface PartFigures {
  sat: number;
  passed: number;
  /** Percent with one decimal; null when nobody sat the part. */
  passRate: number | null;
}

export interface ReportFigures {
  seated: number;
  present: number;
  absent: number;
  /** Seats the check-in list left unmarked (only before it is closed). */
  unmarked: number;
  parts: Record<ExamPart, PartFigures>;
  /** Present candidates the appraisal team disqualified: their scores do not count. */
  disqualified: number;
  /** Candidates scored on both parts, and of them those who passed both. */
  scored: number;
  passedBoth: number;
  passRate: number | null;
  /** Of those scored on both parts: the grade of the weaker part. */
  grades: Record<Grade, number>;
}

export function reportFigures(seats: readonly ReportSeat[], lines: ReportLines): ReportFigures {
  const present = seats.filter((seat) => seat.attendance?.present);
  const absent = seats.filter((seat) => seat.attendance?.present === false).length;
  const presentLines = present.map((seat) => lines[seat.ticketNumber]).filter((line) => line !== undefined);
  const scoredLines = presentLines.filter((line) => !line.disqualified);
  const parts = Object.fromEntries(
    EXAM_PARTS.map((part) => {
      const scores = scoredLines.map((line) => line[part]).filter((score) => typeof score === 'number');
      const passed = scores.filter((score) => score >= PASS_MARK).length;
      return [part, { sat: scores.length, passed, passRate: rate(passed, scores.length) }];
    }),
  ) as Record<ExamPart, PartFigures>;
  const grades: Record<Grade, number> = { [Grade.Excellent]: 0, [Grade.Good]: 0, [Grade.Pass]: 0, [Grade.Fail]: 0 };
  let scored = 0;
  let passedBoth = 0;
  for (const line of scoredLines) {
    if (typeof line.knowledge !== 'number' || typeof line.skills !== 'number') continue;
    const outcome = examOutcome({ knowledge: line.knowledge, skills: line.skills });
    scored++;
    if (outcome.passed) passedBoth++;
    grades[outcome.grade]++;
  }
  return {
    seated: seats.length,
    present: present.length,
    absent,
    unmarked: seats.length - present.length - absent,
    disqualified: presentLines.length - scoredLines.length,
    parts,
    scored,
    passedBoth,
    passRate: rate(passedBoth, scored),
    grades,
  };
}

function rate(passed: number, of: number): number | null {
  return of === 0 ? null : Math.round((1000 * passed) / of) / 10;
}
