/**
 * Which case's application names which stored file (records/documents.ts), written at intake beside the case's index
 * row. The retention removal (records/retention.ts) deletes a closed case's files through it, and keeps a file that
 * another case still names: files are kept once by their hash, and one person's ID copy may serve two applications.
 */
import type { Kysely, Migration } from 'kysely';

export const caseDocuments: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('case_documents')
      .addColumn('application_number', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('case_documents_pk', ['application_number', 'sha256'])
      .execute();
    await db.schema.createIndex('case_documents_by_file').on('case_documents').column('sha256').execute();
  },
};
