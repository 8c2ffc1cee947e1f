/**
 * Notices to approvers and candidates. Each is written once to the notification log (keyed by the workflow's
 * idempotency key), where the app shows it to its recipients; email delivery over SMTP comes with the records issue.
 */
import { log } from '@temporalio/activity';
import type { Db } from '../records/database';
import type { Stage, TaskKind } from '../workflows/definitions';

export type NotificationKind =
  | 'task-opened'
  | 'task-reminder'
  | 'task-deadline'
  | 'task-escalated'
  | 'admission-ticket'
  | 'exam-results'
  | 'certificate-ready'
  | 'certificate-handed-over'
  | 'case-closed';

export interface NotifyInput {
  key: string;
  kind: NotificationKind;
  applicationNumber: string;
  recipient: { group: string } | { candidate: { name: string; email?: string } };
  task?: { id: string; kind: TaskKind; dueAt: string; assignee?: string };
  stage?: Stage;
  reason?: string;
}

export interface NotificationDeps {
  db: Db;
  publicUrl: string;
  now?: () => Date;
}

export function createNotificationActivities({ db, publicUrl, now = () => new Date() }: NotificationDeps) {
  return {
    async notify(input: NotifyInput): Promise<{ id: number }> {
      const { subject, body, link } = compose(input, publicUrl);
      const recipient = 'group' in input.recipient ? input.recipient.group : 'candidate';
      const email = 'candidate' in input.recipient ? (input.recipient.candidate.email ?? null) : null;
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
          created_at: now().toISOString(),
        })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
      const row = await db
        .selectFrom('notifications')
        .select('id')
        .where('key', '=', input.key)
        .executeTakeFirstOrThrow();
      log.info('notice recorded', { key: input.key, recipient });
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
};

export function compose(input: NotifyInput, publicUrl: string): { subject: string; body: string; link: string } {
  const caseRef = `application ${input.applicationNumber}`;
  if (input.task) {
    const due = formatChinaTime(input.task.dueAt);
    const link = `${publicUrl}/tasks/${encodeURIComponent(input.applicationNumber)}/${encodeURIComponent(input.task.id)}`;
    const subject = `${TASK_WORDS[input.kind](input.task.kind, due)} (${caseRef})`;
    const body = [
      subject,
      `Case: ${input.applicationNumber}`,
      `Task: ${input.task.id} (${input.task.kind})`,
      `Due: ${due}`,
      input.task.assignee ? `Assigned to: ${input.task.assignee}` : 'Not yet claimed',
      `Open it: ${link}`,
    ].join('\n');
    return { subject, body, link };
  }
  const link = `${publicUrl}/cases/${encodeURIComponent(input.applicationNumber)}`;
  const subject = `${CANDIDATE_WORDS[input.kind]} (${caseRef})`;
  const name = 'candidate' in input.recipient ? input.recipient.candidate.name : '';
  const lines = [`Dear ${name},`, '', `${subject}.`];
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
