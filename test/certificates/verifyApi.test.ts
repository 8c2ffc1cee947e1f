import anyTest, { type TestFn } from 'ava';
import { recordStatusChange } from '../../records/registry';
import { createCertificateEnv, HOLDER, startWebApp, type CertificateEnv } from './fixtures';

const test = anyTest as TestFn<CertificateEnv>;

test.before(async (t) => {
  t.context = await createCertificateEnv();
});
test.after.always(async (t) => {
  await t.context.teardown();
});

/** Each test gets its own app, so its own rate limiter: lookups in one test never throttle another. */
async function withApp<T>(env: CertificateEnv, run: (web: Awaited<ReturnType<typeof startWebApp>>) => Promise<T>) {
  const web = await startWebApp(env);
  try {
    return await run(web);
  } finally {
    await web.close();
  }
}

test('a valid certificate answers valid, with the holder masked and the seal checked', async (t) => {
  const number = await t.context.issue({ occupation: 'Electrician', specialty: 'Power lines' });
  await withApp(t.context, async (web) => {
    const res = await web.get(`/api/certificates/${number}`);
    t.is(res.status, 200);
    t.is(res.headers.get('cache-control'), 'no-store');
    const body = await res.text();
    t.deepEqual(JSON.parse(body), {
      status: 'valid',
      number,
      holder: { name: '张**', idNumber: '110*************2X' },
      occupation: 'Electrician',
      specialty: 'Power lines',
      level: 4,
      levelTitle: 'Level 4 (intermediate)',
      levelTitleZh: '四级/中级工',
      issuedOn: '2026-03-02',
      issuer: 'station-a',
      signatureValid: true,
      keyId: t.context.seal.signingKeyId,
    });
    t.false(body.includes(HOLDER.holderName), 'the full name is never returned');
    t.false(body.includes(HOLDER.idNumber), 'the full ID number is never returned');

    const page = await web.get(`/verify/${number.toLowerCase()}`);
    t.is(page.status, 200);
    const html = await page.text();
    t.true(html.includes('Valid certificate'));
    t.true(html.includes('张**') && html.includes('110*************2X'));
    t.false(html.includes(HOLDER.holderName) || html.includes(HOLDER.idNumber));
  });
});

test('a revoked certificate answers revoked, with the date and the reason category but not the reason', async (t) => {
  const number = await t.context.issue();
  await recordStatusChange(t.context.db, {
    certificate_number: number,
    status: 'revoked',
    category: 'cheating',
    reason: `${HOLDER.holderName} sent a stand-in to the skills exam`,
    decided_by: 'zheng.approver',
    decided_at: '2026-05-06T02:00:00.000Z',
    investigation_id: `investigation-${number}`,
  });
  await withApp(t.context, async (web) => {
    const res = await web.get(`/api/certificates/${number}`);
    t.is(res.status, 200);
    const body = await res.text();
    t.like(JSON.parse(body), {
      status: 'revoked',
      number,
      revokedAt: '2026-05-06T02:00:00.000Z',
      revocationCategory: 'cheating',
      signatureValid: true,
    });
    t.false(body.includes('stand-in'), 'the reason text stays internal');
    t.false(body.includes(HOLDER.holderName));

    const html = await (await web.get(`/verify/${number}`)).text();
    t.true(html.includes('Revoked certificate'));
    t.true(html.includes('2026-05-06 10:00'), 'the date in China time');
    t.true(html.includes('cheating'));
  });
});

test('a reinstated certificate is valid again', async (t) => {
  const number = await t.context.issue();
  const decision = { certificate_number: number, category: 'forgery', decided_by: 'zheng.approver' };
  await recordStatusChange(t.context.db, {
    ...decision,
    status: 'revoked',
    reason: 'suspected forgery',
    decided_at: '2026-05-06T02:00:00.000Z',
    investigation_id: `inv-1-${number}`,
  });
  await recordStatusChange(t.context.db, {
    ...decision,
    status: 'reinstated',
    reason: 'the appeal found the documents genuine',
    decided_at: '2026-06-01T02:00:00.000Z',
    investigation_id: `inv-2-${number}`,
  });
  await withApp(t.context, async (web) => {
    const body = (await (await web.get(`/api/certificates/${number}`)).json()) as Record<string, unknown>;
    t.is(body.status, 'valid');
    t.false('revokedAt' in body);
  });
});

