/**
 * What the certificate tests share: a real SQLite registry and seal keys in a temporary folder, the real numbering,
 * sealing and rendering activities (called directly; no Temporal), the web app listening on a free port, and readers
 * for what a PDF shows.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import jsQR from 'jsqr';
import { PDFParse } from 'pdf-parse';
import { PNG } from 'pngjs';
import { createCertificateDocumentActivities } from '../../activities/certificateDocument';
import { createCertificateActivities, type CertificateContent } from '../../activities/certificates';
import { loadSealKeys, type SealKeys } from '../../activities/seal';
import { Level } from '../../domain/levels';
import { createApp } from '../../inbox-ui/app';
import { listen } from '../../inbox-ui/listen';
import { openDatabase, type Db } from '../../records/database';
import { PROJECT_ROOT } from '../../runtime/temporalServer';
import { ENGLISH_TERMINAL } from '../helpers/terminal';
import { seedDemoOrganisations } from '../../records/demoProvince';

export const PUBLIC_URL = 'https://verify.example.org';

export const HOLDER = {
  holderName: '张伟明',
  idType: 'resident-id',
  idNumber: '11010519491231002X',
} as const satisfies Partial<CertificateContent>;

export interface CertificateEnv {
  dir: string;
  db: Db;
  keyDir: string;
  outputDir: string;
  seal: SealKeys;
  /** Numbers and seals a certificate as the workflow does, with the keys in `keyDir` as they are now. */
  issue(overrides?: Partial<CertificateContent> & { applicationNumber?: string }): Promise<string>;
  render(number: string, options?: { photoReference?: string }): Promise<string>;
  /** Adds a newer key file, as an operator rotating the seal key does, and reloads the keys. */
  rotateKey(keyId: string): void;
  teardown(): Promise<void>;
}

let cases = 0;

export async function createCertificateEnv(): Promise<CertificateEnv> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'qualiflow-certificates-'));
  const keyDir = path.join(dir, 'keys');
  const outputDir = path.join(dir, 'certificates');
  const db = await openDatabase(path.join(dir, 'qualiflow.db'));
  await seedDemoOrganisations(db);
  const env: CertificateEnv = {
    dir,
    db,
    keyDir,
    outputDir,
    seal: loadSealKeys(keyDir, () => {}),
    async issue({ applicationNumber, ...overrides } = {}) {
      const content = {
        ...HOLDER,
        occupation: '电工 Electrician',
        level: Level.Intermediate,
        stationId: 'station-a',
        issuedOn: '2026-03-02',
        ...overrides,
      };
      const activities = createCertificateActivities({ db, seal: env.seal, format: 'skill-level' });
      const { number } = await activities.assignCertificateNumber({
        applicationNumber: applicationNumber ?? `QF-2026-${String(++cases).padStart(6, '0')}`,
        level: content.level,
        stationId: content.stationId,
        issuedOn: content.issuedOn,
      });
      await activities.sealCertificate({ ...content, number });
      return number;
    },
    async render(number, { photoReference } = {}) {
      const activities = createCertificateDocumentActivities({ db, seal: env.seal, publicUrl: PUBLIC_URL, outputDir });
      return (await activities.renderCertificate({ number, photoReference })).path;
    },
    rotateKey(keyId) {
      const { privateKey } = generateKeyPairSync('ed25519');
      writeFileSync(path.join(keyDir, `${keyId}.key`), privateKey.export({ type: 'pkcs8', format: 'pem' }));
      env.seal = loadSealKeys(keyDir, () => {});
    },
    async teardown() {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return env;
}

let clients = 0;

/**
 * The web app on a free port; the verification routes never touch Temporal. The lookup limit is counted per client
 * address in the database every app of the file shares, so each app's requests come from an address of their own
 * (through a trusted proxy on loopback): lookups in one test never throttle another. It asks for English unless told
 * another language (a browser that names none, `''`, reads Chinese); redirects are not followed, so that tests see
 * them.
 */
export async function startWebApp(env: CertificateEnv) {
  const app = createApp({
    client: {} as Client,
    db: env.db,
    temporalUiUrl: 'http://127.0.0.1:8233',
    namespace: 'default',
    seal: env.seal,
    personalDataKey: randomBytes(32),
    trustProxy: ['loopback'],
  });
  const server = await listen(app, { port: 0, host: '127.0.0.1' });
  const address = server.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const client = `203.0.113.${++clients}`;
  return {
    get: (url: string, language = 'en') =>
      fetch(`${base}${url}`, {
        redirect: 'manual',
        headers: { 'x-forwarded-for': client, ...(language && { 'accept-language': language }) },
      }),
    close: () => server.close(),
  };
}

/** What a reader of the PDF sees: its text, page count and sizes, and the embedded images as PNG files. */
export async function readPdf(data: Buffer) {
  const parser = new PDFParse({ data });
  try {
    const info = await parser.getInfo({ parsePageInfo: true });
    const text = await parser.getText();
    const images = await parser.getImage({ imageBuffer: true });
    return {
      text: text.text,
      pages: info.total,
      sizes: (info.pages ?? []).map((p) => ({ width: p.width, height: p.height })),
      info: info.info as Record<string, unknown>,
      images: images.pages.flatMap((p) => p.images.map((i) => Buffer.from(i.data))),
    };
  } finally {
    await parser.destroy();
  }
}

/** The first page as printed, as a PNG image: what a phone's camera sees of the paper. */
export async function pagePicture(data: Buffer): Promise<Buffer> {
  const parser = new PDFParse({ data });
  try {
    const { pages } = await parser.getScreenshot({ scale: 2, first: 1, imageBuffer: true, imageDataUrl: false });
    return Buffer.from(pages[0].data);
  } finally {
    await parser.destroy();
  }
}

/** The text of the QR code in a PNG image, or undefined when none is found. */
export function decodeQr(png: Buffer): string | undefined {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
}

/** Runs `npm run verify-certificate -- <args>` as a user at an English terminal would, without npm's own output. */
export function verifyCommand(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  return verifyCommandAt(ENGLISH_TERMINAL, ...args);
}

/** The same at a terminal with the given locale settings. */
export function verifyCommandAt(
  locale: Record<string, string>,
  ...args: string[]
): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/verifyCertificate.ts', ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...locale },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}
