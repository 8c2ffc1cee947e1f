/**
 * The statistics narrowed to a guidance center's or a department's stations: the same page, exports and JSON twin as an
 * administrator's, over the stations that report to the reader's organisation only. A station of another province
 * stays out of their figures and their filter, and naming it is refused; a station's own people are refused outright.
 */
import test from 'ava';
import type { ApplicationInput } from '../../domain/application';
import { Level } from '../../domain/levels';
import type { ExamScores } from '../../domain/scores';
import { applicationFor } from '../helpers/applications';
import { apiClient, visibleText } from '../helpers/web';
import { indexExamined } from './statisticsCases';
import { people, startWebWithoutTemporal, UNLIMITED_SIGN_IN, type WebWithoutTemporal } from './fixtures';

let web: WebWithoutTemporal;
let who: ReturnType<typeof people>;

const RANGE = 'from=2026-03-01&to=2026-04-30';
const BY_STATION = `${RANGE}&by=station&period=year`;
const SUBMITTED = '2026-03-10T02:00:00.000Z';

const examined = (application: ApplicationInput, scores?: ExamScores) =>
  indexExamined(web.db, application, SUBMITTED, scores);

/**
 * The demo province (stations A and B, center-1, department-1) and a second province with a station and a center of
 * its own. March 2026: two cases at A (one passed), one at B (passed), three at the far station (none examined).
 */
test.before(async () => {
  web = await startWebWithoutTemporal({ signInLimits: UNLIMITED_SIGN_IN });
  who = people(web.base);
  await web.db
    .insertInto('organisations')
    .values([
      { id: 'station-far', name: '远郊职业技能鉴定站', kind: 'station', province: 'far-province' },
      { id: 'center-far', name: '远郊职业技能鉴定指导中心', kind: 'guidance-center', province: 'far-province' },
    ])
    .execute();
  await examined(applicationFor(Level.Primary), { knowledge: 85, skills: 82 });
  await examined(applicationFor(Level.Primary));
  await examined(applicationFor(Level.Primary, { stationId: 'station-b' }), { knowledge: 61, skills: 70 });
  for (let i = 0; i < 3; i++) await examined(applicationFor(Level.Primary, { stationId: 'station-far' }));
});
test.after.always(async () => {
  await web?.close();
});

