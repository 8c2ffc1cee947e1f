/**
 * The case index administrators search: application number, the candidate's name and ID number, stage, station,
 * occupation. Intake writes a case's row whole (personal data included); the workflow's records activity keeps its
 * stage current, version-guarded like the task projection, and adds a row without personal data for a case that no
 * intake wrote (started from the command line, say).
 */
import { sql } from 'kysely';
import type { ApplicationInput } from '../domain/application';
import { type CaseView, TERMINAL_STAGES, workflowIdFor, Stage } from '../workflows/definitions';
import type { Db } from './database';
import type { CaseTable } from './schema';

export type CaseIndexRow = CaseTable;

/**
 * Intake's write: every column, before the workflow starts. A second intake of the same number changes nothing, except
 * that it fills in the person on a row the records activity wrote without one (a rebuild passes through here too).
 */
export async function indexNewCase(db: Db, application: ApplicationInput, submittedAt: string): Promise<void> {
  await db
    .insertInto('cases')
    .values({
      ...organisationColumns(application),
      candidate_name: application.candidate.name,
      id_number: application.candidate.idNumber.toUpperCase(),
      stage: Stage.Application,
      closed: 0,
      submitted_at: submittedAt,
      version: 0,
    })
    .onConflict((oc) =>
      oc.column('application_number').doUpdateSet({
        candidate_name: filledIn('candidate_name'),
        id_number: filledIn('id_number'),
      }),
    )
    .execute();
}

/** The row's own value, else intake's; none once the data was removed after its retention period (records/retention.ts). */
const filledIn = (column: 'candidate_name' | 'id_number') =>
  sql<string | null>`case when cases.personal_data_removed_at is null
    then coalesce(${sql.ref(`cases.${column}`)}, ${sql.ref(`excluded.${column}`)}) end`;

/** The records activity's write: stage and closed, never over a newer version, never touching personal data. */
export async function updateCaseStage(db: Db, view: CaseView, version: number): Promise<void> {
  const closed = TERMINAL_STAGES.includes(view.stage);
  await db
    .insertInto('cases')
    .values({
      ...organisationColumns(view.application),
      candidate_name: null,
      id_number: null,
      stage: view.stage,
      closed: closed ? 1 : 0,
      // The retention period of the candidate's data runs from here (records/retention.ts).
      closed_at: closed ? (view.outcome?.at ?? null) : null,
      submitted_at: view.submittedAt,
      version,
    })
    .onConflict((oc) =>
      oc
        .column('application_number')
        .doUpdateSet((eb) => ({
          stage: eb.ref('excluded.stage'),
          closed: eb.ref('excluded.closed'),
          closed_at: eb.ref('excluded.closed_at'),
          version: eb.ref('excluded.version'),
        }))
        .where('cases.version', '<', (eb) => eb.ref('excluded.version')),
    )
    .execute();
}

function organisationColumns(app: ApplicationInput) {
  return {
    application_number: app.applicationNumber,
    workflow_id: workflowIdFor(app.applicationNumber),
    station_id: app.stationId,
    guidance_center_id: app.guidanceCenterId ?? null,
    department_id: app.departmentId ?? null,
    training_institution_id: app.trainingInstitutionId ?? null,
    occupation: app.occupation,
    level: app.level,
  };
}

export interface CaseSearch {
  applicationNumber?: string;
  idNumber?: string;
  /** Matches names that start with it. */
  name?: string;
  stage?: string;
  stationId?: string;
  occupation?: string;
  limit: number;
  offset?: number;
}

/** Newest first. Exact on number and ID number (case-insensitive X), prefix on name. */
export async function searchCases(db: Db, search: CaseSearch): Promise<CaseIndexRow[]> {
  let query = db.selectFrom('cases').selectAll();
  if (search.applicationNumber) query = query.where('application_number', '=', search.applicationNumber.trim());
  if (search.idNumber) query = query.where('id_number', '=', search.idNumber.trim().toUpperCase());
  if (search.name) query = query.where('candidate_name', 'like', `${escapeLike(search.name.trim())}%`);
  if (search.stage) query = query.where('stage', '=', search.stage);
  if (search.stationId) query = query.where('station_id', '=', search.stationId);
  if (search.occupation) query = query.where('occupation', '=', search.occupation);
  return query
    .orderBy('submitted_at', 'desc')
    .orderBy('application_number')
    .limit(search.limit)
    .offset(search.offset ?? 0)
    .execute();
}

/** Names and ID numbers of the given cases, for a session's check-in list; a case no intake wrote has none. */
export async function candidatesOf(
  db: Db,
  applicationNumbers: string[],
): Promise<Map<string, { name: string | null; idNumber: string | null }>> {
  const found = new Map<string, { name: string | null; idNumber: string | null }>();
  for (let from = 0; from < applicationNumbers.length; from += 500) {
    const rows = await db
      .selectFrom('cases')
      .select(['application_number', 'candidate_name', 'id_number'])
      .where('application_number', 'in', applicationNumbers.slice(from, from + 500))
      .execute();
    for (const row of rows) found.set(row.application_number, { name: row.candidate_name, idNumber: row.id_number });
  }
  return found;
}

export async function findIndexedCase(db: Db, applicationNumber: string): Promise<CaseIndexRow | undefined> {
  return db.selectFrom('cases').selectAll().where('application_number', '=', applicationNumber).executeTakeFirst();
}

// A name box is not a pattern language: `%` and `_` are dropped rather than escaped, which both dialects agree on.
function escapeLike(text: string): string {
  return text.replace(/[%_]/g, '');
}
