/**
 * The deadline of one human task: a reminder some working days before it, another when it is reached, and an
 * escalation to the supervising group after it. All are durable timers in the case's history, so they survive
 * restarts and fire exactly once; the task's decision cancels whatever is still pending.
 */
import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';
import { addWorkingDays, subtractWorkingDays } from '../domain/workingDays';
import type { HolidayCalendar } from '../domain/workingDays';
import type { NotificationKind } from '../activities/notifications';

/** A task with a deadline, of a case or of an investigation. */
export interface TimedTask {
  dueAt: string;
}

/** The state that owns the task: its deadline policy, and its task list, which notes reminders and escalations. */
export interface DeadlineOwner<T extends TimedTask> {
  policy: { calendar: HolidayCalendar; remindBeforeWorkingDays: number; escalateAfterWorkingDays: number };
  tasks: {
    escalate(task: T): void;
    noteReminder(task: T, kind: 'reminder' | 'deadline'): void;
  };
}

export interface DeadlineHooks<T extends TimedTask> {
  notify(task: T, kind: NotificationKind): Promise<void>;
  changed(): void;
}

/** `closesAt`: the task's hard end (the re-sit window), if it has one. */
export function watchDeadline<T extends TimedTask>(
  file: DeadlineOwner<T>,
  task: T,
  hooks: DeadlineHooks<T>,
  closesAt?: Date,
): CancellationScope {
  const { calendar, remindBeforeWorkingDays, escalateAfterWorkingDays } = file.policy;
  const due = new Date(task.dueAt);
  const steps: { at: Date; kind: NotificationKind }[] = [
    { at: subtractWorkingDays(due, remindBeforeWorkingDays, calendar), kind: 'task-reminder' },
    { at: due, kind: 'task-deadline' },
    { at: addWorkingDays(due, escalateAfterWorkingDays, calendar), kind: 'task-escalated' },
  ];
  const scope = new CancellationScope();
  scope
    .run(async () => {
      for (const step of steps) {
        // A task with a hard end expires there: the case closes and tells the candidate why. A deadline notice or an
        // escalation from that moment on would be about a task that no longer exists, and would race the expiry.
        if (closesAt && step.at.getTime() >= closesAt.getTime()) break;
        const wait = step.at.getTime() - Date.now();
        // A reminder whose moment passed before the task opened would only repeat the new-task notice.
        if (wait <= 0 && step.kind === 'task-reminder') continue;
        if (wait > 0) await sleep(wait);
        if (step.kind === 'task-escalated') file.tasks.escalate(task);
        else file.tasks.noteReminder(task, step.kind === 'task-reminder' ? 'reminder' : 'deadline');
        hooks.changed();
        await hooks.notify(task, step.kind);
      }
    })
    .catch((error) => {
      if (!isCancellation(error)) throw error;
    });
  return scope;
}
