/**
 * The case index administrators search: application number, the candidate's name and ID number, stage, station,
 * occupation. Intake writes a case's row whole (personal data included); the workflow's records activity keeps its
 * stage current, version-guarded like the task projection, and adds a row without personal data for a case that no
 * intake wrote (started from the command line, say).
 */
import { sql } from 'kysely';
import type { ApplicationInput } from '../domain/application';
import { type ExamOutcome, examOutcome } from '../domain/scores';
import { type CaseView, TaskKind, TERMINAL_STAGES, workflowIdFor, Stage } from '../workflows/definitions';
import type { Db } from './database';
import { hashOfReference } from './documents';
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
  const files = application.documents.flatMap((document) => hashOfReference(document.reference) ?? []);
  if (files.length > 0) {
    await db
      .insertInto('case_documents')
      .values(files.map((sha256) => ({ application_number: application.applicationNumber, sha256 })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
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
      ...examResult(view),
    })
    .onConflict((oc) =>
      oc
        .column('application_number')
        .doUpdateSet((eb) => ({
          stage: eb.ref('excluded.stage'),
          closed: eb.ref('excluded.closed'),
          closed_at: eb.ref('excluded.closed_at'),
          version: eb.ref('excluded.version'),
          // A write that does not know the result keeps the one known; a grade goes with the result it was read with.
          exam_passed: sql<number | null>`coalesce(excluded.exam_passed, cases.exam_passed)`,
          grade: sql<string | null>`case when excluded.exam_passed is null then cases.grade
            else coalesce(excluded.grade, case when cases.exam_passed = excluded.exam_passed then cases.grade end) end`,
        }))
        .where('cases.version', '<', (eb) => eb.ref('excluded.version')),
    )
    .execute();
}

/** Stages a case reaches only after passing its exam (a re-sit included). */
const PASSED_EXAM_STAGES: readonly Stage[] = [
  Stage.ComprehensiveReview,
  Stage.ResultApproval,
  Stage.Issuance,
  Stage.Issued,
];

/** Why a case failed, when the exam (or its re-sit) is the reason: catalogue keys of the workflow's own words. */
const EXAM_FAILURES = [
  'case:said.bothPartsFailed',
  'case:said.resitFailed',
  'case:said.resitWindowClosed',
  'case:said.resitWindowClosedUnseated',
];

/**
 * The exam's result and grade, for the statistics, from whatever the writer's view tells of it. The full view (a
 * decision made in the app, a projection rebuild) and the workflow's records activity (projectionSnapshot in
 * workflows/application.ts) carry the exam's outcome. A records activity scheduled before the snapshot carried it did
 * not: there the result is read from the scores task in the view, else from the stage the exam led to. Null where the
 * view tells nothing: the row then keeps what it has.
 */
function examResult(view: CaseView): { exam_passed: number | null; grade: string | null } {
  const outcome: ExamOutcome | undefined = view.exam?.outcome ?? scoredByTask(view);
  const passedStage = PASSED_EXAM_STAGES.includes(view.stage);
  // A first sitting's failure in a case that went on had a re-sit, whose scores this view does not have.
  if (outcome && (outcome.passed || !passedStage)) return { exam_passed: outcome.passed ? 1 : 0, grade: outcome.grade };
  if (passedStage) return { exam_passed: 1, grade: null };
  const failedExam =
    view.stage === Stage.Resit ||
    view.stage === Stage.Disqualified ||
    (view.stage === Stage.Failed && EXAM_FAILURES.includes(view.outcome?.said?.key ?? ''));
  return { exam_passed: failedExam ? 0 : null, grade: null };
}

/** The first sitting's outcome, from its scores task when the case was scored by one. */
function scoredByTask(view: CaseView): ExamOutcome | undefined {
  const scored = (view.tasks ?? []).find((task) => task.kind === TaskKind.ExamScores && task.outcome?.scores);
  const { knowledge, skills } = scored?.outcome?.scores ?? {};
  return knowledge === undefined || skills === undefined ? undefined : examOutcome({ knowledge, skills });
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
