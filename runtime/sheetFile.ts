/**
 * A file of rows as offices keep them: CSV or XLSX (told apart by their first bytes: an XLSX file is a zip archive),
 * with a header row naming the columns in Chinese or English. Used by the score sheet import (scoreImport.ts) and the
 * organisation registry's import (organisationImport.ts); each says a refusal in its own catalogue.
 */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { MessageValue } from '../domain/messages';

/** Why a file could not be read as rows; each importer words it in its own catalogue, under the same key. */
export class SheetRefused extends Error {
  constructor(
    readonly reason: 'notAFile' | 'unreadable' | 'noRows' | 'missingColumns' | 'tooManyRows',
    readonly values: Record<string, MessageValue> = {},
  ) {
    super(`sheet refused: ${reason}`);
  }
}

/** A row of the file: its number as a spreadsheet shows it, and its cells by column key. */
export interface SheetRow<Key extends string> {
  line: number;
  cells: Partial<Record<Key, number | string>>;
}

export interface SheetColumns<Key extends string> {
  /** The headers each column is known by, compared without case or surrounding spaces. */
  headers: Record<Key, readonly string[]>;
  /** Columns a file may leave out. */
  optional?: readonly Key[];
  maxRows: number;
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

export const isZip = (body: Buffer): boolean => body.subarray(0, 4).equals(ZIP_MAGIC);

/** The file's rows below its header, blank rows left out. */
export async function readSheet<Key extends string>(
  body: Buffer,
  columns: SheetColumns<Key>,
): Promise<SheetRow<Key>[]> {
  if (!Buffer.isBuffer(body) || body.length === 0) throw new SheetRefused('notAFile');
  const workbook = new ExcelJS.Workbook();
  let sheet: ExcelJS.Worksheet | undefined;
  try {
    if (isZip(body)) {
      await workbook.xlsx.load(body as unknown as ArrayBuffer);
      sheet = workbook.worksheets[0];
    } else {
      // Every cell as written: a ticket number or a code must never be read as a date or a number.
      sheet = await workbook.csv.read(Readable.from(stripBom(body.toString('utf8'))), {
        map: (value: string) => value,
      });
    }
  } catch {
    // The reader's own reason (a broken zip, a bad quote) means nothing to the person who sent the file.
    throw new SheetRefused('unreadable');
  }
  if (!sheet || sheet.rowCount < 2) throw new SheetRefused('noRows');
  const found = headerColumns(sheet.getRow(1), columns);
  const rows: SheetRow<Key>[] = [];
  sheet.eachRow((row, line) => {
    if (line === 1) return;
    const cells: Partial<Record<Key, number | string>> = {};
    for (const [key, column] of Object.entries(found) as [Key, number][]) {
      const value = cellValue(row.getCell(column).value);
      if (value !== undefined) cells[key] = value;
    }
    if (Object.keys(cells).length > 0) rows.push({ line, cells });
  });
  if (rows.length > columns.maxRows) {
    throw new SheetRefused('tooManyRows', { rows: rows.length, max: columns.maxRows });
  }
  return rows;
}

function headerColumns<Key extends string>(
  header: ExcelJS.Row,
  columns: SheetColumns<Key>,
): Partial<Record<Key, number>> {
  const found: Partial<Record<Key, number>> = {};
  const known = Object.entries(columns.headers) as [Key, readonly string[]][];
  header.eachCell((cell, column) => {
    const name = String(cellValue(cell.value) ?? '')
      .trim()
      .toLowerCase();
    for (const [key, names] of known) if (names.includes(name)) found[key] ??= column;
  });
  const missing = known.filter(([key]) => found[key] === undefined && !columns.optional?.includes(key));
  if (missing.length > 0) {
    const expected = missing.map(([key, names]) => `${key} (${names.join(', ')})`).join('; ');
    throw new SheetRefused('missingColumns', { columns: expected });
  }
  return found;
}

/** A cell as its text, or the number a spreadsheet holds; a formula counts by its result, and an empty cell is missing. */
function cellValue(value: ExcelJS.CellValue): number | string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return value;
  if (typeof value === 'object' && 'result' in value) return cellValue(value.result as ExcelJS.CellValue);
  if (typeof value === 'object' && 'richText' in value) return cellValue(value.richText.map((r) => r.text).join(''));
  const text = String(value).trim();
  return text === '' ? undefined : text;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
