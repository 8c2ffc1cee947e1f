/**
 * Adding an account and changing its details (routes/accountDetails.ts): the same fields in the page's form and the
 * API. Groups are `<organisation>:<role>` or `administrators`; whether the organisation is registered is the records'
 * check, made in the transaction that writes them (records/accountDetails.ts).
 */
import { z } from 'zod';
import { ADMINISTRATORS_GROUP, GROUP_ROLES } from '../../records/accountDetails';
import { optional, say, text } from './fields';
import { answer, ErrorBody, type Operation, RecordHistoryAnswer, refusals } from './operation';

/** A user name: lower-case letters and digits, joined by single dots, hyphens or underscores (`wang.reviewer-c`). */
export const username = z
  .string({ error: say('accounts:rules.username') })
  .max(60, { error: say('common:validation.tooLong', { max: 60 }) })
  .regex(/^[a-z0-9]+([._-][a-z0-9]+)*$/, { error: say('accounts:rules.username') })
  .meta({ example: 'wang.reviewer-c' });

const GROUP = new RegExp(`^(${ADMINISTRATORS_GROUP}|[a-z0-9]+(-[a-z0-9]+)*:(${GROUP_ROLES.join('|')}))$`);

const group = z
  .string({ error: say('accounts:rules.group') })
  .regex(GROUP, { error: say('accounts:rules.group') })
  .meta({ example: 'station-c:reviewers' });

/** An address a mail server takes: one @, a dot in the domain, nothing that is not printed. */
const email = z
  .string({ error: say('accounts:rules.email') })
  .trim()
  .max(200, { error: say('common:validation.tooLong', { max: 200 }) })
  .regex(/^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]+$/, { error: say('accounts:rules.email') })
  .meta({ format: 'email' });

export const AccountDetailsBody = z.object({
  name: text(100),
  email: optional(email),
  organisationId: z
    .string({ error: say('common:validation.required') })
    .min(1, { error: say('common:validation.required') }),
  groups: z
    .array(group, { error: say('accounts:rules.groups') })
    .min(1, { error: say('accounts:rules.groups') })
    .max(20, { error: say('accounts:rules.tooManyGroups', { max: 20 }) }),
});
export type AccountDetailsFields = z.output<typeof AccountDetailsBody>;

export const NewAccountBody = AccountDetailsBody.extend({ username });

const Done = z.looseObject({ message: z.string() }).partial();
const TAGS = ['Administration'];
const refused = (description: string) => answer(description, ErrorBody);

export const accountDetailsOperations: Operation[] = [
  {
    method: 'post',
    path: '/api/admin/accounts',
    summary:
      'Add an account (administrators): its name, email, organisation and groups, and a one-time link with which ' +
      'the person sets their password, in the answer only',
    tags: TAGS,
    body: NewAccountBody,
    answers: {
      201: answer(
        'Added; `link` sets the password, once, until `expiresAt`.',
        z.looseObject({ message: z.string(), link: z.string(), expiresAt: z.string() }).partial(),
      ),
      ...refusals(401, 403, 422),
      409: refused('The user name is taken.'),
    },
  },
  {
    method: 'get',
    path: '/api/admin/accounts/{account}/history',
    summary:
      'An account’s history from the audit chain, newest first: details changed (each field before and after), ' +
      'deactivations, unlocks, password links',
    tags: TAGS,
    params: z.object({ account: z.string() }),
    answers: {
      200: answer('The history.', RecordHistoryAnswer),
      ...refusals(401, 403),
      404: refused('No account has this user name.'),
    },
  },
  {
    method: 'put',
    path: '/api/admin/accounts/{account}/details',
    summary:
      'Change an account’s name, email, organisation and groups (administrators; never one’s own groups); audited',
    tags: TAGS,
    params: z.object({ account: z.string() }),
    body: AccountDetailsBody,
    answers: {
      200: answer('Changed, or already so.', Done),
      ...refusals(401, 422),
      403: refused('Not an administrator, or a change to the administrator’s own groups.'),
      404: refused('No account has this user name.'),
    },
  },
];
