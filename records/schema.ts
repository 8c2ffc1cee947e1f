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
  /** In Chinese (in English for notices written before both languages were kept). */
  subject: string;
  body: string;
  /** In English; null for notices written before both languages were kept. */
  subject_en: string | null;
  body_en: string | null;
  link: string;
  created_at: string;
  /** Email delivery: `logged` (no SMTP server, or no address: read in the app), `queued`, `sending`, `sent`, `failed`. */
  status: Generated<NotificationStatus>;
  /** Send attempts so far, counted when a delivery loop claims the row. */
  attempts: Generated<number>;
  /** Why the last attempt failed (the SMTP server's reply, or the connection error). */
  last_error: string | null;
  sent_at: string | null;
  /** When `queued`: when the next attempt is due. When `sending`: when the claim lapses and another loop may retry. */
  next_attempt_at: string | null;
  /** The delivery loop holding the `sending` claim, so a loop whose claim lapsed cannot overwrite the new holder. */
  claimed_by: string | null;
}

export type NotificationStatus = 'logged' | 'queued' | 'sending' | 'sent' | 'failed';

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
  /** Who took the certificate (migration 0020); null for hand-overs recorded before it, and after retention. */
  received_by?: string | null;
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

export type OrganisationKind = 'station' | 'guidance-center' | 'department' | 'training-institution';

export interface OrganisationTable {
  id: string;
  name: string;
  kind: OrganisationKind;
  province: string;
  /** A station's: the guidance center and the department it reports to (migration 0026). */
  guidance_center_id: string | null;
  department_id: string | null;
  /** An issuing station's certificate coding block, JSON (records/organisations.ts CodingBlock). */
  coding_block: string | null;
}

/** One group an account acts for (migration 0027): `station-a:reviewers`, or `administrators`. */
export interface UserGroupTable {
  user_id: string;
  group_name: string;
}

export interface UserTable {
  id: string;
  name: string;
  organisation_id: string;
  /** Where the person's group notices are emailed (migration 0027); null for an account without one. */
  email: string | null;
  /** `scrypt$N$r$p$salt$hash` (see records/directory.ts); null for an account that cannot sign in. */
  password_hash: string | null;
  created_at: string;
  /** 'zh-CN' or 'en' once the person has chosen; null until then. */
  language: string | null;
  /**
   * When an administrator deactivated the account (migration 0022): it then cannot sign in and is offered to nobody as
   * a holder. Null while active. Optional to writers, which leave a new account active.
   */
  deactivated_at?: string | null;
  /** The administrator who deactivated it, and why; null while active. */
  deactivated_by?: string | null;
  deactivation_reason?: string | null;
  /**
   * The latest reactivation (migration 0023): when, by whom and why. Null until the account is first reactivated, and
   * while it is deactivated again.
   */
  reactivated_at?: string | null;
  reactivated_by?: string | null;
  reactivation_reason?: string | null;
}

export type TaskRowStatus = 'open' | 'done' | 'cancelled';

/**
 * The task projection: one row per human task, keyed by (workflow_id, task_id), written by the workflow's activities
 * and rebuilt from the workflows by `npm run projection:rebuild`. What the inbox lists; the workflow decides.
 */
export interface TaskTable {
  workflow_id: string;
  task_id: string;
  application_number: string;
  kind: string;
  /** The case's stage when the row was written. */
  stage: string;
  candidate_group: string;
  supervising_group: string;
  assignee: string | null;
  status: TaskRowStatus;
  /** 1 once escalated: the supervising group then sees the task too. */
  escalated: number;
  level: number;
  occupation: string;
  station_id: string;
  created_at: string;
  due_at: string;
  closed_at: string | null;
  /** The decision that closed the task (approve, reject, …). */
  outcome: string | null;
  /**
   * A return's reason, on the task that returned the work: the inbox shows it on the task the return opened again
   * (records/tasks.ts returnsOf). Optional to writers, which may leave it out (null).
   */
  return_reason?: string | null;
  /** The workflow's change counter when the row was written; an older write never replaces a newer one. */
  version: number;
  /** 0 for escalated tasks, 1 otherwise: the inbox's "priority" order is (priority, due_at). */
  priority: number;
}

/** A signed-in browser or API client. The token itself is never stored, only its SHA-256. */
export interface SessionTable {
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}

/**
 * The case index: one row per application, for finding cases by number, person, stage, station or occupation.
 * Intake writes it whole; the workflow's records activity keeps stage and closed current.
 */
export interface CaseTable {
  application_number: string;
  workflow_id: string;
  station_id: string;
  guidance_center_id: string | null;
  department_id: string | null;
  training_institution_id: string | null;
  occupation: string;
  level: number;
  /** Null when the case was started where no intake wrote it (its workflow still has it). */
  candidate_name: string | null;
  id_number: string | null;
  stage: string;
  closed: number;
  submitted_at: string;
  version: number;
  /** When the case closed (the workflow's time): the retention period runs from it. Optional to writers. */
  closed_at?: string | null;
  /** When the candidate's personal data was removed after the retention period (records/retention.ts); else null. */
  personal_data_removed_at?: string | null;
  /** The exam's result for the statistics (migration 0019): 1 passed, 0 not passed, null not examined or not known. */
  exam_passed?: number | null;
  /** domain/scores.ts Grade of the result in `exam_passed`; null when not known. */
  grade?: string | null;
}

/** One appraisal session, as its workflow last recorded it (records/appraisalSessions.ts). */
export interface AppraisalSessionTable {
  session_id: string;
  station_id: string;
  guidance_center_id: string;
  stage: string;
  closed: number;
  /** The plan as JSON (domain/sessionPlan.ts SessionPlan). */
  plan: string;
  first_part_starts_at: string;
  registration_closes_at: string;
  capacity: number;
  seated: number;
  planned_by: string;
  planned_at: string;
  version: number;
  plan_key: string;
}

