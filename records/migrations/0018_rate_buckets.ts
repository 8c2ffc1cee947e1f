/**
 * Rate limits kept in the application database, so that every web server sharing it spends from the same bucket: a
 * client that spreads its requests over several servers (behind a load balancer) gets the limit once, not once per
 * server. One row per scope and client; rows that have refilled are pruned (records/rateBuckets.ts).
 */
import type { Kysely, Migration } from 'kysely';
import { dialectOf } from '../dialect';

export const rateBuckets: Migration = {
  async up(db: Kysely<unknown>) {
    const real = dialectOf(db) === 'postgres' ? 'double precision' : 'real';
    await db.schema
      .createTable('rate_buckets')
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('client', 'text', (c) => c.notNull())
      .addColumn('tokens', real, (c) => c.notNull())
      // Milliseconds since the epoch of the last take: a number, so the refill is arithmetic in the statement.
      .addColumn('at', real, (c) => c.notNull())
      .addColumn('granted', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('rate_buckets_pk', ['scope', 'client'])
      .execute();
  },
};
