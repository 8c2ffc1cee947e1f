/**
 * Intake: a station clerk enters an application with its evidence, as a form or as JSON. Every wrong field is named
 * and what was typed stays in the form; a valid application starts its case and shows the eligibility result with
 * its explanation. The form carries its application number from the moment it is shown, so a double click or a
 * resubmitted form finds the case the first click started instead of starting a second.
 */
import { type Request, Router, type Response } from 'express';
import { randomInt } from 'node:crypto';
import type { AppDeps } from '../app';
import { logOf } from '../requestLog';
import { workflowIdFor } from '../../workflows/definitions';
import { newApplicationNumber } from '../../domain/applicationNumber';
import { ID_TYPES } from '../../domain/idNumber';
import { isLevel, Level, LEVELS, levelTitle, levelTitleZh } from '../../domain/levels';
import { DEFAULT_CATALOGUE, occupationName } from '../../domain/occupations';
import { DOCUMENT_KINDS, type FieldErrors, requiredDocuments, SCHOOL_KINDS } from '../../domain/validateApplication';
import { findOrganisation, reportingLineOf, type User } from '../../records/directory';
import {
  describeDocument,
  documentReference,
  hashOfReference,
  MAX_DOCUMENT_SIZE,
  sizeInWords,
  storeDocument,
} from '../../records/documents';
import { submitApplication, waitForEligibility } from '../../runtime/intake';
import { mayIntakeFor, maySeeCase } from '../auth/access';
import { requireUser, userOf } from '../auth/session';
import { applicationFromForm, checkMessages, formErrors } from '../applicationForm';
import { formUploads } from '../documentUpload';
import { setFlash, takeFlash, typedFields } from '../flash';
import { documentLabel } from '../labels';
import { languageOf, tOf } from '../language';
import { caseShown } from '../personalDataShown';
import { TYPE_NAMES, uploadRefusal } from './documents';
import { HttpError } from '../temporalErrors';
import { fieldErrors } from '../validation';

/** The flash of a refused intake form, told apart from a flash another page left. */
const REFUSED_FORM = 'intake';

