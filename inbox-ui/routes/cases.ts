/**
 * A case's page and JSON for the people it passes through: its stage on a picture of the path, the eligibility
 * explanation, scores, tasks and decisions. The candidate's personal data only for those whose work needs it, and so
 * the sealed certificate's PDF, which carries the holder's name and ID number (served by printing.ts).
 */
import { Router } from 'express';
import type { TFunction } from 'i18next';
import { seatInNextSession } from '../../runtime/sessions';
import { type CaseView, Stage, withdrawApplication, workflowIdFor } from '../../workflows/definitions';
import { sessionOfficeGroups } from '../../workflows/sessionFile';
import type { AppDeps } from '../app';
import { actorOf, isAdministrator, maySeePersonalData } from '../auth/access';
import { requireUser, userOf } from '../auth/session';
import { caseFileModel } from '../caseModel';
import { withRemovalShown } from '../personalDataRemoved';
import { directoryOf } from '../names';
import { casePathSvg } from '../charts/casePath';
import { setFlash, takeFlash } from '../flash';
import { commentThread } from './comments';
import { reprintForm } from './printing';
import { tOf } from '../language';
import { projectCase, visibleCase } from '../taskActions';
import { httpAnswerFor } from '../temporalErrors';
import { caseShown } from '../personalDataShown';
import { WithdrawBody } from '../contract/cases';
import { readJson } from '../contract/read';

/** `publicUrl`: the address the certificate's QR code points at (the worker's PUBLIC_URL); else this request's. */
export function casesRouter(deps: AppDeps): Router {
  const router = Router();

  router.get('/api/cases/:number', requireUser, async (req, res) => {
    const user = userOf(res);
    const raw = await withRemovalShown(
      deps.db,
      await visibleCase(deps.client, user, String(req.params.number), tOf(res)),
    );
    res.json(await caseShown(deps, user, raw, 'case-api'));
  });

  /**
   * The station that received an application withdraws it on the candidate's behalf, with the candidate's reason; the
   * workflow decides who may (its station's offices), as it does for every decision.
   */
  router.post('/api/cases/:number/withdraw', requireUser, async (req, res) => {
    const user = userOf(res);
    const t = tOf(res);
    const number = String(req.params.number);
    await visibleCase(deps.client, user, number, t);
    const { reason } = readJson(WithdrawBody, req.body, t);
    const handle = deps.client.workflow.getHandle(workflowIdFor(number));
    const view = await handle.executeUpdate(withdrawApplication, { args: [{ actor: actorOf(user), reason }] });
    await projectCase(deps.db, view);
    res.json({ case: await caseShown(deps, user, view, 'decision-api') });
  });

  router.get('/cases/:number', requireUser, async (req, res) => {
    const user = userOf(res);
    const t = tOf(res);
    const raw = await withRemovalShown(deps.db, await visibleCase(deps.client, user, String(req.params.number), t));
    const view = await caseShown(deps, user, raw, 'case-page');
    const flash = await takeFlash(req, res);
    res.render('case', {
      title: t('case:title', { number: view.applicationNumber }),
      notice: flash,
      thread: await commentThread(deps.db, view.applicationNumber, flash),
      ...caseFileModel(view, t, await directoryOf(deps.db, t)),
      pathSvg: pathPicture(view, t),
      isAdministrator: isAdministrator(user),
      workflowUrl: temporalUiLink(deps, view.applicationNumber),
      certificatePdf: !raw.personalDataRemoved && maySeePersonalData(user, raw) && certificatePdfPath(raw),
      reprint: reprintForm(user, raw, flash),
      mayTakeSeat:
        view.stage === Stage.AwaitingSeat &&
        sessionOfficeGroups(view.application.stationId).some((group) => user.roles.includes(group)),
    });
  });

  /** The station's clerk seats a waiting case in the soonest session of the station that fits and has a seat. */
  router.post('/cases/:number/seat', requireUser, async (req, res) => {
    const user = userOf(res);
    const t = tOf(res);
    const number = String(req.params.number);
    // Someone who may not see the case hears what its page would tell them: nothing.
    await visibleCase(deps.client, user, number, t);
    const client = { client: deps.client, db: deps.db, catalogue: deps.catalogue, now: deps.now };
    try {
      const { sessionId, entry } = await seatInNextSession(client, { actor: actorOf(user), applicationNumber: number });
      const { room, number: seat } = entry.seat;
      const message = t('case:seat.done', { session: sessionId, room, seat, ticket: entry.ticketNumber });
      await setFlash(res, req, { kind: 'ok', message });
    } catch (error) {
      const { status, message } = await httpAnswerFor(error, t, deps.db);
      if (status >= 500) throw error;
      await setFlash(res, req, { kind: 'error', message });
    }
    res.redirect(303, `/cases/${encodeURIComponent(number)}`);
  });

  return router;
}

/** Where a case's certificate can be downloaded, once it is sealed and until it is printed (then: a reprint). */
export const certificatePdfPath = (view: CaseView): string | undefined =>
  view.certificate?.seal && !view.certificate.printedAt
    ? `/cases/${encodeURIComponent(view.applicationNumber)}/certificate.pdf`
    : undefined;

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
