/**
 * Files handed in at intake, stored by the SHA-256 of their bytes on SQLite and on PostgreSQL: the type judged from
 * the content, the size limited, the same bytes one row, and bytes that no longer match their hash told apart.
 */
import test from 'ava';
import {
  documentReference,
  hashOfReference,
  judgeDocument,
  MAX_DOCUMENT_BYTES,
  mediaTypeOf,
  readDocument,
  sha256Of,
  storeDocument,
} from '../../records/documents';
import { DIALECTS, freshDatabase } from './databases';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n', 'latin1');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR rest')]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);

test('the type is judged by the first bytes only: PDF, JPEG and PNG, nothing else', (t) => {
  t.is(mediaTypeOf(PDF), 'application/pdf');
  t.is(mediaTypeOf(JPEG), 'image/jpeg');
  t.is(mediaTypeOf(PNG), 'image/png');
  t.is(mediaTypeOf(Buffer.from('<html><script>alert(1)</script>')), undefined);
  t.is(mediaTypeOf(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')), undefined);
  t.is(mediaTypeOf(Buffer.from(' %PDF-1.4')), undefined, 'the magic must be at the start');
  t.is(mediaTypeOf(Buffer.from([0x89, 0x50, 0x4e])), undefined, 'a PNG cut short');
  t.is(mediaTypeOf(Buffer.alloc(0)), undefined);
});

test('a file over the limit is refused for its size, one at the limit is taken', (t) => {
  const atLimit = Buffer.concat([PDF, Buffer.alloc(MAX_DOCUMENT_BYTES - PDF.length)]);
  t.deepEqual(judgeDocument(atLimit), { ok: true, mediaType: 'application/pdf' });
  t.deepEqual(judgeDocument(Buffer.concat([atLimit, Buffer.from('x')])), { ok: false, refusal: 'size' });
  t.deepEqual(judgeDocument(Buffer.from('just text')), { ok: false, refusal: 'type' });
});

test('a reference names a stored file only as sha256: and 64 lowercase hex digits', (t) => {
  const hash = sha256Of(PDF);
  t.is(hashOfReference(documentReference(hash)), hash);
  t.is(hashOfReference(`sha256:${hash.toUpperCase()}`), undefined);
  t.is(hashOfReference(`sha256:${hash.slice(1)}`), undefined);
  t.is(hashOfReference('register/2026/0412-id.pdf'), undefined);
});

for (const dialect of DIALECTS) {
  test(`${dialect}: a file is stored under its hash and read back byte for byte`, async (t) => {
    const { db } = await freshDatabase(t, dialect);
    const stored = await storeDocument(db, PNG);
    t.deepEqual(stored, { sha256: sha256Of(PNG), mediaType: 'image/png', size: PNG.length });
    const read = await readDocument(db, stored.sha256);
    t.truthy(read);
    t.true(read!.intact);
    t.is(read!.mediaType, 'image/png');
    t.is(read!.size, PNG.length);
    t.true(read!.bytes.equals(PNG));
    t.is(await readDocument(db, sha256Of(PDF)), undefined);
  });

  test(`${dialect}: the same bytes twice are one row`, async (t) => {
    const { db } = await freshDatabase(t, dialect);
    const first = await storeDocument(db, PDF, new Date('2026-03-01T08:00:00Z'));
    const second = await storeDocument(db, Buffer.from(PDF), new Date('2026-03-02T08:00:00Z'));
    t.deepEqual(second, first);
    const rows = await db.selectFrom('documents').select(['sha256', 'created_at']).execute();
    t.deepEqual(rows, [{ sha256: first.sha256, created_at: '2026-03-01T08:00:00.000Z' }]);
  });

  test(`${dialect}: a file intake does not take is not stored`, async (t) => {
    const { db } = await freshDatabase(t, dialect);
    await t.throwsAsync(storeDocument(db, Buffer.from('id.pdf, but text')), { message: /type/ });
    t.is((await db.selectFrom('documents').select('sha256').execute()).length, 0);
  });

  test(`${dialect}: bytes changed after storing no longer match their hash`, async (t) => {
    const { db } = await freshDatabase(t, dialect);
    const { sha256 } = await storeDocument(db, JPEG);
    const tampered = Buffer.from(JPEG);
    tampered[tampered.length - 1] ^= 0xff;
    await db.updateTable('documents').set({ bytes: tampered }).where('sha256', '=', sha256).execute();
    const read = await readDocument(db, sha256);
    t.false(read!.intact);
    t.true(read!.bytes.equals(tampered));
  });
}
