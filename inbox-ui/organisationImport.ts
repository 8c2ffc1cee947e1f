/**
 * Organisations imported from a file (the registry's page and POST /api/admin/organisations/import): CSV or XLSX with
 * a header row (runtime/sheetFile.ts), or JSON, told apart by their first bytes. Every row is read through the same
 * declaration as the form and the API (contract/organisations.ts), then the whole file is checked against the
 * registry as one change (records/organisations.ts registryProblems). The preview shows each row, whether it adds or
 * changes an organisation, and each mistake by its field; nothing is saved until the whole file is right and the
 * administrator confirms it, and then the rows are checked again in the saving transaction.
 */
import type { TFunction } from 'i18next';
import { type OrganisationEntry, registryProblems, sameEntry } from '../records/organisations';
import { readSheet, SheetRefused } from '../runtime/sheetFile';
import { BLOCK_FIELDS, OrganisationRow, toEntry } from './contract/organisations';
import { readForm, readJson, refusedOr } from './contract/read';
import { messageText } from './messageText';
import type { Directory } from './names';
import { HttpError } from './temporalErrors';

/** A province's organisations, with room: a previewed file waits on the server for its confirmation (flash.ts). */
export const MAX_IMPORT_ROWS = 5000;

const COLUMNS = {
  id: ['id', '编码', '机构编码'],
  name: ['name', '名称', '机构名称'],
  kind: ['kind', '类型', '机构类型'],
  province: ['province', '省份', '所属省份'],
  guidanceCenterId: ['guidancecenterid', 'guidance center', '指导中心'],
  departmentId: ['departmentid', 'department', '主管部门'],
  category: ['category', '类别'],
  institutionCode: ['institutioncode', '机构代码'],
  provinceCode: ['provincecode', '省份代码'],
  siteSerial: ['siteserial', '站点序号'],
  legacyProvinceCode: ['legacyprovincecode', '旧版省份代码'],
  legacyCityCode: ['legacycitycode', '旧版地市代码'],
  legacyInstitutionType: ['legacyinstitutiontype', '旧版机构类型'],
  legacyInstitutionSerial: ['legacyinstitutionserial', '旧版机构序号'],
} as const;

type Column = keyof typeof COLUMNS;

/** A file may say an organisation's kind as people do, in either language. */
const KIND_WORDS: Record<string, string> = {
  鉴定站: 'station',
  职业技能鉴定站: 'station',
  指导中心: 'guidance-center',
  职业技能鉴定指导中心: 'guidance-center',
  主管部门: 'department',
  人社部门: 'department',
  劳动保障行政部门: 'department',
  培训机构: 'training-institution',
  'appraisal station': 'station',
  'guidance center': 'guidance-center',
  'training institution': 'training-institution',
};

/** One row of the file as read, and what is wrong with it, by field, in the reader's words. */
export interface PreviewRow {
  line: number;
  fields: Record<string, string>;
  /** Set when the row can be read: adds an organisation, changes one, or repeats it as it is. */
  effect?: 'new' | 'changed' | 'unchanged';
  errors: Record<string, string>;
}

export interface ImportPreview {
  valid: boolean;
  rows: PreviewRow[];
  /** The rows' entries, in the file's order, when the whole file is valid. */
  entries: OrganisationEntry[];
}

/** The rows of a CSV, XLSX or JSON file as text fields by name, with the line (or list position) each came from. */
export async function readOrganisationFile(
  body: unknown,
  t: TFunction,
): Promise<{ line: number; fields: Record<string, string | number> }[]> {
  if (!Buffer.isBuffer(body)) return rowsOfJson(body, t);
  const start = body
    .toString('utf8', 0, 64)
    .trimStart()
    .replace(/^\ufeff/, '');
  if (start.startsWith('[') || start.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8').replace(/^\ufeff/, ''));
    } catch {
      throw new HttpError(422, t('organisations:import.unreadable'));
    }
    return rowsOfJson(parsed, t);
  }
  try {
    const rows = await readSheet(body, {
      headers: COLUMNS,
      optional: (Object.keys(COLUMNS) as Column[]).filter((key) => key !== 'id' && key !== 'name' && key !== 'kind'),
      maxRows: MAX_IMPORT_ROWS,
    });
    return rows.map(({ line, cells }) => ({ line, fields: cells as Record<string, string | number> }));
  } catch (error) {
    if (!(error instanceof SheetRefused)) throw error;
    throw new HttpError(422, t(`organisations:import.${error.reason}`, error.values));
  }
}

