/**
 * The certificate registry as the public and the investigation workflow see it: a certificate with its seal, and its
 * current status (valid, revoked, reinstated) from the append-only status changes.
 */
import type { Db } from './database';
import { nextInSequence } from './database';
import type { CertificateStatusChangeTable } from './schema';

export type CertificateStatus = 'valid' | 'revoked';

export interface RegistryEntry {
  applicationNumber: string;
  number: string;
  level: number;
  stationId: string;
  issuedOn: string;
  /** The canonical signed content (JSON text) and its seal; null until sealed. */
  content: string | null;
  keyId: string | null;
  signature: string | null;
  status: CertificateStatus;
  /** The latest revocation or reinstatement, if any. */
  lastChange?: Omit<CertificateStatusChangeTable, 'seq'>;
}

export async function findCertificate(db: Db, number: string): Promise<RegistryEntry | undefined> {
  const row = await db.selectFrom('certificates').selectAll().where('number', '=', number).executeTakeFirst();
  if (!row) return undefined;
  const change = await db
    .selectFrom('certificate_status_changes')
    .selectAll()
    .where('certificate_number', '=', number)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return {
    applicationNumber: row.application_number,
    number: row.number,
    level: row.level,
    stationId: row.station_id,
    issuedOn: row.issued_on,
    content: row.content,
    keyId: row.key_id,
    signature: row.signature,
    status: change?.status === 'revoked' ? 'revoked' : 'valid',
    lastChange: change && {
      certificate_number: change.certificate_number,
      status: change.status,
      category: change.category,
      reason: change.reason,
      decided_by: change.decided_by,
      decided_at: change.decided_at,
      investigation_id: change.investigation_id,
    },
  };
}

/**
 * Records a revocation or reinstatement. Idempotent per investigation and status, so a retried activity writes once.
 */
export async function recordStatusChange(db: Db, change: Omit<CertificateStatusChangeTable, 'seq'>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('certificate_status_changes')
      .select('seq')
      .where('investigation_id', '=', change.investigation_id)
      .where('status', '=', change.status)
      .executeTakeFirst();
    if (existing) return;
    const seq = await nextInSequence(trx, `status:${change.certificate_number}`);
    await trx.insertInto('certificate_status_changes').values({ ...change, seq }).execute();
  });
}
