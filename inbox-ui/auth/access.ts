/**
 * Who may see what. The workflow decides who may act (its update validators); these rules decide what the web app
 * shows, checked on the server for every page and API call:
 * - a case is visible to the organisations it passes through (its station, guidance center, department, training
 *   institution) and to administrators;
 * - a task is visible to its candidate group, to its supervisors, to its assignee and to administrators;
 * - the candidate's personal data is shown to those whose work on the case needs it: members of a group that holds
 *   (or held) one of the case's tasks, the receiving station's clerks, and administrators. Everyone else sees it
 *   masked.
 */
import type { ApplicationInput } from '../../domain/application';
import { maskIdNumber, maskName } from '../../domain/masking';
import type { User } from '../../records/directory';
import type { Actor, CaseView, HumanTask } from '../../workflows/definitions';
import { ADMINISTRATORS } from '../../workflows/taskRules';

export const actorOf = (user: User): Actor => ({ id: user.id, groups: user.roles });

export const isAdministrator = (user: User): boolean => user.roles.includes(ADMINISTRATORS);

/** The organisations a user works for, from groups like `station-a:reviewers`. */
export const organisationsOf = (user: User): Set<string> => new Set(user.roles.map((group) => group.split(':')[0]));

export function mayIntakeFor(user: User): string[] {
  return user.roles.filter((group) => group.endsWith(':clerks')).map((group) => group.split(':')[0]);
}

type CaseOrganisations = Pick<
  ApplicationInput,
  'stationId' | 'guidanceCenterId' | 'departmentId' | 'trainingInstitutionId'
>;

export function maySeeCase(user: User, app: CaseOrganisations): boolean {
  if (isAdministrator(user)) return true;
  const mine = organisationsOf(user);
  return [app.stationId, app.guidanceCenterId, app.departmentId, app.trainingInstitutionId].some(
    (org) => org !== undefined && mine.has(org),
  );
}

export function maySeeTask(user: User, task: HumanTask): boolean {
  return (
    isAdministrator(user) ||
    task.assignee === user.id ||
    user.roles.includes(task.candidateGroup) ||
    user.roles.includes(task.supervisingGroup)
  );
}

export function maySeePersonalData(user: User, view: CaseView): boolean {
  return rightToPersonalData(user, view) !== undefined;
}

/** Why this user may see the candidate, for the personal-data access log: the task, the station, or the office. */
export type PersonalDataRight =
  { basis: 'task'; task: HumanTask } | { basis: 'administrator' } | { basis: 'station-clerk' };

/**
 * What gives this user the candidate of this case, or undefined: they see the candidate masked. The task they opened
 * comes first when it is theirs, so the log names the work that needed the person; otherwise their office, then
 * the case's latest task of theirs. The same rule as maySeePersonalData, which asks this.
 */
export function rightToPersonalData(user: User, view: CaseView, opened?: HumanTask): PersonalDataRight | undefined {
  const works = (task: HumanTask) =>
    task.assignee === user.id || user.roles.includes(task.candidateGroup) || user.roles.includes(task.supervisingGroup);
  if (opened && works(opened)) return { basis: 'task', task: opened };
  if (isAdministrator(user)) return { basis: 'administrator' };
  if (user.roles.includes(`${view.application.stationId}:clerks`)) return { basis: 'station-clerk' };
  const task = [...view.tasks].reverse().find(works);
  return task && { basis: 'task', task };
}

/** The case as this user may see it: the candidate masked unless their work needs the person. */
export function caseFor(user: User, view: CaseView): CaseView {
  return maySeePersonalData(user, view) ? view : masked(view);
}

export function masked(view: CaseView): CaseView {
  const { candidate } = view.application;
  return {
    ...view,
    ...recipientShown(view, maskName),
    application: {
      ...view.application,
      candidate: {
        name: maskName(candidate.name),
        idType: candidate.idType,
        idNumber: maskIdNumber(candidate.idNumber),
      },
    },
  };
}

/**
 * Who received the certificate at its hand-over is a person as well (the holder, or someone they sent): wherever the
 * candidate is masked or removed, so is the recipient, in the certificate record and in the hand-over task's outcome.
 */
export function recipientShown(
  view: CaseView,
  shown: (name: string) => string,
): Pick<CaseView, 'certificate' | 'tasks'> {
  const { certificate } = view;
  return {
    certificate: certificate?.receivedBy ? { ...certificate, receivedBy: shown(certificate.receivedBy) } : certificate,
    tasks: view.tasks.map((task) =>
      task.outcome?.receivedBy
        ? { ...task, outcome: { ...task.outcome, receivedBy: shown(task.outcome.receivedBy) } }
        : task,
    ),
  };
}