function rowsOfJson(parsed: unknown, t: TFunction): { line: number; fields: Record<string, string | number> }[] {
  const list =
    typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as { organisations?: unknown }).organisations
      : parsed;
  if (!Array.isArray(list) || list.length === 0) throw new HttpError(422, t('organisations:import.noRows'));
  if (list.length > MAX_IMPORT_ROWS) {
    throw new HttpError(422, t('organisations:import.tooManyRows', { rows: list.length, max: MAX_IMPORT_ROWS }));
  }
  // What GET /api/admin/organisations answers is such a file: an export edited by hand comes back the same way.
  return list.map((item, index) => ({ line: index + 1, fields: flatten(item) }));
}

function flatten(item: unknown): Record<string, string | number> {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return {};
  const fields: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(item)) {
    if (typeof value === 'string' || typeof value === 'number') fields[name] = value;
  }
  return fields;
}

/** Each row read through the contract, then the whole file against the registry as it stands. */
export function previewImport(
  rows: { line: number; fields: Record<string, string | number> }[],
  existing: readonly OrganisationEntry[],
  t: TFunction,
  directory: Directory,
): ImportPreview {
  const before = new Map(existing.map((org) => [org.id, org]));
  const read = rows.map(({ line, fields }) => {
    const kind =
      typeof fields.kind === 'string' ? (KIND_WORDS[fields.kind.trim().toLowerCase()] ?? fields.kind) : fields.kind;
    const given: Record<string, string | number> = { ...fields, ...(kind !== undefined && { kind }) };
    // Numbers from a spreadsheet's cells are read as a form's text is; JSON numbers are taken as they are.
    const result = refusedOr(() =>
      typeof given.legacyInstitutionType === 'number'
        ? readJson(OrganisationRow, given, t)
        : readForm(OrganisationRow, given, t),
    );
    return { line, fields: shown(fields), result };
  });
  const entries = read.flatMap(({ result }) => (result.value ? [toEntry(result.value.id, result.value)] : []));
  const problems = registryProblems(entries, existing);
  const previewRows: PreviewRow[] = read.map(({ line, fields, result }) => {
    const entry = result.value && toEntry(result.value.id, result.value);
    const registry = entry ? (problems.get(entry.id) ?? {}) : {};
    const errors = {
      ...result.fields,
      ...Object.fromEntries(Object.entries(registry).map(([field, said]) => [field, messageText(t, said, directory)])),
    };
    const old = entry && before.get(entry.id);
    const effect = !entry ? undefined : !old ? 'new' : sameEntry(old, entry) ? 'unchanged' : 'changed';
    return { line, fields, errors, ...(effect && { effect }) };
  });
  const valid = previewRows.every((row) => Object.keys(row.errors).length === 0);
  return { valid, rows: previewRows, entries: valid ? entries : [] };
}

/** The row as the file had it, each value as text, for the preview's table. */
function shown(fields: Record<string, string | number>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, String(value)]));
}

/** The columns a preview table shows, in the file's usual order; the block's codes are one column. */
export const PREVIEW_COLUMNS = ['id', 'name', 'kind', 'province', 'guidanceCenterId', 'departmentId'] as const;
export const blockText = (fields: Record<string, string>): string =>
  BLOCK_FIELDS.map((field) => fields[field] ?? '').some(Boolean)
    ? BLOCK_FIELDS.map((field) => fields[field] ?? '–').join(' ')
    : '';
