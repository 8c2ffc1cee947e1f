/**
 * What an investigation needs from the world: the times in force, the certificate's holder and deciding department,
 * and the registry write that public verification reads. Every write goes through records/registry.ts, which is
 * idempotent per investigation and status, so a retried activity records a revocation once.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Db } from '../records/database';
import { findCertificate, recordStatusChange, type CertificateStatus } from '../records/registry';
import { findRegistryEntry } from '../records/organisations';
import type { ProcessPolicy } from '../workflows/definitions';
import type { InvestigationPolicy, ReportCategory } from '../workflows/investigationDefinitions';

/** Local choices, like the case deadlines in policy.ts: the law names no national figures for these. */
export const DEFAULT_INVESTIGATION_TIMES = {
  appealWindowDays: 60,
  decisionWorkingDays: 15,
  appealReviewWorkingDays: 15,
} as const;

export interface InvestigationDeps {
  db: Db;
  /** Reminder and escalation offsets and the holiday calendar come from the case policy, so both keep one calendar. */
  policy: ProcessPolicy;
  investigationTimes?: Partial<typeof DEFAULT_INVESTIGATION_TIMES>;
}

export interface CertificateHolder {
  applicationNumber: string;
  name: string;
  /** The latest address the case's notices went to, if any. */
  email?: string;
  stationId: string;
  departmentId: string;
}

export interface StatusChangeInput {
  certificateNumber: string;
  status: 'revoked' | 'reinstated';
  category: ReportCategory | null;
  reason: string;
  decidedBy: string;
  decidedAt: string;
  investigationId: string;
}

export function createInvestigationActivities({ db, policy, investigationTimes }: InvestigationDeps) {
  return {
    /** The times an investigation keeps for its whole life, read once when it opens. */
    async loadInvestigationPolicy(_input: { openedAt: string }): Promise<InvestigationPolicy> {
      return {
        ...DEFAULT_INVESTIGATION_TIMES,
        ...investigationTimes,
        remindBeforeWorkingDays: policy.remindBeforeWorkingDays,
        escalateAfterWorkingDays: policy.escalateAfterWorkingDays,
        calendar: policy.calendar,
      };
    },

    /**
     * The holder's name from the certificate's sealed content (what the certificate shows), their address from the
     * case's own notices: the case workflow that knew it may be long gone, the registry and the notice log stay.
     */
    async loadCertificateHolder({ certificateNumber }: { certificateNumber: string }): Promise<CertificateHolder> {
      const entry = await findCertificate(db, certificateNumber);
      if (!entry)
        throw ApplicationFailure.nonRetryable(`No certificate ${certificateNumber} is registered.`, 'InvalidInput');
      if (!entry.content) {
        throw ApplicationFailure.nonRetryable(
          `Certificate ${certificateNumber} is numbered but not issued.`,
          'InvalidInput',
        );
      }
      const { holderName } = JSON.parse(entry.content) as { holderName: string };
      const latest = await db
        .selectFrom('notifications')
        .select('email')
        .where('application_number', '=', entry.applicationNumber)
        .where('recipient', '=', 'candidate')
        .where('email', 'is not', null)
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return {
        applicationNumber: entry.applicationNumber,
        name: holderName,
        email: latest?.email ?? undefined,
        stationId: entry.stationId,
        departmentId: await departmentOf(db, entry.stationId),
      };
    },

    /** Appends the revocation or reinstatement; verification shows the certificate's new status from the commit on. */
    async setCertificateStatus(input: StatusChangeInput): Promise<{ status: CertificateStatus }> {
      await recordStatusChange(db, {
        certificate_number: input.certificateNumber,
        status: input.status,
        category: input.category,
        reason: input.reason,
        decided_by: input.decidedBy,
        decided_at: input.decidedAt,
        investigation_id: input.investigationId,
      });
      const entry = await findCertificate(db, input.certificateNumber);
      return { status: entry!.status };
    },
  };
}

/**
 * The administrative department that decides about a station's certificates: the one the station reports to in the
 * organisation registry. Retried, not failed, while the station names none: the report waits for the registry.
 */
async function departmentOf(db: Db, stationId: string): Promise<string> {
  const departmentId = (await findRegistryEntry(db, stationId))?.departmentId;
  if (departmentId) return departmentId;
  throw ApplicationFailure.retryable(
    `Station ${stationId} reports to no department: an administrator names it on /admin/organisations`,
    'NoDepartment',
  );
}
