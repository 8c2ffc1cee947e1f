/**
 * Reading the files a clerk hands in: the intake form's one file per document (`upload.<kind>`) and the API's one
 * (`file`), in memory. A file over the limit (records/documents.ts MAX_DOCUMENT_BYTES) must be refused on its field
 * with the rest of the form still read, so the reader keeps its first bytes past the limit only as a mark and drains
 * the rest, rather than failing the whole body as multer's own limit does. That limit stays, far above, for a request
 * that never ends: it answers 413 naming the documents' limit.
 */
import type { Request, RequestHandler } from 'express';
import multer, { MulterError, type StorageEngine } from 'multer';
import type { DocumentKind } from '../domain/application';
import { DOCUMENT_KINDS } from '../domain/validateApplication';
import { type DocumentRefusal, judgeDocument, MAX_DOCUMENT_BYTES, MAX_DOCUMENT_SIZE } from '../records/documents';
import { readerTOf } from './language';
import { HttpError } from './temporalErrors';

/** What the reader keeps of a file: its bytes when within the limit, else only that it was too large. */
interface KeptFile {
  buffer: Buffer;
  size: number;
  tooLarge: boolean;
}

/** A file as a route reads it: taken, with its type judged from the bytes, or refused and why. */
export type Upload = { ok: true; bytes: Buffer } | { ok: false; refusal: DocumentRefusal };

/** The field of the intake form that carries a document's file. */
export const uploadField = (kind: DocumentKind): string => `upload.${kind}`;

/** A request that streams on far past any document: refused whole rather than read for ever. */
const REQUEST_CAP = 8 * MAX_DOCUMENT_BYTES;

const boundedMemory: StorageEngine = {
  _handleFile(_req, file, callback) {
    const chunks: Buffer[] = [];
    let size = 0;
    file.stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_DOCUMENT_BYTES) chunks.push(chunk);
    });
    file.stream.on('error', callback);
    file.stream.on('end', () => {
      const tooLarge = size > MAX_DOCUMENT_BYTES;
      const kept: KeptFile = { buffer: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), size, tooLarge };
      callback(null, kept);
    });
  },
  _removeFile(_req, file, callback) {
    (file as Partial<KeptFile>).buffer = undefined;
    callback(null);
  },
};

/** Multer's own limits as the reader's refusal: a request too large to read at all. */
function refuseOversized(parser: RequestHandler): RequestHandler {
  return (req, res, next) =>
    parser(req, res, (error?: unknown) => {
      if (error instanceof MulterError && error.code === 'LIMIT_FILE_SIZE') {
        return next(new HttpError(413, readerTOf(res)('intake:upload.tooLarge', { limit: MAX_DOCUMENT_SIZE })));
      }
      next(error);
    });
}

const reader = multer({ storage: boundedMemory, limits: { fileSize: REQUEST_CAP, files: DOCUMENT_KINDS.length } });

/** The intake form's files, one per document kind. */
export const intakeUploads: RequestHandler = refuseOversized(
  reader.fields(DOCUMENT_KINDS.map((kind) => ({ name: uploadField(kind), maxCount: 1 }))),
);

/** The API's one file, in the field `file`. */
export const singleUpload: RequestHandler = refuseOversized(reader.single('file'));

type Received = Express.Multer.File & KeptFile;

/** A received file judged, or undefined when the field was left empty (a browser sends a nameless, empty part). */
function judged(file: Received | undefined): Upload | undefined {
  if (!file || (file.size === 0 && !file.originalname)) return undefined;
  if (file.tooLarge) return { ok: false, refusal: 'size' };
  const judgement = judgeDocument(file.buffer);
  return judgement.ok ? { ok: true, bytes: file.buffer } : judgement;
}

/** The intake form's files by document kind: only the fields a file was chosen for. */
export function formUploads(req: Request): Partial<Record<DocumentKind, Upload>> {
  const files = (req.files ?? {}) as Record<string, Received[] | undefined>;
  const uploads: Partial<Record<DocumentKind, Upload>> = {};
  for (const kind of DOCUMENT_KINDS) {
    const upload = judged(files[uploadField(kind)]?.[0]);
    if (upload) uploads[kind] = upload;
  }
  return uploads;
}

/** The API's file, or undefined when none was sent. */
export const apiUpload = (req: Request): Upload | undefined => judged(req.file as Received | undefined);
