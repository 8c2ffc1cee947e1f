/**
 * Signing in and out: the form for browsers, POST/DELETE /api/session for API clients. Attempts are rate-limited per
 * address and per account, so guessing a password is slow however the guesser spreads the tries.
 */
import type { TFunction } from 'i18next';
import { Router, type Response } from 'express';
import type { AppDeps } from '../app';
import { authenticate } from '../../records/directory';
import { createSession, endSession, pruneSessions, SESSION_HOURS } from '../../records/sessions';
import { clearCookie, SESSION_COOKIE, setCookie } from '../auth/cookies';
import { authOf, userOf, requireUser } from '../auth/session';
import { TokenBuckets } from '../rateLimit';
import { tOf } from '../language';
import { HttpError } from '../temporalErrors';
import { fieldErrors, text } from '../validation';

export interface SignInLimits {
  /** Attempts per minute from one address, and for one account from one address. */
  perAddress: number;
  perAccount: number;
  now?: () => number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = { perAddress: 20, perAccount: 5 };

export function sessionRouter({ db, signInLimits = DEFAULT_SIGN_IN_LIMITS }: AppDeps): Router {
  const router = Router();
  const byAddress = new TokenBuckets({ limit: signInLimits.perAddress, perMs: 60_000, now: signInLimits.now });
  const byAccount = new TokenBuckets({ limit: signInLimits.perAccount, perMs: 60_000, now: signInLimits.now });

  /** Checks the limits, then the password: a user, or an HttpError saying what went wrong. */
  const signIn = async (address: string, body: unknown, t: TFunction) => {
    const errors = fieldErrors(t);
    const username = text(body, 'username', errors, { max: 100 });
    const password = text(body, 'password', errors, { max: 200, trim: false });
    errors.throwIfAny(t('common:signIn.missing'));
    const wait = Math.max(byAddress.take(address), byAccount.take(`${address}\u0000${username}`));
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      throw new HttpError(429, t('common:signIn.tooMany', { count: seconds }), { retryAfterSeconds: seconds });
    }
    const user = await authenticate(db, username!, password!);
    if (!user) throw new HttpError(401, t('common:signIn.wrong'));
    // Expired sessions go when someone signs in: often enough to keep the table small, never on a hot path.
    await pruneSessions(db);
    return user;
  };

  router.get('/login', (req, res) => {
    if (authOf(res)) return res.redirect(303, safeNext(req.query.next));
    res.render('login', { title: tOf(res)('common:signIn.title'), next: safeNext(req.query.next) });
  });

  router.post('/login', async (req, res) => {
    const next = safeNext(req.body?.next);
    try {
      const user = await signIn(req.ip ?? 'unknown', req.body, tOf(res));
      const token = await createSession(db, user.id);
      setCookie(req, res, SESSION_COOKIE, token, { maxAgeSeconds: SESSION_HOURS * 3600 });
      res.redirect(303, next);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      retryAfter(res, error);
      res.status(error.status).render('login', {
        title: tOf(res)('common:signIn.title'),
        next,
        username: typeof req.body?.username === 'string' ? req.body.username : '',
        error: error.message,
        errors: error.fields,
      });
    }
  });

  router.post('/logout', async (_req, res) => {
    const auth = authOf(res);
    if (auth) await endSession(db, auth.token);
    clearCookie(res, SESSION_COOKIE);
    res.redirect(303, '/login');
  });

  router.post('/api/session', async (req, res) => {
    try {
      const user = await signIn(req.ip ?? 'unknown', req.body, tOf(res));
      const token = await createSession(db, user.id);
      res.status(201).json({ token, user: { id: user.id, name: user.name, groups: user.roles } });
    } catch (error) {
      if (error instanceof HttpError) retryAfter(res, error);
      throw error;
    }
  });

  router.delete('/api/session', requireUser, async (_req, res) => {
    await endSession(db, authOf(res)!.token);
    clearCookie(res, SESSION_COOKIE);
    res.status(204).end();
  });

  router.get('/api/me', requireUser, (_req, res) => {
    const user = userOf(res);
    res.json({ id: user.id, name: user.name, organisationId: user.organisationId, groups: user.roles });
  });
  return router;
}

function retryAfter(res: Response, error: HttpError): void {
  const seconds = error.details?.retryAfterSeconds;
  if (typeof seconds === 'number') res.set('Retry-After', String(seconds));
}

/** Only paths on this site: `next=//evil.example` or a full URL would make the sign-in form an open redirect. */
function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\')
    ? next
    : '/inbox';
}
