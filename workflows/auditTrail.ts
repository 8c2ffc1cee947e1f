/**
 * The audit entries of a stretch of a workflow's business history: one per event a person caused, keyed by the
 * event's place in that history, so a records activity that runs twice appends each entry once. Shared by the
 * records loops of cases and sessions.
 */
import type { AuditEntry } from '../records/audit';
import type { CaseEvent } from './definitions';

export function auditEntries(
  workflowId: string,
  history: readonly CaseEvent[],
  from: number,
  to: number,
): { key: string; entry: AuditEntry }[] {
  return history.slice(from, to).flatMap((event, offset) =>
    event.by
      ? [
          {
            key: `${workflowId}#${from + offset}`,
            entry: {
              at: event.at,
              actor: event.by,
              action: event.type,
              workflowId,
              taskId: event.taskId,
              comment: event.comment,
            },
          },
        ]
      : [],
  );
}
