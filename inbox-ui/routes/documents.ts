/**
 * The files handed in with an application (records/documents.ts): the API's upload, whose reference an application
 * then names as any other, and a case's document shown inline to those who may see the case and its candidate.
 *
 * A document is served only when the case's application lists its hash; anyone else, and any other hash, gets the
 * 404 of a case that is not there, whether or not the file or the case exists. The bytes are hashed again as read: a
 * file that no longer matches the fingerprint the case recorded is reported, never shown. It is served so that nothing
 * in it can run: its stored type (judged from its bytes when it was taken), `nosniff`, a sandboxing policy, inline
 * with a name of the document's kind.
 */
import { Router } from 'express';
import type { DocumentKind } from '../../domain/application';
import { message, type Message } from '../../domain/messages';
import {
  type DocumentMediaType,
  type DocumentRefusal,
  documentReference,
  EXTENSIONS,
  hashOfReference,
  MAX_DOCUMENT_SIZE,
  readDocument,
  storeDocument,
} from '../../records/documents';
import type { AppDeps } from '../app';
import { mayIntakeFor, rightToPersonalData } from '../auth/access';
import { requireUser, userOf } from '../auth/session';
import { apiUpload } from '../documentUpload';
import { tOf } from '../language';
import { messageText } from '../messageText';
import { caseShown } from '../personalDataShown';
import { logOf } from '../requestLog';
import { visibleCase } from '../taskActions';
import { HttpError } from '../temporalErrors';

/** How a page names a stored file's type. */
export const TYPE_NAMES: Record<DocumentMediaType, string> = {
  'application/pdf': 'PDF',
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
};

/** Why a file is refused, on its field. */
export function uploadRefusal(refusal: DocumentRefusal): Message {
  return refusal === 'size'
    ? message('intake:upload.tooLarge', { limit: MAX_DOCUMENT_SIZE })
    : message('intake:upload.notAType');
}

/**
 * What a served document may do: nothing. `sandbox` gives it an origin of its own with no scripts, forms or plugins'
 * reach into the site; it loads nothing but itself.
 */
export const DOCUMENT_POLICY = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'";

export function documentsRouter(deps: AppDeps): Router {
  const router = Router();
  const now = deps.now ?? (() => new Date());

  router.get('/cases/:number/documents/:sha256', requireUser, async (req, res) => {
    const user = userOf(res);
    const t = tOf(res);
    const number = String(req.params.number);
    const sha256 = String(req.params.sha256);
    // One answer for every document this user may not have: no such case, another station's, or a hash it lacks.
    const hidden = new HttpError(404, t('case:document.none', { number }));
    const view = await visibleCase(deps.client, user, number, t).catch((error: unknown) => {
      throw error instanceof HttpError && error.status === 404 ? hidden : error;
    });
    const listed = view.application.documents.find((doc) => hashOfReference(doc.reference) === sha256);
    // The file shows the person: only to those whose work needs the person, and not after the retention removal.
    const { name, idNumber } = view.application.candidate;
    if (!listed || !rightToPersonalData(user, view) || (!name && !idNumber)) throw hidden;
    const stored = await readDocument(deps.db, sha256);
    if (!stored) throw hidden;
    if (!stored.intact) {
      logOf(res).error(
        { applicationNumber: number, sha256, kind: listed.kind },
        'a stored document no longer matches the hash its case recorded',
      );
      res.status(500).render('error', {
        title: t('case:document.damagedTitle'),
        message: t('case:document.damaged', { number, sha256 }),
      });
      return;
    }
    await caseShown(deps, user, view, 'case-document');
    res.set({
      'Content-Type': stored.mediaType,
      'Content-Disposition': `inline; filename="${listed.kind satisfies DocumentKind}.${EXTENSIONS[stored.mediaType]}"`,
      'Content-Security-Policy': DOCUMENT_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
    });
    res.send(stored.bytes);
  });

  router.post('/api/documents', requireUser, async (req, res) => {
    const user = userOf(res);
    const t = tOf(res);
    if (mayIntakeFor(user).length === 0) throw new HttpError(403, t('intake:onlyClerks'));
    const refuse = (said: Message) =>
      new HttpError(422, t('intake:upload.refused'), { fields: { file: messageText(t, said) } });
    // The document allows the one part: any other is refused by name, not quietly dropped.
    const others = Object.keys((req.body ?? {}) as object);
    if (others.length > 0) {
      const fields = Object.fromEntries(others.map((name) => [name, t('common:validation.notAField')]));
      throw new HttpError(422, t('intake:upload.refused'), { fields });
    }
    const upload = apiUpload(req);
    if (!upload) throw refuse(message('intake:upload.missing'));
    if (!upload.ok) throw refuse(uploadRefusal(upload.refusal));
    const stored = await storeDocument(deps.db, upload.bytes, now());
    res.status(201).json({ reference: documentReference(stored.sha256), ...stored });
  });

  return router;
}
