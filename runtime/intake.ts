/**
 * Taking in an application, for the inbox and the command line alike: validate every field, start the case's workflow,
 * write the case index (where administrators will find the person). The application number is the workflow id,
 * so submitting the same application twice (a double click, a retried request) starts one case: the second
 * submission finds the first and changes nothing.
 */
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { ApplicationInput } from '../domain/application';
import { applicationNumberPrefix, belongsToStation } from '../domain/applicationNumber';
import type { OccupationCatalogue } from '../domain/occupations';
import { message } from '../domain/messages';
import { type FieldErrors, validateApplication } from '../domain/validateApplication';
import { type CaseOrganisations, findDuplicate } from './intakeDuplicates';
import { localDate } from '../domain/workingDays';
import { indexNewCase } from '../records/caseIndex';
import { hashOfReference, storedHashes } from '../records/documents';
import type { Db } from '../records/database';
import { findOrganisation } from '../records/directory';
import { applicationWorkflow } from '../workflows';
import { type CaseView, getState, TASK_QUEUE, workflowIdFor } from '../workflows/definitions';

export interface IntakeDeps {
  client: Client;
  db: Db;
  taskQueue?: string;
  catalogue?: OccupationCatalogue;
  now?: () => Date;
}

/** `duplicate`: refused because the person already has the case or the certificate (an API answers 409). */
export type IntakeResult =
  | { ok: true; application: ApplicationInput; alreadySubmitted: boolean }
  | { ok: false; errors: FieldErrors; duplicate?: boolean };

export interface IntakeOptions {
  /**
   * Whether the person taking the application in may see a case with these organisations (inbox-ui/auth/access.ts):
   * only then does a duplicate's refusal name that case. Unknown means no.
   */
  maySee?: (organisations: CaseOrganisations) => boolean;
  /**
   * What the caller refused that the validator does not see (an uploaded file's type or size, by the form's field):
   * the application is refused with these beside the validator's own messages, and nothing is started.
   */
  refused?: FieldErrors;
}

export async function submitApplication(
  deps: IntakeDeps,
  raw: unknown,
  { maySee = () => false, refused: callerRefused = {} }: IntakeOptions = {},
): Promise<IntakeResult> {
  const now = (deps.now ?? (() => new Date()))();
  const checked = validateApplication(raw, { today: localDate(now), catalogue: deps.catalogue });
  if (!checked.ok || Object.keys(callerRefused).length > 0) {
    return { ok: false, errors: { ...(!checked.ok && checked.errors), ...callerRefused } };
  }
  const application = checked.value;
  const refused = await organisationErrors(deps.db, application);
  if (refused) return { ok: false, errors: refused };
  const unstored = await documentErrors(deps.db, application);
  if (unstored) return { ok: false, errors: unstored };
  const duplicate = await findDuplicate(deps.db, application, maySee);
  if (duplicate) return { ok: false, errors: { 'candidate.idNumber': duplicate }, duplicate: true };
  const submittedAt = now.toISOString();
  let alreadySubmitted = false;
  try {
    await deps.client.workflow.start(applicationWorkflow, {
      taskQueue: deps.taskQueue ?? TASK_QUEUE,
      workflowId: workflowIdFor(application.applicationNumber),
      args: [{ application, submittedAt }],
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    alreadySubmitted = true;
  }
  // After the start, so that a start that failed leaves no case in the index; the records activity and the rebuild
  // fill the row in should this write be the one that fails.
  await indexNewCase(deps.db, application, submittedAt);
  return { ok: true, application, alreadySubmitted };
}

/**
 * The guidance center and the department an application names must be those its station reports to (the organisation
 * registry), its training institution one of the station's province; its number must carry that station (domain/applicationNumber.ts). A station, center or
 * department is what a case's visibility rests on, so a free-text id would let an application be routed to, and be
 * read by, any organisation. Each wrong field is named.
 */
async function organisationErrors(db: Db, application: ApplicationInput): Promise<FieldErrors | undefined> {
  const errors: FieldErrors = {};
  const station = await findOrganisation(db, application.stationId);
  if (station?.kind !== 'station') {
    return { stationId: message('intake:check.notAStation', { id: application.stationId }) };
  }
  // A case goes to the center and the department its station reports to in the registry, and to no other.
  const reportsTo: [keyof ApplicationInput, string | undefined, string | null, string][] = [
    ['guidanceCenterId', application.guidanceCenterId, station.guidance_center_id, 'guidanceCenter'],
    ['departmentId', application.departmentId, station.department_id, 'department'],
  ];
  for (const [field, id, registered, what] of reportsTo) {
    if (id !== undefined && id !== registered) {
      errors[field] = message(`intake:check.notReportedTo.${what}`, { station: station.id, id });
    }
  }
  const school = application.trainingInstitutionId;
  if (school !== undefined) {
    const organisation = await findOrganisation(db, school);
    if (organisation?.kind !== 'training-institution' || organisation.province !== station.province) {
      errors.trainingInstitutionId = message('intake:check.notInProvince.trainingInstitution', {
        station: station.id,
        id: school,
      });
    }
  }
  if (!belongsToStation(application.applicationNumber, station.id)) {
    const prefix = applicationNumberPrefix(station.id);
    errors.applicationNumber = message('intake:check.numberPrefix', { prefix, station: station.id });
  }
  return Object.keys(errors).length > 0 ? errors : undefined;
}

/**
 * A document that names a stored file (`sha256:…`, records/documents.ts) must name one that is there: the case's
 * page links to it, and a reference to nothing would be a link to nothing. A typed reference (a register entry) is
 * the clerk's word and is not checked.
 */
async function documentErrors(db: Db, application: ApplicationInput): Promise<FieldErrors | undefined> {
  const named = application.documents.map((doc, i) => ({ i, reference: doc.reference }));
  const claimed = named.filter(({ reference }) => reference.startsWith('sha256:'));
  if (claimed.length === 0) return undefined;
  const stored = await storedHashes(
    db,
    claimed.map(({ reference }) => hashOfReference(reference) ?? '').filter(Boolean),
  );
  const errors: FieldErrors = {};
  for (const { i, reference } of claimed) {
    const hash = hashOfReference(reference);
    if (!hash || !stored.has(hash)) errors[`documents.${i}.reference`] = message('intake:upload.notStored');
  }
  return Object.keys(errors).length > 0 ? errors : undefined;
}

/**
 * The case once its eligibility is known, or as it is after `timeoutMs` (the check is one activity, normally done in
 * well under a second). The intake page and API show the result with its explanation.
 */
export async function waitForEligibility(
  client: Client,
  applicationNumber: string,
  timeoutMs = 5000,
): Promise<CaseView> {
  const handle = client.workflow.getHandle(workflowIdFor(applicationNumber));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await handle.query(getState);
    if (view.eligibility || view.closed || Date.now() > deadline) return view;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
