/**
 * What Temporal keeps of a case is ciphertext: the candidate's name, ID number and email never reach the server's
 * database in clear. An administrator still reads them in the Temporal Web UI, through the web app's codec endpoint,
 * and every such read is in the audit chain.
 */
import { existsSync, readFileSync } from 'node:fs';
import anyTest, { type TestFn } from 'ava';
import type { Payload } from '@temporalio/common';
import { Level } from '../../domain/levels';
import type { ApplicationInput } from '../../domain/application';
import { freePort } from '../../runtime/temporalServer';
import { applicationFor } from '../helpers/applications';
import { launchBrowser, signIn } from '../helpers/browser';
import { driveTo } from '../helpers/cases';
import { createHarness, type Harness } from '../helpers/harness';
import { apiAs, startWeb, type WebApp } from '../helpers/web';
import { residentId } from '../inbox/fixtures';

interface Context {
  h: Harness;
  web: WebApp;
  uiOrigin: string;
}

const test = anyTest as TestFn<Context>;

test.before(async (t) => {
  const uiPort = await freePort();
  const h = await createHarness({ flavour: 'dev-server', devServer: { uiPort } });
  const uiOrigin = `http://127.0.0.1:${uiPort}`;
  t.context = { h, uiOrigin, web: await startWeb(h, { temporalUiUrl: uiOrigin }) };
});
test.after.always(async (t) => {
  await t.context.web?.close();
  await t.context.h?.teardown();
});

let serial = 700;
/** A case no other test has: a Chinese name, an ID number and an email address to look for byte by byte. */
function application(): ApplicationInput {
  serial++;
  return applicationFor(Level.Primary, {
    candidate: {
      name: '欧阳明珠',
      idType: 'resident-id',
      idNumber: residentId(serial),
      email: `ouyang.${serial}@example.org`,
    },
  });
}

/** Temporal's whole state on disk: the SQLite file and its write-ahead log, as bytes. */
function temporalState(h: Harness): Buffer {
  const file = h.temporalStateFile!;
  return Buffer.concat([file, `${file}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
}

/** The workflow's input as the server holds it, and as the Web UI sends it to the codec endpoint. */
async function startInput(h: Harness, workflowId: string): Promise<{ metadata: Record<string, string>; data: string }> {
  const history = await h.client.workflow.getHandle(workflowId).fetchHistory();
  const payload = history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0] as Payload;
  return {
    metadata: Object.fromEntries(
      Object.entries(payload.metadata!).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
    ),
    data: Buffer.from(payload.data!).toString('base64'),
  };
}

const decodedText = (body: { payloads: { data: string }[] }) =>
  body.payloads.map((payload) => Buffer.from(payload.data, 'base64').toString('utf8')).join('\n');

test.serial(
  'after a whole case, Temporal’s database holds the candidate’s name, ID number and email only as ciphertext',
  async (t) => {
    const { h } = t.context;
    const app = application();
    const handle = await h.start(app);
    await driveTo(handle);
    await handle.result();

    const state = temporalState(h);
    // The file is the right one: the case's workflow id, which is no personal data, is there in clear.
    t.true(state.includes(Buffer.from(handle.workflowId)));
    for (const value of [app.candidate.name, app.candidate.idNumber, app.candidate.email!]) {
      t.false(state.includes(Buffer.from(value, 'utf8')), `${value} in UTF-8`);
      t.false(state.includes(Buffer.from(value, 'utf16le')), `${value} in UTF-16`);
    }
    // Nor merely encoded: no payload the server holds reads as the case's JSON.
    t.false(state.includes(Buffer.from(Buffer.from(`"idNumber":"${app.candidate.idNumber}"`).toString('base64'))));
  },
);

test.serial(
  'an administrator decodes a case’s input through the codec endpoint, and the decode is audited',
  async (t) => {
    const { h, web, uiOrigin } = t.context;
    const app = application();
    const handle = await h.start(app);
    const input = await startInput(h, handle.workflowId);
    t.false(Buffer.from(input.data, 'base64').toString('utf8').includes(app.candidate.idNumber));

    const admin = await apiAs(web.base, 'admin');
    const decode = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${web.base}/codec/decode`, {
        method: 'POST',
        headers: {
          origin: uiOrigin,
          'content-type': 'application/json',
          'x-namespace': 'default',
          authorization: `Bearer ${admin.token}`,
          ...headers,
        },
        body: JSON.stringify(body),
      });
    const answer = await decode({ payloads: [input] });
    t.is(answer.status, 200);
    t.is(answer.headers.get('access-control-allow-origin'), uiOrigin);
    t.is(answer.headers.get('access-control-allow-credentials'), 'true');
    const text = decodedText((await answer.json()) as { payloads: { data: string }[] });
    t.true(text.includes(app.candidate.idNumber));
    t.true(text.includes(app.candidate.name));

    const audited = await h.deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'payloads-decoded')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    t.is(audited.actor, 'admin');
    t.deepEqual(JSON.parse(audited.details!), { namespace: 'default', payloads: 1 });

    // The preflight the Web UI's browser sends first, without a cookie.
    const preflight = await fetch(`${web.base}/codec/decode`, {
      method: 'OPTIONS',
      headers: {
        origin: uiOrigin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-namespace',
      },
    });
    t.is(preflight.status, 204);
    t.is(preflight.headers.get('access-control-allow-origin'), uiOrigin);
    t.regex(preflight.headers.get('access-control-allow-headers') ?? '', /X-Namespace/i);
  },
);

