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
import { findOccupation, occupationName } from '../domain/occupations';
import { formatDate } from '../i18n';
import { loadConfig } from '../runtime/config';
import { language, levelName, t } from './cli';

class Rejected extends Error {}
/** Wrong use of the command, rather than a certificate that does not verify. */
class UsageError extends Rejected {}

const USAGE = t('cli:verify.usage');

function main(): void {
  const { positionals, values } = parseArguments();
  if (values.help) return console.log(USAGE);
  const keyDir = () => path.resolve(values['key-dir'] ?? loadConfig().sealKeyDir);

  if (values['export-public-key']) {
    const dir = keyDir();
    const out = path.resolve(values.out ?? '.');
    const keys = readKeyDir(dir, { privateOnly: true });
    if (keys.size === 0) throw new UsageError(t('cli:verify.noKeys', { dir }));
    mkdirSync(out, { recursive: true });
    for (const [id, key] of keys) {
      const file = path.join(out, `${id}.pub.pem`);
      writeFileSync(file, key.export({ type: 'spki', format: 'pem' }));
      console.log(`${file} (SHA-256 ${publicKeyFingerprint(key)})`);
    }
    return;
  }

  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) throw new UsageError(`${t('cli:verify.nameOneFile')}\n${USAGE}`);
  if (values['public-key'] && values['key-dir']) throw new UsageError(t('cli:verify.keyOrDir'));
  const embedded = readSeal(file);
  const publicKeyFile = values['public-key'];
  const key = publicKeyFile ? readPublicKey(publicKeyFile) : keyFromDir(keyDir(), embedded.keyId);
  if (embedded.publicKeyFingerprint && embedded.publicKeyFingerprint !== publicKeyFingerprint(key))
    throw new Rejected(t('cli:verify.wrongKey'));
  if (!signatureMatches(embedded, key))
    throw new Rejected(embedded.publicKeyFingerprint ? t('cli:verify.tampered') : t('cli:verify.tamperedOrWrongKey'));
  const content = JSON.parse(embedded.content) as CertificateContent;
  const known = findOccupation(content.occupation);
  const occupation = known ? occupationName(known, language) : content.occupation;
  console.log(
    [
      t('cli:verify.valid', { number: content.number, key: embedded.keyId }),
      t('cli:verify.holder', {
        name: content.holderName,
        idType: t(`cli:verify.idType.${content.idType}`, { defaultValue: content.idType }),
        idNumber: content.idNumber,
      }),
      content.specialty
        ? t('cli:verify.occupationSpecialty', { occupation, specialty: content.specialty })
        : t('cli:verify.occupation', { occupation }),
      t('cli:verify.level', { level: levelName(content.level) }),
      t('cli:verify.issued', { date: formatDate(content.issuedOn, language), station: content.stationId }),
      t('cli:verify.covers'),
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
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new Rejected(t('cli:verify.cannotRead', { file, why }));
  }
  let embedded: EmbeddedSeal | undefined;
  try {
    embedded = readEmbeddedSeal(pdf);
  } catch (error) {
    if (!(error instanceof SealDataError)) throw error;
    throw new Rejected(
      error.message === 'not a PDF file'
        ? t('cli:verify.notPdf', { file })
        : t('cli:verify.damaged', { message: error.message }),
    );
  }
  if (!embedded) throw new Rejected(t('cli:verify.noSeal'));
  return embedded;
}

function readPublicKey(file: string): KeyObject {
  let pem: Buffer;
  try {
    pem = readFileSync(file);
  } catch (error) {
    throw new Rejected(t('cli:verify.cannotReadKey', { file, why: (error as NodeJS.ErrnoException).code }));
  }
  try {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(t('cli:verify.keyType', { type: key.asymmetricKeyType }));
    return key;
  } catch (error) {
    throw new Rejected(t('cli:verify.notEd25519', { file, message: (error as Error).message }));
  }
}

function keyFromDir(dir: string, keyId: string): KeyObject {
  const key = readKeyDir(dir, { privateOnly: false }).get(keyId);
  if (!key) throw new Rejected(t('cli:verify.keyNotFound', { key: keyId, dir }));
  return key;
}

/** The public half of every `seal-<id>.key` (and, unless privateOnly, every `seal-<id>.pub.pem`), by key id. */
function readKeyDir(dir: string, { privateOnly }: { privateOnly: boolean }): Map<string, KeyObject> {
  if (!existsSync(dir)) throw new UsageError(t('cli:verify.noKeyDir', { dir }));
  const keys = new Map<string, KeyObject>();
  for (const name of readdirSync(dir).sort()) {
    const match = /^(seal-[\w-]+?)(\.key|\.pub\.pem)$/.exec(name);
    if (!match || (privateOnly && match[2] !== '.key')) continue;
    try {
      keys.set(match[1], createPublicKey(readFileSync(path.join(dir, name))));
    } catch (error) {
      throw new Rejected(t('cli:verify.notKeyFile', { file: path.join(dir, name), message: (error as Error).message }));
    }
  }
  return keys;
}

try {
  main();
} catch (error) {
  if (!(error instanceof Rejected)) throw error;
  const message = error.message;
  console.error(
    error instanceof UsageError ? t('cli:verify.error', { message }) : t('cli:verify.invalid', { message }),
  );
  process.exitCode = 1;
}
