/**
 * Disciplinary reports and investigations through the JSON API: the command line's only way to them. A report is filed
 * by the signed-in person; deciding and appealing are the workflow's to allow (its task groups; the issuing station for
 * an appeal), as every decision is; an investigation is shown only to those who act on it.
 */
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

  /** The investigation, or 404 for one that is not there and for one this person has no part in alike. */
  const visibleInvestigation = async (user: User, id: string, t: TFunction): Promise<InvestigationView> => {
    const view = await investigationHandle(deps.client, id)
      .query(getInvestigationState)
      .catch(() => undefined);
    if (!view || !takesPart(user, view)) throw new HttpError(404, t('common:error.noSuchInvestigation'));
    return view;
  };

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
    res.json(await visibleInvestigation(userOf(res), String(req.params.id), tOf(res)));
  });

  router.post('/api/investigations/:id/decide/:decision', requireUser, async (req, res) => {
    const user = userOf(res);
    const t = tOf(res);
    const id = String(req.params.id);
    const decision = String(req.params.decision);
    if (!Object.values(InvestigationDecision).includes(decision as InvestigationDecision)) {
      throw new HttpError(404, t('case:errors.noAction', { action: decision }));
    }
    await visibleInvestigation(user, id, t);
    const errors = fieldErrors(t);
    const reason = text(req.body, 'reason', errors, { max: 2000 });
    const category = optionalText(req.body, 'category', errors, 100);
    errors.throwIfAny();
    const view = await decide(deps.client, id, decision as InvestigationDecision, {
      actor: actorOf(user),
      reason: reason!,
      ...(category !== undefined && { category: category as never }),
    });
    res.json(view);
  });

  router.post('/api/investigations/:id/appeal', requireUser, async (req, res) => {
    const user = userOf(res);
    const t = tOf(res);
    const id = String(req.params.id);
    await visibleInvestigation(user, id, t);
    const errors = fieldErrors(t);
    const reason = text(req.body, 'reason', errors, { max: 2000 });
    errors.throwIfAny();
    res.json(await appeal(deps.client, id, { actor: actorOf(user), reason: reason! }));
  });

  return router;
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
