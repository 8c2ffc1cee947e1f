/**
 * A task's due state as the inbox and the SLA dashboard show it: overdue once its deadline has passed, due soon within
 * the last three days before it (when the first reminder goes out, give or take a weekend), on time before that.
 */
export type DueState = 'overdue' | 'due-soon' | 'on-time';

export const DUE_STATES: readonly DueState[] = ['overdue', 'due-soon', 'on-time'];

export const DUE_SOON_MS = 3 * 24 * 3600_000;

export function dueStateOf(dueAt: string, now: Date): DueState {
  const due = Date.parse(dueAt);
  if (due < now.getTime()) return 'overdue';
  return due < now.getTime() + DUE_SOON_MS ? 'due-soon' : 'on-time';
}

/** The due range of a state, as bounds on due_at for the task projection's query. */
export function dueRange(state: DueState, now: Date): { dueFrom?: string; dueBefore?: string } {
  const nowIso = now.toISOString();
  const soonIso = new Date(now.getTime() + DUE_SOON_MS).toISOString();
  if (state === 'overdue') return { dueBefore: nowIso };
  if (state === 'due-soon') return { dueFrom: nowIso, dueBefore: soonIso };
  return { dueFrom: soonIso };
}
