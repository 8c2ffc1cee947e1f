/**
 * The case file as pages show it: labels instead of codes, people's names instead of user ids, decisions with their
 * comments, scores with grades, all in the reader's language (the `case` catalogue). Built from the workflow's state
 * (after caseFor has masked what this user may not see); views stay dumb.
 */
import type { TFunction } from 'i18next';
import type { EligibilityResult } from '../domain/eligibility';
import { levelTitle, levelTitleZh } from '../domain/levels';
import type { Message } from '../domain/messages';
import { DEFAULT_CATALOGUE, findOccupation, occupationName } from '../domain/occupations';
import { gradeOf } from '../domain/scores';
import { hashOfReference } from '../records/documents';
import type { CaseView, HumanTask } from '../workflows/definitions';
import { documentLabel, stageLabel, taskLabel } from './labels';
import { messageText } from './messageText';
import { codesOnly, type Directory, languageOfT } from './names';

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
    // A reason the workflow worded is said in the reader's language; a person's, or one recorded before, as it is.
    outcomeReason: view.outcome && said(t, directory, view.outcome.said, view.outcome.reason),
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
          comment: reassigned ? undefined : said(t, directory, event.said, event.comment),
        };
      }),
    openTasks: view.tasks.filter((task) => task.status === 'open').map((task) => taskModel(t, directory, task)),
    tasks: view.tasks.map((task) => taskModel(t, directory, task)),
    documents: application.documents.map((doc) => {
      // A file handed in at intake is linked (shown to those who may see the candidate); a typed reference stays text.
      const hash = hashOfReference(doc.reference);
      return {
        ...doc,
        label: documentLabel(t, doc.kind),
        ...(hash && { href: documentPath(view.applicationNumber, hash) }),
      };
    }),
    eligibility: view.eligibility && eligibilityModel(t, directory, view.eligibility),
  };
}

/** Where a case's stored document is shown (inbox-ui/routes/documents.ts). */
export const documentPath = (applicationNumber: string, sha256: string): string =>
  `/cases/${encodeURIComponent(applicationNumber)}/documents/${sha256}`;

/** A Message the workflow wrote, in the reader's words; else the text as stored (a person's, or an older case's). */
const said = (t: TFunction, directory: Directory, message: Message | undefined, stored: string | undefined) =>
  message ? messageText(t, message, directory) : stored;

/**
 * The eligibility explanation in the reader's words. A result the case recorded before its lines carried Messages
 * shows the English words it has.
 */
function eligibilityModel(t: TFunction, directory: Directory, result: EligibilityResult) {
  const words = (said: Message | undefined, english: string) => (said ? messageText(t, said, directory) : english);
  return {
    ...result,
    lines: result.lines.map((line) => ({
      met: line.met,
      description: words(line.said?.description, line.description),
      conditions: line.conditions.map((condition) => ({
        met: condition.met,
        description: words(condition.said?.description, condition.description),
        evidence: words(condition.said?.evidence, condition.evidence),
      })),
    })),
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
      comment: said(t, directory, task.outcome.said, task.outcome.comment),
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
