import test from 'ava';
import { deactivateAccount } from '../../records/accounts';
import { openDatabase } from '../../records/database';
import type { DialectName } from '../../records/dialect';
import {
  authenticate,
  directoryNames,
  emailsOfGroup,
  findUser,
  hashPassword,
  listOrganisations,
  listUsers,
  setLanguage,
  setPassword,
  verifyPassword,
} from '../../records/directory';
import { DEMO_ORGANISATIONS, DEMO_PASSWORD, seedDemoDirectory } from '../../records/demoProvince';
import { codingBlockOf, listRegistry } from '../../records/organisations';
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
    // The registry as the seed file has it, on either database: the stations' reporting lines and coding blocks too.
    t.deepEqual(
      await listRegistry(db),
      [...DEMO_ORGANISATIONS].sort((a, b) => a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id)),
    );
    t.deepEqual(await codingBlockOf(db, 'station-b'), {
      category: 'S',
      institutionCode: '0000',
      provinceCode: '44',
      siteSerial: '000002',
      legacy: { provinceCode: '44', cityCode: '01', institutionType: 2, institutionSerial: '002' },
    });
    t.deepEqual((await listUsers(db)).map((user) => user.id).sort(), Object.keys(DEMO_USERS).sort());
    t.like(await findUser(db, 'zhao.station-b-reviewer'), {
      organisationId: 'station-b',
      roles: ['station-b:reviewers'],
    });
    t.like(await findUser(db, 'admin'), { organisationId: 'department-1', roles: ['administrators'] });
    // A group's notices go to its active members' addresses, read through the group's index.
    t.deepEqual(await emailsOfGroup(db, 'station-a:examiners'), [
      'chen.examiner@qualiflow.example',
      'ma.examiner@qualiflow.example',
    ]);
    await deactivateAccount(db, { username: 'ma.examiner', by: 'admin', reason: 'Left the station.', now: new Date() });
    t.deepEqual(await emailsOfGroup(db, 'station-a:examiners'), ['chen.examiner@qualiflow.example']);
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

const namesAcrossServers = test.macro({
  async exec(t, dialect: DialectName) {
    // Two web servers over one database: each its own connection, and so its own copy of the names.
    const { db: here, target } = await freshDatabase(t, dialect);
    const there = await openDatabase(target);
    t.teardown(() => there.destroy());
    await seedDemoDirectory(here);

    const first = await directoryNames(here);
    t.is(first.people.get('li.station-reviewer'), '李伟');
    t.is(first.organisations.get('station-a'), '东城职业技能鉴定站');
    t.is(await directoryNames(here), first, 'nothing written: the same copy, not the directory read again');
    t.is((await directoryNames(there)).people.get('li.station-reviewer'), '李伟');

    // Written through the other server, or typed in psql: not through any function of records/directory.ts.
    await there.updateTable('users').set({ name: '李伟明' }).where('id', '=', 'li.station-reviewer').execute();
    t.is((await directoryNames(here)).people.get('li.station-reviewer'), '李伟明', 'a renamed person');

    await there
      .insertInto('organisations')
      .values({ id: 'station-c', name: '南城职业技能鉴定站', kind: 'station', province: 'demo-province' })
      .execute();
    await there.updateTable('organisations').set({ name: '东城区鉴定站' }).where('id', '=', 'station-a').execute();
    const organisations = (await directoryNames(here)).organisations;
    t.is(organisations.get('station-c'), '南城职业技能鉴定站', 'a new organisation');
    t.is(organisations.get('station-a'), '东城区鉴定站', 'a renamed organisation');

    await there.deleteFrom('user_groups').where('user_id', '=', 'feng.trainer').execute();
    await there.deleteFrom('users').where('id', '=', 'feng.trainer').execute();
    t.false((await directoryNames(here)).people.has('feng.trainer'), 'a removed account');

    // Choosing a language also writes to users: the names are read again, and are the same.
    const before = await directoryNames(here);
    await setLanguage(there, 'sun.clerk', 'en');
    const after = await directoryNames(here);
    t.not(after, before);
    t.deepEqual([...after.people].sort(), [...before.people].sort());
  },
  title: (_, dialect: DialectName) =>
    `${dialect}: a web server's names are read again after a change made through another one, and only then`,
});

for (const dialect of DIALECTS) test(namesAcrossServers, dialect);

test('a password hash carries its salt and parameters, and only the password verifies', async (t) => {
  const hash = await hashPassword('correct horse');
  t.regex(hash, /^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
  t.not(await hashPassword('correct horse'), hash, 'a fresh salt each time');
  t.true(await verifyPassword('correct horse', hash));
  t.false(await verifyPassword('correct horse battery', hash));
  t.false(await verifyPassword('correct horse', 'plain text'));
  t.false(await verifyPassword('correct horse', hash.replace('$32768$', '$3$')), 'parameters scrypt refuses');
});
