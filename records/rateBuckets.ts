/**
 * Token buckets in the application database (migration 0018): each client gets `limit` requests at once and then one
 * per `perMs / limit`, counted across every web server that shares the database. A take is one statement (an upsert
 * that refills, spends and records whether it could), so concurrent takes on several servers are all counted and
 * never spend a token twice.
 */
import { sql } from 'kysely';
import type { Db } from './database';

export interface RateLimitOptions {
  /** Requests a client may make at once, and per `perMs` in the long run. */
  limit: number;
  perMs: number;
  now?: () => number;
}

/** Every this many takes, a server forgets the buckets that have refilled (they would start full anyway). */
const PRUNE_EVERY = 1_000;

export class RateBuckets {
  private readonly ratePerMs: number;
  private readonly now: () => number;
  private takes = 0;

  constructor(
    private readonly db: Db,
    /** Which limit these buckets are: one name per limit, shared by every server. */
    private readonly scope: string,
    private readonly options: RateLimitOptions,
  ) {
    this.ratePerMs = options.limit / options.perMs;
    this.now = options.now ?? Date.now;
  }

  /** Takes one token for `client`: 0 when allowed, otherwise the milliseconds until the next token. */
  async take(client: string): Promise<number> {
    const now = this.now();
    const { limit } = this.options;
    // Numbers are ours, written as literals: PostgreSQL cannot type an untyped parameter inside arithmetic.
    const at = sql.lit(now);
    // A clock behind the last take (another server's) refills nothing rather than taking tokens back.
    const elapsed = sql`(case when ${at} > rate_buckets.at then ${at} - rate_buckets.at else 0 end)`;
    const refilled = sql`(case when rate_buckets.tokens + ${elapsed} * ${sql.lit(this.ratePerMs)} > ${sql.lit(limit)}
      then ${sql.lit(limit)} else rate_buckets.tokens + ${elapsed} * ${sql.lit(this.ratePerMs)} end)`;
    const row = await this.db
      .insertInto('rate_buckets')
      .values({ scope: this.scope, client, tokens: limit - 1, at: now, granted: 1 })
      .onConflict((oc) =>
        oc.columns(['scope', 'client']).doUpdateSet({
          tokens: sql<number>`case when ${refilled} >= 1 then ${refilled} - 1 else ${refilled} end`,
          granted: sql<number>`case when ${refilled} >= 1 then 1 else 0 end`,
          at: sql<number>`case when ${at} > rate_buckets.at then ${at} else rate_buckets.at end`,
        }),
      )
      .returning(['tokens', 'granted'])
      .executeTakeFirstOrThrow();
    if (++this.takes % PRUNE_EVERY === 0) await this.prune(now);
    if (Number(row.granted) === 1) return 0;
    return Math.ceil((1 - Number(row.tokens)) / this.ratePerMs);
  }

  /** Forgets this limit's buckets that have had time to refill completely. */
  async prune(now = this.now()): Promise<void> {
    await this.db
      .deleteFrom('rate_buckets')
      .where('scope', '=', this.scope)
      .where('at', '<=', now - this.options.perMs)
      .execute();
  }
}
