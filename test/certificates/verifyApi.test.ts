import { readFileSync } from 'node:fs';
import path from 'node:path';
import anyTest, { type TestFn } from 'ava';
import { LOCALES_DIR } from '../../i18n';
import { recordStatusChange } from '../../records/registry';
import { visibleText } from '../helpers/web';
import { createCertificateEnv, HOLDER, startWebApp, type CertificateEnv } from './fixtures';

const test = anyTest as TestFn<CertificateEnv>;

test.before(async (t) => {
  t.context = await createCertificateEnv();
});
test.after.always(async (t) => {
  await t.context.teardown();
});

/** Each test gets its own app, whose requests come from an address of their own: lookups in one test never throttle another. */
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
      holder: { name: '张**', idNumber: '110105********002X' },
      occupation: 'Electrician',
      occupationName: 'Electrician',
      specialty: 'Power lines',
      level: 4,
      levelTitle: 'Level 4 (intermediate)',
      levelTitleZh: '四级/中级工',
      issuedOn: '2026-03-02',
      issuer: 'station-a',
      issuerName: '东城职业技能鉴定站',
      signatureValid: true,
      keyId: t.context.seal.signingKeyId,
    });
    t.false(body.includes(HOLDER.holderName), 'the full name is never returned');
    t.false(body.includes(HOLDER.idNumber), 'the full ID number is never returned');

    const page = await web.get(`/verify/${number.toLowerCase()}`);
    t.is(page.status, 200);
    const html = await page.text();
    t.true(html.includes('Valid certificate'));
    t.true(html.includes('张**') && html.includes('110105********002X'));
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
    t.true(html.includes('6 May 2026 10:00 (China time)'), 'the date in China time');
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
    t.true(visibleText(html).includes('its electronic seal does not match the content stored for it'));
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

