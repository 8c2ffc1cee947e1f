/**
 * The notification log: with no SMTP server configured, this is where approvers and candidates' stations read the
 * notices. `?recipient=station-a:reviewers` narrows it to one group.
 */
import { Router } from 'express';
import type { AppDeps } from '../app';

const PAGE = 50;

export function notificationsRouter({ db }: AppDeps): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const recipient = typeof req.query.recipient === 'string' && req.query.recipient ? req.query.recipient : undefined;
    let query = db.selectFrom('notifications').selectAll().orderBy('id', 'desc').limit(PAGE);
    if (recipient) query = query.where('recipient', '=', recipient);
    res.render('notifications', { title: 'Notifications', recipient, notices: await query.execute() });
  });
  return router;
}
