/**
 * Creates the worker that runs the case workflows and their activities on the task queue.
 */
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { FAILURE_CONVERTER_PATH } from '../runtime/encryption/dataConverter';
import { TASK_QUEUE } from '../workflows/definitions';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

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
  /** A prebuilt bundle (tests and the bench build it once); otherwise the worker bundles workflows/ itself. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

/** What a prebuilt workflow bundle needs besides the workflows: the failure converter that encrypts messages. */
export const WORKFLOW_BUNDLE_OPTIONS = { workflowsPath: WORKFLOWS_PATH, failureConverterPath: FAILURE_CONVERTER_PATH };

export function createWorker({
  connection,
  namespace,
  deps,
  taskQueue = TASK_QUEUE,
  dataConverter,
  workflowBundle,
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
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
  });
}
