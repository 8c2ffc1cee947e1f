/**
 * The demo province's organisations and their certificate coding blocks. The inbox's user directory (a later issue)
 * takes the people; this keeps what numbering needs. Stations not listed share the province's filing block, whose
 * serials stay unique because the sequence is keyed by the whole number prefix.
 */
import type { InstitutionCodes } from '../activities/certificates';

export const DEMO_PROVINCE = {
  stations: ['station-a', 'station-b'],
  guidanceCenter: 'center-1',
  department: 'department-1',
  trainingInstitutions: ['training-1'],
} as const;

const PROVINCE_CODE = '44';

const BLOCKS: Record<string, InstitutionCodes> = {
  'station-a': block('000001', '001'),
  'station-b': block('000002', '002'),
};

function block(siteSerial: string, institutionSerial: string): InstitutionCodes {
  return {
    category: 'S',
    institutionCode: '0000',
    provinceCode: PROVINCE_CODE,
    siteSerial,
    legacy: { provinceCode: PROVINCE_CODE, cityCode: '01', institutionType: 2, institutionSerial },
  };
}

export function institutionFor(stationId: string): InstitutionCodes {
  return BLOCKS[stationId] ?? block('000000', '000');
}
