/**
 * The session list: one row per appraisal session, written by the session workflow's records activity and read by
 * the API's session list and by "seat in the next fitting session". Rows are replaced only by a newer version (the
 * length of the session's business history), so a late retry of an older write changes nothing.
 */
import type { SessionPlan } from '../domain/sessionPlan';
import { capacityOf, examBegins } from '../domain/sessionPlan';
import type { SessionStage } from '../workflows/sessionDefinitions';
import { type Db, nextInSequence } from './database';

export interface RecordedSession {
  sessionId: string;
  stationId: string;
  guidanceCenterId: string;
  stage: SessionStage;
  closed: boolean;
  plan: SessionPlan;
  seated: number;
  plannedBy: string;
  plannedAt: string;
}

/** A session as the list shows it: what its workflow recorded, and its seats. */
export interface SessionRow extends RecordedSession {
  capacity: number;
}

export async function recordSessionRow(db: Db, session: RecordedSession, version: number): Promise<void> {
  await db
    .insertInto('appraisal_sessions')
    // A session started without a plan row (a test, a rebuild) gets a key no plan digest can take.
    .values({ ...sessionColumns(session, version), plan_key: `session:${session.sessionId}` })
    .onConflict((oc) =>
      oc
        .column('session_id')
        .doUpdateSet((eb) => ({
          stage: eb.ref('excluded.stage'),
          closed: eb.ref('excluded.closed'),
          plan: eb.ref('excluded.plan'),
          first_part_starts_at: eb.ref('excluded.first_part_starts_at'),
          registration_closes_at: eb.ref('excluded.registration_closes_at'),
          capacity: eb.ref('excluded.capacity'),
          seated: eb.ref('excluded.seated'),
          version: eb.ref('excluded.version'),
        }))
        .where('appraisal_sessions.version', '<', (eb) => eb.ref('excluded.version')),
    )
    .execute();
}

/**
 * The row a plan makes before its workflow starts (version 0), numbered from the station's yearly sequence in the
 * same transaction. Answers the session id, and whether a session with the same key was there already.
 */
export async function claimSessionRow(
  db: Db,
  session: Omit<RecordedSession, 'sessionId'>,
  planKey: string,
  numberFor: (serial: number) => string,
): Promise<{ sessionId: string; existed: boolean }> {
  const existing = await sessionIdByPlanKey(db, planKey);
  if (existing) return { sessionId: existing, existed: true };
  try {
    const sessionId = await db.transaction().execute(async (trx) => {
      const year = session.plannedAt.slice(0, 4);
      const id = numberFor(await nextInSequence(trx, `session:${session.stationId}:${year}`));
      await trx
        .insertInto('appraisal_sessions')
        .values({ ...sessionColumns({ ...session, sessionId: id }, 0), plan_key: planKey })
        .execute();
      return id;
    });
    return { sessionId, existed: false };
  } catch (error) {
    // Two submissions of one plan at once: the loser's insert hits the unique key and finds the winner's row.
    const winner = await sessionIdByPlanKey(db, planKey);
    if (winner) return { sessionId: winner, existed: true };
    throw error;
  }
}

async function sessionIdByPlanKey(db: Db, planKey: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('appraisal_sessions')
    .select('session_id')
    .where('plan_key', '=', planKey)
    .executeTakeFirst();
  return row?.session_id;
}

function sessionColumns(session: RecordedSession, version: number) {
  const { plan } = session;
  return {
    session_id: session.sessionId,
    station_id: session.stationId,
    guidance_center_id: session.guidanceCenterId,
    stage: session.stage,
    closed: session.closed ? 1 : 0,
    plan: JSON.stringify(plan),
    first_part_starts_at: new Date(examBegins(plan)).toISOString(),
    registration_closes_at: plan.registrationClosesAt,
    capacity: capacityOf(plan),
    seated: session.seated,
    planned_by: session.plannedBy,
    planned_at: session.plannedAt,
    version,
  };
}

/** A station's sessions (or every station's), the soonest first; `open` keeps those not yet ended. */
export async function listSessions(
  db: Db,
  filter: { stationIds?: string[]; open?: boolean } = {},
): Promise<SessionRow[]> {
  let query = db.selectFrom('appraisal_sessions').selectAll().orderBy('first_part_starts_at').orderBy('session_id');
  if (filter.stationIds) {
    if (filter.stationIds.length === 0) return [];
    query = query.where('station_id', 'in', filter.stationIds);
  }
  if (filter.open) query = query.where('closed', '=', 0);
  return (await query.execute()).map((row) => ({
    sessionId: row.session_id,
    stationId: row.station_id,
    guidanceCenterId: row.guidance_center_id,
    stage: row.stage as SessionStage,
    closed: row.closed === 1,
    plan: JSON.parse(row.plan) as SessionPlan,
    capacity: row.capacity,
    seated: row.seated,
    plannedBy: row.planned_by,
    plannedAt: row.planned_at,
  }));
}
