/**
 * Showing a candidate unmasked, and writing it down: every page and answer that gives someone a candidate's full name
 * or ID number goes through here, so the personal-data access log (records/personalDataAccess.ts) has a row for each
 * showing. The row is written before the answer leaves: if it cannot be written, the person is not shown.
 *
 * The showings, by purpose: `task-page`, `task-api`, `decision-api` (a task decision's answer), `case-page`,
 * `case-api`, `certificate-pdf`, `intake-confirmation` (the API's answer to the clerk who took the case in),
 * `admin-case-search`, `admin-case-history`, `admin-cancel-api`, `notification-log` (notices to candidates open
 * with their name), `check-in-list`, `score-sheet`, `admission-tickets`, `personal-data-lookup`, `case-document` (a
 * file handed in with the application, an ID copy or a photo, shown inline).
 */
import type { User } from '../records/directory';
import { type AccessBasis, recordShowings, type Showing } from '../records/personalDataAccess';
import type { CaseView, HumanTask } from '../workflows/definitions';
import type { AppDeps } from './app';
import { isAdministrator, masked, rightToPersonalData } from './auth/access';

export const PURPOSES = [
  'task-page',
  'task-api',
  'decision-api',
  'case-page',
  'case-api',
  'certificate-pdf',
  'intake-confirmation',
  'admin-case-search',
  'admin-case-history',
  'admin-cancel-api',
  'notification-log',
  'check-in-list',
  'score-sheet',
  'admission-tickets',
  'personal-data-lookup',
  'case-document',
] as const;

export type Purpose = (typeof PURPOSES)[number];

export const BASES: readonly AccessBasis[] = ['task', 'station-clerk', 'session-office', 'administrator'];

/** Writes the showings, as one batch, at the app's time. */
export async function recordShown(deps: AppDeps, showings: Showing[]): Promise<void> {
  await recordShowings(deps.db, deps.personalDataKey, showings, (deps.now ?? (() => new Date()))());
}

/**
 * The case as this user may see it (access.ts caseFor), with the showing recorded when that is unmasked. `opened`:
 * the task whose page or answer this is, the reason the log gives when it is the user's.
 */
export async function caseShown(
  deps: AppDeps,
  user: User,
  raw: CaseView,
  purpose: Purpose,
  opened?: HumanTask,
): Promise<CaseView> {
  const right = rightToPersonalData(user, raw, opened);
  if (!right) return masked(raw);
  // After the retention period the person is blank (personalDataRemoved.ts): nothing of them is shown.
  const { name, idNumber } = raw.application.candidate;
  if (!name && !idNumber) return raw;
  await recordShown(deps, [
    {
      viewer: user.id,
      applicationNumber: raw.applicationNumber,
      idNumber,
      basis: right.basis,
      task: right.basis === 'task' ? { id: right.task.id, kind: right.task.kind } : undefined,
      purpose,
    },
  ]);
  return raw;
}

/** Candidates an administrator's console shows by the dozen (a search's rows): one row each, one write. */
export async function peopleShownToAdministrator(
  deps: AppDeps,
  user: User,
  purpose: Purpose,
  people: { applicationNumber: string; idNumber: string | null }[],
): Promise<void> {
  if (!isAdministrator(user)) throw new Error(`${user.id} is not an administrator`);
  await recordShown(
    deps,
    people.map((person) => ({
      viewer: user.id,
      applicationNumber: person.applicationNumber,
      idNumber: person.idNumber,
      basis: 'administrator' as const,
      purpose,
    })),
  );
}
