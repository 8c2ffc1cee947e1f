/**
 * What a workflow's open tasks look like in search attributes, shared by cases and investigations so the inbox's
 * lists (by candidate group, by next due date) treat both alike, and the upsert of only what changed: each upsert is
 * an event in the workflow's history.
 */
import { upsertSearchAttributes } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { searchAttributes } from './definitions';

export interface ListedTask {
  kind: string;
  dueAt: string;
  escalated: boolean;
  candidateGroup: string;
  supervisingGroup: string;
}

/** Open task kinds, the groups that may act (supervisors too once escalated) and the nearest deadline. */
export function openTaskAttributes(open: readonly ListedTask[]) {
  const due = open.map((task) => task.dueAt).sort()[0];
  const groups = open.flatMap((task) =>
    task.escalated ? [task.candidateGroup, task.supervisingGroup] : [task.candidateGroup],
  );
  return {
    kinds: { key: searchAttributes.openTaskKinds, value: [...new Set(open.map((task) => task.kind))] },
    groups: { key: searchAttributes.candidateGroups, value: [...new Set(groups)] },
    nextDue: { key: searchAttributes.nextDueAt, value: due ? new Date(due) : null },
  } satisfies Record<string, SearchAttributeUpdatePair>;
}

/** Upserts the values that differ from what this workflow last sent (kept in `published`). */
export function upsertChanged(published: Map<string, string>, values: SearchAttributeUpdatePair[]): void {
  const changed = values.filter(({ key, value }) => {
    const text = JSON.stringify(value);
    if (published.get(key.name) === text) return false;
    published.set(key.name, text);
    return true;
  });
  if (changed.length > 0) upsertSearchAttributes(changed);
}
