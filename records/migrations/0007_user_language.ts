/**
 * The language each person reads Qualiflow in. Null until they choose: until then their browser's Accept-Language
 * decides, and Simplified Chinese when it names neither of ours.
 */
import type { Kysely, Migration } from 'kysely';

export const userLanguage: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('users').addColumn('language', 'text').execute();
  },
};
