/**
 * The organisation registry (records/organisations.ts): a station names the guidance center and the department it
 * reports to, and a station that issues certificates carries its coding block (JSON: the skill-level scheme's
 * category, institution code, province code and site serial, and the legacy scheme's codes).
 *
 * Until now both were code: a station reported to its province's only center and department, and the blocks of the
 * demo province's two stations were written into runtime/organisations.ts, every other station sharing the province's
 * filing block. The stations already in a database are given exactly what that code gave them, so the numbers they
 * issue next continue their sequences unchanged. These values belong to this step of history, not to the product.
 */
import { type Kysely, type Migration, sql } from 'kysely';

interface Row {
  id: string;
  kind: string;
  province: string;
}

const FORMER_SERIALS: Record<string, [siteSerial: string, institutionSerial: string]> = {
  'station-a': ['000001', '001'],
  'station-b': ['000002', '002'],
};

const formerBlock = (stationId: string) => {
  const [siteSerial, institutionSerial] = FORMER_SERIALS[stationId] ?? ['000000', '000'];
  return {
    category: 'S',
    institutionCode: '0000',
    provinceCode: '44',
    siteSerial,
    legacy: { provinceCode: '44', cityCode: '01', institutionType: 2, institutionSerial },
  };
};

export const organisationRegistry: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('organisations').addColumn('guidance_center_id', 'text').execute();
    await db.schema.alterTable('organisations').addColumn('department_id', 'text').execute();
    await db.schema.alterTable('organisations').addColumn('coding_block', 'text').execute();
    const rows = (await sql<Row>`SELECT id, kind, province FROM organisations ORDER BY id`.execute(db)).rows;
    const first = (province: string, kind: string) =>
      rows.find((row) => row.province === province && row.kind === kind)?.id ?? null;
    for (const station of rows.filter((row) => row.kind === 'station')) {
      await sql`
        UPDATE organisations
        SET guidance_center_id = ${first(station.province, 'guidance-center')},
            department_id = ${first(station.province, 'department')},
            coding_block = ${JSON.stringify(formerBlock(station.id))}
        WHERE id = ${station.id}`.execute(db);
    }
  },
};
