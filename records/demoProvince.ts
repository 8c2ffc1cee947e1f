/**
 * The demo province as seed data (seed/demo-province.json): its organisations, written through the registry's own
 * checks, and its people, as accounts with the demo password. `npm start` loads it on the embedded default, and the
 * tests on SQLite and PostgreSQL alike; a production database is never seeded (worker/deps.ts).
 *
 * A seed is an installation's first state, not an administrator's change, so it writes no audit entries; and it is
 * idempotent: what exists is left as it is (a name or block changed since, a password changed since).
 */
import seed from '../seed/demo-province.json';
import { DEMO_USERS } from '../runtime/directory';
import type { Db } from './database';
import { hashPassword } from './directory';
import { listRegistry, type OrganisationEntry, registryProblems, toRow } from './organisations';

/** Every demo account's password, documented in the README. */
export const DEMO_PASSWORD = 'qualiflow-demo';

export const DEMO_ORGANISATIONS = seed.organisations as OrganisationEntry[];

/** The demo province's organisations that are missing; cheap, so every test's database can have them. */
export async function seedDemoOrganisations(db: Db): Promise<void> {
  const existing = await listRegistry(db);
  const known = new Set(existing.map((org) => org.id));
  const missing = DEMO_ORGANISATIONS.filter((org) => !known.has(org.id));
  if (missing.length === 0) return;
  const problems = registryProblems(missing, existing);
  if (problems.size > 0) {
    throw new Error(`seed/demo-province.json does not fit the registry: ${JSON.stringify([...problems])}`);
  }
  await db
    .insertInto('organisations')
    .values(missing.map(toRow))
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** The organisations and the accounts that are missing, each new account with the demo password. */
export async function seedDemoDirectory(db: Db, now: () => Date = () => new Date()): Promise<{ created: number }> {
  await seedDemoOrganisations(db);
  const existing = new Set((await db.selectFrom('users').select('id').execute()).map((row) => row.id));
  const missing = Object.entries(DEMO_USERS).filter(([id]) => !existing.has(id));
  if (missing.length === 0) return { created: 0 };
  const createdAt = now().toISOString();
  const rows = await Promise.all(
    missing.map(async ([id, user]) => ({
      id,
      name: user.name,
      organisation_id: user.organisationId,
      email: user.email,
      password_hash: await hashPassword(DEMO_PASSWORD),
      created_at: createdAt,
    })),
  );
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .insertInto('users')
      .values(rows)
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    await trx
      .insertInto('user_groups')
      .values(missing.flatMap(([id, user]) => user.groups.map((group) => ({ user_id: id, group_name: group }))))
      .onConflict((oc) => oc.columns(['user_id', 'group_name']).doNothing())
      .execute();
    return { created: Number(result.numInsertedOrUpdatedRows ?? 0) };
  });
}
