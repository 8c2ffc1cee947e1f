/**
 * The organisation registry at the edge (routes/organisations.ts): one flat shape for an organisation, the same in
 * the page's form, a row of an imported CSV or XLSX file, an imported JSON file and the API, so a file exported by one
 * and edited by hand goes back through any other. The coding block's eight codes are fields of their own; the records
 * keep them as one block (records/organisations.ts). Whether a reference names a real organisation of the right kind
 * is the registry's check, made together with the rest of the change.
 */
import { z } from 'zod';
import { ORGANISATION_KINDS, type CodingBlock, type OrganisationEntry } from '../../records/organisations';
import type { OrganisationKind } from '../../records/schema';
import { choice, optional, say, text, wholeNumber } from './fields';
import { answer, ErrorBody, type Operation, RecordHistoryAnswer, refusals } from './operation';

/**
 * An organisation's id: lower-case letters, digits and single hyphens. It names the organisation's groups
 * (`station-a:reviewers`), so it never changes and holds no colon.
 */
const code = z
  .string({ error: say('organisations:rules.code') })
  .max(40, { error: say('common:validation.tooLong', { max: 40 }) })
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: say('organisations:rules.code') })
  // The registry's own page and API use this word after /organisations/.
  .refine((value) => value !== 'import', { error: say('organisations:rules.reserved') })
  .meta({ example: 'station-c' });

/** Exactly `count` digits, as the numbering schemes print them. */
const digits = (count: number) =>
  z
    .string({ error: say('organisations:rules.digits', { count }) })
    .regex(new RegExp(`^[0-9]{${count}}$`), { error: say('organisations:rules.digits', { count }) });

const KINDS = ORGANISATION_KINDS as [OrganisationKind, ...OrganisationKind[]];

/** The coding block's fields, as a form and a file name them. */
export const BLOCK_FIELDS = [
  'category',
  'institutionCode',
  'provinceCode',
  'siteSerial',
  'legacyProvinceCode',
  'legacyCityCode',
  'legacyInstitutionType',
  'legacyInstitutionSerial',
] as const;

const fields = {
  name: text(100),
  kind: choice(KINDS),
  province: code.meta({ description: 'The province (or industry) the organisation belongs to, as a code.' }),
  guidanceCenterId: optional(code).meta({ description: 'A station’s: the guidance center it reports to.' }),
  departmentId: optional(code).meta({ description: 'A station’s: the labour department it reports to.' }),
  category: optional(choice(['Y', 'S'])).meta({
    description: 'Skill-level numbers: Y an employer-based, S a social evaluation organisation.',
  }),
  institutionCode: optional(digits(4)).meta({ description: '0000 when filed with the province.' }),
  provinceCode: optional(digits(2)),
  siteSerial: optional(digits(6)),
  legacyProvinceCode: optional(digits(2)),
  legacyCityCode: optional(digits(2)),
  legacyInstitutionType: optional(wholeNumber(0, 4)).meta({
    description: '0 guidance center, 1 national institute, 2 local station, 3 industry station, 4 enterprise.',
  }),
  legacyInstitutionSerial: optional(digits(3)),
};

/** A station carries every code of its block; no other kind carries any. */
function blockComplete(
  body: { kind?: string } & Partial<Record<(typeof BLOCK_FIELDS)[number], unknown>>,
  context: z.RefinementCtx,
) {
  for (const field of BLOCK_FIELDS) {
    const given = body[field] !== undefined;
    if (body.kind === 'station' && !given) {
      context.addIssue({ code: 'custom', path: [field], message: say('organisations:rules.stationBlock') });
    } else if (body.kind !== 'station' && given) {
      context.addIssue({ code: 'custom', path: [field], message: say('organisations:rules.onlyStations') });
    }
  }
}

/** PUT /api/admin/organisations/{organisation}: the organisation, its id in the path. */
export const OrganisationBody = z.object(fields).superRefine(blockComplete);
export type OrganisationFields = z.output<typeof OrganisationBody>;

/** The page's form and an imported row: the id among the fields. */
export const OrganisationRow = z.object({ id: code, ...fields }).superRefine(blockComplete);

/**
 * The path names it `organisation`, not `id`: Schemathesis links an answer's properties to path parameters of the same
 * name, and would otherwise send its random bodies to the organisations the list names, the demo province's own.
 */
export const OrganisationParams = z.object({ organisation: z.string() });

/** The path's id, held to the rule a form's is. */
export const OrganisationId = z.object({ id: code });

export const ImportQuery = z.object({
  confirm: optional(choice(['true'])).meta({
    description: 'Without it the file is previewed; with true a file without mistakes is saved whole.',
  }),
});

