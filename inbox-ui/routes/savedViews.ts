/**
 * Saved views of the inbox: a filter and sort combination kept under a name, by its owner alone or shared with one of
 * their groups, on the server. The query is read by the inbox's own reader before it is kept, so a saved view never
 * holds what the inbox would refuse, and it is kept normalised (defaults and page cursors left out). Pages post and
 * are redirected with a flash; the API answers in JSON. A view that is not the reader's to see is a 404.
 */
import { Router } from 'express';
import type { TFunction } from 'i18next';
import type { Db } from '../../records/database';
import type { User } from '../../records/directory';
import { deleteView, type SavedView, saveView, viewsFor, visibleView } from '../../records/savedViews';
import type { AppDeps } from '../app';
import { requireUser, userOf } from '../auth/session';
import { directoryOf } from '../names';
import { type Flash, setFlash, typedFields } from '../flash';
import { tOf } from '../language';
import { HttpError } from '../temporalErrors';
import { fieldErrors } from '../validation';
import { MAX_VIEW_QUERY, SavedViewBody } from '../contract/inbox';
import { readForm, readJson } from '../contract/read';
import { type InboxQuery, readInboxQuery } from './inbox';

/** Which form a flash is about, so that the inbox shows a refusal beside this form and no other. */
const ABOUT = 'saved-views';

/** A view as the API gives it and the partial lists it. */
export interface ViewItem {
  id: string;
  name: string;
  query: string;
  link: string;
  owner: string;
  mine: boolean;
  sharedGroup: string | null;
  sharedLabel: string | null;
  createdAt: string;
}

/**
 * What the partial `savedViews` needs: the views this user sees, the save form with the inbox's current query string
 * (without its '?'), the user's groups to share with, and after a refused save what was typed and why.
 */
export async function savedViewsModel(db: Db, user: User, currentQuery: string, t: TFunction, flash?: Flash) {
  const refused = flash?.about === ABOUT && flash.kind === 'error' ? flash : undefined;
  const share = refused?.typed?.share ?? '';
  const group = (await directoryOf(db, t)).group;
  return {
    list: await viewItems(db, user, t),
    query: currentQuery.replace(/^\?/, ''),
    name: refused?.typed?.name ?? '',
    groups: user.roles.map((role) => ({ value: role, label: group(role), selected: role === share })),
    errors: refused?.fields ?? {},
  };
}

export function savedViewsRouter(deps: AppDeps): Router {
  const router = Router();
  const now = deps.now ?? (() => new Date());

  router.get('/api/inbox/views', requireUser, async (_req, res) => {
    res.json({ views: await viewItems(deps.db, userOf(res), tOf(res)) });
  });

  router.get('/api/inbox/views/:id', requireUser, async (req, res) => {
    const t = tOf(res);
    const view = await visibleOrNotFound(deps.db, userOf(res), String(req.params.id), t);
    res.json({ view: (await itemsOf(deps.db, userOf(res), [view], t))[0] });
  });

  router.post('/api/inbox/views', requireUser, async (req, res) => {
    const t = tOf(res);
    const user = userOf(res);
    const body = readJson(SavedViewBody, req.body, t, t('views:refused'));
    const { view, replaced } = await saveView(deps.db, { ...viewOf(body, user, t), createdAt: now().toISOString() });
    res.status(replaced ? 200 : 201).json({ view: (await itemsOf(deps.db, user, [view], t))[0], replaced });
  });

  router.delete('/api/inbox/views/:id', requireUser, async (req, res) => {
    await deleteOwn(deps.db, userOf(res), String(req.params.id), tOf(res));
    res.status(204).end();
  });

  router.post('/inbox/views', requireUser, async (req, res) => {
    const t = tOf(res);
    try {
      const body = readForm(SavedViewBody, req.body, t, t('views:refused'));
      const { view, replaced } = await saveView(deps.db, {
        ...viewOf(body, userOf(res), t),
        createdAt: now().toISOString(),
      });
      const message = replaced ? t('views:replaced', { name: view.name }) : t('views:saved', { name: view.name });
      await setFlash(res, req, { kind: 'ok', message, about: ABOUT });
      res.redirect(303, inboxPath(view.query));
    } catch (error) {
      if (!(error instanceof HttpError) || error.status !== 422) throw error;
      await setFlash(res, req, {
        kind: 'error',
        message: error.message,
        about: ABOUT,
        typed: typedFields(req.body, ['name', 'share']),
        fields: error.fields,
      });
      // Back to the list the person was looking at, as it was.
      const raw: unknown = req.body?.query;
      res.redirect(
        303,
        typeof raw === 'string' && raw.length <= MAX_VIEW_QUERY ? inboxPath(raw.replace(/^\?/, '')) : '/inbox',
      );
    }
  });

  router.post('/inbox/views/:id/delete', requireUser, async (req, res) => {
    const t = tOf(res);
    const view = await deleteOwn(deps.db, userOf(res), String(req.params.id), t);
    await setFlash(res, req, { kind: 'ok', message: t('views:deleted', { name: view.name }), about: ABOUT });
    res.redirect(303, '/inbox');
  });
  return router;
}

