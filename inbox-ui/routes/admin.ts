/**
 * The administrators' console: find cases (by number, ID number, name, stage, station, occupation) in the case index;
 * a case's history as a business timeline built from the workflow's event history, beside the raw events and a link
 * to the same workflow in the Temporal Web UI; cancelling a case with a reason; and the SLA dashboard.
 */
import { Router } from 'express';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { AppDeps } from '../app';
import { searchCases, type CaseSearch } from '../../records/caseIndex';
import { listOrganisations } from '../../records/directory';
import { openTaskCountsByStage, overdueTasks } from '../../records/sla';
import { cancelCase, getState, Stage, workflowIdFor } from '../../workflows/definitions';
import { actorOf } from '../auth/access';
import { requireAdministrator, requireUser, userOf } from '../auth/session';
import { caseFileModel } from '../caseModel';
import { slaChartSvg } from '../charts/slaChart';
import { DUE_SOON_MS, dueStateOf } from '../dueState';
import { setFlash, takeFlash } from '../flash';
import { dueStateLabel, stageLabel, stageOptions, taskLabel } from '../labels';
import { projectCase } from '../taskActions';
import { businessTimeline } from '../timeline';
import { httpStatusFor } from '../temporalErrors';
import { fieldErrors, optionalChoice, optionalInteger, optionalText, text, type FieldErrors } from '../validation';
import { pathPicture, temporalUiLink } from './cases';
import type { TFunction } from 'i18next';
import { tOf } from '../language';

const RESULTS_PER_PAGE = 50;

export function adminRouter(deps: AppDeps): Router {
  const router = Router();
  const now = deps.now ?? (() => new Date());
  router.use(['/admin', '/api/admin'], requireUser, requireAdministrator);

  router.get('/admin/cases', async (req, res) => {
    const errors = fieldErrors(tOf(res));
    const search = readSearch(req.query, errors);
    const searched = Object.values(req.query).some((value) => typeof value === 'string' && value !== '');
    const rows = searched && !Object.keys(errors.messages).length ? await searchCases(deps.db, search) : [];
    res.render('adminCases', {
      title: 'Find cases',
      typed: req.query,
      errors: errors.messages,
      searched,
      cases: rows.map((row) => ({ ...row, stageLabel: stageLabel(tOf(res), row.stage) })),
      stages: stageOptions(tOf(res), search.stage),
      stations: (await listOrganisations(deps.db))
        .filter((org) => org.kind === 'station')
        .map((org) => ({ ...org, selected: org.id === search.stationId })),
    });
  });

  router.get('/api/admin/cases', async (req, res) => {
    const errors = fieldErrors(tOf(res));
    const search = readSearch(req.query, errors);
    errors.throwIfAny('Some search fields are not valid.');
    res.json({ cases: await searchCases(deps.db, search) });
  });

  router.get('/admin/cases/:number', async (req, res) => {
    const number = String(req.params.number);
    const { view, timeline, events } = await caseHistory(deps, number);
    res.render('adminCase', {
      title: `Case ${number} · history`,
      flash: await takeFlash(req, res),
      ...caseFileModel(view, tOf(res)),
      pathSvg: pathPicture(view, tOf(res)),
      timeline,
      events,
      workflowUrl: temporalUiLink(deps, number),
    });
  });

  router.get('/api/admin/cases/:number/history', async (req, res) => {
    const { view, timeline, events } = await caseHistory(deps, String(req.params.number));
    res.json({ case: view, timeline, events });
  });

  router.post('/admin/cases/:number/cancel', async (req, res) => {
    const number = String(req.params.number);
    try {
      await cancel(deps, userOf(res), number, req.body, tOf(res));
      await setFlash(res, req, { kind: 'ok', message: `Case ${number} was cancelled.` });
    } catch (error) {
      const { status, message, fields } = httpStatusFor(error);
      if (status === 404 || status >= 500) throw error;
      await setFlash(res, req, { kind: 'error', message: fields?.reason ? `The reason ${fields.reason}.` : message });
    }
    res.redirect(303, `/admin/cases/${encodeURIComponent(number)}`);
  });

  router.post('/api/admin/cases/:number/cancel', async (req, res) => {
    const view = await cancel(deps, userOf(res), String(req.params.number), req.body, tOf(res));
    res.json({ message: `Case ${view.applicationNumber} was cancelled.`, case: view });
  });

  router.get('/admin/sla', async (_req, res) => {
    res.render('sla', { title: 'Deadlines', ...(await slaModel(deps, now(), tOf(res))) });
  });

  router.get('/api/admin/sla', async (_req, res) => {
    const { stages, overdue } = await slaModel(deps, now(), tOf(res));
    res.json({ stages, overdue });
  });
  return router;
}

