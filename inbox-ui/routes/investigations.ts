/**
 * Disciplinary reports and investigations through the JSON API: the command line's only way to them. A report is filed
 * by the signed-in person; deciding and appealing are the workflow's to allow (its task groups; the issuing station for
 * an appeal), as every decision is; an investigation is shown only to those who act on it.
 */
import type { Client } from '@temporalio/client';
import { Router } from 'express';
import type { TFunction } from 'i18next';
import type { User } from '../../records/directory';
import { appeal, decide, investigationHandle, reportViolation, ReportRefused } from '../../runtime/investigations';
import { RefusalType } from '../../workflows/definitions';
import { appealingGroupsFor } from '../../workflows/investigationFile';
import {
  getInvestigationState,
  type InvestigationDecision,
  type InvestigationView,
} from '../../workflows/investigationDefinitions';
import type { AppDeps } from '../app';
import { actorOf, isAdministrator } from '../auth/access';
import { requireUser, userOf } from '../auth/session';
import { tOf } from '../language';
import { messageText } from '../messageText';
import { HttpError } from '../temporalErrors';
import { AppealBody, DecisionBody, DECISIONS, type Report, ReportBody } from '../contract/investigations';
import { readJson } from '../contract/read';

export function investigationsRouter(deps: AppDeps): Router {
  const router = Router();

  router.post('/api/investigations', requireUser, async (req, res) => {
    const user = userOf(res);
    const t = tOf(res);
    const { certificateNumber, category, description } = readReport(req.body, t);
    try {
      const outcome = await reportViolation(
        { client: deps.client, db: deps.db, taskQueue: deps.taskQueue },
        { certificateNumber, report: { reporter: user.id, category, description } },
      );
      res.status(outcome.attached ? 200 : 201).json(outcome);
    } catch (error) {
      if (!(error instanceof ReportRefused)) throw error;
      const words = messageText(t, error.said);
      const status = error.type === RefusalType.NotFound ? 404 : 422;
      throw new HttpError(status, fieldLine(t, error.field, words), { fields: { [error.field]: words } });
    }
  });

  router.get('/api/investigations/:id', requireUser, async (req, res) => {
    res.json(await visibleInvestigation(deps.client, userOf(res), String(req.params.id), tOf(res)));
  });

  router.post('/api/investigations/:id/decide/:decision', requireUser, async (req, res) => {
    const { id, decision } = req.params as Record<string, string>;
    const t = tOf(res);
    res.json(await decideOnInvestigation(deps.client, userOf(res), id, decision, req.body, readJson, t));
  });

  router.post('/api/investigations/:id/appeal', requireUser, async (req, res) => {
    const id = String(req.params.id);
    res.json(await appealInvestigation(deps.client, userOf(res), id, req.body, readJson, tOf(res)));
  });

  return router;
}

/**
 * The report's body. The command line shows only the answer's sentence, so it names each field at fault and its
 * problem, as the report's own check does.
 */
function readReport(body: unknown, t: TFunction): Report {
  try {
    return readJson(ReportBody, body, t);
  } catch (error) {
    const fields = error instanceof HttpError ? error.fields : undefined;
    if (!fields) throw error;
    const lines = Object.entries(fields).map(([field, words]) => fieldLine(t, field, words));
    const said = lines.length === 1 ? lines : [t('refusals:fields.invalid', { count: lines.length }), ...lines];
    throw new HttpError(422, said.join(' '), { fields });
  }
}

const fieldLine = (t: TFunction, field: string, text: string) =>
  t('refusals:fields.line', { field: t(`refusals:field.${field}`, { defaultValue: field }), text });

// ---- Shared with the investigation's page (routes/investigationPages.ts): one check, one decision, one appeal. ----

/** The investigation, or 404 for one that is not there and for one this person has no part in alike. */
export async function visibleInvestigation(
  client: Client,
  user: User,
  id: string,
  t: TFunction,
): Promise<InvestigationView> {
  const view = await investigationHandle(client, id)
    .query(getInvestigationState)
    .catch(() => undefined);
  if (!view || !takesPart(user, view)) throw new HttpError(404, t('common:error.noSuchInvestigation'));
  return view;
}

/**
 * A decision as sent (`decision` from the path, `reason` and `category` from the body, read by the API as JSON and by
 * the page as its form): checked, then sent.
 */
export async function decideOnInvestigation(
  client: Client,
  user: User,
  id: string,
  decision: string,
  body: unknown,
  read: typeof readJson,
  t: TFunction,
): Promise<InvestigationView> {
  if (!DECISIONS.includes(decision as InvestigationDecision)) {
    throw new HttpError(404, t('case:errors.noAction', { action: decision }));
  }
  await visibleInvestigation(client, user, id, t);
  const { reason, category } = read(DecisionBody, body, t);
  return decide(client, id, decision as InvestigationDecision, {
    actor: actorOf(user),
    reason,
    ...(category !== undefined && { category }),
  });
}

/** The issuing station's appeal for the holder, with its reason from the body (JSON, or the page's form). */
export async function appealInvestigation(
  client: Client,
  user: User,
  id: string,
  body: unknown,
  read: typeof readJson,
  t: TFunction,
): Promise<InvestigationView> {
  await visibleInvestigation(client, user, id, t);
  const { reason } = read(AppealBody, body, t);
  return appeal(client, id, { actor: actorOf(user), reason });
}

/** Its task groups (and their supervisors), the station that issued the certificate, and administrators. */
function takesPart(user: User, view: InvestigationView): boolean {
  if (isAdministrator(user)) return true;
  const groups = new Set([
    ...view.tasks.flatMap((task) => [task.candidateGroup, task.supervisingGroup]),
    ...(view.holder ? appealingGroupsFor(view.holder.stationId) : []),
  ]);
  return user.roles.some((group) => groups.has(group));
}
