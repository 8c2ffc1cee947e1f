/**
 * A score sheet imported from a file, as examiners keep it: CSV or XLSX, one candidate per row, with a header row
 * naming the ticket column and the two parts' columns (in Chinese or English). The import is previewed first: each
 * row matched to its ticket, each bad row named with its reason. Nothing is written until the whole file is valid and
 * the user confirms it; then all its rows go to the session in one update, which checks them again.
 */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { type Message, message } from '../domain/messages';
import { sheetLineMistakes } from '../domain/scoreSheet';
import { RefusalType } from '../workflows/definitions';
import type { SessionView } from '../workflows/sessionDefinitions';
import { SessionRefused } from './sessions';

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

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** Reads a CSV or XLSX file (told apart by its first bytes: an XLSX file is a zip archive). */
export async function readScoreFile(body: Buffer): Promise<ImportedLine[]> {
  if (!Buffer.isBuffer(body) || body.length === 0) {
    throw new SessionRefused(RefusalType.InvalidInput, message('session:import.notAFile'));
  }
  const workbook = new ExcelJS.Workbook();
  let sheet: ExcelJS.Worksheet | undefined;
  try {
    if (body.subarray(0, 4).equals(ZIP_MAGIC)) {
      await workbook.xlsx.load(body as unknown as ArrayBuffer);
      sheet = workbook.worksheets[0];
    } else {
      // Every cell as written: a ticket number must never be read as a date or a number.
      sheet = await workbook.csv.read(Readable.from(stripBom(body.toString('utf8'))), {
        map: (value: string) => value,
      });
    }
  } catch {
    // The reader's own reason (a broken zip, a bad quote) means nothing to the examiner who sent the file.
    throw new SessionRefused(RefusalType.InvalidInput, message('session:import.unreadable'));
  }
  if (!sheet || sheet.rowCount < 2) {
    throw new SessionRefused(RefusalType.InvalidInput, message('session:import.noRows'));
  }
  const columns = headerColumns(sheet.getRow(1));
  const lines: ImportedLine[] = [];
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    const value = (column?: number) => (column === undefined ? undefined : cellValue(row.getCell(column).value));
    const ticket = value(columns.ticketNumber);
    const knowledge = value(columns.knowledge);
    const skills = value(columns.skills);
    const disqualified = value(columns.disqualified);
    if (ticket === undefined && knowledge === undefined && skills === undefined) return; // a blank row
    lines.push({
      line: number,
      ticketNumber: ticket === undefined ? '' : String(ticket),
      knowledge,
      skills,
      ...(disqualified !== undefined && { disqualified: String(disqualified) }),
    });
  });
  if (lines.length > MAX_IMPORT_LINES) {
    throw new SessionRefused(
      RefusalType.InvalidInput,
      message('session:import.tooManyRows', { rows: lines.length, max: MAX_IMPORT_LINES }),
    );
  }
  return lines;
}

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

function headerColumns(header: ExcelJS.Row): Partial<Record<keyof typeof HEADERS, number>> {
  const found: Partial<Record<keyof typeof HEADERS, number>> = {};
  header.eachCell((cell, column) => {
    const name = String(cellValue(cell.value) ?? '')
      .trim()
      .toLowerCase();
    for (const [key, names] of Object.entries(HEADERS) as [keyof typeof HEADERS, readonly string[]][]) {
      if (names.includes(name)) found[key] ??= column;
    }
  });
  const missing = (Object.keys(HEADERS) as (keyof typeof HEADERS)[]).filter(
    (key) => found[key] === undefined && !OPTIONAL_COLUMNS.includes(key),
  );
  if (missing.length > 0) {
    const expected = missing.map((key) => `${key} (${HEADERS[key].join(', ')})`).join('; ');
    throw new SessionRefused(RefusalType.InvalidInput, message('session:import.missingColumns', { columns: expected }));
  }
  return found;
}

/** A cell as text or a number; a formula counts by its result, and an empty cell is missing. */
function cellValue(value: ExcelJS.CellValue): number | string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return value;
  if (typeof value === 'object' && 'result' in value) return cellValue(value.result as ExcelJS.CellValue);
  if (typeof value === 'object' && 'richText' in value) return cellValue(value.richText.map((r) => r.text).join(''));
  const text = String(value).trim();
  if (text === '') return undefined;
  return /^\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
