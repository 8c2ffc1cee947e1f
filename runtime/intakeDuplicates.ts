/**
 * The duplicates intake refuses: a person with an open case in the same occupation and level, or with a valid
 * certificate in that occupation at that level or higher (level 1 is the highest), would otherwise be appraised twice
 * for what they already have or are already being appraised for. The case index finds both through its ID number
 * index (a case's certificate row has the same application number). A refusal names the case or certificate only to
 * someone who may see that case; anyone else learns only that one exists.
 */
import type { ApplicationInput } from '../domain/application';
import { type Message, message } from '../domain/messages';
import type { Db } from '../records/database';
import { findCertificate } from '../records/registry';

export type CaseOrganisations = Pick<
  ApplicationInput,
  'stationId' | 'guidanceCenterId' | 'departmentId' | 'trainingInstitutionId'
>;

/** Why this application duplicates another, in words fit for the one asking; undefined when it does not. */
export async function findDuplicate(
  db: Db,
  application: ApplicationInput,
  maySee: (organisations: CaseOrganisations) => boolean,
): Promise<Message | undefined> {
  const rows = await db
    .selectFrom('cases')
    .leftJoin('certificates', 'certificates.application_number', 'cases.application_number')
    .select([
      'cases.application_number',
      'cases.station_id',
      'cases.guidance_center_id',
      'cases.department_id',
      'cases.training_institution_id',
      'cases.level',
      'cases.closed',
      'certificates.number as certificate_number',
      'certificates.level as certificate_level',
      'certificates.content as certificate_content',
    ])
    .where('cases.id_number', '=', application.candidate.idNumber.toUpperCase())
    .where('cases.occupation', '=', application.occupation)
    // The same application sent again (a double click) is not a duplicate: intake finds its case and changes nothing.
    .where('cases.application_number', '<>', application.applicationNumber)
    .orderBy('cases.submitted_at')
    .execute();
  for (const row of rows) {
    const seen = maySee({
      stationId: row.station_id,
      // Intake always fills both in; a row without them matches no one's organisation.
      guidanceCenterId: row.guidance_center_id ?? '',
      departmentId: row.department_id ?? '',
      trainingInstitutionId: row.training_institution_id ?? undefined,
    });
    if (row.certificate_number && row.certificate_content && row.certificate_level! <= application.level) {
      // A revoked certificate is not held; a numbered one not yet sealed is still its case's, which is open.
      const entry = await findCertificate(db, row.certificate_number);
      if (entry?.status === 'valid') {
        return seen
          ? message('intake:duplicate.certificate', { certificate: row.certificate_number })
          : message('intake:duplicate.certificateElsewhere');
      }
    }
    if (row.closed === 0 && row.level === application.level) {
      return seen
        ? message('intake:duplicate.openCase', { number: row.application_number })
        : message('intake:duplicate.openCaseElsewhere');
    }
  }
  return undefined;
}
