/**
 * Creates the worker that runs the case workflows and their activities on the task queue.
 */
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  type OpenTelemetryWorkflowExporter,
} from '@temporalio/interceptors-opentelemetry';
import { type InjectedSinks, NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { FAILURE_CONVERTER_PATH } from '../runtime/encryption/dataConverter';
import type { Tracing } from '../runtime/tracing';
import { TASK_QUEUE } from '../workflows/definitions';
import { bundleApart } from './bundle';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
/** The workflow interceptors of tracing, in every bundle (see `WORKFLOW_BUNDLE_OPTIONS`). */
export const TRACING_INTERCEPTORS_PATH = fileURLToPath(new URL('../workflows/tracing.ts', import.meta.url));

export interface QualiflowWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  deps: ActivityDeps;
  taskQueue?: string;
  /**
   * The payload encryption (runtime/encryption/dataConverter.ts `encryptedDataConverter`), the same keys as the clients'.
   * A prebuilt bundle must be built with its failure converter (`WORKFLOW_BUNDLE_OPTIONS`).
   */
  dataConverter: DataConverter;
  /** A prebuilt bundle (tests and the bench build it once); otherwise one is built apart (worker/bundle.ts). */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** OpenTelemetry tracing (runtime/tracing.ts): the activities' spans, and the workflows' through the sink. */
  tracing?: Tracing;
}

/**
 * What a prebuilt workflow bundle needs besides the workflows: the failure converter that encrypts messages, and the
 * tracing interceptors (workflows/tracing.ts). Those are in every bundle, tracing on or off: they are workflow code,
 * and a worker that has them and one that has not run a case alike only because they wait for nothing. Off, the
 * workflows' spans go to a sink that drops them (`UNTRACED_SINKS`).
 */
export const WORKFLOW_BUNDLE_OPTIONS = {
  workflowsPath: WORKFLOWS_PATH,
  failureConverterPath: FAILURE_CONVERTER_PATH,
  workflowInterceptorModules: [TRACING_INTERCEPTORS_PATH],
};

/** Where the workflows' spans go with tracing off, and in a replay: nowhere. */
export const UNTRACED_SINKS: InjectedSinks<{ exporter: OpenTelemetryWorkflowExporter }> = {
  exporter: { export: { fn: () => undefined } },
};

export async function createWorker({
  connection,
  namespace,
  deps,
  taskQueue = TASK_QUEUE,
  dataConverter,
  workflowBundle,
  tracing,
}: QualiflowWorkerOptions) {
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    dataConverter,
    activities: createActivities(deps),
    // After a worker dies, its cases' next workflow tasks wait on its sticky queue this long before any worker may
    // take them (the SDK's default is 10 s); with the short activity timeouts (workflows/activities.ts) a case moves
    // on within seconds of a new worker.
    stickyQueueScheduleToStartTimeout: '3 seconds',
    // Bundled apart (worker/bundle.ts), so that webpack's memory is not the worker's for its whole life.
    workflowBundle: workflowBundle ?? (await bundleApart(WORKFLOW_BUNDLE_OPTIONS)),
    interceptors: {
      // Activities are never replayed: off, they have no interceptor at all.
      ...(tracing && { activity: [activityTracing(tracing)] }),
    },
    sinks: tracing ? { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) } : UNTRACED_SINKS,
  });
}

function activityTracing({
  tracer,
}: Tracing): NonNullable<NonNullable<WorkerOptions['interceptors']>['activity']>[number] {
  return (ctx) => ({
    inbound: new OpenTelemetryActivityInboundInterceptor(ctx, { tracer }),
    // The trace id on the activities' log lines.
    outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
  });
}
