/**
 * The operational log: one JSON object per line on stderr (pino), for a log collector rather than a person. Every
 * line of a web request carries its request id (inbox-ui/requestLog.ts), and the case's workflow id when the request
 * is about one; the Temporal SDK's own lines (the worker, its workflows and activities) come through here too, with
 * the workflow id the SDK gives them. LOG_LEVEL sets how much: WARN by default, INFO adds a line per request.
 *
 * What people read at a terminal (`npm start`'s summary, the command-line clients) stays plain text on stdout.
 */
import { pino, type Logger } from 'pino';
import type { LogLevel, LogMetadata, Logger as SdkLogger } from '@temporalio/common';

export type { Logger } from 'pino';

export function createLog(
  level: string = process.env.LOG_LEVEL ?? 'WARN',
  destination: pino.DestinationStream = pino.destination({ fd: 2, sync: true }),
): Logger {
  return pino(
    { level: level.toLowerCase(), base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime },
    destination,
  );
}

/** The process's log; tests give the app one of their own. */
export const log = createLog();

const SDK_LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** The Temporal SDK's logger, writing to `logger`: its metadata (workflowId, runId, activityType…) become fields. */
export function sdkLogger(logger: Logger): SdkLogger {
  const write = (level: LogLevel, message: string, meta?: LogMetadata) =>
    logger[SDK_LEVELS[level]]({ ...meta }, message);
  return {
    log: write,
    trace: (message, meta) => write('TRACE', message, meta),
    debug: (message, meta) => write('DEBUG', message, meta),
    info: (message, meta) => write('INFO', message, meta),
    warn: (message, meta) => write('WARN', message, meta),
    error: (message, meta) => write('ERROR', message, meta),
  };
}
