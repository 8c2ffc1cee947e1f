/**
 * The organisation registry: a province's guidance centers, appraisal stations, labour (or competent industry)
 * departments and training institutions; which center and department each station reports to; and each issuing
 * station's certificate coding block. Administrators keep it on /admin/organisations, through the API, or by
 * importing a file (runtime/organisationImport.ts); the demo province is seed data written through it too.
 *
 * A change is checked as a whole against the registry it lands in (every reference names an organisation of the
 * right kind, an organisation keeps its kind), then written with one audit entry per organisation created or
 * changed, in one transaction, so the chain and the registry never disagree. Nothing is deleted: histories, numbers
 * and accounts go on naming an organisation after it stops working. A coding block is read when a number is assigned
 * (activities/certificates.ts), so a changed block counts for numbers issued afterwards and never for one issued.
 */
import { message, type Message } from '../domain/messages';
import { appendAuditWithin } from './audit';
import type { Db } from './database';
import type { OrganisationKind, OrganisationTable } from './schema';

export const ORGANISATION_KINDS: readonly OrganisationKind[] = [
  'station',
  'guidance-center',
  'department',
  'training-institution',
];

/** The coding blocks of an appraisal institution, as filed with the province: what its certificate numbers carry. */
export interface CodingBlock {
  category: 'Y' | 'S';
  institutionCode: string;
  provinceCode: string;
  siteSerial: string;
  legacy: { provinceCode: string; cityCode: string; institutionType: 0 | 1 | 2 | 3 | 4; institutionSerial: string };
}

/** One organisation as administrators see and send it; a station also names whom it reports to and its block. */
export interface OrganisationEntry {
  id: string;
  name: string;
  kind: OrganisationKind;
  province: string;
  guidanceCenterId?: string;
  departmentId?: string;
  codingBlock?: CodingBlock;
}

/** Refusals per organisation id and field, each a message in the catalogues. */
export type RegistryProblems = Map<string, Record<string, Message>>;

export async function listRegistry(db: Db): Promise<OrganisationEntry[]> {
  const rows = await db.selectFrom('organisations').selectAll().orderBy('kind').orderBy('id').execute();
  return rows.map(toEntry);
}

export async function findRegistryEntry(db: Db, id: string): Promise<OrganisationEntry | undefined> {
  const row = await db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toEntry(row);
}

/** The block a station's next certificate number is made from; undefined while it has none. */
export async function codingBlockOf(db: Db, stationId: string): Promise<CodingBlock | undefined> {
  const row = await db
    .selectFrom('organisations')
    .select('coding_block')
    .where('id', '=', stationId)
    .executeTakeFirst();
  return row?.coding_block ? (JSON.parse(row.coding_block) as CodingBlock) : undefined;
}

/**
 * What is wrong with these entries once they join the registry as it stands: a station without its center, its
 * department or its block, a reference to no organisation or to one of another kind, an organisation changing kind,
 * the same id twice. Shape (digits, lengths) is the contract's to check, before this (inbox-ui/contract/organisations).
 */
export function registryProblems(
  entries: readonly OrganisationEntry[],
  existing: readonly OrganisationEntry[],
): RegistryProblems {
  const problems: RegistryProblems = new Map();
  const refuse = (id: string, field: string, said: Message) => problems.set(id, { ...problems.get(id), [field]: said });
  const kinds = new Map(existing.map((org) => [org.id, org.kind]));
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.id)) refuse(entry.id, 'id', message('organisations:refused.twice'));
    seen.add(entry.id);
    const before = kinds.get(entry.id);
    if (before && before !== entry.kind) {
      refuse(entry.id, 'kind', message('organisations:refused.kindChanged', { organisationKind: before }));
    }
  }
  for (const entry of entries) kinds.set(entry.id, entry.kind);
  for (const entry of entries) {
    if (entry.kind !== 'station') continue;
    const references = [
      ['guidanceCenterId', entry.guidanceCenterId, 'guidance-center'],
      ['departmentId', entry.departmentId, 'department'],
    ] as const;
    for (const [field, id, kind] of references) {
      if (!id) refuse(entry.id, field, message('organisations:refused.stationReports'));
      else if (!kinds.has(id)) refuse(entry.id, field, message('organisations:refused.unknown', { id }));
      else if (kinds.get(id) !== kind) {
        refuse(entry.id, field, message('organisations:refused.notKind', { id, organisationKind: kind }));
      }
    }
    if (!entry.codingBlock) refuse(entry.id, 'category', message('organisations:refused.stationBlock'));
  }
  return problems;
}

