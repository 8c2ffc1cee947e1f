/**
 * A case's page and JSON for the people it passes through: its stage on a picture of the path, the eligibility
 * explanation, scores, tasks and decisions. The candidate's personal data only for those whose work needs it.
 */
import { Router } from 'express';
import type { AppDeps } from '../app';
import { caseFor, isAdministrator } from '../auth/access';
import { requireUser, userOf } from '../auth/session';
import { caseFileModel } from '../caseModel';
import { casePathSvg } from '../charts/casePath';
import { takeFlash } from '../flash';
import { visibleCase } from '../taskActions';
import { workflowIdFor, type CaseView, type Stage } from '../../workflows/definitions';

export function casesRouter(deps: AppDeps): Router {
  const router = Router();

  router.get('/api/cases/:number', requireUser, async (req, res) => {
    const user = userOf(res);
    res.json(caseFor(user, await visibleCase(deps.client, user, String(req.params.number))));
  });

  router.get('/cases/:number', requireUser, async (req, res) => {
    const user = userOf(res);
    const view = caseFor(user, await visibleCase(deps.client, user, String(req.params.number)));
    res.render('case', {
      title: `Case ${view.applicationNumber}`,
      flash: takeFlash(req, res),
      ...caseFileModel(view),
      pathSvg: pathPicture(view),
      isAdministrator: isAdministrator(user),
      workflowUrl: temporalUiLink(deps, view.applicationNumber),
    });
  });
  return router;
}

/** The stages the case has been through, from its history's stage events, for the path picture. */
export function pathPicture(view: CaseView): string {
  const visited = view.history
    .filter((event) => event.type.startsWith('stage:'))
    .map((event) => event.type.slice('stage:'.length) as Stage);
  return casePathSvg({ stage: view.stage, trainingRequired: view.trainingRequired, visited });
}

export function temporalUiLink({ temporalUiUrl, namespace }: AppDeps, applicationNumber: string): string {
  return `${temporalUiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(
    workflowIdFor(applicationNumber),
  )}`;
}
