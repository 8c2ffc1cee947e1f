/**
 * The activities as the workflows call them, with their timeouts, declared once for cases and investigations.
 *
 * Every activity but rendering is a few database writes, a lookup or a signature. A worker that dies while running
 * one is noticed only when its start-to-close timeout runs out, so that timeout is short: a new worker carries the
 * case on within seconds, not a minute (the README's crash figures). A retry is harmless, since every activity is
 * idempotent. The worker's sticky queue timeout (worker/worker.ts) bounds the other half of that wait.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';

type Activities = ReturnType<typeof createActivities>;

const retry = { initialInterval: '1 second', maximumInterval: '5 minutes', nonRetryableErrorTypes: ['InvalidInput'] };

export const acts = proxyActivities<Activities>({ startToCloseTimeout: '5 seconds', retry });

/** Rendering a certificate with its CJK font takes longer on a busy machine; heartbeats tell a dead worker from it. */
export const rendering = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '8 seconds',
  retry,
});
