/**
 * The application database's tables as Kysely sees them. The workflows are the authority on a case; these tables
 * hold what must outlive a workflow or be read without one: numbers, notices, hand-over records.
 */
import type { Generated } from 'kysely';

export interface NotificationTable {
  id: Generated<number>;
  /** Idempotency key from the workflow: the same notice is written once however often the activity runs. */
  key: string;
  kind: string;
  application_number: string;
  /** A group name (`station-a:reviewers`) or `candidate`. */
  recipient: string;
  email: string | null;
  subject: string;
  body: string;
  link: string;
  created_at: string;
}

/** Gapless counters, one row per key (for example a certificate number's prefix). */
export interface SequenceTable {
  name: string;
  value: number;
}

export interface AdmissionTicketTable {
  application_number: string;
  ticket_number: string;
  station_id: string;
  issued_at: string;
}

export interface CertificateTable {
  application_number: string;
  number: string;
  level: number;
  station_id: string;
  issued_on: string;
  /** The canonical signed content and its seal, set by sealCertificate. */
  content: string | null;
  key_id: string | null;
  signature: string | null;
}

export interface HandoverTable {
  application_number: string;
  certificate_number: string;
  handed_over_by: string;
  handed_over_at: string;
  note: string | null;
}

/** A revocation or reinstatement; the latest row per certificate is its status. */
export interface CertificateStatusChangeTable {
  certificate_number: string;
  seq: number;
  status: 'revoked' | 'reinstated';
  /** The reason category shown publicly: cheating, forgery, exam-discipline, other. */
  category: string | null;
  reason: string;
  decided_by: string;
  decided_at: string;
  investigation_id: string;
}

export interface Database {
  notifications: NotificationTable;
  sequences: SequenceTable;
  admission_tickets: AdmissionTicketTable;
  certificates: CertificateTable;
  handovers: HandoverTable;
  certificate_status_changes: CertificateStatusChangeTable;
}
