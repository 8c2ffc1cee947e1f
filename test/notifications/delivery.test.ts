/**
 * Email delivery from the notification log: what arrives at a real SMTP server, and what the log records about it,
 * when the server accepts, refuses, refuses for a while, or when no server is configured at all.
 */
import { setTimeout as pause } from 'node:timers/promises';
import test, { type ExecutionContext } from 'ava';
import { createTransport } from 'nodemailer';
import type { NotificationKind } from '../../activities/notifications';
import { openDatabase } from '../../records/database';
import type { DialectName } from '../../records/dialect';
import { loadConfig } from '../../runtime/config';
import { createDeliveryLoop, type MailTransport } from '../../worker/deliveries';
import { eventually } from '../helpers/cases';
import { DIALECTS } from '../records/databases';
import {
  candidateNotice,
  FROM,
  mailWorld,
  PUBLIC_URL,
  quietLogger,
  silentOutbox,
  taskOpened,
  caseNumber,
  type MailWorld,
  type NoticeRow,
} from './fixtures';
import { startSmtpSink } from './smtpSink';

/** The outbox's guarantees are made by its SQL, so they are checked on both databases the product runs on. */
function onBothDatabases(title: string, exec: (t: ExecutionContext, w: MailWorld) => Promise<void>): void {
  const macro = test.macro({
    exec: async (t, dialect: DialectName) => exec(t, await mailWorld(t, dialect)),
    title: (_, dialect: DialectName) => `${title} (${dialect})`,
  });
  for (const dialect of DIALECTS) test(macro, dialect);
}

test('a new task is emailed to the group, naming the case, the task, its due date in China time and its link', async (t) => {
  const w = await mailWorld(t);
  // Polling is slow here: only the notify activity's wake-up can make the email arrive in time.
  const loop = w.loop({ pollMs: 60_000 });
  loop.start();
  await pause(100); // its first pass found nothing; it sleeps now
  const input = taskOpened();
  await w.notify(input, loop);

  const [mail] = await w.sink.waitFor(1, undefined, 5_000);
  t.deepEqual(mail.envelopeTo, ['li.station-reviewer@qualiflow.example']);
  t.regex(mail.from, /^"?Qualiflow"? <no-reply@qualiflow\.example>$/);
  // In Chinese, the English text after it: a group's members may read either language.
  t.is(
    mail.subject,
    `新任务：资格审核（鉴定站），办理时限 2026年12月4日 17:00（北京时间）（申报 ${input.applicationNumber}）`,
  );
  t.true(mail.text.startsWith(mail.subject));
  t.true(mail.text.includes(`申报：${input.applicationNumber}`));
  t.true(mail.text.includes('任务：station-review-1（资格审核（鉴定站））'));
  t.true(mail.text.includes('办理时限：2026年12月4日 17:00（北京时间）'));
  t.true(mail.text.indexOf('—— 英文版 English ——') > mail.text.indexOf('办理时限'));
  t.true(mail.text.includes(`Case: ${input.applicationNumber}`));
  t.true(mail.text.includes('Task: station-review-1 (Qualification review (station))'));
  t.true(mail.text.includes('Due: 4 Dec 2026 17:00 (China time)'));
  t.true(mail.text.includes(`${PUBLIC_URL}/tasks/${input.applicationNumber}/station-review-1`));

  const row = await w.settled(input.key, 'sent');
  t.is(row.attempts, 1);
  t.truthy(row.sent_at);
  t.is(row.last_error, null);
});

test('a group notice is one message to every member in Bcc, with only the group named in the headers', async (t) => {
  const w = await mailWorld(t);
  const members = ['li.station-reviewer@qualiflow.example', 'he.station-reviewer@qualiflow.example'];
  const loop = w.loop({ recipientsFor: async (group) => (group === 'station-a:reviewers' ? members : []) });
  loop.start();
  await w.notify(taskOpened(), loop);

  const [mail] = await w.sink.waitFor(1);
  t.deepEqual([...mail.envelopeTo].sort(), [...members].sort());
  t.regex(mail.toHeader, /station-a:reviewers/);
  t.false(members.some((address) => mail.toHeader.includes(address)));
});

test('a group with nobody to write to fails at once with the reason, and is never retried', async (t) => {
  const w = await mailWorld(t);
  const loop = w.loop({ recipientsFor: async () => [] });
  loop.start();
  const input = taskOpened();
  await w.notify(input, loop);
  const row = await w.settled(input.key, 'failed');
  t.is(row.attempts, 1);
  t.regex(row.last_error ?? '', /nobody in station-a:reviewers has an email address/);
  t.is(w.sink.offered.length, 0);
});

