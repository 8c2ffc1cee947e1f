import test from 'ava';
import type { ApplicationInput, Evidence, HeldCertificate } from '../../domain/application';
import {
  evaluateEligibility,
  findRuleSet,
  RULE_SETS,
  ruleSetFor,
  type EligibilityResult,
  type RuleSet,
} from '../../domain/eligibility';
import { Level } from '../../domain/levels';
import { message } from '../../domain/messages';
import { translator } from '../../i18n';
import { application, evidence } from './fixtures';

const SUBMITTED = '2026-03-15';
const RULES = RULE_SETS[0];

function judge(
  level: Level,
  facts: Partial<Evidence>,
  submittedOn = SUBMITTED,
  rules: RuleSet = RULES,
): EligibilityResult {
  const app: ApplicationInput = application({ level, evidence: evidence(facts) });
  return evaluateEligibility(app, rules, submittedOn);
}

function cert(
  level: Level,
  issuedOn: string,
  occupation = 'lathe-worker',
  number = `S00001100000${level}`,
): HeldCertificate {
  return { level, occupation, number, issuedOn };
}

/** The lines as '<id>: met|not met' and each condition as '<id>: met|not met — <evidence>', for readable failures. */
function explain(result: EligibilityResult): string[] {
  return result.lines.flatMap((l) => [
    `${l.id}: ${l.met ? 'met' : 'not met'}`,
    ...l.conditions.map((c) => `  ${c.id}: ${c.met ? 'met' : 'not met'} — ${c.evidence}`),
  ]);
}

test('the rule set in force from 2000 is version 2026.1 with the documented thresholds', (t) => {
  t.deepEqual(ruleSetFor('2026-03-15'), {
    version: '2026.1',
    effectiveFrom: '2000-01-01',
    intermediateMinContinuousYears: 5,
    advancedMinYearsHoldingIntermediate: 5,
    technicianMinYearsInOccupation: 8,
    seniorTechnicianMinYearsAsTechnician: 3,
  });
  t.is(findRuleSet('2026.1'), RULES);
  t.is(findRuleSet('1999.1'), undefined);
});

test('a case is judged by the rule set in force on the day it was submitted', (t) => {
  const sets: RuleSet[] = [
    { ...RULES, version: '2027.1', effectiveFrom: '2027-01-01', intermediateMinContinuousYears: 4 },
    RULES,
    { ...RULES, version: '2026.2', effectiveFrom: '2026-07-01' },
  ];
  t.is(ruleSetFor('2026-06-30', sets).version, '2026.1');
  t.is(ruleSetFor('2026-07-01', sets).version, '2026.2');
  t.is(ruleSetFor('2026-12-31', sets).version, '2026.2');
  t.is(ruleSetFor('2027-01-01', sets).version, '2027.1');
  t.is(findRuleSet('2026.2', sets)?.effectiveFrom, '2026-07-01');
});

test('no rule set is in force before the first one takes effect', (t) => {
  t.throws(() => ruleSetFor('1999-12-31'), {
    instanceOf: RangeError,
    message: 'no eligibility rule set is in force on 1999-12-31',
  });
});

test('the result names the level and the rule set version it was judged by', (t) => {
  const result = judge(Level.Primary, { employedInOccupation: true });
  t.is(result.level, Level.Primary);
  t.is(result.ruleSetVersion, '2026.1');
});

// Level 5, primary.

test('an on-the-job employee is eligible for level 5', (t) => {
  const result = judge(Level.Primary, { employedInOccupation: true });
  t.true(result.eligible);
  t.deepEqual(explain(result), [
    'primary.on-the-job: met',
    '  employed-in-occupation: met — employer certifies current employment in lathe-worker',
    'primary.vocational-graduate: not met',
    '  vocational-school-graduate: not met — no school graduation declared',
    '  apprenticeship-completed: not met — no completed apprenticeship declared',
  ]);
});

