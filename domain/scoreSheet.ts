/**
 * The lines of an appraisal session's score sheet: each names a present candidate's ticket and gives one or both
 * parts' scores. Pure rules, shared by the session workflow (which refuses a bad line before anything is written) and
 * the import of a sheet from a file (which shows every bad line in its preview).
 */
import { checkScore, EXAM_PARTS, type ExamPart } from './scores';

/** A disqualification's reason on the sheet; an empty one takes a disqualification back. */
export const MAX_REASON = 500;

/** The session's seats as the sheet sees them: tickets of candidates marked present, and of those marked absent. */
export interface SheetSeats {
  sessionId: string;
  present: ReadonlySet<string>;
  absent: ReadonlySet<string>;
  /** Candidates re-sitting one part: their lines take that part only. */
  resitParts?: ReadonlyMap<string, ExamPart>;
}

/**
 * Why each line cannot go on the sheet, by its index (an empty map when all can): no ticket, a ticket twice, a ticket
 * of no seat or of an absent candidate, no score at all, or a score that is not one.
 */
export function checkSheetLines(lines: readonly unknown[], seats: SheetSeats): Map<number, string> {
  const errors = new Map<number, string>();
  const seen = new Set<string>();
  lines.forEach((line, index) => {
    const given = (line && typeof line === 'object' ? line : {}) as Record<string, unknown>;
    const error = lineError(given, seats, seen);
    if (error) errors.set(index, error);
    if (typeof given.ticketNumber === 'string') seen.add(given.ticketNumber);
  });
  return errors;
}

function lineError(line: Record<string, unknown>, seats: SheetSeats, seen: Set<string>): string | undefined {
  const { ticketNumber } = line;
  if (typeof ticketNumber !== 'string' || !ticketNumber) return 'ticketNumber: name a ticket.';
  if (seen.has(ticketNumber)) return `ticket ${ticketNumber} is on the sheet twice.`;
  if (seats.absent.has(ticketNumber))
    return `ticket ${ticketNumber} was marked absent; an absent candidate has no scores.`;
  if (!seats.present.has(ticketNumber)) return `ticket ${ticketNumber} holds no seat in session ${seats.sessionId}.`;
  const { disqualified } = line;
  if (disqualified !== undefined && disqualified !== null) {
    if (typeof disqualified !== 'string') return `ticket ${ticketNumber}: disqualified must be the reason, as text.`;
    if (disqualified.length > MAX_REASON)
      return `ticket ${ticketNumber}: the reason may be ${MAX_REASON} characters at most.`;
  }
  const parts = EXAM_PARTS.filter((part) => line[part] !== undefined && line[part] !== null);
  if (parts.length === 0 && typeof disqualified !== 'string') {
    return `ticket ${ticketNumber}: give a knowledge score, a skills score, or both (or a reason to disqualify).`;
  }
  const resitPart = seats.resitParts?.get(ticketNumber);
  const other = parts.find((part) => resitPart && part !== resitPart);
  if (other) return `ticket ${ticketNumber} re-sits only the ${resitPart} part; it takes no ${other} score.`;
  for (const part of parts) {
    const error = checkScore(line[part]);
    if (error) return `ticket ${ticketNumber}: ${part} ${error}.`;
  }
  return undefined;
}
