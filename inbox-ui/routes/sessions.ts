/**
 * Appraisal sessions as JSON: a station plans a session, its guidance center reviews the plan, the station seats
 * cases, postpones or cancels. Every action is the session workflow's update, refused there with the reason; a
 * session the user may not see answers exactly as one that does not exist.
 */
import type { UpdateDefinition } from '@temporalio/common';
import express, { Router } from 'express';
import type { TFunction } from 'i18next';
import type { AppDeps } from '../app';
import { findOrganisation, type User } from '../../records/directory';
import { listSessions } from '../../records/appraisalSessions';
import {
  type CheckInRow,
  checkInList,
  mayCheckIn,
  scoreSheetOf,
  planSession,
  seatCase,
  seatInNextSession,
  SessionRefused,
  updateSession,
  visibleSession as visibleSessionOf,
} from '../../runtime/sessions';
import { admissionTicketsPdf } from '../../runtime/admissionTickets';
import { type ImportPreview, previewImport, readScoreFile, toRow } from '../../runtime/scoreImport';
import { reportCsv, reportPdf, reportXlsx, sessionReport } from '../../runtime/sessionReport';
import { message } from '../../domain/messages';
import { DEFAULT_CATALOGUE } from '../../domain/occupations';
import { nfcStrings } from '../../domain/text';
import { RefusalType } from '../../workflows/definitions';
import { sessionOfficeGroups } from '../../workflows/sessionFile';
import {
  type SessionTaskDecision,
  type SessionView,
  approvePlan,
  cancelSession,
  claimSessionTask,
  enterScores,
  postponeSession,
  recordAttendance,
  rejectPlan,
  releaseSessionTask,
  returnPlan,
  revisePlan,
} from '../../workflows/sessionDefinitions';
import { actorOf, isAdministrator, organisationsOf } from '../auth/access';
import { requireUser, userOf } from '../auth/session';
import { languageOf, tOf } from '../language';
import { messageText } from '../messageText';
import { HttpError } from '../temporalErrors';
import { performSessionTaskAction } from '../sessionTaskActions';
import { type Purpose, recordShown } from '../personalDataShown';
import { readJson, readQuery } from '../contract/read';
import {
  AttendanceBody,
  CancelBody,
  CheckInQuery,
  ImportQuery,
  PlanBody,
  PostponeBody,
  ReportQuery,
  REPORT_FORMATS,
  RevisionBody,
  ScoresBody,
  SeatBody,
  SessionTaskBody,
} from '../contract/sessions';

export const TASK_ACTIONS = {
  claim: claimSessionTask,
  release: releaseSessionTask,
  approve: approvePlan,
  return: returnPlan,
  reject: rejectPlan,
} as const satisfies Record<string, UpdateDefinition<SessionView, [SessionTaskDecision]>>;

