/**
 * The inbox (routes/inbox.ts), its saved views (routes/savedViews.ts) and the supervisors' team view (routes/team.ts):
 * the list's query, shared by the /inbox page's filter form and GET /api/tasks, the bodies of the bulk actions and of
 * a saved view, and the operations /api/openapi.json describes for them.
 */
import { z } from 'zod';
import { TaskRefItem } from './shapes';
import { readableText } from '../../domain/text';
import type { TaskSort } from '../../records/tasks';
import { Stage } from '../../workflows/definitions';
import type { DueState } from '../dueState';
import { choice, cursor, id, optional, optionalText, say, typedPattern, wholeNumber } from './fields';
import { answer, type Operation, refusals } from './operation';

/** In the order the validation message names them (tests and API clients read it). */
export const INBOX_VIEWS = ['mine', 'claimable', 'all'] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];
export const INBOX_SORTS = ['due', 'created', 'priority'] as const satisfies readonly TaskSort[];
const DUE = ['overdue', 'due-soon', 'on-time'] as const satisfies readonly DueState[];
const STAGES = Object.values(Stage) as [Stage, ...Stage[]];
/** The list's page size when the query names none. */
export const PAGE_SIZE = 25;

/** A choice that may be left out or blank, and then reads as its default (which the document shows). */
const choiceOr = <const Codes extends readonly [string, ...string[]]>(codes: Codes, fallback: Codes[number]) =>
  optional(choice(codes).meta({ default: fallback })).transform((value) => value ?? fallback);

/**
 * The inbox's query, as the page's filter form (a GET that sends every field, chosen or not) and the API send it.
 * The cursors are checked here for their form only: what they hold, and that `after` and `before` exclude each other,
 * are the route's questions (routes/inbox.ts readInboxQuery).
 */
export const InboxQueryFields = z.object({
  view: choiceOr(INBOX_VIEWS, 'all'),
  sort: choiceOr(INBOX_SORTS, 'due'),
  due: optional(choice(DUE)),
  stage: optional(choice(STAGES)),
  occupation: optionalText(100).meta({
    description: 'Part of an occupation’s name, in Chinese or English, or its code.',
  }),
  level: optional(wholeNumber(1, 5)),
  q: optionalText(100).meta({
    description: 'An application number (or its start), or a candidate’s name or ID number.',
  }),
  limit: optional(wholeNumber(1, 100).meta({ default: PAGE_SIZE })).transform((value) => value ?? PAGE_SIZE),
  after: optional(cursor).meta({ description: 'The `next` cursor of the previous page.' }),
  before: optional(cursor).meta({ description: 'The `previous` cursor of the next page (not with `after`).' }),
});
export type InboxQueryFields = z.output<typeof InboxQueryFields>;

/** Where a view stood, as GET /api/tasks/changes and the inbox page give it: `<change number>-<count>`. */
export const ChangesQuery = z.object({
  view: choiceOr(INBOX_VIEWS, 'all'),
  since: optional(
    z
      .string()
      .regex(/^[0-9]{1,15}-[0-9]{1,15}$/, { error: say('inbox:errors.since') })
      .meta({ example: '1764500000000-3' })
      .transform((token) => ({ token, count: Number(token.split('-')[1]) })),
  ).meta({ description: 'A `token` given by this call or the inbox page.' }),
});

const tasksRefused = say('inbox:errors.tasks');
/** Several tasks at once, each its own decision with its own result line: 1 to 100, each by its case and task id. */
const BulkClaimBody = z.object({
  tasks: z
    .array(TaskRefItem, { error: tasksRefused })
    .min(1, { error: tasksRefused })
    .max(100, { error: tasksRefused }),
});
export const BULK_BODIES = {
  claim: BulkClaimBody,
  // Checked once, before any task: a comment no task would take is the request's mistake, not each task's.
  approve: BulkClaimBody.extend({ comment: optionalText(2000) }),
};
export type BulkBody = z.output<typeof BULK_BODIES.approve>;

