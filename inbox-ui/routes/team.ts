/**
 * The supervisors' team view: for each group the reader supervises (an `<org>:supervisors` group supervises the
 * other `<org>:*` groups; administrators every group), its members with the open tasks they hold and how many are
 * overdue, and the group's unclaimed and overdue counts. Counted by one grouped query over the task projection, not
 * a query per person. Each held task can be handed to another member of its group from here.
 */
import { Router } from 'express';
import type { TFunction } from 'i18next';
import type { Db } from '../../records/database';
import { listUsers, type User } from '../../records/directory';
import { heldTasks, openCounts } from '../../records/team';
import { ADMINISTRATORS } from '../../workflows/taskRules';
import type { AppDeps } from '../app';
import { isAdministrator } from '../auth/access';
import { requireUser, userOf } from '../auth/session';
import { directoryOf } from '../names';
import { dueStateOf } from '../dueState';
import { dueStateLabel, taskLabel } from '../labels';
import { tOf } from '../language';
import { HttpError } from '../temporalErrors';
import { takeFlash } from '../flash';

const SUPERVISORS = ':supervisors';
export const TEAM_PAGE = '/inbox/team';

export function teamRouter(deps: AppDeps): Router {
  const router = Router();
  const now = deps.now ?? (() => new Date());

  router.get(TEAM_PAGE, requireUser, async (req, res) => {
    const t = tOf(res);
    const groups = await teamOf(deps.db, userOf(res), now(), t);
    // A reassignment posted from this page comes back here, with what happened in the flash.
    const flash = await takeFlash(req, res);
    res.render('team', { title: t('team:title'), flash, groups, supervisesNone: groups.length === 0, back: TEAM_PAGE });
  });

  router.get('/api/inbox/team', requireUser, async (_req, res) => {
    const t = tOf(res);
    const groups = await teamOf(deps.db, userOf(res), now(), t);
    if (groups.length === 0) throw new HttpError(403, t('team:supervisesNone'));
    res.json({ groups });
  });
  return router;
}

/** The groups this user supervises, from the directory's groups: `<org>:*` for each `<org>:supervisors` of theirs. */
export function supervisedGroups(user: User, allGroups: readonly string[]): string[] {
  const admin = isAdministrator(user);
  const orgs = user.roles
    .filter((role) => role.endsWith(SUPERVISORS))
    .map((role) => role.slice(0, -SUPERVISORS.length));
  return allGroups
    .filter((group) => group !== ADMINISTRATORS && !group.endsWith(SUPERVISORS))
    .filter((group) => admin || orgs.includes(group.split(':')[0]))
    .sort();
}

async function teamOf(db: Db, user: User, at: Date, t: TFunction) {
  const users = await listUsers(db);
  const groups = supervisedGroups(user, [...new Set(users.flatMap((member) => member.roles))]);
  if (groups.length === 0) return [];
  const [counts, held, directory] = await Promise.all([
    openCounts(db, groups, at),
    heldTasks(db, groups),
    directoryOf(db, t),
  ]);
  return groups.map((group) => {
    const mine = counts.filter((count) => count.group === group);
    const members = users.filter((member) => member.roles.includes(group));
    // Someone outside the group may hold its work (a supervisor who claimed an escalated task): listed too.
    const holders = [...new Set(mine.flatMap((count) => (count.assignee ? [count.assignee] : [])))];
    const people = [
      ...members.map((member) => member.id),
      ...holders.filter((id) => !members.some((m) => m.id === id)),
    ];
    return {
      group,
      name: directory.group(group),
      open: sum(mine, 'open'),
      unclaimed: mine.find((count) => count.assignee === null)?.open ?? 0,
      overdue: sum(mine, 'overdue'),
      members: people.map((id) => {
        const count = mine.find((one) => one.assignee === id);
        return {
          id,
          name: directory.person(id),
          open: count?.open ?? 0,
          overdue: count?.overdue ?? 0,
          tasks: held
            .filter((task) => task.group === group && task.assignee === id)
            .map((task) => {
              const dueState = dueStateOf(task.dueAt, at);
              return {
                applicationNumber: task.applicationNumber,
                taskId: task.taskId,
                kind: task.kind,
                label: taskLabel(t, task.kind),
                dueAt: task.dueAt,
                dueState,
                dueStateLabel: dueStateLabel(t, dueState),
                link: `/tasks/${encodeURIComponent(task.applicationNumber)}/${encodeURIComponent(task.taskId)}`,
                // Whom it may be handed to: the group's other members, never the holder.
                others: members
                  .filter((member) => member.id !== id)
                  .map((member) => ({ id: member.id, name: member.name })),
              };
            }),
        };
      }),
    };
  });
}

const sum = (counts: { open: number; overdue: number }[], field: 'open' | 'overdue'): number =>
  counts.reduce((total, count) => total + count[field], 0);
