/**
 * The administrators' console and the figures (routes/admin.ts, statistics.ts, accounts.ts, personalData.ts): the
 * case search, a case's history and its cancelling, the SLA dashboard, the statistics' filters, the locked names and
 * the accounts, and who was shown a person. Each query and body is declared once here: the pages' forms and filters
 * and their JSON twins read it, and /api/admin/… is described from it.
 */
import { z } from 'zod';
import { ID_TYPES, type IdType } from '../../domain/idNumber';
import { isIsoDate } from '../../domain/dates';
import { DIMENSIONS, PERIODS } from '../../records/statistics';
import { Stage } from '../../workflows/definitions';
import { ActionResult, CaseBody, CaseParams } from './shapes';
import { choice, optional, optionalText, say, text, wholeNumber } from './fields';
import { answer, type Answer, ErrorBody, type Operation, refusals } from './operation';

// ---- The case search, a case, cancelling ----

const STAGES = Object.values(Stage) as [Stage, ...Stage[]];

/** The search form's fields, which GET /api/admin/cases reads as its query. */
export const CaseSearchQuery = z.object({
  number: optionalText(40),
  idNumber: optionalText(40),
  name: optionalText(100).meta({ description: 'Names starting with this.' }),
  stage: optional(choice(STAGES)),
  station: optionalText(100),
  occupation: optionalText(100),
  page: optional(wholeNumber(1, 10_000)),
});
export type CaseSearchFields = z.output<typeof CaseSearchQuery>;

/** Cancelling a case: the form on the case's history page and POST /api/admin/cases/{number}/cancel. */
export const CancelBody = z.object({ reason: text(2000) });

// ---- The statistics' filters: the page, its CSV and XLSX exports and GET /api/admin/statistics ----

/** A day of the calendar, refused in the statistics' own words when it is not one (2026-02-30). */
const day = z
  .string({ error: say('statistics:dateField') })
  .regex(/^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$/, { error: say('statistics:dateField') })
  .refine(isIsoDate, { error: say('statistics:dateField') })
  .meta({ format: 'date' });

export const StatisticsFilters = z.object({
  from: optional(day).meta({
    description: 'First day counted (China time); the first of the month eleven months ago by default.',
  }),
  to: optional(day).meta({ description: 'Last day counted (China time); today by default.' }),
  period: optional(choice(PERIODS)),
  by: optional(choice(DIMENSIONS)),
  station: optionalText(100),
  occupation: optionalText(100),
  level: optional(wholeNumber(1, 5)),
});
export type StatisticsFields = z.output<typeof StatisticsFilters>;

// ---- Accounts ----

export const UsernameParams = z.object({ username: z.string() });

/** Deactivating an account: the form in its row on the accounts page and POST …/{username}/deactivate. */
export const DeactivateBody = z.object({ reason: text(2000) });

/** Reactivating one: the form in a deactivated account's row and POST …/{username}/reactivate; the same reason. */
export const ReactivateBody = z.object({ reason: DeactivateBody.shape.reason });

// ---- Who was shown a person ----

/** The look-up form and POST /api/admin/personal-data/lookups; the ID number is then checked as its type's rules say. */
export const LookupBody = z.object({
  idType: optional(choice(ID_TYPES as [IdType, ...IdType[]]).meta({ default: 'resident-id' })),
  idNumber: text(40),
});

// ---- Answers ----

const rows = z.array(z.looseObject({}));

/*
 * No answer here names its `username` property, though each has one: Schemathesis infers links between operations
 * from the answers' properties, and would feed every user name the accounts list gives to …/{username}/deactivate,
 * deactivating the accounts its own later runs sign in with. The legacy document described none of these answers.
 */

const Figures = z.looseObject({
  applications: z.number(),
  examined: z.number(),
  passed: z.number(),
  passRate: z.number().nullable(),
  excellent: z.number(),
  good: z.number(),
  pass: z.number(),
  certificates: z.number(),
});

const StatisticsAnswer = z
  .looseObject({
    query: z.looseObject({}),
    rows: z.array(Figures.extend({ period: z.string(), key: z.string(), keyLabel: z.string() }).partial()),
    totals: Figures.partial(),
    durations: rows,
    overdue: rows,
  })
  .partial();

/** An action's answer: what was done, in the reader's words. */
const Done = z.looseObject({ message: z.string() }).partial();

const refused = (description: string): Answer => ({ description, body: ErrorBody });
const noAccount = refused('No account has this user name.');