// Serial, before the other tests start: the allowance refills every 2 s, which 30 lookups under load may outlast.
test.serial('the 31st lookup in a minute from one address is refused with 429 and Retry-After', async (t) => {
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

// ---- In Chinese, and the form for a number typed from paper ----

/** The English sentences of the verification catalogue, cut at their placeholders: none may show on a Chinese page. */
const englishOfVerify = (() => {
  const pieces: string[] = [];
  const walk = (node: unknown): void => {
    if (typeof node === 'string') pieces.push(...node.split(/\{\{[^}]*\}\}/).map((piece) => piece.trim()));
    else if (node && typeof node === 'object') Object.values(node).forEach(walk);
  };
  walk(JSON.parse(readFileSync(path.join(LOCALES_DIR, 'en', 'verify.json'), 'utf8')));
  return pieces.filter((piece) => /[A-Za-z]{3}/.test(piece));
})();

test('in Chinese the page names the occupation, the level and the issuing institution in Chinese', async (t) => {
  const env = await createCertificateEnv();
  try {
    await env.db
      .updateTable('organisations')
      .set({ name: '北京市第一职业技能鉴定站', province: 'beijing' })
      .where('id', '=', 'station-a')
      .execute();
    const number = await env.issue({ holderName: '欧阳娜娜', occupation: 'baker', specialty: '中式面点' });
    await withApp(env, async (web) => {
      for (const language of ['zh-CN', '*', '']) {
        const page = await web.get(`/verify/${number}`, language);
        t.is(page.status, 200);
        const text = visibleText(await page.text());
        t.regex(
          text,
          new RegExp(`证书有效 证书 ${number} 有效：已在证书登记库中登记，未被撤销，电子印章与证书内容一致。`),
        );
        for (const row of [
          '姓名 欧**',
          '证件号码 110105********002X',
          '职业（工种） 烘焙工 · 中式面点',
          '职业技能等级 四级/中级工',
          `证书编号 ${number}`,
          '发证机构 北京市第一职业技能鉴定站',
          '发证日期 2026年3月2日',
          '电子印章 签名有效',
        ]) {
          t.true(text.includes(row), `${language || 'no language'}: ${row}`);
        }
        t.false(text.includes('baker') || text.includes('station-a'), 'names, not codes');
        t.deepEqual(
          englishOfVerify.filter((english) => text.includes(english)),
          [],
          `${language || 'no language'}: no English sentence of the page is left`,
        );
      }

      const chinese = (await (await web.get(`/api/certificates/${number}`, 'zh-CN')).json()) as Record<string, unknown>;
      t.like(chinese, {
        occupation: 'baker',
        occupationName: '烘焙工',
        issuer: 'station-a',
        issuerName: '北京市第一职业技能鉴定站',
        levelTitleZh: '四级/中级工',
        holder: { name: '欧**', idNumber: '110105********002X' },
      });
      const english = (await (await web.get(`/api/certificates/${number}`)).json()) as Record<string, unknown>;
      t.like(english, { occupation: 'baker', occupationName: 'Baker', levelTitle: 'Level 4 (intermediate)' });
    });
  } finally {
    await env.teardown();
  }
});

test('in Chinese a revoked certificate gives the date in China time and the reason category in words', async (t) => {
  const number = await t.context.issue();
  await recordStatusChange(t.context.db, {
    certificate_number: number,
    status: 'revoked',
    category: 'cheating',
    reason: 'a stand-in sat the skills exam',
    decided_by: 'zheng.approver',
    decided_at: '2026-05-06T02:00:00.000Z',
    investigation_id: `investigation-zh-${number}`,
  });
  await withApp(t.context, async (web) => {
    const text = visibleText(await (await web.get(`/verify/${number}`, 'zh-CN')).text());
    t.regex(text, /证书已撤销/);
    t.true(text.includes(`证书 ${number} 已于 2026年5月6日 10:00（北京时间）被撤销，撤销原因类别：考试作弊。`));
    t.false(text.includes('stand-in'));
  });
});

test("/verify is a form for a number typed from a paper certificate, which leads to that certificate's page", async (t) => {
  const number = await t.context.issue();
  await withApp(t.context, async (web) => {
    const form = await web.get('/verify', 'zh-CN');
    t.is(form.status, 200);
    const html = await form.text();
    t.regex(html, /<form method='get' action='\/verify'>/);
    t.regex(html, /<label for='number'>证书编号<\/label>/);
    t.regex(visibleText(html), /证书查询 请输入证书上印制的证书编号，查询证书真伪及当前状态。/);

    // Typed as printed, in groups and in lower case, it is the same number.
    const typed = `${number.slice(0, 7)} ${number.slice(7, 15)} ${number.slice(15)}`.toLowerCase();
    const sent = await web.get(`/verify?number=${encodeURIComponent(typed)}`, 'zh-CN');
    t.is(sent.status, 303);
    t.is(sent.headers.get('location'), `/verify/${number}`);
    const answer = await web.get(sent.headers.get('location')!, 'zh-CN');
    t.regex(visibleText(await answer.text()), /证书有效/);
  });
});

test('a number that is not one comes back in the form with what was typed and what is wrong with it', async (t) => {
  await withApp(t.context, async (web) => {
    const wrong = await web.get('/verify?number=Y12345', 'zh-CN');
    t.is(wrong.status, 400);
    const html = await wrong.text();
    t.regex(html, /<input id='number' name='number' value='Y12345'/);
    t.regex(html, /id='number-error'>证书编号有误：职业技能等级证书编号必须是 22 位（现为 6 位）。</);

    const empty = await web.get('/verify?number=+', 'zh-CN');
    t.is(empty.status, 400);
    t.regex(await empty.text(), /id='number-error'>请输入证书编号。</);

    const english = await web.get('/verify?number=Y12345');
    t.regex(
      await english.text(),
      /id='number-error'>Not a certificate number: a skill-level certificate number must be 22 characters \(got 6\)\.</,
    );

    // A malformed number in the address (a mistyped link) also offers the form, filled in to correct it.
    const linked = await web.get('/verify/12345', 'zh-CN');
    t.is(linked.status, 400);
    const text = visibleText(await linked.text());
    t.regex(text, /证书编号有误 证书编号有误：原职业资格证书编号必须是 16 位数字（现为 5 位）。/);
    t.regex(text, /证书编号印在证书“证书编号”一栏/);
  });
});

test.serial('in Chinese the 31st lookup in a minute is refused in Chinese', async (t) => {
  await withApp(t.context, async (web) => {
    for (let i = 0; i < 30; i++) await (await web.get('/api/certificates/x', 'zh-CN')).arrayBuffer();
    const refused = await web.get('/api/certificates/x', 'zh-CN');
    t.is(refused.status, 429);
    const retryAfter = refused.headers.get('retry-after');
    t.deepEqual(await refused.json(), {
      error: `您所在地址的证书查询过于频繁（每分钟最多 30 次），请 ${retryAfter} 秒后再试。`,
    });
  });
});
