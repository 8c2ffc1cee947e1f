/**
 * Revocation and reinstatement decisions about issued certificates. Append-only: a certificate's status is its
 * latest row (none: valid). Written by the investigation workflow's activities, read by public verification.
 */
import type { Kysely, Migration } from 'kysely';

export const revocations: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('certificate_status_changes')
      .addColumn('certificate_number', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('category', 'text')
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('decided_by', 'text', (c) => c.notNull())
      .addColumn('decided_at', 'text', (c) => c.notNull())
      .addColumn('investigation_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('certificate_status_changes_pk', ['certificate_number', 'seq'])
      .addUniqueConstraint('certificate_status_changes_once', ['investigation_id', 'status'])
      .execute();
  },
};
