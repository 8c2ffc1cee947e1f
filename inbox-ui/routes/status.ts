/**
 * `/` sends people where their work is: the inbox when signed in, the sign-in page otherwise. `/status` is the
 * administrators' view of the engine: its cases from Temporal's visibility store, and the newest notices.
 */
import { Router } from 'express';
import type { AppDeps } from '../app';
import { authOf, requireAdministrator, requireUser } from '../auth/session';
import { listCases } from '../caseList';

export function statusRouter({ client, db, temporalUiUrl, namespace }: AppDeps): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.redirect(303, authOf(res) ? '/inbox' : '/login');
  });
  router.get('/status', requireUser, requireAdministrator, async (_req, res) => {
    const [cases, notices] = await Promise.all([
      listCases(client, { limit: 50 }),
      db.selectFrom('notifications').selectAll().orderBy('id', 'desc').limit(10).execute(),
    ]);
    res.render('status', { title: 'Engine status', temporalUiUrl, namespace, cases, notices });
  });
  return router;
}
