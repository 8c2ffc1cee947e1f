/**
 * Notices to approvers and candidates. Each is written once to the notification log (keyed by the workflow's
 * idempotency key), where the app shows it to its recipients. With an SMTP server configured the row is also queued
 * for email: the worker's delivery loop (worker/deliveries.ts) sends it later, so a slow or absent mail server never
 * holds up a case, and a retried activity finds its row and queues nothing twice.
 */
import { log } from '@temporalio/activity';
import type { PartSchedule, SessionSchedule } from '../domain/sessionPlan';
import type { Db } from '../records/database';
import { formatDateTime, type Language, translator } from '../i18n';
import { sessionTaskLabel, stageLabel, taskLabel } from '../inbox-ui/labels';
import { messageText } from '../inbox-ui/messageText';
import type { Message } from '../domain/messages';
import type { Stage, TaskKind } from '../workflows/definitions';
import type { InvestigationTaskKind } from '../workflows/investigationDefinitions';
import type { SessionTaskKind } from '../workflows/sessionDefinitions';

export type NotificationKind =
  | 'task-opened'
  | 'task-reminder'
  | 'task-deadline'
  | 'task-escalated'
  | 'admission-ticket'
  | 'exam-results'
  | 'certificate-ready'
  | 'certificate-handed-over'
  | 'case-closed'
  | 'investigation-opened'
  | 'investigation-closed'
  | 'certificate-revoked'
  | 'certificate-reinstated'
  | 'exam-rescheduled'
  | 'seat-withdrawn'
  | 'marked-absent';

export interface NotifyInput {
  key: string;
  kind: NotificationKind;
  applicationNumber: string;
  recipient: { group: string } | { candidate: { name: string; email?: string } };
  task?: { id: string; kind: TaskKind | InvestigationTaskKind | SessionTaskKind; dueAt: string; assignee?: string };
  stage?: Stage;
  reason?: string;
  /** The reason as the workflow said it, when it is the workflow's own: put into each notice's language. */
  reasonSaid?: Message;
  /** The certificate a revocation notice is about. */
  certificateNumber?: string;
  /** Set on a group notice about an appraisal session's task; `applicationNumber` then holds the session's id. */
  session?: { id: string };
  /** Where and when the candidate sits: on the ticket notice, and on a notice of new dates. */
  sitting?: { sessionId: string; ticketNumber: string; room: string; seat: number; schedule: SessionSchedule };
  /** Set on every notice of an investigation (workflows/investigation.ts), with `certificateNumber`. */
  investigation?: { id: string; category: string; appealClosesAt?: string; outcome?: string };
}

/** The email outbox's doorbell: present when SMTP is configured; `wake` asks the delivery loop to look now. */
export interface MailOutbox {
  wake(): void;
}

export interface NotificationDeps {
  db: Db;
  publicUrl: string;
  now?: () => Date;
  mail?: MailOutbox;
}

export function createNotificationActivities({ db, publicUrl, now = () => new Date(), mail }: NotificationDeps) {
  return {
    async notify(input: NotifyInput): Promise<{ id: number }> {
      // Written in both languages: the log shows each reader theirs, and a group's email carries both (its members
      // may read either); a candidate's is in Chinese.
      const { subject, body, link } = compose(input, publicUrl, 'zh-CN');
      const english = compose(input, publicUrl, 'en');
      const recipient = 'group' in input.recipient ? input.recipient.group : 'candidate';
      const email = 'candidate' in input.recipient ? (input.recipient.candidate.email ?? null) : null;
      // A candidate without an address can only be told at the station, from the log.
      const queued = mail !== undefined && (recipient !== 'candidate' || email !== null);
      const at = now().toISOString();
      await db
        .insertInto('notifications')
        .values({
          key: input.key,
          kind: input.kind,
          application_number: input.applicationNumber,
          recipient,
          email,
          subject,
          body,
          subject_en: english.subject,
          body_en: english.body,
          link,
          created_at: at,
          status: queued ? 'queued' : 'logged',
          next_attempt_at: queued ? at : null,
        })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
      const row = await db
        .selectFrom('notifications')
        .select('id')
        .where('key', '=', input.key)
        .executeTakeFirstOrThrow();
      log.info('notice recorded', { key: input.key, recipient, queued });
      if (queued) {
        try {
          mail.wake();
        } catch (error) {
          // Delivery never fails a case: the loop's poll finds the row anyway.
          log.warn('could not wake the mail delivery loop', { error: (error as Error).message });
        }
      }
      return row;
    },
  };
}

