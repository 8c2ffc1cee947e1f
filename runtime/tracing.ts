/**
 * OpenTelemetry tracing, on when an OTLP endpoint is configured (runtime/config.ts `tracing`); without one nothing here
 * runs: no provider, no interceptors, no spans. One trace follows a decision from the web request (inbox-ui/tracing.ts)
 * through the Temporal client's Update, the workflow's update handler and the activities it caused
 * (workflows/tracing.ts), to the collector over OTLP/HTTP (JSON), in batches.
 *
 * Each part of a process has its own provider, named by OTEL_SERVICE_NAME or else by its part (`qualiflow-web`,
 * `qualiflow-worker`), so `npm start`, which runs both, still tells them apart. None is registered as OpenTelemetry's
 * global provider: the interceptors and the web app are handed their tracer. What is shared is global by nature: the
 * context that follows a request across `await`s, and the W3C `traceparent` format of Temporal's trace header.
 */
import { context, diag, DiagLogLevel, propagation, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { TracingConfig } from './config';
import { log } from './log';

export interface Tracing {
  readonly serviceName: string;
  readonly tracer: Tracer;
  /** For the workflows' spans, which the worker's sink hands to the same processor (`makeWorkflowExporter`). */
  readonly resource: Resource;
  readonly spanProcessor: SpanProcessor;
  /** Sends every ended span now, and resolves when the collector has answered. */
  flush(): Promise<void>;
  /** Flushes, then stops: the last step of a process's orderly stop. */
  shutdown(): Promise<void>;
}

/** A tracer provider for one part of the process, or `undefined` when tracing is off. */
export function startTracing(config: TracingConfig | undefined, defaultServiceName: string): Tracing | undefined {
  if (!config) return undefined;
  installOnce();
  const serviceName = config.serviceName ?? defaultServiceName;
  const resource = new Resource({ [ATTR_SERVICE_NAME]: serviceName });
  // The exporter also reads OTEL_EXPORTER_OTLP_HEADERS (or _TRACES_HEADERS): a collector's credentials stay there.
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter({ url: config.tracesUrl }));
  const provider = new BasicTracerProvider({ resource, spanProcessors: [spanProcessor] });
  return {
    serviceName,
    tracer: provider.getTracer('qualiflow'),
    resource,
    spanProcessor,
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

let installed = false;

function installOnce(): void {
  if (installed) return;
  installed = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  // A collector that cannot be reached is the operator's to know: OpenTelemetry's own warnings go to the operational
  // log instead of nowhere.
  const warn = (message: string, ...args: unknown[]) => log.warn({ otel: args }, message);
  diag.setLogger(
    { error: (message, ...args) => log.error({ otel: args }, message), warn, info() {}, debug() {}, verbose() {} },
    DiagLogLevel.WARN,
  );
}
