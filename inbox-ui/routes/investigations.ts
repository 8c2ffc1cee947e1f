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
  InvestigationDecision,
  type InvestigationView,
} from '../../workflows/investigationDefinitions';
import type { AppDeps } from '../app';
import { actorOf, isAdministrator } from '../auth/access';
import { requireUser, userOf } from '../auth/session';
import { tOf } from '../language';
import { messageText } from '../messageText';
import { HttpError } from '../temporalErrors';
import { optionalText, fieldErrors, text } from '../validation';

export function investigationsRouter(deps: AppDeps): Router {
  const router = Router();

  router.post('/api/investigations', requireUser, async (req, res) => {
    const user = userOf(res);
    const t = tOf(res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      const outcome = await reportViolation(
        { client: deps.client, db: deps.db, taskQueue: deps.taskQueue },
        {
          certificateNumber: body.certificateNumber as string,
          report: {
            reporter: user.id,
            category: body.category as never,
            description: body.description as string,
          },
        },
      );
      res.status(outcome.attached ? 200 : 201).json(outcome);
    } catch (error) {
      if (!(error instanceof ReportRefused)) throw error;
      const field = t(`refusals:field.${error.field}`, { defaultValue: error.field });
      const words = messageText(t, error.said);
      const status = error.type === RefusalType.NotFound ? 404 : 422;
      throw new HttpError(status, t('refusals:fields.line', { field, text: words }), {
        fields: { [error.field]: words },
      });
    }
  });

  router.get('/api/investigations/:id', requireUser, async (req, res) => {
    res.json(await visibleInvestigation(deps.client, userOf(res), String(req.params.id), tOf(res)));
  });

  router.post('/api/investigations/:id/decide/:decision', requireUser, async (req, res) => {
    const { id, decision } = req.params as Record<string, string>;
    res.json(await decideOnInvestigation(deps.client, userOf(res), id, decision, req.body, tOf(res)));
  });

  router.post('/api/investigations/:id/appeal', requireUser, async (req, res) => {
    res.json(await appealInvestigation(deps.client, userOf(res), String(req.params.id), req.body, tOf(res)));
  });

  return router;
}

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

/** A decision as sent (`decision` from the path, `reason` and `category` from the body): checked, then sent. */
export async function decideOnInvestigation(
  client: Client,
  user: User,
  id: string,
  decision: string,
  body: unknown,
  t: TFunction,
): Promise<InvestigationView> {
  if (!Object.values(InvestigationDecision).includes(decision as InvestigationDecision)) {
    throw new HttpError(404, t('case:errors.noAction', { action: decision }));
  }
  await visibleInvestigation(client, user, id, t);
  const errors = fieldErrors(t);
  const reason = text(body, 'reason', errors, { max: 2000 });
  const category = optionalText(body, 'category', errors, 100);
  errors.throwIfAny();
  return decide(client, id, decision as InvestigationDecision, {
    actor: actorOf(user),
    reason: reason!,
    ...(category !== undefined && { category: category as never }),
  });
}

/** The issuing station's appeal for the holder, with its reason from the body. */
export async function appealInvestigation(
  client: Client,
  user: User,
  id: string,
  body: unknown,
  t: TFunction,
): Promise<InvestigationView> {
  await visibleInvestigation(client, user, id, t);
  const errors = fieldErrors(t);
  const reason = text(body, 'reason', errors, { max: 2000 });
  errors.throwIfAny();
  return appeal(client, id, { actor: actorOf(user), reason: reason! });
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