test('a vocational-school graduate who completed an apprenticeship is eligible for level 5', (t) => {
  const result = judge(Level.Primary, {
    school: { kind: 'vocational', graduatedOn: '2025-07-01', apprenticeshipCompleted: true },
  });
  t.true(result.eligible);
  t.deepEqual(explain(result), [
    'primary.on-the-job: not met',
    '  employed-in-occupation: not met — not currently employed in lathe-worker',
    'primary.vocational-graduate: met',
    '  vocational-school-graduate: met — vocational school graduate of 2025-07-01',
    '  apprenticeship-completed: met — apprenticeship completed',
  ]);
});

test('a vocational-school graduate without an apprenticeship is not eligible for level 5', (t) => {
  const result = judge(Level.Primary, {
    school: { kind: 'vocational', graduatedOn: '2025-07-01', apprenticeshipCompleted: false },
  });
  t.false(result.eligible);
  t.deepEqual(
    result.lines[1].conditions.map((c) => c.met),
    [true, false],
  );
});

test('a technical-school graduate is not a vocational-school graduate for level 5', (t) => {
  const result = judge(Level.Primary, {
    school: { kind: 'technical', graduatedOn: '2025-07-01', apprenticeshipCompleted: true },
  });
  t.false(result.eligible);
  t.is(result.lines[1].conditions[0].evidence, 'technical school graduate of 2025-07-01');
});

// Level 4, intermediate.

test('a primary certificate holder with more than 5 years of continuous work is eligible for level 4', (t) => {
  const result = judge(Level.Intermediate, {
    continuousWorkYears: 6,
    heldCertificates: [cert(Level.Primary, '2019-06-01', 'lathe-worker', 'S000011000001195000123')],
  });
  t.true(result.eligible);
  t.deepEqual(explain(result), [
    'intermediate.primary-certificate: met',
    '  holds-level-5-certificate: met — holds level 5 certificate S000011000001195000123 issued 2019-06-01 (6.7 years before submission)',
    '  continuous-work: met — employer certifies 6 years of continuous work',
    'intermediate.school-graduate: not met',
    '  technical-or-approved-school: not met — no school graduation declared',
  ]);
});

test('exactly 5 years of continuous work is not more than 5 for level 4', (t) => {
  const result = judge(Level.Intermediate, {
    continuousWorkYears: 5,
    heldCertificates: [cert(Level.Primary, '2019-06-01')],
  });
  t.false(result.eligible);
  t.deepEqual(
    result.lines[0].conditions.map((c) => [c.id, c.met]),
    [
      ['holds-level-5-certificate', true],
      ['continuous-work', false],
    ],
  );
  t.is(result.lines[0].conditions[1].description, 'has worked continuously for more than 5 years');
});

test('a primary certificate in another occupation does not count for level 4', (t) => {
  const result = judge(Level.Intermediate, {
    continuousWorkYears: 9,
    heldCertificates: [cert(Level.Primary, '2015-06-01', 'welder', '1510012003500001')],
  });
  t.false(result.eligible);
  t.deepEqual(
    result.lines[0].conditions[0].said?.evidence,
    message('case:eligibility.evidence.noCertificateElsewhere', {
      level: 5,
      occupation: 'lathe-worker',
      others: '1510012003500001 (welder)',
    }),
  );
  t.is(
    result.lines[0].conditions[0].evidence,
    'holds no level 5 certificate in lathe-worker; certificates in other occupations do not count: 1510012003500001 (welder)',
  );
});

const schoolForIntermediate = test.macro({
  exec(t, kind: 'technical' | 'approved-intermediate' | 'vocational', eligible: boolean) {
    const result = judge(Level.Intermediate, {
      school: { kind, graduatedOn: '2024-07-01', apprenticeshipCompleted: false },
    });
    t.is(result.eligible, eligible);
    t.is(result.lines[1].conditions[0].evidence, `${kind} school graduate of 2024-07-01`);
  },
  title: (_provided, kind: string, eligible: boolean) =>
    `a ${kind} school graduate is ${eligible ? '' : 'not '}eligible for level 4 by school`,
});

