/**
 * The intake form's flat fields (`candidate.name`, `evidence.continuousWorkYears`, `documents.photo`, …) as the
 * application JSON that domain/validateApplication.ts checks, and that validator's errors back onto the form's fields,
 * in the reader's language. Numbers typed into the form stay text when they are not numbers, so the validator names
 * the field.
 */
import type { TFunction } from 'i18next';
import type { DocumentKind } from '../domain/application';
import { DEFAULT_CATALOGUE, occupationName, type OccupationCatalogue } from '../domain/occupations';
import { DOCUMENT_KINDS } from '../domain/validateApplication';
import type { Language } from '../i18n';
import { documentLabel } from './labels';

type Form = Record<string, unknown>;

const str = (form: Form, name: string): string => (typeof form[name] === 'string' ? (form[name] as string).trim() : '');
const checked = (form: Form, name: string): boolean => form[name] === 'on' || form[name] === 'true';
const numeric = (form: Form, name: string): unknown => {
  const value = str(form, name);
  if (value === '') return undefined;
  return Number.isFinite(Number(value)) ? Number(value) : value;
};
const optional = (value: string): string | undefined => value || undefined;

export function applicationFromForm(
  form: Form,
  organisations: { stationId: string; guidanceCenterId?: string; departmentId?: string },
): Record<string, unknown> {
  const school = str(form, 'evidence.school.kind')
    ? {
        kind: str(form, 'evidence.school.kind'),
        graduatedOn: str(form, 'evidence.school.graduatedOn'),
        apprenticeshipCompleted: checked(form, 'evidence.school.apprenticeshipCompleted'),
      }
    : undefined;
  const held = ['level', 'occupation', 'number', 'issuedOn'].some((part) =>
    str(form, `evidence.heldCertificates.0.${part}`),
  )
    ? [
        {
          level: numeric(form, 'evidence.heldCertificates.0.level'),
          occupation: str(form, 'evidence.heldCertificates.0.occupation'),
          number: str(form, 'evidence.heldCertificates.0.number'),
          issuedOn: str(form, 'evidence.heldCertificates.0.issuedOn'),
        },
      ]
    : [];
  return {
    applicationNumber: str(form, 'applicationNumber'),
    ...organisations,
    trainingInstitutionId: optional(str(form, 'trainingInstitutionId')),
    candidate: {
      name: str(form, 'candidate.name'),
      idType: str(form, 'candidate.idType'),
      idNumber: str(form, 'candidate.idNumber'),
      email: optional(str(form, 'candidate.email')),
      phone: optional(str(form, 'candidate.phone')),
    },
    occupation: str(form, 'occupation'),
    specialty: optional(str(form, 'specialty')),
    level: numeric(form, 'level'),
    evidence: {
      employedInOccupation: checked(form, 'evidence.employedInOccupation'),
      continuousWorkYears: numeric(form, 'evidence.continuousWorkYears') ?? 0,
      yearsInOccupation: numeric(form, 'evidence.yearsInOccupation') ?? 0,
      newLabourForce: checked(form, 'evidence.newLabourForce'),
      ...(school && { school }),
      heldCertificates: held,
      seniorTrainingCompletedOn: optional(str(form, 'evidence.seniorTrainingCompletedOn')),
      solvesKeyOperationalProblems: checked(form, 'evidence.solvesKeyOperationalProblems'),
      canTeachIntermediateWorkers: checked(form, 'evidence.canTeachIntermediateWorkers'),
      canTrainSeniorWorkers: checked(form, 'evidence.canTrainSeniorWorkers'),
    },
    documents: submittedDocuments(form).map(({ kind, reference }) => ({ kind, reference })),
  };
}

function submittedDocuments(form: Form): { kind: DocumentKind; reference: string }[] {
  return DOCUMENT_KINDS.map((kind) => ({ kind, reference: str(form, `documents.${kind}`) })).filter(
    (doc) => doc.reference !== '',
  );
}

/** `documents.2.reference` is the third document given, which the form names by its kind. */
export function formErrors(form: Form, errors: Record<string, string>): Record<string, string> {
  const documents = submittedDocuments(form);
  return Object.fromEntries(
    Object.entries(errors).map(([field, message]) => {
      const match = /^documents\.(\d+)\.\w+$/.exec(field);
      const kind = match && documents[Number(match[1])]?.kind;
      return [kind ? `documents.${kind}` : field, message];
    }),
  );
}

/**
 * The checks' messages (domain/validateApplication.ts, the ID and certificate number checks it calls, and the
 * organisation checks of runtime/intake.ts) are English sentences without codes. Their shapes are stable (the domain
 * tests pin them), so each shape is recognised here and said again from the catalogue, the English entry word for
 * word as the domain says it. A message no shape matches is shown as it came, in English: never lost.
 */
