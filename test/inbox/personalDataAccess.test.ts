/**
 * The personal-data access log: who was shown a candidate's unmasked name or ID number, when, for which case and why;
 * and the administrators' page and API that answer, for one ID number, who saw that person. Each test takes in its
 * own candidate (its own ID number), so the rows it reads are its own.
 */
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import anyTest from 'ava';
import { Level } from '../../domain/levels';
import { maskName } from '../../domain/masking';
import { formatDateTime } from '../../i18n';
import type { Db } from '../../records/database';
import type { DialectName } from '../../records/dialect';
import { recordShowings, type Showing, showingsOf, verifyAccessLog } from '../../records/personalDataAccess';
import { PROJECT_ROOT } from '../../runtime/temporalServer';
import { TaskKind } from '../../workflows/definitions';
import { applicationFor } from '../helpers/applications';
import { testWithHarness } from '../helpers/harnessTests';
import { BrowserSession, visibleText, type WebApp } from '../helpers/web';
import { ENGLISH_TERMINAL } from '../helpers/terminal';
import { DIALECTS, freshDatabase } from '../records/databases';
import { fieldMessage, intake, openTaskOf, type People, residentId, startInboxWeb } from './fixtures';

const test = testWithHarness({ flavour: 'dev-server' });

const KEY = randomBytes(32);
let web: WebApp;
let who: People;

// Serial, so it waits for the harness's own hook (ava starts concurrent hooks together).
test.serial.before(async (t) => {
  ({ web, who } = await startInboxWeb(t.context, { personalDataKey: KEY }));
});
test.after.always(async () => {
  await web?.close();
});

let serial = 700;

/** A new station-a candidate of their own ID number, taken in by the station's clerk. */
const takeIn = async (name: string) => {
  const idNumber = residentId(++serial);
  const number = await intake(
    await who.api('sun.clerk'),
    applicationFor(Level.Primary, { candidate: { name, idType: 'resident-id', idNumber } }),
  );
  return { number, idNumber, path: `/tasks/${number}/station-review-1` };
};

let db: Db;
test.serial.before((t) => {
  db = t.context.deps.db;
});

/** What the access log holds about this person, shown to this viewer, the latest first. */
const showingsBy = async (idNumber: string, viewer: string) =>
  (await showingsOf(db, KEY, idNumber)).filter((row) => row.viewer === viewer);

test('a reviewer who opens a task page is recorded, with the task as the reason', async (t) => {
  const person = await takeIn('欧阳娜娜');
  await openTaskOf(t.context, person.number, TaskKind.StationReview);
  const page = await (await who.browser('li.station-reviewer')).get(person.path);
  t.is(page.status, 200);
  t.true(visibleText(page.html).includes('欧阳娜娜'), 'the reviewer sees the candidate in full');
  const rows = await showingsBy(person.idNumber, 'li.station-reviewer');
  t.like(rows, [
    {
      application_number: person.number,
      basis: 'task',
      task_id: 'station-review-1',
      task_kind: TaskKind.StationReview,
      purpose: 'task-page',
    },
  ]);
  t.notRegex(JSON.stringify(rows), new RegExp(person.idNumber), 'the log keeps a keyed hash, not the number');
});

test('the task in the JSON API is recorded the same way', async (t) => {
  const person = await takeIn('钱多多');
  await openTaskOf(t.context, person.number, TaskKind.StationReview);
  const response = await (
    await who.api('li.station-reviewer')
  ).get(`/api/cases/${person.number}/tasks/station-review-1`);
  t.is(response.status, 200);
  t.is(response.body.case.application.candidate.idNumber, person.idNumber);
  t.like(await showingsBy(person.idNumber, 'li.station-reviewer'), [
    { application_number: person.number, basis: 'task', task_id: 'station-review-1', purpose: 'task-api' },
  ]);
});

test('the clerk who took the case in is recorded as the receiving station', async (t) => {
  const person = await takeIn('孙小雨');
  t.like(await showingsBy(person.idNumber, 'sun.clerk'), [
    { application_number: person.number, basis: 'station-clerk', task_id: null, purpose: 'intake-confirmation' },
  ]);
});