test('an unknown number answers 404 unknown, and so does a number not sealed yet', async (t) => {
  await t.context.db
    .insertInto('certificates')
    .values({
      application_number: 'QF-NOT-SEALED',
      number: 'S000044000001264000888',
      level: 4,
      station_id: 'station-a',
      issued_on: '2026-03-02',
      content: null,
      key_id: null,
      signature: null,
    })
    .execute();
  await withApp(t.context, async (web) => {
    for (const number of ['S000044000001264999999', 'S000044000001264000888']) {
      const res = await web.get(`/api/certificates/${number}`);
      t.is(res.status, 404);
      t.deepEqual(await res.json(), { status: 'unknown', number });
    }
    const page = await web.get('/verify/S000044000001264999999');
    t.is(page.status, 404);
    t.true((await page.text()).includes('Unknown certificate'));
  });
});

const MALFORMED: Record<string, string> = {
  S00004400000126400088: 'a skill-level certificate number must be 22 characters (got 21)',
  S00004400000126X000888: 'the 21 characters after the category letter must be digits',
  X000044000001264000888: 'category letter must be Y or S (got X)',
  S000044000001264000000: 'serial must not be 000000',
  '12345': 'a legacy certificate number must be 16 digits (got 5)',
};

test('a malformed number answers 400 saying what is wrong with it', async (t) => {
  await withApp(t.context, async (web) => {
    for (const [raw, problem] of Object.entries(MALFORMED)) {
      const res = await web.get(`/api/certificates/${raw}`);
      t.is(res.status, 400, raw);
      t.deepEqual(await res.json(), { error: `Not a certificate number: ${problem}.` }, raw);
    }
    const page = await web.get('/verify/%3Cscript%3E');
    t.is(page.status, 400);
    const html = await page.text();
    t.true(html.includes('Not a certificate number: must be a skill-level certificate number'));
    t.false(html.includes('<script>'), 'the input is escaped');
  });
});

test('a certificate whose stored content no longer matches its signature answers invalid-seal', async (t) => {
  const number = await t.context.issue();
  const row = await t.context.db
    .selectFrom('certificates')
    .select('content')
    .where('number', '=', number)
    .executeTakeFirstOrThrow();
  await t.context.db
    .updateTable('certificates')
    .set({ content: row.content!.replace('"level":4', '"level":1') })
    .where('number', '=', number)
    .execute();
  await withApp(t.context, async (web) => {
    const res = await web.get(`/api/certificates/${number}`);
    t.is(res.status, 200);
    t.like(await res.json(), { status: 'invalid-seal', number, signatureValid: false, level: 1 });
    const html = await (await web.get(`/verify/${number}`)).text();
    t.true(html.includes('Seal check failed'));
    t.true(html.includes('does <strong>not</strong>'));
  });
});

test('after a key rotation, certificates sealed before and after both verify', async (t) => {
  const env = await createCertificateEnv();
  try {
    const oldKey = env.seal.signingKeyId;
    const before = await env.issue();
    env.rotateKey('seal-29991231');
    const after = await env.issue();
    await withApp(env, async (web) => {
      t.like(await (await web.get(`/api/certificates/${before}`)).json(), {
        status: 'valid',
        signatureValid: true,
        keyId: oldKey,
      });
      t.like(await (await web.get(`/api/certificates/${after}`)).json(), {
        status: 'valid',
        signatureValid: true,
        keyId: 'seal-29991231',
      });
    });
  } finally {
    await env.teardown();
  }
});

test('the 31st lookup in a minute from one address is refused with 429 and Retry-After', async (t) => {
  const number = await t.context.issue();
  await withApp(t.context, async (web) => {
    for (let i = 1; i <= 30; i++) {
      // The page and the API draw on the same allowance, and so do malformed and unknown numbers.
      const url =
        i % 3 === 0 ? `/verify/${number}` : i % 3 === 1 ? `/api/certificates/${number}` : '/api/certificates/x';
      const res = await web.get(url);
      t.not(res.status, 429, `lookup ${i}`);
      await res.arrayBuffer();
    }
    const refused = await web.get(`/api/certificates/${number}`);
    t.is(refused.status, 429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    t.true(retryAfter >= 1 && retryAfter <= 2, `Retry-After ${retryAfter}`);
    t.deepEqual(await refused.json(), {
      error: `Too many certificate lookups from your address (at most 30 a minute). Try again in ${retryAfter} second${retryAfter === 1 ? '' : 's'}.`,
    });
    const page = await web.get(`/verify/${number}`);
    t.is(page.status, 429);
    t.true((await page.text()).includes('Too many certificate lookups'));
  });
});
