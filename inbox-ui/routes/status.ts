/** The front page: is the engine up, what cases are open and where, and the newest notices. */
import { Router } from 'express';
import type { AppDeps } from '../app';
import { listCases } from '../caseList';

export function statusRouter({ client, db, temporalUiUrl, namespace }: AppDeps): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    const [cases, notices] = await Promise.all([
      listCases(client, { limit: 50 }),
      db.selectFrom('notifications').selectAll().orderBy('id', 'desc').limit(10).execute(),
    ]);
    res.render('status', {
      title: 'Qualiflow',
      temporalUiUrl,
      namespace,
      cases,
      notices,
    });
  });
  return router;
}