export const adminOperations: Operation[] = [
  {
    method: 'get',
    path: '/api/admin/cases',
    summary: 'Find cases (administrators)',
    tags: ['Administration'],
    query: CaseSearchQuery,
    answers: {
      200: answer('Matching cases, newest first.', z.looseObject({ cases: rows }).partial()),
      ...refusals(401, 403, 422),
    },
  },
  {
    method: 'get',
    path: '/api/admin/cases/{number}/history',
    summary: 'A case’s business timeline and raw events (administrators)',
    tags: ['Administration'],
    params: CaseParams,
    answers: {
      200: answer(
        'The case, its timeline, its raw events.',
        z.looseObject({ case: CaseBody, timeline: rows, events: rows }).partial(),
      ),
      ...refusals(401, 403, 404),
    },
  },
  {
    method: 'post',
    path: '/api/admin/cases/{number}/cancel',
    summary: 'Cancel a case with a reason (administrators)',
    tags: ['Administration'],
    params: CaseParams,
    body: CancelBody,
    answers: { 200: answer('The case, cancelled.', ActionResult), ...refusals(401, 403, 404, 409, 422) },
  },
  {
    method: 'get',
    path: '/api/admin/sla',
    summary: 'Open tasks by stage and due state, and the overdue list (administrators)',
    tags: ['Administration'],
    answers: {
      200: answer('Counts and the overdue tasks.', z.looseObject({ stages: rows, overdue: rows }).partial()),
      ...refusals(401, 403),
    },
  },
  {
    method: 'get',
    path: '/api/admin/statistics',
    summary:
      'Applications, exam results, grade bands and certificates by period and occupation, level or station; ' +
      'time taken per kind of task (working days); overdue tasks by organisation. Counts only. Administrators see the province; the people of a ' +
      'guidance center or a department see the stations that report to them, and another station is refused',
    tags: ['Administration'],
    query: StatisticsFilters,
    answers: {
      200: answer('The figures, with the names of what they are broken down by.', StatisticsAnswer),
      ...refusals(401, 403, 422),
    },
  },
  {
    method: 'get',
    path: '/api/admin/accounts/locked',
    summary: 'User names locked after failed sign-ins, the latest first (administrators)',
    tags: ['Administration'],
    answers: {
      200: answer(
        'Each name, its holder when an account has it, its failures and when it locked.',
        z
          .looseObject({
            locked: z.array(
              z
                .looseObject({
                  personName: z.string(),
                  failures: z.number(),
                  lockedAt: z.string(),
                })
                .partial(),
            ),
          })
          .partial(),
      ),
      ...refusals(401, 403),
    },
  },
  {
    method: 'post',
    path: '/api/admin/accounts/{username}/unlock',
    summary: 'Unlock a user name, written to the audit log (administrators)',
    tags: ['Administration'],
    params: UsernameParams,
    answers: {
      200: answer('Unlocked: the name may sign in again.', Done),
      ...refusals(401, 403),
      409: refused('The name is not locked.'),
    },
  },
  {
    method: 'get',
    path: '/api/admin/accounts',
    summary: 'Every account, active or deactivated (administrators)',
    tags: ['Administration'],
    answers: {
      200: answer(
        'Each account’s user name, name, organisation and groups; a deactivated one with when, by whom and why; an ' +
          'active one that was reactivated with when, by whom and why it last was.',
        z
          .looseObject({
            accounts: z.array(
              z
                .looseObject({
                  name: z.string(),
                  organisationId: z.string(),
                  roles: z.array(z.string()),
                  deactivated: z.looseObject({ at: z.string(), by: z.string(), reason: z.string() }).partial(),
                  reactivated: z.looseObject({ at: z.string(), by: z.string(), reason: z.string() }).partial(),
                })
                .partial(),
            ),
          })
          .partial(),
      ),
      ...refusals(401, 403),
    },
  },
  {
    method: 'post',
    path: '/api/admin/accounts/{username}/deactivate',
    summary:
      'Deactivate an account: no sign-in, its sessions and tokens end, the open tasks it held go back to their ' +
      'groups, whose supervisors are told; written to the audit log (administrators)',
    tags: ['Administration'],
    params: UsernameParams,
    body: DeactivateBody,
    answers: {
      200: answer(
        'Deactivated. `released`: the tasks handed back to their groups; `notReleased`: those whose workflow ' +
          'refused (the case closed meanwhile, say), each with `error` and `code`.',
        z
          .looseObject({
            message: z.string(),
            deactivatedAt: z.string(),
            released: rows,
            notReleased: rows,
          })
          .partial(),
      ),
      ...refusals(401),
      403: refused('Not an administrator, or the administrator’s own account.'),
      404: noAccount,
      409: refused('The account is already deactivated.'),
      ...refusals(422),
    },
  },
  {
    method: 'post',
    path: '/api/admin/accounts/{username}/reactivate',
    summary:
      'Reactivate a deactivated account with a reason: it may sign in again, though no earlier reset link works; ' +
      'written to the audit log (administrators)',
    tags: ['Administration'],
    params: UsernameParams,
    body: ReactivateBody,
    answers: {
      200: answer('Reactivated.', Done),
      ...refusals(401, 403),
      404: noAccount,
      409: refused('The account is not deactivated.'),
      ...refusals(422),
    },
  },
  {
    method: 'post',
    path: '/api/admin/accounts/{username}/password-reset',
    summary: 'Make a one-time link for the account to set a new password, valid a day (administrators)',
    tags: ['Administration'],
    params: UsernameParams,
    answers: {
      201: answer(
        'The link (`link`, under PUBLIC_URL) and when it lapses (`expiresAt`): shown only in this answer, to ' +
          'be handed to the person. Earlier unused links for the account stop working.',
        z.looseObject({ link: z.string(), expiresAt: z.string(), message: z.string() }).partial(),
      ),
      ...refusals(401, 403),
      404: noAccount,
      409: refused('The account is deactivated: reactivate it first.'),
    },
  },
  {
    method: 'post',
    path: '/api/admin/personal-data/lookups',
    summary: 'Who was shown the person with this ID number, and when; the look-up is itself recorded (administrators)',
    tags: ['Administration'],
    body: LookupBody,
    answers: {
      200: answer(
        'The person’s cases (number and name) and every showing of their unmasked name or ID number, the latest ' +
          'first: when, who (id and name), which case, why (basis, task) and where (purpose), with labels in the ' +
          'reader’s language.',
        z.looseObject({ cases: rows, showings: rows }).partial(),
      ),
      ...refusals(401, 403),
      422: refused('Not a valid ID number of its type: `errors.idNumber` says why.'),
    },
  },
];
