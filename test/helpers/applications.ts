/**
 * Valid applications for each level, as a station would enter them. Each call gives a fresh application number so
 * tests never share a workflow id.
 */
import type { ApplicationInput, Evidence } from '../../domain/application';
import { applicationNumberPrefix } from '../../domain/applicationNumber';
import { idCheckCharacter } from '../../domain/idNumber';
import { Level } from '../../domain/levels';

let counter = 0;

/** A number of the station's own (domain/applicationNumber.ts), unique to this test process. */
export function nextApplicationNumber(stationId = 'station-a'): string {
  counter += 1;
  const unique = `T${Date.now().toString(36).toUpperCase()}-${process.pid}-${counter}`;
  return `${applicationNumberPrefix(stationId)}-${unique}`.slice(0, 40);
}

let idCounter = 0;

/**
 * A valid resident ID number, another for each application: intake refuses a second open case of one person in the
 * same occupation and level (runtime/intakeDuplicates.ts), so tests' applications are different people.
 */
export function nextIdNumber(): string {
  idCounter += 1;
  const first17 = `11010519750505${String(idCounter % 1000).padStart(3, '0')}`;
  return first17 + idCheckCharacter(first17);
}
const base = (
  level: Level,
  evidence: Partial<Evidence>,
  extraDocs: ApplicationInput['documents'] = [],
): ApplicationInput => ({
  applicationNumber: nextApplicationNumber(),
  stationId: 'station-a',
  guidanceCenterId: 'center-1',
  departmentId: 'department-1',
  candidate: {
    name: 'Wang Fang',
    idType: 'resident-id',
    idNumber: nextIdNumber(),
    email: 'wang.fang@example.org',
  },
  occupation: 'baker',
  level,
  evidence: {
    employedInOccupation: true,
    continuousWorkYears: 2,
    yearsInOccupation: 2,
    newLabourForce: false,
    heldCertificates: [],
    ...evidence,
  },
  documents: [
    { kind: 'id-document', reference: 'register/id' },
    { kind: 'photo', reference: 'register/photo.jpg' },
    ...extraDocs,
  ],
});

const held = (level: Level, issuedOn: string) => ({
  level,
  occupation: 'baker',
  number: `S000044000001${issuedOn.slice(2, 4)}${level}000001`,
  issuedOn,
});

/** An eligible application at the given level (the first rule line of each level is met). */
export function applicationFor(level: Level, overrides: Partial<ApplicationInput> = {}): ApplicationInput {
  if (overrides.stationId && !overrides.applicationNumber) {
    overrides = { ...overrides, applicationNumber: nextApplicationNumber(overrides.stationId) };
  }
  const technical = [{ kind: 'technical-summary' as const, reference: 'register/summary.pdf' }];
  switch (level) {
    case Level.Primary:
      return { ...base(level, {}), ...overrides };
    case Level.Intermediate:
      return {
        ...base(level, { continuousWorkYears: 7, heldCertificates: [held(Level.Primary, '2015-05-01')] }),
        ...overrides,
      };
    case Level.Advanced:
      return {
        ...base(level, { yearsInOccupation: 10, heldCertificates: [held(Level.Intermediate, '2015-05-01')] }),
        ...overrides,
      };
    case Level.Technician:
      return {
        ...base(
          level,
          {
            yearsInOccupation: 12,
            heldCertificates: [held(Level.Advanced, '2016-05-01')],
            solvesKeyOperationalProblems: true,
            canTeachIntermediateWorkers: true,
          },
          technical,
        ),
        ...overrides,
      };
    case Level.SeniorTechnician:
      return {
        ...base(
          level,
          {
            yearsInOccupation: 20,
            heldCertificates: [held(Level.Technician, '2018-05-01')],
            technicalInnovations: ['A faster dough-proofing line'],
            canTrainSeniorWorkers: true,
          },
          technical,
        ),
        ...overrides,
      };
  }
}

/**
 * Employment-access occupation, new labour force: the case goes through training. Not yet employed, so it qualifies
 * for level 5 by the other line: a vocational-school graduate who completed an apprenticeship.
 */
export function applicationNeedingTraining(): ApplicationInput {
  return applicationFor(Level.Primary, {
    occupation: 'welder',
    trainingInstitutionId: 'training-1',
    evidence: {
      ...applicationFor(Level.Primary).evidence,
      newLabourForce: true,
      employedInOccupation: false,
      school: { kind: 'vocational', graduatedOn: '2025-07-01', apprenticeshipCompleted: true },
    },
  });
}

/** Nobody at the level's conditions: the eligibility check ends the case. */
export function ineligibleApplication(): ApplicationInput {
  return applicationFor(Level.Intermediate, {
    evidence: { ...applicationFor(Level.Primary).evidence, heldCertificates: [], continuousWorkYears: 1 },
  });
}
