/**
 * Appraisal sessions as pages: the list of one's sessions, and a session's page with the forms its people work in:
 * the decision on an open task (the plan, the check-in list, the score sheet, the report), the check-in list's marks,
 * and the score sheet's lines. A form that works redirects back to the page with what was done (post, redirect,
 * get); a refused one shows the page again with the reason and everything that was typed.
 */
import type { UpdateDefinition } from '@temporalio/common';
import type { Request, Response } from 'express';
import { Router } from 'express';
import { examBegins } from '../../domain/sessionPlan';
import type { User } from '../../records/directory';
import { previewImport, readScoreFile } from '../../runtime/scoreImport';
import { seatCase, updateSession, visibleSession } from '../../runtime/sessions';
import type {
  AttendanceCommand,
  ScoreRowsCommand,
  SessionTaskDecision,
  TakeOut,
  SessionView,
} from '../../workflows/sessionDefinitions';
import { cancelSession, enterScores, recordAttendance } from '../../workflows/sessionDefinitions';
import { actorOf } from '../auth/access';
import { requireUser, userOf } from '../auth/session';
import { sessionStageLabel } from '../labels';
import { tOf } from '../language';
import { setFlash, takeFlash } from '../flash';
import { sessionPageModel, type SessionForm } from '../sessionModel';
import { httpStatusFor } from '../temporalErrors';
import type { AppDeps } from '../app';
import { TASK_ACTIONS, visibleSessions } from './sessions';