export function intakeRouter(deps: AppDeps): Router {
  const router = Router();
  const now = deps.now ?? (() => new Date());
  const intake = { client: deps.client, db: deps.db, taskQueue: deps.taskQueue, catalogue: deps.catalogue, now };
  const catalogue = deps.catalogue ?? DEFAULT_CATALOGUE;

  /** The station the clerk takes applications for: theirs, or the one they chose if they serve several. */
  const stationFor = (res: Response, user: User, requested: unknown): string => {
    const stations = mayIntakeFor(user);
    const t = tOf(res);
    if (stations.length === 0) throw new HttpError(403, t('intake:onlyClerks'));
    if (requested === undefined || requested === '') return stations[0];
    if (typeof requested !== 'string' || !stations.includes(requested)) {
      throw new HttpError(403, t('intake:notYourStation', { stations: stations.join(', '), requested }));
    }
    return requested;
  };

  const nameOf = async (id: string) => (await findOrganisation(deps.db, id))?.name ?? id;

  /** The form's view-model: every choice by its label in the reader's language, its value the code it stands for. */
  const formModel = async (res: Response, user: User, station: string, typed: Record<string, unknown>, errors = {}) => {
    const [t, language] = [tOf(res), languageOf(res)];
    const { trainingInstitutions } = await reportingLineOf(deps.db, station);
    const level = isLevel(Number(typed.level)) ? (Number(typed.level) as Level) : Level.Primary;
    return {
      title: t('intake:title'),
      typed,
      errors,
      station,
      stationName: await nameOf(station),
      stations: await Promise.all(mayIntakeFor(user).map(async (id) => ({ id, name: await nameOf(id) }))),
      idTypes: ID_TYPES.map((value) => ({ value, label: t(`intake:idTypes.${value}`) })),
      levels: LEVELS.map((value) => ({
        value,
        title: language === 'zh-CN' ? levelTitleZh(value) : levelTitle(value),
      })),
      occupations: catalogue.map((o) => ({ code: o.code, name: occupationName(o, language) })),
      schoolKinds: SCHOOL_KINDS.map((value) => ({ value, label: t(`intake:schoolKinds.${value}`) })),
      trainingInstitutions,
      uploadLimit: MAX_DOCUMENT_SIZE,
      documents: await Promise.all(
        DOCUMENT_KINDS.map(async (kind) => {
          const label = documentLabel(t, kind);
          return {
            kind,
            label: requiredDocuments(level).includes(kind) ? t('intake:documentRequired', { label }) : label,
            received: await receivedFile(typed[`documents.${kind}`]),
          };
        }),
      ),
    };
  };

  /**
   * A file the refused form already handed in: what the form says of it ("received: 34.5 KB, PDF"), and the reference
   * it carries on in a hidden field so that the clerk does not upload it again.
   */
  const receivedFile = async (reference: unknown) => {
    const hash = typeof reference === 'string' ? hashOfReference(reference) : undefined;
    const stored = hash && (await describeDocument(deps.db, hash));
    return stored ? { reference, size: sizeInWords(stored.size), type: TYPE_NAMES[stored.mediaType] } : undefined;
  };

  /**
   * The form's files, stored before anything else is judged, so that a form refused for another field keeps them; a
   * file refused for its type or size is named on its document's field. A stored file becomes the document's
   * reference (`sha256:…`), which the case records.
   */
  const storeUploads = async (req: Request, form: Record<string, unknown>) => {
    const refused: FieldErrors = {};
    for (const [kind, upload] of Object.entries(formUploads(req))) {
      if (upload.ok) {
        const { sha256 } = await storeDocument(deps.db, upload.bytes, now());
        form[`documents.${kind}`] = documentReference(sha256);
      } else {
        refused[`documents.${kind}`] = uploadRefusal(upload.refusal);
      }
    }
    return refused;
  };

  router.get('/applications/new', requireUser, async (req, res) => {
    const user = userOf(res);
    const flash = await takeFlash(req, res);
    // A refused form comes back here (post, redirect, get) with what the clerk typed, its number included.
    const refused = flash?.about === REFUSED_FORM ? flash : undefined;
    const station = stationFor(res, user, refused?.typed?.stationId ?? req.query.station);
    const typed = { applicationNumber: newApplicationNumber(station, now(), randomInt), ...refused?.typed };
    res.render('intake', {
      ...(await formModel(res, user, station, typed, refused?.fields)),
      error: refused?.message,
      flash: refused ? undefined : flash,
    });
  });

  router.post('/applications', requireUser, async (req, res) => {
    const user = userOf(res);
    const t = tOf(res);
    const form = { ...(req.body ?? {}) } as Record<string, unknown>;
    const station = stationFor(res, user, form.stationId);
    const refused = await storeUploads(req, form);
    const application = applicationFromForm(form, await organisationsFor(station));
    const options = { ...duplicatesShownTo(user), refused };
    const result = await submitApplication(intake, application, options).catch((error: unknown) => {
      const number = application.applicationNumber;
      logOf(res).error(
        { err: error, ...(typeof number === 'string' && { workflowId: workflowIdFor(number) }) },
        'intake failed',
      );
      return undefined;
    });
    if (!result) {
      // Temporal did not answer. The form comes back as typed, with the same number, so sending it again is safe.
      return res
        .status(503)
        .render('intake', { ...(await formModel(res, user, station, form)), error: t('intake:unavailable') });
    }
    if (!result.ok) {
      // Back to the form by a redirect, so that reloading the page does not post the form again. What was typed waits
      // in the flash store (inbox-ui/flash.ts), on the server, not in a cookie: an application with its documents'
      // references and a Chinese message per field outgrows a cookie's 4 KB, and every web server sharing the
      // database finds it. The number the form carried comes back with it, so a corrected form is the same case.
      await setFlash(res, req, {
        kind: 'error',
        about: REFUSED_FORM,
        message: t('intake:refused'),
        typed: typedFields(form),
        fields: checkMessages(t, formErrors(form, result.errors)),
      });
      return res.redirect(303, '/applications/new');
    }
    const { applicationNumber } = result.application;
    // The case has started; waiting for its eligibility only makes the next page complete, so a failure here is not
    // the clerk's problem: the case page says the check is still running.
    const eligibility = (await waitForEligibility(deps.client, applicationNumber).catch(() => undefined))?.eligibility;
    const received = !eligibility
      ? 'intake:received'
      : eligibility.eligible
        ? 'intake:receivedEligible'
        : 'intake:receivedNotEligible';
    await setFlash(res, req, {
      kind: 'ok',
      message: t(result.alreadySubmitted ? 'intake:alreadyReceived' : received, { number: applicationNumber }),
    });
    res.redirect(303, `/cases/${encodeURIComponent(applicationNumber)}`);
  });

  router.post('/api/applications', requireUser, async (req, res) => {
    const user = userOf(res);
    const t = tOf(res);
    // The document shows the body's shape (ApplicationBody, contract/cases.ts); its content is for the intake's
    // validator to judge, which names every wrong field at once, so it is passed on whole once it is an object.
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body !== 'object' || Array.isArray(body)) throw new HttpError(422, t('intake:notAnObject'));
    const station = stationFor(res, user, body.stationId);
    // An application goes to its station's guidance center and department; the clerk does not choose them.
    const organisations = await organisationsFor(station);
    const errors = fieldErrors(t);
    for (const key of ['guidanceCenterId', 'departmentId'] as const) {
      if (body[key] !== undefined && body[key] !== organisations[key]) {
        errors.add(key, t('intake:notTheProvinces', { expected: organisations[key], station }));
      }
    }
    errors.throwIfAny(t('intake:notSaved'));
    const application = {
      applicationNumber: newApplicationNumber(station, now(), randomInt),
      ...body,
      ...organisations,
    };
    const result = await submitApplication(intake, application, duplicatesShownTo(user));
    if (!result.ok && result.duplicate) {
      // The person already has the case or the certificate: a conflict with what exists, not a mistake in a field.
      const said = checkMessages(t, result.errors, false);
      throw new HttpError(409, t('intake:duplicate.refused', { reason: said['candidate.idNumber'] }), { fields: said });
    }
    if (!result.ok) {
      // The API's callers send document kinds, so its messages name the kinds rather than their labels.
      throw new HttpError(422, t('intake:notSaved'), { fields: checkMessages(t, result.errors, false) });
    }
    const { applicationNumber } = result.application;
    // Started; as on the page, a slow eligibility check leaves the answer without it rather than failing it.
    const view = await waitForEligibility(deps.client, applicationNumber).catch(() => undefined);
    res.status(result.alreadySubmitted ? 200 : 201).json({
      applicationNumber,
      alreadySubmitted: result.alreadySubmitted,
      stage: view?.stage,
      eligibility: view?.eligibility,
      // Back to the clerk who typed the person in: still a showing, as the case page after the form is.
      case: view && (await caseShown(deps, user, view, 'intake-confirmation')),
    });
  });

  /** A duplicate's refusal names the other case only to someone who may see it. */
  const duplicatesShownTo = (user: User) => ({
    maySee: (found: Parameters<typeof maySeeCase>[1]) => maySeeCase(user, found),
  });

  const organisationsFor = async (stationId: string) => {
    const { guidanceCenterId, departmentId } = await reportingLineOf(deps.db, stationId);
    return { stationId, guidanceCenterId, departmentId };
  };
  return router;
}
