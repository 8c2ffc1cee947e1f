/**
 * The daily removal of personal data from cases closed longer ago than the retention period. A Temporal Schedule
 * (runtime/retention.ts) starts one of these a day; the work, and what is kept, is in activities/retention.ts.
 * The workflow only fixes the run's time, so that every retry of the activity uses the same cut-off.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { RemovalSummary } from '../activities/retention';

const { removeExpiredPersonalData } = proxyActivities<ReturnType<typeof createActivities>>({
  // One case at a time, a short transaction each, heartbeating between cases: a dead worker is noticed within the
  // heartbeat timeout, while a long backlog (the first run after a period is shortened) may take its time.
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 minute', maximumInterval: '1 hour' },
});

/** Nothing to choose: the period is the worker's setting (PERSONAL_DATA_RETENTION_DAYS). */
export type RetentionInput = Record<string, never>;

export async function retentionWorkflow(_input: RetentionInput = {}): Promise<RemovalSummary> {
  return removeExpiredPersonalData({ now: new Date().toISOString() });
}
