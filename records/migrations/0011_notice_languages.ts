/**
 * Notices in both languages: `subject` and `body` hold the Chinese text, these the English. Notices written before
 * keep what they had (English) in `subject` and `body`, and nothing here.
 */
import type { Kysely, Migration } from 'kysely';

export const noticeLanguages: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('notifications').addColumn('subject_en', 'text').execute();
    await db.schema.alterTable('notifications').addColumn('body_en', 'text').execute();
  },
};
