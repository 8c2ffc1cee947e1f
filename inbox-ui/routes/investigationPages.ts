/**
 * The pages of investigations: the department's list of open investigation tasks (read from Temporal visibility,
 * through the search attributes the investigation workflow keeps for its open tasks), and an investigation's page
 * with the forms of whoever acts on it next: the department's decision, or the issuing station's appeal. The forms
 * post to page routes that call the same code as the JSON API (routes/investigations.ts), and answer with a redirect
 * (post, redirect, get): back to the page, with what happened, or why not and what was typed, in the flash.
 */
import type { Client } from '@temporalio/client';
import { type Request, type Response, Router } from 'express';
import type { TFunction } from 'i18next';
import { maskName } from '../../domain/masking';
import type { User } from '../../records/directory';
import { type CaseEvent, searchAttributes, TaskStatus } from '../../workflows/definitions';
import { appealingGroupsFor } from '../../workflows/investigationFile';
import {
  DECISIONS_OF,
  InvestigationDecision,
  InvestigationStage,
  type InvestigationTask,
  type InvestigationView,
  REPORT_CATEGORIES,
} from '../../workflows/investigationDefinitions';
import type { AppDeps } from '../app';
import { readForm } from '../contract/read';
import { isAdministrator } from '../auth/access';
import { requireUser, userOf } from '../auth/session';
import { dueStateOf } from '../dueState';
import { type Flash, setFlash, takeFlash, typedFields } from '../flash';
import { dueStateLabel } from '../labels';
import { tOf } from '../language';
import { type Directory, directoryOf } from '../names';
import { messageText } from '../messageText';
import { httpAnswerFor } from '../temporalErrors';
import { appealInvestigation, decideOnInvestigation, visibleInvestigation } from './investigations';

/** Enough for a department's open investigations; the list is a work queue, not an archive. */
const LIST_LIMIT = 200;
/** The fields of the forms worth keeping when one is refused (never the CSRF token). */
const FORM_FIELDS = ['reason', 'category'];

export interface OpenInvestigation {
  investigationId: string;
  certificateNumber: string;
  stage?: string;
  taskKinds: string[];
  dueAt?: string;
}

/**
 * A group name goes into the visibility query only as a quoted string literal of the characters group names are made
 * of (`department-1:approvers`): anything else cannot be a group an investigation task names, and is left out rather
 * than escaped into a query.
 */
const GROUP_NAME = /^[\w.:-]{1,100}$/;
const quoted = (value: string): string => `'${value}'`;

/**
 * The running investigations with an open task for one of the reader's groups (any group, for an administrator),
 * soonest deadline first. The groups are those the workflow lists for its open tasks: the candidate group, and the
 * supervisors once a task has been escalated.
 */
export async function openInvestigationsFor(client: Client, user: User): Promise<OpenInvestigation[]> {
  const filters = [`WorkflowType = 'investigationWorkflow'`, `ExecutionStatus = 'Running'`];
  if (!isAdministrator(user)) {
    const groups = user.roles.filter((group) => GROUP_NAME.test(group));
    if (groups.length === 0) return [];
    filters.push(`${searchAttributes.candidateGroups.name} IN (${groups.map(quoted).join(', ')})`);
  }
  const found: OpenInvestigation[] = [];
  for await (const execution of client.workflow.list({ query: filters.join(' AND '), pageSize: LIST_LIMIT })) {
    const attrs = execution.typedSearchAttributes;
    const taskKinds = attrs.get(searchAttributes.openTaskKinds) ?? [];
    // An investigation waiting for an appeal has no task for anyone yet.
    if (taskKinds.length > 0) {
      found.push({
        investigationId: execution.workflowId,
        certificateNumber: certificateNumberOf(execution.workflowId),
        stage: attrs.get(searchAttributes.stage),
        taskKinds,
        dueAt: attrs.get(searchAttributes.nextDueAt)?.toISOString(),
      });
    }
    if (found.length >= LIST_LIMIT) break;
  }
  // The most urgent first, as the inbox sorts: the deadline that comes soonest heads the list.
  return found.sort((a, b) => (a.dueAt ?? '9999').localeCompare(b.dueAt ?? '9999'));
}

