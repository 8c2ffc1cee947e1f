/**
 * Eligibility for each level (seed, section 11), as versioned rule sets. A case is judged by the rule set in force on
 * the day it was submitted, and the result explains itself: every line, every condition, met or not, with the facts
 * used in words: as Messages for the reader's language (the `case` catalogue's `eligibility` entries, keyed by the
 * lines' and conditions' ids) and in English beside them.
 */
import type { ApplicationInput, HeldCertificate } from './application';
import { compareDates, moreThanYearsBetween, yearsBetween } from './dates';
import { englishText } from './englishText';
import { Level } from './levels';
import { type Message, type MessageValue, message } from './messages';

export interface Condition {
  id: string;
  /** In English, for the API and logs; `said.description` is the same as a Message, for pages. */
  description: string;
  met: boolean;
  /** The facts used, in words: 'holds level 5 certificate S00001... issued 2019-06-01 (7.4 years before submission)'. */
  evidence: string;
  /**
   * The description and the evidence as Messages (`case:eligibility.*`), to show in the reader's language. Absent from
   * results recorded before they were added; those show their English words.
   */
  said?: { description: Message; evidence: Message };
}

/** One way to qualify: met when all its conditions are met. Any one met line makes the candidate eligible. */
export interface RuleLine {
  id: string;
  description: string;
  met: boolean;
  conditions: Condition[];
  /** The description as a Message, as for a condition. */
  said?: { description: Message };
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

const said = (key: string, values?: Record<string, MessageValue>): Message =>
  message(`case:eligibility.${key}`, values);

/** A condition, described by its id; `years` is the threshold its description names, where it names one. */
function condition(id: string, met: boolean, evidence: Message, years?: number): Condition {
  const description = said(`condition.${id}`, years === undefined ? undefined : { count: years });
  return {
    id,
    description: englishText(description),
    met,
    evidence: englishText(evidence),
    said: { description, evidence },
  };
}

function line(id: string, conditions: Condition[], years?: number): RuleLine {
  const description = said(`line.${id}`, years === undefined ? undefined : { count: years });
  return {
    id,
    description: englishText(description),
    met: conditions.every((c) => c.met),
    conditions,
    said: { description },
  };
}

function certificateEvidence(cert: HeldCertificate, submittedOn: string): Message {
  const held = yearsBetween(cert.issuedOn, submittedOn);
  const { level, number, issuedOn } = cert;
  return held >= 0
    ? said('evidence.certificateHeld', { level, number, issuedOn, count: held })
    : said('evidence.certificateHeldAfter', { level, number, issuedOn });
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

function noCertificateEvidence(app: ApplicationInput, level: Level): Message {
  const elsewhere = app.evidence.heldCertificates.filter((c) => c.level === level && c.occupation !== app.occupation);
  const { occupation } = app;
  if (elsewhere.length === 0) return said('evidence.noCertificate', { level, occupation });
  const others = elsewhere.map((c) => `${c.number} (${c.occupation})`).join(', ');
  return said('evidence.noCertificateElsewhere', { level, occupation, others });
}

/**
 * Holds a certificate of `level` in the occupation, issued more than `minYears` before submission (when given). The
 * condition's id names the level, so its description does too.
 */
function holdsCertificate(
  id: string,
  app: ApplicationInput,
  level: Level,
  submittedOn: string,
  minYears?: number,
): Condition {
  const held = heldOf(app, level, submittedOn);
  if (held.length === 0) return condition(id, false, noCertificateEvidence(app, level), minYears);
  const cert = held[0];
  const met = minYears === undefined || moreThanYearsBetween(cert.issuedOn, submittedOn, minYears);
  return condition(id, met, certificateEvidence(cert, submittedOn), minYears);
}

/** What the employer attests to; the evidence is keyed by the condition's id. */
function attested(id: string, value: boolean | undefined): Condition {
  return condition(id, value === true, said(`evidence.${value === true ? 'attested' : 'notAttested'}.${id}`));
}

function schoolEvidence(school: ApplicationInput['evidence']['school']): Message {
  return school ? said(`evidence.school.${school.kind}`, { date: school.graduatedOn }) : said('evidence.noSchool');
}

const yearsWorked = (app: ApplicationInput) =>
  said('evidence.yearsWorked', { count: app.evidence.yearsInOccupation, occupation: app.occupation });

function primaryLines(app: ApplicationInput, submittedOn: string): RuleLine[] {
  const { evidence, occupation } = app;
  const school = evidence.school;
  const vocational = school?.kind === 'vocational' && compareDates(school.graduatedOn, submittedOn) <= 0;
  return [
    line('primary.on-the-job', [
      condition(
        'employed-in-occupation',
        evidence.employedInOccupation,
        said(evidence.employedInOccupation ? 'evidence.employed' : 'evidence.notEmployed', { occupation }),
      ),
    ]),
    line('primary.vocational-graduate', [
      condition('vocational-school-graduate', vocational, schoolEvidence(school)),
      condition(
        'apprenticeship-completed',
        school?.apprenticeshipCompleted === true,
        said(school?.apprenticeshipCompleted ? 'evidence.apprenticeship' : 'evidence.noApprenticeship'),
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
      [
        holdsCertificate('holds-level-5-certificate', app, Level.Primary, submittedOn),
        condition(
          'continuous-work',
          evidence.continuousWorkYears > min,
          said('evidence.continuousWork', { count: evidence.continuousWorkYears }),
          min,
        ),
      ],
      min,
    ),
    line('intermediate.school-graduate', [
      condition('technical-or-approved-school', schoolMet, schoolEvidence(school)),
    ]),
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
      [
        holdsCertificate('holds-level-4-certificate', app, Level.Intermediate, submittedOn, min),
        condition('worked-in-occupation', evidence.yearsInOccupation > 0, yearsWorked(app)),
      ],
      min,
    ),
    line('advanced.senior-training', [
      condition(
        'senior-training-completed',
        trained,
        trainedOn === undefined
          ? said('evidence.noSeniorTraining')
          : said('evidence.seniorTraining', { date: trainedOn }),
      ),
    ]),
  ];
}

function technicianLines(app: ApplicationInput, rules: RuleSet, submittedOn: string): RuleLine[] {
  const { evidence } = app;
  const min = rules.technicianMinYearsInOccupation;
  return [
    line('technician', [
      holdsCertificate('holds-level-3-certificate', app, Level.Advanced, submittedOn),
      condition('rich-practical-experience', evidence.yearsInOccupation > min, yearsWorked(app), min),
      attested('solves-key-operational-problems', evidence.solvesKeyOperationalProblems),
      attested('can-teach-intermediate-workers', evidence.canTeachIntermediateWorkers),
    ]),
  ];
}

function seniorTechnicianLines(app: ApplicationInput, rules: RuleSet, submittedOn: string): RuleLine[] {
  const { evidence } = app;
  const min = rules.seniorTechnicianMinYearsAsTechnician;
  const innovations = (evidence.technicalInnovations ?? []).filter((s) => s.trim() !== '');
  return [
    line(
      'senior-technician',
      [
        holdsCertificate('technician-for-years', app, Level.Technician, submittedOn, min),
        condition(
          'technical-innovations',
          innovations.length > 0,
          innovations.length > 0
            ? said('evidence.innovations', { count: innovations.length, list: innovations.join('; ') })
            : said('evidence.noInnovations'),
        ),
        attested('can-train-senior-workers', evidence.canTrainSeniorWorkers),
      ],
      min,
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
