/**
 * With tracing on (runtime/tracing.ts), a server span per request, named by its method and route pattern
 * (`POST /api/cases/:number/tasks/:taskId/approve`, never the address, whose query may hold a name someone searched
 * for) and carrying the answer's status. The request runs inside it, so the Temporal client's spans are its children
 * and the request's log lines carry its trace id (inbox-ui/requestLog.ts). A proxy's `traceparent` is continued.
 */
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
} from '@opentelemetry/semantic-conventions';
import { routeOf } from './metrics';

export function traceRequests(tracer: Tracer): RequestHandler {
  return (req, res, next) => {
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = tracer.startSpan(
      req.method,
      { kind: SpanKind.SERVER, attributes: { [ATTR_HTTP_REQUEST_METHOD]: req.method } },
      parent,
    );
    // 'close' comes after 'finish', and also when the client went away before the answer.
    res.once('close', () => {
      const route = routeOf(req);
      span.updateName(`${req.method} ${route}`);
      span.setAttributes({ [ATTR_HTTP_ROUTE]: route, [ATTR_HTTP_RESPONSE_STATUS_CODE]: res.statusCode });
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    const active = trace.setSpan(parent, span);
    // The body parsers read the request in callbacks of its own stream, which would otherwise run outside the span.
    context.bind(active, req);
    context.bind(active, res);
    context.with(active, next);
  };
}
