/**
 * `npm run verify-certificate -- <file.pdf> [--public-key <pem file> | --key-dir <dir>]`: checks a certificate PDF
 * offline. The PDF carries its sealed content and Ed25519 signature (see activities/certificateDocument.ts); this
 * checks the signature with the institution's public key and prints what the seal covers, to compare with the page.
 * Without an option it uses the seal key folder (SEAL_KEY_DIR, default ./data/keys).
 *
 * `npm run verify-certificate -- --export-public-key [--key-dir <dir>] [--out <dir>]` writes `<key id>.pub.pem` for
 * every seal key, to hand to whoever verifies offline.
 *
 * Exit code 0 when the certificate verifies, 1 with one sentence saying why when it does not.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  publicKeyFingerprint,
  readEmbeddedSeal,
  SealDataError,
  signatureMatches,
  type EmbeddedSeal,
} from '../activities/certificateDocument';
import type { CertificateContent } from '../activities/certificates';
import { isLevel, levelTitle, levelTitleZh } from '../domain/levels';
import { loadConfig } from '../runtime/config';

class Rejected extends Error {}
/** Wrong use of the command, rather than a certificate that does not verify. */
class UsageError extends Rejected {}

const USAGE =
  'Usage: npm run verify-certificate -- <file.pdf> [--public-key <pem file> | --key-dir <dir>]\n' +
  '       npm run verify-certificate -- --export-public-key [--key-dir <dir>] [--out <dir>]';

function main(): void {
  const { positionals, values } = parseArguments();
  if (values.help) return console.log(USAGE);
  const keyDir = () => path.resolve(values['key-dir'] ?? loadConfig().sealKeyDir);

  if (values['export-public-key']) {
    const dir = keyDir();
    const out = path.resolve(values.out ?? '.');
    const keys = readKeyDir(dir, { privateOnly: true });
    if (keys.size === 0) throw new UsageError(`no seal keys (seal-<id>.key) in ${dir}`);
    mkdirSync(out, { recursive: true });
    for (const [id, key] of keys) {
      const file = path.join(out, `${id}.pub.pem`);
      writeFileSync(file, key.export({ type: 'spki', format: 'pem' }));
      console.log(`${file} (SHA-256 ${publicKeyFingerprint(key)})`);
    }
    return;
  }

  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) throw new UsageError(`name one certificate file.\n${USAGE}`);
  if (values['public-key'] && values['key-dir']) throw new UsageError('give --public-key or --key-dir, not both');
  const embedded = readSeal(file);
  const publicKeyFile = values['public-key'];
  const key = publicKeyFile ? readPublicKey(publicKeyFile) : keyFromDir(keyDir(), embedded.keyId);
  if (embedded.publicKeyFingerprint && embedded.publicKeyFingerprint !== publicKeyFingerprint(key))
    throw new Rejected('wrong key: the signature was not made with this public key');
  if (!signatureMatches(embedded, key))
    throw new Rejected(
      embedded.publicKeyFingerprint
        ? 'signature does not match the content (tampered?)'
        : 'signature does not match the content with this key (tampered, or the wrong key?)',
    );
  const content = JSON.parse(embedded.content) as CertificateContent;
  const level = isLevel(content.level)
    ? `${levelTitleZh(content.level)} · ${levelTitle(content.level)}`
    : content.level;
  console.log(
    [
      `VALID: certificate ${content.number} sealed with key ${embedded.keyId}`,
      `  holder:      ${content.holderName} (${content.idType} ${content.idNumber})`,
      `  occupation:  ${content.occupation}${content.specialty ? ` · ${content.specialty}` : ''}`,
      `  level:       ${level}`,
      `  issued:      ${content.issuedOn} by ${content.stationId}`,
      'The seal covers these values: compare them with the printed page.',
    ].join('\n'),
  );
}

const OPTIONS = {
  'public-key': { type: 'string' },
  'key-dir': { type: 'string' },
  'export-public-key': { type: 'boolean' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parseArguments() {
  try {
    return parseArgs({ allowPositionals: true, options: OPTIONS });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
}

function readSeal(file: string): EmbeddedSeal {
  let pdf: Buffer;
  try {
    pdf = readFileSync(file);
  } catch (error) {
    throw new Rejected(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let embedded: EmbeddedSeal | undefined;
  try {
    embedded = readEmbeddedSeal(pdf);
  } catch (error) {
    if (!(error instanceof SealDataError)) throw error;
    throw new Rejected(
      error.message === 'not a PDF file'
        ? `not a Qualiflow certificate: ${file} is not a PDF file`
        : `damaged seal data: ${error.message}`,
    );
  }
  if (!embedded) throw new Rejected('not a Qualiflow certificate: no seal data');
  return embedded;
}

function readPublicKey(file: string): KeyObject {
  let pem: Buffer;
  try {
    pem = readFileSync(file);
  } catch (error) {
    throw new Rejected(`cannot read public key ${file}: ${(error as NodeJS.ErrnoException).code}`);
  }
  try {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`a ${key.asymmetricKeyType} key`);
    return key;
  } catch (error) {
    throw new Rejected(`${file} is not an Ed25519 public key (${(error as Error).message})`);
  }
}

function keyFromDir(dir: string, keyId: string): KeyObject {
  const key = readKeyDir(dir, { privateOnly: false }).get(keyId);
  if (!key) throw new Rejected(`key ${keyId} not found in ${dir}`);
  return key;
}

/** The public half of every `seal-<id>.key` (and, unless privateOnly, every `seal-<id>.pub.pem`), by key id. */
function readKeyDir(dir: string, { privateOnly }: { privateOnly: boolean }): Map<string, KeyObject> {
  if (!existsSync(dir)) throw new UsageError(`key directory ${dir} does not exist`);
  const keys = new Map<string, KeyObject>();
  for (const name of readdirSync(dir).sort()) {
    const match = /^(seal-[\w-]+?)(\.key|\.pub\.pem)$/.exec(name);
    if (!match || (privateOnly && match[2] !== '.key')) continue;
    try {
      keys.set(match[1], createPublicKey(readFileSync(path.join(dir, name))));
    } catch (error) {
      throw new Rejected(`${path.join(dir, name)} is not a key file (${(error as Error).message})`);
    }
  }
  return keys;
}

try {
  main();
} catch (error) {
  if (!(error instanceof Rejected)) throw error;
  console.error(`${error instanceof UsageError ? 'Error' : 'INVALID'}: ${error.message}`);
  process.exitCode = 1;
}
