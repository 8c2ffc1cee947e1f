/**
 * Text no person means to write, found by fuzzing: a NUL, a right-to-left override, text of zero-width characters only,
 * a lone surrogate. Intake, the task decisions and the searches refuse it naming the field, in the reader's language;
 * text that is only written differently (a decomposed é) is stored composed, so the case index finds what the
 * workflow holds. Integers in queries are decimals, written one way.
 */
import { rejectTask, TaskKind } from '../../workflows/definitions';
import { testWithHarness } from '../helpers/harnessTests';
import { apiClient, visibleText, type WebApp } from '../helpers/web';
import {
  caseHandle,
  fieldMessage,
  inputValue,
  openTaskOf,
  type People,
  residentId,
  startInboxWeb,
  stationReviewCase,
} from './fixtures';
import { apiBody, openForm, validForm } from './intakeForms';

const test = testWithHarness({ flavour: 'dev-server' });

let web: WebApp;
let who: People;

// Serial, so it waits for the harness's own hook (ava starts concurrent hooks together).
test.serial.before(async (t) => {
  ({ web, who } = await startInboxWeb(t.context));
});
test.after.always(async () => {
  await web?.close();
});

/** The body of POST /api/applications for a level 5 candidate with these candidate's fields, another person each serial. */
function withCandidate(candidate: Record<string, string>, serial: number) {
  const body = apiBody();
  return { ...body, candidate: { ...body.candidate, idNumber: residentId(serial), ...candidate } };
}

const BAD_TEXT = [
  { what: 'a NUL', text: 'Wang\u0000Fang', en: 'contains control characters, which text cannot hold.' },
  {
    what: 'a right-to-left override',
    text: 'Wang \u202egnaF',
    en: 'contains characters that reverse the reading direction.',
  },
  { what: 'zero-width characters only', text: '\u200b\u200c\u200d', en: 'contains only invisible characters.' },
  { what: 'a lone surrogate', text: 'Wang \ud800Fang', en: 'contains a broken character (half of a pair).' },
];

for (const [index, { what, text, en }] of BAD_TEXT.entries()) {
  test(`the API refuses a candidate's name with ${what}, naming the field, and starts no case`, async (t) => {
    const sun = await who.api('sun.clerk');
    const response = await sun.post('/api/applications', withCandidate({ name: text }, 9100 + index));
    t.is(response.status, 422);
    t.is(response.body.error, 'The application was not saved.');
    t.deepEqual(response.body.errors, { 'candidate.name': `name: ${en}` });
  });
}

test('in Chinese the API names the refused field in Chinese', async (t) => {
  const sun = await who.api('sun.clerk');
  const chinese = apiClient(web.base, sun.token, 'zh-CN');
  const response = await chinese.post(
    '/api/applications',
    withCandidate({ name: '王\u202e芳', email: '\u200b' }, 9110),
  );
  t.is(response.status, 422);
  t.deepEqual(response.body.errors, {
    'candidate.name': '姓名含有改变文字方向的字符。',
    'candidate.email': '电子邮箱只含有不可见字符。',
  });
});

test('the form refuses bad text beside each field and keeps what else was typed', async (t) => {
  const clerk = await who.browser('sun.clerk');
  const number = await openForm(clerk);
  const posted = await clerk.post('/applications', {
    ...validForm(number, residentId(9120)),
    'candidate.name': 'Wang\u0000Fang',
    specialty: 'Bread \u202eyrtsap',
    'documents.id-document': '\u200b',
    'documents.photo': 'register/2026/9120-photo.jpg',
  });
  t.is(posted.url, '/applications/new');
  t.regex(visibleText(posted.html), /The application was not saved: see the marked fields\./);
  t.is(fieldMessage(posted.html, 'candidate-name'), 'name: contains control characters, which text cannot hold.');
  t.is(fieldMessage(posted.html, 'specialty'), 'specialty: contains characters that reverse the reading direction.');
  t.is(
    fieldMessage(posted.html, 'documents-id-document'),
    'where the document is filed: contains only invisible characters.',
  );
  t.is(inputValue(posted.html, 'documents.photo'), 'register/2026/9120-photo.jpg');
  t.is((await (await who.api('sun.clerk')).get(`/api/cases/${number}`)).status, 404, 'no case was started');
});

