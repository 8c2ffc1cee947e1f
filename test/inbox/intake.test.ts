/**
 * Intake by station clerks, as the form and as POST /api/applications: who may take applications in, what a wrong
 * field says and where, what a valid one leads to (the case with its eligibility explained), and why submitting the
 * same form twice starts one case.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LOCALES_DIR } from '../../i18n';
import { testWithHarness } from '../helpers/harnessTests';
import { apiAs, BrowserSession, startWeb, visibleText, type WebApp } from '../helpers/web';
import { fieldMessage, inputValue, people, startWebWithoutTemporal, UNLIMITED_SIGN_IN } from './fixtures';
import { apiBody, openForm, validForm } from './intakeForms';

const test = testWithHarness({ flavour: 'dev-server' });

let web: WebApp;
let who: ReturnType<typeof people>;

// Serial, so it waits for the harness's own hook (ava starts concurrent hooks together).
test.serial.before(async (t) => {
  web = await startWeb(t.context, { signInLimits: UNLIMITED_SIGN_IN });
  who = people(web.base);
});
test.after.always(async () => {
  await web?.close();
});

const flash = (html: string) => /<div class='flash (ok|error)'[^>]*>\s*<p>([^<]*)<\/p>/.exec(html)?.slice(1);

test('only station clerks may take in applications', async (t) => {
  const reviewer = await who.browser('li.station-reviewer');
  const form = await reviewer.get('/applications/new');
  t.is(form.status, 403);
  t.regex(visibleText(form.html), /Error 403 Only station clerks take in applications\./);
  const posted = await reviewer.post('/applications', validForm('STATION-A-20260101-REVIEW'));
  t.is(posted.status, 403);
  t.notRegex((await reviewer.get('/inbox')).html, /href='\/applications\/new'/, 'no menu entry for it');

  const api = await (await who.api('li.station-reviewer')).post('/api/applications', apiBody());
  t.is(api.status, 403);
  t.deepEqual(api.body, { error: 'Only station clerks take in applications.' });

  const clerk = await who.browser('sun.clerk');
  t.regex((await clerk.get('/inbox')).html, /<a href='\/applications\/new'>New application<\/a>/);
  const page = await clerk.get('/applications/new');
  t.is(page.status, 200);
  const number = inputValue(page.html, 'applicationNumber');
  t.regex(number ?? '', /^STATION-A-\d{8}-[2-9A-HJ-NP-Z]{6}$/);
  t.regex(visibleText(page.html), new RegExp(`New application Application ${number} at 东城职业技能鉴定站\\.`));
});

test('a refused form is sent back to the form (303), each message beside its field and everything typed kept', async (t) => {
  const clerk = await who.browser('sun.clerk');
  const number = await openForm(clerk);
  const refused = {
    ...validForm(number),
    'candidate.idNumber': '12345',
    'candidate.email': 'not-an-email',
    'evidence.continuousWorkYears': 'three',
    'documents.photo': '',
  };
  const posted = await clerk.post('/applications', refused, { follow: false });
  t.is(posted.status, 303, 'reloading the page that follows does not post the form again');
  t.is(posted.location, '/applications/new');
  const page = await clerk.get(posted.location!);
  t.is(page.status, 200);
  t.regex(visibleText(page.html), /The application was not saved: see the marked fields\./);
  t.is(fieldMessage(page.html, 'candidate-idNumber'), 'must be 18 characters (got 5)');
  t.is(fieldMessage(page.html, 'candidate-email'), 'must be an email address like name@example.org');
  t.is(fieldMessage(page.html, 'evidence-continuousWorkYears'), 'must be a number');
  t.regex(page.html, /<p class='error-text' id='documents-error'>missing required document: Photo<\/p>/);
  t.is(fieldMessage(page.html, 'candidate-name'), undefined, 'a right field is not marked');
  t.regex(
    page.html,
    /<input id='candidate-email' name='candidate\.email' value='not-an-email' type='email'\s+aria-invalid='true'/,
  );

  t.is(inputValue(page.html, 'candidate.name'), 'Wang Fang');
  t.is(inputValue(page.html, 'candidate.idNumber'), '12345');
  t.is(inputValue(page.html, 'evidence.continuousWorkYears'), 'three');
  t.is(inputValue(page.html, 'documents.id-document'), 'register/2026/0412-id.pdf');
  t.is(inputValue(page.html, 'applicationNumber'), number, 'the same number, so a corrected form is the same case');
  t.regex(page.html, /<option value='baker' selected>Baker<\/option>/);
  t.regex(
    page.html,
    /<input id='evidence-employedInOccupation' name='evidence\.employedInOccupation' type='checkbox' checked/,
  );

  const sun = await who.api('sun.clerk');
  t.is((await sun.get(`/api/cases/${number}`)).status, 404, 'no case was started');

  // The form is shown once with what was typed; corrected and sent, it starts the case under the form's number.
  t.is(inputValue((await clerk.get('/applications/new')).html, 'candidate.name'), '', 'the typed form is read once');
  const corrected = await clerk.post('/applications', { ...refused, ...validForm(number) });
  t.is(corrected.location, `/cases/${number}`);
});

test('a valid form starts the case and shows its eligibility with the explanation', async (t) => {
  const clerk = await who.browser('sun.clerk');
  const number = await openForm(clerk);
  const page = await clerk.post('/applications', validForm(number, '11010519491231002X'));
  t.is(page.status, 200);
  t.is(page.location, `/cases/${number}`);
  t.deepEqual(flash(page.html), ['ok', `Application ${number} received. The candidate is eligible.`]);
  const text = visibleText(page.html);
  t.regex(text, /Eligibility: eligible Judged by rule set [\w.-]+\. /);
  t.regex(text, /Met: /, 'the rule line that is met, with its conditions');
  t.regex(text, /Candidate Wang Fang \([^)]*11010519491231002X\), wang\.fang@example\.org/);
});

test('submitting the same form twice starts one case and says the second time that it was already received', async (t) => {
  const clerk = await who.browser('sun.clerk');
  const number = await openForm(clerk);
  const form = validForm(number);
  const first = await clerk.post('/applications', form);
  t.is(first.location, `/cases/${number}`);
  const second = await clerk.post('/applications', { ...form, 'candidate.name': 'Someone Else' });
  t.is(second.status, 200);
  t.is(second.location, `/cases/${number}`);
  t.deepEqual(flash(second.html), ['ok', `Application ${number} was already received; nothing was changed.`]);
  t.regex(visibleText(second.html), /Candidate Wang Fang /);
  t.notRegex(second.html, /Someone Else/);

  const found = await (await who.api('admin')).get(`/api/admin/cases?number=${number}`);
  t.is(found.body.cases.length, 1);
  t.is(found.body.cases[0].candidate_name, 'Wang Fang');
});

test('an application that meets no condition is received, and its case page says why it is not eligible', async (t) => {
  const clerk = await who.browser('sun.clerk');
  const number = await openForm(clerk);
  const page = await clerk.post('/applications', {
    ...validForm(number),
    level: '4',
    'evidence.continuousWorkYears': '1',
    'evidence.yearsInOccupation': '1',
  });
  t.is(page.location, `/cases/${number}`);
  t.deepEqual(flash(page.html), [
    'ok',
    `Application ${number} received. The candidate is not eligible; see why below.`,
  ]);
  const text = visibleText(page.html);
  t.regex(text, /Eligibility: not eligible/);
  t.regex(text, /Not met: /);
  t.notRegex(text, /(^| )Met: /, 'no line is met');
  t.regex(text, /Stage Ineligible \(closed\)/);
});

test('the API takes an application, answers 201 with the eligibility, and 200 for the same one again', async (t) => {
  const sun = await who.api('sun.clerk');
  const body = apiBody();
  const created = await sun.post('/api/applications', body);
  t.is(created.status, 201);
  t.regex(created.body.applicationNumber, /^STATION-A-\d{8}-[2-9A-HJ-NP-Z]{6}$/);
  t.false(created.body.alreadySubmitted);
  t.true(created.body.eligibility.eligible);
  t.true(created.body.eligibility.lines.some((line: { met: boolean }) => line.met));
  t.like(created.body.case, {
    applicationNumber: created.body.applicationNumber,
    application: {
      stationId: 'station-a',
      guidanceCenterId: 'center-1',
      departmentId: 'department-1',
      candidate: { name: 'Wang Fang', idNumber: body.candidate.idNumber },
    },
  });

  const again = await sun.post('/api/applications', {
    ...body,
    applicationNumber: created.body.applicationNumber,
  });
  t.is(again.status, 200);
  t.like(again.body, { applicationNumber: created.body.applicationNumber, alreadySubmitted: true });
});

test('the API refuses an application with 422 and a message for every wrong field', async (t) => {
  const sun = await who.api('sun.clerk');
  const response = await sun.post('/api/applications', {
    candidate: { name: ' ', idType: 'resident-id', idNumber: '11010519491231002X', email: 'nope' },
    occupation: 'astronaut',
    level: 9,
    evidence: { employedInOccupation: 'yes', continuousWorkYears: -1, yearsInOccupation: 2, newLabourForce: false },
    documents: [],
  });
  t.is(response.status, 422);
  t.is(response.body.error, 'The application was not saved.');
  t.like(response.body.errors, {
    'candidate.name': 'must not be empty',
    'candidate.email': 'must be an email address like name@example.org',
    level: 'must be a level from 1 (senior technician) to 5 (primary)',
    'evidence.employedInOccupation': 'must be true or false',
    'evidence.continuousWorkYears': 'must be 0 or more',
    'evidence.heldCertificates': 'is required',
    documents: 'missing required documents: id-document, photo',
  });
  t.truthy(response.body.errors.occupation, 'an occupation not in the catalogue');

  const notAnObject = await sun.post('/api/applications', [apiBody()]);
  t.is(notAnObject.status, 422);
  t.deepEqual(notAnObject.body, { error: 'The body must be a JSON object.' });
});

test('years of work have an upper bound, and the message names the field and the bound', async (t) => {
  const sun = await who.api('sun.clerk');
  const body = apiBody();
  const response = await sun.post('/api/applications', {
    ...body,
    evidence: { ...body.evidence, continuousWorkYears: 1e308, yearsInOccupation: 61 },
  });
  t.is(response.status, 422);
  t.deepEqual(response.body.errors, {
    'evidence.continuousWorkYears': 'years of continuous work must be at most 60',
    'evidence.yearsInOccupation': 'years in the occupation must be at most 60',
  });
});

test('the form reads numbers as decimals only: a hexadecimal or an exponent is not a number of years', async (t) => {
  const clerk = await who.browser('sun.clerk');
  const number = await openForm(clerk);
  const page = await clerk.post('/applications', {
    ...validForm(number),
    'evidence.continuousWorkYears': '0x3',
    'evidence.yearsInOccupation': '1e308',
  });
  t.is(fieldMessage(page.html, 'evidence-continuousWorkYears'), 'must be a number');
  t.is(fieldMessage(page.html, 'evidence-yearsInOccupation'), 'must be a number');
  t.is(inputValue(page.html, 'evidence.continuousWorkYears'), '0x3', 'what was typed comes back');

  const chinese = await clerkReading('zh-CN');
  const again = await chinese.post('/applications', {
    ...validForm(await openForm(chinese)),
    'evidence.continuousWorkYears': '61',
  });
  t.is(fieldMessage(again.html, 'evidence-continuousWorkYears'), '连续工作年限不能大于 60');
});

test("the API refuses to send an application to another province's guidance center or department", async (t) => {
  const sun = await who.api('sun.clerk');
  const number = 'STATION-A-20260101-ELSEW2';
  const response = await sun.post('/api/applications', {
    ...apiBody(),
    applicationNumber: number,
    guidanceCenterId: 'center-9',
    departmentId: 'department-1',
  });
  t.is(response.status, 422);
  t.deepEqual(response.body, {
    error: 'The application was not saved.',
    errors: { guidanceCenterId: "must be center-1, station-a's, or left out" },
  });
  t.is((await sun.get(`/api/cases/${number}`)).status, 404, 'no case was started');
});

test('a station-b clerk cannot take in an application for station-a, by the API or the form', async (t) => {
  const he = await who.api('he.clerk-b');
  const number = 'STATION-A-20260101-BFORA2';
  const api = await he.post('/api/applications', { ...apiBody(), applicationNumber: number, stationId: 'station-a' });
  t.is(api.status, 403);
  t.deepEqual(api.body, { error: 'You take in applications for station-b, not station-a.' });

  const browser = await who.browser('he.clerk-b');
  t.is((await browser.get('/applications/new?station=station-a')).status, 403);
  await browser.get('/applications/new');
  const posted = await browser.post('/applications', validForm(number));
  t.is(posted.status, 403);
  t.regex(visibleText(posted.html), /You take in applications for station-b, not station-a\./);

  t.is((await (await who.api('sun.clerk')).get(`/api/cases/${number}`)).status, 404, 'no case was started');
});

test('when Temporal does not answer, the form comes back as typed with its number, and nothing is indexed', async (t) => {
  const offline = await startWebWithoutTemporal({ signInLimits: UNLIMITED_SIGN_IN });
  t.teardown(() => offline.close());
  const clerk = new BrowserSession(offline.base);
  await clerk.signIn('sun.clerk');
  const number = await openForm(clerk);
  const page = await clerk.post('/applications', validForm(number));
  t.is(page.status, 503);
  t.regex(visibleText(page.html), /could not be started just now.*Nothing you typed is lost/);
  t.is(inputValue(page.html, 'applicationNumber'), number, 'sending it again starts the same case');
  t.is(inputValue(page.html, 'candidate.name'), 'Wang Fang');
  t.is(inputValue(page.html, 'documents.photo'), 'register/2026/0412-photo.jpg');
  t.deepEqual(await offline.db.selectFrom('cases').selectAll().execute(), []);
});

test("another station's clerk resubmitting a case's number learns nothing: the answer is that of an unknown number", async (t) => {
  const sun = await who.api('sun.clerk');
  const existing = (await sun.post('/api/applications', apiBody())).body.applicationNumber as string;
  const unknown = existing.replace(/[2-9A-HJ-NP-Z]{6}$/, 'ZZZZZZ');
  const he = await who.api('he.clerk-b');
  const answers = [];
  for (const number of [existing, unknown]) {
    const response = await he.post('/api/applications', { ...apiBody(), applicationNumber: number });
    answers.push({ status: response.status, body: response.body });
  }
  t.deepEqual(answers[0], answers[1], 'an existing and an unknown station-a number answer alike');
  t.deepEqual(answers[0], {
    status: 422,
    body: {
      error: 'The application was not saved.',
      errors: { applicationNumber: 'must begin with STATION-B-, the prefix of station-b' },
    },
  });

  // The form: no "already received" flash, the same page for both numbers, and the case stays as it was.
  const browser = await who.browser('he.clerk-b');
  const pages = [];
  for (const number of [existing, unknown]) {
    await browser.get('/applications/new');
    const posted = await browser.post('/applications', { ...validForm(number), stationId: 'station-b' });
    t.is(posted.location, '/applications/new');
    t.is(flash(posted.html), undefined);
    pages.push(visibleText(posted.html).replaceAll(number, '<number>'));
  }
  t.is(pages[0], pages[1]);
  t.regex(pages[0], /Application number: must begin with STATION-B-, the prefix of station-b/);
  t.is((await sun.get(`/api/cases/${existing}`)).body.application.stationId, 'station-a');
});

test('every organisation an application names must be in the directory, of its kind, in the province', async (t) => {
  const sun = await who.api('sun.clerk');
  const body = { ...apiBody(), occupation: 'welder' };
  const cases = [
    ['station-b', 'is not a training institution in station-a\'s province: "station-b"'],
    ['center-1', 'is not a training institution in station-a\'s province: "center-1"'],
    ['training-99', 'is not a training institution in station-a\'s province: "training-99"'],
  ];
  for (const [trainingInstitutionId, message] of cases) {
    const response = await sun.post('/api/applications', { ...body, trainingInstitutionId });
    t.is(response.status, 422, trainingInstitutionId);
    t.deepEqual(response.body.errors, { trainingInstitutionId: message });
  }
  // The form names the same field beside its input, and keeps what was typed.
  const browser = await who.browser('sun.clerk');
  const number = await openForm(browser);
  const posted = await browser.post('/applications', { ...validForm(number), trainingInstitutionId: 'station-b' });
  t.is(posted.location, '/applications/new');
  t.regex(visibleText(posted.html), /is not a training institution in station-a's province: "station-b"/);
  t.is(inputValue(posted.html, 'candidate.name'), 'Wang Fang');
  t.is((await sun.get(`/api/cases/${number}`)).status, 404, 'no case was started');

  // A training institution of the province is taken, and the case is visible to it.
  const accepted = await sun.post('/api/applications', { ...body, trainingInstitutionId: 'training-1' });
  t.is(accepted.status, 201);
});

test('a new worker who hands in the training completion certificate is received without a training institution', async (t) => {
  const clerk = await who.browser('sun.clerk');
  const number = await openForm(clerk);
  // A welder (an employment-access occupation) not yet employed: a vocational graduate who finished the apprenticeship.
  const { 'evidence.employedInOccupation': _employed, ...typed } = validForm(number);
  const newWelder = {
    ...typed,
    occupation: 'welder',
    'evidence.newLabourForce': 'on',
    'evidence.school.kind': 'vocational',
    'evidence.school.graduatedOn': '2025-07-01',
    'evidence.school.apprenticeshipCompleted': 'on',
  };
  const refused = await clerk.post('/applications', newWelder);
  t.is(refused.location, '/applications/new');
  t.is(
    fieldMessage(refused.html, 'trainingInstitutionId'),
    'is required unless the training completion certificate is handed in: Welder is an employment-access occupation ' +
      'and the candidate is new labour force, who must train first',
  );

  const page = await clerk.post('/applications', {
    ...newWelder,
    'documents.training-completion': 'register/2026/0412-training.pdf',
  });
  t.is(page.location, `/cases/${number}`);
  t.deepEqual(flash(page.html), ['ok', `Application ${number} received. The candidate is eligible.`]);
  const { body } = await (await who.api('sun.clerk')).get(`/api/cases/${number}`);
  t.false(body.trainingRequired, 'the certificate is the training done');
  t.is(body.application.trainingInstitutionId, undefined);
});

// ---- In Chinese, the users' language ----

/** A clerk whose browser asks for `language`, signed in. */
async function clerkReading(language: string): Promise<BrowserSession> {
  const clerk = new BrowserSession(web.base, language);
  await clerk.signIn('sun.clerk');
  return clerk;
}

