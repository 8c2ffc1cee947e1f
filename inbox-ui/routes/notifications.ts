/**
 * The notification log: with no SMTP server configured, this is where people read their notices. Each person sees
 * the notices sent to their groups; administrators see all. `?recipient=station-a:reviewers` narrows it to one group.
 * Groups show by name, notices in the reader's language (notices written before both languages were kept have only
 * their original text).
 */
import { Router } from 'express';
import type { TFunction } from 'i18next';
import type { AppDeps } from '../app';
import type { Language } from '../../i18n';
import type { Selectable } from 'kysely';
import type { NotificationTable } from '../../records/schema';
import { candidatesOf } from '../../records/caseIndex';
import type { User } from '../../records/directory';
import { isAdministrator } from '../auth/access';
import { peopleShownToAdministrator } from '../personalDataShown';
import { requireUser, userOf } from '../auth/session';
import { type Directory, directoryOf } from '../names';
import { languageOf, tOf } from '../language';

const PAGE = 50;

export function notificationsRouter(deps: AppDeps): Router {
  const { db } = deps;
  const router = Router();
  router.get('/', requireUser, async (req, res) => {
    const user = userOf(res);
    const t = tOf(res);
    const recipient = typeof req.query.recipient === 'string' && req.query.recipient ? req.query.recipient : undefined;
    let query = db.selectFrom('notifications').selectAll().orderBy('id', 'desc').limit(PAGE);
    if (!isAdministrator(user)) query = query.where('recipient', 'in', user.roles);
    if (recipient) query = query.where('recipient', '=', recipient);
    const [rows, directory] = await Promise.all([query.execute(), directoryOf(db, t)]);
    await candidatesNamed(deps, user, rows);
    // The groups one may narrow the log to: one's own, or for administrators every group someone acts for.
    const groups = isAdministrator(user) ? await groupsNoticed(db) : user.roles;
    res.render('notifications', {
      title: t('admin:notices.title'),
      recipient,
      recipientName: recipient && recipientName(recipient, t, directory),
      recipients: groups.map((group) => ({
        value: group,
        label: recipientName(group, t, directory),
        selected: group === recipient,
      })),
      notices: noticeRows(rows, t, languageOf(res), directory),
    });
  });
  return router;
}

/**
 * A notice to a candidate opens with their name ("Dear …"), and only administrators see those: one access-log row per
 * case named, with the ID number from the case index so the look-up by ID number finds it.
 */
async function candidatesNamed(deps: AppDeps, user: User, rows: Selectable<NotificationTable>[]): Promise<void> {
  const numbers = [
    ...new Set(rows.filter((row) => row.recipient === 'candidate').map((row) => row.application_number)),
  ];
  if (numbers.length === 0 || !isAdministrator(user)) return;
  const people = await candidatesOf(deps.db, numbers);
  await peopleShownToAdministrator(
    deps,
    user,
    'notification-log',
    numbers.map((applicationNumber) => ({
      applicationNumber,
      idNumber: people.get(applicationNumber)?.idNumber ?? null,
    })),
  );
}

/** The recipients the log holds notices for, so an administrator can pick any of them. */
async function groupsNoticed(db: AppDeps['db']): Promise<string[]> {
  const rows = await db.selectFrom('notifications').select('recipient').distinct().orderBy('recipient').execute();
  return rows.map((row) => row.recipient);
}

const recipientName = (recipient: string, t: TFunction, directory: Directory) =>
  recipient === 'candidate' ? t('admin:notices.candidate') : directory.group(recipient);

/** Notices as the table shows them: the recipient's name, the text in the reader's language, the email's state. */
export function noticeRows(
  rows: Selectable<NotificationTable>[],
  t: TFunction,
  language: Language,
  directory: Directory,
) {
  return rows.map((row) => {
    const english = language === 'en' && row.subject_en !== null && row.subject_en !== undefined;
    return {
      createdAt: row.created_at,
      to: recipientName(row.recipient, t, directory),
      link: row.link,
      subject: english ? row.subject_en : row.subject,
      body: english ? (row.body_en ?? row.body) : row.body,
      status: t(`admin:notices.status.${row.status}`, { defaultValue: row.status }),
      sentAt: row.sent_at,
      attempts: row.attempts,
      lastError: row.last_error,
    };
  });
}
