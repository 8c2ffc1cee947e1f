/**
 * Turns untrusted JSON (a web form, an API call) into an ApplicationInput, or says field by field why not. Every error
 * is collected, so a candidate can correct a form in one go. Each says what is wrong as a Message, made here where the
 * rule is checked, and put into the reader's language by the form or the API.
 */
import type {
  ApplicationDocument,
  ApplicationInput,
  Candidate,
  DocumentKind,
  Evidence,
  HeldCertificate,
  SchoolKind,
} from './application';
import { certificateNumberMistake } from './certificateNumber';
import { compareDates, isIsoDate } from './dates';
import { ID_TYPES, idNumberMistake, normaliseIdNumber, type IdType } from './idNumber';
import { isLevel, Level } from './levels';
import { type Message, message } from './messages';
import { DEFAULT_CATALOGUE, findOccupation, type OccupationCatalogue, trainingRequired } from './occupations';
import { typedText } from './text';

/**
 * What is wrong with each field, keyed by dotted path ('candidate.idNumber', 'evidence.heldCertificates.0.issuedOn'),
 * as Messages (`intake:check.*`) that the form and the API put into the reader's language.
 */
export type FieldErrors = Record<string, Message>;

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

export interface ValidationContext {
  /** 'YYYY-MM-DD': dates after it are rejected. */
  today: string;
  catalogue?: OccupationCatalogue;
}

export const APPLICATION_NUMBER_PATTERN = /^[A-Z0-9][A-Z0-9-]{5,39}$/;

export const DOCUMENT_KINDS: readonly DocumentKind[] = Object.freeze([
  'id-document',
  'photo',
  'training-completion',
  'grade-certificate',
  'work-experience',
  'technical-achievements',
  'work-performance',
  'technical-summary',
  'paper',
] as const);

export const SCHOOL_KINDS: readonly SchoolKind[] = Object.freeze([
  'vocational',
  'technical',
  'approved-intermediate',
] as const);

/** The documents every application needs, and those the technician levels need in addition. */
export function requiredDocuments(level: Level): DocumentKind[] {
  const required: DocumentKind[] = ['id-document', 'photo'];
  if (level === Level.Technician || level === Level.SeniorTechnician) required.push('technical-summary');
  return required;
}

const MAX_TEXT = 200;
const MAX_NAME = 100;
/** A working life: no one has worked longer, and a bound keeps 1e308 out of the eligibility rules and the records. */
export const MAX_YEARS = 60;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9][0-9 ()-]{4,19}$/;

type Json = Record<string, unknown>;

const check = (key: string, values?: Record<string, string | number>): Message =>
  message(`intake:check.${key}`, values);

/** Paths whose last name alone would say another field (a held certificate's number is not the application's). */
const FIELD_NAMES: Record<string, string> = { 'evidence.heldCertificates.number': 'certificateNumber' };

/**
 * The field a path names, as a message says it (`refusals:field.*`): its last name, without list positions
 * ('documents.2.reference' is the reference).
 */
function fieldOf(path: string): string {
  const names = path.split('.').filter((part) => !/^\d+$/.test(part));
  return FIELD_NAMES[names.join('.')] ?? names.at(-1) ?? path;
}

function isObject(x: unknown): x is Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Reads fields of one object and records errors under its path. */
class Reader {
  constructor(
    readonly errors: FieldErrors,
    readonly today: string,
  ) {}

  fail(path: string, said: Message): undefined {
    // The first problem of a field is the one to fix first; later checks of the same field don't overwrite it.
    if (!(path in this.errors)) this.errors[path] = said;
    return undefined;
  }

  /** An object, or undefined with an error recorded. */
  object(value: unknown, path: string): Json | undefined {
    if (value === undefined || value === null) return this.fail(path, check('required'));
    return isObject(value) ? value : this.fail(path, check('object'));
  }