export const MAX_VIEW_NAME = 60;
export const MAX_VIEW_QUERY = 2000;

/**
 * A saved view's name: text as a person types it, counted in characters as people count them (so a Chinese name of
 * 60 characters fits, as the document's maxLength counts too), refused in the saved views' own words.
 */
const ViewName = z
  .string({ error: say('views:errors.nameEmpty') })
  .superRefine((value, context) => {
    const checked = readableText(value);
    if ('problem' in checked) {
      context.addIssue({ code: 'custom', message: say(`views:errors.problem.${checked.problem}`), input: value });
    } else if (!checked.text) {
      context.addIssue({ code: 'custom', message: say('views:errors.nameEmpty'), input: value });
    } else if ([...checked.text].length > MAX_VIEW_NAME) {
      context.addIssue({
        code: 'custom',
        message: say('views:errors.nameTooLong', { max: MAX_VIEW_NAME }),
        input: value,
      });
    }
  })
  .transform((value) => value.normalize('NFC').trim())
  .meta({ pattern: typedPattern(), minLength: 1, maxLength: MAX_VIEW_NAME });

/**
 * A view to save, from the inbox's form or the API. Its query is read as the inbox reads it, and its group must be one
 * of the reader's: both the route's questions (routes/savedViews.ts).
 */
export const SavedViewBody = z.object({
  name: ViewName,
  query: z
    .string({ error: say('views:errors.queryTooLong', { max: MAX_VIEW_QUERY }) })
    .max(MAX_VIEW_QUERY, { error: say('views:errors.queryTooLong', { max: MAX_VIEW_QUERY }) })
    .nullable()
    .optional()
    .meta({ description: "The inbox's query string, without '?'; null is none" }),
  share: z
    .string({ error: say('views:errors.share') })
    .optional()
    .meta({ description: 'One of your groups; empty or absent for a private view' }),
});
export type SavedViewBody = z.output<typeof SavedViewBody>;

// ---- Answers ----

const dateTime = z.string().meta({ format: 'date-time' });
const ViewCounts = z
  .looseObject({ all: z.number().int(), claimable: z.number().int(), mine: z.number().int() })
  .partial();

export const Task = z
  .looseObject({
    applicationNumber: z.string(),
    taskId: z.string(),
    kind: z.string(),
    kindLabel: z.string(),
    stage: z.string(),
    occupation: z.string(),
    level: z.number().int(),
    candidateGroup: z.string(),
    assignee: z.string().nullable(),
    escalated: z.boolean(),
    createdAt: dateTime,
    dueAt: dateTime,
    dueState: z.enum(DUE),
    link: z.string(),
    bulkApprovable: z.boolean(),
    candidate: z.string().nullable().meta({ description: 'Masked: 张**.' }),
    occupationName: z.string(),
    levelLabel: z.string(),
    assigneeName: z.string().nullable(),
    returned: z.boolean().meta({ description: 'Opened again by a return from the level above.' }),
    returnReason: z.string().nullable(),
    claimable: z.boolean(),
    selectable: z.boolean(),
  })
  .partial()
  .meta({
    id: 'Task',
    description: 'A task as the inbox lists it; the candidate only masked (the surname and two stars).',
  });

const TaskList = z
  .looseObject({
    tasks: z.array(Task),
    next: z.string(),
    previous: z.string(),
    total: z.number().int().meta({ description: 'Tasks matching the filters, on every page.' }),
    counts: ViewCounts.meta({ description: 'Open tasks in each view, unfiltered.' }),
  })
  .partial();

const Changes = z
  .looseObject({
    view: z.string(),
    token: z.string(),
    changed: z.boolean(),
    newTasks: z.number().int(),
    counts: ViewCounts,
    message: z.string().nullable().meta({ description: 'What changed, in your language.' }),
  })
  .partial();

