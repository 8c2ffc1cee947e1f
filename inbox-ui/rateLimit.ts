/**
 * A rate limit per client address, as Express middleware. The buckets are in the application database
 * (records/rateBuckets.ts), so several web servers behind one load balancer share one limit.
 */
import type { RequestHandler } from 'express';
import { type Message, message } from '../domain/messages';
import type { Db } from '../records/database';
import { RateBuckets, type RateLimitOptions } from '../records/rateBuckets';

/**
 * Express middleware: 429 with Retry-After (seconds), and a Message saying when to come back: the catalogue key
 * `tooMany` with `count` (the seconds to wait, which its plural follows) and `perMinute`. `reply` answers in the
 * route's own format (JSON or page) and the reader's language.
 */
export function rateLimit(
  db: Db,
  scope: string,
  options: RateLimitOptions & { tooMany: string; reply: (res: Parameters<RequestHandler>[1], said: Message) => void },
): RequestHandler {
  const buckets = new RateBuckets(db, scope, options);
  const perMinute = Math.round((options.limit * 60_000) / options.perMs);
  return async (req, res, next) => {
    const waitMs = await buckets.take(req.ip ?? req.socket.remoteAddress ?? 'unknown');
    if (waitMs === 0) return next();
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    res.status(429).set('Retry-After', String(seconds));
    options.reply(res, message(options.tooMany, { count: seconds, perMinute }));
  };
}
