/**
 * Eligibility for each level (seed, section 11), as versioned rule sets. A case is judged by the rule set in force on
 * the day it was submitted, and the result explains itself: every line, every condition, met or not, with the facts
 * used in words.
 */
import type { ApplicationInput, HeldCertificate } from './application';
import { compareDates, moreThanYearsBetween, yearsBetween } from './dates';
import { Level, levelTitle } from './levels';

export interface Condition {
  id: string;
  description: string;
  met: boolean;
  /** The facts used, in words: 'holds level 5 certificate S00001... issued 2019-06-01 (7.4 years before submission)'. */
  evidence: string;
}

/** One way to qualify: met when all its conditions are met. Any one met line makes the candidate eligible. */
export interface RuleLine {
  id: string;
  description: string;
  met: boolean;
  conditions: Condition[];
}

export interface EligibilityResult {
  eligible: boolean;
  level: Level;
  ruleSetVersion: string;
  lines: RuleLine[];
}

/**
 * The thresholds of one version of the rules. Every threshold is exclusive, as the seed words them ("more than 5
 * years"): a value equal to the threshold does not meet it.
 */
export interface RuleSet {
  version: string;
  /** 'YYYY-MM-DD': cases submitted on or after this day are judged by this set, until a later set takes over. */
  effectiveFrom: string;
  /** Level 4: years of continuous work, beyond the primary certificate (seed: more than 5). */
  intermediateMinContinuousYears: number;
  /** Level 3: years holding the intermediate certificate (seed: more than 5). */
  advancedMinYearsHoldingIntermediate: number;
  /**
   * Level 2: years worked in the occupation that count as "rich practical experience". The seed gives no number;
   * the default of 8 years is a choice of this product (a level-3 holder on the school route has worked about 5
   * years in the occupation, so 8 asks for a few years of practice at the advanced level). Configurable.
   */
  technicianMinYearsInOccupation: number;
  /** Level 1: years as a technician, counted from the level-2 certificate's issue date (seed: more than 3). */
  seniorTechnicianMinYearsAsTechnician: number;
}

export const RULE_SETS: readonly RuleSet[] = Object.freeze([
  Object.freeze({
    version: '2026.1',
    effectiveFrom: '2000-01-01',
    intermediateMinContinuousYears: 5,
    advancedMinYearsHoldingIntermediate: 5,
    technicianMinYearsInOccupation: 8,
    seniorTechnicianMinYearsAsTechnician: 3,
  }),
]);

/** The rule set in force on `submittedOn`: the one with the latest effectiveFrom on or before it. */
export function ruleSetFor(submittedOn: string, sets: readonly RuleSet[] = RULE_SETS): RuleSet {
  let found: RuleSet | undefined;
  for (const set of sets) {
    if (
      compareDates(set.effectiveFrom, submittedOn) <= 0 &&
      (!found || compareDates(set.effectiveFrom, found.effectiveFrom) > 0)
    ) {
      found = set;
    }
  }
  if (!found) throw new RangeError(`no eligibility rule set is in force on ${submittedOn}`);
  return found;
}

/** The rule set with this version, to re-judge a case by the rules it was first judged by. */
export function findRuleSet(version: string, sets: readonly RuleSet[] = RULE_SETS): RuleSet | undefined {
  return sets.find((s) => s.version === version);
}

function condition(id: string, description: string, met: boolean, evidence: string): Condition {
  return { id, description, met, evidence };
}

function line(id: string, description: string, conditions: Condition[]): RuleLine {
  return { id, description, met: conditions.every((c) => c.met), conditions };
}

function years(n: number): string {
  return n === 1 ? '1 year' : `${n} years`;
}

function certificateWords(cert: HeldCertificate, submittedOn: string): string {
  const held = yearsBetween(cert.issuedOn, submittedOn);
  const when = held >= 0 ? `${years(held)} before submission` : 'after the submission date';
  return `holds level ${cert.level} certificate ${cert.number} issued ${cert.issuedOn} (${when})`;
}

/**
 * The candidate's certificates of `level` in the applied occupation that had been issued by the submission date,
 * longest held first. Certificates in other occupations do not count.
 */