const inboxPath = (query: string): string => (query ? `/inbox?${query}` : '/inbox');

async function visibleOrNotFound(db: Db, user: User, id: string, t: TFunction): Promise<SavedView> {
  const view = await visibleView(db, user, id);
  if (!view) throw new HttpError(404, t('views:notFound'));
  return view;
}

/** Deletes the user's own view; one they only see through a group is not theirs to delete. */
async function deleteOwn(db: Db, user: User, id: string, t: TFunction): Promise<SavedView> {
  const view = await visibleOrNotFound(db, user, id, t);
  if (view.ownerId !== user.id) throw new HttpError(403, t('views:notOwner'));
  await deleteView(db, user.id, id);
  return view;
}

/**
 * The posted view (read by contract/inbox.ts) as a command: its query read as the inbox reads it, its group one of
 * the user's.
 */
function viewOf(body: SavedViewBody, user: User, t: TFunction): Omit<SavedView, 'id' | 'createdAt'> {
  const errors = fieldErrors(t);
  const query = normalisedQuery(body.query ?? '', t);
  if ('problem' in query) errors.add('query', query.problem);
  const sharedGroup = body.share || null;
  if (sharedGroup && !user.roles.includes(sharedGroup)) errors.add('share', t('views:errors.share'));
  errors.throwIfAny(t('views:refused'));
  return { ownerId: user.id, name: body.name, query: (query as { text: string }).text, sharedGroup };
}

/**
 * The query string as the inbox reads it, written back in one order with the defaults left out: two ways of writing
 * the same list are one saved query. Page cursors are left out, since a view is a list and not a place in it.
 */
export function normalisedQuery(raw: string, t: TFunction): { text: string } | { problem: string } {
  const source: Record<string, string | string[]> = {};
  // A repeated parameter is an array, as Express reads it, and the inbox refuses it as it would.
  for (const [name, value] of new URLSearchParams(raw.replace(/^\?/, ''))) {
    const seen = source[name];
    source[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  const errors = fieldErrors(t);
  const query = readInboxQuery(source, errors);
  const problems = Object.entries(errors.messages);
  if (problems.length > 0) {
    const details = problems
      .map(([field, message]) => t('views:errors.queryField', { field, message }))
      .join(t('views:errors.separator'));
    return { problem: t('views:errors.query', { details }) };
  }
  const defaults = readInboxQuery({}, fieldErrors(t));
  const params = new URLSearchParams();
  for (const name of QUERY_ORDER) {
    const value = query[name];
    if (value !== undefined && value !== defaults[name]) params.set(name, String(value));
  }
  return { text: params.toString() };
}

/** The parameters a view keeps, in the order it writes them. */
const QUERY_ORDER = [
  'view',
  'stage',
  'occupation',
  'level',
  'due',
  'q',
  'sort',
  'limit',
] as const satisfies readonly (keyof InboxQuery)[];

async function viewItems(db: Db, user: User, t: TFunction): Promise<ViewItem[]> {
  return itemsOf(db, user, await viewsFor(db, user), t);
}

async function itemsOf(db: Db, user: User, views: SavedView[], t: TFunction): Promise<ViewItem[]> {
  const directory = await directoryOf(db, t);
  return views.map((view) => ({
    id: view.id,
    name: view.name,
    query: view.query,
    link: inboxPath(view.query),
    owner: directory.person(view.ownerId),
    mine: view.ownerId === user.id,
    sharedGroup: view.sharedGroup,
    sharedLabel: view.sharedGroup && directory.group(view.sharedGroup),
    createdAt: view.createdAt,
  }));
}
