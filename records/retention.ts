/**
 * A closed case keeps the candidate's personal data only for the retention period (PERSONAL_DATA_RETENTION_DAYS);
 * activities/retention.ts calls this once a day. Where a case's personal data sits, and what happens to it:
 *
 * - `cases`: the candidate's name and ID number (intake's copy, for search and the check-in list). Set to null, and
 *   `personal_data_removed_at` marks the case, so pages say the data was removed (admission tickets are printed on
 *   demand from here, never stored, so they have nothing left to print).
 * - `notifications` of the case: a notice to the candidate is addressed to them by name, to their email, and the mail
 *   server's reply may quote that address. Its text becomes the removal sentence (both languages) and its address and
 *   reply go. A notice to a group names no candidate, but a reason typed by a person may: the name and ID number are
 *   struck from its text.
 * - Text typed by people about the case: comments (`case_comments`), a return's reason (`tasks.return_reason`), the
 *   hand-over note (`handovers.note`): the name and ID number are struck out. The inbox rows hold no other personal
 *   data; they take names from `cases`.
 * - Who received the certificate at the hand-over (`handovers.received_by`, a name): set to null.
 * - The certificate's PDF in the data folder: deleted by the activity (files are not in a transaction).
 * - The files handed in at intake (`documents`, through `case_documents`): deleted, except a file another case
 *   still names.
 *
 * What stays, and why:
 * - The certificate registry (`certificates`, `certificate_status_changes`): the certificate is valid for life and may
 *   be revoked at any time. Its sealed content holds the holder's name and ID number, and the seal signs exactly that
 *   text: `/verify` recomputes the seal over it and shows the masked name and ID number from it, so that whoever holds
 *   the paper can compare, and an investigation can reach the holder. Changing the content would make every check
 *   answer `invalid-seal`, so the registry keeps what it signed and nothing more (the PDF can be printed from it again).
 * - `handovers` (who handed which certificate over, when) and `admission_tickets` (a number for a case): no personal
 *   data beyond the note and the recipient above.
 * - The audit log: hash-chained, so no entry can change; decisions are recorded without the candidate's data. The
 *   removal itself is recorded there, in the same transaction, naming the case and nothing about the person.
 */
import type { ExpressionBuilder } from 'kysely';
import type { Language } from '../i18n';
import { appendAuditWithin } from './audit';
import type { Db } from './database';
import type { Database } from './schema';
import { dialectOf } from './dialect';

/** What a removed name or ID number becomes inside a text someone typed: the stars that mask it elsewhere. */
export const STRUCK = '***';

export const REMOVAL_ACTION = 'personal-data-removed';

export interface CaseDueForRemoval {
  applicationNumber: string;
  closedAt: string;
}

/**
 * Starts the period for closed cases whose closing time nobody wrote (an index row written before closing times were
 * kept by the records activity): from now, so the data is never removed before its time.
 */
export async function startUnknownRetentionPeriods(db: Db, now: string): Promise<void> {
  await db
    .updateTable('cases')
    .set({ closed_at: now })
    .where('closed', '=', 1)
    .where('closed_at', 'is', null)
    .where('personal_data_removed_at', 'is', null)
    .execute();
}

/** Closed cases whose data is still there and whose closing lies before `closedBefore`, oldest first. */
export async function casesDueForRemoval(db: Db, closedBefore: string, limit: number): Promise<CaseDueForRemoval[]> {
  const rows = await db
    .selectFrom('cases')
    .select(['application_number', 'closed_at'])
    .where('closed', '=', 1)
    .where('closed_at', '<', closedBefore)
    .where('personal_data_removed_at', 'is', null)
    .orderBy('closed_at')
    .orderBy('application_number')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ applicationNumber: row.application_number, closedAt: row.closed_at! }));
}

/** The numbers of a case's certificates (their PDFs are its documents). */
export async function certificateNumbersOf(db: Db, applicationNumber: string): Promise<string[]> {
  const rows = await db
    .selectFrom('certificates')
    .select('number')
    .where('application_number', '=', applicationNumber)
    .orderBy('number')
    .execute();
  return rows.map((row) => row.number);
}

export interface Removal {
  applicationNumber: string;
  /** When the removal runs (the schedule's time), recorded on the case and in the audit log. */
  at: string;
  /** Checked again inside the transaction: a case that no longer qualifies is left alone. */
  closedBefore: string;
  /** The sentence a candidate's notice becomes, in each language a notice keeps. */
  removedSentence: Record<Language, string>;
  /** Goes into the audit entry: the period applied and the documents deleted (names of files, no person). */
  details: Record<string, unknown>;
}

/**
 * Removes one case's personal data and records it, in one transaction: all of it happens or none. False when the
 * case is not (or no longer) due: open, closed too recently, or already done by an earlier or concurrent run.
 */
