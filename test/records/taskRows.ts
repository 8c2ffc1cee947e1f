/**
 * Rows of the task projection (records/tasks.ts) for the tests that write them directly: the records' own tests and
 * those of what reads the projection, such as the menu's count.
 */
import type { TaskRow } from '../../records/tasks';
import { Stage, TaskKind } from '../../workflows/definitions';

/**
 * An open, unclaimed station review of a station-a case; `overrides` say what differs. Its application number
 * follows from the workflow id and its priority from `escalated`, as the projection writes them.
 */
export function taskRow(overrides: Partial<TaskRow> & Pick<TaskRow, 'workflow_id' | 'task_id'>): TaskRow {
  return {
    application_number: overrides.workflow_id.replace(/^application-/, ''),
    kind: TaskKind.StationReview,
    stage: Stage.StationReview,
    candidate_group: 'station-a:reviewers',
    supervising_group: 'station-a:supervisors',
    assignee: null,
    status: 'open',
    escalated: 0,
    level: 5,
    occupation: 'baker',
    station_id: 'station-a',
    created_at: '2026-03-01T08:00:00.000Z',
    due_at: '2026-03-10T08:00:00.000Z',
    closed_at: null,
    outcome: null,
    return_reason: null,
    version: 1,
    ...overrides,
    priority: overrides.escalated ? 0 : 1,
  };
}
