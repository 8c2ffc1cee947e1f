/**
 * The comment thread of a case, on its case page and its task pages: anyone who may see the case reads and writes
 * it. A comment is not a decision: it moves nothing and is not in the case's history. The form carries the
 * comment's id, so a double click writes it once.
 */
import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import type { TFunction } from 'i18next';
import { addComment, commentsOf } from '../../records/comments';
import type { AppDeps } from '../app';
import { requireUser, userOf } from '../auth/session';
import type { Db } from '../../records/database';
import { type Flash, setFlash, typedFields } from '../flash';
import { localPath, tOf } from '../language';
import { visibleCase } from '../taskActions';
import { HttpError } from '../temporalErrors';
import { type Comment, CommentBody } from '../contract/cases';
import { readForm, readJson } from '../contract/read';

/**
 * What the comment form needs: the thread, a fresh id for the next comment, and, after a refused comment, what was
 * typed and why it was refused (from the flash the POST left).
 */
export async function commentThread(db: Db, applicationNumber: string, flash?: Flash) {
  const refused = flash?.about === 'comments' && flash.kind === 'error' ? flash : undefined;
  return {
    comments: await commentsOf(db, applicationNumber),
    nextCommentId: refused?.typed?.commentId ?? newCommentId(),
    typed: refused?.typed?.body ?? '',
    // A damaged id is the form's, not the person's: said beside the text, the only field they see.
    error: refused?.fields?.body ?? refused?.fields?.commentId,
  };
}

export const newCommentId = (): string => randomBytes(18).toString('base64url');

export function commentsRouter(deps: AppDeps): Router {
  const router = Router();

  router.get('/api/cases/:number/comments', requireUser, async (req, res) => {
    const number = String(req.params.number);
    await visibleCase(deps.client, userOf(res), number, tOf(res));
    res.json({ comments: await commentsOf(deps.db, number) });
  });

  router.post('/api/cases/:number/comments', requireUser, async (req, res) => {
    const number = String(req.params.number);
    await visibleCase(deps.client, userOf(res), number, tOf(res));
    const comment = readComment(readJson(CommentBody, req.body, tOf(res), tOf(res)('comments:refused')));
    await addOnce(deps.db, { ...comment, applicationNumber: number, authorId: userOf(res).id }, tOf(res));
    res.status(201).json({ comments: await commentsOf(deps.db, number) });
  });

  router.post('/cases/:number/comments', requireUser, async (req, res) => {
    const number = String(req.params.number);
    const back = localPath(req.body?.back, `/cases/${encodeURIComponent(number)}`);
    await visibleCase(deps.client, userOf(res), number, tOf(res));
    const t = tOf(res);
    try {
      const comment = readComment(readForm(CommentBody, req.body, t, t('comments:refused')));
      await addOnce(deps.db, { ...comment, applicationNumber: number, authorId: userOf(res).id }, t);
      await setFlash(res, req, { kind: 'ok', message: t('comments:added'), about: 'comments' });
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      await setFlash(res, req, {
        kind: 'error',
        message: error.message,
        about: 'comments',
        typed: typedFields(req.body, ['body', 'commentId']),
        fields: error.fields,
      });
    }
    res.redirect(303, `${back}#comments`);
  });
  return router;
}

/** Writes the comment, or finds it written by the same form; an id taken by another comment is refused. */
async function addOnce(db: Db, comment: Parameters<typeof addComment>[1], t: TFunction): Promise<void> {
  if (!(await addComment(db, comment))) throw new HttpError(409, t('comments:idTaken'));
}

/** The comment as read: its id (from the form, or a new one for the API), its text, and now. */
const readComment = ({ body, commentId }: Comment) => ({
  id: commentId ?? newCommentId(),
  body,
  createdAt: new Date().toISOString(),
});
