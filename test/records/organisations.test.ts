/**
 * The organisation registry's records: saving checks the whole change against the registry inside its transaction
 * and writes an audit entry per organisation created or changed (none for one sent again as it stands); and a database
 * of the release before the registry gets the reporting lines and coding blocks its stations had in code, so the
 * numbers they issue next continue their sequences.
 */
import test from 'ava';
import { auditTrailOf, verifyAuditChain } from '../../records/audit';
import { openDatabase } from '../../records/database';
import type { DialectName } from '../../records/dialect';
import { seedDemoOrganisations } from '../../records/demoProvince';
import {
  codingBlockOf,
  findRegistryEntry,
  type OrganisationEntry,
  organisationAuditKey,
  RegistryRefused,
  saveOrganisations,
} from '../../records/organisations';
import { DIALECTS, freshDatabase, migratedBefore } from './databases';

const NOW = new Date('2026-12-01T02:00:00Z');

const stationC: OrganisationEntry = {
  id: 'station-c',
  name: '南城职业技能鉴定站',
  kind: 'station',
  province: 'demo-province',
  guidanceCenterId: 'center-2',
  departmentId: 'department-1',
  codingBlock: {
    category: 'Y',
    institutionCode: '1234',
    provinceCode: '51',
    siteSerial: '000003',
    legacy: { provinceCode: '51', cityCode: '02', institutionType: 4, institutionSerial: '003' },
  },
};
const centerTwo: OrganisationEntry = { id: 'center-2', name: '第二指导中心', kind: 'guidance-center', province: 'p' };

const saved = test.macro({
  async exec(t, dialect: DialectName) {
    const { db } = await freshDatabase(t, dialect);
    await seedDemoOrganisations(db);
    // The station names a center that only the same change brings: checked together, they go in together.
    const error = await t.throwsAsync(saveOrganisations(db, [stationC], { by: 'admin', now: NOW }), {
      instanceOf: RegistryRefused,
    });
    t.deepEqual(error?.problems.get('station-c'), {
      guidanceCenterId: { key: 'organisations:refused.unknown', values: { id: 'center-2' } },
    });
    t.is(await findRegistryEntry(db, 'station-c'), undefined);
    t.deepEqual(await saveOrganisations(db, [stationC, centerTwo], { by: 'admin', now: NOW }), {
      created: ['station-c', 'center-2'],
      changed: [],
      unchanged: [],
    });
    t.deepEqual(await findRegistryEntry(db, 'station-c'), stationC);
    t.deepEqual(await saveOrganisations(db, [stationC], { by: 'admin', now: NOW }), {
      created: [],
      changed: [],
      unchanged: ['station-c'],
    });
    // A training institution sent with a reporting line keeps none: only a station reports or numbers.
    const school = {
      ...centerTwo,
      id: 'school-2',
      kind: 'training-institution' as const,
      departmentId: 'department-1',
    };
    await saveOrganisations(db, [school], { by: 'admin', now: NOW });
    t.is((await findRegistryEntry(db, 'school-2'))?.departmentId, undefined);
    t.deepEqual(
      (await auditTrailOf(db, organisationAuditKey('station-c'))).map((entry) => entry.action),
      ['organisation-created'],
    );
    t.true((await verifyAuditChain(db)).ok);
  },
  title: (_, dialect: DialectName) =>
    `${dialect}: a change is checked whole against the registry, and each addition is in the audit chain once`,
});

const migrated = test.macro({
  async exec(t, dialect: DialectName) {
    // A database of the release before the registry, with the demo province's organisations and a third station…
    const { target, before } = await migratedBefore(t, dialect, '0026');
    const org = (id: string, kind: string) => ({ id, name: id, kind, province: 'demo-province' });
    await before
      .insertInto('organisations')
      .values([
        org('center-1', 'guidance-center'),
        org('department-1', 'department'),
        org('station-a', 'station'),
        org('station-b', 'station'),
        org('station-z', 'station'),
      ] as never)
      .execute();
    await before.destroy();
    // …gets what the code gave each station: its own block, or the province's filing block.
    const db = await openDatabase(target);
    t.teardown(() => db.destroy());
    t.like(await findRegistryEntry(db, 'station-a'), {
      guidanceCenterId: 'center-1',
      departmentId: 'department-1',
      codingBlock: { siteSerial: '000001', legacy: { institutionSerial: '001' } },
    });
    t.like(await codingBlockOf(db, 'station-b'), { siteSerial: '000002', provinceCode: '44' });
    t.like(await codingBlockOf(db, 'station-z'), { siteSerial: '000000', legacy: { institutionSerial: '000' } });
    t.is(await codingBlockOf(db, 'center-1'), undefined);
  },
  title: (_, dialect: DialectName) =>
    `${dialect}: stations of the release before the registry keep the blocks and reporting lines they had`,
});

for (const dialect of DIALECTS) {
  test(saved, dialect);
  test(migrated, dialect);
}