function heldOf(app: ApplicationInput, level: Level, submittedOn: string): HeldCertificate[] {
  return app.evidence.heldCertificates
    .filter((c) => c.level === level && c.occupation === app.occupation && compareDates(c.issuedOn, submittedOn) <= 0)
    .sort((a, b) => compareDates(a.issuedOn, b.issuedOn));
}

function noCertificateWords(app: ApplicationInput, level: Level): string {
  const elsewhere = app.evidence.heldCertificates.filter((c) => c.level === level && c.occupation !== app.occupation);
  const base = `holds no level ${level} certificate in ${app.occupation}`;
  if (elsewhere.length === 0) return base;
  const list = elsewhere.map((c) => `${c.number} in ${c.occupation}`).join(', ');
  return `${base} (certificates in other occupations do not count: ${list})`;
}

/** Holds a certificate of `level` in the occupation, issued more than `minYears` before submission (when given). */
function holdsCertificate(
  id: string,
  app: ApplicationInput,
  level: Level,
  submittedOn: string,
  minYears?: number,
): Condition {
  const description =
    minYears === undefined
      ? `holds the ${levelTitle(level)} certificate in the occupation`
      : `has held the ${levelTitle(level)} certificate in the occupation for more than ${years(minYears)}`;
  const held = heldOf(app, level, submittedOn);
  if (held.length === 0) return condition(id, description, false, noCertificateWords(app, level));
  const cert = held[0];
  const met = minYears === undefined || moreThanYearsBetween(cert.issuedOn, submittedOn, minYears);
  return condition(id, description, met, certificateWords(cert, submittedOn));
}

function attested(id: string, description: string, value: boolean | undefined, yes: string, no: string): Condition {
  return condition(
    id,
    description,
    value === true,
    value === true ? `employer attests that the candidate ${yes}` : `not attested: ${no}`,
  );
}

function primaryLines(app: ApplicationInput, submittedOn: string): RuleLine[] {
  const { evidence } = app;
  const school = evidence.school;
  const vocational = school?.kind === 'vocational' && compareDates(school.graduatedOn, submittedOn) <= 0;
  return [
    line('primary.on-the-job', 'on-the-job employee in the occupation', [
      condition(
        'employed-in-occupation',
        'currently employed in the occupation',
        evidence.employedInOccupation,
        evidence.employedInOccupation
          ? `employer certifies current employment in ${app.occupation}`
          : `not currently employed in ${app.occupation}`,
      ),
    ]),
    line('primary.vocational-graduate', 'vocational-school graduate who completed an apprenticeship', [
      condition(
        'vocational-school-graduate',
        'graduated from a vocational school',
        vocational,
        school ? `${school.kind} school graduate of ${school.graduatedOn}` : 'no school graduation declared',
      ),
      condition(
        'apprenticeship-completed',
        'completed an apprenticeship',
        school?.apprenticeshipCompleted === true,
        school?.apprenticeshipCompleted ? 'apprenticeship completed' : 'no completed apprenticeship declared',
      ),
    ]),
  ];
}

function intermediateLines(app: ApplicationInput, rules: RuleSet, submittedOn: string): RuleLine[] {
  const { evidence } = app;
  const min = rules.intermediateMinContinuousYears;
  const school = evidence.school;
  const schoolMet =
    (school?.kind === 'technical' || school?.kind === 'approved-intermediate') &&
    compareDates(school.graduatedOn, submittedOn) <= 0;
  return [
    line(
      'intermediate.primary-certificate',
      `holds the primary certificate and has worked continuously for more than ${years(min)}`,
      [
        holdsCertificate('holds-level-5-certificate', app, Level.Primary, submittedOn),
        condition(
          'continuous-work',
          `has worked continuously for more than ${years(min)}`,
          evidence.continuousWorkYears > min,
          `employer certifies ${years(evidence.continuousWorkYears)} of continuous work`,
        ),
      ],
    ),
    line(
      'intermediate.school-graduate',
      'graduate of a technical school or a school approved to train intermediate skills',
      [
        condition(
          'technical-or-approved-school',
          'graduated from a technical school or a school approved to train intermediate skills',
          schoolMet,
          school ? `${school.kind} school graduate of ${school.graduatedOn}` : 'no school graduation declared',
        ),
      ],
    ),
  ];
}

