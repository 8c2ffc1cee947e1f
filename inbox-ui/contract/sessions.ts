/**
 * Appraisal sessions (routes/sessions.ts, routes/sessionPages.ts): the bodies and queries the JSON API and the session
 * page's forms read, the session as it is answered, and the operations /api/openapi.json describes for them.
 *
 * A plan's and a schedule's content (dates ahead and in order, known occupations, the station's examiners, names and
 * places, seats) is judged by domain/sessionPlan.ts, which the session workflow runs again and which names every
 * mistake of a plan at once; the schemas here declare their shape, and state those rules for the document (`judged`).
 * Likewise the workflow judges the tickets a mark, a line or a take-out names, naming the ticket.
 */
import { z } from 'zod';
import { entries } from './shapes';
import { MAX_ROOMS, MAX_SEATS_PER_ROOM, MIN_EXAMINERS } from '../../domain/sessionPlan';
import { choice, id, number, optional, optionalText, say, text } from './fields';
import { type Answer, answer, type Operation, refusals } from './operation';

/**
 * A rule domain/sessionPlan.ts checks with the rest of the plan (so that all of a plan's mistakes are named at once,
 * each at its field), stated in the document; the schema itself holds only the value's type.
 */
const judged = <Schema extends z.ZodType>(schema: Schema, rule: Record<string, unknown>) => schema.meta(rule);

const instant = (description?: string) =>
  judged(z.string(), { format: 'date-time', ...(description && { description }) });

export const PartSchedule = z
  .looseObject({
    startsAt: instant().meta({ example: '2027-03-10T09:00:00+08:00' }),
    endsAt: instant(),
    place: judged(z.string(), { minLength: 1, maxLength: 200 }),
  })
  .meta({ id: 'PartSchedule' });

export const SessionSchedule = z
  .looseObject({
    knowledge: PartSchedule,
    skills: PartSchedule,
    registrationClosesAt: instant('No later than the first part.'),
  })
  .meta({ id: 'SessionSchedule' });

export const SessionPlan = SessionSchedule.extend({
  qualifications: judged(
    z.array(
      z.looseObject({
        occupation: z.string().meta({ description: 'A code from the occupation catalogue.' }),
        level: judged(z.number().int(), { minimum: 1, maximum: 5 }),
      }),
    ),
    { minItems: 1 },
  ),
  rooms: judged(
    z.array(
      z.looseObject({
        name: judged(z.string(), { minLength: 1, maxLength: 100 }),
        seats: judged(z.number().int(), { minimum: 1, maximum: MAX_SEATS_PER_ROOM }),
      }),
    ),
    { minItems: 1, maxItems: MAX_ROOMS },
  ),
  examiners: judged(z.array(z.string()), { minItems: MIN_EXAMINERS }),
}).meta({
  id: 'SessionPlan',
  description:
    'An appraisal session’s plan (domain/sessionPlan.ts): what it examines, when and where, its rooms, and its ' +
    'appraisal team (at least two of the station’s examiners).',
});

export const RosterEntry = z
  .looseObject({
    applicationNumber: z.string(),
    occupation: z.string(),
    level: z.number().int(),
    seat: z.looseObject({ room: z.string(), number: z.number().int() }).partial(),
    ticketNumber: z.string(),
    seatedAt: z.string().meta({ format: 'date-time' }),
    seatedBy: z.string(),
    released: z.looseObject({}).nullable(),
  })
  .partial()
  .meta({
    id: 'RosterEntry',
    description: 'A seat: the case (by number only), its room and seat, its admission ticket.',
  });

export const SessionBody = z
  .looseObject({
    sessionId: z.string(),
    stationId: z.string(),
    stage: z.string(),
    closed: z.boolean(),
    plan: SessionPlan,
    roster: z.array(RosterEntry),
    tasks: entries,
    history: entries,
  })
  .partial()
  .meta({
    id: 'Session',
    description: 'The session as its workflow reports it: plan, stage, roster, tasks, history. No personal data.',
  });

// ---- Bodies and queries ----

/** A new plan; the station is the clerk's own unless named. */
export const PlanBody = SessionPlan.extend({
  stationId: z.string({ error: say('session:refused.stationId') }).optional(),
});

/** A case to seat, by its application number. */
export const SeatBody = z.object({ applicationNumber: text(100) });

export const SESSION_TASK_ACTIONS = ['claim', 'release', 'approve', 'return', 'reject'] as const;

/**
 * A decision on a session task. Whether a comment or reason is required, and which candidates a results level may
 * take out and how, is the session's to judge (it names the task and the ticket).
 */
