/**
 * CSRF tokens: every form carries one, and every state-changing request made with a cookie must present it (form field
 * `_csrf` or header `X-CSRF-Token`). The token is an HMAC of the browser's own session (or visitor) cookie, so a
 * page on another site, which cannot read that cookie, cannot compute it, and the server stores nothing extra.
 * Requests authenticated by a bearer token carry no ambient credentials and need none; nor does a JSON API call made
 * without a session cookie (signing in for a token), which a page on another site cannot send without CORS, nor one
 * without a body, which then reaches the sign-in check and is answered 401 like any other call without a session.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { readerTOf } from '../language';
import { HttpError } from '../temporalErrors';

export const csrfTokenFor = (cookieValue: string): string =>
  createHmac('sha256', cookieValue).update('qualiflow csrf').digest('base64url');

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const requireCsrf: RequestHandler = (req, res, next) => {
  if (SAFE_METHODS.has(req.method) || res.locals.auth?.via === 'bearer') return next();
  // `req.is` is null for a request without a body (an API client's DELETE), and false for an empty one sent with
  // `Content-Length: 0` and no type: nothing a form could have sent either.
  const jsonOrNothing = req.is('application/json') !== false || req.get('content-length') === '0';
  if (req.path.startsWith('/api/') && !res.locals.auth && jsonOrNothing) return next();
  const bound: string | undefined = res.locals.csrfBinding;
  const presented = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.get('x-csrf-token');
  if (!bound || typeof presented !== 'string' || !sameToken(presented, csrfTokenFor(bound))) {
    return next(new HttpError(403, readerTOf(res)('common:error.formExpired')));
  }
  next();
};

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
