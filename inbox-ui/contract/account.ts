/**
 * Signing in and out, and one's own password (inbox-ui/routes/session.ts, routes/password.ts): the bodies the sign-in
 * form, the password forms and their API twins read, and the operations /api/openapi.json describes for them.
 * Passwords are secrets: taken exactly as sent, never trimmed or normalised.
 */
import { z } from 'zod';
import { ErrorBody, answer, type Operation, refusals } from './operation';
import { optional, say, secret, text } from './fields';

/** The shortest new password, in characters. */
export const PASSWORD_MIN_LENGTH = 10;
/** The longest: what the sign-in takes. */
export const PASSWORD_MAX_LENGTH = 200;

export const SignInBody = z.object({
  username: text(100),
  password: secret(PASSWORD_MAX_LENGTH),
});
export type SignIn = z.output<typeof SignInBody>;

/**
 * A new password by the rules a schema can state: present, long enough, not too long, counted in characters (a
 * character outside the basic plane is one). That it is not the user name is the route's rule: it knows the user.
 */
const newPassword = z
  .string({ error: say('account:rules.required') })
  .superRefine((value, context) => {
    const length = [...value].length;
    if (length === 0) context.addIssue({ code: 'custom', message: say('account:rules.required') });
    else if (length < PASSWORD_MIN_LENGTH) {
      context.addIssue({ code: 'custom', message: say('account:rules.tooShort', { min: PASSWORD_MIN_LENGTH }) });
    } else if (length > PASSWORD_MAX_LENGTH) {
      context.addIssue({ code: 'custom', message: say('account:rules.tooLong', { max: PASSWORD_MAX_LENGTH }) });
    }
  })
  .meta({
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_LENGTH,
    description: `At least ${PASSWORD_MIN_LENGTH} characters, and not your user name.`,
  });

/** The repetition: a form requires it (the route says so), the API may leave it out; given, it must match. */
const repeatPassword = optional(z.string()).meta({
  description: 'Optional; when given, it must equal `newPassword`.',
});

/** The repetition, when given, is the new password typed again. */
const repeated = <Body extends { newPassword?: unknown; repeatPassword?: unknown }>(
  body: Body,
  context: z.RefinementCtx,
) => {
  if (typeof body.repeatPassword === 'string' && body.repeatPassword !== body.newPassword) {
    context.addIssue({ code: 'custom', path: ['repeatPassword'], message: say('account:rules.notRepeated') });
  }
};

export const PasswordChangeBody = z
  .object({
    currentPassword: secret(PASSWORD_MAX_LENGTH, { missing: say('account:change.currentMissing') }),
    newPassword,
    repeatPassword,
  })
  .superRefine(repeated);
export type PasswordChange = z.output<typeof PasswordChangeBody>;

export const PasswordResetBody = z.object({ newPassword, repeatPassword }).superRefine(repeated);
export type PasswordReset = z.output<typeof PasswordResetBody>;

const refusal = (description: string) => answer(description, ErrorBody);

export const accountOperations: Operation[] = [
  {
    method: 'post',
    path: '/api/session',
    summary: 'Sign in',
    tags: ['Session'],
    public: true,
    body: SignInBody,
    answers: {
      201: answer('Signed in.', z.looseObject({ token: z.string(), user: z.looseObject({}) }).partial()),
      401: refusal('Wrong user name or password.'),
      422: refusal('A field is missing.'),
      423: refusal('The user name is locked after too many failed sign-ins; an administrator unlocks it.'),
      429: refusal('Too many attempts from this address, or too soon after failures for this name; see Retry-After.'),
    },
  },
  {
    method: 'delete',
    path: '/api/session',
    summary: 'Sign out',
    tags: ['Session'],
    answers: { 204: answer('Signed out.'), ...refusals(401) },
  },
  {
    method: 'get',
    path: '/api/me',
    summary: 'Who you are',
    tags: ['Session'],
    answers: {
      200: answer(
        'Your id, name and groups.',
        z
          .looseObject({ id: z.string(), name: z.string(), organisationId: z.string(), groups: z.array(z.string()) })
          .partial(),
      ),
      ...refusals(401),
    },
  },
  {
    method: 'post',
    path: '/api/account/password',
    summary: 'Change your own password; your other sessions are signed out, this one stays',
    tags: ['Session'],
    body: PasswordChangeBody,
    answers: {
      200: answer(
        'Changed: `message`, and `endedSessions`, how many other sessions were signed out.',
        z.looseObject({ message: z.string(), endedSessions: z.number().int() }).partial(),
      ),
      ...refusals(401),
      422: refusal(
        'Not changed: `errors` says which field is wrong (a wrong current password counts as a failed sign-in).',
      ),
      423: refusal('Your user name is locked after too many failed sign-ins; an administrator unlocks it.'),
      429: refusal('Too soon after wrong current passwords; see Retry-After.'),
    },
  },
  {
    method: 'post',
    path: '/api/account/reset/{token}',
    summary: "Set a new password with an administrator's one-time link (no sign-in); every session is signed out",
    tags: ['Session'],
    public: true,
    params: z.object({ token: z.string() }),
    body: PasswordResetBody,
    answers: {
      200: answer('The password is set; sign in with it.', z.looseObject({ message: z.string() }).partial()),
      404: refusal('The link is unknown, used or expired (the answer does not say which).'),
      422: refusal('Not set: `errors` says what is wrong with the new password.'),
      429: refusal('Too many attempts from this address; see Retry-After.'),
    },
  },
];
