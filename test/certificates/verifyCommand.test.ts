import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import anyTest, { type TestFn } from 'ava';
import PDFDocument from 'pdfkit';
import { CHINESE_TERMINAL } from '../helpers/terminal';
import { createCertificateEnv, HOLDER, verifyCommand, verifyCommandAt, type CertificateEnv } from './fixtures';

interface Context {
  env: CertificateEnv;
  /** A certificate rendered before any rotation, with the first key. */
  file: string;
  number: string;
}

const test = anyTest as TestFn<Context>;

test.before(async (t) => {
  const env = await createCertificateEnv();
  const number = await env.issue();
  t.context = { env, number, file: await env.render(number) };
});
test.after.always(async (t) => {
  await t.context.env.teardown();
});

/** A copy of the certificate with one byte changed by `edit`, as a forger with a hex editor would. */
function alteredCopy(t: { context: Context }, name: string, edit: (bytes: Buffer) => void): string {
  const bytes = readFileSync(t.context.file);
  edit(bytes);
  const file = path.join(t.context.env.dir, name);
  writeFileSync(file, bytes);
  return file;
}

test('a genuine certificate verifies offline with the seal key folder', (t) => {
  const run = verifyCommand(t.context.file, '--key-dir', t.context.env.keyDir);
  t.is(run.code, 0, run.stderr);
  t.true(
    run.stdout.startsWith(
      `VALID: certificate ${t.context.number} sealed with key ${t.context.env.seal.signingKeyId}\n`,
    ),
  );
  t.true(
    run.stdout.includes(`${HOLDER.holderName} (Resident identity card ${HOLDER.idNumber})`),
    'it shows what the seal covers',
  );
});

test('at a Chinese terminal the check speaks Chinese: what the seal covers, and why a certificate fails', (t) => {
  const run = verifyCommandAt(CHINESE_TERMINAL, t.context.file, '--key-dir', t.context.env.keyDir);
  t.is(run.code, 0, run.stderr);
  const lines = run.stdout.trim().split('\n');
  t.is(lines[0], `验证通过：证书编号 ${t.context.number}，印章密钥 ${t.context.env.seal.signingKeyId}`);
  t.true(lines.includes(`  持证人：${HOLDER.holderName}（居民身份证 ${HOLDER.idNumber}）`));
  t.true(lines.includes('  等级：四级/中级工'), run.stdout);
  t.regex(run.stdout, /  发证：.*，\d{4}年\d{1,2}月\d{1,2}日/);
  t.is(lines.at(-1), '以上为印章所覆盖的内容，请与纸质证书逐项核对。');
  t.notRegex(run.stdout, /VALID|holder|occupation|level|issued|seal covers/);

  const wrongUse = verifyCommandAt(CHINESE_TERMINAL);
  t.is(wrongUse.code, 1);
  t.true(wrongUse.stderr.startsWith('错误：请指定一个证书文件。\n用法：npm run verify-certificate -- <证书.pdf>'));
  const noKey = verifyCommandAt(CHINESE_TERMINAL, t.context.file, '--key-dir', path.join(t.context.env.dir, 'none'));
  t.is(noKey.stderr.trim(), `错误：密钥目录 ${path.join(t.context.env.dir, 'none')} 不存在`);
});

test('an exported public key is all an offline verifier needs', (t) => {
  const out = path.join(t.context.env.dir, 'exported');
  const exported = verifyCommand('--export-public-key', '--key-dir', t.context.env.keyDir, '--out', out);
  t.is(exported.code, 0, exported.stderr);
  const pem = path.join(out, `${t.context.env.seal.signingKeyId}.pub.pem`);
  t.true(readFileSync(pem, 'utf8').startsWith('-----BEGIN PUBLIC KEY-----'));
  t.false(readFileSync(pem, 'utf8').includes('PRIVATE'));

  const run = verifyCommand(t.context.file, '--public-key', pem);
  t.is(run.code, 0, run.stderr);
  t.regex(run.stdout, /^VALID: /);
  const fromFolder = verifyCommand(t.context.file, '--key-dir', out);
  t.is(fromFolder.code, 0, 'a folder of exported public keys serves as well');
});

