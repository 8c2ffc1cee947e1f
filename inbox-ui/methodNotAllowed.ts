/**
 * A method the app does not answer at a path it knows is 405 with an `Allow` header, not a 404: the path exists, the
 * method does not (RFC 9110). Under /api the methods come from the API's own document, so `Allow` and
 * /api/openapi.json cannot disagree; pages are read with GET and sent with POST. TRACE, which would echo a request's
 * cookies back, is never answered.
 */
import type { RequestHandler } from 'express';
import { isApi } from './auth/session';
import { readerTOf } from './language';
import { openApiDocument } from './openapi';

const PAGE_METHODS = ['GET', 'HEAD', 'POST'];

/** Each documented path as a pattern (`{number}` is one segment), with the methods the document gives it. */
const API_ROUTES = Object.entries(openApiDocument.paths).map(([template, operations]) => ({
  pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}/?$`),
  literal: !template.includes('{'),
  methods: Object.keys(operations).map((method) => method.toUpperCase()),
}));

/**
 * The methods answered at this API path (HEAD wherever GET is), or none when no documented path matches it. A path
 * written out in the document (`/api/admin/organisations/import`) is that path, not one of a template's values.
 */
function apiMethodsAt(path: string): string[] {
  const matching = API_ROUTES.filter(({ pattern }) => pattern.test(path));
  const literal = matching.filter((route) => route.literal);
  const methods = new Set((literal.length > 0 ? literal : matching).flatMap(({ methods }) => methods));
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods];
}

/**
 * OPTIONS under /api, answered from the document too: Express would answer it from the first router with a route at
 * the path, which lists only that router's methods when a path's methods live in two routers.
 */
export const apiOptions: RequestHandler = (req, res, next) => {
  if (req.method !== 'OPTIONS' || !isApi(req.path)) return next();
  const allowed = apiMethodsAt(req.path);
  if (allowed.length === 0) return next();
  res.status(204).set('Allow', allowed.join(', ')).end();
};

/** Placed after every route: what reaches it was not answered, so a path with other methods gets its 405 here. */
export const methodNotAllowed: RequestHandler = (req, res, next) => {
  const allowed = isApi(req.path) ? apiMethodsAt(req.path) : PAGE_METHODS;
  if (allowed.length === 0 || allowed.includes(req.method)) return next();
  const message = readerTOf(res)('common:error.methodNotAllowed', { method: req.method, allowed: allowed.join(', ') });
  res.status(405).set('Allow', allowed.join(', '));
  if (isApi(req.path)) res.json({ error: message });
  else res.render('error', { title: readerTOf(res)('common:error.status', { status: 405 }), message });
};

/**
 * TRACE before the CSRF check, which would otherwise refuse it (403) as a method that changes state: it changes
 * nothing, it is simply never answered.
 */
export const refuseTrace: RequestHandler = (req, res, next) =>
  req.method === 'TRACE' ? methodNotAllowed(req, res, next) : next();
