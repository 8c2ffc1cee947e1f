/**
 * Deactivating an account, for someone who has left: the account keeps its row (its name still stands in histories,
 * the audit log and notices), but cannot sign in (directory.ts authenticate answers as for an unknown name), its
 * sessions and API tokens end at once (sessions.ts), its unused password-reset links are voided (passwordResets.ts),
 * and it is offered to nobody as a holder (directory.ts listUsers). Reactivation, like deactivation, has a reason.
 * Each change is written to the audit chain in the same transaction as the change itself, so neither stands without
 * the other. The open tasks the person held go back to their groups through their workflows (routes/accounts.ts).
 */
import { appendAuditWithin } from './audit';
import type { Db } from './database';
import { groupsOf } from './directory';
import { voidResetLinksWithin } from './passwordResets';
import { endSessionsOf } from './sessions';
import { accountAuditKey } from './signInFailures';

export interface Account {
  username: string;
  name: string;
  organisationId: string;
  roles: string[];
  email?: string;
  /** Set while the account is deactivated, with who did it and why. */
  deactivated?: { at: string; by: string; reason: string };
  /** Set while the account is active after a reactivation: the latest one, with who did it and why. */
  reactivated?: { at: string; by: string; reason: string };
}

/** Every account, active or not, by user name. */
export async function listAccounts(db: Db): Promise<Account[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'name', 'email', 'organisation_id', 'deactivated_at', 'deactivated_by', 'deactivation_reason'])
    .select(['reactivated_at', 'reactivated_by', 'reactivation_reason'])
    .orderBy('id')
    .execute();
  const groups = await groupsOf(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => ({
    username: row.id,
    name: row.name,
    organisationId: row.organisation_id,
    roles: groups.get(row.id) ?? [],
    ...(row.email && { email: row.email }),
    ...(row.deactivated_at && {
      deactivated: { at: row.deactivated_at, by: row.deactivated_by ?? '', reason: row.deactivation_reason ?? '' },
    }),
    ...(!row.deactivated_at &&
      row.reactivated_at && {
        reactivated: { at: row.reactivated_at, by: row.reactivated_by ?? '', reason: row.reactivation_reason ?? '' },
      }),
  }));
}

/** What a deactivation or reactivation found: done, or why not. */
export type AccountChange =
  { outcome: 'done'; at: string } | { outcome: 'unknown' } | { outcome: 'already'; at?: string };

/**
 * Deactivates the account: marked, every session ended, its unused reset links voided, the audit entry appended, in
 * one transaction. `already` when it was deactivated before (nothing is written again), `unknown` when no account
 * has the name.
 */
export async function deactivateAccount(
  db: Db,
  { username, by, reason, now }: { username: string; by: string; reason: string; now: Date },
): Promise<AccountChange> {
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const changed = await trx
      .updateTable('users')
      .set({
        deactivated_at: at,
        deactivated_by: by,
        deactivation_reason: reason,
        reactivated_at: null,
        reactivated_by: null,
        reactivation_reason: null,
      })
      .where('id', '=', username)
      .where('deactivated_at', 'is', null)
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) === 0) return stateOf(trx, username);
    const sessions = await endSessionsOf(trx, username);
    const resetLinksVoided = await voidResetLinksWithin(trx, username);
    await appendAuditWithin(
      trx,
      {
        at,
        actor: by,
        action: 'account-deactivated',
        workflowId: accountAuditKey(username),
        comment: reason,
        details: { username, reason, sessionsEnded: sessions, resetLinksVoided },
      },
      `account-deactivated:${username}:${at}`,
    );
    return { outcome: 'done', at };
  });
}

/**
 * Lets a deactivated account sign in again (with its old password) and be handed work, for a reason. The audit entry
 * gives the reason and names the deactivation it lifts. No reset link comes back: any unused one left is voided (a
 * request for one at the moment of the deactivation could have left one). `already` when the account is active.
 */
export async function reactivateAccount(
  db: Db,
  { username, by, reason, now }: { username: string; by: string; reason: string; now: Date },
): Promise<AccountChange> {
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('users')
      .select(['deactivated_at', 'deactivated_by', 'deactivation_reason'])
      .where('id', '=', username)
      .executeTakeFirst();
    if (!row) return { outcome: 'unknown' };
    if (!row.deactivated_at) return { outcome: 'already' };
    const changed = await trx
      .updateTable('users')
      .set({
        deactivated_at: null,
        deactivated_by: null,
        deactivation_reason: null,
        reactivated_at: at,
        reactivated_by: by,
        reactivation_reason: reason,
      })
      .where('id', '=', username)
      .where('deactivated_at', '=', row.deactivated_at)
      .executeTakeFirst();
    // Reactivated by a concurrent request meanwhile: its entry is the one the chain keeps.
    if (Number(changed.numUpdatedRows) === 0) return { outcome: 'already' };
    const resetLinksVoided = await voidResetLinksWithin(trx, username);
    await appendAuditWithin(
      trx,
      {
        at,
        actor: by,
        action: 'account-reactivated',
        workflowId: accountAuditKey(username),
        comment: reason,
        details: {
          username,
          reason,
          deactivatedAt: row.deactivated_at,
          deactivatedBy: row.deactivated_by,
          deactivationReason: row.deactivation_reason,
          resetLinksVoided,
        },
      },
      `account-reactivated:${username}:${row.deactivated_at}`,
    );
    return { outcome: 'done', at };
  });
}

/** Whether the account is deactivated now (an unknown name is not). */
export async function isDeactivated(db: Db, username: string): Promise<boolean> {
  const row = await db.selectFrom('users').select('deactivated_at').where('id', '=', username).executeTakeFirst();
  return !!row?.deactivated_at;
}

async function stateOf(db: Db, username: string): Promise<AccountChange> {
  const row = await db.selectFrom('users').select('deactivated_at').where('id', '=', username).executeTakeFirst();
  return row ? { outcome: 'already', at: row.deactivated_at ?? undefined } : { outcome: 'unknown' };
}

/** An open task someone holds, as the projection has it, with the workflow it belongs to. */
export interface HeldOpenTask {
  workflowId: string;
  taskId: string;
  /** A case's number, or an appraisal session's id. */
  applicationNumber: string;
  kind: string;
  candidateGroup: string;
  supervisingGroup: string;
}

/** The open tasks this person holds, in every group, soonest due first. */
export async function openTasksHeldBy(db: Db, username: string): Promise<HeldOpenTask[]> {
  const rows = await db
    .selectFrom('tasks')
    .select(['workflow_id', 'task_id', 'application_number', 'kind', 'candidate_group', 'supervising_group'])
    .where('status', '=', 'open')
    .where('assignee', '=', username)
    .orderBy('due_at')
    .orderBy('workflow_id')
    .orderBy('task_id')
    .execute();
  return rows.map((row) => ({
    workflowId: row.workflow_id,
    taskId: row.task_id,
    applicationNumber: row.application_number,
    kind: row.kind,
    candidateGroup: row.candidate_group,
    supervisingGroup: row.supervising_group,
  }));
}
