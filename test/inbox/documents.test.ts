/**
 * Documents handed in at intake: uploaded with the form (or through POST /api/documents), judged by their content and
 * their size, stored by their SHA-256 and named so in the case's application; kept across a refused form; shown
 * inline, with headers that let nothing in them run, to those who may see the case and its candidate, and to no one
 * else; reported, not shown, once the stored bytes no longer match the hash the case recorded.
 */
import { Level } from '../../domain/levels';
import { MAX_DOCUMENT_BYTES, sha256Of } from '../../records/documents';
import { TaskKind } from '../../workflows/definitions';
import { applicationFor } from '../helpers/applications';
import { testWithHarness } from '../helpers/harnessTests';
import { visibleText } from '../helpers/web';
import { fieldMessage, inboxWebFor, inputValue, intake, openTaskOf } from './fixtures';
import { apiBody, openForm, validForm } from './intakeForms';

const test = testWithHarness({ flavour: 'dev-server' });

const inbox = inboxWebFor(test);

let serial = 0;
/** A PDF of its own for each call, so that each test owns its files (the same bytes would be one row). */
const pdf = () => Buffer.from(`%PDF-1.4\n% test ${++serial} ${Date.now()}\n%%EOF\n`, 'latin1');
const png = () =>
  Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(`png ${++serial}`)]);

const NOT_A_TYPE = 'must be a PDF, JPEG or PNG file: its content is none of these, whatever its name says';
const POLICY = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'";

/** The form without typed references: its documents come as files. */
function formWithoutReferences(number: string): Record<string, string> {
  const { 'documents.id-document': _i, 'documents.photo': _p, ...form } = validForm(number);
  return form;
}

/** The case's documents as its API answers them to the clerk who took it in. */
async function documentsOf(number: string): Promise<{ kind: string; reference: string }[]> {
  const answer = await (await inbox.who.api('sun.clerk')).get(`/api/cases/${number}`);
  if (answer.status !== 200) throw new Error(`case ${number}: ${answer.status}`);
  return answer.body.application.documents;
}

/** A raw request with a user's API token, for the answers that are files. */
async function fetchAs(user: string, path: string, init: { method?: string; body?: FormData } = {}) {
  const response = await fetch(`${inbox.web.base}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${(await inbox.who.api(user)).token}`, 'accept-language': 'en' },
    body: init.body,
  });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

const fileForm = (bytes: Uint8Array, name: string) => {
  const form = new FormData();
  form.append('file', new Blob([bytes]), name);
  return form;
};

/** A case taken in through the form with an ID copy (PDF) and a photo (PNG); its station review open. */
async function caseWithFiles(t: { context: Parameters<typeof openTaskOf>[0] }) {
  const clerk = await inbox.who.browser('sun.clerk');
  const number = await openForm(clerk);
  const [id, photo] = [pdf(), png()];
  const posted = await clerk.postFiles('/applications', formWithoutReferences(number), {
    'upload.id-document': { name: 'id.pdf', bytes: id, type: 'application/pdf' },
    'upload.photo': { name: 'photo.png', bytes: photo, type: 'image/png' },
  });
  if (posted.location !== `/cases/${number}`) throw new Error(`intake: ${posted.status} ${visibleText(posted.html)}`);
  await openTaskOf(t.context, number, TaskKind.StationReview);
  return { number, id, photo, idPath: `/cases/${number}/documents/${sha256Of(id)}` };
}

test('files uploaded with the intake form are stored by their hash, which the case records', async (t) => {
  const clerk = await inbox.who.browser('sun.clerk');
  const number = await openForm(clerk);
  const [id, photo] = [pdf(), png()];
  const posted = await clerk.postFiles('/applications', formWithoutReferences(number), {
    'upload.id-document': { name: 'scan.pdf', bytes: id, type: 'application/pdf' },
    // A PNG named as a PDF: the content decides.
    'upload.photo': { name: 'x.pdf', bytes: photo, type: 'application/pdf' },
  });
  t.is(posted.location, `/cases/${number}`);
  t.deepEqual(await documentsOf(number), [
    { kind: 'id-document', reference: `sha256:${sha256Of(id)}` },
    { kind: 'photo', reference: `sha256:${sha256Of(photo)}` },
  ]);
  const rows = await t.context.deps.db
    .selectFrom('documents')
    .select(['sha256', 'media_type', 'size'])
    .where('sha256', 'in', [sha256Of(id), sha256Of(photo)])
    .orderBy('media_type')
    .execute();
  t.deepEqual(
    rows.map((row) => ({ ...row, size: Number(row.size) })),
    [
      { sha256: sha256Of(id), media_type: 'application/pdf', size: id.length },
      { sha256: sha256Of(photo), media_type: 'image/png', size: photo.length },
    ],
  );
  // The case page links each uploaded document; a typed reference would stay text.
  const page = await clerk.get(`/cases/${number}`);
  t.regex(
    page.html,
    new RegExp(`<a href='/cases/${number}/documents/${sha256Of(photo)}' target='_blank' rel='noopener'`),
  );
});