export async function removeCasePersonalData(db: Db, removal: Removal): Promise<boolean> {
  const { applicationNumber: number, at } = removal;
  return db.transaction().execute(async (trx) => {
    const query = trx
      .selectFrom('cases')
      .select(['workflow_id', 'candidate_name', 'id_number', 'closed_at'])
      .where('application_number', '=', number)
      .where('closed', '=', 1)
      .where('closed_at', '<', removal.closedBefore)
      .where('personal_data_removed_at', 'is', null);
    // A concurrent run waits here for this one's commit and then finds the case done.
    const row = await (dialectOf(trx) === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
    if (!row) return false;
    const strike = striker([row.candidate_name, row.id_number]);

    await trx
      .updateTable('cases')
      .set({ candidate_name: null, id_number: null, personal_data_removed_at: at })
      .where('application_number', '=', number)
      .execute();

    await trx
      .updateTable('notifications')
      .set({
        subject: removal.removedSentence['zh-CN'],
        body: removal.removedSentence['zh-CN'],
        subject_en: removal.removedSentence.en,
        body_en: removal.removedSentence.en,
        email: null,
        last_error: null,
      })
      .where('application_number', '=', number)
      .where('recipient', '=', 'candidate')
      .execute();
    const groupNotices = await trx
      .selectFrom('notifications')
      .select(['id', 'subject', 'body', 'subject_en', 'body_en', 'last_error'])
      .where('application_number', '=', number)
      .where('recipient', '<>', 'candidate')
      .execute();
    for (const notice of groupNotices) {
      const struck = {
        subject: strike(notice.subject),
        body: strike(notice.body),
        subject_en: strikeOrNull(strike, notice.subject_en),
        body_en: strikeOrNull(strike, notice.body_en),
        last_error: strikeOrNull(strike, notice.last_error),
      };
      if (Object.entries(struck).some(([column, text]) => notice[column as keyof typeof struck] !== text)) {
        await trx.updateTable('notifications').set(struck).where('id', '=', notice.id).execute();
      }
    }

    const comments = await trx
      .selectFrom('case_comments')
      .select(['id', 'body'])
      .where('application_number', '=', number)
      .execute();
    for (const comment of comments) {
      const body = strike(comment.body);
      if (body !== comment.body)
        await trx.updateTable('case_comments').set({ body }).where('id', '=', comment.id).execute();
    }

    const reasons = await trx
      .selectFrom('tasks')
      .select(['workflow_id', 'task_id', 'return_reason'])
      .where('workflow_id', '=', row.workflow_id)
      .where('return_reason', 'is not', null)
      .execute();
    for (const task of reasons) {
      const reason = strikeOrNull(strike, task.return_reason ?? null);
      // Only the reason changes: the row's version and status stay, so no trigger counts a change of the task.
      if (reason !== task.return_reason) {
        await trx
          .updateTable('tasks')
          .set({ return_reason: reason })
          .where('workflow_id', '=', task.workflow_id)
          .where('task_id', '=', task.task_id)
          .execute();
      }
    }

    const handovers = await trx
      .selectFrom('handovers')
      .select(['certificate_number', 'note'])
      .where('application_number', '=', number)
      .where('note', 'is not', null)
      .execute();
    for (const handover of handovers) {
      const note = strikeOrNull(strike, handover.note);
      if (note !== handover.note) {
        await trx
          .updateTable('handovers')
          .set({ note })
          .where('application_number', '=', number)
          .where('certificate_number', '=', handover.certificate_number)
          .execute();
      }
    }

    await trx
      .updateTable('handovers')
      .set({ received_by: null })
      .where('application_number', '=', number)
      .where('received_by', 'is not', null)
      .execute();

    const uploadsDeleted = await deleteFilesOf(trx, number);

    await appendAuditWithin(
      trx,
      {
        at,
        actor: 'qualiflow',
        action: REMOVAL_ACTION,
        workflowId: row.workflow_id,
        details: { closedAt: row.closed_at, ...removal.details, uploadsDeleted },
      },
      `${REMOVAL_ACTION}:${number}`,
    );
    return true;
  });
}

/**
 * Deletes the files the case's application named (records/documents.ts), each unless another case still names it,
 * and the case's links to them; returns how many files went.
 */
async function deleteFilesOf(trx: Db, applicationNumber: string): Promise<number> {
  const linked = await trx
    .deleteFrom('case_documents')
    .where('application_number', '=', applicationNumber)
    .returning('sha256')
    .execute();
  if (linked.length === 0) return 0;
  const deleted = await trx
    .deleteFrom('documents')
    .where(
      'sha256',
      'in',
      linked.map((link) => link.sha256),
    )
    .where(namedByNoCase)
    .executeTakeFirst();
  return Number(deleted.numDeletedRows);
}

/** A stored file that no case names (any more). */
const namedByNoCase = ({ not, exists, selectFrom }: ExpressionBuilder<Database, 'documents'>) =>
  not(exists(selectFrom('case_documents').select('sha256').whereRef('case_documents.sha256', '=', 'documents.sha256')));

/**
 * Files handed in with an application that was never submitted (a refused form the clerk did not send again), received
 * before `receivedBefore`: no case names them, so no retention period starts for them, and they show a person.
 */
export async function deleteUnclaimedDocuments(db: Db, receivedBefore: string): Promise<number> {
  const deleted = await db
    .deleteFrom('documents')
    .where('created_at', '<', receivedBefore)
    .where(namedByNoCase)
    .executeTakeFirst();
  return Number(deleted.numDeletedRows);
}

/**
 * Strikes the given name and ID number from a text. The ID number in either case of its check character; the name
 * as it was indexed. Nothing to strike (a case no intake indexed) leaves text alone.
 */
function striker(values: (string | null)[]): (text: string) => string {
  const patterns = values
    .filter((value): value is string => Boolean(value && value.trim()))
    .map((value) => new RegExp(value.normalize('NFC').replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'giu'));
  return (text) => patterns.reduce((struck, pattern) => struck.replace(pattern, STRUCK), text);
}

function strikeOrNull(strike: (text: string) => string, text: string | null): string | null {
  return text === null ? null : strike(text);
}