test('a decomposed é is stored composed, and the administrators find the case however the name is typed', async (t) => {
  const sun = await who.api('sun.clerk');
  const decomposed = 'Le\u0301a Ve\u0301rone';
  const composed = 'L\u00e9a V\u00e9rone';
  const created = await sun.post('/api/applications', withCandidate({ name: decomposed }, 9130));
  t.is(created.status, 201);
  const number: string = created.body.applicationNumber;
  const admin = await who.api('admin');
  const view = await admin.get(`/api/cases/${number}`);
  t.is(view.body.application.candidate.name, composed, 'the workflow holds the composed name');

  for (const typed of [decomposed, composed, 'Le\u0301a']) {
    const found = await admin.get(`/api/admin/cases?name=${encodeURIComponent(typed)}`);
    t.is(found.status, 200, typed);
    t.deepEqual(
      found.body.cases.map((row: { application_number: string; candidate_name: string }) => [
        row.application_number,
        row.candidate_name,
      ]),
      [[number, composed]],
      `searching for ${JSON.stringify(typed)}`,
    );
  }
  const page = await (await who.browser('admin')).get(`/admin/cases?name=${encodeURIComponent('Ve\u0301')}`);
  t.false(page.html.includes(number), 'the name search matches from the start of the name');
  const byFirstName = await (await who.browser('admin')).get(`/admin/cases?name=${encodeURIComponent('Le\u0301a')}`);
  t.true(byFirstName.html.includes(number));
  t.true(visibleText(byFirstName.html).includes(composed));
});

test('a decision whose reason reverses the reading direction is refused at the field, by the API and the workflow', async (t) => {
  const { number, taskId, api } = await stationReviewCase(t.context, who);
  const li = await who.api('li.station-reviewer');
  await li.post(`${api}/claim`);
  const refused = await li.post(`${api}/reject`, { reason: 'Forged \u202edrac' });
  t.is(refused.status, 422);
  t.deepEqual(refused.body.errors, { reason: 'reason: contains characters that reverse the reading direction.' });

  // A client that skips the web app (the command line, a script) meets the same rule in the workflow's validator.
  const task = await openTaskOf(t.context, number, TaskKind.StationReview);
  t.is(task.id, taskId);
  const error = await t.throwsAsync<Error>(
    caseHandle(t.context, number).executeUpdate(rejectTask, {
      args: [{ taskId, actor: { id: 'li.station-reviewer', groups: ['station-a:reviewers'] }, reason: '\u0000' }],
    }),
  );
  t.regex(
    String((error?.cause as Error | undefined)?.message),
    /^reason: contains control characters, which text cannot hold\.$/,
  );
  t.is((await li.get(`/api/cases/${number}`)).body.stage, 'station-review', 'nothing was decided');
});

test('a search for text no one types is refused naming the field, on the API and the page', async (t) => {
  const admin = await who.api('admin');
  const response = await admin.get(`/api/admin/cases?name=${encodeURIComponent('\u202eWang')}`);
  t.is(response.status, 422);
  t.deepEqual(response.body.errors, { name: 'name: contains characters that reverse the reading direction.' });

  const inbox = await (await who.api('li.station-reviewer')).get(`/api/tasks?q=${encodeURIComponent('\u0000')}`);
  t.is(inbox.status, 422);
  t.deepEqual(inbox.body.errors, { q: 'search: contains control characters, which text cannot hold.' });
});

const NOT_DECIMAL = ['0x3', '3e0', ' 3', '+3', '03', '3.0', 'Infinity', '٣'];

test('query integers are decimal digits only: the inbox API refuses every other spelling, naming the parameter', async (t) => {
  const li = await who.api('li.station-reviewer');
  t.is((await li.get('/api/tasks?level=3')).status, 200);
  for (const level of NOT_DECIMAL) {
    const response = await li.get(`/api/tasks?level=${encodeURIComponent(level)}`);
    t.is(response.status, 422, JSON.stringify(level));
    t.deepEqual(response.body.errors, { level: 'must be a whole number from 1 to 5' }, JSON.stringify(level));
  }
  const limit = await li.get('/api/tasks?limit=1e2');
  t.deepEqual([limit.status, limit.body.errors], [422, { limit: 'must be a whole number from 1 to 100' }]);
});

test('a page given a query integer in another spelling shows the clear error', async (t) => {
  const inbox = await (await who.browser('li.station-reviewer')).get('/inbox?level=0x3');
  t.is(inbox.status, 422);
  t.regex(visibleText(inbox.html), /level: must be a whole number from 1 to 5/);

  const admin = await who.browser('admin');
  const search = await admin.get('/admin/cases?page=0x2');
  t.is(search.status, 422);
  t.regex(visibleText(search.html), /Page: must be a whole number from 1 to 10000/);
  const api = await (await who.api('admin')).get('/api/admin/cases?page=2e0');
  t.deepEqual([api.status, api.body.errors], [422, { page: 'must be a whole number from 1 to 10000' }]);
});