export function sessionsRouter(deps: AppDeps): Router {
  const router = Router();
  const now = deps.now ?? (() => new Date());
  const client = { client: deps.client, db: deps.db, taskQueue: deps.taskQueue, catalogue: deps.catalogue, now };

  const visibleSession = (user: User, id: string): Promise<SessionView> =>
    visibleSessionOf(deps.client, actorOf(user), id);

  /** A list of the session's candidates, unmasked for those at the door (mayCheckIn): one access-log row each. */
  const rosterShown = async (user: User, view: SessionView, rows: CheckInRow[], purpose: Purpose) => {
    if (!mayCheckIn(actorOf(user), view)) return;
    await recordShown(
      deps,
      rows
        .filter(({ candidate }) => candidate.name || candidate.idNumber)
        .map((row) => ({
          viewer: user.id,
          applicationNumber: row.applicationNumber,
          idNumber: row.candidate.idNumber,
          basis: 'session-office' as const,
          purpose,
        })),
    );
  };

  router.get('/api/sessions', requireUser, async (_req, res) => {
    res.json({ sessions: await visibleSessions(deps.db, userOf(res)) });
  });

  router.post('/api/sessions', requireUser, async (req, res) => {
    const user = userOf(res);
    const t = tOf(res);
    const { stationId = stationOf(user), ...plan } = readJson(PlanBody, objectBody(req.body, t), t);
    if (stationId === undefined) throw new HttpError(403, t('session:refused.onlyOffices'));
    const result = await planSession(client, { actor: actorOf(user), stationId, plan });
    res.status(result.alreadyPlanned ? 200 : 201).json(result);
  });

  router.post('/api/sessions/seats/next', requireUser, async (req, res) => {
    const user = userOf(res);
    const t = tOf(res);
    const { applicationNumber } = readJson(SeatBody, objectBody(req.body, t), t);
    const result = await seatInNextSession(client, { actor: actorOf(user), applicationNumber });
    res.status(201).json(result);
  });

  router.get('/api/sessions/:id', requireUser, async (req, res) => {
    res.json(await visibleSession(userOf(res), String(req.params.id)));
  });

  router.post('/api/sessions/:id/seats', requireUser, async (req, res) => {
    const user = userOf(res);
    const sessionId = String(req.params.id);
    await visibleSession(user, sessionId);
    const t = tOf(res);
    const { applicationNumber } = readJson(SeatBody, objectBody(req.body, t), t);
    const entry = await seatCase(client, { actor: actorOf(user), sessionId, applicationNumber });
    res.status(201).json(entry);
  });

  router.post('/api/sessions/:id/tasks/:taskId/:action', requireUser, async (req, res) => {
    const user = userOf(res);
    const { id, taskId, action } = req.params as Record<string, string>;
    // Own keys only: "toString" is no action.
    const update: UpdateDefinition<SessionView, [SessionTaskDecision]> | undefined = Object.hasOwn(TASK_ACTIONS, action)
      ? TASK_ACTIONS[action as keyof typeof TASK_ACTIONS]
      : undefined;
    if (!update) throw new HttpError(404, tOf(res)('session:refused.noAction', { action }));
    await visibleSession(user, id);
    const t = tOf(res);
    const { comment, reason, takeOut } = readJson(SessionTaskBody, objectBody(req.body, t), t);
    const decision = { taskId, actor: actorOf(user), comment: reason ?? comment, takeOut };
    res.json(await performSessionTaskAction(deps, id, update, decision, t));
  });

  router.post('/api/sessions/:id/plan', requireUser, async (req, res) => {
    const user = userOf(res);
    const id = String(req.params.id);
    await visibleSession(user, id);
    const t = tOf(res);
    const { taskId, comment, ...plan } = readJson(RevisionBody, objectBody(req.body, t), t);
    const view = await updateSession(deps.client, id, revisePlan, { taskId, actor: actorOf(user), comment, plan });
    res.json(view);
  });

  router.post('/api/sessions/:id/postpone', requireUser, async (req, res) => {
    const user = userOf(res);
    const id = String(req.params.id);
    await visibleSession(user, id);
    const t = tOf(res);
    const { reason, ...schedule } = readJson(PostponeBody, objectBody(req.body, t), t);
    const view = await updateSession(deps.client, id, postponeSession, { actor: actorOf(user), reason, schedule });
    res.json(view);
  });

  router.get('/api/sessions/:id/check-in', requireUser, async (req, res) => {
    const user = userOf(res);
    const view = await visibleSession(user, String(req.params.id));
    const t = tOf(res);
    const { room } = readQuery(CheckInQuery, req.query, t, t('session:refused.room'));
    const list = await checkInList(deps.db, actorOf(user), view, room);
    await rosterShown(user, view, list.rows, 'check-in-list');
    res.json(list);
  });

  router.post('/api/sessions/:id/attendance', requireUser, async (req, res) => {
    const user = userOf(res);
    const id = String(req.params.id);
    await visibleSession(user, id);
    const t = tOf(res);
    const { marks } = readJson(AttendanceBody, objectBody(req.body, t), t);
    const view = await updateSession(deps.client, id, recordAttendance, { actor: actorOf(user), marks });
    res.json(view);
  });

  /** Admission tickets as one PDF: the whole session's in seat order, or one candidate's. Printed by the station. */
  const tickets = async (req: express.Request, res: express.Response) => {
    const user = userOf(res);
    const view = await visibleSession(user, String(req.params.id));
    if (!sessionOfficeGroups(view.stationId).some((group) => user.roles.includes(group))) {
      const station = (await findOrganisation(deps.db, view.stationId))?.name ?? view.stationId;
      throw new HttpError(403, tOf(res)('session:refused.tickets', { station }));
    }
    const ticket = req.params.ticket === undefined ? undefined : String(req.params.ticket);
    const pdf = await admissionTicketsPdf(deps.db, actorOf(user), view, deps.catalogue ?? DEFAULT_CATALOGUE, ticket);
    // The tickets carry each candidate's name and ID number: the same rows as the check-in list they are printed from.
    const { rows } = await checkInList(deps.db, actorOf(user), view);
    const printed = rows.filter((row) => ticket === undefined || row.ticketNumber === ticket);
    await rosterShown(user, view, printed, 'admission-tickets');
    res
      .type('application/pdf')
      .attachment(`admission-tickets-${ticket ?? view.sessionId}.pdf`)
      .send(pdf);
  };
  router.get('/api/sessions/:id/tickets', requireUser, tickets);
  router.get('/api/sessions/:id/tickets/:ticket', requireUser, tickets);

  /** The session's report as JSON, or exported: ?format=csv, xlsx or pdf. */
  router.get('/api/sessions/:id/report', requireUser, async (req, res) => {
    const user = userOf(res);
    const view = await visibleSession(user, String(req.params.id));
    const t = tOf(res);
    const refused = t('session:refused.format', { formats: REPORT_FORMATS.join(', ') });
    const { format = 'json' } = readQuery(ReportQuery, req.query, t, refused);
    const language = languageOf(res);
    const report = sessionReport(view, language, deps.catalogue ?? DEFAULT_CATALOGUE);
    const file = `session-${view.sessionId}-report`;
    if (format === 'json') {
      res.json(report);
    } else if (format === 'csv') {
      res.type('text/csv; charset=utf-8').attachment(`${file}.csv`).send(reportCsv(report, language));
    } else if (format === 'xlsx') {
      res
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .attachment(`${file}.xlsx`)
        .send(await reportXlsx(report, language));
    } else {
      res
        .type('application/pdf')
        .attachment(`${file}.pdf`)
        .send(await reportPdf(report, language));
    }
  });

  router.get('/api/sessions/:id/score-sheet', requireUser, async (req, res) => {
    const user = userOf(res);
    const view = await visibleSession(user, String(req.params.id));
    const sheet = await scoreSheetOf(deps.db, actorOf(user), view);
    await rosterShown(user, view, sheet.rows, 'score-sheet');
    res.json(sheet);
  });

  router.post('/api/sessions/:id/scores', requireUser, async (req, res) => {
    const user = userOf(res);
    const id = String(req.params.id);
    await visibleSession(user, id);
    const t = tOf(res);
    const { rows } = readJson(ScoresBody, objectBody(req.body, t), t);
    const view = await updateSession(deps.client, id, enterScores, { actor: actorOf(user), rows });
    res.json(view);
  });

  /**
   * A score sheet from a CSV or XLSX file: without `confirm=true` a preview (each row matched, each bad row named);
   * with it, every row goes on the sheet at once, or, if any row is bad, none does.
   */
  router.post(
    '/api/sessions/:id/scores/import',
    requireUser,
    express.raw({ type: () => true, limit: '5mb' }),
    async (req, res) => {
      const user = userOf(res);
      const id = String(req.params.id);
      const view = await visibleSession(user, id);
      const { confirm } = readQuery(ImportQuery, req.query, tOf(res));
      const preview = previewImport(view, await readScoreFile(req.body as Buffer));
      if (!confirm) {
        res.json(previewInWords(preview, tOf(res)));
        return;
      }
      if (!preview.valid) {
        throw new SessionRefused(
          RefusalType.InvalidInput,
          message('session:import.refused', { bad: preview.errors.length, count: preview.lines.length }),
          Object.fromEntries(preview.errors.map(({ line, said }) => [`row ${line}`, said])),
        );
      }
      const session = await updateSession(deps.client, id, enterScores, {
        actor: actorOf(user),
        rows: preview.lines.map(toRow),
      });
      res.json({ ...previewInWords(preview, tOf(res)), entered: preview.lines.length, sheet: session.sheet });
    },
  );

  router.post('/api/sessions/:id/cancel', requireUser, async (req, res) => {
    const user = userOf(res);
    const id = String(req.params.id);
    await visibleSession(user, id);
    const t = tOf(res);
    const { reason } = readJson(CancelBody, objectBody(req.body, t), t);
    const view = await updateSession(deps.client, id, cancelSession, { actor: actorOf(user), reason });
    res.json(view);
  });

  return router;
}

