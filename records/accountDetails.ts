/**
 * Adding an account and changing who it is: its name, email address, organisation and groups. An administrator does
 * both (routes/accountDetails.ts); the person then sets their password through a one-time link (passwordResets.ts),
 * so no administrator ever knows it. Each group is one of the registered organisations' roles (`station-c:reviewers`)
 * or `administrators`, checked against the registry in the same transaction that writes it; each addition and change
 * is an audit entry with the account before and after, written in that transaction too.
 */
import { message, type Message } from '../domain/messages';
import { appendAuditWithin } from './audit';
import type { Db } from './database';
import { groupsOf } from './directory';
import { accountAuditKey } from './signInFailures';

/** The roles a group may name after its organisation, as the workflows' task rules use them. */
export const GROUP_ROLES = ['clerks', 'reviewers', 'examiners', 'supervisors', 'approvers', 'trainers'] as const;
export const ADMINISTRATORS_GROUP = 'administrators';

export interface AccountDetails {
  name: string;
  email?: string;
  organisationId: string;
  groups: string[];
}

export type DetailsSaved =
  | { outcome: 'created' | 'unchanged' }
  /** `removedGroups`: the groups the account no longer acts for, whose tasks it holds must go back (heldTasks.ts). */
  | { outcome: 'changed'; at: string; removedGroups: string[] }
  | { outcome: 'exists' | 'unknown' }
  | { outcome: 'refused'; fields: Record<string, Message> };

/** Adds the account, without a password: `exists` when the user name is taken (nothing is written then). */
export async function createAccount(
  db: Db,
  username: string,
  details: AccountDetails,
  { by, now }: { by: string; now: Date },
): Promise<DetailsSaved> {
  const at = now.toISOString();
  return db.transaction().execute(async (trx): Promise<DetailsSaved> => {
    if (await trx.selectFrom('users').select('id').where('id', '=', username).executeTakeFirst()) {
      return { outcome: 'exists' };
    }
    const refused = await refusals(trx, details);
    if (refused) return refused;
    await trx
      .insertInto('users')
      .values({
        id: username,
        name: details.name,
        email: details.email ?? null,
        organisation_id: details.organisationId,
        password_hash: null,
        created_at: at,
      })
      .execute();
    await writeGroups(trx, username, details.groups);
    await appendAuditWithin(
      trx,
      {
        at,
        actor: by,
        action: 'account-created',
        workflowId: accountAuditKey(username),
        details: { username, after: details },
      },
      `account-created:${username}`,
    );
    return { outcome: 'created' };
  });
}

/** Replaces the account's details: `unknown` for no such account, `unchanged` when they were already so. */
export async function changeAccount(
  db: Db,
  username: string,
  details: AccountDetails,
  { by, now }: { by: string; now: Date },
): Promise<DetailsSaved> {
  const at = now.toISOString();
  return db.transaction().execute(async (trx): Promise<DetailsSaved> => {
    const row = await trx
      .selectFrom('users')
      .select(['name', 'email', 'organisation_id'])
      .where('id', '=', username)
      .executeTakeFirst();
    if (!row) return { outcome: 'unknown' };
    const before: AccountDetails = {
      name: row.name,
      ...(row.email && { email: row.email }),
      organisationId: row.organisation_id,
      groups: (await groupsOf(trx, [username])).get(username) ?? [],
    };
    const after = { ...details, groups: [...new Set(details.groups)].sort() };
    if (JSON.stringify(inOrder(before)) === JSON.stringify(inOrder(after))) return { outcome: 'unchanged' };
    const refused = await refusals(trx, details);
    if (refused) return refused;
    await trx
      .updateTable('users')
      .set({ name: details.name, email: details.email ?? null, organisation_id: details.organisationId })
      .where('id', '=', username)
      .execute();
    await trx.deleteFrom('user_groups').where('user_id', '=', username).execute();
    await writeGroups(trx, username, details.groups);
    await appendAuditWithin(
      trx,
      {
        at,
        actor: by,
        action: 'account-changed',
        workflowId: accountAuditKey(username),
        details: { username, before, after },
      },
      `account-changed:${username}:${at}:${JSON.stringify(inOrder(after))}`,
    );
    const removedGroups = before.groups.filter((group) => !after.groups.includes(group));
    return { outcome: 'changed', at, removedGroups };
  });
}

const inOrder = ({ name, email, organisationId, groups }: AccountDetails) => ({
  name,
  email: email ?? null,
  organisationId,
  groups: [...groups].sort(),
});

async function writeGroups(trx: Db, username: string, groups: readonly string[]): Promise<void> {
  const unique = [...new Set(groups)];
  if (unique.length === 0) return;
  await trx
    .insertInto('user_groups')
    .values(unique.map((group) => ({ user_id: username, group_name: group })))
    .execute();
}

/** The organisation and each group's organisation must be registered; a group's role must be one of GROUP_ROLES. */
async function refusals(trx: Db, details: AccountDetails): Promise<DetailsSaved | undefined> {
  const named = new Set([
    details.organisationId,
    ...details.groups.filter((group) => group !== ADMINISTRATORS_GROUP).map((group) => group.split(':')[0]),
  ]);
  const known = new Set(
    (
      await trx
        .selectFrom('organisations')
        .select('id')
        .where('id', 'in', [...named])
        .execute()
    ).map((row) => row.id),
  );
  const fields: Record<string, Message> = {};
  if (!known.has(details.organisationId)) {
    fields.organisationId = message('accounts:refused.unknownOrganisation', { id: details.organisationId });
  }
  const badGroup = details.groups.find((group) => {
    if (group === ADMINISTRATORS_GROUP) return false;
    const [organisation, role] = group.split(':');
    return !known.has(organisation) || !(GROUP_ROLES as readonly string[]).includes(role);
  });
  if (badGroup) fields.groups = message('accounts:refused.unknownGroup', { code: badGroup });
  return Object.keys(fields).length > 0 ? { outcome: 'refused', fields } : undefined;
}
