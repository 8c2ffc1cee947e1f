/**
 * The JSON API's OpenAPI 3 description, served at /api/openapi.json: generated from the zod declarations the routes
 * read their requests with (inbox-ui/contract/), so what it allows is what the server accepts.
 * test/inbox/openapi.test.ts checks that every /api route the app registers is described and the reverse, and
 * test/api/schemathesis.test.ts that the server answers as described, every status a route can answer listed.
 */
import { openApiDocumentOf } from './contract/document';
import { OPERATIONS } from './contract/operations';

export const openApiDocument = openApiDocumentOf(OPERATIONS, {
  title: 'Qualiflow API',
  version: '1.0.0',
  description:
    'Every action of the task inbox and the administrators’ console. Sign in with POST /api/session and send the ' +
    'token as `Authorization: Bearer <token>`; a browser session cookie works too, with the CSRF token of the page ' +
    'in an `X-CSRF-Token` header. Errors are `{ error, code?, errors? }` in the language the request asks for ' +
    '(Accept-Language), `errors` holding a message per field.',
});