/** `investigation-<certificate number>-<n>` (investigationIdFor): the number is everything between. */
const certificateNumberOf = (investigationId: string): string =>
  investigationId.replace(/^investigation-/, '').replace(/-\d+$/, '');

export function investigationPagesRouter(deps: AppDeps): Router {
  const router = Router();
  const now = deps.now ?? (() => new Date());
  const pathOf = (id: string) => `/investigations/${encodeURIComponent(id)}`;

  router.get('/investigations', requireUser, async (_req, res) => {
    const t = tOf(res);
    const at = now();
    const open = await openInvestigationsFor(deps.client, userOf(res));
    res.render('investigations', {
      title: t('investigation:list.title'),
      investigations: open.map((item) => {
        const dueState = item.dueAt ? dueStateOf(item.dueAt, at) : undefined;
        return {
          ...item,
          link: pathOf(item.investigationId),
          stageLabel: stageLabel(t, item.stage),
          taskLabel: item.taskKinds.map((kind) => taskLabel(t, kind)).join(t('investigation:list.separator')),
          dueState,
          dueStateLabel: dueState && dueStateLabel(t, dueState),
        };
      }),
    });
  });

  router.get('/investigations/:id', requireUser, async (req, res) => {
    const user = userOf(res);
    const t = tOf(res);
    const view = await visibleInvestigation(deps.client, user, String(req.params.id), t);
    const flash = await takeFlash(req, res);
    // A refused form comes back as it was sent: which form, what was typed, each field's message.
    const refused = flash?.kind === 'error' ? flash : undefined;
    const typed: Record<string, string | undefined> = refused ? { action: refused.about, ...refused.typed } : {};
    // The category a refused revocation was sent with, else the one the first report gave.
    const category = (typed.action === InvestigationDecision.Revoke && typed.category) || view.reports[0]?.category;
    res.render('investigation', {
      title: t('investigation:page.title', { number: view.certificateNumber }),
      notice: flash,
      errors: refused?.fields ?? {},
      typed,
      categories: REPORT_CATEGORIES.map((value) => ({
        value,
        label: categoryLabel(t, value),
        selected: value === category,
      })),
      ...pageModel(view, user, now(), t, await directoryOf(deps.db, t)),
      basePath: pathOf(view.investigationId),
    });
  });

  router.post('/investigations/:id/decide/:decision', requireUser, async (req, res) => {
    const { id, decision } = req.params as Record<string, string>;
    const t = tOf(res);
    await answerForm(req, res, id, decision, t, () =>
      decideOnInvestigation(deps.client, userOf(res), id, decision, req.body, readForm, t),
    );
  });

  router.post('/investigations/:id/appeal', requireUser, async (req, res) => {
    const id = String(req.params.id);
    const t = tOf(res);
    await answerForm(req, res, id, 'appeal', t, () =>
      appealInvestigation(deps.client, userOf(res), id, req.body, readForm, t),
    );
  });

  /** Back to the page either way: done, or refused with what was typed; one not there (or not theirs) is a 404. */
  async function answerForm(
    req: Request,
    res: Response,
    id: string,
    action: string,
    t: TFunction,
    send: () => Promise<InvestigationView>,
  ): Promise<void> {
    try {
      await send();
      await setFlash(res, req, { kind: 'ok', message: t(`investigation:done.${action}`) });
    } catch (error) {
      const { status, message, fields } = await httpAnswerFor(error, t, deps.db);
      if (status === 404 || status >= 500) throw error;
      const refused: Flash = { kind: 'error', message, about: action, fields };
      await setFlash(res, req, { ...refused, typed: typedFields(req.body, FORM_FIELDS) });
    }
    res.redirect(303, pathOf(id));
  }

  return router;
}

const stageLabel = (t: TFunction, stage?: string) =>
  stage ? t(`investigation:stage.${stage}`, { defaultValue: stage }) : '';