function advancedLines(app: ApplicationInput, rules: RuleSet, submittedOn: string): RuleLine[] {
  const { evidence } = app;
  const min = rules.advancedMinYearsHoldingIntermediate;
  const trainedOn = evidence.seniorTrainingCompletedOn;
  const trained = trainedOn !== undefined && compareDates(trainedOn, submittedOn) <= 0;
  return [
    line(
      'advanced.intermediate-certificate',
      `has held the intermediate certificate for more than ${years(min)} and has worked in the occupation`,
      [
        holdsCertificate('holds-level-4-certificate', app, Level.Intermediate, submittedOn, min),
        condition(
          'worked-in-occupation',
          'has worked in the occupation',
          evidence.yearsInOccupation > 0,
          `${years(evidence.yearsInOccupation)} worked in ${app.occupation}`,
        ),
      ],
    ),
    line('advanced.senior-training', 'completed formal senior training with a completion certificate', [
      condition(
        'senior-training-completed',
        'completed formal senior training',
        trained,
        trainedOn === undefined
          ? 'no senior training completion declared'
          : `senior training completed on ${trainedOn}`,
      ),
    ]),
  ];
}

function technicianLines(app: ApplicationInput, rules: RuleSet, submittedOn: string): RuleLine[] {
  const { evidence } = app;
  const min = rules.technicianMinYearsInOccupation;
  return [
    line(
      'technician',
      'holds the advanced certificate, has rich practical experience, solves key problems and teaches',
      [
        holdsCertificate('holds-level-3-certificate', app, Level.Advanced, submittedOn),
        condition(
          'rich-practical-experience',
          `has rich practical experience (more than ${years(min)} in the occupation)`,
          evidence.yearsInOccupation > min,
          `${years(evidence.yearsInOccupation)} worked in ${app.occupation}`,
        ),
        attested(
          'solves-key-operational-problems',
          'can solve key operational problems',
          evidence.solvesKeyOperationalProblems,
          'solves key operational problems',
          'solving key operational problems',
        ),
        attested(
          'can-teach-intermediate-workers',
          'can teach intermediate workers',
          evidence.canTeachIntermediateWorkers,
          'can teach intermediate workers',
          'teaching intermediate workers',
        ),
      ],
    ),
  ];
}

function seniorTechnicianLines(app: ApplicationInput, rules: RuleSet, submittedOn: string): RuleLine[] {
  const { evidence } = app;
  const min = rules.seniorTechnicianMinYearsAsTechnician;
  const innovations = (evidence.technicalInnovations ?? []).filter((s) => s.trim() !== '');
  return [
    line(
      'senior-technician',
      `technician for more than ${years(min)}, with technical innovations, trains senior workers`,
      [
        holdsCertificate('technician-for-years', app, Level.Technician, submittedOn, min),
        condition(
          'technical-innovations',
          'has remarkable achievements in technical innovation',
          innovations.length > 0,
          innovations.length > 0
            ? `${innovations.length} technical innovation${innovations.length === 1 ? '' : 's'}: ${innovations.join('; ')}`
            : 'no technical innovations declared',
        ),
        attested(
          'can-train-senior-workers',
          'can train senior workers',
          evidence.canTrainSeniorWorkers,
          'can train senior workers',
          'training senior workers',
        ),
      ],
    ),
  ];
}

/**
 * Judges the application for the level it applies for, by `ruleSet`, as of `submittedOn` ('YYYY-MM-DD'). Pure: the
 * same input always gives the same, fully explained, result.
 */
export function evaluateEligibility(app: ApplicationInput, ruleSet: RuleSet, submittedOn: string): EligibilityResult {
  let lines: RuleLine[];
  switch (app.level) {
    case Level.Primary:
      lines = primaryLines(app, submittedOn);
      break;
    case Level.Intermediate:
      lines = intermediateLines(app, ruleSet, submittedOn);
      break;
    case Level.Advanced:
      lines = advancedLines(app, ruleSet, submittedOn);
      break;
    case Level.Technician:
      lines = technicianLines(app, ruleSet, submittedOn);
      break;
    case Level.SeniorTechnician:
      lines = seniorTechnicianLines(app, ruleSet, submittedOn);
      break;
    default:
      throw new RangeError(`unknown level ${String(app.level)}`);
  }
  return { eligible: lines.some((l) => l.met), level: app.level, ruleSetVersion: ruleSet.version, lines };
}
