/**
 * Every request gets an id (the proxy's `X-Request-Id` when it sent a sensible one, else a new one), sent back in the
 * answer's `X-Request-Id` header, and a logger whose every line carries it, and the case's workflow id when the
 * address names a case (`/cases/<number>`, `/tasks/<number>/…`, and the same under `/api/`). At INFO, one line per
 * request: the route's pattern (never the address itself, whose query may hold a name someone searched for), the
 * status and the time taken. With tracing on, every line also carries the request's `traceId` (inbox-ui/tracing.ts).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { trace } from '@opentelemetry/api';
import type { RequestHandler, Response } from 'express';
import { APPLICATION_NUMBER_PATTERN } from '../domain/validateApplication';
import { log as processLog, type Logger } from '../runtime/log';
import { workflowIdFor } from '../workflows/definitions';

const SENSIBLE_ID = /^[\w.-]{1,64}$/;
const CASE_IN_PATH = /^\/(?:api\/)?(?:cases|tasks)\/([^/]+)/;

export function requestLog(logger: Logger = processLog): RequestHandler {
  return (req, res, next) => {
    const offered = req.get('x-request-id');
    const requestId = offered && SENSIBLE_ID.test(offered) ? offered : randomUUID();
    res.set('X-Request-Id', requestId);
    const workflowId = workflowIdOfPath(req.path);
    // Without tracing there is no span, and no field.
    const traceId = trace.getActiveSpan()?.spanContext().traceId;
    const lines = logger.child({ requestId, ...(traceId && { traceId }), ...(workflowId && { workflowId }) });
    res.locals.log = lines;
    const started = performance.now();
    res.once('finish', () => {
      const route = typeof req.route?.path === 'string' ? `${req.baseUrl}${req.route.path}` : 'unmatched';
      lines.info(
        { method: req.method, route, status: res.statusCode, ms: Math.round(performance.now() - started) },
        'request',
      );
    });
    next();
  };
}

/** The request's logger (with its id), or the process's for code that runs outside a request. */
export const logOf = (res: Response): Logger => (res.locals.log as Logger | undefined) ?? processLog;

function workflowIdOfPath(path: string): string | undefined {
  const segment = CASE_IN_PATH.exec(path)?.[1];
  if (!segment) return undefined;
  let number: string;
  try {
    number = decodeURIComponent(segment);
  } catch {
    return undefined;
  }
  return APPLICATION_NUMBER_PATTERN.test(number) ? workflowIdFor(number) : undefined;
}
