/**
 * The intake form's flat fields (`candidate.name`, `evidence.continuousWorkYears`, `documents.photo`, …) as the
 * application JSON that domain/validateApplication.ts checks, and that validator's errors back onto the form's fields,
 * in the reader's language. Numbers typed into the form stay text when they are not decimals (inbox-ui/validation.ts
 * `decimal`: not `0x3` or `1e308`), so the validator names the field.
 */
import type { TFunction } from 'i18next';
import type { DocumentKind } from '../domain/application';
import type { Message } from '../domain/messages';
import { DOCUMENT_KINDS, type FieldErrors } from '../domain/validateApplication';
import { documentLabel } from './labels';
import { messageText } from './messageText';
import { decimal } from './validation';

type Form = Record<string, unknown>;

const str = (form: Form, name: string): string => (typeof form[name] === 'string' ? (form[name] as string).trim() : '');
const checked = (form: Form, name: string): boolean => form[name] === 'on' || form[name] === 'true';
const numeric = (form: Form, name: string): unknown => {
  const value = str(form, name);
  if (value === '') return undefined;
  return decimal(value, true) ?? value;
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
export function formErrors(form: Form, errors: FieldErrors): FieldErrors {
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
 * One check's message in the reader's language (the checks make Messages: domain/validateApplication.ts, the ID and
 * certificate number checks it calls, and the organisation checks of runtime/intake.ts). Missing documents are named
 * by their labels on a page (`labelled`), by their kinds for the API, whose callers send kinds.
 */
export function checkMessage(t: TFunction, said: Message, labelled = true): string {
  const kinds = said.values?.documents;
  if (typeof kinds !== 'string') return messageText(t, said);
  const named = kinds.split(', ').map((kind) => (labelled ? documentLabel(t, kind) : kind));
  return messageText(t, {
    ...said,
    values: { ...said.values, documents: named.join(t('intake:check.listSeparator')) },
  });
}

/** Every field's message in the reader's language. */
export function checkMessages(t: TFunction, errors: FieldErrors, labelled = true): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([field, said]) => [field, checkMessage(t, said, labelled)]));
}