test('a certificate whose sealed content was changed is rejected as tampered', (t) => {
  const file = alteredCopy(t, 'tampered.pdf', (bytes) => {
    const at = bytes.indexOf(`idNumber\\":\\"${HOLDER.idNumber}`);
    t.true(at > 0, 'the ID number is in the embedded content');
    const digit = at + 'idNumber\\":\\"'.length;
    bytes[digit] = bytes[digit] === 0x31 ? 0x32 : 0x31;
  });
  const run = verifyCommand(file, '--key-dir', t.context.env.keyDir);
  t.is(run.code, 1);
  t.is(run.stderr.trim(), 'INVALID: signature does not match the content (tampered?)');
  t.is(run.stdout, '');
});

test('a key that did not make the seal is named as the wrong key', (t) => {
  const other = path.join(t.context.env.dir, 'other.pub.pem');
  writeFileSync(other, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }));
  const run = verifyCommand(t.context.file, '--public-key', other);
  t.is(run.code, 1);
  t.is(run.stderr.trim(), 'INVALID: wrong key: the signature was not made with this public key');
});

test('a folder without the sealing key says which key is missing', (t) => {
  const empty = path.join(t.context.env.dir, 'no-keys');
  mkdirSync(empty, { recursive: true });
  const run = verifyCommand(t.context.file, '--key-dir', empty);
  t.is(run.code, 1);
  t.is(run.stderr.trim(), `INVALID: key ${t.context.env.seal.signingKeyId} not found in ${empty}`);
});

test('a PDF without seal data is not a Qualiflow certificate', async (t) => {
  const doc = new PDFDocument({ size: 'A4' });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve) => doc.on('end', resolve));
  doc.text('Skill-Level Certificate S000044000001264000001').end();
  await ended;
  const file = path.join(t.context.env.dir, 'plain.pdf');
  writeFileSync(file, Buffer.concat(chunks));
  const run = verifyCommand(file, '--key-dir', t.context.env.keyDir);
  t.is(run.code, 1);
  t.is(run.stderr.trim(), 'INVALID: not a Qualiflow certificate: no seal data');

  const notPdf = verifyCommand(path.join(t.context.env.dir, 'qualiflow.db'), '--key-dir', t.context.env.keyDir);
  t.is(notPdf.code, 1);
  t.regex(notPdf.stderr, /^INVALID: not a Qualiflow certificate: .* is not a PDF file/);
});

test('damaged seal data is reported as such', (t) => {
  const file = alteredCopy(t, 'damaged.pdf', (bytes) => {
    const at = bytes.indexOf('"format": "qualiflow-certificate-seal/1"');
    bytes[at] = 0x7b; // '{' breaks the JSON
  });
  const run = verifyCommand(file, '--key-dir', t.context.env.keyDir);
  t.is(run.code, 1);
  t.regex(run.stderr, /^INVALID: damaged seal data: the seal data is not JSON/);
});

test('after a key rotation, certificates sealed with the old key and the new one both verify', async (t) => {
  const env = await createCertificateEnv();
  try {
    const oldKey = env.seal.signingKeyId;
    const before = await env.issue();
    env.rotateKey('seal-29991231');
    t.is(env.seal.signingKeyId, 'seal-29991231');
    const after = await env.issue();

    const old = verifyCommand(await env.render(before), '--key-dir', env.keyDir);
    t.is(old.code, 0, old.stderr);
    t.true(old.stdout.startsWith(`VALID: certificate ${before} sealed with key ${oldKey}\n`));
    const rotated = verifyCommand(await env.render(after), '--key-dir', env.keyDir);
    t.is(rotated.code, 0, rotated.stderr);
    t.true(rotated.stdout.startsWith(`VALID: certificate ${after} sealed with key seal-29991231\n`));
  } finally {
    await env.teardown();
  }
});
