/** The first schema: notices, sequences, tickets, certificates, hand-overs. */
import type { Kysely, Migration } from 'kysely';
import { serialPrimaryKey } from '../dialect';

export const initial: Migration = {
  async up(db: Kysely<unknown>) {
    // Identical to the first release on SQLite; PostgreSQL has no AUTOINCREMENT and numbers with serial.
    const id = serialPrimaryKey(db);
    await db.schema
      .createTable('notifications')
      .addColumn('id', id.type, id.build)
      .addColumn('key', 'text', (c) => c.notNull().unique())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('application_number', 'text', (c) => c.notNull())
      .addColumn('recipient', 'text', (c) => c.notNull())
      .addColumn('email', 'text')
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('link', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('notifications_by_recipient')
      .on('notifications')
      .columns(['recipient', 'id'])
      .execute();
    await db.schema
      .createIndex('notifications_by_case')
      .on('notifications')
      .columns(['application_number', 'id'])
      .execute();
    await db.schema
      .createTable('sequences')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('admission_tickets')
      .addColumn('application_number', 'text', (c) => c.primaryKey())
      .addColumn('ticket_number', 'text', (c) => c.notNull().unique())
      .addColumn('station_id', 'text', (c) => c.notNull())
      .addColumn('issued_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('certificates')
      .addColumn('application_number', 'text', (c) => c.primaryKey())
      .addColumn('number', 'text', (c) => c.notNull().unique())
      .addColumn('level', 'integer', (c) => c.notNull())
      .addColumn('station_id', 'text', (c) => c.notNull())
      .addColumn('issued_on', 'text', (c) => c.notNull())
      .addColumn('content', 'text')
      .addColumn('key_id', 'text')
      .addColumn('signature', 'text')
      .execute();
    await db.schema
      .createTable('handovers')
      .addColumn('application_number', 'text', (c) => c.primaryKey())
      .addColumn('certificate_number', 'text', (c) => c.notNull())
      .addColumn('handed_over_by', 'text', (c) => c.notNull())
      .addColumn('handed_over_at', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .execute();
  },
};
