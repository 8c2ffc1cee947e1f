/**
 * Disciplinary reports and investigations: the report a signed-in person files (POST /api/investigations), the
 * public report form and its JSON twin (/report, POST /api/reports), and the decisions and the appeal on an
 * investigation, the investigation page's forms and the API alike. Each body is declared once here; the routes read
 * with it (routes/investigations.ts, routes/investigationPages.ts, routes/reports.ts) and /api/openapi.json describes
 * it.
 */
import { z } from 'zod';
import { entries } from './shapes';
import { certificateNumberMistake } from '../../domain/certificateNumber';
import { textProblem } from '../../domain/text';
import {
  DESCRIPTION_MAX,
  DESCRIPTION_MIN,
  InvestigationDecision,
  REPORT_CATEGORIES,
  type ReportCategory,
} from '../../workflows/investigationDefinitions';
import { optional, say, text, typedPattern } from './fields';
import { answer, ErrorBody, type Operation, refusals } from './operation';

/** The longest contact a public reporter may leave. */
export const CONTACT_MAX = 200;

/** `n` digits, not all zero, as a pattern (a certificate's serial starts at 1). */
const nonZeroDigits = (n: number) =>
  `(?:${Array.from({ length: n }, (_, zeros) => `${'0'.repeat(zeros)}[1-9]\\d{${n - zeros - 1}}`).join('|')})`;

/**
 * A certificate's number (domain/certificateNumber.ts): typed as it is printed, in groups and in any case, and read
 * without its spaces and in capitals. The document shows the two formats as they are written.
 */
const certificateNumber = z
  .string({ error: say('publicReport:check.noNumber') })
  .transform((value) => value.replace(/\s+/g, '').toUpperCase())
  .superRefine((value, context) => {
    const mistake = value === '' ? { key: 'publicReport:check.noNumber' } : certificateNumberMistake(value);
    if (mistake) context.addIssue({ code: 'custom', message: say(mistake.key, mistake.values), input: value });
  })
  .meta({
    description: 'The skill level certificate’s 22 characters, or the legacy 16 digits.',
    pattern: `^(?:[YS]\\d{14}[1-5]${nonZeroDigits(6)}|\\d{6}[0-4]\\d{3}[1-5]${nonZeroDigits(5)})$`,
    example: 'Y123411000001265000001',
  });

/** What kind of violation: blank is a question not answered, anything else not in the list is named back. */
const category = z.enum(REPORT_CATEGORIES as [ReportCategory, ...ReportCategory[]], {
  error: (issue) =>
    issue.input === undefined || issue.input === '' || issue.input === null
      ? say('publicReport:check.noCategory')
      : say('refusals:report.category', {
          categories: REPORT_CATEGORIES.join(', '),
          given: JSON.stringify(issue.input),
        }),
});

/**
 * What happened, in DESCRIPTION_MIN to DESCRIPTION_MAX characters: typed text (contract/fields.ts's `text`), refused
 * in the words the report's own check uses (workflows/investigationDefinitions.ts's `checkReport`).
 */
const description = z
  .string({ error: say('publicReport:check.noDescription') })
  .max(DESCRIPTION_MAX, {
    error: (issue) =>
      say('refusals:report.descriptionTooLong', { max: DESCRIPTION_MAX, length: String(issue.input).length }),
  })
  .superRefine((value, context) => {
    const problem = textProblem(value);
    const length = value.trim().length;
    const refused = problem
      ? say(`refusals:text.${problem}`)
      : length === 0
        ? say('publicReport:check.noDescription')
        : length < DESCRIPTION_MIN
          ? say('refusals:report.descriptionTooShort', { min: DESCRIPTION_MIN, length })
          : undefined;
    if (refused) context.addIssue({ code: 'custom', message: refused, input: value });
  })
  .transform((value) => value.normalize('NFC').trim())
  .meta({ pattern: typedPattern(DESCRIPTION_MIN), minLength: DESCRIPTION_MIN });

/** How the investigators may reach a public reporter: optional, and only spaces is none given. */
const contact = optional(
  z
    .string()
    .max(CONTACT_MAX, {
      error: (issue) =>
        say('publicReport:check.contactTooLong', { max: CONTACT_MAX, length: String(issue.input).length }),
    })
    .superRefine((value, context) => {
      const problem = textProblem(value);
      if (problem) context.addIssue({ code: 'custom', message: say(`refusals:text.${problem}`), input: value });
    })
    .transform((value) => value.normalize('NFC').trim() || undefined)
    .meta({
      description: 'Optional: how the investigators may reach the reporter.',
      pattern: `^\\s*$|${typedPattern()}`,
    }),
);

/** A public report's idempotency key: the form's hidden token, or the API's `idempotencyKey`. */
const reportToken = z
  .string({ error: say('publicReport:check.formExpired') })
  .regex(/^[A-Za-z0-9_-]{16,64}$/, { error: say('publicReport:check.formExpired') });