test('someone who sees the case with the candidate masked is not recorded', async (t) => {
  const person = await takeIn('冯晓峰');
  await openTaskOf(t.context, person.number, TaskKind.StationReview);
  for (const user of ['chen.examiner', 'wu.center-reviewer']) {
    const page = await (await who.browser(user)).get(`/cases/${person.number}`);
    t.is(page.status, 200, user);
    t.false(page.html.includes('冯晓峰'), `${user} sees no full name`);
    t.true(visibleText(page.html).includes(maskName('冯晓峰')), `${user} sees the masked name`);
    const response = await (await who.api(user)).get(`/api/cases/${person.number}`);
    t.is(response.body.application.candidate.name, maskName('冯晓峰'), user);
    t.deepEqual(await showingsBy(person.idNumber, user), [], `${user} is not in the log`);
  }
});

test('an administrator looking up the ID number reads who saw the person, when, why and where', async (t) => {
  const person = await takeIn('韩梅梅');
  await openTaskOf(t.context, person.number, TaskKind.StationReview);
  await (await who.browser('li.station-reviewer')).get(person.path);
  const [seen] = await showingsBy(person.idNumber, 'li.station-reviewer');

  const admin = await who.browser('admin');
  t.regex((await admin.get('/inbox')).html, /href='\/admin\/personal-data'/, 'the admin menu links the page');
  await admin.get('/admin/personal-data');
  const page = await admin.post('/admin/personal-data', { idType: 'resident-id', idNumber: person.idNumber });
  t.is(page.status, 200);
  const text = visibleText(page.html);
  const line = new RegExp(
    `${formatDateTime(seen.at, 'en')} 李伟 ${person.number} Their task: Qualification review \\(station\\) ` +
      '\\(station-review-1\\) Task page',
  );
  t.regex(text, line);
  t.true(text.includes(`${person.number} 韩梅梅`), 'the person’s case, by name');

  const chinese = new BrowserSession(web.base, 'zh-CN');
  await chinese.signIn('admin');
  await chinese.get('/admin/personal-data');
  const zh = visibleText(
    (await chinese.post('/admin/personal-data', { idType: 'resident-id', idNumber: person.idNumber })).html,
  );
  t.regex(zh, new RegExp(`${formatDateTime(seen.at, 'zh-CN')} 李伟 ${person.number} 本人经办的任务：`));
  t.true(zh.includes('任务页面'));
  t.true(zh.includes('本页查询'), 'the first look-up is listed by the second');

  t.like(await showingsBy(person.idNumber, 'admin'), [
    { application_number: person.number, basis: 'administrator', purpose: 'personal-data-lookup' },
    { application_number: person.number, basis: 'administrator', purpose: 'personal-data-lookup' },
  ]);
});

test('the look-up API answers the same, with names and labels', async (t) => {
  const person = await takeIn('Lily Tan');
  await openTaskOf(t.context, person.number, TaskKind.StationReview);
  await (await who.api('li.station-reviewer')).get(`/api/cases/${person.number}/tasks/station-review-1`);
  const response = await (
    await who.api('admin')
  ).post('/api/admin/personal-data/lookups', {
    idNumber: person.idNumber.toLowerCase(),
  });
  t.is(response.status, 200, JSON.stringify(response.body));
  t.deepEqual(response.body.cases, [{ applicationNumber: person.number, candidateName: 'Lily Tan' }]);
  const reviewer = response.body.showings.filter((row: { viewer: string }) => row.viewer === 'li.station-reviewer');
  t.like(reviewer, [
    {
      viewerName: '李伟',
      applicationNumber: person.number,
      basis: 'task',
      taskId: 'station-review-1',
      purpose: 'task-api',
      purposeLabel: 'Task (API)',
    },
  ]);
});

test('an administrator’s case search and a case’s history are recorded, with the office as the reason', async (t) => {
  const person = await takeIn('白素贞');
  const admin = await who.api('admin');
  const found = await admin.get(`/api/admin/cases?idNumber=${person.idNumber}`);
  t.deepEqual(
    found.body.cases.map((row: { candidate_name: string }) => row.candidate_name),
    ['白素贞'],
  );
  t.is((await admin.get(`/api/admin/cases/${person.number}/history`)).status, 200);
  t.deepEqual(
    (await showingsBy(person.idNumber, 'admin')).map(({ basis, purpose }) => [basis, purpose]),
    [
      ['administrator', 'admin-case-history'],
      ['administrator', 'admin-case-search'],
    ],
  );
});