export const SessionTaskBody = z.object({
  comment: optionalText(2000),
  reason: optionalText(2000).meta({ description: 'Required to return or reject.' }),
  takeOut: z
    .array(
      z.object({
        ticketNumber: z.string(),
        decision: choice(['return', 'reject']),
        reason: z
          .string({ error: say('common:validation.required') })
          .max(2000, { error: say('common:validation.tooLong', { max: 2000 }) })
          .meta({ description: 'Required: why this candidate is taken out.' }),
      }),
    )
    .optional()
    .meta({
      description:
        'On a results level’s approval: candidates taken out of the batch, each returned (above the station) or ' +
        'rejected with a reason; the rest go on.',
    }),
});
export type SessionTaskBody = z.output<typeof SessionTaskBody>;

/** A reason, as a cancellation and a postponement give it. */
const reason = text(2000);

export const CancelBody = z.object({ reason });

export const PostponeBody = SessionSchedule.extend({ reason });

export const RevisionBody = SessionPlan.extend({ taskId: id, comment: optionalText(2000) });

export const AttendanceBody = z.object({
  marks: z
    .array(z.object({ ticketNumber: z.string(), present: z.boolean() }), {
      error: say('refusals:checkIn.marksMissing'),
    })
    .min(1, { error: say('refusals:checkIn.marksMissing') }),
});

export const ScoresBody = z.object({
  rows: z
    .array(
      z.object({
        ticketNumber: z.string(),
        knowledge: number(0, 100).optional(),
        skills: number(0, 100).optional(),
        disqualified: z.string().optional().meta({
          description: 'A disqualification for misconduct, with its reason; empty takes one back.',
        }),
      }),
      { error: say('refusals:sheet.rowsMissing') },
    )
    .min(1, { error: say('refusals:sheet.rowsMissing') }),
});

export const CheckInQuery = z.object({
  room: z
    .string({ error: say('common:validation.required') })
    .min(1, { error: say('common:validation.required') })
    .optional()
    .meta({ description: 'One room only.' }),
});

export const REPORT_FORMATS = ['json', 'csv', 'xlsx', 'pdf'] as const;
export const ReportQuery = z.object({ format: optional(choice(REPORT_FORMATS)) });

export const ImportQuery = z.object({
  confirm: optional(choice(['true'])).meta({ description: 'Write the rows.' }),
});

// ---- Operations ----

const SessionParams = z.object({ id: z.string().meta({ example: 'STATION-A-2027-S001' }) });
const TaskParams = SessionParams.extend({
  taskId: z.string().meta({ example: 'session-plan-review-1' }),
  action: choice(SESSION_TASK_ACTIONS),
});
const TicketParams = SessionParams.extend({ ticket: z.string() });

const TAGS = ['Appraisal sessions'];
const anything = z.looseObject({});
const binary = { schema: { type: 'string', format: 'binary' } };
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const sessionAfter = answer('The session after the action.', SessionBody);
const Planned = z.looseObject({ sessionId: z.string(), alreadyPlanned: z.boolean() }).partial();

/** A session action: its summary and body, answered with the session after it. */
const sessionAction = (path: string, summary: string, body: z.ZodType): Operation => ({
  method: 'post',
  path: `/api/sessions/{id}/${path}`,
  summary,
  tags: TAGS,
  params: SessionParams,
  body,
  answers: { 200: sessionAfter, ...refusals(401, 403, 404, 409, 422) },
});

const pdf = (description: string): Answer => ({ description, content: { 'application/pdf': binary } });

