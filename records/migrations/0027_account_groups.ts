/**
 * Accounts get an email address (where their group notices go, worker/deliveries.ts), and the groups an account acts
 * for move from a JSON text column into a table of their own, keyed by account and indexed by group: "who is in
 * station-a:reviewers" (a notice's recipients, the people a task may be handed to) is then an index range, and a
 * group is a value a database can check, not text inside text. Existing accounts keep exactly their groups.
 */
import { type Kysely, type Migration, sql } from 'kysely';

export const accountGroups: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('users').addColumn('email', 'text').execute();
    await db.schema
      .createTable('user_groups')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('group_name', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('user_groups_pk', ['user_id', 'group_name'])
      .execute();
    await db.schema.createIndex('user_groups_by_group').on('user_groups').columns(['group_name', 'user_id']).execute();
    const users = (await sql<{ id: string; roles: string }>`SELECT id, roles FROM users`.execute(db)).rows;
    for (const user of users) {
      for (const group of new Set(JSON.parse(user.roles) as string[])) {
        await sql`INSERT INTO user_groups (user_id, group_name) VALUES (${user.id}, ${group})`.execute(db);
      }
    }
    await db.schema.alterTable('users').dropColumn('roles').execute();
  },
};