const BulkResults = z
  .looseObject({
    results: z.array(
      z
        .looseObject({
          applicationNumber: z.string(),
          taskId: z.string(),
          ok: z.boolean(),
          status: z.number().int(),
          message: z.string(),
        })
        .partial(),
    ),
  })
  .partial();

const SavedView = z
  .looseObject({
    id: z.string(),
    name: z.string(),
    query: z.string(),
    link: z.string(),
    owner: z.string(),
    mine: z.boolean(),
    sharedGroup: z.string().nullable(),
    sharedLabel: z.string().nullable(),
    createdAt: z.string(),
  })
  .partial()
  .meta({ id: 'SavedView', description: 'A saved view of the inbox: a query kept under a name.' });

const OneView = z.looseObject({ view: SavedView, replaced: z.boolean() }).partial();

const Team = z
  .looseObject({
    groups: z.array(
      z
        .looseObject({
          group: z.string(),
          name: z.string(),
          open: z.number().int(),
          unclaimed: z.number().int(),
          overdue: z.number().int(),
          members: z.array(z.looseObject({})),
        })
        .partial(),
    ),
  })
  .partial();

const ViewParams = z.object({ id });

export const inboxOperations: Operation[] = [
  {
    method: 'get',
    path: '/api/tasks',
    summary: 'Your inbox: tasks claimed by you or open to your groups',
    tags: ['Tasks'],
    query: InboxQueryFields,
    answers: { 200: answer('One page of tasks.', TaskList), ...refusals(401, 422) },
  },
  {
    method: 'get',
    path: '/api/tasks/changes',
    summary: 'Whether a view of your inbox gained or lost tasks since a token (what an open inbox page polls)',
    tags: ['Tasks'],
    query: ChangesQuery,
    answers: {
      200: answer(
        'The view’s current token; whether it moved since `since`; the new tasks, net of those gone.',
        Changes,
      ),
      ...refusals(401, 422),
    },
  },
  {
    method: 'post',
    path: '/api/tasks/bulk-approve',
    summary: 'Approve several tasks, each on its own',
    tags: ['Tasks'],
    body: BULK_BODIES.approve,
    answers: { 200: answer('A result per task.', BulkResults), ...refusals(401, 422) },
  },
  {
    method: 'post',
    path: '/api/tasks/bulk-claim',
    summary: 'Claim several tasks, each on its own',
    tags: ['Tasks'],
    body: BULK_BODIES.claim,
    answers: { 200: answer('A result per task.', BulkResults), ...refusals(401, 422) },
  },
  {
    method: 'get',
    path: '/api/inbox/views',
    summary: 'Your saved views of the inbox: your own and those shared with one of your groups',
    tags: ['Tasks'],
    answers: {
      200: answer('The views, by name.', z.looseObject({ views: z.array(SavedView) }).partial()),
      ...refusals(401),
    },
  },
  {
    method: 'post',
    path: '/api/inbox/views',
    summary:
      'Save the inbox query under a name (a name you already used is updated), privately or shared with one of your groups',
    tags: ['Tasks'],
    body: SavedViewBody,
    answers: {
      200: answer('A view of that name was updated (`replaced: true`).', OneView),
      201: answer('The view was saved.', OneView),
      ...refusals(401, 422),
    },
  },
  {
    method: 'get',
    path: '/api/inbox/views/{id}',
    summary: 'One saved view you may see',
    tags: ['Tasks'],
    params: ViewParams,
    answers: { 200: answer('The view.', OneView), ...refusals(401, 404) },
  },
  {
    method: 'delete',
    path: '/api/inbox/views/{id}',
    summary: 'Delete a view you saved',
    tags: ['Tasks'],
    params: ViewParams,
    answers: { 204: answer('Deleted.'), ...refusals(401, 403, 404) },
  },
  {
    method: 'get',
    path: '/api/inbox/team',
    summary:
      'For supervisors: per supervised group, its members, the open tasks they hold, overdue and unclaimed counts',
    tags: ['Tasks'],
    answers: { 200: answer('The groups.', Team), ...refusals(401, 403) },
  },
];