/** The registry's entry from the edge's flat fields. */
export function toEntry(id: string, body: OrganisationFields): OrganisationEntry {
  const codingBlock: CodingBlock | undefined =
    body.kind === 'station' && body.category
      ? {
          category: body.category,
          institutionCode: body.institutionCode ?? '',
          provinceCode: body.provinceCode ?? '',
          siteSerial: body.siteSerial ?? '',
          legacy: {
            provinceCode: body.legacyProvinceCode ?? '',
            cityCode: body.legacyCityCode ?? '',
            institutionType: (body.legacyInstitutionType ?? 0) as CodingBlock['legacy']['institutionType'],
            institutionSerial: body.legacyInstitutionSerial ?? '',
          },
        }
      : undefined;
  return {
    id,
    name: body.name,
    kind: body.kind,
    province: body.province,
    ...(body.guidanceCenterId && { guidanceCenterId: body.guidanceCenterId }),
    ...(body.departmentId && { departmentId: body.departmentId }),
    ...(codingBlock && { codingBlock }),
  };
}

/** The edge's flat fields from the registry's entry: what GET answers, and what PUT takes back. */
export function toFields(entry: OrganisationEntry) {
  const block = entry.codingBlock;
  return {
    id: entry.id,
    name: entry.name,
    kind: entry.kind,
    province: entry.province,
    ...(entry.guidanceCenterId && { guidanceCenterId: entry.guidanceCenterId }),
    ...(entry.departmentId && { departmentId: entry.departmentId }),
    ...(block && {
      category: block.category,
      institutionCode: block.institutionCode,
      provinceCode: block.provinceCode,
      siteSerial: block.siteSerial,
      legacyProvinceCode: block.legacy.provinceCode,
      legacyCityCode: block.legacy.cityCode,
      legacyInstitutionType: block.legacy.institutionType,
      legacyInstitutionSerial: block.legacy.institutionSerial,
    }),
  };
}

const OrganisationAnswer = z.looseObject({ id: z.string(), name: z.string(), kind: z.string() }).partial();
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const TAGS = ['Organisations'];

export const organisationOperations: Operation[] = [
  {
    method: 'get',
    path: '/api/admin/organisations',
    summary: 'The organisation registry: every organisation, with a station’s reporting line and coding block',
    tags: TAGS,
    answers: {
      200: answer('Every organisation.', z.looseObject({ organisations: z.array(OrganisationAnswer) }).partial()),
      ...refusals(401, 403),
    },
  },
  {
    method: 'get',
    path: '/api/admin/organisations/{organisation}/history',
    summary:
      'An organisation’s change history from the audit chain, newest first: who, when, each field before and after',
    tags: TAGS,
    params: OrganisationParams,
    answers: {
      200: answer('The history.', RecordHistoryAnswer),
      ...refusals(401, 403),
      404: answer('No organisation has this id.', ErrorBody),
    },
  },
  {
    method: 'put',
    path: '/api/admin/organisations/{organisation}',
    summary: 'Add an organisation, or change one (its kind stays); a changed coding block counts for later numbers',
    tags: TAGS,
    params: OrganisationParams,
    body: OrganisationBody,
    answers: {
      200: answer('Changed, or already so.', z.looseObject({ organisation: OrganisationAnswer }).partial()),
      201: answer('Added.', z.looseObject({ organisation: OrganisationAnswer }).partial()),
      ...refusals(401, 403, 422),
    },
  },
  {
    method: 'post',
    path: '/api/admin/organisations/import',
    summary: 'Import organisations from a CSV, XLSX or JSON file: a preview, or with confirm=true every row at once',
    description:
      'One organisation per row, the columns named as the fields of PUT /api/admin/organisations/{organisation} (with `id`) or ' +
      'in Chinese (编码, 名称, 类型, …). A JSON file is a list of such objects, or `{ "organisations": [...] }`. ' +
      'The preview names each bad row with its reasons; a confirmed import with any bad row is refused whole.',
    tags: TAGS,
    query: ImportQuery,
    upload: {
      'text/csv': { schema: { type: 'string' } },
      [XLSX]: { schema: { type: 'string', format: 'binary' } },
      'application/json': { schema: { type: 'array', items: { type: 'object' } } },
    },
    answers: {
      200: answer('The preview (and, confirmed, what was saved).', z.looseObject({}).partial()),
      ...refusals(401, 403),
      422: answer(
        'The file cannot be read (`error` says why), or a preview with mistakes (`rows`, each with its `errors`).',
        z.looseObject({}).partial(),
      ),
    },
  },
];