const reachesTheCandidate = test.macro({
  async exec(t, kind: NotificationKind, words: RegExp, certificateNumber?: string) {
    const w = await mailWorld(t);
    const loop = w.loop();
    loop.start();
    const input = candidateNotice(kind, { certificateNumber, reason: certificateNumber && 'Forged work record.' });
    await w.notify(input, loop);

    const [mail] = await w.sink.waitFor(1);
    t.deepEqual(mail.envelopeTo, ['wang.fang@example.org']);
    t.regex(mail.toHeader, /wang\.fang@example\.org/);
    // A candidate's notice is in Chinese.
    t.regex(mail.subject, words);
    t.true(mail.subject.includes(input.applicationNumber));
    t.true(mail.text.startsWith('Wang Fang：'));
    t.false(/Dear|Reason|Details/.test(mail.text));
    t.true(mail.text.includes(`${PUBLIC_URL}/cases/${input.applicationNumber}`));
    if (certificateNumber) {
      t.true(mail.text.includes(`证书编号：${certificateNumber}`));
      t.true(mail.text.includes('原因：Forged work record.'));
    }
    t.is((await w.settled(input.key, 'sent')).attempts, 1);
  },
  title: (_, kind: NotificationKind) => `the candidate's ${kind} notice is emailed to the candidate's own address`,
});

test(reachesTheCandidate, 'admission-ticket', /^您的准考证已发放/);
test(reachesTheCandidate, 'exam-results', /^您的鉴定成绩已公布/);
test(reachesTheCandidate, 'certificate-ready', /^您的证书已打印，可以领取/);
test(reachesTheCandidate, 'investigation-opened', /^您的证书已被立案调查/, 'S000044000001265000007');
test(reachesTheCandidate, 'certificate-revoked', /^您的证书已被撤销/, 'S000044000001265000007');
test(reachesTheCandidate, 'certificate-reinstated', /^您的证书已恢复有效/, 'S000044000001265000007');

test('a candidate without an email address is told only through the log, even with SMTP configured', async (t) => {
  const w = await mailWorld(t);
  const input = candidateNotice('admission-ticket', {
    recipient: { candidate: { name: 'Wang Fang' } },
  });
  await w.notify(input, silentOutbox);
  t.is((await w.row(input.key)).status, 'logged');
  t.is(await w.loop().deliverDue(), 0);
});

onBothDatabases(
  'a server that keeps refusing: the notice fails after the capped attempts, with the server reason',
  async (t, w) => {
    w.sink.refuse = () => ({ code: 550, message: 'Mailbox unavailable: relaying denied for qualiflow' });
    const loop = w.loop({ maxAttempts: 3 });
    loop.start();
    const input = taskOpened();
    await w.notify(input, loop);

    const row = await w.settled(input.key, 'failed');
    t.is(row.attempts, 3);
    t.regex(row.last_error ?? '', /^550 Mailbox unavailable: relaying denied for qualiflow/);
    t.is(row.next_attempt_at, null);
    t.is(w.sink.offered.length, 3);
    t.is(w.sink.received.length, 0);
    // Failed is final: later passes leave it alone.
    await pause(200);
    t.is(w.sink.offered.length, 3);
  },
);

onBothDatabases(
  'a server that refuses for a while, then accepts: the notice is sent once, after backing off',
  async (t, w) => {
    w.sink.refuse = (_, attempt) => (attempt <= 2 ? { code: 451, message: 'Try again later: greylisted' } : undefined);
    const loop = w.loop({ maxAttempts: 5, retryDelayMs: 100 });
    loop.start();
    const input = taskOpened();
    await w.notify(input, loop);

    const row = await w.settled(input.key, 'sent');
    t.is(row.attempts, 3);
    t.is(w.sink.received.length, 1);
    t.is(w.sink.offered.length, 3);
    // The loop waited between attempts (100 ms, then 200 ms) rather than hammering the server.
    const tooSoon = Date.parse(row.sent_at!) - Date.parse(row.created_at) < 300;
    t.false(tooSoon, `sent ${Date.parse(row.sent_at!) - Date.parse(row.created_at)} ms after the notice`);
    await pause(200);
    t.is(w.sink.received.length, 1);
  },
);

onBothDatabases('without SMTP_URL a notice is logged for the app and never emailed', async (t, w) => {
  const input = taskOpened();
  await w.notify(input);
  const row = await w.row(input.key);
  t.is(row.status, 'logged');
  t.is(row.next_attempt_at, null);
  t.is(row.attempts, 0);
  // A loop started later (SMTP configured afterwards, or another worker) does not send what was only logged.
  const loop = w.loop();
  loop.start();
  t.is(await loop.deliverDue(), 0);
  await pause(200);
  t.is(w.sink.offered.length, 0);
});

