/**
 * The email delivery loop: runs beside the worker when SMTP_URL is set, and sends what the notify activity queued in
 * the notification log (records/outbox.ts). Sending here rather than in the activity means a slow or absent mail
 * server never holds up or fails a case, and a retried activity, which finds its row already written, never sends
 * twice. Every worker process may run a loop; the outbox's claims give each notice to one of them.
 *
 * Group notices go out as ONE message per notice, to the group's members in Bcc (the To header names the group):
 * one SMTP transaction gives the row a single outcome to record and retry, where one message per member would need
 * per-member state to avoid re-sending to those who already got it; and Bcc keeps members' addresses, and reply-all,
 * among themselves.
 *
 * A loop that dies between the server's acceptance and recording it re-sends after its claim lapses: SMTP offers no
 * better than at-least-once there. The Message-ID is derived from the notice's key, so mail clients fold the copies.
 */
import { createHash, randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Logger } from '@temporalio/common';
import { Runtime } from '@temporalio/worker';
import { createTransport, type SendMailOptions, type Transporter } from 'nodemailer';
import type { MailOutbox } from '../activities/notifications';
import { translator } from '../i18n';
import type { Db } from '../records/database';
import { claimNotice, dueNotices, markAttemptFailed, markSent, type OutboxNotice } from '../records/outbox';
import type { MailConfig } from '../runtime/config';
import { emailsOfGroup } from '../records/directory';

/** What the loop needs of a nodemailer transport. */
export type MailTransport = Pick<Transporter, 'sendMail' | 'close'>;

export interface DeliveryOptions {
  db: Db;
  transport: MailTransport;
  /** The From header, e.g. `Qualiflow <no-reply@qualiflow.example>`; its domain also names the Message-IDs. */
  from: string;
  /** The email addresses of a group's members; by default its active members' in the directory (emailsOfGroup). */
  recipientsFor?: (group: string) => Promise<string[]>;
  /** Send attempts per notice before it is marked failed. */
  maxAttempts?: number;
  /** Wait before the second attempt; it doubles for each further one, up to `maxRetryDelayMs`. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** How often the loop looks for due notices when nobody wakes it. */
  pollMs?: number;
  /** How long a claim holds. Longer than the transport's timeouts, so a live sender never loses its row. */
  leaseMs?: number;
  batchSize?: number;
  now?: () => Date;
  logger?: Logger;
  /** Names this loop in the rows it claims. */
  id?: string;
}

export interface DeliveryLoop extends MailOutbox {
  start(): void;
  /** Finishes the message in flight, then stops polling and closes the transport. */
  stop(): Promise<void>;
  /** One pass over the due notices; answers how many it claimed. The loop calls it; tests may too. */
  deliverDue(): Promise<number>;
}

/** The transport's timeouts: well inside the default claim, so a hung server costs an attempt, not a duplicate. */
const SMTP_TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 };

/** The loop for the configured SMTP server, or none when SMTP_URL is unset (notices are then only logged). */
export function deliveryLoopFor(mail: MailConfig, db: Db): DeliveryLoop | undefined {
  if (!mail.smtpUrl) return undefined;
  return createDeliveryLoop({
    db,
    transport: createTransport({ url: mail.smtpUrl, ...SMTP_TIMEOUTS }),
    from: mail.from,
    maxAttempts: mail.maxAttempts,
  });
}

/** The SMTP server without credentials, for start-up messages. */
export function describeSmtpUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'the configured SMTP server';
  }
}

