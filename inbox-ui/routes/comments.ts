/**
 * The comment thread of a case, on its case page and its task pages: anyone who may see the case reads and writes
 * it. A comment is not a decision: it moves nothing and is not in the case's history. The form carries the
 * comment's id, so a double click writes it once.
 */
import { randomBytes } from 'node:crypto';
import { Router, type Request } from 'express';
import type { TFunction } from 'i18next';
import { readableText } from '../../domain/text';
import { addComment, commentsOf } from '../../records/comments';
import type { AppDeps } from '../app';
import { requireUser, userOf } from '../auth/session';
import type { Db } from '../../records/database';
import { type Flash, setFlash, typedFields } from '../flash';
import { localPath, tOf } from '../language';
import { visibleCase } from '../taskActions';
import { HttpError } from '../temporalErrors';

export const MAX_COMMENT = 2000;
const COMMENT_ID = /^[A-Za-z0-9_-]{16,64}$/;

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
    error: refused?.fields?.body,
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
    const comment = readComment(req, tOf(res));
    await addOnce(deps.db, { ...comment, applicationNumber: number, authorId: userOf(res).id }, tOf(res));
    res.status(201).json({ comments: await commentsOf(deps.db, number) });
  });

  router.post('/cases/:number/comments', requireUser, async (req, res) => {
    const number = String(req.params.number);
    const back = localPath(req.body?.back, `/cases/${encodeURIComponent(number)}`);
    await visibleCase(deps.client, userOf(res), number, tOf(res));
    const t = tOf(res);
    try {
      const comment = readComment(req, t);
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

/** The comment as sent: its id (from the form, or a new one for the API) and its text, checked. */
function readComment(req: Request, t: TFunction): { id: string; body: string; createdAt: string } {
  const raw: unknown = req.body?.body;
  const refuse = (message: string) => {
    throw new HttpError(422, t('comments:refused'), { fields: { body: message } });
  };
  if (typeof raw !== 'string' || !raw.trim()) refuse(t('comments:empty'));
  const checked = readableText(raw as string);
  if ('problem' in checked) return refuse(t(`comments:problem.${checked.problem}`));
  if (checked.text.length > MAX_COMMENT) refuse(t('comments:tooLong', { max: MAX_COMMENT }));
  const id: unknown = req.body?.commentId;
  if (id !== undefined && (typeof id !== 'string' || !COMMENT_ID.test(id))) refuse(t('comments:badId'));
  return { id: (id as string | undefined) ?? newCommentId(), body: checked.text, createdAt: new Date().toISOString() };
}
