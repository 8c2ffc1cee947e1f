/**
 * The statistics for administrators: the page's table and charts, its CSV and XLSX exports, and its JSON twin, over
 * cases written straight into the case index (the figures come from the database alone); a station's people are
 * refused (statisticsScope.test.ts: a guidance center's and a department's narrowed view).
 */
import test from 'ava';
import ExcelJS from 'exceljs';
import type { ApplicationInput } from '../../domain/application';
import { Level } from '../../domain/levels';
import type { ExamScores } from '../../domain/scores';
import { applicationFor } from '../helpers/applications';
import { visibleText } from '../helpers/web';
import { indexExamined } from './statisticsCases';
import { people, startWebWithoutTemporal, unescape, UNLIMITED_SIGN_IN, type WebWithoutTemporal } from './fixtures';

let web: WebWithoutTemporal;
let who: ReturnType<typeof people>;

const RANGE = 'from=2026-03-01&to=2026-04-30';
const SUBMITTED = '2026-03-10T02:00:00.000Z';

const examined = (application: ApplicationInput, scores?: ExamScores) =>
  indexExamined(web.db, application, SUBMITTED, scores);

/** March 2026 at station A: three bakers (excellent, good, failed) and one not examined; a cook at station B. */
test.before(async () => {
  web = await startWebWithoutTemporal({ signInLimits: UNLIMITED_SIGN_IN });
  who = people(web.base);
  await examined(applicationFor(Level.Primary), { knowledge: 97, skills: 96 });
  await examined(applicationFor(Level.Primary), { knowledge: 85, skills: 82 });
  await examined(applicationFor(Level.Primary), { knowledge: 30, skills: 40 });
  await examined(applicationFor(Level.Primary));
  await examined(applicationFor(Level.Primary, { stationId: 'station-b', occupation: 'tea-artisan' }), {
    knowledge: 61,
    skills: 70,
  });
});
test.after.always(async () => {
  await web?.close();
});

/** The cells of a table row of the page, as a reader sees them. */
const cellsOf = (html: string, row: string): string[] => {
  const match = new RegExp(`<tr data-row='${row}'>([\\s\\S]*?)</tr>`).exec(html);
  return match ? [...match[1].matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((cell) => visibleText(cell[1])) : [];
};

test('an administrator sees applications, results, grade bands and certificates by occupation', async (t) => {
  const browser = await who.browser('admin');
  const page = await browser.get(`/admin/statistics?${RANGE}`);
  t.is(page.status, 200);
  t.deepEqual(cellsOf(page.html, '2026-03/baker'), ['2026-03', 'Baker', '4', '3', '2', '66.7%', '1', '1', '0', '0']);
  t.deepEqual(cellsOf(page.html, '2026-03/tea-artisan'), [
    '2026-03',
    'Tea artisan',
    '1',
    '1',
    '1',
    '100.0%',
    '0',
    '0',
    '1',
    '0',
  ]);
  t.deepEqual(cellsOf(page.html, 'total'), ['Total', '5', '4', '3', '75.0%', '1', '1', '1', '0']);
  t.regex(page.html, /<svg[^>]*class="statistics-chart"[\s\S]*Applications and passes by Occupation/);
  t.true(
    unescape(page.html).includes(
      "href='/admin/statistics.csv?from=2026-03-01&to=2026-04-30&period=month&by=occupation'",
    ),
    'the export is of the figures shown',
  );
  t.regex(visibleText(page.html), /No task done in the chosen range\. .*No task is overdue\./);
});

test('the figures by station name the stations, and a station filter leaves the others out', async (t) => {
  const browser = await who.browser('admin');
  const page = await browser.get(`/admin/statistics?${RANGE}&by=station&station=station-b&period=year`);
  t.deepEqual(cellsOf(page.html, '2026/station-b').slice(2, 5), ['1', '1', '1']);
  t.deepEqual(cellsOf(page.html, '2026/station-a'), [], 'station A is filtered out');
});

test('the CSV export has the header and a row per period and occupation', async (t) => {
  const response = await download(`/admin/statistics.csv?${RANGE}`);
  t.is(response.status, 200);
  t.regex(response.headers.get('content-type') ?? '', /^text\/csv/);
  t.regex(response.headers.get('content-disposition') ?? '', /statistics-2026-03-01-2026-04-30-occupation\.csv/);
  const lines = (await response.text())
    .replace(/^\ufeff/, '')
    .trim()
    .split('\r\n');
  t.deepEqual(lines, [
    'Period,Occupation,Applications,Examined,Passed,Pass rate,Excellent,Good,Pass,Certificates issued',
    '2026-03,Baker,4,3,2,66.7%,1,1,0,0',
    '2026-03,Tea artisan,1,1,1,100.0%,0,0,1,0',
    'Total,,5,4,3,75.0%,1,1,1,0',
  ]);
});

test('the XLSX export opens in a spreadsheet with the same rows', async (t) => {
  const response = await download(`/admin/statistics.xlsx?${RANGE}`);
  t.is(response.status, 200);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet('Applications and results')!;
  const rows: unknown[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  t.deepEqual(rows[1], ['2026-03', 'Baker', 4, 3, 2, '66.7%', 1, 1, 0, 0]);
  t.is(rows.length, 4);
  t.truthy(workbook.getWorksheet('Time taken'));
  t.truthy(workbook.getWorksheet('Overdue tasks'));
});

test('the JSON twin answers the figures the page shows', async (t) => {
  const api = await who.api('admin');
  const { status, body } = await api.get(`/api/admin/statistics?${RANGE}`);
  t.is(status, 200);
  const page = await (await who.browser('admin')).get(`/admin/statistics?${RANGE}`);
  t.is(body.rows.length, 2);
  for (const row of body.rows) {
    const rate = `${(row.passRate * 100).toFixed(1)}%`;
    t.deepEqual(cellsOf(page.html, `${row.period}/${row.key}`), [
      row.period,
      row.keyLabel,
      ...[row.applications, row.examined, row.passed].map(String),
      rate,
      ...[row.excellent, row.good, row.pass, row.certificates].map(String),
    ]);
  }
  t.like(body.totals, { applications: 5, examined: 4, passed: 3, passRate: 0.75 });
  t.deepEqual(body.query, { from: '2026-03-01', to: '2026-04-30', period: 'month', by: 'occupation' });

  const refused = await api.get('/api/admin/statistics?from=2026-02-30');
  t.is(refused.status, 422);
  t.like(refused.body, { errors: { from: 'Enter a real date (year-month-day).' } });
});

test('a station clerk is refused the statistics, their exports and their API', async (t) => {
  const browser = await who.browser('sun.clerk');
  for (const path of ['/admin/statistics', '/admin/statistics.csv', '/admin/statistics.xlsx']) {
    const page = await browser.get(path);
    t.is(page.status, 403, path);
    t.regex(
      visibleText(page.html),
      /Only administrators and the people of a guidance center or a labour department/,
      path,
    );
  }
  t.notRegex((await browser.get('/inbox')).html, /href='\/admin\/statistics'/, 'no menu entry for it');
  const api = await who.api('sun.clerk');
  t.is((await api.get('/api/admin/statistics')).status, 403);
  t.is((await fetch(`${web.base}/api/admin/statistics`)).status, 401);
});

/** A download as an administrator's client makes it (a bearer token, as for the session report's exports). */
async function download(path: string): Promise<Response> {
  const { token } = await who.api('admin');
  return fetch(`${web.base}${path}`, { headers: { authorization: `Bearer ${token}`, 'accept-language': 'en' } });
}
