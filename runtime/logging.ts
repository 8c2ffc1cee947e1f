/**
 * The Temporal SDK's runtime for this process: its logs and, when asked, its metrics. Must run before the first
 * connection or worker is made.
 *
 * The SDK logs every worker state change at INFO; for people at a terminal only warnings and errors matter.
 * LOG_LEVEL=INFO (or DEBUG) brings the rest back. Its lines go to the operational log, as JSON (runtime/log.ts). With WORKER_METRICS_ADDRESS the SDK serves its own worker metrics
 * (task slots, poll and schedule-to-start latencies, activity and workflow task failures, sticky cache) in
 * Prometheus's format at `http://<address>/metrics`.
 */
import { makeTelemetryFilterString, Runtime, type LogLevel } from '@temporalio/worker';
import { createLog, sdkLogger } from './log';

export function installSdkRuntime({
  level = (process.env.LOG_LEVEL as LogLevel) ?? 'WARN',
  metricsAddress,
}: { level?: LogLevel; metricsAddress?: string } = {}): void {
  Runtime.install({
    // JSON lines with the workflow's and activity's ids, as the rest of the operational log (runtime/log.ts).
    logger: sdkLogger(createLog(level)),
    telemetryOptions: {
      logging: { forward: {}, filter: makeTelemetryFilterString({ core: level }) },
      // Seconds, as Prometheus's own conventions and the web app's metrics have them.
      ...(metricsAddress && {
        metrics: {
          prometheus: { bindAddress: metricsAddress, useSecondsForDurations: true, countersTotalSuffix: true },
        },
      }),
    },
  });
}
