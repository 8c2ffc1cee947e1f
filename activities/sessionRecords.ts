/**
 * Keeps the application database in step with an appraisal session: its row in the session list, and every decision
 * in the hash-chained audit log. Like a case's records (caseRecords.ts), both writes are idempotent.
 */
import { appendAudit, type AuditEntry } from '../records/audit';
import type { Db } from '../records/database';
import { type RecordedSession, recordSessionRow } from '../records/appraisalSessions';
import { projectTasks, taskRowsFromSession } from '../records/tasks';
import type { SessionTask } from '../workflows/sessionDefinitions';

export interface RecordSessionInput {
  /** The session without its roster, history and tasks: what the list shows. */
  session: RecordedSession;
  /** The session's change counter (its business history's length). */
  version: number;
  audit: { key: string; entry: AuditEntry }[];
  /** The session's tasks that changed since the last write, for the inbox; missing in histories from before. */
  tasks?: SessionTask[];
}

export function createSessionRecordActivities({ db }: { db: Db }) {
  return {
    async recordSession({ session, version, audit, tasks = [] }: RecordSessionInput): Promise<void> {
      await recordSessionRow(db, session, version);
      await projectTasks(db, taskRowsFromSession(session, tasks, version));
      for (const { key, entry } of audit) await appendAudit(db, entry, key);
    },
  };
}
