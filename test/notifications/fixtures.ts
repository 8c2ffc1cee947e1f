/**
 * A notification log in a fresh SQLite file, the notify activity over it (run in a mock activity context), and a
 * delivery loop pointed at an in-process SMTP server: the pieces of email delivery without a Temporal server.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import type { ExecutionContext } from 'ava';
import { createTransport } from 'nodemailer';
import { createNotificationActivities, type MailOutbox, type NotifyInput } from '../../activities/notifications';
import { openDatabase, type Db } from '../../records/database';
import type { DialectName } from '../../records/dialect';
import type { NotificationStatus } from '../../records/schema';
import { createDeliveryLoop, type DeliveryLoop, type DeliveryOptions } from '../../worker/deliveries';
import { TaskKind } from '../../workflows/definitions';
import { eventually } from '../helpers/cases';
import { emptyTarget } from '../records/databases';
import { startSmtpSink, type SmtpSink } from './smtpSink';
import { seedDemoDirectory } from '../../records/demoProvince';

export const PUBLIC_URL = 'https://qualiflow.example';
export const FROM = 'Qualiflow <no-reply@qualiflow.example>';
export const quietLogger = new DefaultLogger('ERROR');

export interface MailWorld {
  db: Db;
  /** The SQLite file or PostgreSQL URL, for a second connection as another worker process would open. */
  target: string;
  sink: SmtpSink;
  /** Runs the notify activity as a worker would; `mail` unset means no SMTP server is configured. */
  notify(input: NotifyInput, mail?: MailOutbox): Promise<{ id: number }>;
  /** A delivery loop over this world's database (or `db`), sending to the sink; stopped when the test ends. */
  loop(options?: Partial<DeliveryOptions>): DeliveryLoop;
  row(key: string): Promise<NoticeRow>;
  /** Waits until the notice's row reaches `status`. */
  settled(key: string, status: NotificationStatus, timeoutMs?: number): Promise<NoticeRow>;
}

export type NoticeRow = Awaited<ReturnType<typeof readRow>>;

/** A world per test (on an empty database of the dialect), torn down with it, so tests may run concurrently. */
export async function mailWorld(t: ExecutionContext, dialect: DialectName = 'sqlite'): Promise<MailWorld> {
  const target = await emptyTarget(t, dialect);
  const db = await openDatabase(target);
  // The demo people, whose addresses group notices go to.
  await seedDemoDirectory(db);
  const sink = await startSmtpSink();
  const loops: DeliveryLoop[] = [];
  // Runs before emptyTarget's own teardown (last registered, first run): connections close before the drop.
  t.teardown(async () => {
    await Promise.all(loops.map((loop) => loop.stop()));
    await sink.stop();
    await db.destroy();
  });
  const activities = new MockActivityEnvironment(undefined, { logger: quietLogger });
  return {
    db,
    target,
    sink,
    notify: (input, mail) =>
      activities.run(createNotificationActivities({ db, publicUrl: PUBLIC_URL, mail }).notify, input),
    loop(options = {}) {
      const loop = createDeliveryLoop({
        db,
        transport: createTransport({ url: sink.url }),
        from: FROM,
        retryDelayMs: 20,
        pollMs: 50,
        logger: quietLogger,
        ...options,
      });
      loops.push(loop);
      return loop;
    },
    row: (key) => readRow(db, key),
    settled: (key, status, timeoutMs) =>
      eventually(
        `notice ${key} to be ${status}`,
        async () => {
          const row = await readRow(db, key);
          return row.status === status ? row : undefined;
        },
        timeoutMs,
      ),
  };
}

function readRow(db: Db, key: string) {
  return db.selectFrom('notifications').selectAll().where('key', '=', key).executeTakeFirstOrThrow();
}

let counter = 0;
/** A unique application number, so keys never collide between tests. */
export const caseNumber = (): string => `QF-2026-${String(++counter).padStart(6, '0')}`;

/** A new station-review task for station A's reviewers, due 2026-12-04 09:00 UTC (17:00 in China). */
export function taskOpened(applicationNumber = caseNumber()): NotifyInput {
  return {
    key: `application-${applicationNumber}/station-review-1/task-opened`,
    kind: 'task-opened',
    applicationNumber,
    recipient: { group: 'station-a:reviewers' },
    task: { id: 'station-review-1', kind: TaskKind.StationReview, dueAt: '2026-12-04T09:00:00.000Z' },
  };
}

export function candidateNotice(kind: NotifyInput['kind'], extra: Partial<NotifyInput> = {}): NotifyInput {
  const applicationNumber = caseNumber();
  return {
    key: `application-${applicationNumber}/candidate/${kind}/0`,
    kind,
    applicationNumber,
    recipient: { candidate: { name: 'Wang Fang', email: 'wang.fang@example.org' } },
    ...extra,
  };
}

/** Stands in for the delivery loop's doorbell when a test drives the loop by hand. */
export const silentOutbox: MailOutbox = { wake() {} };
