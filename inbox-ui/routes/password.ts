/**
 * Passwords: a signed-in person changes their own (/account/password, POST /api/account/password), and a person who
 * cannot sign in sets a new one with the one-time link an administrator made for them (/account/reset/<token>, POST
 * /api/account/reset/<token>; the administrators' side is in routes/accounts.ts). records/passwordResets.ts does the
 * writing and the auditing.
 *
 * A wrong current password counts as a failed sign-in for the name (records/signInFailures.ts): the same waits, the
 * same lock and the same notice, so a session left open in a browser is no way round the sign-in's limits. A link's
 * pages answer an unknown, used or expired token with one and the same page, are rate-limited per address like the
 * sign-in, and send no Referer, so the token in their address stays on this site.
 */
import { Router, type Request, type Response } from 'express';
import { authenticate } from '../../records/directory';
import { changeOwnPassword, usePasswordReset, userOfResetToken } from '../../records/passwordResets';
import {
  clearFailures,
  countFailure,
  forgetOldFailures,
  signInGate,
  type SignInThrottle,
} from '../../records/signInFailures';
import type { AppDeps } from '../app';
import { authOf, isApi, requireUser, userOf } from '../auth/session';
import { setFlash, takeFlash } from '../flash';
import { tOf } from '../language';
import { messageText } from '../messageText';
import { rateLimit } from '../rateLimit';
import { HttpError } from '../temporalErrors';
import { fieldErrors, type FieldErrors } from '../validation';
import { PASSWORD_MIN_LENGTH, PasswordChangeBody, PasswordResetBody } from '../contract/account';
import { readForm, readJson } from '../contract/read';
import { DEFAULT_SIGN_IN_LIMITS, tellAdministratorsOfLock } from './session';

export { PASSWORD_MIN_LENGTH } from '../contract/account';

/** The form requires the new password typed twice; the API may leave the repetition out (a program does not mistype). */
type Repeat = 'required' | 'optional';
/** The form's text, or the API's JSON: the same declaration either way. */
const readerFor = (repeat: Repeat) => (repeat === 'required' ? readForm : readJson);

