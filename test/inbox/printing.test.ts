/**
 * Printing and handing over certificates, as the department's printer and the station's clerk do it: the chosen print
 * tasks' certificates as one ZIP file, a reprint that needs a reason and is in the audit log, and a hand-over that
 * records who received the certificate. Each test takes in its own cases.
 */
import { unzipSync } from 'fflate';
import { Level } from '../../domain/levels';
import { masked } from '../../inbox-ui/auth/access';
import { TaskKind } from '../../workflows/definitions';
import { applicationFor } from '../helpers/applications';
import { driveTo, eventually } from '../helpers/cases';
import type { Harness } from '../helpers/harness';
import { testWithHarness } from '../helpers/harnessTests';
import { visibleText } from '../helpers/web';
import { caseHandle, fieldMessage, inboxRows, inboxWebFor, intake } from './fixtures';

const test = testWithHarness({ flavour: 'dev-server' });

const inbox = inboxWebFor(test);

/** A new station-a case driven by the default decisions until a task of `kind` is open. */
async function caseAt(h: Harness, kind: TaskKind) {
  const number = await intake(await inbox.who.api('sun.clerk'), applicationFor(Level.Primary));
  const { id: taskId } = (await driveTo(caseHandle(h, number), kind))!;
  return { number, taskId, api: `/api/cases/${number}/tasks/${taskId}` };
}

