/**
 * The workflow side of OpenTelemetry tracing: a span for the workflow's run, one per update handler and one per
 * activity it schedules (carried to the activity in Temporal's trace header), handed to the worker through the
 * package's sink (worker/worker.ts). Every bundle holds these interceptors, tracing on or off (`WORKFLOW_BUNDLE_OPTIONS`).
 *
 * Not the SDK's own workflow interceptors (`@temporalio/interceptors-opentelemetry`'s OpenTelemetryInboundInterceptor
 * and OpenTelemetryOutboundInterceptor): theirs are `async` functions that return what they wrap a few promise turns
 * later, even where an SDK flag makes them pass a call straight through. An update handler then settles after the
 * activities its workflow task scheduled, and a history replays only against the same choice of interceptors: the
 * recorded histories fail with nondeterminism when they are added, and a traced case when they are removed. These
 * return the very promise they wrap, so a workflow runs turn for turn as without them; only its spans are new, and
 * neither spans nor the trace header are commands. They reuse the package's parts: its sink exporter, context
 * manager, header format and span names.
 *
 * One link is ours alone. The update handlers only change the case file and return; the activities a decision causes
 * (its records, the next group's notice) are scheduled by the workflow's main function when it wakes up in the same
 * activation, in the context of the run, whose trace is the intake's. So an activity scheduled in the activation that
 * ran an update is traced as that update's consequence: its span's parent is the update handler's.
 */
import '@temporalio/interceptors-opentelemetry/lib/workflow/runtime';
import { context, SpanStatusCode, trace, type Attributes, type Context, type Tracer } from '@opentelemetry/api';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import {
  extractContextFromHeaders,
  headersWithContext,
  UPDATE_ID_ATTR_KEY,
} from '@temporalio/interceptors-opentelemetry/lib/instrumentation';
import { ContextManager } from '@temporalio/interceptors-opentelemetry/lib/workflow/context-manager';
import { SpanName, SPAN_DELIMITER } from '@temporalio/interceptors-opentelemetry/lib/workflow/definitions';
import { SpanExporter } from '@temporalio/interceptors-opentelemetry/lib/workflow/span-exporter';
import { ContinueAsNew, workflowInfo, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

let tracer: Tracer | undefined;
let contextManager: ContextManager | undefined;

function tracerOfWorkflows(): Tracer {
  if (!tracer) {
    contextManager = new ContextManager();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new SpanExporter())] });
    // Also the W3C format that the trace header is read and written in.
    provider.register({ contextManager });
    tracer = provider.getTracer('@temporalio/interceptor-workflow');
  }
  return tracer;
}

/** `run` inside a span that ends when its promise settles; that same promise is returned, unchanged. */
function traced<T>(name: string, parent: Context, run: () => Promise<T>, attributes: Attributes = {}): Promise<T> {
  const span = tracerOfWorkflows().startSpan(name, { attributes }, parent);
  const result = context.with(trace.setSpan(parent, span), run);
  result.then(
    () => {
      span.setStatus({ code: SpanStatusCode.OK });
      span.end();
    },
    (error: unknown) => {
      if (!(error instanceof ContinueAsNew)) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message ?? String(error) });
      }
      span.end();
    },
  );
  return result;
}

const spanName = (kind: SpanName, of: string) => `${kind}${SPAN_DELIMITER}${of}`;

export const interceptors: WorkflowInterceptorsFactory = () => {
  tracerOfWorkflows();
  // The context of the last update handled in this activation: inside its handler's span.
  let decision: Context | undefined;
  return {
    inbound: [
      {
        execute(input, next) {
          const parent = extractContextFromHeaders(input.headers) ?? context.active();
          return traced(spanName(SpanName.WORKFLOW_EXECUTE, workflowInfo().workflowType), parent, () => next(input));
        },
        handleUpdate(input, next) {
          const parent = extractContextFromHeaders(input.headers) ?? context.active();
          const name = spanName(SpanName.WORKFLOW_HANDLE_UPDATE, input.name);
          return traced(
            name,
            parent,
            () => {
              decision = context.active();
              return next(input);
            },
            { [UPDATE_ID_ATTR_KEY]: input.updateId },
          );
        },
      },
    ],
    outbound: [
      {
        scheduleActivity(input, next) {
          const parent = decision ?? context.active();
          return traced(spanName(SpanName.ACTIVITY_START, input.activityType), parent, () =>
            next({ ...input, headers: headersWithContext(input.headers) }),
          );
        },
      },
    ],
    internals: [
      {
        concludeActivation(input, next) {
          decision = undefined;
          return next(input);
        },
        dispose(input, next) {
          contextManager?.disable();
          next(input);
        },
      },
    ],
  };
};
