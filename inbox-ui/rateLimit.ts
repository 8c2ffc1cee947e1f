/**
 * A token bucket per client address, in memory: enough to make walking the certificate registry by number slow on
 * one web server. Several web servers each keep their own buckets; a shared limit belongs in the proxy in front.
 */
import type { RequestHandler } from 'express';
import { type Message, message } from '../domain/messages';

export interface RateLimitOptions {
  /** Lookups a client may make at once, and per `perMs` in the long run. */
  limit: number;
  perMs: number;
  now?: () => number;
  /** Buckets kept at most; past it, the full ones (idle clients) are dropped. */
  maxClients?: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly ratePerMs: number;
  private readonly now: () => number;
  private readonly maxClients: number;

  constructor(private readonly options: RateLimitOptions) {
    this.ratePerMs = options.limit / options.perMs;
    this.now = options.now ?? Date.now;
    this.maxClients = options.maxClients ?? 10_000;
  }

  /** Takes one token for `client`: 0 when allowed, otherwise the milliseconds until the next token. */
  take(client: string): number {
    const now = this.now();
    const bucket = this.refilled(client, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.ratePerMs);
  }

  private refilled(client: string, now: number): { tokens: number; at: number } {
    let bucket = this.buckets.get(client);
    if (bucket) {
      bucket.tokens = Math.min(this.options.limit, bucket.tokens + (now - bucket.at) * this.ratePerMs);
      bucket.at = now;
      return bucket;
    }
    if (this.buckets.size >= this.maxClients) this.sweep(now);
    bucket = { tokens: this.options.limit, at: now };
    this.buckets.set(client, bucket);
    return bucket;
  }

  /** Forgets clients whose buckets have refilled: they would start full anyway. */
  private sweep(now: number): void {
    for (const [client, bucket] of this.buckets)
      if (bucket.tokens + (now - bucket.at) * this.ratePerMs >= this.options.limit) this.buckets.delete(client);
    // Still full of busy clients: drop the oldest rather than grow without bound.
    while (this.buckets.size >= this.maxClients) this.buckets.delete(this.buckets.keys().next().value!);
  }
}

/**
 * Express middleware: 429 with Retry-After (seconds), and a Message saying when to come back: the catalogue key
 * `tooMany` with `count` (the seconds to wait, which its plural follows) and `perMinute`. `reply` answers in the
 * route's own format (JSON or page) and the reader's language.
 */
export function rateLimit(
  options: RateLimitOptions & { tooMany: string; reply: (res: Parameters<RequestHandler>[1], said: Message) => void },
): RequestHandler {
  const buckets = new TokenBuckets(options);
  const perMinute = Math.round((options.limit * 60_000) / options.perMs);
  return (req, res, next) => {
    const waitMs = buckets.take(req.ip ?? req.socket.remoteAddress ?? 'unknown');
    if (waitMs === 0) return next();
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    res.status(429).set('Retry-After', String(seconds));
    options.reply(res, message(options.tooMany, { count: seconds, perMinute }));
  };
}