test('a file whose content is not a PDF, JPEG or PNG is refused at its field, whatever its name, and nothing starts', async (t) => {
  const clerk = await inbox.who.browser('sun.clerk');
  const number = await openForm(clerk);
  const posted = await clerk.postFiles('/applications', formWithoutReferences(number), {
    'upload.id-document': { name: 'id.pdf', bytes: Buffer.from('<html><script>alert(1)</script></html>') },
    'upload.photo': { name: 'photo.png', bytes: png() },
  });
  t.is(posted.location, '/applications/new');
  t.is(fieldMessage(posted.html, 'documents-id-document'), NOT_A_TYPE);
  t.is(inputValue(posted.html, 'applicationNumber'), number, 'the same form, to correct');
  t.is((await (await inbox.who.api('sun.clerk')).get(`/api/cases/${number}`)).status, 404, 'no case was started');
});

test('a file over the limit is refused at its field, the rest of the form kept', async (t) => {
  const clerk = await inbox.who.browser('sun.clerk');
  const number = await openForm(clerk);
  const large = Buffer.concat([pdf(), Buffer.alloc(MAX_DOCUMENT_BYTES)]);
  const form = formWithoutReferences(number);
  const posted = await clerk.postFiles('/applications', form, {
    'upload.id-document': { name: 'id.pdf', bytes: large },
    'upload.photo': { name: 'photo.png', bytes: png() },
  });
  t.is(posted.status, 200);
  t.is(fieldMessage(posted.html, 'documents-id-document'), 'must be at most 5 MB');
  t.is(inputValue(posted.html, 'candidate.idNumber'), form['candidate.idNumber']);
  t.is((await (await inbox.who.api('sun.clerk')).get(`/api/cases/${number}`)).status, 404);
});

test('a form refused for another field keeps its uploaded file, and the corrected form needs no new upload', async (t) => {
  const clerk = await inbox.who.browser('sun.clerk');
  const number = await openForm(clerk);
  const [id, photo] = [pdf(), png()];
  const form = formWithoutReferences(number);
  const refused = await clerk.postFiles(
    '/applications',
    { ...form, 'candidate.name': '' },
    {
      'upload.id-document': { name: 'id.pdf', bytes: id },
      'upload.photo': { name: 'photo.png', bytes: photo },
    },
  );
  t.is(refused.location, '/applications/new');
  t.is(fieldMessage(refused.html, 'candidate-name'), 'must not be empty');
  t.is(inputValue(refused.html, 'documents.id-document'), `sha256:${sha256Of(id)}`);
  t.regex(refused.html, /<input type='hidden' name='documents\.id-document' value='sha256:[0-9a-f]{64}' \/>/);
  t.regex(visibleText(refused.html), new RegExp(`received: ${id.length} B, PDF`));
  t.regex(visibleText(refused.html), new RegExp(`received: ${photo.length} B, PNG`));

  // Corrected, sent again with what the page carries: no file this time.
  const corrected = await clerk.post('/applications', {
    ...form,
    'documents.id-document': inputValue(refused.html, 'documents.id-document')!,
    'documents.photo': inputValue(refused.html, 'documents.photo')!,
  });
  t.is(corrected.location, `/cases/${number}`);
  t.deepEqual(await documentsOf(number), [
    { kind: 'id-document', reference: `sha256:${sha256Of(id)}` },
    { kind: 'photo', reference: `sha256:${sha256Of(photo)}` },
  ]);
});

test('the station reviewer views a document inline, with headers that let nothing in it run', async (t) => {
  const { number, id, idPath } = await caseWithFiles(t);
  const shown = await fetchAs('li.station-reviewer', idPath);
  t.is(shown.status, 200);
  t.true(shown.bytes.equals(id), 'the same bytes');
  t.is(shown.headers.get('content-type'), 'application/pdf');
  t.is(shown.headers.get('content-disposition'), 'inline; filename="id-document.pdf"');
  t.is(shown.headers.get('content-security-policy'), POLICY);
  t.is(shown.headers.get('x-content-type-options'), 'nosniff');
  t.is(shown.headers.get('cache-control'), 'private, no-store');
  // The showing of the person is in the access log.
  const logged = await t.context.deps.db
    .selectFrom('personal_data_access')
    .select(['viewer', 'basis', 'purpose'])
    .where('application_number', '=', number)
    .where('purpose', '=', 'case-document')
    .execute();
  t.deepEqual(logged, [{ viewer: 'li.station-reviewer', basis: 'task', purpose: 'case-document' }]);
  // The task page links it, to open in a new tab.
  const reviewer = await inbox.who.browser('li.station-reviewer');
  const task = await reviewer.get(`/tasks/${number}/station-review-1`);
  t.is(task.status, 200);
  t.regex(task.html, new RegExp(`<a href='${idPath}' target='_blank' rel='noopener'[^>]*>View</a>`));
});

