/**
 * The case file as pages show it: labels instead of codes, decisions with their comments, scores with grades. Built
 * from the workflow's state (after caseFor has masked what this user may not see); views stay dumb.
 */
import { levelTitle } from '../domain/levels';
import { DEFAULT_CATALOGUE, findOccupation } from '../domain/occupations';
import { gradeOf } from '../domain/scores';
import type { CaseView } from '../workflows/definitions';
import type { TFunction } from 'i18next';
import { documentLabel, stageLabel, taskLabel } from './labels';

/** History events that say who decided what; the rest (stage moves, notices) are the timeline's business. */
const DECISION_EVENTS = /^(task-(approve|reject|return|scores|disqualify|claimed|released|reassigned)|closed:)/;

export function caseFileModel(view: CaseView, t: TFunction) {
  const { application } = view;
  const occupation = findOccupation(application.occupation, DEFAULT_CATALOGUE);
  const scores = view.exam?.scores;
  return {
    view,
    applicationNumber: view.applicationNumber,
    stage: view.stage,
    stageLabel: stageLabel(t, view.stage),
    candidate: application.candidate,
    occupationName: occupation?.name ?? application.occupation,
    levelTitle: levelTitle(application.level),
    scores: scores && [
      { part: 'Knowledge', score: scores.knowledge, grade: gradeOf(scores.knowledge) },
      { part: 'Skills', score: scores.skills, grade: gradeOf(scores.skills) },
    ],
    decisions: view.history
      .filter((event) => DECISION_EVENTS.test(event.type))
      .map((event) => {
        const task = event.taskId ? view.tasks.find((candidate) => candidate.id === event.taskId) : undefined;
        return {
          ...event,
          what: describeEvent(t, event.type),
          taskLabel: task ? taskLabel(t, task.kind) : undefined,
        };
      }),
    openTasks: view.tasks
      .filter((task) => task.status === 'open')
      .map((task) => ({ ...task, label: taskLabel(t, task.kind) })),
    tasks: view.tasks.map((task) => ({ ...task, label: taskLabel(t, task.kind) })),
    documents: application.documents.map((doc) => ({ ...doc, label: documentLabel(t, doc.kind) })),
  };
}

const EVENT_WORDS: Record<string, string> = {
  'task-approve': 'approved',
  'task-reject': 'rejected',
  'task-return': 'returned',
  'task-scores': 'recorded scores',
  'task-disqualify': 'disqualified the candidate',
  'task-claimed': 'claimed',
  'task-released': 'released',
  'task-reassigned': 'reassigned',
};

function describeEvent(t: TFunction, type: string): string {
  if (type.startsWith('closed:')) return `closed the case (${stageLabel(t, type.slice('closed:'.length))})`;
  return EVENT_WORDS[type] ?? type;
}
