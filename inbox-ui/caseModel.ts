/**
 * The case file as pages show it: labels instead of codes, people's names instead of user ids, decisions with their
 * comments, scores with grades, all in the reader's language (the `case` catalogue). Built from the workflow's state
 * (after caseFor has masked what this user may not see); views stay dumb.
 */
import type { TFunction } from 'i18next';
import { isLanguage, type Language } from '../i18n';
import { levelTitle, levelTitleZh } from '../domain/levels';
import { DEFAULT_CATALOGUE, findOccupation, occupationName } from '../domain/occupations';
import { gradeOf } from '../domain/scores';
import type { Db } from '../records/database';
import { listOrganisations, listUsers } from '../records/directory';
import type { CaseView, HumanTask } from '../workflows/definitions';
import { documentLabel, stageLabel, taskLabel } from './labels';

/** Who is who, looked up once per page: people's names for user ids, organisations' names for groups. */
export interface Directory {
  /** A person's name; an id the directory does not know shows itself. */
  person(id: string | undefined): string;
  /** A group like `station-a:reviewers` as people say it: the organisation's name and the role. */
  group(code: string): string;
  organisation(id: string | undefined): string;
}

export async function directoryOf(db: Db, t: TFunction): Promise<Directory> {
  const [users, organisations] = await Promise.all([listUsers(db), listOrganisations(db)]);
  return directoryFrom(
    t,
    new Map(users.map((user) => [user.id, user.name])),
    new Map(organisations.map((organisation) => [organisation.id, organisation.name])),
  );
}

/** A directory that knows nobody: ids and codes as they are (for callers that have not looked anyone up). */
export const codesOnly = (t: TFunction): Directory => directoryFrom(t, new Map(), new Map());

function directoryFrom(t: TFunction, people: Map<string, string>, organisations: Map<string, string>): Directory {
  const organisation = (id: string | undefined) => (id ? (organisations.get(id) ?? id) : '');
  return {
    person: (id) => (id ? (people.get(id) ?? id) : ''),
    organisation,
    group(code) {
      const [owner, role] = code.includes(':') ? code.split(':', 2) : [undefined, code];
      const roleLabel = t(`case:role.${role}`, { defaultValue: role });
      return owner ? t('case:group', { organisation: organisation(owner), role: roleLabel }) : roleLabel;
    },
  };
}

/** The catalogue knows which language it is: pages that pass only their `t` still get names in that language. */
export const languageOfT = (t: TFunction): Language => {
  const language = t('case:language');
  return isLanguage(language) ? language : 'zh-CN';
};

/** History events that say who decided what; the rest (stage moves, notices) are the timeline's business. */
const DECISION_EVENTS = /^(task-(approve|reject|return|scores|disqualify|claimed|released|reassigned)|closed:)/;

export function caseFileModel(view: CaseView, t: TFunction, directory: Directory = codesOnly(t)) {
  const { application } = view;
  const language = languageOfT(t);
  const occupation = findOccupation(application.occupation, DEFAULT_CATALOGUE);
  const scores = view.exam?.scores;
  const { stationId, guidanceCenterId, departmentId, trainingInstitutionId } = application;
  return {
    view,
    applicationNumber: view.applicationNumber,
    stage: view.stage,
    stageLabel: stageLabel(t, view.stage),
    candidate: application.candidate,
    idTypeLabel: t(`case:idType.${application.candidate.idType}`, { defaultValue: application.candidate.idType }),
    occupationName: occupation ? occupationName(occupation, language) : application.occupation,
    levelTitle: language === 'zh-CN' ? levelTitleZh(application.level) : levelTitle(application.level),
    organisations: {
      station: directory.organisation(stationId),
      center: directory.organisation(guidanceCenterId),
      department: directory.organisation(departmentId),
      training: trainingInstitutionId && directory.organisation(trainingInstitutionId),
    },
    scores: scores && [
      { part: partLabel(t, 'knowledge'), score: scores.knowledge, grade: t(`case:grade.${gradeOf(scores.knowledge)}`) },
      { part: partLabel(t, 'skills'), score: scores.skills, grade: t(`case:grade.${gradeOf(scores.skills)}`) },
    ],
    resitPart: view.exam?.resit && partLabel(t, view.exam.resit.part),
    comprehensiveReviewBy: view.comprehensiveReview && directory.person(view.comprehensiveReview.by),
    decisions: view.history
      .filter((event) => DECISION_EVENTS.test(event.type))
      .map((event) => {
        const task = event.taskId ? view.tasks.find((candidate) => candidate.id === event.taskId) : undefined;
        const reassigned = event.type === 'task-reassigned';
        return {
          at: event.at,
          by: directory.person(event.by),
          what: describeEvent(t, event.type, task ? taskLabel(t, task.kind) : (event.taskId ?? ''), () =>
            // The workflow writes the new holder as "to <user id>"; the page names the person.
            directory.person(event.comment?.replace(/^to /, '')),
          ),
          comment: reassigned ? undefined : event.comment,
        };
      }),
    openTasks: view.tasks.filter((task) => task.status === 'open').map((task) => taskModel(t, directory, task)),
    tasks: view.tasks.map((task) => taskModel(t, directory, task)),
    documents: application.documents.map((doc) => ({ ...doc, label: documentLabel(t, doc.kind) })),
  };
}

/** A task as pages show it: its label, its group and its holder by name, its status and decision in words. */
export function taskModel(t: TFunction, directory: Directory, task: HumanTask) {
  return {
    ...task,
    label: taskLabel(t, task.kind),
    groupLabel: directory.group(task.candidateGroup),
    supervisingLabel: directory.group(task.supervisingGroup),
    assigneeName: task.assignee && directory.person(task.assignee),
    statusLabel: t(`case:status.${task.status}`, { defaultValue: task.status }),
    outcome: task.outcome && {
      ...task.outcome,
      decisionLabel: t(`case:decision.${task.outcome.decision}`, { defaultValue: task.outcome.decision }),
      byName: directory.person(task.outcome.by),
    },
  };
}

const partLabel = (t: TFunction, part: 'knowledge' | 'skills') => t(`case:part.${part}`);

function describeEvent(t: TFunction, type: string, task: string, newHolder: () => string): string {
  if (type.startsWith('closed:')) return t('case:event.closed', { stage: stageLabel(t, type.slice('closed:'.length)) });
  if (type === 'task-reassigned') return t('case:event.task-reassigned', { task, person: newHolder() });
  return t(`case:event.${type}`, { task, defaultValue: type });
}
