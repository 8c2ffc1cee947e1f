/**
 * The number beside "Inbox" in the menu: the open tasks of the reader's groups (the inbox's "all" view), read once
 * for each page a signed-in person opens from the open-task counters (records/tasks.ts countTasks: a sum over a few
 * small rows, whatever the backlog). The layout reads it as `@root.taskCount`. API calls and form posts (answered
 * with a redirect) are not counted, nor the inbox page, which counts it with its views; the inbox's script keeps it
 * current while the page stays open (GET /api/tasks/changes).
 */
import type { RequestHandler } from 'express';
import type { Db } from '../records/database';
import { countTasks } from '../records/tasks';
import { authOf, isApi } from './auth/session';

export function menuTaskCount(db: Db): RequestHandler {
  return async (req, res, next) => {
    const user = authOf(res)?.user;
    // The inbox page counts each of its views, this one among them, in a statement of its own.
    if (user && req.method === 'GET' && !isApi(req.path) && req.path !== '/inbox') {
      res.locals.taskCount = await countTasks(db, { groups: user.roles });
    }
    next();
  };
}
