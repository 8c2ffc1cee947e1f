/**
 * The certificate as a document: one A4 page with the fields DOMAIN.md lists, a QR code pointing at the public
 * verification page, and the seal. The sealed content and its signature also travel inside the PDF as an attached
 * JSON file (`qualiflow-seal.json`), so the file verifies offline with nothing but the public key.
 *
 * Rendering is deterministic: the creation date is the issue date, pdfkit derives the file ID from the document info,
 * and the font is the one file a pinned npm package ships, so rendering the same certificate twice, on this machine or
 * another with the same node_modules, writes the same bytes.
 */
import { createHash, type KeyObject, verify } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { ApplicationFailure, Context } from '@temporalio/activity';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { certificateNumberMistake } from '../domain/certificateNumber';
import { englishText } from '../domain/englishText';
import type { IdType } from '../domain/idNumber';
import { isLevel, levelTitle, levelTitleZh } from '../domain/levels';
import type { Db } from '../records/database';
import type { CertificateContent } from './certificates';
import { useCjkFont } from './cjkFont';
import { verifySeal, type SealKeys } from './seal';

/** What rendering a sealed certificate reads: the worker's activity and the web app's download both have it. */
export interface CertificatePdfDeps {
  db: Db;
  seal: SealKeys;
  /** The public web app's base address; the QR code points at `${publicUrl}/verify/<number>`. */
  publicUrl: string;
}

export interface CertificateDocumentDeps extends CertificatePdfDeps {
  outputDir: string;
}

export interface RenderCertificateInput {
  number: string;
  /** The application's photo document reference; the certificate prints it in the photo box. Not part of the seal. */
  photoReference?: string;
}

/** What the PDF carries for offline verification; `content` is the exact canonical text that was signed. */
export interface EmbeddedSeal {
  format: typeof SEAL_FORMAT;
  algorithm: 'Ed25519';
  number: string;
  content: string;
  keyId: string;
  signature: string;
  /** SHA-256 of the signing key's public key (SPKI DER), hex; tells a wrong key from a tampered content. */
  publicKeyFingerprint?: string;
}

export const SEAL_FORMAT = 'qualiflow-certificate-seal/1';
export const SEAL_ATTACHMENT = 'qualiflow-seal.json';

