/**
 * A score sheet imported from a file, as examiners keep it: CSV or XLSX, one candidate per row, with a header row
 * naming the ticket column and the two parts' columns (in Chinese or English). The import is previewed first: each
 * row matched to its ticket, each bad row named with its reason. Nothing is written until the whole file is valid and
 * the user confirms it; then all its rows go to the session in one update, which checks them again.
 */
import { type Message, message } from '../domain/messages';
import { sheetLineMistakes } from '../domain/scoreSheet';
import { RefusalType } from '../workflows/definitions';
import type { SessionView } from '../workflows/sessionDefinitions';
import { SessionRefused } from './sessions';
import { readSheet, SheetRefused, type SheetRow } from './sheetFile';

/** One row of the file: its row number as a spreadsheet shows it, and what it holds. */
export interface ImportedLine {
  line: number;
  ticketNumber: string;
  knowledge?: number | string;
  skills?: number | string;
  /** The team's reason, where it disqualified the candidate. */
  disqualified?: string;
}

export interface ImportPreview {
  sessionId: string;
  /** True when every line can go on the sheet. */
  valid: boolean;
  lines: (ImportedLine & { error?: Message })[];
  errors: { line: number; said: Message }[];
}

export const MAX_IMPORT_LINES = 5_000;

/** The headers each column is known by, compared without case or surrounding spaces. */
const HEADERS = {
  ticketNumber: ['ticketnumber', 'ticket', 'ticket number', '准考证号'],
  knowledge: ['knowledge', '理论知识', '理论知识成绩', '理论'],
  skills: ['skills', '操作技能', '操作技能成绩', '技能'],
  disqualified: ['disqualified', 'disqualification', '取消资格', '违纪'],
} as const;

/** A sheet may leave this column out: most have no disqualification. */
const OPTIONAL_COLUMNS: readonly (keyof typeof HEADERS)[] = ['disqualified'];

/** Reads a CSV or XLSX file (runtime/sheetFile.ts); a refusal is said in the score sheet's words. */
export async function readScoreFile(body: Buffer): Promise<ImportedLine[]> {
  let rows: SheetRow<keyof typeof HEADERS>[];
  try {
    rows = await readSheet(body, { headers: HEADERS, optional: OPTIONAL_COLUMNS, maxRows: MAX_IMPORT_LINES });
  } catch (error) {
    if (!(error instanceof SheetRefused)) throw error;
    throw new SessionRefused(RefusalType.InvalidInput, message(`session:import.${error.reason}`, error.values));
  }
  return rows.flatMap(({ line, cells }) => {
    const [ticket, knowledge, skills] = [cells.ticketNumber, cells.knowledge, cells.skills].map(asNumber);
    if (ticket === undefined && knowledge === undefined && skills === undefined) return []; // a blank row
    return [
      {
        line,
        ticketNumber: ticket === undefined ? '' : String(ticket),
        knowledge,
        skills,
        ...(cells.disqualified !== undefined && { disqualified: String(cells.disqualified) }),
      },
    ];
  });
}

/** Digits (with a decimal part) are a score: read as the number they write. */
const asNumber = (cell: number | string | undefined) =>
  typeof cell === 'string' && /^\d+(\.\d+)?$/.test(cell) ? Number(cell) : cell;

/**
 * Each line matched against the session's present and absent candidates, by the rules the session itself applies.
 * A bad line's reason is a Message, put into the reader's language where the preview is shown.
 */
export function previewImport(view: SessionView, lines: ImportedLine[]): ImportPreview {
  const seated = view.roster.filter((entry) => !entry.released);
  const seats = {
    sessionId: view.sessionId,
    present: new Set(seated.filter((e) => e.attendance?.present).map((e) => e.ticketNumber)),
    absent: new Set(seated.filter((e) => e.attendance?.present === false).map((e) => e.ticketNumber)),
  };
  const problems = sheetLineMistakes(lines.map(toRow), seats);
  const checked = lines.map((line, index) => ({ ...line, error: problems.get(index) }));
  return {
    sessionId: view.sessionId,
    valid: problems.size === 0,
    lines: checked,
    errors: checked.flatMap(({ line, error }) => (error ? [{ line, said: error }] : [])),
  };
}

/** A line as the session's enterScores update takes it. */
export function toRow({ ticketNumber, knowledge, skills, disqualified }: ImportedLine) {
  return {
    ticketNumber,
    knowledge: knowledge as number | undefined,
    skills: skills as number | undefined,
    ...(disqualified !== undefined && { disqualified }),
  };
}
