/**
 * Failed sign-ins counted per name in the application database, on SQLite and on PostgreSQL: the waits that grow, the
 * lock, what clears them, and that two web servers on one database (two connections here) count the same failures.
 */
import test from 'ava';
import { auditTrailOf, verifyAuditChain } from '../../records/audit';
import { openDatabase } from '../../records/database';
import type { DialectName } from '../../records/dialect';
import { seedDemoDirectory } from '../../records/demoProvince';
import {
  accountAuditKey,
  clearFailures,
  countFailure,
  lockedNames,
  signInGate,
  unlockName,
  waitAfter,
} from '../../records/signInFailures';
import { DIALECTS, freshDatabase } from './databases';

const throttle = { freeFailures: 2, lockAfter: 5 };
const start = Date.UTC(2026, 2, 1, 8, 0, 0);
const at = (seconds: number) => new Date(start + seconds * 1000);

test('the wait starts after the free failures, doubles with each one, and never passes 15 minutes', (t) => {
  t.deepEqual(
    [0, 1, 2, 3, 4, 5].map((failures) => waitAfter(failures, throttle)),
    [0, 0, 1000, 2000, 4000, 8000],
  );
  t.is(waitAfter(40, throttle), 15 * 60_000);
});

const waitsThenLocks = test.macro({
  async exec(t, dialect: DialectName) {
    const { db } = await freshDatabase(t, dialect);
    t.deepEqual(await signInGate(db, 'sun.clerk', throttle, at(0)), { state: 'open' });
    t.deepEqual(await countFailure(db, 'sun.clerk', throttle, at(0)), { failures: 1, locked: false });
    t.deepEqual(await signInGate(db, 'sun.clerk', throttle, at(0)), { state: 'open' }, 'one failure is free');
    await countFailure(db, 'sun.clerk', throttle, at(0));
    t.deepEqual(await signInGate(db, 'sun.clerk', throttle, at(0.5)), { state: 'wait', retryAt: at(1) });
    t.deepEqual(await signInGate(db, 'sun.clerk', throttle, at(1)), { state: 'open' });
    await countFailure(db, 'sun.clerk', throttle, at(1));
    t.deepEqual(await signInGate(db, 'sun.clerk', throttle, at(2)), { state: 'wait', retryAt: at(3) }, 'twice as long');
    t.deepEqual(
      await signInGate(db, 'li.station-reviewer', throttle, at(2)),
      { state: 'open' },
      'other names are free',
    );

    t.deepEqual(await countFailure(db, 'sun.clerk', throttle, at(3)), { failures: 4, locked: false });
    const locking = await countFailure(db, 'sun.clerk', throttle, at(7));
    t.deepEqual(locking, { failures: 5, locked: true, lockedAt: at(7).toISOString() }, 'the fifth failure locks');
    t.deepEqual(await signInGate(db, 'sun.clerk', throttle, at(3600)), { state: 'locked' }, 'time does not unlock');
    t.deepEqual(
      await countFailure(db, 'sun.clerk', throttle, at(3601)),
      { failures: 6, locked: true },
      'a later failure is not the one that locked',
    );
    await clearFailures(db, 'sun.clerk');
    t.deepEqual(await signInGate(db, 'sun.clerk', throttle, at(3602)), { state: 'locked' }, 'a lock outlives a clear');
  },
  title: (_, dialect: DialectName) => `${dialect}: failures in a row make the next attempt wait, then lock the name`,
});

const cleared = test.macro({
  async exec(t, dialect: DialectName) {
    const { db } = await freshDatabase(t, dialect);
    await countFailure(db, 'sun.clerk', throttle, at(0));
    await countFailure(db, 'sun.clerk', throttle, at(0));
    await clearFailures(db, 'sun.clerk');
    t.deepEqual(await signInGate(db, 'sun.clerk', throttle, at(0)), { state: 'open' });
    t.deepEqual(await countFailure(db, 'sun.clerk', throttle, at(0)), { failures: 1, locked: false }, 'counted anew');
  },
  title: (_, dialect: DialectName) => `${dialect}: a successful sign-in starts the count again`,
});

const sharedByServers = test.macro({
  async exec(t, dialect: DialectName) {
    const { db, target } = await freshDatabase(t, dialect);
    const other = await openDatabase(target);
    t.teardown(() => other.destroy());
    // Two web servers take failures for one name at the same moment: every failure counts and one of them locks.
    const counted = await Promise.all(
      Array.from({ length: 8 }, (_, n) => countFailure(n % 2 ? other : db, 'sun.clerk', throttle, at(n / 1000))),
    );
    t.deepEqual(
      counted.map((c) => c.failures).sort((a, b) => a - b),
      [1, 2, 3, 4, 5, 6, 7, 8],
    );
    t.is(counted.filter((c) => c.lockedAt !== undefined).length, 1, 'the lock is set, and told, once');
    t.deepEqual(await signInGate(other, 'sun.clerk', throttle, at(1)), { state: 'locked' });
    t.deepEqual(await signInGate(db, 'sun.clerk', throttle, at(1)), { state: 'locked' });
  },
  title: (_, dialect: DialectName) => `${dialect}: two servers on one database count the same failures and lock once`,
});

const unlocked = test.macro({
  async exec(t, dialect: DialectName) {
    const { db } = await freshDatabase(t, dialect);
    await seedDemoDirectory(db);
    for (let n = 0; n < 5; n++) await countFailure(db, 'sun.clerk', throttle, at(n * 10));
    for (let n = 0; n < 5; n++) await countFailure(db, 'no.such-person', throttle, at(100 + n * 10));
    await countFailure(db, 'li.station-reviewer', throttle, at(200));
    t.deepEqual(await lockedNames(db), [
      { username: 'no.such-person', failures: 5, lockedAt: at(140).toISOString() },
      { username: 'sun.clerk', personName: '孙丽', failures: 5, lockedAt: at(40).toISOString() },
    ]);

    t.true(await unlockName(db, 'sun.clerk', 'admin', at(300)));
    t.deepEqual(await signInGate(db, 'sun.clerk', throttle, at(300)), { state: 'open' });
    t.deepEqual(await countFailure(db, 'sun.clerk', throttle, at(301)), { failures: 1, locked: false });
    t.false(await unlockName(db, 'sun.clerk', 'admin', at(302)), 'nothing left to unlock');
    t.false(await unlockName(db, 'li.station-reviewer', 'admin', at(302)), 'failures without a lock are no lock');

    const trail = await auditTrailOf(db, accountAuditKey('sun.clerk'));
    t.is(trail.length, 1, 'one entry for the one unlock');
    t.like(trail[0], { actor: 'admin', action: 'account-unlocked', at: at(300).toISOString() });
    t.deepEqual(JSON.parse(trail[0].details), { username: 'sun.clerk', failures: 5, lockedAt: at(40).toISOString() });
    t.like(await verifyAuditChain(db), { ok: true, count: 1 });
  },
  title: (_, dialect: DialectName) => `${dialect}: an administrator's unlock is audited once and frees the name`,
});

for (const dialect of DIALECTS) {
  test(waitsThenLocks, dialect);
  test(cleared, dialect);
  test(sharedByServers, dialect);
  test(unlocked, dialect);
}
