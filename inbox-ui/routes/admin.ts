/**
 * The administrators' console: find cases (by number, ID number, name, stage, station, occupation) in the case index;
 * a case's history as a business timeline built from the workflow's event history, beside the raw events and a link
 * to the same workflow in the Temporal Web UI; cancelling a case with a reason; and the SLA dashboard. Pages and API
 * answers are in the reader's language (the `admin` catalogue), with names for people, groups and organisations.
 */
import { Router, type Response } from 'express';
import type { TFunction } from 'i18next';
import type { z } from 'zod';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { AppDeps } from '../app';
import type { Language } from '../../i18n';
import { type Level, levelTitle, levelTitleZh } from '../../domain/levels';
import { DEFAULT_CATALOGUE, findOccupation, occupationName } from '../../domain/occupations';
import { type CaseIndexRow, searchCases, type CaseSearch } from '../../records/caseIndex';
import { listOrganisations } from '../../records/directory';
import { openTaskCountsByStage, overdueTasks } from '../../records/sla';
import { cancelCase, getState, workflowIdFor } from '../../workflows/definitions';
import { actorOf } from '../auth/access';
import { requireAdministrator, requireUser, userOf } from '../auth/session';
import { caseFileModel } from '../caseModel';
import { type Directory, directoryOf } from '../names';
import { slaChartSvg } from '../charts/slaChart';
import { DUE_SOON_MS, dueStateOf } from '../dueState';
import { setFlash, takeFlash, typedFields } from '../flash';
import { dueStateLabel, stageLabel, stageOptions } from '../labels';
import { languageOf, tOf } from '../language';
import { projectCase } from '../taskActions';
import { withRemovalShown } from '../personalDataRemoved';
import { businessTimeline, taskName } from '../timeline';
import { httpAnswerFor } from '../temporalErrors';
import { caseShown, peopleShownToAdministrator } from '../personalDataShown';
import { CancelBody, type CaseSearchFields, CaseSearchQuery } from '../contract/admin';
import { readForm, readJson, readQuery, refusedOr } from '../contract/read';
import { pathPicture, temporalUiLink } from './cases';
import { decodeHistory } from '../../runtime/encryption/history';

const RESULTS_PER_PAGE = 50;

/** The search form's fields, by the name they have in the query, and the catalogue key of their label. */
const SEARCH_FIELDS: Record<string, string> = {
  number: 'admin:cases.number',
  idNumber: 'admin:cases.idNumber',
  name: 'admin:cases.name',
  stage: 'admin:cases.stage',
  station: 'admin:cases.station',
  occupation: 'admin:cases.occupation',
  page: 'admin:cases.page',
};

/** The cancel form's flash says which form it is about, so the page puts the typed reason back in that form only. */
const CANCEL_FORM = 'cancel';