export function passwordRouter({
  db,
  publicUrl = '',
  signInLimits = DEFAULT_SIGN_IN_LIMITS,
  emailNotices = false,
}: AppDeps): Router {
  const router = Router();
  const now = () => new Date(signInLimits.now?.() ?? Date.now());
  const throttle: SignInThrottle = {
    freeFailures: signInLimits.freeFailures ?? DEFAULT_SIGN_IN_LIMITS.freeFailures!,
    lockAfter: signInLimits.perAccount,
  };
  // The sign-in's allowance per address, in a bucket of its own: guessing tokens is as slow as guessing passwords.
  const resetLimit = rateLimit(db, 'password-reset', {
    limit: signInLimits.perAddress,
    perMs: 60_000,
    now: signInLimits.now,
    tooMany: 'account:reset.tooMany',
    reply: (res, said) => {
      const t = tOf(res);
      noReferrer(res);
      if (isApi(res.req.originalUrl)) res.json({ error: messageText(t, said) });
      else res.render('error', { title: t('account:reset.tooManyTitle'), message: messageText(t, said) });
    },
  });
  router.use(['/account/reset', '/api/account/reset'], resetLimit);

  // ---- Changing one's own password ----

  const changePage = (res: Response, extra: Record<string, unknown> = {}) =>
    res.render('passwordChange', {
      title: tOf(res)('account:change.title'),
      username: userOf(res).id,
      minLength: PASSWORD_MIN_LENGTH,
      errors: {},
      ...extra,
    });

  /**
   * Reads the form, checks the rules that need the user, then the current password as the sign-in would; changes the
   * password or throws an HttpError.
   */
  const change = async (req: Request, res: Response, repeat: Repeat) => {
    const t = tOf(res);
    const user = userOf(res);
    const body = readerFor(repeat)(PasswordChangeBody, req.body, t, t('account:change.refused'));
    const errors = fieldErrors(t);
    newPasswordRules(body, user.id, errors, repeat);
    const gate = await signInGate(db, user.id, throttle, now());
    if (gate.state === 'locked') throw refusedOnCurrent(423, t('common:signIn.locked'));
    if (gate.state === 'wait') {
      const seconds = Math.max(1, Math.ceil((gate.retryAt.getTime() - now().getTime()) / 1000));
      throw refusedOnCurrent(429, t('common:signIn.tooMany', { count: seconds }), seconds);
    }
    if (await authenticate(db, user.id, body.currentPassword)) await clearFailures(db, user.id);
    else {
      await forgetOldFailures(db, now());
      const counted = await countFailure(db, user.id, throttle, now());
      if (counted.lockedAt) await tellAdministrators(user.id, counted.failures, counted.lockedAt);
      if (counted.locked) throw refusedOnCurrent(423, t('common:signIn.locked'));
      errors.add('currentPassword', t('account:change.currentWrong'));
    }
    errors.throwIfAny(t('account:change.refused'));
    return changeOwnPassword(db, user.id, body.newPassword, { keep: authOf(res)!.token, now: now() });
  };

  const tellAdministrators = (username: string, failures: number, lockedAt: string) =>
    tellAdministratorsOfLock({ db, publicUrl, emailNotices }, { username, failures, lockedAt });

  router.get('/account/password', requireUser, async (req, res) => {
    changePage(res, { flash: await takeFlash(req, res) });
  });

  router.post('/account/password', requireUser, async (req, res) => {
    const t = tOf(res);
    try {
      const { endedSessions } = await change(req, res, 'required');
      await setFlash(res, req, { kind: 'ok', message: t('account:change.done', { count: endedSessions }) });
      res.redirect(303, '/account/password');
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      retryAfter(res, error);
      res.status(error.status);
      changePage(res, { error: error.message, errors: error.fields ?? {} });
    }
  });

  router.post('/api/account/password', requireUser, async (req, res) => {
    try {
      const { endedSessions } = await change(req, res, 'optional');
      res.json({ message: tOf(res)('account:change.done', { count: endedSessions }), endedSessions });
    } catch (error) {
      if (error instanceof HttpError) retryAfter(res, error);
      throw error;
    }
  });

  // ---- A one-time link from an administrator ----

  const resetPage = (res: Response, token: string, username: string, extra: Record<string, unknown> = {}) =>
    res.render('passwordReset', {
      title: tOf(res)('account:reset.title'),
      action: `/account/reset/${encodeURIComponent(token)}`,
      username,
      minLength: PASSWORD_MIN_LENGTH,
      errors: {},
      ...extra,
    });

  /**
   * Unknown, used and expired alike: the page says nothing of which. 404, as any address that leads nowhere answers,
   * so that a guessed link and a spent one look the same from outside too.
   */
  const gone = (res: Response) => {
    const t = tOf(res);
    if (isApi(res.req.originalUrl)) return res.status(404).json({ error: t('account:reset.gone') });
    res.status(404).render('error', { title: t('account:reset.goneTitle'), message: t('account:reset.gone') });
  };

  /** Sets the password with the link: the account's id, undefined when the link does not work, or an HttpError. */
  const reset = async (req: Request, res: Response, repeat: Repeat) => {
    const t = tOf(res);
    const token = String(req.params.token);
    const userId = await userOfResetToken(db, token, now());
    if (!userId) return undefined;
    const body = readerFor(repeat)(PasswordResetBody, req.body, t, t('account:reset.refused'));
    const errors = fieldErrors(t);
    newPasswordRules(body, userId, errors, repeat);
    errors.throwIfAny(t('account:reset.refused'));
    // A link used or lapsed between the two reads sets nothing either.
    return (await usePasswordReset(db, token, body.newPassword, now()))?.userId;
  };

  router.get('/account/reset/:token', async (req, res) => {
    noReferrer(res);
    const token = String(req.params.token);
    const userId = await userOfResetToken(db, token, now());
    if (!userId) return gone(res);
    resetPage(res, token, userId);
  });

  router.post('/account/reset/:token', async (req, res) => {
    noReferrer(res);
    const t = tOf(res);
    try {
      const userId = await reset(req, res, 'required');
      if (!userId) return gone(res);
      await setFlash(res, req, { kind: 'ok', message: t('account:reset.done', { username: userId }) });
      res.redirect(303, '/login');
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      const token = String(req.params.token);
      res.status(error.status);
      resetPage(res, token, (await userOfResetToken(db, token, now())) ?? '', {
        error: error.message,
        errors: error.fields ?? {},
      });
    }
  });

  router.post('/api/account/reset/:token', async (req, res) => {
    noReferrer(res);
    const userId = await reset(req, res, 'optional');
    if (!userId) return gone(res);
    res.json({ message: tOf(res)('account:reset.done', { username: userId }) });
  });

  return router;
}

/**
 * The rules of a new password the schema cannot state (contract/account.ts states the others): not the user name,
 * and on the form, typed twice.
 */
function newPasswordRules(
  { newPassword, repeatPassword }: { newPassword: string; repeatPassword?: string },
  username: string,
  errors: FieldErrors,
  repeat: Repeat,
): void {
  if (newPassword.trim().toLowerCase() === username.toLowerCase()) {
    errors.add('newPassword', errors.t('account:rules.sameAsUsername'));
  }
  if (repeatPassword === undefined && repeat === 'required') {
    errors.add('repeatPassword', errors.t('account:rules.repeatRequired'));
  }
}

/** A refusal about the current password: the form shows it beside that field, the API in `errors`. */
function refusedOnCurrent(status: number, message: string, retryAfterSeconds?: number): HttpError {
  return new HttpError(status, message, {
    fields: { currentPassword: message },
    ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
  });
}

function retryAfter(res: Response, error: HttpError): void {
  const seconds = error.details?.retryAfterSeconds;
  if (typeof seconds === 'number') res.set('Retry-After', String(seconds));
}

/** The link's token is in the page's address: no link or resource the page loads may carry it elsewhere. */
function noReferrer(res: Response): void {
  res.set('Referrer-Policy', 'no-referrer');
}