/** A report by a signed-in person (the command line's). */
export const ReportBody = z.object({ certificateNumber, category, description });
export type Report = z.output<typeof ReportBody>;

/** A report by anyone through the API, without an account. */
export const PublicReportBody = ReportBody.extend({
  contact,
  idempotencyKey: optional(
    reportToken.meta({ description: 'The same key sent again files nothing new and answers the same reference.' }),
  ),
});
/** The public report form (/report): the same fields, its token the form's own, given when the form was shown. */
export const PublicReportForm = ReportBody.extend({ contact, reportToken });
export type PublicReport = z.output<typeof PublicReportBody>;

/** A decision on an investigation: why, and for a revocation the category shown publicly (the report's if none). */
export const DecisionBody = z.object({
  reason: text(2000),
  category: optional(category).meta({
    description: 'For a revocation: the category shown publicly; the first report’s when none is given.',
  }),
});
export type Decision = z.output<typeof DecisionBody>;

/** The holder's appeal, filed by the issuing station. */
export const AppealBody = z.object({ reason: text(2000) });
export type Appeal = z.output<typeof AppealBody>;

export const DECISIONS = Object.values(InvestigationDecision) as [InvestigationDecision, ...InvestigationDecision[]];

const InvestigationParams = z.object({ id: z.string().meta({ example: 'investigation-Y123411000001265000001-1' }) });
const DecisionParams = InvestigationParams.extend({ decision: z.enum(DECISIONS) });

/** An investigation as its workflow reports it (workflows/investigationDefinitions.ts's InvestigationView). */
const InvestigationBody = z
  .looseObject({
    investigationId: z.string(),
    certificateNumber: z.string(),
    stage: z.string(),
    closed: z.boolean(),
    openedAt: z.string(),
    reports: entries,
    holder: z.looseObject({}),
    revocation: z.looseObject({}),
    appeal: z.looseObject({}),
    tasks: entries,
    history: entries,
  })
  .partial()
  .meta({
    id: 'Investigation',
    description: 'The investigation as its workflow reports it: stage, reports, decisions, tasks and history.',
  });

const ReportOutcome = z.object({
  investigationId: z.string(),
  attached: z.boolean().meta({ description: 'True when the report joined the investigation open on the certificate.' }),
});

const refusal = (description: string) => answer(description, ErrorBody);

export const investigationOperations: Operation[] = [
  {
    method: 'post',
    path: '/api/investigations',
    summary:
      'Report a violation against a sealed certificate: opens an investigation, or joins the one open on it (the signed-in person is the reporter)',
    tags: ['Investigations'],
    body: ReportBody,
    answers: {
      201: answer('A new investigation: `investigationId`, `attached: false`.', ReportOutcome),
      200: answer('The report joined the open investigation: `investigationId`, `attached: true`.', ReportOutcome),
      ...refusals(401),
      404: refusal('No certificate of that number was ever sealed.'),
      ...refusals(422),
    },
  },
  {
    method: 'post',
    path: '/api/reports',
    summary: 'Report a violation about a certificate, without an account (public; the form at /report)',
    tags: ['Investigations'],
    public: true,
    body: PublicReportBody,
    answers: {
      201: answer(
        'Filed: `reference`, the investigation to quote.',
        z.object({ reference: z.string().meta({ example: 'investigation-Y123411000001265000001-1' }) }),
      ),
      404: refusal('No certificate of that number was ever sealed: `errors.certificateNumber`.'),
      409: refusal('The certificate is already revoked: `errors.certificateNumber`.'),
      422: refusal('A field is wrong or missing: `errors` says which and why.'),
      429: refusal('Too many reports from this address; see Retry-After.'),
      503: refusal('The same report (its `idempotencyKey`) is still being filed; try again in a moment.'),
    },
  },
  {
    method: 'get',
    path: '/api/investigations/{id}',
    summary: 'An investigation (for its task groups, the issuing station and administrators)',
    tags: ['Investigations'],
    params: InvestigationParams,
    answers: {
      200: answer('The investigation: stage, reports, decisions, tasks and history.', InvestigationBody),
      ...refusals(401),
      404: refusal('No such investigation, or not one you take part in.'),
    },
  },
  {
    method: 'post',
    path: '/api/investigations/{id}/decide/{decision}',
    summary: 'Decide: revoke or dismiss (the department), uphold or reinstate (on appeal)',
    tags: ['Investigations'],
    params: DecisionParams,
    body: DecisionBody,
    answers: {
      200: answer('The investigation after the decision.', InvestigationBody),
      ...refusals(401, 403, 404, 409, 422),
    },
  },
  {
    method: 'post',
    path: '/api/investigations/{id}/appeal',
    summary: "File the holder's appeal against a revocation (the issuing station, within the appeal window)",
    tags: ['Investigations'],
    params: InvestigationParams,
    body: AppealBody,
    answers: {
      200: answer('The investigation, the appeal under review.', InvestigationBody),
      ...refusals(401, 403, 404, 409, 422),
    },
  },
];