/** An import's preview as the API answers it: each bad row's reason in the reader's language, with its key. */
function previewInWords(preview: ImportPreview, t: TFunction) {
  return {
    ...preview,
    lines: preview.lines.map(({ error, ...line }) => (error ? { ...line, error: messageText(t, error) } : line)),
    errors: preview.errors.map(({ line, said }) => ({ line, message: messageText(t, said), code: said.key })),
  };
}

/**
 * The JSON body, its strings normalised (NFC) here, once, so a plan's places and rooms, reasons and comments reach the
 * session as the same code points every later reader sees; the session's validators refuse text no person writes.
 * Anything but an object is refused here (400) before its schema (contract/sessions.ts) reads it.
 */
function objectBody(body: unknown, t: TFunction): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new HttpError(400, t('session:refused.jsonObject'));
  return nfcStrings(body) as Record<string, unknown>;
}

/** A station clerk's own station, when the request names none. */
function stationOf(user: User): string | undefined {
  return user.roles.find((group) => group.endsWith(':clerks') || group.endsWith(':supervisors'))?.split(':')[0];
}

/** The sessions of the user's offices (every one, for administrators), soonest first. */
export async function visibleSessions(db: AppDeps['db'], user: User) {
  const offices = organisationsOf(user);
  const rows = await listSessions(db);
  return rows.filter((row) => isAdministrator(user) || offices.has(row.stationId) || offices.has(row.guidanceCenterId));
}