const taskLabel = (t: TFunction, kind: string) => t(`investigation:task.${kind}`, { defaultValue: kind });
const categoryLabel = (t: TFunction, category: string) =>
  t(`publicReport:category.${category}`, { defaultValue: category });

/** What the page shows: the investigation with the holder masked, its open task and the forms this reader may use. */
function pageModel(view: InvestigationView, user: User, now: Date, t: TFunction, directory: Directory) {
  const groups = new Set(user.roles);
  const open = view.tasks.find((task) => task.status === TaskStatus.Open);
  const mayDecide =
    !!open &&
    (groups.has(open.candidateGroup) ||
      (open.escalated && (groups.has(open.supervisingGroup) || isAdministrator(user))));
  const mayAppeal =
    view.stage === InvestigationStage.AppealWindow &&
    !view.closed &&
    !view.appeal &&
    !!view.holder &&
    appealingGroupsFor(view.holder.stationId).some((group) => groups.has(group)) &&
    now.getTime() <= Date.parse(view.revocation?.appealClosesAt ?? '');
  const decisions = open && mayDecide ? DECISIONS_OF[open.kind] : [];
  return {
    investigationId: view.investigationId,
    certificateNumber: view.certificateNumber,
    stageLabel: stageLabel(t, view.stage),
    closed: view.closed,
    holder: view.holder && {
      name: maskName(view.holder.name),
      applicationNumber: view.holder.applicationNumber,
      station: directory.organisation(view.holder.stationId),
    },
    reports: view.reports.map((report) => ({
      ...report,
      reporter: report.reporter === 'public' ? t('investigation:page.thePublic') : directory.person(report.reporter),
      categoryLabel: categoryLabel(t, report.category),
    })),
    revocation: view.revocation && {
      ...view.revocation,
      categoryLabel: categoryLabel(t, view.revocation.category),
      byName: directory.person(view.revocation.by),
    },
    appeal: view.appeal && { ...view.appeal, byName: directory.person(view.appeal.by) },
    task: open && taskModel(open, now, t, directory),
    history: view.history.map((event) => historyLine(event, t, directory)),
    decisions: decisions.map((decision) => ({
      decision,
      heading: t(`investigation:decide.${decision}.heading`),
      submit: t(`investigation:decide.${decision}.submit`),
      danger: decision === InvestigationDecision.Revoke || decision === InvestigationDecision.Uphold,
      withCategory: decision === InvestigationDecision.Revoke,
    })),
    mayAppeal,
  };
}

/** Events whose comment is the report's category, and those whose comment is what a person wrote. */
const CATEGORY_EVENTS = new Set(['report-received', 'report-attached', 'certificate-revoked']);
const WRITTEN_EVENTS = /^(task-(revoke|dismiss|uphold|reinstate)|appeal-filed|closed:.*)$/;

/**
 * A line of the history in the reader's words. Other comments (an escalation's "escalated to …") are the workflow's
 * English notes for the record, said again by the event's own words.
 */
function historyLine(event: CaseEvent, t: TFunction, directory: Directory) {
  const said = event.said ? messageText(t, event.said, directory) : undefined;
  const comment = CATEGORY_EVENTS.has(event.type)
    ? event.comment && categoryLabel(t, event.comment)
    : WRITTEN_EVENTS.test(event.type)
      ? (said ?? event.comment)
      : undefined;
  return {
    at: event.at,
    // `stage:appeal-window` is `event.stage.appeal-window` in the catalogue.
    what: t(`investigation:event.${event.type.replace(/:/g, '.')}`, { defaultValue: event.type }),
    by: event.by && (event.by === 'public' ? t('investigation:page.thePublic') : directory.person(event.by)),
    comment,
  };
}

function taskModel(task: InvestigationTask, now: Date, t: TFunction, directory: Directory) {
  const dueState = dueStateOf(task.dueAt, now);
  return {
    label: taskLabel(t, task.kind),
    group: directory.group(task.escalated ? task.supervisingGroup : task.candidateGroup),
    escalated: task.escalated,
    createdAt: task.createdAt,
    dueAt: task.dueAt,
    dueState,
    dueStateLabel: dueStateLabel(t, dueState),
  };
}
