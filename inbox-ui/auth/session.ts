/**
 * Who is asking. A browser presents its session cookie; an API client presents `Authorization: Bearer <token>` from
 * POST /api/session. Either way the user is read from the sessions table on every request, so signing out (or an
 * administrator removing the session) takes effect at once.
 */
import { randomBytes } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Db } from '../../records/database';
import { overseesStations, type User } from '../../records/directory';
import { userOfSession } from '../../records/sessions';
import { HttpError } from '../temporalErrors';
import { SESSION_COOKIE, VISITOR_COOKIE, readCookie, setCookie } from './cookies';
import { csrfTokenFor } from './csrf';
import { isAdministrator, organisationsOf } from './access';
import { readerTOf } from '../language';

export interface Auth {
  user: User;
  via: 'cookie' | 'bearer';
  token: string;
}

export const authOf = (res: Response): Auth | undefined => res.locals.auth;

/** The signed-in user; only for handlers behind requireUser. */
export function userOf(res: Response): User {
  const auth = authOf(res);
  if (!auth) throw new HttpError(401, readerTOf(res)('common:error.signInFirst'));
  return auth.user;
}

export function loadSession(db: Db): RequestHandler {
  return async (req, res, next) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    const cookie = readCookie(req, SESSION_COOKIE);
    const token = bearer ?? cookie;
    const user = token ? await userOfSession(db, token) : undefined;
    if (user && token) res.locals.auth = { user, via: bearer ? 'bearer' : 'cookie', token } satisfies Auth;
    if (!bearer) {
      // Forms are bound to the session, or before sign-in to a visitor id, so even the sign-in form has a token.
      let binding = user ? cookie : readCookie(req, VISITOR_COOKIE);
      if (!binding) {
        binding = randomBytes(24).toString('base64url');
        setCookie(req, res, VISITOR_COOKIE, binding);
      }
      res.locals.csrfBinding = binding;
      res.locals.csrfToken = csrfTokenFor(binding);
    }
    res.locals.currentUser = user && {
      id: user.id,
      name: user.name,
      isAdministrator: isAdministrator(user),
      isClerk: user.roles.some((group) => group.endsWith(':clerks')),
      isSupervisor: isAdministrator(user) || user.roles.some((group) => group.endsWith(':supervisors')),
      // Investigation tasks go to a department's approvers (workflows/investigationFile.ts).
      decidesInvestigations: isAdministrator(user) || user.roles.some((group) => group.endsWith(':approvers')),
      // A guidance center's or a department's people see their stations' statistics (routes/statistics.ts). Looked up
      // only for the pages, which show the menu, not for each API call (the inbox's script polls).
      seesStatistics:
        isAdministrator(user) ||
        (req.method === 'GET' && !isApi(req.originalUrl) && (await overseesStations(db, organisationsOf(user)))),
    };
    next();
  };
}

/** Pages send a signed-out browser to sign in and back; the API answers 401. */
export const requireUser: RequestHandler = (req, res, next) => {
  if (authOf(res)) return next();
  if (isApi(req.originalUrl)) {
    res.status(401).json({ error: readerTOf(res)('common:error.signInFirstApi') });
    return;
  }
  res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
};

export const requireAdministrator: RequestHandler = (_req, res, next) => {
  if (!isAdministrator(userOf(res))) throw new HttpError(403, readerTOf(res)('common:error.administratorsOnly'));
  next();
};

export const isApi = (url: string): boolean => url.startsWith('/api/');