test.serial('the codec endpoint answers nobody but a signed-in administrator in the Web UI’s origin', async (t) => {
  const { h, web, uiOrigin } = t.context;
  const app = application();
  const handle = await h.start(app);
  const input = await startInput(h, handle.workflowId);
  const clerk = await apiAs(web.base, 'sun.clerk');
  const admin = await apiAs(web.base, 'admin');
  const before = await auditedDecodes(h);
  const send = async (headers: Record<string, string>, body: unknown = { payloads: [input] }) => {
    const response = await fetch(`${web.base}/codec/decode`, {
      method: 'POST',
      headers: { origin: uiOrigin, 'content-type': 'application/json', 'accept-language': 'en', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const answer = (await response.json()) as { error?: string; payloads?: unknown };
    t.is(answer.payloads, undefined, 'nothing decoded');
    return { status: response.status, error: answer.error };
  };

  const anonymous = await send({});
  t.is(anonymous.status, 401);
  t.regex(anonymous.error ?? '', /^Sign in to Qualiflow as an administrator/);
  t.like(await send({ authorization: `Bearer ${clerk.token}` }), { status: 403 });
  t.regex((await send({ authorization: `Bearer ${clerk.token}` })).error ?? '', /Only administrators/);
  const elsewhere = await send({ authorization: `Bearer ${admin.token}`, origin: 'http://127.0.0.1:1' });
  t.is(elsewhere.status, 403);
  const malformed = await send({ authorization: `Bearer ${admin.token}` }, '{"payloads": [');
  t.is(malformed.status, 400);
  t.is((await send({ authorization: `Bearer ${admin.token}` }, { payloads: [{ data: 'not base64!' }] })).status, 400);
  // One bit changed in the ciphertext: refused as changed, not answered with garbage.
  const bytes = Buffer.from(input.data, 'base64');
  bytes[bytes.length - 20] ^= 1;
  const tampered = await send(
    { authorization: `Bearer ${admin.token}` },
    { payloads: [{ ...input, data: bytes.toString('base64') }] },
  );
  t.is(tampered.status, 422);
  t.regex(tampered.error ?? '', /could not be decrypted/);
  const otherKey = {
    ...input,
    metadata: { ...input.metadata, 'encryption-key-id': Buffer.from('retired-2020').toString('base64') },
  };
  const unknown = await send({ authorization: `Bearer ${admin.token}` }, { payloads: [otherKey] });
  t.is(unknown.status, 422);
  t.regex(unknown.error ?? '', /retired-2020/);
  t.is(await auditedDecodes(h), before, 'a refused decode decoded nothing and is not a read');
});

test.serial(
  'the Temporal Web UI shows an administrator the decoded input, and a visitor only ciphertext',
  async (t) => {
    const { h, web, uiOrigin } = t.context;
    const app = application();
    const handle = await h.start(app);
    const browser = await launchBrowser();
    t.teardown(() => browser.close());
    const workflowPage = `${uiOrigin}/namespaces/default/workflows/${encodeURIComponent(handle.workflowId)}`;
    // The UI's own codec settings, as an administrator sets them once in its "Codec Server" dialog.
    // Runs in the page; the project compiles without DOM types.
    const codecSettings = (endpoint: string) => {
      const { localStorage } = globalThis as unknown as { localStorage: { setItem(key: string, value: string): void } };
      localStorage.setItem('endpoint', JSON.stringify(endpoint));
      localStorage.setItem('includeCredentials', 'true');
      localStorage.setItem('overrideRemoteCodecConfiguration', 'true');
    };

    const administrator = await browser.newContext({ baseURL: web.base, locale: 'en-GB' });
    const page = await administrator.newPage();
    await signIn(page, 'admin');
    await page.addInitScript(codecSettings, `${web.base}/codec`);
    await page.goto(workflowPage);
    await page.getByText(app.candidate.idNumber).first().waitFor({ timeout: 30_000 });
    t.true(await page.getByText(app.candidate.idNumber).first().isVisible());

    // The same settings in a browser that has not signed in to Qualiflow: the endpoint refuses, the UI shows ciphertext.
    const visitor = await browser.newContext({ locale: 'en-GB' });
    const other = await visitor.newPage();
    await other.addInitScript(codecSettings, `${web.base}/codec`);
    const refused = other.waitForResponse(
      (response) => new URL(response.url()).pathname === '/codec/decode' && response.request().method() === 'POST',
      { timeout: 30_000 },
    );
    await other.goto(workflowPage);
    t.is((await refused).status(), 401);
    t.false((await other.content()).includes(app.candidate.idNumber));
  },
);

async function auditedDecodes(h: Harness): Promise<number> {
  const row = await h.deps.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', 'payloads-decoded')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
