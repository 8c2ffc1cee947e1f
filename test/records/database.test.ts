import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import test from 'ava';
import { createNotificationActivities, type NotifyInput } from '../../activities/notifications';
import { describeTarget, nextInSequence, openDatabase } from '../../records/database';
import { type DialectName, dialectOf } from '../../records/dialect';
import { migrations } from '../../records/migrations/index';
import { TaskKind } from '../../workflows/definitions';
import { DIALECTS, emptyTarget, freshDatabase } from './databases';

const migrationsApplyOnce = test.macro({
  async exec(t, dialect: DialectName) {
    const target = await emptyTarget(t, dialect);
    const first = await openDatabase(target);
    t.is(dialectOf(first), dialect);
    const applied = await first
      .selectFrom('kysely_migration' as never)
      .select('name' as never)
      .execute();
    await first.destroy();
    t.deepEqual(
      applied.map((row) => (row as { name: string }).name).sort(),
      Object.keys(await migrations.getMigrations()).sort(),
    );

    // Opening again finds nothing to do and keeps the data.
    const again = await openDatabase(target);
    t.teardown(() => again.destroy());
    await again.insertInto('sequences').values({ name: 'kept', value: 7 }).execute();
    const reopened = await openDatabase(target);
    t.teardown(() => reopened.destroy());
    const row = await reopened.selectFrom('sequences').select('value').where('name', '=', 'kept').executeTakeFirst();
    t.is(row?.value, 7);
  },
  title: (_, dialect: DialectName) => `${dialect}: every migration applies to an empty database, and once only`,
});

const gaplessUnderConcurrency = test.macro({
  async exec(t, dialect: DialectName) {
    const { db } = await freshDatabase(t, dialect);
    // Each caller in its own transaction, as each numbering activity is; a slow step after the increment keeps the
    // transactions overlapping, so on PostgreSQL they really contend for the counter's row.
    const values = await Promise.all(
      Array.from({ length: 50 }, () =>
        db.transaction().execute(async (trx) => {
          const value = await nextInSequence(trx, 'certificate:S000044000001265');
          await new Promise((resolve) => setTimeout(resolve, 2));
          return value;
        }),
      ),
    );
    t.deepEqual(
      [...values].sort((a, b) => a - b),
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
    t.is(await db.transaction().execute((trx) => nextInSequence(trx, 'another-prefix')), 1);
  },
  title: (_, dialect: DialectName) => `${dialect}: 50 concurrent numbering transactions get 1 to 50, each once`,
});

const rolledBackNumberIsReused = test.macro({
  async exec(t, dialect: DialectName) {
    const { db } = await freshDatabase(t, dialect);
    await db.transaction().execute((trx) => nextInSequence(trx, 'ticket:station-a:2026'));
    await t.throwsAsync(
      db.transaction().execute(async (trx) => {
        await nextInSequence(trx, 'ticket:station-a:2026');
        throw new Error('the ticket could not be stored');
      }),
      { message: 'the ticket could not be stored' },
    );
    t.is(await db.transaction().execute((trx) => nextInSequence(trx, 'ticket:station-a:2026')), 2);
  },
  title: (_, dialect: DialectName) => `${dialect}: a number taken by a failed transaction is given out again`,
});

const notificationsOnce = test.macro({
  async exec(t, dialect: DialectName) {
    const { db } = await freshDatabase(t, dialect);
    const { notify } = createNotificationActivities({ db, publicUrl: 'http://127.0.0.1:3000' });
    const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('WARN') });
    const notice = (key: string): NotifyInput => ({
      key,
      kind: 'task-opened',
      applicationNumber: 'QF-2026-000001',
      recipient: { group: 'station-a:reviewers' },
      task: { id: 'station-review-1', kind: TaskKind.StationReview, dueAt: '2026-03-02T09:00:00.000Z' },
    });
    const record = (key: string) => env.run(notify, notice(key)) as ReturnType<typeof notify>;
    const first = await record('application-QF-2026-000001/station-review-1/task-opened');
    const retried = await record('application-QF-2026-000001/station-review-1/task-opened');
    const other = await record('application-QF-2026-000001/station-review-1/task-reminder');
    t.is(retried.id, first.id);
    t.true(other.id > first.id);
    const rows = await db.selectFrom('notifications').select(['id', 'key']).orderBy('id').execute();
    t.is(rows.length, 2);
  },
  title: (_, dialect: DialectName) => `${dialect}: a notice recorded twice under one key is stored once`,
});

for (const dialect of DIALECTS) {
  test(migrationsApplyOnce, dialect);
  test(gaplessUnderConcurrency, dialect);
  test(rolledBackNumberIsReused, dialect);
  test(notificationsOnce, dialect);
}

test('an in-memory SQLite database is migrated too', async (t) => {
  const db = await openDatabase(':memory:');
  t.teardown(() => db.destroy());
  t.is(await db.transaction().execute((trx) => nextInSequence(trx, 'memory')), 1);
});

test('messages name a PostgreSQL target without its password', (t) => {
  t.is(
    describeTarget('postgres://qualiflow:s3cret@db.example:5432/qualiflow'),
    'postgres://qualiflow:***@db.example:5432/qualiflow',
  );
  t.is(describeTarget('data/qualiflow.db'), 'data/qualiflow.db');
});

test('an unreachable PostgreSQL fails with the target named and the password hidden', async (t) => {
  await t.throwsAsync(openDatabase('postgresql://qualiflow:s3cret@127.0.0.1:1/qualiflow'), {
    message: /postgresql:\/\/qualiflow:\*\*\*@127\.0\.0\.1:1\/qualiflow/,
  });
});
