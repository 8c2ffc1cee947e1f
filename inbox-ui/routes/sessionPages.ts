/**
 * Appraisal sessions as pages: the list of one's sessions, and a session's page with the forms its people work in:
 * the decision on an open task (the plan, the check-in list, the score sheet, the report), the check-in list's marks,
 * and the score sheet's lines. Every form is answered by a redirect back to the page (post, redirect, get): with what
 * was done, or with why it was refused, the refused form showing again what was typed (the flash carries both).
 */
import type { UpdateDefinition } from '@temporalio/common';
import type { Request, Response } from 'express';
import { Router } from 'express';
import type { TFunction } from 'i18next';
import type { z } from 'zod';
import { DEFAULT_CATALOGUE } from '../../domain/occupations';
import { examBegins } from '../../domain/sessionPlan';
import { findUser, listOrganisations, type User } from '../../records/directory';
import { previewImport, readScoreFile } from '../../runtime/scoreImport';
import { seatCase, updateSession, visibleSession } from '../../runtime/sessions';
import type { ScoreRowsCommand, SessionTaskDecision, TakeOut, SessionView } from '../../workflows/sessionDefinitions';
import { cancelSession, enterScores, recordAttendance } from '../../workflows/sessionDefinitions';
import { actorOf } from '../auth/access';
import { requireUser, userOf } from '../auth/session';
import { type Flash, setFlash, takeFlash, typedFields } from '../flash';
import { sessionStageLabel } from '../labels';
import { languageOf, tOf } from '../language';
import {
  peopleIn,
  qualificationName,
  type Reader,
  type SessionForm,
  type SessionSection,
  sessionPageModel,
  taskDone,
} from '../sessionModel';
import { HttpError, httpAnswerFor } from '../temporalErrors';
import type { AppDeps } from '../app';
import { readForm } from '../contract/read';
import { AttendanceBody, CancelBody, ScoresBody, SeatBody, SessionTaskBody } from '../contract/sessions';
import { TASK_ACTIONS, visibleSessions } from './sessions';
import { performSessionTaskAction } from '../sessionTaskActions';

/** A refused form's flash says which form it is about: a task's (`task:<id>`) or one of the page's sections. */
const TASK_FORM = 'task:';

/** The refused form a flash describes, to show again with its reason and what was typed. */
function refusedForm(flash: Flash | undefined): SessionForm | undefined {
  if (flash?.kind !== 'error' || !flash.about) return undefined;
  const typed = flash.typed ?? {};
  return flash.about.startsWith(TASK_FORM)
    ? { taskId: flash.about.slice(TASK_FORM.length), comment: typed.comment ?? '', typed, error: flash.message }
    : { section: flash.about as SessionSection, typed, error: flash.message };
}

