/**
 * Intake: a station clerk enters an application with its evidence, as a form or as JSON. Every wrong field is named
 * and what was typed stays in the form; a valid application starts its case and shows the eligibility result with
 * its explanation. The form carries its application number from the moment it is shown, so a double click or a
 * resubmitted form finds the case the first click started instead of starting a second.
 */
import { Router } from 'express';
import { randomInt } from 'node:crypto';
import type { AppDeps } from '../app';
import { newApplicationNumber } from '../../domain/applicationNumber';
import { ID_TYPES } from '../../domain/idNumber';
import { isLevel, Level, LEVELS, levelTitle } from '../../domain/levels';
import { DEFAULT_CATALOGUE } from '../../domain/occupations';
import { DOCUMENT_KINDS, requiredDocuments, SCHOOL_KINDS } from '../../domain/validateApplication';
import { provinceOrganisationsOf, type User } from '../../records/directory';
import { submitApplication, waitForEligibility } from '../../runtime/intake';
import { caseFor, mayIntakeFor } from '../auth/access';
import { requireUser, userOf } from '../auth/session';
import { applicationFromForm, formErrors } from '../applicationForm';
import { setFlash } from '../flash';
import type { TFunction } from 'i18next';
import { documentLabel } from '../labels';
import { tOf } from '../language';
import { HttpError } from '../temporalErrors';
import { fieldErrors } from '../validation';

export function intakeRouter(deps: AppDeps): Router {
  const router = Router();
  const now = deps.now ?? (() => new Date());
  const intake = { client: deps.client, db: deps.db, taskQueue: deps.taskQueue, catalogue: deps.catalogue, now };

  /** The station the clerk takes applications for: theirs, or the one they chose if they serve several. */
  const stationFor = (user: User, requested: unknown): string => {
    const stations = mayIntakeFor(user);
    if (stations.length === 0) throw new HttpError(403, 'Only station clerks take in applications.');
    if (requested === undefined || requested === '') return stations[0];
    if (typeof requested !== 'string' || !stations.includes(requested)) {
      throw new HttpError(403, `You take in applications for ${stations.join(', ')}, not ${String(requested)}.`);
    }
    return requested;
  };

  const formModel = async (t: TFunction, user: User, station: string, typed: Record<string, unknown>, errors = {}) => {
    const { trainingInstitutions } = await provinceOrganisationsOf(deps.db, station);
    const level = isLevel(Number(typed.level)) ? (Number(typed.level) as Level) : Level.Primary;
    return {
      title: 'New application',
      typed,
      errors,
      station,
      stations: mayIntakeFor(user),
      idTypes: ID_TYPES,
      levels: LEVELS.map((value) => ({ value, title: levelTitle(value) })),
      occupations: (deps.catalogue ?? DEFAULT_CATALOGUE).map((o) => ({ code: o.code, name: o.name })),
      schoolKinds: SCHOOL_KINDS,
      trainingInstitutions,
      documents: DOCUMENT_KINDS.map((kind) => ({
        kind,
        label: documentLabel(t, kind),
        required: requiredDocuments(level).includes(kind),
      })),
    };
  };

  router.get('/applications/new', requireUser, async (req, res) => {
    const user = userOf(res);
    const station = stationFor(user, req.query.station);
    res.render(
      'intake',
      await formModel(tOf(res), user, station, { applicationNumber: newApplicationNumber(station, now(), randomInt) }),
    );
  });

  router.post('/applications', requireUser, async (req, res) => {
    const user = userOf(res);
    const form = (req.body ?? {}) as Record<string, unknown>;
    const station = stationFor(user, form.stationId);
    const application = applicationFromForm(form, await organisationsFor(station));
    const result = await submitApplication(intake, application).catch((error: unknown) => {
      console.error(error);
      return undefined;
    });
    if (!result) {
      // Temporal did not answer. The form comes back as typed, with the same number, so sending it again is safe.
      return res.status(503).render('intake', {
        ...(await formModel(tOf(res), user, station, form)),
        error:
          'The application could not be started just now: the workflow service did not answer. Nothing you typed ' +
          'is lost; submit it again in a moment, and it will not be entered twice.',
      });
    }
    if (!result.ok) {
      const model = await formModel(tOf(res), user, station, form, formErrors(form, result.errors));
      return res
        .status(422)
        .render('intake', { ...model, error: 'The application was not saved: see the marked fields.' });
    }
    const { applicationNumber } = result.application;
    // The case has started; waiting for its eligibility only makes the next page complete, so a failure here is not
    // the clerk's problem: the case page says the check is still running.
    const eligibility = (await waitForEligibility(deps.client, applicationNumber).catch(() => undefined))?.eligibility;
    const verdict = !eligibility
      ? ''
      : eligibility.eligible
        ? ' The candidate is eligible.'
        : ' The candidate is not eligible; see why below.';
    await setFlash(res, req, {
      kind: 'ok',
      message: result.alreadySubmitted
        ? `Application ${applicationNumber} was already received; nothing was changed.`
        : `Application ${applicationNumber} received.${verdict}`,
    });
    res.redirect(303, `/cases/${encodeURIComponent(applicationNumber)}`);
  });

  router.post('/api/applications', requireUser, async (req, res) => {
    const user = userOf(res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body !== 'object' || Array.isArray(body)) throw new HttpError(422, 'The body must be a JSON object.');
    const station = stationFor(user, body.stationId);
    // An application goes to its station's guidance center and department; the clerk does not choose them.
    const organisations = await organisationsFor(station);
    const errors = fieldErrors(tOf(res));
    for (const key of ['guidanceCenterId', 'departmentId'] as const) {
      if (body[key] !== undefined && body[key] !== organisations[key]) {
        errors.add(key, `must be ${organisations[key]}, ${station}'s, or left out`);
      }
    }
    errors.throwIfAny('The application was not saved.');
    const application = {
      applicationNumber: newApplicationNumber(station, now(), randomInt),
      ...body,
      ...organisations,
    };
    const result = await submitApplication(intake, application);
    if (!result.ok) throw new HttpError(422, 'The application was not saved.', { fields: result.errors });
    const { applicationNumber } = result.application;
    // Started; as on the page, a slow eligibility check leaves the answer without it rather than failing it.
    const view = await waitForEligibility(deps.client, applicationNumber).catch(() => undefined);
    res.status(result.alreadySubmitted ? 200 : 201).json({
      applicationNumber,
      alreadySubmitted: result.alreadySubmitted,
      stage: view?.stage,
      eligibility: view?.eligibility,
      case: view && caseFor(user, view),
    });
  });

  const organisationsFor = async (stationId: string) => {
    const { guidanceCenterId, departmentId } = await provinceOrganisationsOf(deps.db, stationId);
    return { stationId, guidanceCenterId, departmentId };
  };
  return router;
}