export function adminRouter(deps: AppDeps): Router {
  const router = Router();
  const now = deps.now ?? (() => new Date());
  router.use(['/admin', '/api/admin'], requireUser, requireAdministrator);

  router.get('/admin/cases', async (req, res) => {
    const t = tOf(res);
    const language = languageOf(res);
    const read = refusedOr(() => readQuery(CaseSearchQuery, req.query, t));
    const searched = Object.values(req.query).some((value) => typeof value === 'string' && value !== '');
    const invalid = read.fields !== undefined;
    const rows = searched && read.value ? await searchCases(deps.db, caseSearch(read.value)) : [];
    await shownInSearch(deps, userOf(res), rows);
    const stations = (await listOrganisations(deps.db)).filter((org) => org.kind === 'station');
    const stationName = new Map(stations.map((org) => [org.id, org.name]));
    // The selects keep what was chosen: as read, or as sent when the search could not be read.
    const chosen = read.value ?? typedChoices(req.query);
    // A search that could not be read says so, like the inbox: the page shows why, its status that nothing was found.
    res.status(invalid ? 422 : 200).render('adminCases', {
      title: t('admin:cases.title'),
      typed: req.query,
      errors: Object.entries(read.fields ?? {}).map(([field, message]) => ({
        field: SEARCH_FIELDS[field] ? t(SEARCH_FIELDS[field]) : field,
        message,
      })),
      searched,
      cases: rows.map((row) => ({
        ...row,
        stageLabel: stageLabel(t, row.stage),
        occupationName: occupationLabel(row.occupation, language),
        levelTitle: levelName(row.level, language),
        stationName: stationName.get(row.station_id) ?? row.station_id,
      })),
      stages: stageOptions(t, chosen.stage),
      stations: stations.map((org) => ({ ...org, selected: org.id === chosen.station })),
      occupations: occupationOptions(language, chosen.occupation),
    });
  });

  router.get('/api/admin/cases', async (req, res) => {
    const t = tOf(res);
    const rows = await searchCases(
      deps.db,
      caseSearch(readQuery(CaseSearchQuery, req.query, t, t('admin:cases.invalid'))),
    );
    await shownInSearch(deps, userOf(res), rows);
    res.json({ cases: rows });
  });

  router.get('/admin/cases/:number', async (req, res) => {
    const number = String(req.params.number);
    const t = tOf(res);
    const directory = await directoryOf(deps.db, t);
    const { view, timeline, events } = await caseHistory(deps, number, res, directory);
    await caseShown(deps, userOf(res), view, 'admin-case-history');
    const flash = await takeFlash(req, res);
    const refused = flash?.about === CANCEL_FORM ? flash : undefined;
    res.render('adminCase', {
      title: t('admin:case.title', { number }),
      flash,
      cancel: { reason: refused?.typed?.reason ?? '', error: refused?.fields?.reason },
      ...caseFileModel(view, t, directory),
      pathSvg: pathPicture(view, t),
      timeline,
      events,
      workflowUrl: temporalUiLink(deps, number),
    });
  });

  router.get('/api/admin/cases/:number/history', async (req, res) => {
    const directory = await directoryOf(deps.db, tOf(res));
    const { view, timeline, events } = await caseHistory(deps, String(req.params.number), res, directory);
    await caseShown(deps, userOf(res), view, 'admin-case-history');
    res.json({ case: view, timeline, events });
  });

  router.post('/admin/cases/:number/cancel', async (req, res) => {
    const number = String(req.params.number);
    const t = tOf(res);
    try {
      await cancel(deps, userOf(res), number, readForm(CancelBody, req.body, t, t('admin:cancel.summary')));
      await setFlash(res, req, { kind: 'ok', message: t('admin:cancel.done', { number }) });
    } catch (error) {
      const { status, message, fields } = await httpAnswerFor(error, t, deps.db);
      if (status === 404 || status >= 500) throw error;
      await setFlash(res, req, {
        kind: 'error',
        message: fields?.reason ? t('admin:cancel.reasonError', { error: fields.reason }) : message,
        about: CANCEL_FORM,
        typed: typedFields(req.body, ['reason']),
        fields,
      });
    }
    res.redirect(303, `/admin/cases/${encodeURIComponent(number)}`);
  });

  router.post('/api/admin/cases/:number/cancel', async (req, res) => {
    const t = tOf(res);
    const body = readJson(CancelBody, req.body, t, t('admin:cancel.summary'));
    const view = await cancel(deps, userOf(res), String(req.params.number), body);
    await caseShown(deps, userOf(res), view, 'admin-cancel-api');
    res.json({ message: t('admin:cancel.done', { number: view.applicationNumber }), case: view });
  });

  router.get('/admin/sla', async (_req, res) => {
    res.render('sla', { title: tOf(res)('admin:sla.title'), ...(await slaModel(deps, now(), tOf(res))) });
  });

  router.get('/api/admin/sla', async (_req, res) => {
    const { stages, overdue } = await slaModel(deps, now(), tOf(res));
    res.json({ stages, overdue });
  });
  return router;
}

/** Each row found shows its candidate's name and ID number: one access-log row each, written together. */
const shownInSearch = (deps: AppDeps, user: ReturnType<typeof userOf>, rows: CaseIndexRow[]) =>
  peopleShownToAdministrator(
    deps,
    user,
    'admin-case-search',
    rows
      .filter((row) => row.id_number || row.candidate_name)
      .map((row) => ({ applicationNumber: row.application_number, idNumber: row.id_number })),
  );

