/**
 * The files handed in at intake, kept content-addressed: a file's key is the SHA-256 of its bytes, so the same file
 * handed in twice is one row, and a case's application names it by that hash (`sha256:<hex>`, the workflow's input),
 * which also says whether the bytes read back are still the ones the case recorded. In the application database
 * (migration 0024), so that every web server sharing it serves the same files.
 *
 * What a file is, is judged by its first bytes, never by its name: a PDF, a JPEG or a PNG, nothing else (no HTML, no
 * SVG, nothing a browser would run).
 */
import { createHash } from 'node:crypto';
import type { Db } from './database';

/** The largest file intake takes. */
export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;

/** The limit as people read it. */
export const MAX_DOCUMENT_SIZE = '5 MB';

export const DOCUMENT_MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type DocumentMediaType = (typeof DOCUMENT_MEDIA_TYPES)[number];

/** The file name's ending for a type, for the name a served file is given. */
export const EXTENSIONS: Record<DocumentMediaType, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
};

const MAGIC: [DocumentMediaType, number[]][] = [
  ['application/pdf', [...Buffer.from('%PDF-', 'latin1')]],
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
];

/** The type the bytes begin with; undefined for anything else, whatever the file is called. */
export function mediaTypeOf(bytes: Uint8Array): DocumentMediaType | undefined {
  return MAGIC.find(([, magic]) => magic.length <= bytes.length && magic.every((byte, i) => bytes[i] === byte))?.[0];
}

/** Why a file is not taken: its content is none of the types, or it is larger than MAX_DOCUMENT_BYTES. */
export type DocumentRefusal = 'type' | 'size';

/** What intake takes: the type judged from the content, or why not. */
export function judgeDocument(
  bytes: Uint8Array,
): { ok: true; mediaType: DocumentMediaType } | { ok: false; refusal: DocumentRefusal } {
  if (bytes.length > MAX_DOCUMENT_BYTES) return { ok: false, refusal: 'size' };
  const mediaType = mediaTypeOf(bytes);
  return mediaType ? { ok: true, mediaType } : { ok: false, refusal: 'type' };
}

export const sha256Of = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const REFERENCE = /^sha256:([0-9a-f]{64})$/;

/** How an application names a stored file. */
export const documentReference = (sha256: string): string => `sha256:${sha256}`;

/** The hash a reference names, when it names a stored file (`sha256:<64 hex>`); else undefined (a typed reference). */
export function hashOfReference(reference: string): string | undefined {
  return REFERENCE.exec(reference)?.[1];
}

export interface StoredDocument {
  sha256: string;
  mediaType: DocumentMediaType;
  size: number;
}

/**
 * Stores the file under its hash; the same bytes again find their row and change nothing. Throws for a file intake
 * does not take (the caller refuses those first, with judgeDocument, and says why on the field).
 */
export async function storeDocument(db: Db, bytes: Uint8Array, now = new Date()): Promise<StoredDocument> {
  const judged = judgeDocument(bytes);
  if (!judged.ok) throw new Error(`not a document intake takes (${judged.refusal})`);
  const sha256 = sha256Of(bytes);
  await db
    .insertInto('documents')
    .values({
      sha256,
      media_type: judged.mediaType,
      size: bytes.length,
      bytes: Buffer.from(bytes),
      created_at: now.toISOString(),
    })
    .onConflict((conflict) => conflict.column('sha256').doNothing())
    .execute();
  return { sha256, mediaType: judged.mediaType, size: bytes.length };
}

/** What is known of a stored file without reading its bytes (the intake form's "received"); undefined if none. */
export async function describeDocument(db: Db, sha256: string): Promise<StoredDocument | undefined> {
  const row = await db
    .selectFrom('documents')
    .select(['sha256', 'media_type', 'size'])
    .where('sha256', '=', sha256)
    .executeTakeFirst();
  return row && { sha256: row.sha256, mediaType: row.media_type as DocumentMediaType, size: Number(row.size) };
}

/** Which of these hashes have a stored file. */
export async function storedHashes(db: Db, hashes: readonly string[]): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  const rows = await db
    .selectFrom('documents')
    .select('sha256')
    .where('sha256', 'in', [...hashes])
    .execute();
  return new Set(rows.map((row) => row.sha256));
}

export interface ReadDocument extends StoredDocument {
  bytes: Buffer;
  /** Whether the bytes read still hash to their key: a file that no longer does must be reported, never shown. */
  intact: boolean;
}

/** The stored file, its bytes hashed again as read; undefined if there is none. */
export async function readDocument(db: Db, sha256: string): Promise<ReadDocument | undefined> {
  const row = await db.selectFrom('documents').selectAll().where('sha256', '=', sha256).executeTakeFirst();
  if (!row) return undefined;
  const bytes = Buffer.from(row.bytes);
  return {
    sha256: row.sha256,
    mediaType: row.media_type as DocumentMediaType,
    size: Number(row.size),
    bytes,
    intact: sha256Of(bytes) === row.sha256,
  };
}

/** A size as people read it: `812 B`, `34.5 KB`, `2.1 MB`. */
export function sizeInWords(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / (1024 * 1024)).toFixed(1)} MB`;
}
