/**
 * All activities, built from their dependencies so the worker injects real ones and tests their own.
 * Workflows import only the type of this factory.
 */
import type { OccupationCatalogue } from '../domain/occupations';
import type { Db } from '../records/database';
import type { ProcessPolicy } from '../workflows/definitions';
import { createCertificateDocumentActivities } from './certificateDocument';
import { createCaseRecordActivities } from './caseRecords';
import { createCertificateActivities, type CertificateNumberFormat } from './certificates';
import { createEligibilityActivities } from './eligibility';
import { createInvestigationActivities, type InvestigationDeps } from './investigations';
import { createNotificationActivities, type MailOutbox } from './notifications';
import { createRetentionActivities } from './retention';
import type { SealKeys } from './seal';
import { createSessionRecordActivities } from './sessionRecords';

export interface ActivityDeps {
  db: Db;
  policy: ProcessPolicy;
  catalogue: OccupationCatalogue;
  seal: SealKeys;
  certificateNumberFormat: CertificateNumberFormat;
  publicUrl: string;
  /** Where rendered certificate PDFs are written, one `<number>.pdf` each. */
  certificateDir: string;
  now?: () => Date;
  /** Set when SMTP is configured: notices are then queued for the worker's delivery loop. */
  mail?: MailOutbox;
  /** How long closed cases keep personal data (PERSONAL_DATA_RETENTION_DAYS); default in activities/retention.ts. */
  personalDataRetentionDays?: number;
  /** Appeal window and decision deadlines of investigations; defaults in activities/investigations.ts. */
  investigationTimes?: InvestigationDeps['investigationTimes'];
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createEligibilityActivities(deps),
    ...createCaseRecordActivities(deps),
    ...createNotificationActivities(deps),
    ...createCertificateActivities({ ...deps, format: deps.certificateNumberFormat }),
    ...createCertificateDocumentActivities({ ...deps, outputDir: deps.certificateDir }),
    ...createInvestigationActivities(deps),
    ...createSessionRecordActivities(deps),
    ...createRetentionActivities(deps),
  };
}