/** The search form's fields as the case index searches them, a page at a time. */
function caseSearch({ page = 1, number, station, ...fields }: CaseSearchFields): CaseSearch {
  return {
    ...fields,
    applicationNumber: number,
    stationId: station,
    limit: RESULTS_PER_PAGE,
    offset: (page - 1) * RESULTS_PER_PAGE,
  };
}

/** The selects' values as sent, for a search that could not be read. */
function typedChoices(query: Record<string, unknown>): { stage?: string; station?: string; occupation?: string } {
  const typed = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return { stage: typed(query.stage), station: typed(query.station), occupation: typed(query.occupation) };
}

const occupationLabel = (code: string, language: Language) => {
  const occupation = findOccupation(code, DEFAULT_CATALOGUE);
  return occupation ? occupationName(occupation, language) : code;
};

const levelName = (level: number, language: Language) =>
  language === 'zh-CN' ? levelTitleZh(level as Level) : levelTitle(level as Level);

/** Every occupation by its name in the reader's language, in that language's order; the case index keeps codes. */
function occupationOptions(language: Language, selected?: string) {
  return DEFAULT_CATALOGUE.map((occupation) => ({
    value: occupation.code,
    label: occupationName(occupation, language),
    selected: occupation.code === selected,
  })).sort((a, b) => a.label.localeCompare(b.label, language));
}

async function caseHistory(deps: AppDeps, applicationNumber: string, res: Response, names: Directory) {
  const handle = deps.client.workflow.getHandle(workflowIdFor(applicationNumber));
  // The query first: for a case that does not exist it fails as WorkflowNotFoundError (a 404), where fetchHistory fails
  // with a bare gRPC NOT_FOUND (a 500), and in parallel either could come first.
  const view = await withRemovalShown(deps.db, await handle.query(getState));
  // Decoded here: the server keeps only ciphertext (runtime/encryption/codec.ts).
  const history = await decodeHistory(
    await handle.fetchHistory(),
    deps.client.options.loadedDataConverter.payloadCodecs,
  );
  const raw = JSON.parse(historyToJSON(history)) as { events: Record<string, unknown>[] };
  return {
    view,
    timeline: businessTimeline(history.events ?? [], { t: tOf(res), language: languageOf(res), names }),
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
  { reason }: z.output<typeof CancelBody>,
) {
  const handle = deps.client.workflow.getHandle(workflowIdFor(applicationNumber));
  const view = await handle.executeUpdate(cancelCase, { args: [{ actor: actorOf(user), reason }] });
  await projectCase(deps.db, view);
  return view;
}

async function slaModel(deps: AppDeps, now: Date, t: TFunction) {
  const bounds = { now: now.toISOString(), soon: new Date(now.getTime() + DUE_SOON_MS).toISOString() };
  const [counts, overdue, directory] = await Promise.all([
    openTaskCountsByStage(deps.db, bounds),
    overdueTasks(deps.db, { now: bounds.now, limit: 100 }),
    directoryOf(deps.db, t),
  ]);
  const stages = counts.map((row) => ({ ...row, label: stageLabel(t, row.stage) }));
  return {
    stages,
    chartSvg: slaChartSvg(stages, t),
    totals: {
      overdue: stages.reduce((sum, row) => sum + row.overdue, 0),
      dueSoon: stages.reduce((sum, row) => sum + row.dueSoon, 0),
      onTime: stages.reduce((sum, row) => sum + row.onTime, 0),
    },
    overdue: overdue.map((row) => ({
      applicationNumber: row.application_number,
      taskId: row.task_id,
      kindLabel: taskName(t, row.kind),
      stageLabel: stageLabel(t, row.stage),
      candidateGroup: row.candidate_group,
      groupName: directory.group(row.candidate_group),
      assignee: row.assignee,
      assigneeName: row.assignee ? directory.person(row.assignee) : undefined,
      escalated: row.escalated === 1,
      dueAt: row.due_at,
      dueStateLabel: dueStateLabel(t, dueStateOf(row.due_at, now)),
      link: `/tasks/${encodeURIComponent(row.application_number)}/${encodeURIComponent(row.task_id)}`,
    })),
  };
}