/** The English sentences of the intake catalogue, cut at their placeholders: none may show on a Chinese page. */
const englishOfIntake = (() => {
  const pieces: string[] = [];
  const walk = (node: unknown): void => {
    if (typeof node === 'string') pieces.push(...node.split(/\{\{[^}]*\}\}/).map((piece) => piece.trim()));
    else if (node && typeof node === 'object') Object.values(node).forEach(walk);
  };
  walk(JSON.parse(readFileSync(path.join(LOCALES_DIR, 'en', 'intake.json'), 'utf8')));
  return pieces.filter((piece) => /[A-Za-z]{3}/.test(piece));
})();

const options = (html: string) =>
  [...html.matchAll(/<option value='([^']*)'[^>]*>([^<]*)<\/option>/g)].map(([, value, label]) => ({ value, label }));

test('in Chinese the form names every choice by its label, never by its code', async (t) => {
  const page = await (await clerkReading('zh-CN')).get('/applications/new');
  t.is(page.status, 200);
  const text = visibleText(page.html);
  t.regex(text, /^.*新建申报 申报编号：STATION-A-\d{8}-[2-9A-HJ-NP-Z]{6}，受理机构：东城职业技能鉴定站。/);
  for (const words of [
    '申报人',
    '姓名',
    '证件类型',
    '证件号码',
    '职业（工种）',
    '申报等级',
    '照片（必交）',
    '提交申报',
  ]) {
    t.true(text.includes(words), words);
  }
  const choices = options(page.html);
  t.deepEqual(
    choices.filter(({ value, label }) => value !== '' && value === label),
    [],
    'no option shows its code',
  );
  for (const [value, label] of [
    ['resident-id', '居民身份证'],
    ['passport', '护照'],
    ['baker', '烘焙工'],
    ['welder', '焊工'],
    ['5', '五级/初级工'],
    ['1', '一级/高级技师'],
    ['vocational', '职业学校'],
    ['technical', '技工学校'],
    ['training-1', '市高级技工学校'],
  ]) {
    t.true(
      choices.some((choice) => choice.value === value && choice.label === label),
      `${value} is shown as ${label}`,
    );
  }
  t.deepEqual(
    englishOfIntake.filter((english) => text.includes(english)),
    [],
    'no English sentence of the form is left',
  );
});