  /**
   * A required string, not empty, normalised (NFC) and trimmed here, once, so the workflow and the case index keep the
   * same code points; text no person means to write (domain/text.ts) is refused naming the field.
   */
  text(value: unknown, path: string, max = MAX_TEXT): string | undefined {
    if (value === undefined || value === null) return this.fail(path, check('required'));
    if (typeof value !== 'string') return this.fail(path, check('string'));
    const checked = typedText(value, fieldOf(path));
    if ('mistake' in checked) return this.fail(path, checked.mistake);
    const s = checked.text;
    if (s === '') return this.fail(path, check('empty'));
    if ([...s].length > max) return this.fail(path, check('tooLong', { max }));
    return s;
  }

  /** An optional string: absent, null and blank (an empty form field) all mean "not given". */
  optionalText(value: unknown, path: string, max = MAX_TEXT): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string' && value.trim() === '') return undefined;
    return this.text(value, path, max);
  }

  boolean(value: unknown, path: string): boolean | undefined {
    if (value === undefined || value === null) return this.fail(path, check('required'));
    return typeof value === 'boolean' ? value : this.fail(path, check('boolean'));
  }

  optionalBoolean(value: unknown, path: string): boolean | undefined {
    return value === undefined || value === null ? undefined : this.boolean(value, path);
  }

  /** A number from 0 to `max`. */
  nonNegative(value: unknown, path: string, max: number): number | undefined {
    if (value === undefined || value === null) return this.fail(path, check('required'));
    if (typeof value !== 'number' || !Number.isFinite(value)) return this.fail(path, check('number'));
    if (value < 0) return this.fail(path, check('negative'));
    return value <= max ? value : this.fail(path, check('tooLarge', { field: fieldOf(path), max }));
  }

  /** A real 'YYYY-MM-DD' date, not after today. */
  pastDate(value: unknown, path: string): string | undefined {
    if (value === undefined || value === null) return this.fail(path, check('required'));
    const s = typeof value === 'string' ? value.trim() : value;
    if (!isIsoDate(s)) return this.fail(path, check('date'));
    return compareDates(s, this.today) > 0 ? this.fail(path, check('future', { today: this.today })) : s;
  }

  optionalPastDate(value: unknown, path: string): string | undefined {
    if (value === undefined || value === null || value === '') return undefined;
    return this.pastDate(value, path);
  }

  level(value: unknown, path: string): Level | undefined {
    if (value === undefined || value === null) return this.fail(path, check('required'));
    return isLevel(value) ? value : this.fail(path, check('level'));
  }

  oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T | undefined {
    if (value === undefined || value === null) return this.fail(path, check('required'));
    return (allowed as readonly unknown[]).includes(value)
      ? (value as T)
      : this.fail(path, check('oneOf', { choices: allowed.join(', ') }));
  }

  array(value: unknown, path: string): unknown[] | undefined {
    if (value === undefined || value === null) return this.fail(path, check('required'));
    return Array.isArray(value) ? value : this.fail(path, check('array'));
  }
}

function readCandidate(r: Reader, raw: unknown): Candidate | undefined {
  const c = r.object(raw, 'candidate');
  if (!c) return undefined;
  const name = r.text(c.name, 'candidate.name', MAX_NAME);
  const idType = r.oneOf<IdType>(c.idType, 'candidate.idType', ID_TYPES);
  let idNumber: string | undefined;
  if (typeof c.idNumber !== 'string') {
    r.fail('candidate.idNumber', c.idNumber === undefined || c.idNumber === null ? check('required') : check('string'));
  } else if (idType !== undefined) {
    const error = idNumberMistake(idType, c.idNumber, r.today);
    if (error !== undefined) r.fail('candidate.idNumber', error);
    else idNumber = normaliseIdNumber(idType, c.idNumber);
  }
  const email = r.optionalText(c.email, 'candidate.email', 254);
  if (email !== undefined && !EMAIL.test(email)) r.fail('candidate.email', check('email'));
  const phone = r.optionalText(c.phone, 'candidate.phone', 40);
  if (phone !== undefined && !PHONE.test(phone)) {
    r.fail('candidate.phone', check('phone'));
  }
  if (name === undefined || idType === undefined || idNumber === undefined) return undefined;
  return { name, idType, idNumber, ...(email !== undefined && { email }), ...(phone !== undefined && { phone }) };
}