export function sessionPagesRouter(deps: AppDeps): Router {
  const router = Router();

  router.get('/sessions', requireUser, async (_req, res) => {
    const sessions = (await visibleSessions(deps.db, userOf(res))).map((row) => ({
      ...row,
      stageLabel: sessionStageLabel(tOf(res), row.stage),
      qualifications: row.plan.qualifications.map((q) => `${q.occupation} level ${q.level}`).join(', '),
      firstPart: new Date(examBegins(row.plan)).toISOString(),
    }));
    res.render('sessions', { title: 'Appraisal sessions', sessions });
  });

  const page = async (req: Request, res: Response, status = 200, form?: SessionForm) => {
    const user = userOf(res);
    const view = await visibleSession(deps.client, actorOf(user), String(req.params.id));
    res.status(status).render('session', {
      title: `Session ${view.sessionId}`,
      flash: await takeFlash(req, res),
      ...sessionPageModel(view, user, tOf(res), form),
    });
  };

  router.get('/sessions/:id', requireUser, (req, res) => page(req, res));

  /**
   * Sends one update; on success the page is shown again by redirect with `done`, on a refusal it is shown at once
   * with the reason and what the person typed.
   */
  const act = async (
    req: Request,
    res: Response,
    send: (user: User, view: SessionView) => Promise<unknown>,
    done: string | (() => string),
    form: SessionForm,
  ) => {
    const user = userOf(res);
    const view = await visibleSession(deps.client, actorOf(user), String(req.params.id));
    try {
      await send(user, view);
    } catch (error) {
      const { status, message } = httpStatusFor(error);
      if (status >= 500) throw error;
      return page(req, res, status, { ...form, error: message });
    }
    await setFlash(res, req, { kind: 'ok', message: typeof done === 'string' ? done : done() });
    res.redirect(303, `/sessions/${encodeURIComponent(view.sessionId)}`);
  };

  router.post('/sessions/:id/tasks/:taskId/:action', requireUser, async (req, res) => {
    const { taskId, action } = req.params as Record<string, string>;
    const update: UpdateDefinition<SessionView, [SessionTaskDecision]> | undefined = Object.hasOwn(TASK_ACTIONS, action)
      ? TASK_ACTIONS[action as keyof typeof TASK_ACTIONS]
      : undefined;
    const comment = typeof req.body?.comment === 'string' ? req.body.comment : '';
    const { takeOut, typed } = takeOutOf(req.body);
    const form: SessionForm = { taskId, comment, typed };
    if (!update) return page(req, res, 404, { ...form, error: `There is no "${action}" action on a session task.` });
    await act(
      req,
      res,
      (user, view) =>
        updateSession(deps.client, view.sessionId, update, { taskId, actor: actorOf(user), comment, takeOut }),
      `Task ${taskId}: ${action} done.`,
      form,
    );
  });

  router.post('/sessions/:id/attendance', requireUser, async (req, res) => {
    const marks: AttendanceCommand['marks'] = [];
    const typed: Record<string, string> = {};
    for (const [name, value] of Object.entries((req.body ?? {}) as Record<string, unknown>)) {
      if (!name.startsWith('mark:') || (value !== 'present' && value !== 'absent')) continue;
      typed[name] = value;
      marks.push({ ticketNumber: name.slice('mark:'.length), present: value === 'present' });
    }
    await act(
      req,
      res,
      (user, view) => updateSession(deps.client, view.sessionId, recordAttendance, { actor: actorOf(user), marks }),
      `${marks.length} marks saved on the check-in list.`,
      { section: 'check-in', typed },
    );
  });

  router.post('/sessions/:id/scores', requireUser, async (req, res) => {
    const rows = new Map<string, ScoreRowsCommand['rows'][number]>();
    const typed: Record<string, string> = {};
    for (const [name, value] of Object.entries((req.body ?? {}) as Record<string, unknown>)) {
      const [part, ticketNumber] = name.split(/:(.*)/s);
      const known = part === 'knowledge' || part === 'skills' || part === 'disqualified';
      if (!known || !ticketNumber || typeof value !== 'string') continue;
      typed[name] = value;
      const row = rows.get(ticketNumber) ?? { ticketNumber };
      if (part === 'disqualified') {
        // Sent even when empty: clearing the box takes a disqualification back.
        row.disqualified = value;
        rows.set(ticketNumber, row);
        continue;
      }
      if (value.trim() === '') continue;
      // What is not a number goes as typed, and the session names it ("must be a number").
      row[part] = (/^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value) as number;
      rows.set(ticketNumber, row);
    }
    await act(
      req,
      res,
      (user, view) =>
        updateSession(deps.client, view.sessionId, enterScores, { actor: actorOf(user), rows: [...rows.values()] }),
      `${rows.size} lines saved on the score sheet.`,
      { section: 'scores', typed },
    );
  });

  /**
   * The team's file, previewed: each row matched to its ticket or named with why it cannot go on the sheet. The file
   * is read here and not kept; a valid preview carries its lines in the confirming form, and the session checks them
   * again when they are sent.
   */
  router.post('/sessions/:id/scores/import', requireUser, async (req, res) => {
    const user = userOf(res);
    const view = await visibleSession(deps.client, actorOf(user), String(req.params.id));
    const file = (req as Request & { file?: Express.Multer.File }).file;
    try {
      const preview = previewImport(view, await readScoreFile(file?.buffer ?? Buffer.alloc(0)));
      return page(req, res, preview.valid ? 200 : 422, { section: 'import', preview, fileName: file?.originalname });
    } catch (error) {
      const { status, message } = httpStatusFor(error);
      if (status >= 500) throw error;
      return page(req, res, status, { section: 'import', error: message });
    }
  });

  router.post('/sessions/:id/scores/import/confirm', requireUser, async (req, res) => {
    let rows: ScoreRowsCommand['rows'] = [];
    try {
      rows = JSON.parse(String(req.body?.lines ?? '[]'));
    } catch {
      // Only a hand-made request sends lines that are not JSON; the session refuses the empty list with its reason.
    }
    await act(
      req,
      res,
      (user, view) => updateSession(deps.client, view.sessionId, enterScores, { actor: actorOf(user), rows }),
      () => `${rows.length} lines imported onto the score sheet.`,
      { section: 'import' },
    );
  });

  router.post('/sessions/:id/seats', requireUser, async (req, res) => {
    const applicationNumber = String(req.body?.applicationNumber ?? '').trim();
    let seated = '';
    await act(
      req,
      res,
      async (user, view) => {
        const client = { client: deps.client, db: deps.db, catalogue: deps.catalogue, now: deps.now };
        const entry = await seatCase(client, { actor: actorOf(user), sessionId: view.sessionId, applicationNumber });
        seated = `${entry.seat.room}, seat ${entry.seat.number}, ticket ${entry.ticketNumber}`;
      },
      () => `Seated case ${applicationNumber.toUpperCase()}: ${seated}.`,
      { section: 'seat', typed: { applicationNumber } },
    );
  });

  router.post('/sessions/:id/cancel', requireUser, async (req, res) => {
    const reason = typeof req.body?.reason === 'string' ? req.body.reason : '';
    await act(
      req,
      res,
      (user, view) => updateSession(deps.client, view.sessionId, cancelSession, { actor: actorOf(user), reason }),
      'The session is cancelled; its candidates wait for a seat again and are told.',
      { section: 'cancel', typed: { reason } },
    );
  });

  return router;
}

/** A results level's form: each `out:<ticket>` chosen (return or reject) with its `why:<ticket>`; none when empty. */
function takeOutOf(body: unknown): { takeOut?: TakeOut[]; typed: Record<string, string> } {
  const fields = (body ?? {}) as Record<string, unknown>;
  const typed: Record<string, string> = {};
  const takeOut: TakeOut[] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value !== 'string' || !(name.startsWith('out:') || name.startsWith('why:'))) continue;
    typed[name] = value;
    const ticketNumber = name.slice(4);
    if (name.startsWith('out:') && (value === 'return' || value === 'reject')) {
      const reason = fields[`why:${ticketNumber}`];
      takeOut.push({ ticketNumber, decision: value, reason: typeof reason === 'string' ? reason : '' });
    }
  }
  return { takeOut: takeOut.length > 0 ? takeOut : undefined, typed };
}
