/**
 * The public report form (/report) and POST /api/reports: anyone reports a violation about a certificate without an
 * account, gets a reference to quote and is told what happens next; bad input is named beside its field and files
 * nothing; a double submission files one report; an address is held to a few reports an hour; and the department then
 * has the investigation's decision to take.
 */
import { randomBytes } from 'node:crypto';
import { TaskStatus } from '../../workflows/definitions';
import { investigationIdFor, InvestigationTaskKind, ReportCategory } from '../../workflows/investigationDefinitions';
import { testWithHarness } from '../helpers/harnessTests';
import { apiClient, BrowserSession, startWeb, visibleText, type WebApp } from '../helpers/web';
import { fieldMessage, inputValue, people, type People, UNLIMITED_SIGN_IN } from '../inbox/fixtures';
import { DESCRIPTION, issueCertificate, stateOfInvestigation, waitForTask } from './helpers';

const test = testWithHarness({ flavour: 'dev-server' });

let web: WebApp;
/** The same app with three reports an hour per address, and the address taken from X-Forwarded-For. */
let limited: WebApp;
let who: People;

// Serial, so it waits for the harness's own hook (ava starts concurrent hooks together).
test.serial.before(async (t) => {
  web = await startWeb(t.context, { signInLimits: UNLIMITED_SIGN_IN, reportsPerHour: 1000 });
  limited = await startWeb(t.context, { reportsPerHour: 3, trustProxy: ['loopback'] });
  who = people(web.base);
});
test.after.always(async () => {
  await web?.close();
  await limited?.close();
});

/** A visitor on the report form, in a language; the form's own token comes with what they type. */
async function openForm(language = 'en', path = '/report') {
  const visitor = new BrowserSession(web.base, language);
  const page = await visitor.get(path);
  return { visitor, page, token: inputValue(page.html, 'reportToken')! };
}

const counterOf = async (h: Parameters<typeof issueCertificate>[0], number: string) =>
  (
    await h.deps.db
      .selectFrom('sequences')
      .select('value')
      .where('name', '=', `investigation:${number}`)
      .executeTakeFirst()
  )?.value;

test('the report page reads in Chinese and in English, and a certificate’s verify page links to it', async (t) => {
  const chinese = visibleText((await openForm('zh-CN')).page.html);
  t.regex(chinese, /举报证书问题 任何人都可以举报与证书有关的违规行为/);
  t.regex(chinese, /证书编号 违规类别 请选择… 考试作弊 伪造证书 违反考场纪律 其他 事情经过/);
  t.regex(chinese, /您的联系方式（选填） .* 提交举报/);

  const { page, token } = await openForm('en');
  t.is(page.status, 200);
  const english = visibleText(page.html);
  t.regex(english, /Report a problem with a certificate Anyone may report a violation about a certificate/);
  t.regex(english, /Certificate number What kind of violation Choose… Cheating in the exam Forged certificate/);
  t.regex(english, /Your contact \(optional\) .* Send the report/);
  t.regex(token, /^[\w-]{16,}$/, 'the form carries its own token');
  t.regex(page.html, /<input type='hidden' name='_csrf' value='[^']+' \/>/);

  const certificate = await issueCertificate(t.context);
  const verify = await new BrowserSession(web.base).get(`/verify/${certificate.number}`);
  t.regex(
    verify.html,
    new RegExp(`<a href='/report\\?number=${certificate.number}'>Report a problem with this certificate</a>`),
  );
  const linked = await openForm('en', `/report?number=${certificate.number}`);
  t.is(inputValue(linked.page.html, 'certificateNumber'), certificate.number);
});

test('a report through the form gives a reference to quote and opens the department’s decision task', async (t) => {
  const certificate = await issueCertificate(t.context);
  const { visitor, token } = await openForm('en');
  const answer = await visitor.post('/report', {
    reportToken: token,
    // Typed in groups, as it is printed.
    certificateNumber: certificate.number.replace(/(.{4})/g, '$1 ').toLowerCase(),
    category: ReportCategory.Cheating,
    description: DESCRIPTION,
    contact: '138 0000 0000',
  });
  const reference = investigationIdFor(certificate.number, 1);
  t.is(answer.status, 201);
  const text = visibleText(answer.html);
  t.regex(text, new RegExp(`Report received Thank you\\. .* Quote this reference .*: ${reference} What happens next`));
  t.regex(text, /reviews the report and decides whether to revoke the certificate/);

  const task = await waitForTask(t.context, reference, InvestigationTaskKind.Decision);
  t.is(task.candidateGroup, 'department-1:approvers');
  const view = await stateOfInvestigation(t.context, reference);
  t.is(view.reports.length, 1);
  t.like(view.reports[0], { reporter: 'public', category: ReportCategory.Cheating });
  t.is(view.reports[0].description, `${DESCRIPTION}\n\n举报人联系方式：138 0000 0000`);

  const department = await (await who.api('zheng.approver')).get(`/api/investigations/${reference}`);
  t.is(department.status, 200);
  t.true(
    department.body.tasks.some(
      (open: { kind: string; status: string }) =>
        open.kind === InvestigationTaskKind.Decision && open.status === TaskStatus.Open,
    ),
  );
});

