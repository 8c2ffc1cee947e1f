/**
 * Rate limits counted in the application database: the same allowance whichever web server a client reaches, on
 * SQLite and on PostgreSQL. Each test has its own database and its own clock.
 */
import test from 'ava';
import type { Request, Response } from 'express';
import type { Message } from '../../domain/messages';
import { translator } from '../../i18n';
import { rateLimit } from '../../inbox-ui/rateLimit';
import { messageText } from '../../inbox-ui/messageText';
import { RateBuckets } from '../../records/rateBuckets';
import { DIALECTS, freshDatabase } from './databases';

function clock() {
  let now = 1_800_000_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

for (const dialect of DIALECTS) {
  test(`${dialect}: a client gets its allowance at once, then one request per refill interval`, async (t) => {
    const { db } = await freshDatabase(t, dialect);
    const time = clock();
    const buckets = new RateBuckets(db, 'verify', { limit: 30, perMs: 60_000, now: time.now });
    for (let i = 1; i <= 30; i++) t.is(await buckets.take('10.0.0.1'), 0, `request ${i}`);
    t.is(await buckets.take('10.0.0.1'), 2000, 'the 31st waits for the next token: 60 s / 30');
    time.advance(1999);
    t.is(await buckets.take('10.0.0.1'), 1);
    time.advance(1);
    t.is(await buckets.take('10.0.0.1'), 0);
    t.is(await buckets.take('10.0.0.1'), 2000);
  });

  test(`${dialect}: two web servers on one database share one allowance per client`, async (t) => {
    const { db } = await freshDatabase(t, dialect);
    const time = clock();
    const options = { limit: 4, perMs: 60_000, now: time.now };
    const [first, second] = [new RateBuckets(db, 'sign-in', options), new RateBuckets(db, 'sign-in', options)];
    // Taken at the same moment on both servers: every take is counted, none spends a token twice.
    const waits = await Promise.all([first, second, first, second, first, second].map((b) => b.take('10.0.0.9')));
    t.is(waits.filter((wait) => wait === 0).length, 4);
    t.true((await first.take('10.0.0.9')) > 0);
    t.true((await second.take('10.0.0.9')) > 0);
    t.is(await second.take('10.0.0.10'), 0, 'another address is not held back by the first');
    t.is(await new RateBuckets(db, 'verify', options).take('10.0.0.9'), 0, 'another limit has its own buckets');
  });

  test(`${dialect}: an idle client refills to the limit and no further, and refilled buckets are pruned`, async (t) => {
    const { db } = await freshDatabase(t, dialect);
    const time = clock();
    const buckets = new RateBuckets(db, 'verify', { limit: 3, perMs: 3000, now: time.now });
    for (let i = 0; i < 3; i++) await buckets.take('a');
    time.advance(3_600_000);
    for (let i = 0; i < 3; i++) t.is(await buckets.take('a'), 0);
    t.true((await buckets.take('a')) > 0, 'an hour of idling does not bank more than the limit');
    await buckets.take('b');
    time.advance(3000);
    await buckets.take('a');
    await buckets.prune();
    const left = await db.selectFrom('rate_buckets').select('client').execute();
    t.deepEqual(
      left.map((row) => row.client),
      ['a'],
      'b has refilled and is forgotten; a has just taken a token',
    );
  });

  test(`${dialect}: a server whose clock is behind refills nothing and takes nothing back`, async (t) => {
    const { db } = await freshDatabase(t, dialect);
    const ahead = clock();
    const behind = { now: () => ahead.now() - 10_000 };
    const options = { limit: 2, perMs: 60_000 };
    await new RateBuckets(db, 'verify', { ...options, now: ahead.now }).take('c');
    const late = new RateBuckets(db, 'verify', { ...options, now: behind.now });
    t.is(await late.take('c'), 0);
    t.is(await late.take('c'), 30_000);
  });
}

test('a refused request is answered 429 with Retry-After and a message of the route’s key, in any language', async (t) => {
  const { db } = await freshDatabase(t, 'sqlite');
  const time = clock();
  const replies: Message[] = [];
  const limiter = rateLimit(db, 'verify', {
    limit: 1,
    perMs: 60_000,
    now: time.now,
    tooMany: 'verify:tooMany',
    reply: (_res, said) => void replies.push(said),
  });
  const headers: Record<string, string> = {};
  const res = {
    statusCode: 200,
    status(code: number) {
      this.statusCode = code;
      return this;
    },
    set(name: string, value: string) {
      headers[name] = value;
      return this;
    },
  };
  const req = { ip: '10.0.0.1', socket: {} } as Request;
  let passed = 0;
  await limiter(req, res as unknown as Response, () => passed++);
  await limiter(req, res as unknown as Response, () => passed++);
  t.is(passed, 1);
  t.is(res.statusCode, 429);
  t.is(headers['Retry-After'], '60');
  t.deepEqual(replies, [{ key: 'verify:tooMany', values: { count: 60, perMinute: 1 } }]);
  t.is(
    messageText(translator('zh-CN'), replies[0]),
    '您所在地址的证书查询过于频繁（每分钟最多 1 次），请 60 秒后再试。',
  );
});
