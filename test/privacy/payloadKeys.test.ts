/**
 * The payload keys and the codec on their own: the newest key encrypts, every key decrypts, so a rotation strands no
 * running case; a payload written before encryption reads as it was; a changed or relabelled payload is refused.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { translator } from '../../i18n';
import { loadConfig } from '../../runtime/config';
import { EncryptionCodec, UnknownPayloadKeyError } from '../../runtime/encryption/codec';
import { loadPayloadKeyFiles, payloadKeysSetting, type PayloadKeys } from '../../runtime/encryption/keys';

const en = translator('en');
const candidate = { name: '欧阳明珠', idNumber: '110105198001017011' };
const plain = (): Payload => defaultPayloadConverter.toPayload(candidate)!;
const read = (payload: Payload) => defaultPayloadConverter.fromPayload(payload);
const ring = (...ids: string[]): PayloadKeys => ({
  encryptWith: ids[0],
  keys: new Map(ids.map((id) => [id, randomBytes(32)])),
});

function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'qualiflow-keys-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('a payload is ciphertext that names its key, and reads back as it was', async (t) => {
  const codec = new EncryptionCodec(ring('k1'));
  const [sealed] = await codec.encode([plain()]);
  t.false(Buffer.from(sealed.data!).toString('utf8').includes(candidate.idNumber));
  t.is(Buffer.from(sealed.metadata!['encryption-key-id']).toString(), 'k1');
  t.deepEqual(read((await codec.decode([sealed]))[0]), candidate);
  const [again] = await codec.encode([plain()]);
  t.notDeepEqual(Buffer.from(again.data!), Buffer.from(sealed.data!), 'a fresh nonce each time');
});

test('after a rotation the new key encrypts and payloads of the old key still read', async (t) => {
  const before = ring('2026-a');
  const [old] = await new EncryptionCodec(before).encode([plain()]);
  const rotated: PayloadKeys = {
    encryptWith: '2026-b',
    keys: new Map([...before.keys, ['2026-b', randomBytes(32)]]),
  };
  const codec = new EncryptionCodec(rotated);
  t.deepEqual(read((await codec.decode([old]))[0]), candidate);
  const [fresh] = await codec.encode([plain()]);
  t.is(Buffer.from(fresh.metadata!['encryption-key-id']).toString(), '2026-b');
});

test('a payload written before encryption was turned on passes through', async (t) => {
  const codec = new EncryptionCodec(ring('k1'));
  t.deepEqual(read((await codec.decode([plain()]))[0]), candidate);
});

test('a changed payload, one moved under another key id, or one of a key not held is refused', async (t) => {
  const keys = ring('k1', 'k2');
  const codec = new EncryptionCodec(keys);
  const [sealed] = await codec.encode([plain()]);
  const flipped = Buffer.from(sealed.data!);
  flipped[20] ^= 1;
  await t.throwsAsync(codec.decode([{ ...sealed, data: flipped }]));
  const relabelled = { ...sealed, metadata: { ...sealed.metadata, 'encryption-key-id': Buffer.from('k2') } };
  await t.throwsAsync(codec.decode([relabelled]));
  const error = await t.throwsAsync(new EncryptionCodec(ring('other')).decode([sealed]));
  t.true(error instanceof UnknownPayloadKeyError);
  t.is((error as UnknownPayloadKeyError).keyId, 'k1');
});

test('PAYLOAD_KEYS names the encrypting key first; a bad entry is refused without repeating any key', (t) => {
  const a = randomBytes(32).toString('base64');
  const b = randomBytes(32).toString('base64');
  const keys = payloadKeysSetting(`new=${a}, old=${b}`, en)!;
  t.is(keys.encryptWith, 'new');
  t.deepEqual([...keys.keys.keys()], ['new', 'old']);
  t.is(payloadKeysSetting('  ', en), undefined);
  for (const bad of [`new=${a.slice(4)}`, `new=${a},new=${b}`, `new=${a}=`, `=${a}`, `new ${a}`, `ne w=${a}`]) {
    const message = t.throws(() => payloadKeysSetting(bad, en))?.message ?? '';
    t.regex(message, /^PAYLOAD_KEYS must be id=key pairs/, bad);
    t.false(message.includes(a.slice(4, 20)), 'the key is never repeated');
  }
  t.regex(
    t.throws(() => loadConfig({ PAYLOAD_KEYS: 'x=short' }))?.message ?? '',
    /^PAYLOAD_KEYS 应为以逗号分隔的“标识=密钥”/,
  );
});

test('the first start makes one key, readable only by its owner, and later starts read the same one', (t) => {
  const dir = tempDir(t);
  const said: string[] = [];
  const first = loadPayloadKeyFiles(dir, en, (line) => said.push(line));
  t.is(said.length, 1);
  t.regex(said[0], /^Generated a new payload encryption key payload-\d{8} in /);
  const file = path.join(dir, `${first.encryptWith}.key`);
  t.is(statSync(file).mode & 0o777, 0o600);
  const second = loadPayloadKeyFiles(dir, en, (line) => said.push(line));
  t.is(said.length, 1, 'nothing generated the second time');
  t.deepEqual(second.keys.get(second.encryptWith), first.keys.get(first.encryptWith));
  t.is(readFileSync(file, 'utf8').trim(), first.keys.get(first.encryptWith)!.toString('base64'));
});

test('a newer key file encrypts, the older ones decrypt, and a damaged one stops start-up naming the file', async (t) => {
  const dir = tempDir(t);
  const first = loadPayloadKeyFiles(dir, en, () => {});
  const [old] = await new EncryptionCodec(first).encode([plain()]);
  writeFileSync(path.join(dir, 'payload-29991231.key'), `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  const rotated = loadPayloadKeyFiles(dir, en, () => {});
  t.is(rotated.encryptWith, 'payload-29991231');
  t.deepEqual(read((await new EncryptionCodec(rotated).decode([old]))[0]), candidate);
  writeFileSync(path.join(dir, 'payload-30000101.key'), 'not a key\n');
  t.regex(
    t.throws(() => loadPayloadKeyFiles(dir, en, () => {}))?.message ?? '',
    /^The payload key file .*payload-30000101\.key must hold one key of 32 bytes in base64\.$/,
  );
});
