/**
 * Signing in and out: the form for browsers, POST/DELETE /api/session for API clients. Guessing a password is slow
 * however the guesser spreads the tries: attempts from one address are rate-limited in this server's memory, and
 * failures for one sign-in name are counted in the application database, shared by every web server (records/
 * signInFailures.ts): after a few in a row each further attempt waits longer, and at the limit the name is locked
 * until an administrator unlocks it (routes/accounts.ts), who is told in the notification log.
 *
 * A name without an account goes through the same steps, the same password hashing and the same writes as one with
 * an account, and gets the same answers, so neither the answer nor its timing tells which names exist. A locked name
 * is refused before its password is checked, so the answer never tells whether the password was right.
 */
import type { TFunction } from 'i18next';
import { Router, type Response } from 'express';
import type { AppDeps } from '../app';
import { type Language, translator } from '../../i18n';
import { authenticate } from '../../records/directory';
import { createSession, endSession, pruneSessions, SESSION_HOURS } from '../../records/sessions';
import { recordGroupNotice } from '../../records/outbox';
import { RateBuckets } from '../../records/rateBuckets';
import { DEFAULT_SIGN_IN_LOCK_AFTER } from '../../runtime/config';
import {
  clearFailures,
  countFailure,
  forgetOldFailures,
  signInGate,
  type SignInThrottle,
} from '../../records/signInFailures';
import { ADMINISTRATORS } from '../../workflows/taskRules';
import { clearCookie, SESSION_COOKIE, setCookie } from '../auth/cookies';
import { authOf, userOf, requireUser } from '../auth/session';
import { takeFlash } from '../flash';
import { tOf } from '../language';
import { HttpError } from '../temporalErrors';
import { SignInBody } from '../contract/account';
import { readForm, readJson } from '../contract/read';

export interface SignInLimits {
  /** Attempts per minute from one address. */
  perAddress: number;
  /** Failed sign-ins in a row, for one name from any address, that lock it until an administrator unlocks it. */
  perAccount: number;
  /** Failed sign-ins in a row before each further attempt waits (1 s, doubling up to 15 minutes). Default 3. */
  freeFailures?: number;
  now?: () => number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = {
  perAddress: 20,
  perAccount: DEFAULT_SIGN_IN_LOCK_AFTER,
  freeFailures: 3,
};

export function sessionRouter({
  db,
  publicUrl = '',
  signInLimits = DEFAULT_SIGN_IN_LIMITS,
  demoDirectory = false,
  emailNotices = false,
}: AppDeps): Router {
  const router = Router();
  const byAddress = new RateBuckets(db, 'sign-in', {
    limit: signInLimits.perAddress,
    perMs: 60_000,
    now: signInLimits.now,
  });
  const throttle: SignInThrottle = {
    freeFailures: signInLimits.freeFailures ?? DEFAULT_SIGN_IN_LIMITS.freeFailures!,
    lockAfter: signInLimits.perAccount,
  };
  const now = () => new Date(signInLimits.now?.() ?? Date.now());

  const tooMany = (t: TFunction, waitMs: number) => {
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    return new HttpError(429, t('common:signIn.tooMany', { count: seconds }), { retryAfterSeconds: seconds });
  };

  /**
   * Reads the body (the form's text or the API's JSON, one declaration), checks the limits, then the password: a user,
   * or an HttpError saying what went wrong.
   */
  const signIn = async (address: string, body: unknown, t: TFunction, read: typeof readJson) => {
    const { username, password } = read(SignInBody, body, t, t('common:signIn.missing'));
    const wait = await byAddress.take(address);
    if (wait > 0) throw tooMany(t, wait);
    const gate = await signInGate(db, username, throttle, now());
    if (gate.state === 'locked') throw new HttpError(423, t('common:signIn.locked'));
    if (gate.state === 'wait') throw tooMany(t, gate.retryAt.getTime() - now().getTime());
    const user = await authenticate(db, username, password);
    if (!user) {
      // Before counting: a name quiet for a day starts again from one (and the table sheds the names tried once).
      await forgetOldFailures(db, now());
      const counted = await countFailure(db, username, throttle, now());
      if (counted.lockedAt) await tellAdministrators(username, counted.failures, counted.lockedAt);
      throw counted.locked
        ? new HttpError(423, t('common:signIn.locked'))
        : new HttpError(401, t('common:signIn.wrong'));
    }
    await clearFailures(db, username);
    // Expired sessions go when someone signs in: often enough to keep the table small, never on a hot path.
    await pruneSessions(db);
    return user;
  };

  const tellAdministrators = (username: string, failures: number, lockedAt: string) =>
    tellAdministratorsOfLock({ db, publicUrl, emailNotices }, { username, failures, lockedAt });

  router.get('/login', async (req, res) => {
    if (authOf(res)) return res.redirect(303, safeNext(req.query.next));
    res.render('login', {
      title: tOf(res)('common:signIn.title'),
      // What sent the person here: a password just set with a reset link (routes/password.ts).
      flash: await takeFlash(req, res),
      next: safeNext(req.query.next),
      demoHint: demoDirectory,
    });
  });

  router.post('/login', async (req, res) => {
    const next = safeNext(req.body?.next);
    try {
      const user = await signIn(req.ip ?? 'unknown', req.body, tOf(res), readForm);
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
      const user = await signIn(req.ip ?? 'unknown', req.body, tOf(res), readJson);
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

/**
 * The lock's notice, in both languages (administrators may read either), pointing at the page that unlocks. Written
 * wherever a password is counted as wrong: the sign-in, and the current password of a change (routes/password.ts).
 */
export function tellAdministratorsOfLock(
  { db, publicUrl = '', emailNotices = false }: Pick<AppDeps, 'db' | 'publicUrl' | 'emailNotices'>,
  { username, failures, lockedAt }: { username: string; failures: number; lockedAt: string },
) {
  const link = `${publicUrl}/admin/accounts`;
  // The link in the text too, as a case's notice has it: an email has no button.
  const words = (language: Language) => {
    const t = translator(language);
    return {
      subject: t('admin:accounts.notice.subject', { username }),
      body: [t('admin:accounts.notice.body', { username, count: failures }), t('notices:line.openIt', { link })].join(
        '\n',
      ),
    };
  };
  return recordGroupNotice(db, {
    key: `account-locked:${username}:${lockedAt}`,
    kind: 'account-locked',
    recipient: ADMINISTRATORS,
    at: lockedAt,
    zh: words('zh-CN'),
    en: words('en'),
    link,
    emailed: emailNotices,
  });
}