test('a browser that names no language gets the form in Chinese', async (t) => {
  const page = await (await clerkReading('*')).get('/applications/new');
  t.regex(visibleText(page.html), /新建申报/);
  t.true(options(page.html).some(({ value, label }) => value === 'resident-id' && label === '居民身份证'));
});

test('in Chinese a refused form comes back with the reasons in Chinese and what was typed; corrected, it is received', async (t) => {
  const clerk = await clerkReading('zh-CN');
  const number = await openForm(clerk);
  const refused = {
    ...validForm(number),
    'candidate.name': '王芳',
    'candidate.idNumber': '12345',
    'documents.photo': '',
  };
  const posted = await clerk.post('/applications', refused, { follow: false });
  t.is(posted.status, 303);
  const page = await clerk.get(posted.location!);
  const text = visibleText(page.html);
  t.regex(text, /申报未保存：请按标出的提示修改。/);
  t.is(fieldMessage(page.html, 'candidate-idNumber'), '必须是 18 位（现为 5 位）');
  t.regex(page.html, /<p class='error-text' id='documents-error'>缺少必交材料：照片<\/p>/);
  t.is(inputValue(page.html, 'candidate.name'), '王芳');
  t.is(inputValue(page.html, 'candidate.idNumber'), '12345');
  t.is(inputValue(page.html, 'applicationNumber'), number);
  t.true(options(page.html).some(({ value, label }) => value === 'baker' && label === '烘焙工'));
  t.regex(page.html, /<option value='baker' selected>/);
  t.deepEqual(
    englishOfIntake.filter((english) => text.includes(english)),
    [],
    'no English sentence of the form is left',
  );

  const received = await clerk.post('/applications', { ...refused, ...validForm(number), 'candidate.name': '王芳' });
  t.is(received.location, `/cases/${number}`);
  t.deepEqual(flash(received.html), ['ok', `申报 ${number} 已接收。申报人符合申报条件。`]);
});

test('in Chinese the API refuses an application with the reasons in Chinese', async (t) => {
  const sun = await apiAs(web.base, 'sun.clerk', 'zh-CN');
  const response = await sun.post('/api/applications', { ...apiBody(), candidate: { name: ' ' }, documents: [] });
  t.is(response.status, 422);
  t.is(response.body.error, '申报未保存。');
  t.like(response.body.errors, {
    'candidate.name': '不能为空',
    'candidate.idType': '为必填项',
    documents: '缺少必交材料：id-document、photo',
  });
  const elsewhere = await sun.post('/api/applications', { ...apiBody(), departmentId: 'department-9' });
  t.deepEqual(elsewhere.body, {
    error: '申报未保存。',
    errors: { departmentId: '必须是 department-1（station-a 所隶属的机构），或不填' },
  });
});