/** Append-only and hash-chained: each row's hash covers its content and the previous row's hash. */
export interface AuditLogTable {
  seq: number;
  at: string;
  actor: string;
  action: string;
  workflow_id: string;
  task_id: string | null;
  comment: string | null;
  /** JSON text. */
  details: string;
  /** Makes a retried activity's append a no-op. */
  idempotency_key: string;
  prev_hash: string;
  hash: string;
}

export interface FlashTable {
  id: string;
  /** SHA-256 of the session or visitor binding the flash was left for. */
  binding_hash: string;
  /** JSON text. */
  payload: string;
  expires_at: string;
}

export interface CaseCommentTable {
  /** Chosen by the form the comment was typed in, so a resent form writes nothing twice. */
  id: string;
  application_number: string;
  author_id: string;
  body: string;
  created_at: string;
}

/** An inbox query kept under a name (see migrations/0012_saved_views.ts). */
export interface SavedViewTable {
  id: string;
  owner_id: string;
  name: string;
  /** The inbox's query string without its '?', as readInboxQuery reads it, defaults left out. */
  query: string;
  /** One of the owner's groups, whose members see the view too; null for a private view. */
  shared_group: string | null;
  created_at: string;
}

/**
 * How many open tasks have one (candidate group, supervising group, escalated, holder), kept by triggers on `tasks`
 * (see migrations/0013_open_task_counts.ts): the inbox's view counts are sums of these rows.
 */
export interface OpenTaskCountTable {
  candidate_group: string;
  supervising_group: string;
  escalated: number;
  /** The assignee, or '' for nobody. */
  holder: string;
  open_tasks: number;
  /** How many times a task entered or left this key: it only grows, so a view's sum of it tells that the view changed. */
  changes: number;
}

/** One row (id 1): triggers add one to `version` on every write to users or organisations (migration 0014). */
export interface DirectoryVersionTable {
  id: number;
  version: number;
}

/** A client's bucket in one rate limit (see migrations/0018_rate_buckets.ts). */
export interface RateBucketTable {
  /** Which limit: `verify`, `sign-in`. */
  scope: string;
  /** Whom it limits: a client address. */
  client: string;
  tokens: number;
  /** Milliseconds since the epoch of the last take. */
  at: number;
  /** Whether the last take got a token: 1 or 0. */
  granted: number;
}

/** A sign-in name's failed sign-ins in a row (see migrations/0015_sign_in_failures.ts). */
export interface SignInFailureTable {
  /** As typed at sign-in, whether or not an account has it. */
  username: string;
  failures: number;
  last_failed_at: string;
  /** Set when the failures reached the lock; only an administrator's unlock clears it. */
  locked_at: string | null;
}

/** One showing of a candidate's unmasked name or ID number (see records/personalDataAccess.ts). */
export interface PersonalDataAccessTable {
  seq: number;
  /** ISO instant the page or answer was made. */
  at: string;
  /** The user id of who was shown the person. */
  viewer: string;
  /** The case the person was shown for; null for a look-up of an ID number no case has. */
  application_number: string | null;
  /** HMAC-SHA256 (hex) of the ID number under the key beside the seal keys: never the number itself. */
  id_hash: string | null;
  /** What gave the right to see the person: `task`, `station-clerk`, `session-office`, `administrator`. */
  basis: string;
  /** With basis `task`: the task that needed the person. */
  task_id: string | null;
  task_kind: string | null;
  /** Where it was shown: `task-page`, `case-api`, `check-in-list`, `personal-data-lookup`, … */
  purpose: string;
  prev_hash: string;
  hash: string;
}

/** A one-time link to set a new password, issued by an administrator (see migrations/0021_password_resets.ts). */
export interface PasswordResetTable {
  /** SHA-256 (hex) of the link's token: never the token itself. */
  token_hash: string;
  user_id: string;
  /** The administrator who issued it. */
  created_by: string;
  created_at: string;
  /** A day after it was made. */
  expires_at: string;
  /** When the link set a password; null while it may still be used. */
  used_at: string | null;
}

/** A file handed in at intake, kept by the SHA-256 of its bytes (see records/documents.ts). */
export interface DocumentTable {
  /** SHA-256 (hex) of `bytes`: the key, and what a case's application names (`sha256:<hex>`). */
  sha256: string;
  /** Judged from the bytes when stored: `application/pdf`, `image/jpeg` or `image/png`. */
  media_type: string;
  size: number;
  bytes: Buffer;
  created_at: string;
}

/** A stored file a case's application names (see records/migrations/0025_case_documents.ts). */
export interface CaseDocumentTable {
  application_number: string;
  sha256: string;
}

export interface Database {
  organisations: OrganisationTable;
  users: UserTable;
  user_groups: UserGroupTable;
  tasks: TaskTable;
  audit_log: AuditLogTable;
  notifications: NotificationTable;
  sequences: SequenceTable;
  admission_tickets: AdmissionTicketTable;
  certificates: CertificateTable;
  handovers: HandoverTable;
  certificate_status_changes: CertificateStatusChangeTable;
  sessions: SessionTable;
  cases: CaseTable;
  appraisal_sessions: AppraisalSessionTable;
  flashes: FlashTable;
  case_comments: CaseCommentTable;
  saved_views: SavedViewTable;
  open_task_counts: OpenTaskCountTable;
  directory_version: DirectoryVersionTable;
  sign_in_failures: SignInFailureTable;
  rate_buckets: RateBucketTable;
  personal_data_access: PersonalDataAccessTable;
  password_resets: PasswordResetTable;
  documents: DocumentTable;
  case_documents: CaseDocumentTable;
}