test('another station, and a hash the case does not list, get the same 404', async (t) => {
  const { number, photo, idPath } = await caseWithFiles(t);
  const other = await fetchAs('zhao.station-b-reviewer', idPath);
  t.is(other.status, 404);
  t.false(other.bytes.includes(photo));
  const stored = await fetchAs('li.station-reviewer', `/cases/${number}/documents/${sha256Of(pdf())}`);
  t.is(stored.status, 404);
  const noCase = await fetchAs('li.station-reviewer', `/cases/STATION-A-20260101-NOCASE/documents/${sha256Of(photo)}`);
  t.is(noCase.status, 404);
  const said = (answer: { bytes: Buffer }) => visibleText(answer.bytes.toString()).replace(/.*Error 404 /, '');
  t.is(said(other), said(stored), 'the same words whether the case is theirs or not');
});

test('a stored file whose bytes no longer match the hash the case recorded is reported, not shown', async (t) => {
  const { number, id, idPath } = await caseWithFiles(t);
  const tampered = Buffer.concat([id, Buffer.from('% appended')]);
  await t.context.deps.db
    .updateTable('documents')
    .set({ bytes: tampered })
    .where('sha256', '=', sha256Of(id))
    .execute();
  const shown = await fetchAs('li.station-reviewer', idPath);
  t.is(shown.status, 500);
  t.is(shown.headers.get('content-type'), 'text/html; charset=utf-8');
  t.false(shown.bytes.includes(Buffer.from('% appended')), 'none of the file is shown');
  t.regex(
    visibleText(shown.bytes.toString()),
    new RegExp(`The stored file no longer matches the fingerprint case ${number} recorded for it`),
  );
});

test('a visitor’s file is not read: refused as not signed in, whatever its size', async (t) => {
  // Over the limit: read, it would be refused as too large (413); unread, the answer is about who is asking.
  const tooLarge = fileForm(Buffer.alloc(MAX_DOCUMENT_BYTES + 1024, 0x25), 'big.pdf');
  const api = await fetch(`${inbox.web.base}/api/documents`, {
    method: 'POST',
    headers: { 'accept-language': 'en' },
    body: tooLarge,
  });
  t.is(api.status, 401);
  t.deepEqual(await api.json(), { error: 'Sign in first: POST /api/session with your user name and password.' });
  const form = await fetch(`${inbox.web.base}/applications`, { method: 'POST', body: tooLarge, redirect: 'manual' });
  t.is(form.status, 303);
  t.is(form.headers.get('location'), '/login?next=%2Fapplications');
  await form.arrayBuffer();

  // Nor is the registry's file read for someone who may not import it.
  const reviewer = await fetchAs('li.station-reviewer', '/admin/organisations/import', {
    method: 'POST',
    body: fileForm(Buffer.alloc(5 * 1024 * 1024, 0x41), 'registry.csv'),
  });
  t.is(reviewer.status, 403);
});

test('the API takes a file, then an application that names its reference', async (t) => {
  const photo = png();
  const uploaded = await fetchAs('sun.clerk', '/api/documents', { method: 'POST', body: fileForm(photo, 'x.pdf') });
  t.is(uploaded.status, 201);
  const stored = JSON.parse(uploaded.bytes.toString());
  t.deepEqual(stored, {
    reference: `sha256:${sha256Of(photo)}`,
    sha256: sha256Of(photo),
    mediaType: 'image/png',
    size: photo.length,
  });

  const refused = await fetchAs('sun.clerk', '/api/documents', {
    method: 'POST',
    body: fileForm(Buffer.from('plain text'), 'id.pdf'),
  });
  t.is(refused.status, 422);
  t.deepEqual(JSON.parse(refused.bytes.toString()).errors, { file: NOT_A_TYPE });
  const reviewer = await fetchAs('li.station-reviewer', '/api/documents', {
    method: 'POST',
    body: fileForm(png(), 'p.png'),
  });
  t.is(reviewer.status, 403, 'only clerks hand files in');
  const withMore = fileForm(png(), 'p.png');
  withMore.append('note', 'kept with the file?');
  const extra = await fetchAs('sun.clerk', '/api/documents', { method: 'POST', body: withMore });
  t.is(extra.status, 422, 'a part the request does not take is refused, not dropped');
  t.deepEqual(JSON.parse(extra.bytes.toString()).errors, { note: 'is not a part this request takes' });

  const application = applicationFor(Level.Primary);
  const documents = application.documents.map((doc) =>
    doc.kind === 'photo' ? { kind: doc.kind, reference: stored.reference } : doc,
  );
  const number = await intake(await inbox.who.api('sun.clerk'), { ...application, documents });
  t.deepEqual(
    (await documentsOf(number)).find((doc) => doc.kind === 'photo'),
    { kind: 'photo', reference: stored.reference },
  );

  // A reference to a file that was never handed in is refused on its field.
  const unstored = await (
    await inbox.who.api('sun.clerk')
  ).post('/api/applications', {
    ...apiBody(),
    documents: [
      { kind: 'id-document', reference: `sha256:${sha256Of(Buffer.from('never uploaded'))}` },
      { kind: 'photo', reference: 'register/2026/0412-photo.jpg' },
    ],
  });
  t.is(unstored.status, 422);
  t.deepEqual(unstored.body.errors, {
    'documents.0.reference': 'names no stored file: upload the file, or give where the document is filed',
  });
});