export function createDeliveryLoop(options: DeliveryOptions): DeliveryLoop {
  const {
    db,
    transport,
    from,
    recipientsFor = (group: string) => emailsOfGroup(db, group),
    maxAttempts = 5,
    retryDelayMs = 30_000,
    maxRetryDelayMs = 3_600_000,
    pollMs = 1_000,
    leaseMs = 10 * 60_000,
    batchSize = 20,
    now = () => new Date(),
    id = `${os.hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`,
  } = options;
  const log = (): Logger => options.logger ?? Runtime.instance().logger;
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'qualiflow.invalid';

  let running: Promise<void> | undefined;
  let stopping = false;
  let woken = false;
  let wakeUp: (() => void) | undefined;

  async function deliverDue(): Promise<number> {
    let claimed = 0;
    for (;;) {
      const ids = await dueNotices(db, now(), batchSize);
      for (const rowId of ids) {
        if (stopping) return claimed;
        const notice = await claimNotice(db, rowId, id, now(), new Date(now().getTime() + leaseMs));
        if (!notice) continue; // another loop took it
        claimed++;
        await deliver(notice);
      }
      if (ids.length < batchSize) return claimed;
    }
  }

  async function deliver(notice: OutboxNotice): Promise<void> {
    const context = { key: notice.key, attempt: notice.attempts };
    if (notice.attempts > maxAttempts) {
      // Its sender stopped mid-send on the last allowed attempt: whether it arrived is unknown, and the cap holds.
      await markAttemptFailed(
        db,
        notice.id,
        id,
        `gave up after ${maxAttempts} attempts, the last interrupted`,
        undefined,
      );
      return;
    }
    let message: SendMailOptions;
    try {
      message = await messageFor(notice);
    } catch (error) {
      await failed(notice, reasonOf(error));
      return;
    }
    if (!message.to && !message.bcc) {
      await markAttemptFailed(db, notice.id, id, `nobody in ${notice.recipient} has an email address`, undefined);
      log().warn('notice has no email recipient', context);
      return;
    }
    try {
      const info = await transport.sendMail(message);
      const refused = (info.rejected ?? []).map(String);
      const note = refused.length > 0 ? `refused by the server for: ${refused.join(', ')}` : null;
      if (!(await markSent(db, notice.id, id, now(), note))) log().warn('notice sent after its claim lapsed', context);
      else log().info('notice emailed', context);
    } catch (error) {
      await failed(notice, reasonOf(error));
    }
  }

  async function failed(notice: OutboxNotice, reason: string): Promise<void> {
    const last = notice.attempts >= maxAttempts;
    const delay = Math.min(maxRetryDelayMs, retryDelayMs * 2 ** (notice.attempts - 1));
    const retryAt = last ? undefined : new Date(now().getTime() + delay);
    await markAttemptFailed(db, notice.id, id, reason, retryAt);
    log().warn(last ? 'notice could not be emailed; giving up' : 'notice could not be emailed; will retry', {
      key: notice.key,
      attempt: notice.attempts,
      reason,
      retryAt: retryAt?.toISOString(),
    });
  }

  async function messageFor(notice: OutboxNotice): Promise<SendMailOptions> {
    const message: SendMailOptions = {
      from,
      subject: notice.subject,
      text: notice.body,
      messageId: `<notice.${createHash('sha256').update(notice.key).digest('hex').slice(0, 32)}@${domain}>`,
      headers: { 'X-Qualiflow-Notice': notice.key },
    };
    if (notice.recipient === 'candidate') return notice.email ? { ...message, to: notice.email } : message;
    // A group's members may read either language: the English text follows the Chinese.
    if (notice.body_en)
      message.text = `${notice.body}\n\n${translator('zh-CN')('notices:englishFollows')}\n\n${notice.body_en}`;
    const members = [...new Set(await recipientsFor(notice.recipient))];
    if (members.length === 0) return message;
    // An empty address group: the To header names the group and discloses no member.
    return { ...message, to: `"${notice.recipient.replace(/["\\]/g, '')}": ;`, bcc: members };
  }

  async function run(): Promise<void> {
    while (!stopping) {
      woken = false;
      try {
        await deliverDue();
      } catch (error) {
        // The database may be briefly busy or away; the next pass tries again.
        log().error('mail delivery pass failed', { error: reasonOf(error) });
      }
      if (stopping || woken) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeUp = undefined;
    }
  }

  return {
    deliverDue,
    wake() {
      woken = true;
      wakeUp?.();
    },
    start() {
      if (running || stopping) return;
      running = run();
    },
    async stop() {
      stopping = true;
      wakeUp?.();
      await running;
      transport.close();
    },
  };
}

/** The SMTP server's reply when there is one (`550 5.1.1 no such user`), else the connection error. */
function reasonOf(error: unknown): string {
  const { response, message } = error as { response?: unknown; message?: unknown };
  const reason = typeof response === 'string' && response ? response : String(message ?? error);
  return reason.slice(0, 500);
}
