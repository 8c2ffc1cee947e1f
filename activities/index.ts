/**
 * All activities, built from their dependencies so the worker injects real ones and tests their own.
 * Workflows import only the type of this factory.
 */
import type { OccupationCatalogue } from '../domain/occupations';
import type { Db } from '../records/database';
import type { ProcessPolicy } from '../workflows/definitions';
import { createCertificateActivities, type CertificateNumberFormat, type InstitutionCodes } from './certificates';
import { createEligibilityActivities } from './eligibility';
import { createNotificationActivities } from './notifications';
import type { SealKeys } from './seal';

export interface ActivityDeps {
  db: Db;
  policy: ProcessPolicy;
  catalogue: OccupationCatalogue;
  seal: SealKeys;
  certificateNumberFormat: CertificateNumberFormat;
  institutionFor: (stationId: string) => InstitutionCodes;
  publicUrl: string;
  now?: () => Date;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createEligibilityActivities(deps),
    ...createNotificationActivities(deps),
    ...createCertificateActivities({ ...deps, format: deps.certificateNumberFormat }),
  };
}
