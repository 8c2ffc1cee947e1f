/**
 * The schedule that removes personal data after the retention period: once a day, at 03:00 China time (a quiet hour
 * for the stations), it starts workflows/retention.ts. Every worker start ensures it (worker/main.ts, scripts/start.ts):
 * the first creates it, later ones bring it up to date with this code, so several workers starting at once, or a
 * restart, leave exactly one schedule. The server keeps it while no worker runs; a day missed while the server was down
 * is run when it comes back, within a day (a later day's run would catch up the backlog anyway).
 */
import {
  type Client,
  ScheduleAlreadyRunning,
  type ScheduleOptionsStartWorkflowAction,
  ScheduleOverlapPolicy,
  type ScheduleSpec,
} from '@temporalio/client';
import { retentionWorkflow } from '../workflows';
import { TASK_QUEUE } from '../workflows/definitions';

export const RETENTION_SCHEDULE_ID = 'personal-data-retention';

/** The schedule as this code defines it; `taskQueue` is the worker's (tests run their own). */
export function retentionSchedule(taskQueue: string = TASK_QUEUE): {
  spec: ScheduleSpec;
  action: ScheduleOptionsStartWorkflowAction<typeof retentionWorkflow>;
  policies: { overlap: ScheduleOverlapPolicy; catchupWindow: string };
} {
  return {
    spec: { calendars: [{ hour: 3, comment: 'daily, at night' }], timezone: 'Asia/Shanghai' },
    action: {
      type: 'startWorkflow',
      workflowType: retentionWorkflow,
      args: [{}],
      taskQueue,
      // The schedule appends each run's time to this id.
      workflowId: 'personal-data-retention',
    },
    // A run still busy with a long backlog is not joined by a second one.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
  };
}

/** Creates the schedule, or updates the existing one to this definition; says which. */
export async function ensureRetentionSchedule(
  client: Client,
  taskQueue: string = TASK_QUEUE,
): Promise<'created' | 'updated'> {
  const schedule = retentionSchedule(taskQueue);
  try {
    await client.schedule.create({ scheduleId: RETENTION_SCHEDULE_ID, ...schedule });
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  await client.schedule.getHandle(RETENTION_SCHEDULE_ID).update((previous) => ({ ...previous, ...schedule }));
  return 'updated';
}