export function sessionPagesRouter(deps: AppDeps): Router {
  const router = Router();

  /** The reader's words, and the directory's names for the people a session mentions (none for the list). */
  const readerOf = async (res: Response, view?: SessionView): Promise<Reader> => {
    const ids = view ? peopleIn(view) : [];
    const [users, organisations] = await Promise.all([
      Promise.all(ids.map((id) => findUser(deps.db, id))),
      listOrganisations(deps.db),
    ]);
    return {
      t: tOf(res),
      language: languageOf(res),
      catalogue: deps.catalogue ?? DEFAULT_CATALOGUE,
      people: new Map(users.filter((u) => u !== undefined).map((u) => [u.id, u.name])),
      organisations: new Map(organisations.map((o) => [o.id, o.name])),
    };
  };

  router.get('/sessions', requireUser, async (_req, res) => {
    const reader = await readerOf(res);
    const { t } = reader;
    const sessions = (await visibleSessions(deps.db, userOf(res))).map((row) => ({
      sessionId: row.sessionId,
      station: reader.organisations.get(row.stationId) ?? row.stationId,
      stageLabel: sessionStageLabel(t, row.stage),
      qualifications: row.plan.qualifications
        .map((q) => qualificationName(reader, q.occupation, q.level))
        .join(t('session:listSeparator')),
      firstPart: new Date(examBegins(row.plan)).toISOString(),
      seats: t('session:list.seatsTaken', { seated: row.seated, capacity: row.capacity }),
    }));
    // How a station plans a session: commands, the same in every language.
    const commands = { cli: 'npm run session -- plan', api: 'POST /api/sessions' };
    res.render('sessions', { title: t('session:list.title'), sessions, commands });
  });

  /**
   * The session's page. A refused form comes back in the flash and is shown beside its form rather than at the top;
   * the import preview (`preview`) is the one form answered with the page itself.
   */
  const page = async (req: Request, res: Response, preview?: { status: number; form: SessionForm }) => {
    const user = userOf(res);
    const view = await visibleSession(deps.client, actorOf(user), String(req.params.id));
    const flash = preview ? undefined : await takeFlash(req, res);
    const model = sessionPageModel(view, user, await readerOf(res, view), preview?.form ?? refusedForm(flash));
    res.status(preview?.status ?? 200).render('session', {
      title: tOf(res)('session:page.title', { sessionId: view.sessionId }),
      flash: model.refusalShown ? undefined : flash,
      ...model,
    });
  };

  router.get('/sessions/:id', requireUser, (req, res) => page(req, res));

  /**
   * Sends one update and redirects back to the page: with `done` on success; on a refusal with its reason, the form
   * it is `about` and what was typed there. Failures of the server itself go to the error page.
   */
  const act = async (
    req: Request,
    res: Response,
    send: (user: User, view: SessionView) => Promise<unknown>,
    done: string | (() => string),
    about: string,
  ) => {
    const user = userOf(res);
    const view = await visibleSession(deps.client, actorOf(user), String(req.params.id));
    const back = `/sessions/${encodeURIComponent(view.sessionId)}`;
    try {
      await send(user, view);
    } catch (error) {
      const { status, message, fields } = await httpAnswerFor(error, tOf(res), deps.db);
      if (status >= 500) throw error;
      await setFlash(res, req, { kind: 'error', message, about, typed: typedFields(req.body), fields });
      return res.redirect(303, back);
    }
    await setFlash(res, req, { kind: 'ok', message: typeof done === 'string' ? done : done() });
    res.redirect(303, back);
  };

  router.post('/sessions/:id/tasks/:taskId/:action', requireUser, async (req, res) => {
    const t = tOf(res);
    const { taskId, action } = req.params as Record<string, string>;
    const update: UpdateDefinition<SessionView, [SessionTaskDecision]> | undefined = Object.hasOwn(TASK_ACTIONS, action)
      ? TASK_ACTIONS[action as keyof typeof TASK_ACTIONS]
      : undefined;
    let kind: SessionView['tasks'][number]['kind'] | undefined;
    await act(
      req,
      res,
      (user, view) => {
        kind = view.tasks.find((task) => task.id === taskId)?.kind;
        if (!update) throw new HttpError(404, t('session:refused.noAction', { action }));
        // The form's comment is the decision's reason too; the batch's choices come as `out:` and `why:` fields.
        const form = { comment: req.body?.comment, takeOut: takeOutOf(req.body) };
        const { comment, takeOut } = readPageForm(SessionTaskBody, form, t);
        const decision = { taskId, actor: actorOf(user), comment, takeOut };
        return performSessionTaskAction(deps, view.sessionId, update, decision, t);
      },
      () => taskDone(t, kind, action),
      `${TASK_FORM}${taskId}`,
    );
  });

  router.post('/sessions/:id/attendance', requireUser, async (req, res) => {
    const t = tOf(res);
    const chosen: { ticketNumber: string; present: boolean }[] = [];
    for (const [name, value] of Object.entries((req.body ?? {}) as Record<string, unknown>)) {
      if (!name.startsWith('mark:') || (value !== 'present' && value !== 'absent')) continue;
      chosen.push({ ticketNumber: name.slice('mark:'.length), present: value === 'present' });
    }
    await act(
      req,
      res,
      (user, view) => {
        const { marks } = readPageForm(AttendanceBody, { marks: chosen }, t);
        return updateSession(deps.client, view.sessionId, recordAttendance, { actor: actorOf(user), marks });
      },
      t('session:checkIn.done', { count: chosen.length }),
      'check-in',
    );
  });

  router.post('/sessions/:id/scores', requireUser, async (req, res) => {
    const rows = new Map<string, ScoreRowsCommand['rows'][number]>();
    for (const [name, value] of Object.entries((req.body ?? {}) as Record<string, unknown>)) {
      const [part, ticketNumber] = name.split(/:(.*)/s);
      const known = part === 'knowledge' || part === 'skills' || part === 'disqualified';
      if (!known || !ticketNumber || typeof value !== 'string') continue;
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
      tOf(res)('session:sheet.done', { count: rows.size }),
      'scores',
    );
  });

  /**
   * The team's file, previewed: each row matched to its ticket or named with why it cannot go on the sheet. The file
   * is read here and not kept; a valid preview carries its lines in the confirming form, and the session checks them
   * again when they are sent. The preview is answered with the page itself, not a redirect: it changes nothing, and
   * the file it shows is not kept anywhere to show after one.
   */
  router.post('/sessions/:id/scores/import', requireUser, async (req, res) => {
    const user = userOf(res);
    const view = await visibleSession(deps.client, actorOf(user), String(req.params.id));
    const file = (req as Request & { file?: Express.Multer.File }).file;
    try {
      const preview = previewImport(view, await readScoreFile(file?.buffer ?? Buffer.alloc(0)));
      const form: SessionForm = { section: 'import', preview, fileName: file?.originalname };
      return page(req, res, { status: preview.valid ? 200 : 422, form });
    } catch (error) {
      const { status, message } = await httpAnswerFor(error, tOf(res), deps.db);
      if (status >= 500) throw error;
      return page(req, res, { status, form: { section: 'import', error: message } });
    }
  });

  router.post('/sessions/:id/scores/import/confirm', requireUser, async (req, res) => {
    let lines: unknown = [];
    try {
      lines = JSON.parse(String(req.body?.lines ?? '[]'));
    } catch {
      // Only a hand-made request sends lines that are not JSON; the empty list is refused with its reason.
    }
    let rows: ScoreRowsCommand['rows'] = [];
    await act(
      req,
      res,
      (user, view) => {
        ({ rows } = readPageForm(ScoresBody, { rows: lines }, tOf(res)));
        return updateSession(deps.client, view.sessionId, enterScores, { actor: actorOf(user), rows });
      },
      () => tOf(res)('session:import.done', { count: rows.length }),
      'import',
    );
  });

  router.post('/sessions/:id/seats', requireUser, async (req, res) => {
    let done = '';
    await act(
      req,
      res,
      async (user, view) => {
        const { applicationNumber } = readPageForm(SeatBody, req.body, tOf(res));
        const client = { client: deps.client, db: deps.db, catalogue: deps.catalogue, now: deps.now };
        const entry = await seatCase(client, { actor: actorOf(user), sessionId: view.sessionId, applicationNumber });
        done = tOf(res)('session:seat.done', {
          applicationNumber: applicationNumber.toUpperCase(),
          room: entry.seat.room,
          number: entry.seat.number,
          ticketNumber: entry.ticketNumber,
        });
      },
      () => done,
      'seat',
    );
  });

  router.post('/sessions/:id/cancel', requireUser, async (req, res) => {
    await act(
      req,
      res,
      (user, view) => {
        const { reason } = readPageForm(CancelBody, req.body, tOf(res));
        return updateSession(deps.client, view.sessionId, cancelSession, { actor: actorOf(user), reason });
      },
      tOf(res)('session:cancel.done'),
      'cancel',
    );
  });

  return router;
}