test('only administrators may look people up, and a refused look-up records nothing', async (t) => {
  const person = await takeIn('许仙');
  const reviewer = await who.browser('li.station-reviewer');
  t.is((await reviewer.get('/admin/personal-data')).status, 403);
  t.is((await reviewer.post('/admin/personal-data', { idNumber: person.idNumber })).status, 403);
  const api = await who.api('li.station-reviewer');
  t.is((await api.post('/api/admin/personal-data/lookups', { idNumber: person.idNumber })).status, 403);
  t.deepEqual(await showingsBy(person.idNumber, 'li.station-reviewer'), []);
});

test.serial('a malformed ID number is named on its field, and nothing is recorded', async (t) => {
  const count = async () => (await db.selectFrom('personal_data_access').select('seq').execute()).length;
  const before = await count();
  const admin = await who.browser('admin');
  await admin.get('/admin/personal-data');
  const page = await admin.post('/admin/personal-data', { idType: 'resident-id', idNumber: '1101051980010100' });
  t.is(page.status, 422);
  t.is(fieldMessage(page.html, 'idNumber'), 'must be 18 characters (got 16)');
  const checkDigit = await admin.post('/admin/personal-data', {
    idType: 'resident-id',
    idNumber: '110105198001010010',
  });
  t.regex(fieldMessage(checkDigit.html, 'idNumber') ?? '', /check/i);
  const response = await (await who.api('admin')).post('/api/admin/personal-data/lookups', { idNumber: 'abc' });
  t.is(response.status, 422);
  t.is(response.body.errors.idNumber, 'must be 18 characters (got 3)');
  t.is(await count(), before);
});

const chain = anyTest.macro({
  async exec(t, dialect: DialectName) {
    const { db: fresh, target } = await freshDatabase(t, dialect);
    const key = randomBytes(32);
    // A roster of 30 in one batch, as a check-in list writes it.
    const roster: Showing[] = Array.from({ length: 30 }, (_, n) => ({
      viewer: 'chen.examiner',
      applicationNumber: `STATION-A-2026-${String(n).padStart(6, '0')}`,
      idNumber: residentId(n),
      basis: 'session-office',
      purpose: 'check-in-list',
    }));
    await recordShowings(fresh, key, roster, new Date('2026-03-01T02:00:00Z'));
    await recordShowings(fresh, key, [{ ...roster[3], viewer: 'admin', basis: 'administrator' }], new Date());
    t.like(await verifyAccessLog(fresh), { ok: true, count: 31 });
    t.deepEqual(
      (await showingsOf(fresh, key, residentId(3))).map((row) => [row.seq, row.viewer]),
      [
        [31, 'admin'],
        [4, 'chen.examiner'],
      ],
    );
    t.deepEqual(await showingsOf(fresh, randomBytes(32), residentId(3)), [], 'another key finds nobody');

    await fresh.updateTable('personal_data_access').set({ viewer: 'someone-else' }).where('seq', '=', 7).execute();
    t.like(await verifyAccessLog(fresh), { ok: false, brokenAt: 7 });
    const env = {
      ...process.env,
      ...ENGLISH_TERMINAL,
      ...(dialect === 'postgres' ? { DATABASE_URL: target } : { DATA_DIR: path.dirname(target), DATABASE_URL: '' }),
    };
    const verified = await promisify(execFile)(
      process.execPath,
      ['--import=tsx', path.join(PROJECT_ROOT, 'scripts', 'auditVerify.ts')],
      { env },
    ).then(
      () => ({ code: 0, out: '' }),
      (failed: { code: number; stdout: string; stderr: string }) => ({
        code: failed.code,
        out: failed.stdout + failed.stderr,
      }),
    );
    t.is(verified.code, 1);
    t.regex(verified.out, /Personal-data access log TAMPERED at row 7: row 7 does not match its hash/);
  },
  title: (_, dialect: DialectName) =>
    `${dialect}: the access log verifies, and npm run audit:verify finds a changed row`,
});

for (const dialect of DIALECTS) anyTest(chain, dialect);