/** A raw request with a user's API token, for the answers that are files. */
async function fetchAs(user: string, path: string, init: { method?: string; body?: unknown } = {}) {
  const response = await fetch(`${inbox.web.base}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${(await inbox.who.api(user)).token}`,
      'accept-language': 'en',
      ...(init.body !== undefined && { 'content-type': 'application/json' }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  const type = response.headers.get('content-type') ?? '';
  return {
    status: response.status,
    type,
    bytes,
    json: type.includes('json') ? JSON.parse(bytes.toString()) : undefined,
  };
}

const reprintsOf = (h: Harness, number: string) =>
  h.deps.db
    .selectFrom('audit_log')
    .select(['actor', 'comment', 'details'])
    .where('action', '=', 'certificate-reprinted')
    .where('workflow_id', '=', `application-${number}`)
    .execute();

test('the printer downloads the chosen print tasks as one ZIP, each certificate the same bytes as its own PDF', async (t) => {
  const first = await caseAt(t.context, TaskKind.CertificatePrint);
  const second = await caseAt(t.context, TaskKind.CertificatePrint);
  const tasks = [first, second].map(({ number, taskId }) => ({ applicationNumber: number, taskId }));

  const zip = await fetchAs('zheng.approver', '/api/tasks/print-batch', { method: 'POST', body: { tasks } });
  t.is(zip.status, 200);
  t.is(zip.type, 'application/zip');
  const files = unzipSync(new Uint8Array(zip.bytes));
  t.is(Object.keys(files).length, 2);
  for (const { number } of [first, second]) {
    const single = await fetchAs('zheng.approver', `/cases/${number}/certificate.pdf`);
    t.is(single.status, 200);
    const entry = Object.entries(files).find(([, bytes]) => Buffer.from(bytes).equals(single.bytes));
    t.truthy(entry, `the ZIP holds ${number}'s certificate as its own download has it`);
    t.regex(entry![0], /^[YS]\d{21}\.pdf$/);
  }
  const again = await fetchAs('zheng.approver', '/api/tasks/print-batch', { method: 'POST', body: { tasks } });
  t.true(again.bytes.equals(zip.bytes), 'the same tasks make the same file');

  // From the inbox: the print tasks are ticked and the button downloads them.
  const printer = await inbox.who.browser('zheng.approver');
  const list = await printer.get('/inbox?kind=certificate-print');
  t.true(visibleText(list.html).includes('Download the chosen certificates (ZIP)'));
  t.true(list.html.includes(`value='${first.number}/${first.taskId}'`), 'the print task can be ticked');
  const posted = await printer.post('/inbox/print-batch', { tasks: [`${first.number}/${first.taskId}`] });
  t.is(posted.status, 200);
  t.true(posted.html.startsWith('PK'), 'a ZIP file');
});

test('a batch with a task that is not an open print task of the printer sends nothing and names the case', async (t) => {
  const print = await caseAt(t.context, TaskKind.CertificatePrint);
  const review = await caseAt(t.context, TaskKind.StationReview);
  const tasks = [
    { applicationNumber: print.number, taskId: print.taskId },
    { applicationNumber: review.number, taskId: review.taskId },
  ];
  const refused = await fetchAs('zheng.approver', '/api/tasks/print-batch', { method: 'POST', body: { tasks } });
  t.is(refused.status, 409);
  t.is(
    refused.json.error,
    `Application ${review.number} has no print task you may print; no certificate was downloaded.`,
  );

  const clerk = await fetchAs('sun.clerk', '/api/tasks/print-batch', { method: 'POST', body: { tasks: [tasks[0]] } });
  t.is(clerk.status, 409, 'the station sees the case, but does not print its certificate');
  const stranger = await fetchAs('zhao.station-b-reviewer', '/api/tasks/print-batch', {
    method: 'POST',
    body: { tasks: [tasks[0]] },
  });
  t.is(stranger.status, 404, 'another station learns nothing about the case');
  const empty = await fetchAs('zheng.approver', '/api/tasks/print-batch', { method: 'POST', body: { tasks: [] } });
  t.is(empty.status, 422);
  t.is(empty.json.errors.tasks, 'A batch holds 1 to 100 certificates.');

  const printer = await inbox.who.browser('zheng.approver');
  await printer.get('/inbox');
  const none = await printer.post('/inbox/print-batch', {});
  t.regex(visibleText(none.html), /Tick the print tasks whose certificates you want first\./);
  const wrong = await printer.post('/inbox/print-batch', { tasks: [`${review.number}/${review.taskId}`] });
  t.true(visibleText(wrong.html).includes(`Application ${review.number} has no print task you may print`));
});

test('once printed, a certificate is printed again only with a reason, in the audit log, with the same number and bytes', async (t) => {
  const { number, api } = await caseAt(t.context, TaskKind.CertificatePrint);
  const before = await fetchAs('zheng.approver', `/cases/${number}/certificate.pdf`);
  t.is(before.status, 200);

  const printer = await inbox.who.api('zheng.approver');
  t.is((await printer.post(`${api}/claim`)).status, 200);
  t.is((await printer.post(`${api}/approve`, { comment: 'Printed.' })).status, 200, 'marked printed');
  await eventually('the case to record the printing', async () => {
    const view = (await printer.get(`/api/cases/${number}`)).body;
    return view.certificate?.printedAt ? view : undefined;
  });

  const plain = await fetchAs('zheng.approver', `/cases/${number}/certificate.pdf`);
  t.is(plain.status, 409);
  t.regex(plain.bytes.toString(), /has been printed; a reprint needs a reason/);

  const reprint = `/api/cases/${number}/certificate/reprint`;
  const noReason = await fetchAs('zheng.approver', reprint, { method: 'POST', body: { reason: '  ' } });
  t.is(noReason.status, 422);
  t.is(noReason.json.error, 'A reprint needs a reason.');
  t.deepEqual(await reprintsOf(t.context, number), [], 'a refused reprint is not logged');

  const body = { reason: 'Paper jam: the first sheet is spoilt.', requestId: 'reprint-0001' };
  const printed = await fetchAs('zheng.approver', reprint, { method: 'POST', body });
  t.is(printed.status, 200);
  t.is(printed.type, 'application/pdf');
  t.true(printed.bytes.equals(before.bytes), 'the same document, so the same number');
  const twice = await fetchAs('zheng.approver', reprint, { method: 'POST', body });
  t.true(twice.bytes.equals(before.bytes));
  const logged = await reprintsOf(t.context, number);
  t.is(logged.length, 1, 'a repeated request is one reprint');
  t.is(logged[0].actor, 'zheng.approver');
  t.is(logged[0].comment, body.reason);

  const clerk = await fetchAs('sun.clerk', reprint, { method: 'POST', body: { reason: 'I want one.' } });
  t.is(clerk.status, 403);

  const page = await inbox.who.browser('zheng.approver');
  const casePage = visibleText((await page.get(`/cases/${number}`)).html);
  t.true(casePage.includes('Reprint the certificate'));
  t.false(casePage.includes('Download the certificate (PDF)'));
  // A reason the server refuses comes back in the form as typed, with the message at the field.
  const refusedForm = await page.post(`/cases/${number}/certificate/reprint`, { reason: 'Jam\u0007' });
  t.regex(refusedForm.html, /<textarea id='reprint-reason'[^>]*aria-invalid='true'[^>]*>Jam\u0007<\/textarea>/);
  t.is(
    fieldMessage(refusedForm.html, 'reprint-reason'),
    'reason: contains control characters, which text cannot hold.',
  );
  t.regex(visibleText(refusedForm.html), /A reprint needs a reason\./);
  t.false(visibleText((await (await inbox.who.browser('sun.clerk')).get(`/cases/${number}`)).html).includes('Reprint'));
});

test('the hand-over records who received the certificate, and is refused at the field without it', async (t) => {
  const { number, taskId, api } = await caseAt(t.context, TaskKind.CertificateHandover);
  const clerk = await inbox.who.api('sun.clerk');
  t.is((await clerk.post(`${api}/claim`)).status, 200);
  const missing = await clerk.post(`${api}/approve`, { comment: 'Handed over.' });
  t.is(missing.status, 422);
  t.is(missing.body.errors.receivedBy, 'is required');

  const page = await inbox.who.browser('sun.clerk');
  const taskPage = await page.get(`/tasks/${number}/${taskId}`);
  t.true(visibleText(taskPage.html).includes('Received by'));
  const list = await page.get('/inbox');
  t.true(inboxRows(list).length > 0);
  t.false(
    list.html.includes(`value='${number}/${taskId}'`),
    'a hand-over is not approved in bulk: each says who received the certificate',
  );

  const done = await clerk.post(`${api}/approve`, { comment: 'Handed over.', receivedBy: 'Wang Fang' });
  t.is(done.status, 200);
  const casePage = await eventually('the hand-over on the case page', async () => {
    const text = visibleText((await page.get(`/cases/${number}`)).html);
    return text.includes('received by Wang Fang') ? text : undefined;
  });
  t.regex(casePage, /Handed over .*, received by Wang Fang/);
  const row = await eventually('the hand-over record', () =>
    t.context.deps.db.selectFrom('handovers').selectAll().where('application_number', '=', number).executeTakeFirst(),
  );
  t.is(row.received_by, 'Wang Fang');
  t.is(row.handed_over_by, 'sun.clerk');

  const view = (await clerk.get(`/api/cases/${number}`)).body;
  const hidden = masked(view);
  t.not(hidden.certificate?.receivedBy, 'Wang Fang', 'whoever sees the candidate masked sees the recipient masked');
  t.not(hidden.tasks.find((task) => task.id === taskId)?.outcome?.receivedBy, 'Wang Fang');
});
