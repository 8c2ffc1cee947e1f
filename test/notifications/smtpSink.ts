/**
 * A real SMTP server in the test process (the smtp-server package), which keeps what arrives, parsed by mailparser,
 * and can refuse messages with a reply of the test's choosing, as a real server would.
 */
import { setTimeout as pause } from 'node:timers/promises';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { eventually } from '../helpers/cases';

export interface ReceivedMail {
  /** The SMTP envelope: who the message was really delivered to (Bcc included). */
  envelopeTo: string[];
  from: string;
  /** The To header as written, e.g. `"station-a:reviewers": ;` or the candidate's address. */
  toHeader: string;
  messageId: string;
  /** The notice's idempotency key, from the X-Qualiflow-Notice header. */
  noticeKey: string;
  subject: string;
  text: string;
}

/** Answers an SMTP reply (`552 mailbox full`) to refuse the message, or nothing to accept it. */
export type Refusal = (mail: ReceivedMail, attempt: number) => { code: number; message: string } | undefined;

export interface SmtpSink {
  readonly url: string;
  readonly port: number;
  /** Accepted messages, in order of arrival. */
  readonly received: ReceivedMail[];
  /** Every message the server was offered, refused ones included. */
  readonly offered: ReceivedMail[];
  refuse?: Refusal;
  /** Slows each message down, so that concurrent senders overlap. */
  delayMs: number;
  /** Resolves with the accepted messages once `count` of them (matching `where`) arrived. */
  waitFor(count: number, where?: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail[]>;
  /** Stops listening: senders then get "connection refused". */
  stop(): Promise<void>;
}

export async function startSmtpSink(port = 0): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const offered: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    // The client would upgrade to TLS and then reject the server's self-signed certificate.
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      void accept(stream, session).then(
        (error) => callback(error),
        (error: Error) => callback(error),
      );
    },
  });

  const accept = async (stream: SMTPServerDataStream, session: SMTPServerSession): Promise<Error | null> => {
    const parsed = await simpleParser(stream);
    const mail: ReceivedMail = {
      envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
      from: parsed.from?.text ?? '',
      toHeader: String(parsed.headers.get('to') ? headerText(parsed.headers.get('to')) : ''),
      messageId: parsed.messageId ?? '',
      noticeKey: String(parsed.headers.get('x-qualiflow-notice') ?? ''),
      subject: parsed.subject ?? '',
      text: parsed.text ?? '',
    };
    offered.push(mail);
    if (sink.delayMs > 0) await pause(sink.delayMs);
    const refusal = sink.refuse?.(mail, offered.filter((m) => m.messageId === mail.messageId).length);
    if (refusal) return Object.assign(new Error(refusal.message), { responseCode: refusal.code });
    received.push(mail);
    return null;
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.server.address() as { port: number }).port;

  const sink: SmtpSink = {
    url: `smtp://127.0.0.1:${bound}`,
    port: bound,
    received,
    offered,
    delayMs: 0,
    waitFor: (count, where = () => true, timeoutMs = 20_000) =>
      eventually(
        `${count} email(s) at the SMTP server`,
        async () => {
          const matching = received.filter(where);
          return matching.length >= count ? matching : undefined;
        },
        timeoutMs,
      ),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return sink;
}

/** mailparser gives address headers as objects with a `text` rendering. */
function headerText(value: unknown): string {
  if (value && typeof value === 'object' && 'text' in value) return String((value as { text: unknown }).text);
  return String(value);
}
