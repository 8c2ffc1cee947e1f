/**
 * The investigation pages: the department's list of open investigation tasks with their deadlines (from Temporal
 * visibility), an investigation's page with the department's decision and the issuing station's appeal as forms, and
 * nothing of either for anyone else.
 */
import { formatDateTime } from '../../i18n';
import { dueStateOf } from '../../inbox-ui/dueState';
import {
  InvestigationDecision,
  InvestigationStage,
  InvestigationTaskKind,
} from '../../workflows/investigationDefinitions';
import { eventually } from '../helpers/cases';
import { testWithHarness } from '../helpers/harnessTests';
import { BrowserSession, visibleText } from '../helpers/web';
import { fieldMessage, inboxWebFor, unescape } from '../inbox/fixtures';
import {
  departmentDecides,
  issueCertificate,
  report,
  stateOfInvestigation,
  waitForInvestigation,
  waitForTask,
} from './helpers';

const test = testWithHarness({ flavour: 'dev-server' });

const app = inboxWebFor(test);

const DUE_LABELS = { overdue: 'Overdue', 'due-soon': 'Due soon', 'on-time': 'On time' } as const;

/** The list's row of an investigation, as the reader sees it; undefined while the list does not show it. */
async function listedRow(browser: BrowserSession, investigationId: string): Promise<string | undefined> {
  const page = await browser.get('/investigations');
  const row = new RegExp(`<tr data-investigation='${investigationId}'>[\\s\\S]*?</tr>`).exec(page.html)?.[0];
  return row && visibleText(row);
}

/** The `<select>`'s chosen option's value. */
const selectedOption = (html: string, id: string) =>
  new RegExp(`<select id='${id}'[\\s\\S]*?<option value='([^']*)' selected>`).exec(html)?.[1];

/** A textarea's text as the browser shows it. */
const textareaText = (html: string, id: string) =>
  unescape(new RegExp(`<textarea id='${id}'[^>]*>([^<]*)</textarea>`).exec(html)?.[1] ?? '');

test('a department approver finds the decision in the list with its deadline, revokes on the page, and verification shows it', async (t) => {
  const h = t.context;
  const certificate = await issueCertificate(h);
  const { investigationId } = await report(h, certificate.number);
  const task = await waitForTask(h, investigationId, InvestigationTaskKind.Decision);
  const approver = await app.who.browser('zheng.approver');

  const inbox = await approver.get('/inbox');
  t.regex(inbox.html, /<a href='\/investigations'>Investigations<\/a>/, 'the menu leads to the list');
  // Visibility lags the workflow's upsert by a moment.
  const row = await eventually('the investigation in the list', () => listedRow(approver, investigationId));
  const due = DUE_LABELS[dueStateOf(task.dueAt, new Date())];
  t.is(
    row,
    `${certificate.number} Waiting for the department's decision Investigation decision ` +
      `${formatDateTime(task.dueAt, 'en')} ${due}`,
  );

  const chinese = new BrowserSession(app.web.base, 'zh-CN');
  await chinese.signIn('zheng.approver');
  t.regex(visibleText((await chinese.get('/investigations')).html), /违规调查待办 .* 待人社部门决定 违规调查决定/);
  t.regex(visibleText((await chinese.get(`/investigations/${investigationId}`)).html), /撤销证书 .* 驳回举报/);

  const page = await approver.get(`/investigations/${investigationId}`);
  t.is(page.status, 200);
  const text = visibleText(page.html);
  t.regex(text, new RegExp(`Investigation of certificate ${certificate.number}`));
  t.regex(text, /Holder W\*\* /, 'the holder masked, as on verification');
  t.notRegex(text, /Wang Fang/);
  t.regex(text, /Reports Cheating in the exam reported by liu\.invigilator/);
  t.regex(text, new RegExp(`Deadline ${formatDateTime(task.dueAt, 'en')} ${due}`));
  t.regex(text, /Revoke the certificate .* Dismiss the report/);
  t.notRegex(text, /Appeal for the holder/);

  const decided = await approver.post(`/investigations/${investigationId}/decide/revoke`, {
    category: 'cheating',
    reason: 'Confirmed by two invigilators.',
  });
  t.is(decided.location, `/investigations/${investigationId}`);
  t.regex(visibleText(decided.html), /The certificate is revoked\./);
  t.is((await stateOfInvestigation(h, investigationId)).revocation?.by, 'zheng.approver');

  const verification = await eventually('verification to show the revocation', async () => {
    const shown = visibleText((await new BrowserSession(app.web.base).get(`/verify/${certificate.number}`)).html);
    return /Revoked certificate/.test(shown) ? shown : undefined;
  });
  t.regex(verification, new RegExp(`Certificate ${certificate.number} was revoked on .* for reason category`));
});