onBothDatabases('two delivery loops over one database send every notice exactly once', async (t, w) => {
  const keys: string[] = [];
  for (let i = 0; i < 30; i++) {
    const input = taskOpened();
    keys.push(input.key);
    await w.notify(input, silentOutbox);
  }
  // Each loop has its own connection to the file, as two worker processes would.
  const otherDb = await openDatabase(w.target);
  t.teardown(() => otherDb.destroy());
  w.sink.delayMs = 15;
  const sentBy = new Map<string, number>();
  const counting = (name: string): MailTransport => {
    const transport = createTransport({ url: w.sink.url });
    return {
      sendMail: async (message) => {
        sentBy.set(name, (sentBy.get(name) ?? 0) + 1);
        return transport.sendMail(message);
      },
      close: () => transport.close(),
    };
  };
  const first = w.loop({ transport: counting('first') });
  const second = createDeliveryLoop({ db: otherDb, transport: counting('second'), from: FROM, logger: quietLogger });
  t.teardown(() => second.stop());
  first.start();
  second.start();

  const mails = await w.sink.waitFor(30);
  await pause(300);
  t.is(w.sink.received.length, 30);
  t.deepEqual(mails.map((mail) => mail.noticeKey).sort(), [...keys].sort());
  t.is(new Set(mails.map((mail) => mail.messageId)).size, 30);
  for (const key of keys) t.is((await w.row(key)).attempts, 1);
  // Both loops did work, so the exactly-once above was contested, not one loop doing everything.
  t.true((sentBy.get('first') ?? 0) > 0 && (sentBy.get('second') ?? 0) > 0, JSON.stringify([...sentBy]));
});

onBothDatabases(
  'a notice left sending by a loop that died is sent again after its claim lapses, with the same Message-ID',
  async (t, w) => {
    const loop = w.loop();
    const input = taskOpened();
    await w.notify(input, silentOutbox);
    t.is(await loop.deliverDue(), 1);
    const [first] = await w.sink.waitFor(1);
    // The loop dies after the server accepted but before the row says so: the row is still claimed, and the claim
    // has run out.
    await w.db
      .updateTable('notifications')
      .set({
        status: 'sending',
        sent_at: null,
        claimed_by: 'a-dead-worker',
        next_attempt_at: new Date(0).toISOString(),
      })
      .where('key', '=', input.key)
      .execute();

    t.is(await loop.deliverDue(), 1);
    const mails = await w.sink.waitFor(2);
    t.is(mails[1].messageId, first.messageId);
    t.regex(first.messageId, /^<notice\.[0-9a-f]{32}@qualiflow\.example>$/);
    const row = await w.row(input.key);
    t.is(row.status, 'sent');
    t.is(row.attempts, 2);
  },
);

onBothDatabases(
  'a live claim is respected: a second loop does not take a notice another loop is sending',
  async (t, w) => {
    const input = taskOpened();
    await w.notify(input, silentOutbox);
    await w.db
      .updateTable('notifications')
      .set({
        status: 'sending',
        claimed_by: 'a-busy-worker',
        next_attempt_at: new Date(Date.now() + 60_000).toISOString(),
      })
      .where('key', '=', input.key)
      .execute();
    t.is(await w.loop().deliverDue(), 0);
    t.is(w.sink.offered.length, 0);
  },
);

test('notices queued while the server is down go out when it is back, and the loop stops cleanly', async (t) => {
  const w = await mailWorld(t);
  const port = w.sink.port;
  await w.sink.stop();
  const loop = w.loop({ retryDelayMs: 50, maxRetryDelayMs: 50, maxAttempts: 100 });
  loop.start();
  const input = taskOpened();
  await w.notify(input, loop);
  const waiting = await eventuallyRow(w, input.key, (row) => row.status === 'queued' && row.attempts >= 2);
  t.regex(waiting.last_error ?? '', /ECONNREFUSED/);

  const back = await startSmtpSink(port);
  t.teardown(() => back.stop());
  await back.waitFor(1);
  t.is((await w.settled(input.key, 'sent')).last_error, null);
  await loop.stop();
  // Stopped means stopped: a notice queued now stays queued.
  const later = taskOpened(caseNumber());
  await w.notify(later, loop);
  await pause(200);
  t.is((await w.row(later.key)).status, 'queued');
  t.is(back.received.length, 1);
});

test('SMTP settings are checked at start-up without echoing credentials', (t) => {
  t.is(loadConfig({}).mail.smtpUrl, undefined);
  t.is(loadConfig({}).mail.from, 'Qualiflow <no-reply@qualiflow.example>');
  t.is(loadConfig({ SMTP_URL: 'smtp://127.0.0.1:2525' }).mail.smtpUrl, 'smtp://127.0.0.1:2525');
  const error = t.throws(() => loadConfig({ SMTP_URL: 'mail.example:25?pass=hunter2', LANG: 'en_US.UTF-8' }));
  t.regex(error?.message ?? '', /^SMTP_URL must look like smtp:\/\//);
  t.false(error?.message.includes('hunter2'));
  t.throws(() => loadConfig({ MAIL_MAX_ATTEMPTS: '0' }), { message: /MAIL_MAX_ATTEMPTS/ });
});

function eventuallyRow(w: MailWorld, key: string, check: (row: NoticeRow) => boolean): Promise<NoticeRow> {
  return eventually(`notice ${key} to match`, async () => {
    const row = await w.row(key);
    return check(row) ? row : undefined;
  });
}
