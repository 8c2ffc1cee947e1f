/**
 * Locked sign-in names, for administrators: the list (a page and GET /api/admin/accounts/locked) and the unlock (a
 * form and POST /api/admin/accounts/<name>/unlock), which is written to the audit chain. A name locks after too many
 * failed sign-ins in a row (routes/session.ts); names without an account are listed too, marked as such, since
 * someone guessing at them is worth knowing about.
 */
import { Router } from 'express';
import type { AppDeps } from '../app';
import { lockedNames, unlockName } from '../../records/signInFailures';
import { requireAdministrator, requireUser, userOf } from '../auth/session';
import { setFlash, takeFlash } from '../flash';
import { tOf } from '../language';
import { directoryOf } from '../names';
import { HttpError } from '../temporalErrors';

export function accountsRouter({ db, now = () => new Date() }: AppDeps): Router {
  const router = Router();
  router.use(['/admin/accounts', '/api/admin/accounts'], requireUser, requireAdministrator);

  router.get('/admin/accounts', async (req, res) => {
    const t = tOf(res);
    const flash = await takeFlash(req, res);
    const locked = (await lockedNames(db)).map((name) => ({
      ...name,
      unlockPath: `/admin/accounts/${encodeURIComponent(name.username)}/unlock`,
    }));
    res.render('lockedAccounts', { title: t('admin:accounts.title'), flash, locked });
  });

  router.get('/api/admin/accounts/locked', async (_req, res) => {
    res.json({ locked: await lockedNames(db) });
  });

  router.post('/admin/accounts/:username/unlock', async (req, res) => {
    const t = tOf(res);
    const username = String(req.params.username);
    const unlocked = await unlockName(db, username, userOf(res).id, now());
    // The person by name, as the list shows them; a name with no account by itself.
    const person = (await directoryOf(db, t)).person(username);
    await setFlash(res, req, {
      kind: unlocked ? 'ok' : 'error',
      message: t(unlocked ? 'admin:accounts.unlocked' : 'admin:accounts.notLocked', {
        username: person === username ? username : t('admin:accounts.nameAndUsername', { person, username }),
      }),
    });
    res.redirect(303, '/admin/accounts');
  });

  router.post('/api/admin/accounts/:username/unlock', async (req, res) => {
    const t = tOf(res);
    const username = String(req.params.username);
    if (!(await unlockName(db, username, userOf(res).id, now()))) {
      throw new HttpError(409, t('admin:accounts.notLocked', { username }));
    }
    res.json({ message: t('admin:accounts.unlocked', { username }) });
  });
  return router;
}