test(schoolForIntermediate, 'technical', true);
test(schoolForIntermediate, 'approved-intermediate', true);
test(schoolForIntermediate, 'vocational', false);

test('a rule set with a lower threshold admits what the default refuses', (t) => {
  const facts = { continuousWorkYears: 5, heldCertificates: [cert(Level.Primary, '2019-06-01')] };
  t.false(judge(Level.Intermediate, facts).eligible);
  t.true(judge(Level.Intermediate, facts, SUBMITTED, { ...RULES, intermediateMinContinuousYears: 4 }).eligible);
});

// Level 3, advanced.

test('an intermediate certificate held for more than 5 years, with work in the occupation, qualifies for level 3', (t) => {
  const result = judge(Level.Advanced, {
    yearsInOccupation: 9,
    heldCertificates: [cert(Level.Intermediate, '2020-03-14', 'lathe-worker', '2010012003400007')],
  });
  t.true(result.eligible);
  t.deepEqual(explain(result), [
    'advanced.intermediate-certificate: met',
    '  holds-level-4-certificate: met — holds level 4 certificate 2010012003400007 issued 2020-03-14 (6 years before submission)',
    '  worked-in-occupation: met — 9 years worked in lathe-worker',
    'advanced.senior-training: not met',
    '  senior-training-completed: not met — no senior training completion declared',
  ]);
});

test('an intermediate certificate held exactly 5 years is not held more than 5 years', (t) => {
  const result = judge(Level.Advanced, {
    yearsInOccupation: 9,
    heldCertificates: [cert(Level.Intermediate, '2021-03-15')],
  });
  t.false(result.eligible);
  t.false(result.lines[0].conditions[0].met);
  t.regex(result.lines[0].conditions[0].evidence, /issued 2021-03-15 \(5 years before submission\)$/);
  t.true(
    judge(Level.Advanced, { yearsInOccupation: 9, heldCertificates: [cert(Level.Intermediate, '2021-03-14')] })
      .eligible,
  );
});

test('the longest-held intermediate certificate is the one judged', (t) => {
  const result = judge(Level.Advanced, {
    yearsInOccupation: 12,
    heldCertificates: [
      cert(Level.Intermediate, '2024-01-01', 'lathe-worker', 'NEWER'),
      cert(Level.Intermediate, '2018-01-01', 'lathe-worker', 'OLDER'),
    ],
  });
  t.true(result.eligible);
  t.regex(result.lines[0].conditions[0].evidence, /certificate OLDER issued 2018-01-01/);
});

test('an intermediate certificate without work in the occupation is not enough for level 3', (t) => {
  const result = judge(Level.Advanced, {
    yearsInOccupation: 0,
    heldCertificates: [cert(Level.Intermediate, '2015-01-01')],
  });
  t.false(result.eligible);
  t.deepEqual(
    result.lines[0].conditions.map((c) => [c.met, c.evidence]),
    [
      [true, 'holds level 4 certificate S000011000004 issued 2015-01-01 (11.2 years before submission)'],
      [false, '0 years worked in lathe-worker'],
    ],
  );
});

test('completed senior training qualifies for level 3', (t) => {
  const result = judge(Level.Advanced, { seniorTrainingCompletedOn: '2025-12-20' });
  t.true(result.eligible);
  t.deepEqual(result.lines[1].conditions[0], {
    id: 'senior-training-completed',
    description: 'completed formal senior training',
    met: true,
    evidence: 'senior training completed on 2025-12-20',
    said: {
      description: message('case:eligibility.condition.senior-training-completed'),
      evidence: message('case:eligibility.evidence.seniorTraining', { date: '2025-12-20' }),
    },
  });
});

test('senior training completed after the submission date does not count', (t) => {
  t.false(judge(Level.Advanced, { seniorTrainingCompletedOn: '2026-04-01' }).eligible);
});

// Level 2, technician.