function readHeldCertificate(r: Reader, raw: unknown, path: string): HeldCertificate | undefined {
  const h = r.object(raw, path);
  if (!h) return undefined;
  const level = r.level(h.level, `${path}.level`);
  const occupation = r.text(h.occupation, `${path}.occupation`);
  let number = r.text(h.number, `${path}.number`, 40);
  if (number !== undefined) {
    const error = certificateNumberMistake(number);
    number = error === undefined ? number.toUpperCase() : r.fail(`${path}.number`, error);
  }
  const issuedOn = r.pastDate(h.issuedOn, `${path}.issuedOn`);
  if (level === undefined || occupation === undefined || number === undefined || issuedOn === undefined)
    return undefined;
  return { level, occupation, number, issuedOn };
}

function readEvidence(r: Reader, raw: unknown): Evidence | undefined {
  const e = r.object(raw, 'evidence');
  if (!e) return undefined;
  const employedInOccupation = r.boolean(e.employedInOccupation, 'evidence.employedInOccupation');
  const continuousWorkYears = r.nonNegative(e.continuousWorkYears, 'evidence.continuousWorkYears', MAX_YEARS);
  const yearsInOccupation = r.nonNegative(e.yearsInOccupation, 'evidence.yearsInOccupation', MAX_YEARS);
  const newLabourForce = r.boolean(e.newLabourForce, 'evidence.newLabourForce');

  let school: Evidence['school'];
  let schoolOk = true;
  if (e.school !== undefined && e.school !== null) {
    const s = r.object(e.school, 'evidence.school');
    const kind = s && r.oneOf<SchoolKind>(s.kind, 'evidence.school.kind', SCHOOL_KINDS);
    const graduatedOn = s && r.pastDate(s.graduatedOn, 'evidence.school.graduatedOn');
    const apprenticeshipCompleted =
      s && r.boolean(s.apprenticeshipCompleted, 'evidence.school.apprenticeshipCompleted');
    if (kind === undefined || graduatedOn === undefined || apprenticeshipCompleted === undefined) schoolOk = false;
    else school = { kind, graduatedOn, apprenticeshipCompleted };
  }

  const rawHeld = r.array(e.heldCertificates, 'evidence.heldCertificates');
  const heldCertificates = rawHeld?.map((h, i) => readHeldCertificate(r, h, `evidence.heldCertificates.${i}`));

  const seniorTrainingCompletedOn = r.optionalPastDate(
    e.seniorTrainingCompletedOn,
    'evidence.seniorTrainingCompletedOn',
  );
  const solvesKeyOperationalProblems = r.optionalBoolean(
    e.solvesKeyOperationalProblems,
    'evidence.solvesKeyOperationalProblems',
  );
  const canTeachIntermediateWorkers = r.optionalBoolean(
    e.canTeachIntermediateWorkers,
    'evidence.canTeachIntermediateWorkers',
  );
  const canTrainSeniorWorkers = r.optionalBoolean(e.canTrainSeniorWorkers, 'evidence.canTrainSeniorWorkers');

  let technicalInnovations: string[] | undefined;
  if (e.technicalInnovations !== undefined && e.technicalInnovations !== null) {
    const list = r.array(e.technicalInnovations, 'evidence.technicalInnovations');
    technicalInnovations = list?.map((item, i) => r.text(item, `evidence.technicalInnovations.${i}`, 1000) ?? '');
  }

  if (
    employedInOccupation === undefined ||
    continuousWorkYears === undefined ||
    yearsInOccupation === undefined ||
    newLabourForce === undefined ||
    !schoolOk ||
    heldCertificates === undefined
  ) {
    return undefined;
  }
  return {
    employedInOccupation,
    continuousWorkYears,
    yearsInOccupation,
    newLabourForce,
    ...(school && { school }),
    heldCertificates: heldCertificates.filter((h): h is HeldCertificate => h !== undefined),
    ...(seniorTrainingCompletedOn !== undefined && { seniorTrainingCompletedOn }),
    ...(solvesKeyOperationalProblems !== undefined && { solvesKeyOperationalProblems }),
    ...(canTeachIntermediateWorkers !== undefined && { canTeachIntermediateWorkers }),
    ...(canTrainSeniorWorkers !== undefined && { canTrainSeniorWorkers }),
    ...(technicalInnovations !== undefined && { technicalInnovations }),
  };
}

