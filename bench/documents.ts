/**
 * `npm run bench -- --only documents`: what printing a certificate costs, alone. Certificates are rendered when the
 * printer asks for them (inbox-ui/routes/printing.ts), so this is the web server's CPU per download, not a case's.
 *
 * It numbers and seals N certificates in a registry of its own, then renders each as the download does
 * (certificatePdfBytes), with the CJK font parsed once per process (activities/cjkFont.ts). Beside it, in the same
 * run, what each document paid before that: pdfkit parsing the 10 MB font for the document and measuring the
 * certificate's text in it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { certificatePdfBytes } from '../activities/certificateDocument';
import { createCertificateActivities } from '../activities/certificates';
import { loadCjkFont } from '../activities/cjkFont';
import { loadSealKeys } from '../activities/seal';
import { Level } from '../domain/levels';
import { openDatabase } from '../records/database';
import { seedDemoOrganisations } from '../records/demoProvince';

export interface DocumentFigures {
  certificates: number;
  /** CPU of this process per certificate rendered, the font already parsed. */
  cpuMsPerCertificate: number;
  /** CPU of parsing the font for one document and laying the certificate's text out in it. */
  cpuMsFontParsePerDocument: number;
  /** Bytes of one certificate. */
  bytes: number;
}

const TEXT = ['职业技能等级证书', 'Skill-Level Certificate', '张伟明', '电工 Electrician', '四级/中级工', '居民身份证'];

export async function benchDocuments(certificates = 50): Promise<DocumentFigures> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'qualiflow-bench-documents-'));
  const db = await openDatabase(path.join(dir, 'qualiflow.db'));
  await seedDemoOrganisations(db);
  try {
    const seal = loadSealKeys(path.join(dir, 'keys'), () => {});
    const activities = createCertificateActivities({ db, seal, format: 'skill-level' });
    const numbers: string[] = [];
    for (let i = 0; i < certificates + 1; i++) {
      const content = { level: Level.Intermediate, stationId: 'station-a', issuedOn: '2026-03-02' };
      const { number } = await activities.assignCertificateNumber({ applicationNumber: `B-${i}`, ...content });
      await activities.sealCertificate({
        ...content,
        number,
        holderName: `张伟${'明华军芳'[i % 4]}`,
        idType: 'resident-id',
        idNumber: '11010519491231002X',
        occupation: '电工 Electrician',
      });
      numbers.push(number);
    }
    const deps = { db, seal, publicUrl: 'https://verify.example.org' };
    loadCjkFont();
    // The first one warms the compiler and the font's caches.
    const { pdf } = await certificatePdfBytes(deps, { number: numbers.shift()! });
    const rendering = await cpuPer(numbers.length, async (i) => {
      await certificatePdfBytes(deps, { number: numbers[i] });
    });
    const fontBytes = readFileSync(loadCjkFont().file);
    const parsing = await cpuPer(certificates, async () => {
      const doc = new PDFDocument({ autoFirstPage: false }).font(fontBytes);
      for (const text of TEXT) doc.widthOfString(text);
    });
    return {
      certificates,
      cpuMsPerCertificate: rendering,
      cpuMsFontParsePerDocument: parsing,
      bytes: pdf.length,
    };
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function cpuPer(times: number, work: (i: number) => Promise<void>): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < times; i++) await work(i);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / times;
}

export function printDocumentFigures(figures: DocumentFigures): void {
  const ms = (value: number) => value.toFixed(1);
  console.log(`\nCertificates rendered for download (${figures.certificates}, one after another):`);
  console.log(`  CPU per certificate, the font parsed once per process: ${ms(figures.cpuMsPerCertificate)} ms`);
  console.log(
    `  CPU each document would add by parsing the font for itself: ${ms(figures.cpuMsFontParsePerDocument)} ms ` +
      `(${ms(figures.cpuMsPerCertificate + figures.cpuMsFontParsePerDocument)} ms per certificate that way)`,
  );
  console.log(`  one certificate: ${Math.round(figures.bytes / 1024)} KB`);
}