const technicianFacts: Partial<Evidence> = {
  yearsInOccupation: 12,
  heldCertificates: [cert(Level.Advanced, '2022-09-01', 'lathe-worker', 'S000011000001223000042')],
  solvesKeyOperationalProblems: true,
  canTeachIntermediateWorkers: true,
};

test('an advanced holder with rich experience who solves key problems and teaches is eligible for level 2', (t) => {
  const result = judge(Level.Technician, technicianFacts);
  t.true(result.eligible);
  t.deepEqual(explain(result), [
    'technician: met',
    '  holds-level-3-certificate: met — holds level 3 certificate S000011000001223000042 issued 2022-09-01 (3.5 years before submission)',
    '  rich-practical-experience: met — 12 years worked in lathe-worker',
    '  solves-key-operational-problems: met — employer attests that the candidate solves key operational problems',
    '  can-teach-intermediate-workers: met — employer attests that the candidate can teach intermediate workers',
  ]);
});

test('level 2 needs every condition of its single line', (t) => {
  const without = (facts: Partial<Evidence>) => judge(Level.Technician, { ...technicianFacts, ...facts });
  const notMet = (result: EligibilityResult) => result.lines[0].conditions.filter((c) => !c.met).map((c) => c.evidence);
  t.deepEqual(notMet(without({ heldCertificates: [] })), ['holds no level 3 certificate in lathe-worker']);
  t.deepEqual(notMet(without({ yearsInOccupation: 8 })), ['8 years worked in lathe-worker']);
  t.deepEqual(notMet(without({ solvesKeyOperationalProblems: undefined })), [
    'not attested: solving key operational problems',
  ]);
  t.deepEqual(notMet(without({ canTeachIntermediateWorkers: false })), ['not attested: teaching intermediate workers']);
  t.false(without({ canTeachIntermediateWorkers: false }).eligible);
});

test('the rich-experience threshold of level 2 is part of the rule set', (t) => {
  const facts = { ...technicianFacts, yearsInOccupation: 6 };
  t.false(judge(Level.Technician, facts).eligible);
  t.is(
    judge(Level.Technician, facts).lines[0].conditions[1].description,
    'has rich practical experience (more than 8 years in the occupation)',
  );
  t.true(judge(Level.Technician, facts, SUBMITTED, { ...RULES, technicianMinYearsInOccupation: 5 }).eligible);
});

// Level 1, senior technician.

const seniorFacts: Partial<Evidence> = {
  yearsInOccupation: 20,
  heldCertificates: [cert(Level.Technician, '2022-01-10', 'lathe-worker', 'Y000123004567222000009')],
  technicalInnovations: ['fixture for thin-walled sleeves', 'coolant recycling on line 3'],
  canTrainSeniorWorkers: true,
};

test('a technician of more than 3 years with innovations who trains senior workers is eligible for level 1', (t) => {
  const result = judge(Level.SeniorTechnician, seniorFacts);
  t.true(result.eligible);
  t.deepEqual(explain(result), [
    'senior-technician: met',
    '  technician-for-years: met — holds level 2 certificate Y000123004567222000009 issued 2022-01-10 (4.1 years before submission)',
    '  technical-innovations: met — 2 technical innovations: fixture for thin-walled sleeves; coolant recycling on line 3',
    '  can-train-senior-workers: met — employer attests that the candidate can train senior workers',
  ]);
});

test('a technician of exactly 3 years is not eligible for level 1', (t) => {
  const result = judge(Level.SeniorTechnician, {
    ...seniorFacts,
    heldCertificates: [cert(Level.Technician, '2023-03-15')],
  });
  t.false(result.eligible);
  t.false(result.lines[0].conditions[0].met);
  t.is(
    result.lines[0].conditions[0].description,
    'has held the Level 2 (technician) certificate in the occupation for more than 3 years',
  );
});

