/**
 * Saved views of the inbox: a filter and sort combination kept under a name, by its owner alone or shared with one of
 * the owner's groups. One name per owner, so that saving a name again updates that view instead of copying it.
 */
import type { Kysely, Migration } from 'kysely';

export const savedViews: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('saved_views')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('owner_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('query', 'text', (c) => c.notNull())
      .addColumn('shared_group', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('saved_views_owner_name', ['owner_id', 'name'])
      .execute();
    await db.schema.createIndex('saved_views_by_group').on('saved_views').column('shared_group').execute();
  },
};
