/**
 * A method a known path does not have is 405 with `Allow`, not 404: the API's methods as its document lists them,
 * a page's GET and POST, and never TRACE. Schemathesis's `unsupported_method` check tries the API's paths; these are
 * the answers a person reads, in their language.
 */
import { request } from 'node:http';
import anyTest, { type TestFn } from 'ava';
import { startWebWithoutTemporal, type WebWithoutTemporal } from '../inbox/fixtures';

const test = anyTest as TestFn<WebWithoutTemporal>;

test.before(async (t) => {
  t.context = await startWebWithoutTemporal();
});
test.after.always(async (t) => {
  await t.context?.close();
});

interface Answer {
  status: number;
  allow?: string;
  body: string;
}

/** A request by node:http, since fetch refuses to send TRACE. */
const send = (t: { context: WebWithoutTemporal }, method: string, path: string, language = 'en') =>
  new Promise<Answer>((resolve, reject) => {
    const call = request(`${t.context.base}${path}`, { method, headers: { 'accept-language': language } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, allow: res.headers.allow, body }));
    });
    call.on('error', reject);
    call.end();
  });

test('TRACE on an API path is 405, naming the methods the path has', async (t) => {
  const response = await send(t, 'TRACE', '/api/inbox/views');
  t.is(response.status, 405);
  t.is(response.allow, 'GET, POST, HEAD');
  t.deepEqual(JSON.parse(response.body), {
    error: 'TRACE is not answered here; the methods answered are GET, POST, HEAD.',
  });
});

test('a method the document does not give a path is 405, in the reader’s language', async (t) => {
  const response = await send(t, 'PUT', '/api/cases/STATION-A-20270101-0001', 'zh-CN');
  t.is(response.status, 405);
  t.is(response.allow, 'GET, HEAD');
  t.deepEqual(JSON.parse(response.body), { error: '此处不接受 PUT 请求，可用的方法为 GET, HEAD。' });
});

test('TRACE on a page is 405 too, never an echo of the request', async (t) => {
  const response = await send(t, 'TRACE', '/login');
  t.is(response.status, 405);
  t.is(response.allow, 'GET, HEAD, POST');
  t.notRegex(response.body, /TRACE \/login HTTP/);
  t.regex(response.body, /TRACE is not answered here; the methods answered are GET, HEAD, POST\./);
});

test('a path no route has is still 404', async (t) => {
  const response = await send(t, 'PUT', '/api/no-such-thing');
  t.is(response.status, 404);
});