/** Thrown when a change would leave the registry wrong; nothing of it was written. */
export class RegistryRefused extends Error {
  constructor(readonly problems: RegistryProblems) {
    super(`organisation registry change refused for ${[...problems.keys()].join(', ')}`);
  }
}

/** What a saved change did: the ids created, changed, and sent again as they already stood. */
export interface RegistryChange {
  created: string[];
  changed: string[];
  unchanged: string[];
}

/**
 * Writes these organisations (new ones created, known ones replaced) after checking them together against the
 * registry inside the same transaction, so two administrators saving at once cannot leave a reference dangling.
 * Each creation and change is in the audit chain with what it was before and after; an entry sent again unchanged
 * writes nothing.
 */
export async function saveOrganisations(
  db: Db,
  entries: readonly OrganisationEntry[],
  { by, now }: { by: string; now: Date },
): Promise<RegistryChange> {
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const existing = await listRegistry(trx);
    const problems = registryProblems(entries, existing);
    if (problems.size > 0) throw new RegistryRefused(problems);
    const before = new Map(existing.map((org) => [org.id, org]));
    const change: RegistryChange = { created: [], changed: [], unchanged: [] };
    for (const entry of entries) {
      const old = before.get(entry.id);
      const row = toRow(entry);
      if (old && sameEntry(old, entry)) {
        change.unchanged.push(entry.id);
        continue;
      }
      if (old) await trx.updateTable('organisations').set(row).where('id', '=', entry.id).execute();
      else await trx.insertInto('organisations').values(row).execute();
      (old ? change.changed : change.created).push(entry.id);
      const action = old ? 'organisation-changed' : 'organisation-created';
      await appendAuditWithin(
        trx,
        {
          at,
          actor: by,
          action,
          workflowId: organisationAuditKey(entry.id),
          details: { id: entry.id, ...(old && { before: old }), after: toEntry(row) },
        },
        `${action}:${entry.id}:${at}:${JSON.stringify(row)}`,
      );
    }
    return change;
  });
}

/** The audit chain's key for an organisation's entries, as accountAuditKey is for an account's. */
export const organisationAuditKey = (id: string): string => `organisation:${id}`;

function toEntry(row: OrganisationTable): OrganisationEntry {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    province: row.province,
    ...(row.guidance_center_id && { guidanceCenterId: row.guidance_center_id }),
    ...(row.department_id && { departmentId: row.department_id }),
    ...(row.coding_block && { codingBlock: JSON.parse(row.coding_block) as CodingBlock }),
  };
}

/** Only a station reports to anyone or issues numbers: what another kind was sent of these is not kept. */
export function toRow(entry: OrganisationEntry): OrganisationTable {
  const station = entry.kind === 'station';
  return {
    id: entry.id,
    name: entry.name,
    kind: entry.kind,
    province: entry.province,
    guidance_center_id: (station && entry.guidanceCenterId) || null,
    department_id: (station && entry.departmentId) || null,
    coding_block: station && entry.codingBlock ? JSON.stringify(blockInOrder(entry.codingBlock)) : null,
  };
}

/** Whether two entries would be stored the same. */
export function sameEntry(a: OrganisationEntry, b: OrganisationEntry): boolean {
  return JSON.stringify(toRow(a)) === JSON.stringify(toRow(b));
}

/** The block with its keys in one order, so that equal blocks are equal text. */
function blockInOrder(block: CodingBlock): CodingBlock {
  const { category, institutionCode, provinceCode, siteSerial, legacy } = block;
  return {
    category,
    institutionCode,
    provinceCode,
    siteSerial,
    legacy: {
      provinceCode: legacy.provinceCode,
      cityCode: legacy.cityCode,
      institutionType: legacy.institutionType,
      institutionSerial: legacy.institutionSerial,
    },
  };
}
