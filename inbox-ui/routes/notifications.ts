/**
 * The notification log: with no SMTP server configured, this is where people read their notices. Each person sees
 * the notices sent to their groups; administrators see all. `?recipient=station-a:reviewers` narrows it to one group.
 */
import { Router } from 'express';
import type { AppDeps } from '../app';
import { isAdministrator } from '../auth/access';
import { requireUser, userOf } from '../auth/session';

const PAGE = 50;

export function notificationsRouter({ db }: AppDeps): Router {
  const router = Router();
  router.get('/', requireUser, async (req, res) => {
    const user = userOf(res);
    const recipient = typeof req.query.recipient === 'string' && req.query.recipient ? req.query.recipient : undefined;
    let query = db.selectFrom('notifications').selectAll().orderBy('id', 'desc').limit(PAGE);
    if (!isAdministrator(user)) query = query.where('recipient', 'in', user.roles);
    if (recipient) query = query.where('recipient', '=', recipient);
    res.render('notifications', { title: 'Notifications', recipient, notices: await query.execute() });
  });
  return router;
}
