/**
 * The notification log as an email outbox. The notify activity writes a row `queued`; a delivery loop claims it,
 * sends it and records the outcome. Every state change is one conditional UPDATE, so any number of loops (one per
 * worker process) can share the database and each row is claimed by exactly one of them at a time.
 *
 *   queued ──claim──▶ sending ──▶ sent
 *     ▲                  │
 *     └──── retry ◀──────┴──▶ failed (after the last attempt, or when there is nobody to send to)
 *
 * A loop that dies mid-send leaves its row `sending`; when the claim lapses another loop takes it over.
 */
import type { Selectable } from 'kysely';
import type { Db } from './database';
import type { NotificationTable } from './schema';

export type OutboxNotice = Pick<
  Selectable<NotificationTable>,
  | 'id'
  | 'key'
  | 'kind'
  | 'application_number'
  | 'recipient'
  | 'email'
  | 'subject'
  | 'body'
  | 'body_en'
  | 'link'
  | 'attempts'
>;

/** Ids of rows a loop may claim now: queued rows that are due, and rows whose sender's claim has lapsed. */
/**
 * A notice the web app writes itself, to a group, in both languages: a locked name (to the administrators), tasks
 * sent back to their queue (to its supervisors). `emailed` (SMTP is configured) queues it for the delivery loop, as
 * the notify activity does a case's; otherwise it stays in the log the app shows. Once per key.
 */
export interface GroupNotice {
  key: string;
  kind: 'account-locked' | 'tasks-released';
  recipient: string;
  at: string;
  zh: { subject: string; body: string };
  en: { subject: string; body: string };
  link: string;
  emailed: boolean;
}

export async function recordGroupNotice(db: Db, notice: GroupNotice): Promise<void> {
  await db
    .insertInto('notifications')
    .values({
      key: notice.key,
      kind: notice.kind,
      application_number: '',
      recipient: notice.recipient,
      email: null,
      subject: notice.zh.subject,
      body: notice.zh.body,
      subject_en: notice.en.subject,
      body_en: notice.en.body,
      link: notice.link,
      created_at: notice.at,
      status: notice.emailed ? 'queued' : 'logged',
      next_attempt_at: notice.emailed ? notice.at : null,
    })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

export async function dueNotices(db: Db, now: Date, limit: number): Promise<number[]> {
  const at = now.toISOString();
  const rows = await db
    .selectFrom('notifications')
    .select('id')
    .where((eb) => eb.or([eb('status', '=', 'queued'), eb('status', '=', 'sending')]))
    .where('next_attempt_at', '<=', at)
    .orderBy('next_attempt_at')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}

/**
 * Takes one row for `holder` until `leaseUntil` and counts the attempt. Answers nothing when another loop claimed it
 * first (or it is no longer due): the WHERE clause is the lock.
 */
export async function claimNotice(
  db: Db,
  id: number,
  holder: string,
  now: Date,
  leaseUntil: Date,
): Promise<OutboxNotice | undefined> {
  return db
    .updateTable('notifications')
    .set((eb) => ({
      status: 'sending',
      claimed_by: holder,
      next_attempt_at: leaseUntil.toISOString(),
      attempts: eb('attempts', '+', 1),
    }))
    .where('id', '=', id)
    .where((eb) => eb.or([eb('status', '=', 'queued'), eb('status', '=', 'sending')]))
    .where('next_attempt_at', '<=', now.toISOString())
    .returning([
      'id',
      'key',
      'kind',
      'application_number',
      'recipient',
      'email',
      'subject',
      'body',
      'body_en',
      'link',
      'attempts',
    ])
    .executeTakeFirst();
}

/** Records the send. False when the claim had lapsed and another loop holds the row now. */
export async function markSent(db: Db, id: number, holder: string, at: Date, note: string | null): Promise<boolean> {
  const result = await db
    .updateTable('notifications')
    .set({ status: 'sent', sent_at: at.toISOString(), next_attempt_at: null, claimed_by: null, last_error: note })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .where('claimed_by', '=', holder)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Records a failed attempt with its reason: queued again for `retryAt`, or, without one, failed for good.
 * False when the claim had lapsed and another loop holds the row now.
 */
export async function markAttemptFailed(
  db: Db,
  id: number,
  holder: string,
  reason: string,
  retryAt: Date | undefined,
): Promise<boolean> {
  const result = await db
    .updateTable('notifications')
    .set({
      status: retryAt ? 'queued' : 'failed',
      next_attempt_at: retryAt ? retryAt.toISOString() : null,
      claimed_by: null,
      last_error: reason,
    })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .where('claimed_by', '=', holder)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
