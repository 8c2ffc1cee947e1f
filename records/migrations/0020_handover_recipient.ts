/**
 * Who received a certificate at its hand-over (the holder, or the person the holder sent). Hand-overs recorded before
 * this have none; the clerk's note may say it in words.
 */
import type { Kysely, Migration } from 'kysely';

export const handoverRecipient: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('handovers').addColumn('received_by', 'text').execute();
  },
};
