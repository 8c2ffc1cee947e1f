/**
 * Who saw this person: an administrator types an ID number and reads every showing of that candidate's unmasked name
 * or ID number (records/personalDataAccess.ts): who, when (China time), which case, why (the task, or the office that
 * gave the right) and where (the page or answer). A page (a form posted, so the number stays out of addresses, logs
 * and browser history) and POST /api/admin/personal-data/lookups.
 *
 * The look-up itself shows the person (their cases, by name) and is recorded like any other showing, after it is
 * read: the next look-up of the same number lists it.
 */
import { Router } from 'express';
import type { TFunction } from 'i18next';
import { ID_TYPES, type IdType, idNumberMistake, normaliseIdNumber } from '../../domain/idNumber';
import { localDate } from '../../domain/workingDays';
import { searchCases } from '../../records/caseIndex';
import type { User } from '../../records/directory';
import { type AccessRecord, showingsOf } from '../../records/personalDataAccess';
import type { AppDeps } from '../app';
import { requireAdministrator, requireUser, userOf } from '../auth/session';
import { tOf } from '../language';
import { messageText } from '../messageText';
import { type Directory, directoryOf } from '../names';
import { recordShown } from '../personalDataShown';
import { taskName } from '../timeline';
import { fieldErrors } from '../validation';
import { LookupBody } from '../contract/admin';
import { readForm, readJson, refusedOr } from '../contract/read';

const PAGE = '/admin/personal-data';
const CASES_SHOWN = 100;

interface Lookup {
  idType: IdType;
  idNumber: string;
}

export function personalDataRouter(deps: AppDeps): Router {
  const router = Router();
  const now = deps.now ?? (() => new Date());
  router.use([PAGE, '/api/admin/personal-data'], requireUser, requireAdministrator);

  router.get(PAGE, (_req, res) => {
    const t = tOf(res);
    res.render('adminPersonalData', { title: t('admin:personalData.title'), ...formModel(t) });
  });

  router.post(PAGE, async (req, res) => {
    const t = tOf(res);
    const read = refusedOr(() => readLookup(readForm, req.body, t, now()));
    if (!read.value) {
      const typed = req.body as Record<string, unknown> | undefined;
      return res.status(422).render('adminPersonalData', {
        title: t('admin:personalData.title'),
        ...formModel(t, typed?.idType, typed?.idNumber, read.fields),
      });
    }
    const lookup = read.value;
    const found = await lookUp(deps, userOf(res), lookup, t);
    res.render('adminPersonalData', {
      title: t('admin:personalData.title'),
      ...formModel(t, lookup.idType, lookup.idNumber),
      searched: true,
      ...found,
    });
  });

  router.post('/api/admin/personal-data/lookups', async (req, res) => {
    const t = tOf(res);
    const lookup = readLookup(readJson, req.body, t, now());
    const { cases, showings } = await lookUp(deps, userOf(res), lookup, t);
    res.json({
      cases: cases.map(({ applicationNumber, candidateName }) => ({ applicationNumber, candidateName })),
      showings: showings.map(({ link: _link, ...showing }) => showing),
    });
  });
  return router;
}

/**
 * The typed ID number (contract/admin.ts), then checked as intake checks one (its type's rules); a 422 with each
 * field's message otherwise.
 */
function readLookup(read: typeof readJson, body: unknown, t: TFunction, now: Date): Lookup {
  const summary = t('admin:personalData.invalid');
  const { idType = 'resident-id', idNumber } = read(LookupBody, body, t, summary);
  const mistake = idNumberMistake(idType, idNumber, localDate(now));
  if (mistake) {
    const errors = fieldErrors(t);
    errors.add('idNumber', messageText(t, mistake));
    errors.throwIfAny(summary);
  }
  return { idType, idNumber: normaliseIdNumber(idType, idNumber) };
}

/** The person's cases and who was shown them, then this look-up written down as a showing of each of those cases. */
async function lookUp(deps: AppDeps, user: User, { idNumber }: Lookup, t: TFunction) {
  const [indexed, records, directory] = await Promise.all([
    searchCases(deps.db, { idNumber, limit: CASES_SHOWN }),
    showingsOf(deps.db, deps.personalDataKey, idNumber),
    directoryOf(deps.db, t),
  ]);
  const numbers = new Set([
    ...indexed.map((row) => row.application_number),
    ...records.flatMap((row) => (row.application_number ? [row.application_number] : [])),
  ]);
  await recordShown(
    deps,
    (numbers.size ? [...numbers] : [null]).map((applicationNumber) => ({
      viewer: user.id,
      applicationNumber,
      idNumber,
      basis: 'administrator' as const,
      purpose: 'personal-data-lookup',
    })),
  );
  return {
    cases: indexed.map((row) => ({
      applicationNumber: row.application_number,
      candidateName: row.candidate_name,
      link: `/admin/cases/${encodeURIComponent(row.application_number)}`,
    })),
    showings: records.map((row) => showingModel(row, t, directory)),
  };
}

/** A showing as people read it: the person by name, the reason and the place by their labels, never codes alone. */
function showingModel(row: AccessRecord, t: TFunction, directory: Directory) {
  const basis = t(`admin:personalData.basis.${row.basis}`, { defaultValue: row.basis });
  const task = row.task_id ? taskName(t, row.task_kind ?? row.task_id) : undefined;
  return {
    at: row.at,
    viewer: row.viewer,
    viewerName: directory.person(row.viewer),
    applicationNumber: row.application_number,
    link: row.application_number ? `/admin/cases/${encodeURIComponent(row.application_number)}` : undefined,
    basis: row.basis,
    taskId: row.task_id,
    taskKind: row.task_kind,
    reason: task ? t('admin:personalData.forTask', { basis, task, id: row.task_id }) : basis,
    purpose: row.purpose,
    purposeLabel: t(`admin:personalData.purpose.${row.purpose}`, { defaultValue: row.purpose }),
  };
}

function formModel(t: TFunction, idType?: unknown, idNumber?: unknown, errors: Record<string, string> = {}) {
  return {
    idTypes: ID_TYPES.map((value) => ({
      value,
      label: t(`intake:idTypes.${value}`),
      selected: value === (idType ?? 'resident-id'),
    })),
    idNumber: typeof idNumber === 'string' ? idNumber : '',
    errors,
  };
}
