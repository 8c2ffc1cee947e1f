/**
 * The SDK logs every worker state change at INFO; for people at a terminal only warnings and errors matter.
 * LOG_LEVEL=INFO (or DEBUG) brings the rest back. Must run before the first connection or worker is made.
 */
import { DefaultLogger, makeTelemetryFilterString, Runtime, type LogLevel } from '@temporalio/worker';

export function installSdkLogging(level: LogLevel = (process.env.LOG_LEVEL as LogLevel) ?? 'WARN'): void {
  Runtime.install({
    logger: new DefaultLogger(level),
    telemetryOptions: { logging: { forward: {}, filter: makeTelemetryFilterString({ core: level }) } },
  });
}