test('sending the same form twice at once files one report and answers the same reference', async (t) => {
  const certificate = await issueCertificate(t.context);
  const { visitor, token } = await openForm('en');
  const form = {
    reportToken: token,
    certificateNumber: certificate.number,
    category: ReportCategory.ExamDiscipline,
    description: DESCRIPTION,
  };
  const [first, second] = await Promise.all([visitor.post('/report', form), visitor.post('/report', form)]);
  const reference = investigationIdFor(certificate.number, 1);
  for (const answer of [first, second]) {
    t.is(answer.status, 201);
    t.regex(visibleText(answer.html), new RegExp(reference));
  }
  const view = await stateOfInvestigation(t.context, reference);
  t.is(view.reports.length, 1, 'one report');
  t.is(await counterOf(t.context, certificate.number), 1, 'one investigation');
});

test('a refused form names what is wrong beside each field, keeps what was typed and files nothing', async (t) => {
  const certificate = await issueCertificate(t.context);
  const { visitor, token } = await openForm('en');
  const malformed = await visitor.post('/report', {
    reportToken: token,
    certificateNumber: certificate.number.slice(0, 20),
    category: '',
    description: '   ',
    contact: 'me\u202Eevil',
  });
  t.is(malformed.status, 422);
  t.regex(visibleText(malformed.html), /The report was not filed: see the marked fields\./);
  t.regex(fieldMessage(malformed.html, 'certificateNumber') ?? '', /20/);
  t.is(fieldMessage(malformed.html, 'category'), 'choose what kind of violation it is');
  t.is(fieldMessage(malformed.html, 'description'), 'describe what happened');
  t.truthy(fieldMessage(malformed.html, 'contact'));
  t.is(inputValue(malformed.html, 'certificateNumber'), certificate.number.slice(0, 20));
  t.is(inputValue(malformed.html, 'reportToken'), token, 'the corrected form is the same report');

  const unknown = `${certificate.number.slice(0, 16)}999999`;
  const notIssued = await visitor.post('/report', {
    reportToken: token,
    certificateNumber: unknown,
    category: ReportCategory.Cheating,
    description: DESCRIPTION,
  });
  t.is(notIssued.status, 404);
  t.is(fieldMessage(notIssued.html, 'certificateNumber'), `no certificate ${unknown} has been issued.`);
  t.regex(notIssued.html, new RegExp(`>${DESCRIPTION}</textarea>`));
  t.is(await counterOf(t.context, unknown), undefined);

  const tooShort = await visitor.post('/report', {
    reportToken: token,
    certificateNumber: certificate.number,
    category: ReportCategory.Cheating,
    description: 'cheated',
  });
  t.is(tooShort.status, 422);
  t.regex(fieldMessage(tooShort.html, 'description') ?? '', /at least 10 characters \(got 7\)/);
  t.is(await counterOf(t.context, certificate.number), undefined, 'no investigation was opened');

  const corrected = await visitor.post('/report', {
    reportToken: token,
    certificateNumber: certificate.number,
    category: ReportCategory.Cheating,
    description: DESCRIPTION,
  });
  t.is(corrected.status, 201, 'the refusals gave the token back');
});

test('the API files a report with 201 and its reference, once per idempotency key, and refuses bad input', async (t) => {
  const certificate = await issueCertificate(t.context);
  const visitor = apiClient(web.base);
  const idempotencyKey = randomBytes(16).toString('base64url');
  const report = {
    certificateNumber: certificate.number,
    category: ReportCategory.ForgedCertificate,
    description: DESCRIPTION,
    idempotencyKey,
  };
  const reference = investigationIdFor(certificate.number, 1);
  t.deepEqual((await visitor.post('/api/reports', report)).body, { reference });
  const again = await visitor.post('/api/reports', report);
  t.is(again.status, 201);
  t.deepEqual(again.body, { reference });
  t.is((await stateOfInvestigation(t.context, reference)).reports.length, 1);

  const bad = await visitor.post('/api/reports', { certificateNumber: 'Y123', category: 'gossip', description: '' });
  t.is(bad.status, 422);
  t.is(bad.body.error, 'The report was not filed: see the fields.');
  t.deepEqual(Object.keys(bad.body.errors).sort(), ['category', 'certificateNumber', 'description']);

  const chinese = apiClient(web.base, undefined, 'zh-CN');
  const unknown = `${certificate.number.slice(0, 16)}999999`;
  const notIssued = await chinese.post('/api/reports', {
    ...report,
    certificateNumber: unknown,
    idempotencyKey: undefined,
  });
  t.is(notIssued.status, 404);
  t.is(notIssued.body.error, '举报未提交：请查看各栏目。');
});

test('a fourth report from one address within the hour is refused with 429 and when to come back', async (t) => {
  const address = `203.0.113.${1 + (process.pid % 200)}`;
  const send = () =>
    fetch(`${limited.base}/api/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'en', 'x-forwarded-for': address },
      body: JSON.stringify({ certificateNumber: 'Y123', category: 'cheating', description: DESCRIPTION }),
    });
  for (let i = 0; i < 3; i++) t.is((await send()).status, 422);
  const refused = await send();
  t.is(refused.status, 429);
  t.truthy(Number(refused.headers.get('retry-after')) > 0);
  t.regex(
    ((await refused.json()) as { error: string }).error,
    /^Too many reports from your address\. Try again in \d+ seconds?\.$/,
  );

  const other = await fetch(`${limited.base}/api/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.9' },
    body: '{}',
  });
  t.is(other.status, 422, 'another address has its own limit');
});
