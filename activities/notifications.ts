/**
 * Notices to approvers and candidates. Each is written once to the notification log (keyed by the workflow's
 * idempotency key), where the app shows it to its recipients. With an SMTP server configured the row is also queued
 * for email: the worker's delivery loop (worker/deliveries.ts) sends it later, so a slow or absent mail server never
 * holds up a case, and a retried activity finds its row and queues nothing twice.
 */
import { log } from '@temporalio/activity';
import type { PartSchedule, SessionSchedule } from '../domain/sessionPlan';
import type { Db } from '../records/database';
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
      const { subject, body, link } = compose(input, publicUrl);
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

const TASK_WORDS: Record<string, (task: string, due: string) => string> = {
  'task-opened': (task, due) => `New task ${task}, due ${due}`,
  'task-reminder': (task, due) => `Reminder: task ${task} is due ${due}`,
  'task-deadline': (task, due) => `Deadline reached: task ${task} was due ${due}`,
  'task-escalated': (task, due) => `Escalated: task ${task} is overdue since ${due}`,
};

const CANDIDATE_WORDS: Record<string, string> = {
  'admission-ticket': 'Your admission ticket has been issued',
  'exam-results': 'Your examination results are available',
  'certificate-ready': 'Your certificate is printed and ready for hand-over',
  'certificate-handed-over': 'Your certificate has been handed over',
  'case-closed': 'Your application has been closed',
  'investigation-opened': 'An investigation into your certificate has been opened',
  'investigation-closed': 'The investigation into your certificate has been closed',
  'certificate-revoked': 'Your certificate has been revoked',
  'certificate-reinstated': 'Your certificate has been reinstated',
  'exam-rescheduled': 'Your examination has been rescheduled',
  'seat-withdrawn': 'Your examination seat has been withdrawn; you will be seated in another session',
  'marked-absent': 'You were absent from your examination',
};

export function compose(input: NotifyInput, publicUrl: string): { subject: string; body: string; link: string } {
  const { investigation, session, sitting } = input;
  const caseRef = investigation
    ? `certificate ${input.certificateNumber}`
    : session
      ? `session ${session.id}`
      : `application ${input.applicationNumber}`;
  if (input.task) {
    const due = formatChinaTime(input.task.dueAt);
    const link = investigation
      ? `${publicUrl}/investigations/${encodeURIComponent(investigation.id)}`
      : session
        ? `${publicUrl}/sessions/${encodeURIComponent(session.id)}`
        : `${publicUrl}/tasks/${encodeURIComponent(input.applicationNumber)}/${encodeURIComponent(input.task.id)}`;
    const subject = `${TASK_WORDS[input.kind](input.task.kind, due)} (${caseRef})`;
    const body = [
      subject,
      investigation
        ? `Investigation: ${investigation.id} (certificate ${input.certificateNumber}, ${investigation.category})`
        : session
          ? `Appraisal session: ${session.id}`
          : `Case: ${input.applicationNumber}`,
      `Task: ${input.task.id} (${input.task.kind})`,
      `Due: ${due}`,
      input.task.assignee ? `Assigned to: ${input.task.assignee}` : 'Not yet claimed',
      `Open it: ${link}`,
    ].join('\n');
    return { subject, body, link };
  }
  // The holder of an investigated certificate is sent to its public verification page, which shows its status.
  const link = investigation
    ? `${publicUrl}/verify/${encodeURIComponent(input.certificateNumber ?? '')}`
    : `${publicUrl}/cases/${encodeURIComponent(input.applicationNumber)}`;
  const subject = `${CANDIDATE_WORDS[input.kind]} (${caseRef})`;
  const name = 'candidate' in input.recipient ? input.recipient.candidate.name : '';
  const lines = [`Dear ${name},`, '', `${subject}.`];
  if (input.certificateNumber) lines.push(`Certificate: ${input.certificateNumber}`);
  if (investigation) lines.push(`Reason category: ${investigation.category}`, `Investigation: ${investigation.id}`);
  if (investigation?.outcome) lines.push(`Outcome: ${investigation.outcome}`);
  if (input.kind === 'certificate-revoked' && investigation?.appealClosesAt) {
    lines.push(
      `You may appeal through the station that issued it until ${formatChinaTime(investigation.appealClosesAt)}.`,
    );
  }
  if (sitting) {
    const part = (name: string, p: PartSchedule) =>
      `${name}: ${formatChinaTime(p.startsAt)} to ${formatChinaTime(p.endsAt)}, ${p.place}`;
    lines.push(
      `Admission ticket: ${sitting.ticketNumber} (session ${sitting.sessionId})`,
      `Seat: ${sitting.room}, seat ${sitting.seat}`,
      part('Knowledge part', sitting.schedule.knowledge),
      part('Skills part', sitting.schedule.skills),
    );
  }
  if (input.stage) lines.push(`Current stage: ${input.stage}`);
  if (input.reason) lines.push(`Reason: ${input.reason}`);
  lines.push(`Details: ${link}`);
  return { subject, body: lines.join('\n'), link };
}

/** Deadlines are read by people in China: show them in UTC+8. */
function formatChinaTime(iso: string): string {
  const shifted = new Date(new Date(iso).getTime() + 8 * 3600_000);
  return `${shifted.toISOString().slice(0, 16).replace('T', ' ')} (UTC+8)`;
}
