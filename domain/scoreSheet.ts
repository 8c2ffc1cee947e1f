/**
 * The lines of an appraisal session's score sheet: each names a present candidate's ticket and gives one or both
 * parts' scores. Pure rules, shared by the session workflow (which refuses a bad line before anything is written) and
 * the import of a sheet from a file (which shows every bad line in its preview, in the reader's language).
 */
import { type Message, message } from './messages';
import { EXAM_PARTS, type ExamPart, scoreProblem } from './scores';

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
 * of no seat or of an absent candidate, no score at all, or a score that is not one. Each reason is a Message
 * (`session:sheetLine.*`), for the import's preview in the reader's language.
 */
export function sheetLineMistakes(lines: readonly unknown[], seats: SheetSeats): Map<number, Message> {
  const errors = new Map<number, Message>();
  const seen = new Set<string>();
  lines.forEach((line, index) => {
    const given = (line && typeof line === 'object' ? line : {}) as Record<string, unknown>;
    const error = lineMistake(given, seats, seen);
    if (error) errors.set(index, error);
    if (typeof given.ticketNumber === 'string') seen.add(given.ticketNumber);
  });
  return errors;
}

const mistake = (key: string, values: Record<string, string | number>): Message =>
  message(`session:sheetLine.${key}`, values);

function lineMistake(line: Record<string, unknown>, seats: SheetSeats, seen: Set<string>): Message | undefined {
  const { ticketNumber: ticket } = line;
  if (typeof ticket !== 'string' || !ticket) return message('session:sheetLine.noTicket');
  if (seen.has(ticket)) return mistake('twice', { ticket });
  if (seats.absent.has(ticket)) return mistake('absent', { ticket });
  if (!seats.present.has(ticket)) return mistake('noSeat', { ticket, sessionId: seats.sessionId });
  const { disqualified } = line;
  if (disqualified !== undefined && disqualified !== null) {
    if (typeof disqualified !== 'string') return mistake('reasonNotText', { ticket });
    if (disqualified.length > MAX_REASON) return mistake('reasonTooLong', { ticket, max: MAX_REASON });
  }
  const parts = EXAM_PARTS.filter((part) => line[part] !== undefined && line[part] !== null);
  if (parts.length === 0 && typeof disqualified !== 'string') return mistake('noScore', { ticket });
  const resitPart = seats.resitParts?.get(ticket);
  const other = parts.find((part) => resitPart && part !== resitPart);
  if (resitPart && other) return mistake('resitOnly', { ticket, resitPart, part: other });
  for (const part of parts) {
    const problem = scoreProblem(line[part]);
    if (problem) return mistake(`score.${problem}`, { ticket, part });
  }
  return undefined;
}