/**
 * A form read with its API twin's schema (contract/sessions.ts). The session page shows one line beside the refused
 * form, so a refusal's message names each field with its problem, as the session's own refusals do.
 */
function readPageForm<Schema extends z.ZodType>(schema: Schema, body: unknown, t: TFunction): z.output<Schema> {
  try {
    return readForm(schema, body, t);
  } catch (error) {
    const fields = error instanceof HttpError ? error.fields : undefined;
    if (!fields) throw error;
    const lines = Object.entries(fields).map(([field, text]) =>
      t('refusals:fields.line', { field: t(`refusals:field.${field}`, { defaultValue: field }), text }),
    );
    throw new HttpError((error as HttpError).status, lines.join(' '), (error as HttpError).details);
  }
}

/** A results level's form: each `out:<ticket>` chosen (return or reject) with its `why:<ticket>`; none when empty. */
function takeOutOf(body: unknown): TakeOut[] | undefined {
  const fields = (body ?? {}) as Record<string, unknown>;
  const takeOut: TakeOut[] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (!name.startsWith('out:') || (value !== 'return' && value !== 'reject')) continue;
    const ticketNumber = name.slice(4);
    const reason = fields[`why:${ticketNumber}`];
    takeOut.push({ ticketNumber, decision: value, reason: typeof reason === 'string' ? reason : '' });
  }
  return takeOut.length > 0 ? takeOut : undefined;
}
