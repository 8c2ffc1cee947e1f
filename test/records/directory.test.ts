import test from 'ava';
import type { DialectName } from '../../records/dialect';
import {
  authenticate,
  DEMO_PASSWORD,
  findUser,
  hashPassword,
  listOrganisations,
  listUsers,
  seedDemoDirectory,
  setPassword,
  verifyPassword,
} from '../../records/directory';
import { DEMO_USERS } from '../../runtime/directory';
import { DIALECTS, freshDatabase } from './databases';

const seeded = test.macro({
  async exec(t, dialect: DialectName) {
    const { db } = await freshDatabase(t, dialect);
    t.deepEqual(await seedDemoDirectory(db), { created: Object.keys(DEMO_USERS).length });
    await setPassword(db, 'sun.clerk', 'a better password');
    // Seeding again (every start does) adds nothing and keeps the changed password.
    t.deepEqual(await seedDemoDirectory(db), { created: 0 });

    t.deepEqual(
      (await listOrganisations(db)).map((org) => [org.id, org.kind]),
      [
        ['center-1', 'guidance-center'],
        ['department-1', 'department'],
        ['station-a', 'station'],
        ['station-b', 'station'],
        ['training-1', 'training-institution'],
      ],
    );
    t.deepEqual((await listUsers(db)).map((user) => user.id).sort(), Object.keys(DEMO_USERS).sort());
    t.like(await findUser(db, 'zhao.station-b-reviewer'), {
      organisationId: 'station-b',
      roles: ['station-b:reviewers'],
    });
    t.like(await findUser(db, 'admin'), { organisationId: 'department-1', roles: ['administrators'] });
    t.deepEqual(
      (await listUsers(db, 'center-1')).map((user) => user.id),
      ['qian.center-supervisor', 'wu.center-reviewer'],
    );

    t.like(await authenticate(db, 'li.station-reviewer', DEMO_PASSWORD), { id: 'li.station-reviewer' });
    t.is(await authenticate(db, 'li.station-reviewer', 'qualiflow-demo '), undefined);
    t.is(await authenticate(db, 'sun.clerk', DEMO_PASSWORD), undefined);
    t.like(await authenticate(db, 'sun.clerk', 'a better password'), { id: 'sun.clerk' });
    t.is(await authenticate(db, 'nobody', DEMO_PASSWORD), undefined);
  },
  title: (_, dialect: DialectName) =>
    `${dialect}: the demo province is seeded once, and its people sign in with the demo password`,
});

for (const dialect of DIALECTS) test(seeded, dialect);

test('a password hash carries its salt and parameters, and only the password verifies', async (t) => {
  const hash = await hashPassword('correct horse');
  t.regex(hash, /^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
  t.not(await hashPassword('correct horse'), hash, 'a fresh salt each time');
  t.true(await verifyPassword('correct horse', hash));
  t.false(await verifyPassword('correct horse battery', hash));
  t.false(await verifyPassword('correct horse', 'plain text'));
  t.false(await verifyPassword('correct horse', hash.replace('$32768$', '$3$')), 'parameters scrypt refuses');
});
