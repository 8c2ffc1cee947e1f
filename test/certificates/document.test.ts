import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { ApplicationFailure } from '@temporalio/common';
import anyTest, { type TestFn } from 'ava';
import {
  certificatePdfBytes,
  createCertificateDocumentActivities,
  readEmbeddedSeal,
  SEAL_FORMAT,
} from '../../activities/certificateDocument';
import { Level } from '../../domain/levels';
import {
  createCertificateEnv,
  decodeQr,
  HOLDER,
  pagePicture,
  PUBLIC_URL,
  readPdf,
  type CertificateEnv,
} from './fixtures';

const test = anyTest as TestFn<CertificateEnv>;

test.before(async (t) => {
  t.context = await createCertificateEnv();
});
test.after.always(async (t) => {
  await t.context.teardown();
});

const A4 = { width: 595.28, height: 841.89 };

test('a certificate is one A4 page showing the holder, the number, the level and the verification address', async (t) => {
  const number = await t.context.issue({ level: Level.Advanced, occupation: 'Electrician', specialty: 'Power lines' });
  const pdf = await readPdf(readFileSync(await t.context.render(number, { photoReference: 'photos/QF-7.jpg' })));

  t.is(pdf.pages, 1);
  t.is(pdf.sizes.length, 1);
  t.true(Math.abs(pdf.sizes[0].width - A4.width) <= 1, `width ${pdf.sizes[0].width}`);
  t.true(Math.abs(pdf.sizes[0].height - A4.height) <= 1, `height ${pdf.sizes[0].height}`);
  for (const shown of [
    'Skill-Level Certificate',
    number,
    HOLDER.idNumber,
    'Level 3 (advanced)',
    'Electrician',
    'Power lines',
    'station-a',
    '2026-03-02',
    'photos/QF-7.jpg',
    `${PUBLIC_URL}/verify/${number}`,
    `Key ${t.context.seal.signingKeyId}`,
  ])
    t.true(pdf.text.includes(shown), `the page shows ${shown}`);
  t.is(pdf.info.Title, `Skill-level certificate ${number}`);
});

test('the title, the name, the ID type and the level are printed in Chinese, with their English beside', async (t) => {
  const number = await t.context.issue({ specialty: undefined });
  const path = await t.context.render(number);
  const { text } = await readPdf(readFileSync(path));
  for (const shown of [
    '职业技能等级证书',
    HOLDER.holderName,
    '居民身份证',
    '四级/中级工',
    'Level 4 (intermediate)',
    '--',
  ])
    t.true(text.includes(shown), `the page shows ${shown}`);
  // The font is embedded as a subset of the glyphs the page uses: the PDF is kilobytes, not the font's 10 MB.
  t.true(statSync(path).size < 100_000, `${statSync(path).size} bytes`);
});

test('the QR code on the certificate holds the address of its verification page', async (t) => {
  const number = await t.context.issue();
  const bytes = readFileSync(await t.context.render(number));
  // Drawn, not pasted in as a picture: read from the page as a camera would.
  t.is((await readPdf(bytes)).images.length, 0, 'the page holds no picture');
  t.is(decodeQr(await pagePicture(bytes)), `${PUBLIC_URL}/verify/${number}`);
});

test('rendering the same certificate twice writes the same bytes, dated the issue date', async (t) => {
  const number = await t.context.issue({ issuedOn: '2026-04-15' });
  const activities = createCertificateDocumentActivities({
    db: t.context.db,
    seal: t.context.seal,
    publicUrl: PUBLIC_URL,
    outputDir: t.context.outputDir,
  });
  const first = await activities.renderCertificate({ number });
  const bytes = readFileSync(first.path);
  const second = await activities.renderCertificate({ number });
  t.is(second.path, first.path);
  t.is(second.path, `${t.context.outputDir}/${number}.pdf`);
  t.is(second.sha256, first.sha256);
  t.true(readFileSync(second.path).equals(bytes));
  t.true(bytes.includes('/CreationDate (D:20260415000000Z)'));
});

test('the download renders in memory the same bytes the activity prints to its file', async (t) => {
  const number = await t.context.issue();
  const printed = readFileSync(await t.context.render(number, { photoReference: 'photos/QF-9.jpg' }));
  const { db, seal } = t.context;
  const downloaded = await certificatePdfBytes(
    { db, seal, publicUrl: PUBLIC_URL },
    { number: number.toLowerCase(), photoReference: 'photos/QF-9.jpg' },
  );
  t.is(downloaded.number, number, 'the number as printed');
  t.true(downloaded.pdf.equals(printed));
});

test('the PDF carries the sealed content and the seal for offline verification', async (t) => {
  const number = await t.context.issue();
  const embedded = readEmbeddedSeal(readFileSync(await t.context.render(number)));
  const row = await t.context.db
    .selectFrom('certificates')
    .select(['content', 'key_id', 'signature'])
    .where('number', '=', number)
    .executeTakeFirstOrThrow();
  t.like(embedded, {
    format: SEAL_FORMAT,
    number,
    content: row.content!,
    keyId: row.key_id!,
    signature: row.signature!,
  });
});

test('a number that was never issued, or not sealed yet, is not rendered', async (t) => {
  const unknown = await t.throwsAsync(t.context.render('S000044000001264999999'), { instanceOf: ApplicationFailure });
  t.regex(unknown.message, /was never numbered/);
  const malformed = await t.throwsAsync(t.context.render('not-a-number'), { instanceOf: ApplicationFailure });
  t.is(malformed.message, 'Not a certificate number: a skill-level certificate number must be 22 characters (got 12)');
  await t.context.db
    .insertInto('certificates')
    .values({
      application_number: 'QF-UNSEALED',
      number: 'S000044000001264000777',
      level: 4,
      station_id: 'station-a',
      issued_on: '2026-03-02',
      content: null,
      key_id: null,
      signature: null,
    })
    .execute();
  const unsealed = await t.throwsAsync(t.context.render('S000044000001264000777'), { instanceOf: ApplicationFailure });
  t.regex(unsealed.message, /is not sealed yet/);
});

test('a certificate whose stored content no longer matches its seal is not printed', async (t) => {
  const number = await t.context.issue();
  const row = await t.context.db
    .selectFrom('certificates')
    .select('content')
    .where('number', '=', number)
    .executeTakeFirstOrThrow();
  await t.context.db
    .updateTable('certificates')
    .set({ content: row.content!.replace('"level":4', '"level":1') })
    .where('number', '=', number)
    .execute();
  const error = await t.throwsAsync(t.context.render(number), { instanceOf: ApplicationFailure });
  t.is(error.type, 'InvalidSeal');
  t.true(error.nonRetryable);
});

test('a file at the output path is replaced by the certificate, not left half written', async (t) => {
  const number = await t.context.issue();
  const path = `${t.context.outputDir}/${number}.pdf`;
  const first = await t.context.render(number);
  writeFileSync(path, 'partial');
  t.is(await t.context.render(number), first);
  t.is(readFileSync(path).subarray(0, 5).toString(), '%PDF-');
});