const cellsOf = (html: string, row: string): string[] => {
  const match = new RegExp(`<tr data-row='${row}'>([\\s\\S]*?)</tr>`).exec(html);
  return match ? [...match[1].matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((cell) => visibleText(cell[1])) : [];
};

/** The values the station filter offers, "All" first. */
const stationChoices = (html: string): string[] => {
  const select = /<select id='station'[^>]*>([\s\S]*?)<\/select>/.exec(html)?.[1] ?? '';
  return [...select.matchAll(/<option value='([^']*)'/g)].map((option) => option[1]);
};

test('a guidance center reviewer sees the figures of the stations that report to the center, and no other', async (t) => {
  const browser = await who.browser('wu.center-reviewer');
  const page = await browser.get(`/admin/statistics?${BY_STATION}`);
  t.is(page.status, 200);
  t.deepEqual(cellsOf(page.html, '2026/station-a').slice(1, 5), ['东城职业技能鉴定站', '2', '1', '1']);
  t.deepEqual(cellsOf(page.html, '2026/station-b').slice(1, 5), ['西城职业技能鉴定站', '1', '1', '1']);
  t.deepEqual(cellsOf(page.html, '2026/station-far'), [], 'another province is left out');
  t.deepEqual(cellsOf(page.html, 'total').slice(1, 4), ['3', '2', '2'], 'the totals are of their stations only');
  t.regex(visibleText(page.html), /of the stations that report to 市职业技能鉴定指导中心\./);
  t.regex((await browser.get('/inbox')).html, /href='\/admin\/statistics'/, 'the menu offers the statistics');
});

test('the station filter offers only the stations in scope, an administrator every station', async (t) => {
  const center = await (await who.browser('wu.center-reviewer')).get(`/admin/statistics?${RANGE}`);
  t.deepEqual(stationChoices(center.html), ['', 'station-a', 'station-b']);
  const admin = await (await who.browser('admin')).get(`/admin/statistics?${RANGE}`);
  t.deepEqual(stationChoices(admin.html), ['', 'station-a', 'station-b', 'station-far']);
});

test('a department approver sees the same stations, and may filter to one of them', async (t) => {
  const browser = await who.browser('zheng.approver');
  const page = await browser.get(`/admin/statistics?${BY_STATION}&station=station-b`);
  t.is(page.status, 200);
  t.deepEqual(cellsOf(page.html, '2026/station-b').slice(2, 5), ['1', '1', '1']);
  t.deepEqual(cellsOf(page.html, '2026/station-a'), [], 'station A is filtered out');
  t.regex((await browser.get('/inbox')).html, /href='\/admin\/statistics'/);
});

test('a station outside the scope is refused with the field named, and no figures are shown', async (t) => {
  const browser = await who.browser('wu.center-reviewer');
  const page = await browser.get(`/admin/statistics?${BY_STATION}&station=station-far`);
  t.is(page.status, 422);
  t.regex(visibleText(page.html), /Station: Choose one of the stations that report to your organisation\./);
  t.notRegex(page.html, /data-row=/, 'no figures');
  t.notRegex(page.html, /statistics\.csv/, 'no export of them');

  const api = await who.api('wu.center-reviewer');
  const refused = await api.get(`/api/admin/statistics?${BY_STATION}&station=station-far`);
  t.is(refused.status, 422);
  t.like(refused.body, { errors: { station: 'Choose one of the stations that report to your organisation.' } });
  const csv = await fetch(`${web.base}/admin/statistics.csv?station=station-far`, {
    headers: { authorization: `Bearer ${api.token}` },
  });
  t.is(csv.status, 422, 'nor exported');

  const inChinese = await apiClient(web.base, api.token, 'zh-CN').get('/api/admin/statistics?station=station-far');
  t.like(inChinese.body, { errors: { station: '请选择向本机构报送的鉴定站。' } });
});

test('the JSON twin and the CSV export answer the center the figures its page shows', async (t) => {
  const api = await who.api('wu.center-reviewer');
  const { status, body } = await api.get(`/api/admin/statistics?${BY_STATION}`);
  t.is(status, 200);
  t.deepEqual(
    body.rows.map((row: { key: string; applications: number }) => [row.key, row.applications]),
    [
      ['station-a', 2],
      ['station-b', 1],
    ],
  );
  t.like(body.totals, { applications: 3, examined: 2, passed: 2 });
  const csv = await fetch(`${web.base}/admin/statistics.csv?${BY_STATION}`, {
    headers: { authorization: `Bearer ${api.token}`, 'accept-language': 'en' },
  });
  t.is(csv.status, 200);
  t.notRegex(await csv.text(), /远郊/, 'no figure of the far station');
});

test('an administrator still sees every station', async (t) => {
  const { body } = await (await who.api('admin')).get(`/api/admin/statistics?${BY_STATION}`);
  t.deepEqual(
    body.rows.map((row: { key: string }) => row.key),
    ['station-a', 'station-b', 'station-far'],
  );
  t.like(body.totals, { applications: 6 });
});

test('the people of a station or a training institution are refused, and have no menu entry for it', async (t) => {
  for (const user of ['he.clerk-b', 'zhou.supervisor', 'feng.trainer']) {
    const browser = await who.browser(user);
    const page = await browser.get(`/admin/statistics?${RANGE}`);
    t.is(page.status, 403, user);
    t.regex(visibleText(page.html), /Only administrators and the people of a guidance center or a labour department/);
    t.notRegex((await browser.get('/inbox')).html, /href='\/admin\/statistics'/, user);
    const api = await who.api(user);
    t.is((await api.get('/api/admin/statistics')).status, 403, user);
  }
});
