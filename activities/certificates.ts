/**
 * Admission tickets, certificate numbers, seals and hand-over records. Every write is keyed by the application
 * number, so a retried activity, or one whose worker died after the commit, finds its own row and returns it:
 * one ticket and one number per case, and serials without gaps.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { formatLegacyNumber, formatSkillLevelNumber } from '../domain/certificateNumber';
import type { IdType } from '../domain/idNumber';
import type { Level } from '../domain/levels';
import { type Db, nextInSequence } from '../records/database';
import { codingBlockOf } from '../records/organisations';
import { recordStatusChange } from '../records/registry';
import { canonicalise, signContent, type SealKeys } from './seal';

export type CertificateNumberFormat = 'skill-level' | 'legacy';

export interface CertificateDeps {
  db: Db;
  seal: SealKeys;
  format: CertificateNumberFormat;
  now?: () => Date;
}

export interface CertificateContent {
  number: string;
  issuedOn: string;
  holderName: string;
  idType: IdType;
  idNumber: string;
  occupation: string;
  specialty?: string;
  level: Level;
  stationId: string;
}

export function createCertificateActivities({ db, seal, format, now = () => new Date() }: CertificateDeps) {
  /** One number per case: a retry, or a second caller, finds the case's row. */
  async function assignCertificateNumber(input: {
    applicationNumber: string;
    level: Level;
    stationId: string;
    issuedOn: string;
  }) {
    return db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('certificates')
        .select('number')
        .where('application_number', '=', input.applicationNumber)
        .executeTakeFirst();
      if (existing) return { number: existing.number };
      const year = Number(input.issuedOn.slice(0, 4));
      // The station's block as the registry has it now: a block changed later counts for later numbers only.
      const codes = await codingBlockOf(trx, input.stationId);
      if (!codes) {
        // Retried, not failed: the case waits, its activity saying why, until an administrator files the block.
        throw ApplicationFailure.retryable(
          `Station ${input.stationId} has no certificate coding block: an administrator adds it on /admin/organisations`,
          'NoCodingBlock',
        );
      }
      // The number without its serial names the sequence: serials run per institution, level and year.
      const make = (serial: number) =>
        format === 'legacy'
          ? formatLegacyNumber({ ...codes.legacy, year, level: input.level, serial })
          : formatSkillLevelNumber({ ...codes, year, level: input.level, serial });
      let prefix: string;
      try {
        prefix = make(1).slice(0, format === 'legacy' ? -5 : -6);
      } catch (error) {
        // A year or code the format cannot hold will not change on a retry: say so instead of retrying forever.
        throw ApplicationFailure.nonRetryable(
          `Cannot number this certificate: ${(error as Error).message}`,
          'InvalidInput',
        );
      }
      const serial = await nextInSequence(trx, `certificate:${prefix}`);
      let number: string;
      try {
        number = make(serial);
      } catch (error) {
        throw ApplicationFailure.nonRetryable(`Numbering block ${prefix} is exhausted: ${(error as Error).message}`);
      }
      await trx
        .insertInto('certificates')
        .values({
          application_number: input.applicationNumber,
          number,
          level: input.level,
          station_id: input.stationId,
          issued_on: input.issuedOn,
          content: null,
          key_id: null,
          signature: null,
        })
        .execute();
      return { number };
    });
  }

  return {
    async issueAdmissionTicket(input: { applicationNumber: string; stationId: string }) {
      const issuedAt = now().toISOString();
      return db.transaction().execute(async (trx) => {
        const existing = await trx
          .selectFrom('admission_tickets')
          .select(['ticket_number', 'issued_at'])
          .where('application_number', '=', input.applicationNumber)
          .executeTakeFirst();
        if (existing) return { number: existing.ticket_number, issuedAt: existing.issued_at };
        const year = issuedAt.slice(0, 4);
        const serial = await nextInSequence(trx, `ticket:${input.stationId}:${year}`);
        const number = `${input.stationId}-${year}-${String(serial).padStart(6, '0')}`.toUpperCase();
        await trx
          .insertInto('admission_tickets')
          .values({
            application_number: input.applicationNumber,
            ticket_number: number,
            station_id: input.stationId,
            issued_at: issuedAt,
          })
          .execute();
        return { number, issuedAt };
      });
    },

    assignCertificateNumber,

    /**
     * Numbers for a session's approved batch, one case after another in the order given (the roster's), so serials
     * follow the roster. Each is the case's own number, which the case takes when it is issued.
     */
    async reserveCertificateNumbers(input: {
      stationId: string;
      issuedOn: string;
      cases: { applicationNumber: string; level: Level }[];
    }): Promise<{ applicationNumber: string; number: string }[]> {
      const numbers = [];
      for (const { applicationNumber, level } of input.cases) {
        const { number } = await assignCertificateNumber({ ...input, applicationNumber, level });
        numbers.push({ applicationNumber, number });
      }
      return numbers;
    },

    async sealCertificate(content: CertificateContent): Promise<{ keyId: string; signature: string }> {
      const row = await db
        .selectFrom('certificates')
        .select(['content', 'key_id', 'signature'])
        .where('number', '=', content.number)
        .executeTakeFirst();
      if (!row)
        throw ApplicationFailure.nonRetryable(`Certificate ${content.number} was never numbered`, 'InvalidInput');
      // Sealed once: a retry returns the seal already stored instead of signing again with a newer key.
      if (row.key_id && row.signature) return { keyId: row.key_id, signature: row.signature };
      const canonical = canonicalise(content);
      const stamped = signContent(seal, canonical);
      await db
        .updateTable('certificates')
        .set({ content: canonical, key_id: stamped.keyId, signature: stamped.signature })
        .where('number', '=', content.number)
        .where('signature', 'is', null)
        .execute();
      return stamped;
    },

    /**
     * A case closed (withdrawn, cancelled) after its number was given but before hand-over: the number must not verify
     * as a valid certificate, and it is never reused, so the registry marks it void.
     */
    async voidCertificate(input: {
      number: string;
      caseId: string;
      reason: string;
      decidedBy: string;
      decidedAt: string;
    }) {
      await recordStatusChange(db, {
        certificate_number: input.number,
        status: 'revoked',
        category: 'voided',
        reason: input.reason,
        decided_by: input.decidedBy,
        decided_at: input.decidedAt,
        investigation_id: input.caseId,
      });
    },

    async recordHandover(input: {
      applicationNumber: string;
      certificateNumber: string;
      handedOverBy: string;
      handedOverAt: string;
      note?: string;
      receivedBy?: string;
    }): Promise<void> {
      await db
        .insertInto('handovers')
        .values({
          application_number: input.applicationNumber,
          certificate_number: input.certificateNumber,
          handed_over_by: input.handedOverBy,
          handed_over_at: input.handedOverAt,
          note: input.note ?? null,
          received_by: input.receivedBy ?? null,
        })
        .onConflict((oc) => oc.column('application_number').doNothing())
        .execute();
    },
  };
}
