/** Case comments (see migrations/0010_case_comments.ts). */
import type { Db } from './database';

export interface CaseComment {
  id: string;
  applicationNumber: string;
  authorId: string;
  authorName: string;
  body: string;
  createdAt: string;
}

/**
 * Adds a comment once: its id comes from the form it was typed in, so a double click or a resent form finds the
 * comment the first one wrote instead of writing it twice. False when the id is another case's or person's comment.
 */
export async function addComment(
  db: Db,
  comment: { id: string; applicationNumber: string; authorId: string; body: string; createdAt: string },
): Promise<boolean> {
  await db
    .insertInto('case_comments')
    .values({
      id: comment.id,
      application_number: comment.applicationNumber,
      author_id: comment.authorId,
      body: comment.body,
      created_at: comment.createdAt,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const stored = await db
    .selectFrom('case_comments')
    .select(['application_number', 'author_id'])
    .where('id', '=', comment.id)
    .executeTakeFirst();
  return stored?.application_number === comment.applicationNumber && stored.author_id === comment.authorId;
}

/** A case's comments, oldest first, with their authors' names. */
export async function commentsOf(db: Db, applicationNumber: string): Promise<CaseComment[]> {
  const rows = await db
    .selectFrom('case_comments')
    .leftJoin('users', 'users.id', 'case_comments.author_id')
    .select([
      'case_comments.id',
      'case_comments.application_number',
      'case_comments.author_id',
      'case_comments.body',
      'case_comments.created_at',
      'users.name as author_name',
    ])
    .where('case_comments.application_number', '=', applicationNumber)
    .orderBy('case_comments.created_at')
    .orderBy('case_comments.id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    applicationNumber: row.application_number,
    authorId: row.author_id,
    authorName: row.author_name ?? row.author_id,
    body: row.body,
    createdAt: row.created_at,
  }));
}
