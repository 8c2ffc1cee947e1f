/**
 * The comment thread of a case: what the people working on it say to each other, apart from their decisions (which
 * the workflow records). Comments are not part of the case's path, so they live here rather than in its history.
 */
import type { Kysely, Migration } from 'kysely';

export const caseComments: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('case_comments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('application_number', 'text', (c) => c.notNull())
      .addColumn('author_id', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('case_comments_by_case')
      .on('case_comments')
      .columns(['application_number', 'created_at'])
      .execute();
  },
};