test('level 1 without innovations or without training senior workers is not eligible', (t) => {
  const noInnovation = judge(Level.SeniorTechnician, { ...seniorFacts, technicalInnovations: [] });
  t.false(noInnovation.eligible);
  t.is(noInnovation.lines[0].conditions[1].evidence, 'no technical innovations declared');
  const noTraining = judge(Level.SeniorTechnician, { ...seniorFacts, canTrainSeniorWorkers: false });
  t.false(noTraining.eligible);
  t.is(noTraining.lines[0].conditions[2].evidence, 'not attested: training senior workers');
});

test('a certificate of a lower level does not stand in for the level below the one applied for', (t) => {
  const result = judge(Level.SeniorTechnician, {
    ...seniorFacts,
    heldCertificates: [cert(Level.Advanced, '2010-01-01')],
  });
  t.false(result.eligible);
  t.is(result.lines[0].conditions[0].evidence, 'holds no level 2 certificate in lathe-worker');
});

test('a certificate issued after the submission date does not count', (t) => {
  const result = judge(Level.Technician, {
    ...technicianFacts,
    heldCertificates: [cert(Level.Advanced, '2026-03-16')],
  });
  t.false(result.eligible);
});

test('the same facts judged on a later submission date can become eligible', (t) => {
  const facts = { yearsInOccupation: 7, heldCertificates: [cert(Level.Intermediate, '2021-06-01')] };
  t.false(judge(Level.Advanced, facts, '2026-06-01').eligible);
  t.true(judge(Level.Advanced, facts, '2026-06-02').eligible);
});

/** Every level judged on facts that meet and miss each of its conditions: every line, condition and evidence said. */
function everyExplanation(): EligibilityResult[] {
  const held = [
    cert(Level.Primary, '2015-06-01'),
    cert(Level.Intermediate, '2015-06-01'),
    cert(Level.Advanced, '2015-06-01'),
    cert(Level.Technician, '2015-06-01'),
    cert(Level.Primary, '2015-06-01', 'welder', '1510012003500001'),
  ];
  const rich: Partial<Evidence> = {
    employedInOccupation: true,
    continuousWorkYears: 1,
    yearsInOccupation: 12,
    heldCertificates: held,
    school: { kind: 'vocational', graduatedOn: '2010-07-01', apprenticeshipCompleted: true },
    seniorTrainingCompletedOn: '2020-01-01',
    solvesKeyOperationalProblems: true,
    canTeachIntermediateWorkers: true,
    canTrainSeniorWorkers: true,
    technicalInnovations: ['a better jig'],
  };
  const poor: Partial<Evidence> = {
    heldCertificates: [cert(Level.Advanced, '2015-06-01', 'welder', '1510012003300001')],
  };
  const technical: Partial<Evidence> = {
    school: { kind: 'technical', graduatedOn: '2010-07-01', apprenticeshipCompleted: false },
  };
  const approved: Partial<Evidence> = {
    school: { kind: 'approved-intermediate', graduatedOn: '2010-07-01', apprenticeshipCompleted: false },
  };
  return [Level.Primary, Level.Intermediate, Level.Advanced, Level.Technician, Level.SeniorTechnician].flatMap(
    (level) => [rich, poor, technical, approved].map((facts) => judge(level, facts)),
  );
}

test('every line, condition and piece of evidence is said by a catalogue key, in English as the result says it', (t) => {
  const en = translator('en');
  const zh = translator('zh-CN');
  const keys = new Set<string>();
  for (const result of everyExplanation()) {
    for (const line of result.lines) {
      const said = [line.said!.description, ...line.conditions.flatMap((c) => [c.said!.description, c.said!.evidence])];
      said.forEach((s) => keys.add(s.key));
      t.is(en(line.said!.description.key, line.said!.description.values), line.description);
      for (const condition of line.conditions) {
        t.is(en(condition.said!.description.key, condition.said!.description.values), condition.description);
        t.is(en(condition.said!.evidence.key, condition.said!.evidence.values), condition.evidence);
      }
      for (const { key, values } of said) t.regex(zh(key, values), /\p{Script=Han}/u, `${key} in Chinese`);
    }
  }
  t.true(keys.size > 40, `only ${keys.size} keys: the facts no longer reach every sentence`);
});
