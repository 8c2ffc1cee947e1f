/**
 * A case's page and JSON for the people it passes through: its stage on a picture of the path, the eligibility
 * explanation, scores, tasks and decisions. The candidate's personal data only for those whose work needs it.
 */
import { Router } from 'express';
import type { AppDeps } from '../app';
import { actorOf, caseFor, isAdministrator } from '../auth/access';
import { requireUser, userOf } from '../auth/session';
import { caseFileModel } from '../caseModel';
import { casePathSvg } from '../charts/casePath';
import { setFlash, takeFlash } from '../flash';
import { httpStatusFor } from '../temporalErrors';
import { seatInNextSession } from '../../runtime/sessions';
import { sessionOfficeGroups } from '../../workflows/sessionFile';
import { visibleCase } from '../taskActions';
import { Stage, workflowIdFor, type CaseView } from '../../workflows/definitions';
import type { TFunction } from 'i18next';
import { tOf } from '../language';

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
      flash: await takeFlash(req, res),
      ...caseFileModel(view, tOf(res)),
      pathSvg: pathPicture(view, tOf(res)),
      isAdministrator: isAdministrator(user),
      workflowUrl: temporalUiLink(deps, view.applicationNumber),
      mayTakeSeat:
        view.stage === Stage.AwaitingSeat &&
        sessionOfficeGroups(view.application.stationId).some((group) => user.roles.includes(group)),
    });
  });

  /** The station's clerk seats a waiting case in the soonest session of the station that fits and has a seat. */
  router.post('/cases/:number/seat', requireUser, async (req, res) => {
    const user = userOf(res);
    const number = String(req.params.number);
    // Someone who may not see the case hears what its page would tell them: nothing.
    await visibleCase(deps.client, user, number);
    const client = { client: deps.client, db: deps.db, catalogue: deps.catalogue, now: deps.now };
    try {
      const { sessionId, entry } = await seatInNextSession(client, { actor: actorOf(user), applicationNumber: number });
      const where = `${entry.seat.room}, seat ${entry.seat.number}, ticket ${entry.ticketNumber}`;
      await setFlash(res, req, { kind: 'ok', message: `Seated in session ${sessionId}: ${where}.` });
    } catch (error) {
      const { status, message } = httpStatusFor(error);
      if (status >= 500) throw error;
      await setFlash(res, req, { kind: 'error', message });
    }
    res.redirect(303, `/cases/${encodeURIComponent(number)}`);
  });
  return router;
}

/** The stages the case has been through, from its history's stage events, for the path picture. */
export function pathPicture(view: CaseView, t: TFunction): string {
  const visited = view.history
    .filter((event) => event.type.startsWith('stage:'))
    .map((event) => event.type.slice('stage:'.length) as Stage);
  return casePathSvg({ stage: view.stage, trainingRequired: view.trainingRequired, visited }, t);
}

export function temporalUiLink({ temporalUiUrl, namespace }: AppDeps, applicationNumber: string): string {
  return `${temporalUiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(
    workflowIdFor(applicationNumber),
  )}`;
}
