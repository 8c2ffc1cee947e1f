/** Saved views of the inbox (see migrations/0012_saved_views.ts). */
import { randomBytes } from 'node:crypto';
import type { Db } from './database';

export interface SavedView {
  id: string;
  ownerId: string;
  name: string;
  /** The inbox's query string without its '?'. */
  query: string;
  sharedGroup: string | null;
  createdAt: string;
}

/** Who may see views: a person's id and the groups they act for. */
export interface Viewer {
  id: string;
  roles: readonly string[];
}

/**
 * Saves the view under its name; a name the owner already used keeps its id and takes the new query and sharing,
 * since saving a name again means updating that view. `replaced` says which happened.
 */
export async function saveView(db: Db, view: Omit<SavedView, 'id'>): Promise<{ view: SavedView; replaced: boolean }> {
  const existing = await db
    .selectFrom('saved_views')
    .select('id')
    .where('owner_id', '=', view.ownerId)
    .where('name', '=', view.name)
    .executeTakeFirst();
  await db
    .insertInto('saved_views')
    .values({
      id: randomBytes(12).toString('base64url'),
      owner_id: view.ownerId,
      name: view.name,
      query: view.query,
      shared_group: view.sharedGroup,
      created_at: view.createdAt,
    })
    // Two saves of one name at once both land on the one row.
    .onConflict((oc) =>
      oc.columns(['owner_id', 'name']).doUpdateSet({ query: view.query, shared_group: view.sharedGroup }),
    )
    .execute();
  const row = await db
    .selectFrom('saved_views')
    .selectAll()
    .where('owner_id', '=', view.ownerId)
    .where('name', '=', view.name)
    .executeTakeFirstOrThrow();
  return { view: toView(row), replaced: existing !== undefined };
}

/** The views a person sees: their own, and those shared with a group of theirs; by name. */
export async function viewsFor(db: Db, viewer: Viewer): Promise<SavedView[]> {
  const rows = await db
    .selectFrom('saved_views')
    .selectAll()
    .where((eb) =>
      viewer.roles.length > 0
        ? eb.or([eb('owner_id', '=', viewer.id), eb('shared_group', 'in', [...viewer.roles])])
        : eb('owner_id', '=', viewer.id),
    )
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map(toView);
}

/** The view when this person may see it; undefined for a view that is not there or not theirs to see. */
export async function visibleView(db: Db, viewer: Viewer, id: string): Promise<SavedView | undefined> {
  const row = await db.selectFrom('saved_views').selectAll().where('id', '=', id).executeTakeFirst();
  const view = row && toView(row);
  const visible =
    view && (view.ownerId === viewer.id || (!!view.sharedGroup && viewer.roles.includes(view.sharedGroup)));
  return visible ? view : undefined;
}

/** Deletes the owner's view; false when it is not theirs (or not there). */
export async function deleteView(db: Db, ownerId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('saved_views')
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

function toView(row: {
  id: string;
  owner_id: string;
  name: string;
  query: string;
  shared_group: string | null;
  created_at: string;
}): SavedView {
  return {
    id: row.id,
    ownerId: row.owner_id,
    name: row.name,
    query: row.query,
    sharedGroup: row.shared_group,
    createdAt: row.created_at,
  };
}