export const sessionOperations: Operation[] = [
  {
    method: 'get',
    path: '/api/sessions',
    summary: 'Appraisal sessions of your station or guidance center (all, for administrators)',
    tags: TAGS,
    answers: {
      200: answer('The sessions, soonest first.', z.looseObject({ sessions: z.array(anything) }).partial()),
      ...refusals(401),
    },
  },
  {
    method: 'post',
    path: '/api/sessions',
    summary: 'Plan a session (station clerks and supervisors); the guidance center then reviews the plan',
    tags: TAGS,
    body: PlanBody,
    answers: {
      201: answer('The session was planned.', Planned),
      200: answer('The same plan was sent before; its session, unchanged.', Planned),
      ...refusals(401, 403, 404, 409, 422),
    },
  },
  {
    method: 'post',
    path: '/api/sessions/seats/next',
    summary: 'Seat a case in the soonest session of its station that fits it and has a free seat',
    tags: TAGS,
    body: SeatBody,
    answers: { 201: answer('The session and the seat.', anything), ...refusals(401, 403, 404, 409, 422) },
  },
  {
    method: 'get',
    path: '/api/sessions/{id}',
    summary: 'A session: plan, stage, roster, tasks and history',
    tags: TAGS,
    params: SessionParams,
    answers: { 200: answer('The session.', SessionBody), ...refusals(401, 404) },
  },
  {
    method: 'post',
    path: '/api/sessions/{id}/seats',
    summary: 'Seat a case waiting for a seat, or move a seated one here before its cut-off',
    tags: TAGS,
    params: SessionParams,
    body: SeatBody,
    answers: { 201: answer('The seat and its ticket.', RosterEntry), ...refusals(401, 403, 404, 409, 422) },
  },
  {
    method: 'post',
    path: '/api/sessions/{id}/tasks/{taskId}/{action}',
    summary:
      'Act on a session task: claim, release, decide the plan (approve, return, reject), close the check-in list (approve), submit the score sheet (approve), check it (approve, return), file the report (approve), or decide the results batch at a level (approve, taking single candidates out; above the station, return the whole batch)',
    tags: TAGS,
    params: TaskParams,
    body: SessionTaskBody,
    answers: { 200: sessionAfter, ...refusals(401, 403, 404, 409, 422) },
  },
  sessionAction('plan', 'Revise a returned plan (the station’s revision task)', RevisionBody),
  sessionAction('postpone', 'Postpone an approved session; every seated candidate is told', PostponeBody),
  sessionAction('cancel', 'Cancel a session before it begins; its candidates wait for a seat again', CancelBody),
  {
    method: 'get',
    path: '/api/sessions/{id}/check-in',
    summary: 'The check-in list: seated candidates by room and seat, with their marks so far',
    description: 'Names and ID numbers are shown to the station’s clerks, supervisors and examiners, masked to others.',
    tags: TAGS,
    params: SessionParams,
    query: CheckInQuery,
    answers: { 200: answer('The list.', anything), ...refusals(401, 404, 422) },
  },
  {
    method: 'get',
    path: '/api/sessions/{id}/tickets',
    summary:
      'Every seated candidate’s admission ticket, in seat order, as one PDF (the station’s clerks and supervisors)',
    tags: TAGS,
    params: SessionParams,
    answers: { 200: pdf('The tickets.'), ...refusals(401, 403, 404, 409, 422) },
  },
  {
    method: 'get',
    path: '/api/sessions/{id}/tickets/{ticket}',
    summary: 'One candidate’s admission ticket as a PDF (the station’s clerks and supervisors)',
    tags: TAGS,
    params: TicketParams,
    answers: { 200: pdf('The ticket.'), ...refusals(401, 403, 404, 409, 422) },
  },
  {
    method: 'get',
    path: '/api/sessions/{id}/report',
    summary: 'The session report: seated, present, absent, pass rates per part, grade bands, the team opinion',
    tags: TAGS,
    params: SessionParams,
    query: ReportQuery,
    answers: {
      200: {
        description: 'The report, or its export.',
        body: anything,
        content: { 'text/csv': { schema: { type: 'string' } }, [XLSX]: binary, 'application/pdf': binary },
      },
      ...refusals(401, 404, 422),
    },
  },
  {
    method: 'get',
    path: '/api/sessions/{id}/score-sheet',
    summary: 'The score sheet: every present candidate with the scores entered so far, and where the sheet stands',
    tags: TAGS,
    params: SessionParams,
    answers: { 200: answer('The sheet.', anything), ...refusals(401, 404) },
  },
  sessionAction(
    'scores',
    'Enter lines of the score sheet (the appraisal team, while its entry task is open); a line entered again replaces its parts',
    ScoresBody,
  ),
  {
    method: 'post',
    path: '/api/sessions/{id}/scores/import',
    summary: 'Import the score sheet from a CSV or XLSX file: a preview, or with confirm=true every row at once',
    description:
      'The header row names the columns: ticket (准考证号), knowledge (理论知识), skills (操作技能). The preview ' +
      'names each bad row with its reason; a confirmed import with any bad row is refused whole.',
    tags: TAGS,
    params: SessionParams,
    query: ImportQuery,
    upload: { 'text/csv': { schema: { type: 'string' } }, [XLSX]: binary },
    answers: {
      200: answer('The preview (and, confirmed, the sheet).', anything),
      ...refusals(401, 403, 404, 409, 422),
    },
  },
  sessionAction(
    'attendance',
    'Mark candidates present or absent, from the start of the first part until the list is closed',
    AttendanceBody,
  ),
];
