/** Shared inputs for the domain tests: a valid application and ID numbers built with the real check character. */
import type { ApplicationInput, Evidence } from '../../domain/application';
import { idCheckCharacter } from '../../domain/idNumber';
import { Level } from '../../domain/levels';

export const TODAY = '2026-03-15';

/** A complete 18-character number from its first 17 digits. */
export function withCheckCharacter(first17: string): string {
  return first17 + idCheckCharacter(first17);
}

export function evidence(overrides: Partial<Evidence> = {}): Evidence {
  return {
    employedInOccupation: false,
    continuousWorkYears: 0,
    yearsInOccupation: 0,
    newLabourForce: false,
    heldCertificates: [],
    ...overrides,
  };
}

export function application(overrides: Partial<ApplicationInput> = {}): ApplicationInput {
  return {
    applicationNumber: 'APP-2026-0001',
    stationId: 'station-beijing-01',
    guidanceCenterId: 'center-beijing',
    departmentId: 'hrss-beijing',
    candidate: { name: 'Wang Fang', idType: 'resident-id', idNumber: '11010519491231002X', email: 'wang@example.org' },
    occupation: 'lathe-worker',
    level: Level.Primary,
    evidence: evidence({ employedInOccupation: true, continuousWorkYears: 2, yearsInOccupation: 2 }),
    documents: [
      { kind: 'id-document', reference: 'register/2026/0001/id' },
      { kind: 'photo', reference: 'register/2026/0001/photo.jpg' },
    ],
    ...overrides,
  };
}
