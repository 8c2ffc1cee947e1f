/**
 * A task of a case and the actions on it (inbox-ui/taskActions.ts): the bodies each action reads, shared by the task
 * page's forms and the JSON API, and the operations /api/openapi.json describes for them.
 */
import { z } from 'zod';
import { ActionResult, CaseParams } from './shapes';
import { number, optional, optionalText, text } from './fields';
import { answer, type Operation, refusals } from './operation';

export const TASK_ACTIONS = [
  'claim',
  'release',
  'reassign',
  'approve',
  'reject',
  'return',
  'scores',
  'disqualify',
] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

const Reason = z.object({ reason: text(2000) });

/** What each action reads from its form or JSON body; claiming and releasing read nothing. */
export const TASK_ACTION_BODIES = {
  claim: z.object({}),
  release: z.object({}),
  reassign: z.object({ assignee: text(100).meta({ description: 'A member of the task’s group.' }) }),
  approve: z.object({
    comment: optionalText(2000),
    receivedBy: optionalText(100).meta({
      description:
        'At the certificate hand-over, required: who received it (the holder, or the person the holder sent). ' +
        'Ignored on other tasks.',
    }),
  }),
  reject: Reason,
  return: Reason,
  disqualify: Reason,
  scores: z.object({
    knowledge: optional(number(0, 100)),
    skills: optional(number(0, 100)),
    comment: optionalText(2000),
  }),
} satisfies Record<TaskAction, z.ZodObject>;

export type TaskActionBody<Action extends TaskAction> = z.output<(typeof TASK_ACTION_BODIES)[Action]>;

const TaskParams = CaseParams.extend({ taskId: z.string().meta({ example: 'station-review-1' }) });

const SUMMARIES: Record<TaskAction, string> = {
  claim: 'Claim a task',
  release: 'Release a claimed task',
  reassign: 'Reassign a task (supervisors)',
  approve: 'Approve',
  reject: 'Reject',
  return: 'Return to the level below',
  scores: 'Record exam scores',
  disqualify: 'Disqualify the candidate for misconduct',
};

export const taskOperations: Operation[] = [
  {
    method: 'get',
    path: '/api/cases/{number}/tasks/{taskId}',
    summary: 'A task and its case',
    tags: ['Tasks'],
    params: TaskParams,
    answers: { 200: answer('The task and the case.', ActionResult), ...refusals(401, 404) },
  },
  // One route takes every action (`:action`); each is described as its own path, with the body it reads.
  ...TASK_ACTIONS.map((action): Operation => ({
    method: 'post',
    path: `/api/cases/{number}/tasks/{taskId}/${action}`,
    summary: SUMMARIES[action],
    tags: ['Tasks'],
    params: TaskParams,
    ...(action !== 'claim' && action !== 'release' && { body: TASK_ACTION_BODIES[action] }),
    answers: {
      200: answer('The task and the case after the action.', ActionResult),
      ...refusals(401, 403, 404, 409, 422),
    },
  })),
];

/** The action named in a path, if it is one. */
export const isTaskAction = (name: string): name is TaskAction => (TASK_ACTIONS as readonly string[]).includes(name);