const CHECKS: readonly (readonly [RegExp, string])[] = [
  [/^is required$/, 'intake:check.required'],
  [/^must be an object$/, 'intake:check.object'],
  [/^must be a string$/, 'intake:check.string'],
  [/^must not be empty$/, 'intake:check.empty'],
  [/^must be at most (?<max>\d+) characters$/, 'intake:check.tooLong'],
  [/^must be true or false$/, 'intake:check.boolean'],
  [/^must be a number$/, 'intake:check.number'],
  [/^must be 0 or more$/, 'intake:check.negative'],
  [/^must be a real date in the form YYYY-MM-DD$/, 'intake:check.date'],
  [/^must not be in the future \(after (?<today>[\d-]+)\)$/, 'intake:check.future'],
  [/^must be a level from 1 \(senior technician\) to 5 \(primary\)$/, 'intake:check.level'],
  [/^must be one of (?<choices>.+)$/, 'intake:check.oneOf'],
  [/^must be an array$/, 'intake:check.array'],
  [/^must be an email address like name@example\.org$/, 'intake:check.email'],
  [/^must be 5 to 20 digits, spaces, hyphens or brackets, optionally after a \+$/, 'intake:check.phone'],
  [/^missing required documents?: (?<documents>.+)$/, 'intake:check.missingDocuments'],
  [/^must be 6 to 40 capital letters, digits or hyphens/, 'intake:check.applicationNumber'],
  [/^unknown occupation "(?<code>.*)" \(not in the occupation catalogue\)$/, 'intake:check.unknownOccupation'],
  [
    /^is required: (?<occupation>.+) is an employment-access occupation and the candidate is new labour force, who must train first$/,
    'intake:check.trainingRequired',
  ],
  [/^is not an appraisal station in the directory: "(?<id>.*)"$/, 'intake:check.notAStation'],
  [/^is not a guidance center in (?<station>.+)'s province: "(?<id>.*)"$/, 'intake:check.notInProvince.guidanceCenter'],
  [
    /^is not a labour administrative department in (?<station>.+)'s province: "(?<id>.*)"$/,
    'intake:check.notInProvince.department',
  ],
  [
    /^is not a training institution in (?<station>.+)'s province: "(?<id>.*)"$/,
    'intake:check.notInProvince.trainingInstitution',
  ],
  [/^must begin with (?<prefix>.+)-, the prefix of (?<station>.+)$/, 'intake:check.numberPrefix'],
  [/^must be 18 characters \(got (?<got>\d+)\)$/, 'intake:check.idLength'],
  [/^the first 17 characters must be digits$/, 'intake:check.idDigits'],
  [/^the last character must be a digit or X$/, 'intake:check.idLast'],
  [/^birth date (?<date>\S+) does not exist$/, 'intake:check.idBirthDate'],
  [/^birth date lies in the future$/, 'intake:check.idBirthFuture'],
  [/^check character is wrong \(expected (?<expected>.)\)$/, 'intake:check.idCheck'],
  [/^a residence permit number must start with 810000, 820000 or 830000/, 'intake:check.idPermitPrefix'],
  [/^must be 5 to 17 letters or digits$/, 'intake:check.passport'],
  [/^unknown ID type (?<type>.*)$/, 'intake:check.idType'],
  [/^a skill-level certificate number must be 22 characters \(got (?<got>\d+)\)$/, 'verify:check.skillLength'],
  [/^category letter must be Y or S \(got (?<got>.)\)$/, 'verify:check.category'],
  [/^the 21 characters after the category letter must be digits$/, 'verify:check.skillDigits'],
  [/^level digit \(character 16\) must be 1 to 5 \(got (?<got>.)\)$/, 'verify:check.skillLevel'],
  [/^serial must not be 000000$/, 'verify:check.skillSerial'],
  [/^must be a skill-level certificate number \(Y or S and 21 digits\) or a legacy one/, 'verify:check.format'],
  [/^a legacy certificate number must be 16 digits \(got (?<got>\d+)\)$/, 'verify:check.legacyLength'],
  [/^institution type digit \(character 7\) must be 0 to 4 \(got (?<got>.)\)$/, 'verify:check.legacyType'],
  [/^level digit \(character 11\) must be 1 to 5 \(got (?<got>.)\)$/, 'verify:check.legacyLevel'],
  [/^serial must not be 00000$/, 'verify:check.legacySerial'],
];

export interface Reader {
  t: TFunction;
  language: Language;
  catalogue?: OccupationCatalogue;
}

/**
 * One check's message in the reader's language. An occupation is named in that language; missing documents are
 * named by their labels on a page (`labelled`), by their kinds for the API, whose callers send kinds.
 */
export function checkMessage({ t, language, catalogue = DEFAULT_CATALOGUE }: Reader, message: string, labelled = true) {
  for (const [pattern, key] of CHECKS) {
    const match = pattern.exec(message);
    if (!match) continue;
    const values: Record<string, unknown> = { ...match.groups };
    if (match.groups?.documents) {
      const kinds = match.groups.documents.split(', ');
      const names = labelled ? kinds.map((kind) => documentLabel(t, kind)) : kinds;
      Object.assign(values, { documents: names.join(t('intake:check.listSeparator')), count: kinds.length });
    }
    if (match.groups?.occupation) {
      const occupation = catalogue.find((o) => o.name === match.groups?.occupation);
      if (occupation) values.occupation = occupationName(occupation, language);
    }
    return t(key, values);
  }
  return message;
}

/** Every field's message in the reader's language. */
export function checkMessages(reader: Reader, errors: Record<string, string>, labelled = true): Record<string, string> {
  return Object.fromEntries(
    Object.entries(errors).map(([field, message]) => [field, checkMessage(reader, message, labelled)]),
  );
}
