/**
 * The operational log is JSON, one object per line, and every line of a request carries its request id (sent back in
 * X-Request-Id) and, when the address names a case, its workflow id; the address itself, which may hold a name
 * someone searched for, is never logged. Each test has its own app, database and log.
 */
import test from 'ava';
import { createLog } from '../../runtime/log';
import { apiAs } from '../helpers/web';
import { startWebWithoutTemporal } from './fixtures';

interface Line {
  level: number;
  msg: string;
  requestId?: string;
  workflowId?: string;
  route?: string;
  status?: number;
  err?: { message: string };
}

async function appWithLog(t: { teardown(fn: () => unknown): void }) {
  const lines: Line[] = [];
  const log = createLog('INFO', { write: (text: string) => void lines.push(JSON.parse(text) as Line) });
  const web = await startWebWithoutTemporal({ log });
  t.teardown(() => web.close());
  return { web, lines };
}

test('a failed request about a case logs its error with the request id and the workflow id', async (t) => {
  const { web, lines } = await appWithLog(t);
  const reviewer = await apiAs(web.base, 'li.station-reviewer');
  // Temporal cannot be reached here (startWebWithoutTemporal), so the case's answer fails on the server.
  const response = await fetch(`${web.base}/api/cases/STATION-A-LOG-0001`, {
    headers: { authorization: `Bearer ${reviewer.token}`, 'x-request-id': 'proxy-7f3a' },
  });
  t.true(response.status >= 500);
  t.is(response.headers.get('x-request-id'), 'proxy-7f3a');
  const ofRequest = lines.filter((line) => line.requestId === 'proxy-7f3a');
  t.true(ofRequest.length >= 2, JSON.stringify(lines));
  const failed = ofRequest.find((line) => line.msg === 'request failed');
  t.truthy(failed?.err?.message);
  t.true(ofRequest.every((line) => line.workflowId === 'application-STATION-A-LOG-0001'));
  t.like(
    ofRequest.find((line) => line.msg === 'request'),
    { route: '/api/cases/:number', status: response.status },
  );
});

test('a request id the proxy did not send is made, and an unfit one replaced; a search is logged by its route', async (t) => {
  const { web, lines } = await appWithLog(t);
  const search = await fetch(`${web.base}/login?next=${encodeURIComponent('/inbox?q=张伟')}`, {
    headers: { 'x-request-id': 'not fit: spaces and "quotes"' },
  });
  const id = search.headers.get('x-request-id') ?? '';
  t.regex(id, /^[0-9a-f-]{36}$/);
  const line = lines.find((l) => l.requestId === id && l.msg === 'request');
  t.like(line, { route: '/login', status: search.status });
  t.false(JSON.stringify(lines).includes('张伟'), 'no address, so no search, in the log');
  t.true(lines.every((l) => typeof l.level === 'number' && typeof l.msg === 'string'));
});