export function verificationUrl(publicUrl: string, number: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/verify/${number}`;
}

export function createCertificateDocumentActivities({ outputDir, ...deps }: CertificateDocumentDeps) {
  return {
    async renderCertificate(input: RenderCertificateInput): Promise<{ path: string; sha256: string }> {
      // Rendering with a CJK font takes a while on a busy machine: each step tells Temporal this worker is alive, so a
      // worker that died mid-render is noticed after the heartbeat timeout instead of the whole start-to-close one.
      heartbeat();
      const { number, pdf } = await certificatePdfBytes(deps, input);
      heartbeat();
      mkdirSync(outputDir, { recursive: true });
      const file = path.join(outputDir, `${number}.pdf`);
      // Written once: a retry finds the same bytes; a partial write never takes the final name.
      if (!existsSync(file) || !readFileSync(file).equals(pdf)) {
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, pdf);
        renameSync(tmp, file);
      }
      return { path: file, sha256: createHash('sha256').update(pdf).digest('hex') };
    },
  };
}

/**
 * A sealed certificate's PDF, in memory, from the content its seal covers. The worker's activity writes these bytes to
 * its file and the web app sends them as the download, so both are the same document by construction. Refuses (as a
 * non-retryable ApplicationFailure) a number that is malformed, unknown, unsealed, or whose content fails its seal.
 */
export async function certificatePdfBytes(
  { db, seal, publicUrl }: CertificatePdfDeps,
  input: RenderCertificateInput,
): Promise<{ number: string; pdf: Buffer }> {
  const mistake = certificateNumberMistake(input.number);
  // Read by the operator, in the worker's log and the case's history: English, as the SDK's own errors are.
  if (mistake)
    throw ApplicationFailure.nonRetryable(`Not a certificate number: ${englishText(mistake)}`, 'InvalidInput');
  const number = input.number.trim().toUpperCase();
  const row = await db
    .selectFrom('certificates')
    .select(['content', 'key_id', 'signature'])
    .where('number', '=', number)
    .executeTakeFirst();
  if (!row) throw ApplicationFailure.nonRetryable(`Certificate ${number} was never numbered`, 'InvalidInput');
  if (!row.content || !row.key_id || !row.signature)
    throw ApplicationFailure.nonRetryable(`Certificate ${number} is not sealed yet`, 'InvalidInput');
  const stamp = { keyId: row.key_id, signature: row.signature };
  // A certificate whose stored content no longer matches its seal must not be printed as genuine.
  if (!verifySeal(seal, row.content, stamp))
    throw ApplicationFailure.nonRetryable(
      `Certificate ${number}: the stored content does not match its seal (key ${stamp.keyId})`,
      'InvalidSeal',
    );
  const content = JSON.parse(row.content) as CertificateContent;
  if (content.number !== number)
    throw ApplicationFailure.nonRetryable(
      `Certificate ${number}: the sealed content is for certificate ${content.number}`,
      'InvalidSeal',
    );
  const publicKey = seal.publicKeys.get(stamp.keyId);
  const embedded: EmbeddedSeal = {
    format: SEAL_FORMAT,
    algorithm: 'Ed25519',
    number,
    content: row.content,
    ...stamp,
    publicKeyFingerprint: publicKey && publicKeyFingerprint(publicKey),
  };
  const pdf = await renderPdf({
    content,
    embedded,
    url: verificationUrl(publicUrl, number),
    photoReference: input.photoReference,
  });
  return { number, pdf };
}

/** Outside an activity (the document tests call the renderer directly) there is nobody to tell. */
function heartbeat(): void {
  try {
    Context.current().heartbeat();
  } catch {
    // Not in an activity.
  }
}

export function publicKeyFingerprint(key: KeyObject): string {
  return createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

// ---- The page ----

const ID_TYPES: Record<IdType, { zh: string; en: string }> = {
  'resident-id': { zh: '居民身份证', en: 'Resident identity card' },
  passport: { zh: '护照', en: 'Passport' },
  'residence-permit': { zh: '居住证', en: 'Residence permit' },
};

const A4: [number, number] = [595.28, 841.89];
const INK = '#1b1f24';
const GREY = '#57606a';

/**
 * The QR code as filled rectangles, one per run of dark modules in a row, inside a quiet zone of two modules. Drawn,
 * not embedded as a picture: it prints sharp at any size, and costs no PNG to encode and decode for every certificate.
 */
function drawQrCode(doc: PDFKit.PDFDocument, text: string, box: { x: number; y: number; size: number }): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const quiet = 2;
  const unit = box.size / (modules.size + 2 * quiet);
  doc.save().fillColor('#000000');
  for (let row = 0; row < modules.size; row++) {
    let column = 0;
    while (column < modules.size) {
      if (!modules.get(row, column)) {
        column++;
        continue;
      }
      const start = column;
      while (column < modules.size && modules.get(row, column)) column++;
      doc.rect(box.x + (start + quiet) * unit, box.y + (row + quiet) * unit, (column - start) * unit, unit);
    }
  }
  doc.fill().restore();
}

async function renderPdf(input: {
  content: CertificateContent;
  embedded: EmbeddedSeal;
  url: string;
  photoReference?: string;
}): Promise<Buffer> {
  const { content, embedded, url } = input;
  const issued = new Date(`${content.issuedOn}T00:00:00Z`);
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    lang: 'zh-CN',
    info: {
      Title: `Skill-level certificate ${embedded.number}`,
      Subject: 'Skill-level certificate',
      Creator: 'Qualiflow',
      CreationDate: Number.isNaN(issued.getTime()) ? new Date(0) : issued,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  // One face for titles, labels and values: a bold face would be a second 10 MB font to load and subset.
  const body = 'body';
  useCjkFont(doc, body);
  const [width, height] = A4;

  doc
    .lineWidth(1.5)
    .strokeColor('#7a5c1e')
    .rect(24, 24, width - 48, height - 48)
    .stroke();
  doc
    .lineWidth(0.5)
    .rect(30, 30, width - 60, height - 60)
    .stroke();
  doc.fillColor(INK);

  let y = 62;
  doc.font(body).fontSize(28).text('职业技能等级证书', 0, y, { width, align: 'center' });
  y += 42;
  doc.font(body).fontSize(15).text('Skill-Level Certificate', 0, y, { width, align: 'center' });
  y += 40;

  const photo = { x: width - 62 - 99, y, w: 99, h: 139 };
  doc.lineWidth(0.75).strokeColor(GREY).rect(photo.x, photo.y, photo.w, photo.h).stroke();
  doc
    .font(body)
    .fontSize(9)
    .fillColor(GREY)
    .text('照片 Photo', photo.x, photo.y + photo.h / 2 - 6, { width: photo.w, align: 'center' });
  doc.fontSize(6.5).text(input.photoReference ?? 'see the application file', photo.x, photo.y + photo.h + 4, {
    width: photo.w,
    align: 'center',
    height: 30,
    ellipsis: true,
  });

  const level = isLevel(content.level) ? content.level : undefined;
  const idType = ID_TYPES[content.idType] ?? { zh: '', en: String(content.idType) };
  const rows: { zh: string; en: string; value: string; sub?: string }[] = [
    { zh: '姓名', en: 'Name', value: content.holderName },
    { zh: '证件类型', en: 'ID type', value: idType.zh, sub: idType.en },
    { zh: '证件号码', en: 'ID number', value: content.idNumber },
    { zh: '职业（工种）', en: 'Occupation', value: content.occupation },
    { zh: '专业', en: 'Specialty', value: content.specialty || '--' },
    {
      zh: '等级',
      en: 'Level',
      value: level ? levelTitleZh(level) : String(content.level),
      sub: level ? levelTitle(level) : undefined,
    },
    { zh: '证书编号', en: 'Certificate number', value: embedded.number },
    { zh: '发证机构', en: 'Issuing institution', value: content.stationId },
    { zh: '发证日期', en: 'Date of issue', value: content.issuedOn },
  ];
  const labelX = 62;
  const valueX = 190;
  const valueWidth = photo.x - 12 - valueX;
  for (const row of rows) {
    const top = y;
    doc
      .font(body)
      .fontSize(10.5)
      .fillColor(INK)
      .text(row.zh, labelX, y, { width: valueX - labelX - 8 });
    doc
      .fontSize(7.5)
      .fillColor(GREY)
      .text(row.en, labelX, doc.y + 1, { width: valueX - labelX - 8 });
    const labelBottom = doc.y;
    doc.font(body).fontSize(13).fillColor(INK).text(row.value, valueX, top, { width: valueWidth });
    if (row.sub)
      doc
        .font(body)
        .fontSize(9)
        .fillColor(GREY)
        .text(row.sub, valueX, doc.y + 1, { width: valueWidth });
    y = Math.max(labelBottom, doc.y) + 11;
  }

  const qrSize = 118;
  const qrTop = Math.max(y + 30, 520);
  drawQrCode(doc, url, { x: labelX, y: qrTop, size: qrSize });
  const textX = labelX + qrSize + 18;
  const textWidth = width - 62 - textX;
  doc
    .font(body)
    .fontSize(10)
    .fillColor(INK)
    .text('扫描二维码或访问以下地址查验本证书', textX, qrTop + 18, { width: textWidth });
  doc
    .fontSize(8)
    .fillColor(GREY)
    .text('to verify this certificate', textX, doc.y + 1, { width: textWidth });
  doc
    .font('Courier')
    .fontSize(9.5)
    .fillColor(INK)
    .text(url, textX, doc.y + 8, { width: textWidth });

  const sealTop = qrTop + qrSize + 22;
  doc
    .lineWidth(0.5)
    .strokeColor(GREY)
    .moveTo(labelX, sealTop)
    .lineTo(width - 62, sealTop)
    .stroke();
  doc
    .font(body)
    .fontSize(8.5)
    .fillColor(INK)
    .text('电子印章 Electronic seal (Ed25519)', labelX, sealTop + 8);
  doc
    .font('Courier')
    .fontSize(7)
    .fillColor(GREY)
    .text(`Key ${embedded.keyId}`, labelX, doc.y + 2)
    .text(`Signature ${embedded.signature}`, labelX, doc.y + 1, { width: width - 62 - labelX });

  // Stored uncompressed: the seal data stays readable with any tool, and a changed byte is a changed content.
  const compress = doc.compress;
  doc.compress = false;
  doc.file(Buffer.from(`${JSON.stringify(embedded, null, 2)}\n`), {
    name: SEAL_ATTACHMENT,
    type: 'application/json',
    description: 'Sealed certificate content and its Ed25519 signature',
    creationDate: issued,
    modifiedDate: issued,
  });
  doc.compress = compress;
  doc.end();
  return done;
}

// ---- Reading the seal back ----

export class SealDataError extends Error {}

/**
 * The seal data attached to a certificate PDF, or undefined when the file carries none. Reads the attachment the way
 * `renderCertificate` writes it (the last revision wins, as in an incrementally updated PDF); throws SealDataError
 * when the file is not a PDF or the attachment is damaged.
 */
export function readEmbeddedSeal(pdf: Buffer): EmbeddedSeal | undefined {
  if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') throw new SealDataError('not a PDF file');
  const text = pdf.toString('latin1');
  const name = SEAL_ATTACHMENT.replace(/\./g, '\\.');
  const specs = [
    ...text.matchAll(new RegExp(`/F\\s*\\(${name}\\)[\\s\\S]{0,400}?/EF\\s*<<\\s*/F\\s+(\\d+)\\s+(\\d+)\\s+R`, 'g')),
  ];
  if (specs.length === 0) return undefined;
  const [, id, gen] = specs[specs.length - 1];
  const objects = [...text.matchAll(new RegExp(`(?:^|[\\r\\n])${id}\\s+${gen}\\s+obj\\b`, 'g'))];
  if (objects.length === 0) throw new SealDataError(`the seal data object ${id} is missing`);
  const start = objects[objects.length - 1].index!;
  const streamAt = text.indexOf('stream', start);
  if (streamAt < 0) throw new SealDataError('the seal data has no stream');
  const dict = text.slice(start, streamAt);
  const length = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(dict);
  let dataStart = streamAt + 'stream'.length;
  if (text[dataStart] === '\r') dataStart++;
  if (text[dataStart] === '\n') dataStart++;
  const dataEnd = length ? dataStart + Number(length[1]) : text.indexOf('endstream', dataStart);
  let data = pdf.subarray(dataStart, dataEnd);
  if (/\/Filter\s*\/FlateDecode/.test(dict)) {
    try {
      data = inflateSync(data);
    } catch (error) {
      throw new SealDataError(`the seal data cannot be decompressed (${(error as Error).message})`);
    }
  }
  let parsed: Partial<EmbeddedSeal>;
  try {
    parsed = JSON.parse(data.toString('utf8')) as Partial<EmbeddedSeal>;
  } catch (error) {
    throw new SealDataError(`the seal data is not JSON (${(error as Error).message})`);
  }
  if (parsed.format !== SEAL_FORMAT)
    throw new SealDataError(`unknown seal data format ${JSON.stringify(parsed.format)}`);
  for (const field of ['number', 'content', 'keyId', 'signature'] as const)
    if (typeof parsed[field] !== 'string' || !parsed[field]) throw new SealDataError(`the seal data lacks ${field}`);
  return parsed as EmbeddedSeal;
}

/** Whether `key` made the embedded signature over the embedded content. */
export function signatureMatches(embedded: EmbeddedSeal, key: KeyObject): boolean {
  try {
    return verify(null, Buffer.from(embedded.content), key, Buffer.from(embedded.signature, 'base64'));
  } catch {
    return false;
  }
}