/**
 * A notice in one language: its subject, its text and the link it points to. Task and stage labels, never codes; times
 * in China time, labelled.
 */
export function compose(
  input: NotifyInput,
  publicUrl: string,
  language: Language,
): { subject: string; body: string; link: string } {
  const t = translator(language);
  const time = (iso: string) => t('notices:chinaTime', { time: formatDateTime(iso, language) });
  const { investigation, session, sitting } = input;
  const ref = investigation
    ? t('notices:ref.certificate', { number: input.certificateNumber })
    : session
      ? t('notices:ref.session', { id: session.id })
      : t('notices:ref.application', { number: input.applicationNumber });
  if (input.task) {
    const due = time(input.task.dueAt);
    const label = session ? sessionTaskLabel(t, input.task.kind) : taskLabel(t, input.task.kind);
    const link = investigation
      ? `${publicUrl}/investigations/${encodeURIComponent(investigation.id)}`
      : session
        ? `${publicUrl}/sessions/${encodeURIComponent(session.id)}`
        : `${publicUrl}/tasks/${encodeURIComponent(input.applicationNumber)}/${encodeURIComponent(input.task.id)}`;
    const subject = t('notices:subject', { words: t(`notices:task.${input.kind}`, { task: label, due }), ref });
    const body = [
      subject,
      investigation
        ? t('notices:line.investigation', {
            id: investigation.id,
            number: input.certificateNumber,
            category: investigation.category,
          })
        : session
          ? t('notices:line.session', { id: session.id })
          : t('notices:line.case', { number: input.applicationNumber }),
      t('notices:line.task', { id: input.task.id, label }),
      t('notices:line.due', { due }),
      input.task.assignee ? t('notices:line.assignedTo', { user: input.task.assignee }) : t('notices:line.unclaimed'),
      t('notices:line.openIt', { link }),
    ].join('\n');
    return { subject, body, link };
  }
  // The holder of an investigated certificate is sent to its public verification page, which shows its status.
  const link = investigation
    ? `${publicUrl}/verify/${encodeURIComponent(input.certificateNumber ?? '')}`
    : `${publicUrl}/cases/${encodeURIComponent(input.applicationNumber)}`;
  const subject = t('notices:subject', { words: t(`notices:candidate.${input.kind}`), ref });
  const name = 'candidate' in input.recipient ? input.recipient.candidate.name : '';
  const lines = [t('notices:line.dear', { name }), '', t('notices:line.sentence', { subject })];
  if (input.certificateNumber) lines.push(t('notices:line.certificate', { number: input.certificateNumber }));
  if (investigation) {
    lines.push(
      t('notices:line.category', { category: investigation.category }),
      t('notices:line.investigationId', { id: investigation.id }),
    );
  }
  if (investigation?.outcome) lines.push(t('notices:line.outcome', { outcome: investigation.outcome }));
  if (input.kind === 'certificate-revoked' && investigation?.appealClosesAt) {
    lines.push(t('notices:line.appeal', { until: time(investigation.appealClosesAt) }));
  }
  if (sitting) {
    const part = (key: 'knowledge' | 'skills', p: PartSchedule) =>
      t(`notices:line.${key}`, { from: time(p.startsAt), to: time(p.endsAt), place: p.place });
    lines.push(
      t('notices:line.ticket', { ticket: sitting.ticketNumber, session: sitting.sessionId }),
      t('notices:line.seat', { room: sitting.room, seat: sitting.seat }),
      part('knowledge', sitting.schedule.knowledge),
      part('skills', sitting.schedule.skills),
    );
  }
  if (input.stage) lines.push(t('notices:line.stage', { stage: stageLabel(t, input.stage) }));
  const reason = input.reasonSaid ? messageText(t, input.reasonSaid) : input.reason;
  if (reason) lines.push(t('notices:line.reason', { reason }));
  lines.push(t('notices:line.details', { link }));
  return { subject, body: lines.join('\n'), link };
}