test('the issuing station files the holder’s appeal on the page, and the department then has it to review', async (t) => {
  const h = t.context;
  const certificate = await issueCertificate(h);
  const { investigationId } = await report(h, certificate.number);
  await departmentDecides(h, investigationId, InvestigationDecision.Revoke, 'Confirmed by two invigilators.');
  await waitForInvestigation(
    h,
    investigationId,
    'the appeal window',
    (v) => v.stage === InvestigationStage.AppealWindow,
  );
  const clerk = await app.who.browser('sun.clerk');

  const page = await clerk.get(`/investigations/${investigationId}`);
  t.is(page.status, 200);
  const text = visibleText(page.html);
  t.regex(text, /Appeal for the holder The issuing station may appeal against the revocation/);
  t.notRegex(text, /Revoke the certificate|Uphold the revocation/, 'the station does not decide');
  t.notRegex(inboxMenu((await clerk.get('/inbox')).html), /Investigations/, 'nor is the list in its menu');

  const appealed = await clerk.post(`/investigations/${investigationId}/appeal`, { reason: 'The phone was not hers.' });
  t.is(appealed.location, `/investigations/${investigationId}`);
  t.regex(visibleText(appealed.html), /The appeal is filed; the department will review it\./);
  t.regex(visibleText(appealed.html), /Appeal filed by 孙丽 on .*: The phone was not hers\./);
  t.notRegex(visibleText(appealed.html), /File the appeal/, 'one appeal only');

  const review = await waitForTask(h, investigationId, InvestigationTaskKind.AppealReview);
  const approver = await app.who.browser('zheng.approver');
  const row = await eventually('the appeal review in the list', async () => {
    const shown = await listedRow(approver, investigationId);
    return shown?.includes('Appeal review') ? shown : undefined;
  });
  t.is(
    row,
    `${certificate.number} Appeal under review Appeal review ${formatDateTime(review.dueAt, 'en')} ` +
      DUE_LABELS[dueStateOf(review.dueAt, new Date())],
  );
  t.regex(
    visibleText((await approver.get(`/investigations/${investigationId}`)).html),
    /Uphold the revocation .* Reinstate the certificate/,
  );
});

test('another station hears the investigation does not exist, and finds nothing in the list', async (t) => {
  const h = t.context;
  const certificate = await issueCertificate(h);
  const { investigationId } = await report(h, certificate.number);
  await waitForTask(h, investigationId, InvestigationTaskKind.Decision);
  const approver = await app.who.browser('zheng.approver');
  await eventually('the investigation in the department’s list', () => listedRow(approver, investigationId));

  for (const user of ['he.clerk-b', 'zhao.station-b-reviewer']) {
    const other = await app.who.browser(user);
    const page = await other.get(`/investigations/${investigationId}`);
    t.is(page.status, 404, user);
    t.notRegex(visibleText(page.html), new RegExp(certificate.number), user);
    const list = await other.get('/investigations');
    t.is(list.status, 200);
    t.notRegex(list.html, /data-investigation=/, user);
    t.regex(visibleText(list.html), /No investigation is waiting for you\./);
    const posted = await other.post(`/investigations/${investigationId}/decide/dismiss`, { reason: 'Not true.' });
    t.is(posted.status, 404, `${user} cannot decide either`);
    t.is(
      (await (await app.who.api(user)).get(`/api/investigations/${investigationId}`)).status,
      404,
      'nor in the API',
    );
  }
  const shown = await (await app.who.api('zheng.approver')).get(`/api/investigations/${investigationId}`);
  t.is(shown.body.stage, InvestigationStage.DepartmentDecision, 'nothing was decided, and the department sees it');
});

test('a decision without a reason is refused beside the field, with what was typed kept', async (t) => {
  const h = t.context;
  const certificate = await issueCertificate(h);
  const { investigationId } = await report(h, certificate.number);
  await waitForTask(h, investigationId, InvestigationTaskKind.Decision);
  const approver = await app.who.browser('zheng.approver');
  await approver.get(`/investigations/${investigationId}`);

  const blank = await approver.post(`/investigations/${investigationId}/decide/revoke`, {
    category: 'forged-certificate',
    reason: '   ',
  });
  t.is(blank.location, `/investigations/${investigationId}`);
  t.is(fieldMessage(blank.html, 'revoke-reason'), 'is required');
  t.regex(blank.html, /<textarea id='revoke-reason'[^>]*aria-invalid='true'/);
  t.is(selectedOption(blank.html, 'revoke-category'), 'forged-certificate', 'the category chosen is kept');
  t.is(fieldMessage(blank.html, 'dismiss-reason'), undefined, 'only the form sent is marked');

  const tooLong = 'The holder copied answers. '.repeat(80);
  const long = await approver.post(`/investigations/${investigationId}/decide/dismiss`, { reason: tooLong });
  t.truthy(fieldMessage(long.html, 'dismiss-reason'));
  t.is(textareaText(long.html, 'dismiss-reason'), tooLong, 'the reason typed is there to shorten');

  const view = await stateOfInvestigation(h, investigationId);
  t.is(view.stage, InvestigationStage.DepartmentDecision, 'nothing was decided');
  t.is(view.revocation, undefined);
});

/** The main navigation of a page. */
const inboxMenu = (html: string) => /<nav aria-label='[^']*'>[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '';
