/**
 * Keeps the application database in step with a case: its tasks in the projection the inbox lists, and every
 * decision in the hash-chained audit log. The workflow calls this after each batch of changes; both writes are
 * idempotent (version-guarded rows, keyed audit entries), so retries and replays write nothing twice.
 */
import type { CaseView } from '../workflows/definitions';
import { appendAudit, type AuditEntry } from '../records/audit';
import type { Db } from '../records/database';
import { updateCaseStage } from '../records/caseIndex';
import { projectTasks, taskRowsFromCase } from '../records/tasks';

export interface RecordCaseInput {
  /** The case trimmed to what the projection needs: no candidate data, only task-expiry events in its history. */
  snapshot: CaseView;
  /** The workflow's change counter (its business history's length); newer rows replace older ones only. */
  version: number;
  audit: { key: string; entry: AuditEntry }[];
}

export function createCaseRecordActivities({ db }: { db: Db }) {
  return {
    async recordCase({ snapshot, version, audit }: RecordCaseInput): Promise<void> {
      await projectTasks(db, taskRowsFromCase(snapshot, version));
      await updateCaseStage(db, snapshot, version);
      // In order, one at a time: the chain's order is the order of the decisions.
      for (const { key, entry } of audit) await appendAudit(db, entry, key);
    },

    /** One decision outside a case (an investigation's), appended once per key. */
    async auditDecision({ key, entry }: { key: string; entry: AuditEntry }): Promise<void> {
      await appendAudit(db, entry, key);
    },
  };
}
