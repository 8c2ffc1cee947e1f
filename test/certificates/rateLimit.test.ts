import test from 'ava';
import type { Request, Response } from 'express';
import type { Message } from '../../domain/messages';
import { translator } from '../../i18n';
import { rateLimit, TokenBuckets } from '../../inbox-ui/rateLimit';
import { messageText } from '../../inbox-ui/messageText';

function clock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

test('a client gets its allowance at once, then one lookup per refill interval', (t) => {
  const time = clock();
  const buckets = new TokenBuckets({ limit: 30, perMs: 60_000, now: time.now });
  for (let i = 1; i <= 30; i++) t.is(buckets.take('10.0.0.1'), 0, `lookup ${i}`);
  t.is(buckets.take('10.0.0.1'), 2000, 'the 31st waits for the next token: 60 s / 30');
  time.advance(1999);
  t.is(buckets.take('10.0.0.1'), 1);
  time.advance(1);
  t.is(buckets.take('10.0.0.1'), 0);
  t.is(buckets.take('10.0.0.1'), 2000);
});

test('each client address has its own bucket', (t) => {
  const time = clock();
  const buckets = new TokenBuckets({ limit: 2, perMs: 60_000, now: time.now });
  t.is(buckets.take('a'), 0);
  t.is(buckets.take('a'), 0);
  t.true(buckets.take('a') > 0);
  t.is(buckets.take('b'), 0, 'another address is not held back by the first');
});

test('an idle client refills to the limit and no further', (t) => {
  const time = clock();
  const buckets = new TokenBuckets({ limit: 3, perMs: 3000, now: time.now });
  for (let i = 0; i < 3; i++) buckets.take('a');
  time.advance(3_600_000);
  for (let i = 0; i < 3; i++) t.is(buckets.take('a'), 0);
  t.true(buckets.take('a') > 0, 'an hour of idling does not bank more than the limit');
});

test('the buckets stay bounded: idle clients are forgotten first, so a throttled client is not let off', (t) => {
  const time = clock();
  const buckets = new TokenBuckets({ limit: 1, perMs: 60_000, now: time.now, maxClients: 3 });
  buckets.take('idle-1');
  buckets.take('idle-2');
  time.advance(60_000); // both have refilled: forgetting them loses nothing
  t.is(buckets.take('busy'), 0);
  t.is(buckets.take('newcomer'), 0);
  t.true(buckets.take('busy') > 0, 'the busy client is still held back');
  for (let i = 0; i < 100; i++) buckets.take(`scanner-${i}`);
  t.true((buckets as unknown as { buckets: Map<string, unknown> }).buckets.size <= 3);
});

test('a refused lookup is answered 429 with Retry-After and a message of the route’s key, in any language', (t) => {
  const time = clock();
  const replies: Message[] = [];
  const limiter = rateLimit({
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
  limiter(req, res as unknown as Response, () => passed++);
  limiter(req, res as unknown as Response, () => passed++);
  t.is(passed, 1);
  t.is(res.statusCode, 429);
  t.is(headers['Retry-After'], '60');
  t.deepEqual(replies, [{ key: 'verify:tooMany', values: { count: 60, perMinute: 1 } }]);
  t.is(
    messageText(translator('zh-CN'), replies[0]),
    '您所在地址的证书查询过于频繁（每分钟最多 1 次），请 60 秒后再试。',
  );
});
