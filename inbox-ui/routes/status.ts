/**
 * `/` sends people where their work is: the inbox when signed in, the sign-in page otherwise. `/status` is the
 * administrators' view of the engine: its cases from Temporal's visibility store, and the newest notices.
 */
import { Router } from 'express';
import type { AppDeps } from '../app';
import { authOf, requireAdministrator, requireUser } from '../auth/session';
import { directoryOf } from '../names';
import { listCases } from '../caseList';
import { stageLabel } from '../labels';
import { languageOf, tOf } from '../language';
import { taskName } from '../timeline';
import { noticeRows } from './notifications';

/** What the page suggests to start a first case with; a command, the same in every language. */
const START_COMMAND = 'npm run case -- start examples/application-level5.json';

export function statusRouter({ client, db, temporalUiUrl, namespace, publicUrl = '' }: AppDeps): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.redirect(303, authOf(res) ? '/inbox' : '/login');
  });
  router.get('/status', requireUser, requireAdministrator, async (_req, res) => {
    const t = tOf(res);
    const [cases, notices, directory] = await Promise.all([
      listCases(client, { limit: 50 }),
      db.selectFrom('notifications').selectAll().orderBy('id', 'desc').limit(10).execute(),
      directoryOf(db, t),
    ]);
    res.render('status', {
      title: t('admin:status.title'),
      temporalUiUrl,
      namespace,
      // Where the Web UI decodes payloads (inbox-ui/routes/codec.ts): said here, since the UI shows only ciphertext
      // until an administrator enters it in its codec settings.
      codecEndpoint: `${publicUrl}/codec`,
      startCommand: START_COMMAND,
      cases: cases.map((row) => ({
        ...row,
        stageLabel: row.stage ? stageLabel(t, row.stage) : '',
        openTaskLabels: row.openTasks.map((kind) => taskName(t, kind)),
        statusLabel: t(`admin:status.workflow.${row.status}`, { defaultValue: row.status }),
      })),
      notices: noticeRows(notices, t, languageOf(res), directory),
    });
  });
  return router;
}