function readSearch(source: unknown, errors: FieldErrors): CaseSearch {
  const page = optionalInteger(source, 'page', errors, { min: 1, max: 10_000 }) ?? 1;
  return {
    applicationNumber: optionalText(source, 'number', errors, 40),
    idNumber: optionalText(source, 'idNumber', errors, 40),
    name: optionalText(source, 'name', errors, 100),
    stage: optionalChoice(source, 'stage', Object.values(Stage), errors),
    stationId: optionalText(source, 'station', errors, 100),
    occupation: optionalText(source, 'occupation', errors, 100),
    limit: RESULTS_PER_PAGE,
    offset: (page - 1) * RESULTS_PER_PAGE,
  };
}

async function caseHistory(deps: AppDeps, applicationNumber: string) {
  const handle = deps.client.workflow.getHandle(workflowIdFor(applicationNumber));
  // The query first: for a case that does not exist it fails as WorkflowNotFoundError (a 404), where fetchHistory fails
  // with a bare gRPC NOT_FOUND (a 500), and in parallel either could come first.
  const view = await handle.query(getState);
  const history = await handle.fetchHistory();
  const raw = JSON.parse(historyToJSON(history)) as { events: Record<string, unknown>[] };
  return {
    view,
    timeline: businessTimeline(history.events ?? []),
    events: raw.events.map((event) => ({
      eventId: event.eventId,
      eventType: event.eventType,
      eventTime: event.eventTime,
      json: JSON.stringify(event, null, 2),
    })),
  };
}

async function cancel(
  deps: AppDeps,
  user: ReturnType<typeof userOf>,
  applicationNumber: string,
  body: unknown,
  t: TFunction,
) {
  const errors = fieldErrors(t);
  const reason = text(body, 'reason', errors, { max: 2000 });
  errors.throwIfAny('Say why the case is cancelled.');
  const handle = deps.client.workflow.getHandle(workflowIdFor(applicationNumber));
  const view = await handle.executeUpdate(cancelCase, { args: [{ actor: actorOf(user), reason: reason! }] });
  await projectCase(deps.db, view);
  return view;
}

async function slaModel(deps: AppDeps, now: Date, t: TFunction) {
  const bounds = { now: now.toISOString(), soon: new Date(now.getTime() + DUE_SOON_MS).toISOString() };
  const [counts, overdue] = await Promise.all([
    openTaskCountsByStage(deps.db, bounds),
    overdueTasks(deps.db, { now: bounds.now, limit: 100 }),
  ]);
  const stages = counts.map((row) => ({ ...row, label: stageLabel(t, row.stage) }));
  return {
    stages,
    chartSvg: slaChartSvg(stages),
    totals: {
      overdue: stages.reduce((sum, row) => sum + row.overdue, 0),
      dueSoon: stages.reduce((sum, row) => sum + row.dueSoon, 0),
      onTime: stages.reduce((sum, row) => sum + row.onTime, 0),
    },
    overdue: overdue.map((row) => ({
      applicationNumber: row.application_number,
      taskId: row.task_id,
      kindLabel: taskLabel(t, row.kind),
      stageLabel: stageLabel(t, row.stage),
      candidateGroup: row.candidate_group,
      assignee: row.assignee,
      escalated: row.escalated === 1,
      dueAt: row.due_at,
      dueStateLabel: dueStateLabel(t, dueStateOf(row.due_at, now)),
      link: `/tasks/${encodeURIComponent(row.application_number)}/${encodeURIComponent(row.task_id)}`,
    })),
  };
}