function readDocuments(r: Reader, raw: unknown, level: Level | undefined): ApplicationDocument[] | undefined {
  const list = r.array(raw, 'documents');
  if (!list) return undefined;
  const documents = list.map((item, i): ApplicationDocument | undefined => {
    const d = r.object(item, `documents.${i}`);
    if (!d) return undefined;
    const kind = r.oneOf<DocumentKind>(d.kind, `documents.${i}.kind`, DOCUMENT_KINDS);
    const reference = r.text(d.reference, `documents.${i}.reference`, 500);
    return kind === undefined || reference === undefined ? undefined : { kind, reference };
  });
  const given = new Set(list.map((d) => (isObject(d) ? d.kind : undefined)));
  const missing = requiredDocuments(level ?? Level.Primary).filter((kind) => !given.has(kind));
  // The kinds, not their labels: a page names them by label, the API by kind (see inbox-ui/applicationForm.ts).
  if (missing.length > 0)
    r.fail('documents', check('missingDocuments', { documents: missing.join(', '), count: missing.length }));
  return documents.filter((d): d is ApplicationDocument => d !== undefined);
}

/**
 * Checks every field of an application and returns a normalised copy (trimmed NFC strings, normalised ID number,
 * upper-case certificate numbers, blank optional fields dropped, unknown properties dropped), or every error found.
 */
export function validateApplication(
  input: unknown,
  ctx: { today: string; catalogue?: OccupationCatalogue },
): Validated<ApplicationInput> {
  const errors: FieldErrors = {};
  const r = new Reader(errors, ctx.today);
  if (!isObject(input)) return { ok: false, errors: { application: check('jsonObject') } };
  const catalogue = ctx.catalogue ?? DEFAULT_CATALOGUE;

  const applicationNumber = r.text(input.applicationNumber, 'applicationNumber', 40);
  if (applicationNumber !== undefined && !APPLICATION_NUMBER_PATTERN.test(applicationNumber)) {
    r.fail('applicationNumber', check('applicationNumber'));
  }
  const stationId = r.text(input.stationId, 'stationId');
  const guidanceCenterId = r.text(input.guidanceCenterId, 'guidanceCenterId');
  const departmentId = r.text(input.departmentId, 'departmentId');
  const trainingInstitutionId = r.optionalText(input.trainingInstitutionId, 'trainingInstitutionId');
  const candidate = readCandidate(r, input.candidate);

  const occupationCode = r.text(input.occupation, 'occupation');
  const occupation = occupationCode === undefined ? undefined : findOccupation(occupationCode, catalogue);
  if (occupationCode !== undefined && occupation === undefined) {
    r.fail('occupation', check('unknownOccupation', { code: occupationCode }));
  }
  const specialty = r.optionalText(input.specialty, 'specialty');
  const level = r.level(input.level, 'level');
  const evidence = readEvidence(r, input.evidence);
  const documents = readDocuments(r, input.documents, level);

  // Judged as the eligibility activity will judge the case (domain/occupations.ts `trainingRequired`): whoever will be
  // sent to train needs an institution to train at; a training completion certificate among the documents needs none.
  const newLabourForce = isObject(input.evidence) && input.evidence.newLabourForce === true;
  if (
    occupation &&
    trainingRequired(occupation, { evidence: { newLabourForce }, documents: documents ?? [] }) &&
    trainingInstitutionId === undefined &&
    !('trainingInstitutionId' in errors)
  ) {
    r.fail('trainingInstitutionId', check('trainingRequired', { occupation: occupation.code }));
  }

  if (
    Object.keys(errors).length > 0 ||
    applicationNumber === undefined ||
    stationId === undefined ||
    guidanceCenterId === undefined ||
    departmentId === undefined ||
    candidate === undefined ||
    occupation === undefined ||
    level === undefined ||
    evidence === undefined ||
    documents === undefined
  ) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    value: {
      applicationNumber,
      stationId,
      guidanceCenterId,
      departmentId,
      ...(trainingInstitutionId !== undefined && { trainingInstitutionId }),
      candidate,
      occupation: occupation.code,
      ...(specialty !== undefined && { specialty }),
      level,
      evidence,
      documents,
    },
  };
}
