/**
 * The JSON API's OpenAPI 3 description, served at /api/openapi.json. Written by hand next to the routes it describes;
 * test/inbox/openapi.test.ts checks that every /api route the app registers is described here and the reverse, and
 * test/api/schemathesis.test.ts that the server answers as described: the constraints here are the server's real ones
 * (a request this document allows is not refused as invalid), and every status a route can answer is listed.
 */
import { Stage } from '../workflows/definitions';
import { DESCRIPTION_MAX, DESCRIPTION_MIN } from '../workflows/investigationDefinitions';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const error = (description: string) => ({ description, ...json(ref('Error')) });

const REFUSALS = {
  '401': error('Not signed in.'),
  '403': error('Signed in, but not allowed (a refusal of the workflow, or a rule of the inbox).'),
  '404': error('No such case or task, or not one you may see.'),
  '409': error('The task or case is closed, or claimed by someone else.'),
  '422': error('Invalid input: `errors` carries a message per field.'),
};

/** A calendar date, as the statistics' filters take it (domain/dates.ts: years 1000 to 9999). */
const isoDate = { type: 'string', format: 'date', pattern: '^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$' };

/** What a read with a query can be refused with: no sign-in, no right, or a query that is not valid. */
const READ_REFUSALS = { '401': REFUSALS['401'], '403': REFUSALS['403'], '422': REFUSALS['422'] };

/** A page cursor: opaque, only what a previous answer gave (base64url); anything else is refused with 422. */
const cursor = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,400}$' };

const investigationParam = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string' },
} as const;

const caseParam = {
  name: 'number',
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description: 'Application number',
};
const taskParam = {
  name: 'taskId',
  in: 'path',
  required: true,
  schema: { type: 'string' },
  example: 'station-review-1',
};
/**
 * A query parameter. An empty value (`?stage=`) is read as absent, on purpose: the inbox's filter form submits with
 * GET and sends every field, chosen or not, and the API shares its parser. `allowEmptyValue` says so.
 */
const query = (name: string, schema: object, description?: string) => ({
  name,
  in: 'query',
  schema,
  description,
  allowEmptyValue: true,
});

const taskAction = (summary: string, body?: object) => ({
  post: {
    summary,
    tags: ['Tasks'],
    parameters: [caseParam, taskParam],
    ...(body && { requestBody: { required: true, ...json(body) } }),
    responses: {
      '200': { description: 'The task and the case after the action.', ...json(ref('ActionResult')) },
      ...REFUSALS,
    },
  },
});

/** What domain/text.ts refuses in typed text: control characters and bidirectional overrides. */
const UNWRITTEN =
  '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069\\u200e\\u200f\\u061c';
/** Characters that show nothing: text made only of these (or of spaces) is blank. */
const BLANK = '\\s\\u200b-\\u200d\\u2060\\ufeff\\u00ad\\u180e';
/**
 * Text as people type it: at least one visible character, none of what no person means to write; with a minimum
 * length above 1, that many characters once the spaces around them are trimmed, as the server counts.
 */
const text = (maxLength: number, minLength = 1) => ({
  type: 'string',
  minLength,
  maxLength,
  pattern:
    minLength === 1
      ? `^[^${UNWRITTEN}]*[^${UNWRITTEN}${BLANK}][^${UNWRITTEN}]*$`
      : `^\\s*[^${UNWRITTEN}${BLANK}][^${UNWRITTEN}]{${minLength - 2},}[^${UNWRITTEN}\\s]\\s*$`,
});

/** Optional text, where an empty string or null is read as none (a form's field left blank). */
const optionalText = (maxLength: number) => {
  const typed = text(maxLength);
  return { ...typed, nullable: true, minLength: 0, pattern: `^$|${typed.pattern}` };
};

/** `n` digits, not all zero, as a pattern (a certificate's serial starts at 1). */
const nonZeroDigits = (n: number) =>
  `(?:${Array.from({ length: n }, (_, zeros) => `${'0'.repeat(zeros)}[1-9]\\d{${n - zeros - 1}}`).join('|')})`;
/** Both formats of domain/certificateNumber.ts: the skill level certificate's 22 characters, the legacy 16 digits. */
const certificateNumber = {
  type: 'string',
  pattern: `^(?:[YS]\\d{14}[1-5]${nonZeroDigits(6)}|\\d{6}[0-4]\\d{3}[1-5]${nonZeroDigits(5)})$`,
  example: 'Y123411000001265000001',
};

/** Several tasks at once, each its own decision with its own result line (bulk approve, bulk claim). */
/** Tasks chosen together (bulk actions, a print batch): 1 to 100, each by its case and task id. */
const taskRefs = {
  type: 'array',
  minItems: 1,
  maxItems: 100,
  items: {
    type: 'object',
    required: ['applicationNumber', 'taskId'],
    properties: {
      applicationNumber: { type: 'string', minLength: 1 },
      taskId: { type: 'string', minLength: 1 },
    },
  },
};

const bulkAction = (summary: string, extra: Record<string, object> = {}) => ({
  post: {
    summary,
    tags: ['Tasks'],
    requestBody: {
      required: true,
      ...json({
        type: 'object',
        required: ['tasks'],
        properties: { tasks: taskRefs, ...extra },
      }),
    },
    responses: {
      '200': {
        description: 'A result per task.',
        ...json({
          type: 'object',
          properties: {
            results: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  applicationNumber: { type: 'string' },
                  taskId: { type: 'string' },
                  ok: { type: 'boolean' },
                  status: { type: 'integer' },
                  message: { type: 'string' },
                },
              },
            },
          },
        }),
      },
      '401': REFUSALS['401'],
      '422': REFUSALS['422'],
    },
  },
});

const sessionParam = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string' },
  example: 'STATION-A-2027-S001',
};
const reasonBody = { type: 'object', required: ['reason'], properties: { reason: text(2000) } };
const sessionAnswer = (description: string) => ({ description, ...json(ref('Session')) });
/** A session action: its path, summary, body, and the session after it. */
const sessionAction = (summary: string, body: object, answer = sessionAnswer('The session after the action.')) => ({
  post: {
    summary,
    tags: ['Appraisal sessions'],
    parameters: [sessionParam],
    requestBody: { required: true, ...json(body) },
    responses: { '200': answer, ...REFUSALS },
  },
});

export const openApiDocument = withUnreadableBodies({
  openapi: '3.0.3',
  info: {
    title: 'Qualiflow API',
    version: '1.0.0',
    description:
      'Every action of the task inbox and the administrators’ console. Sign in with POST /api/session and send the ' +
      'token as `Authorization: Bearer <token>`; a browser session cookie works too, with the CSRF token of the page ' +
      'in an `X-CSRF-Token` header. Errors are `{ error, code?, errors? }` in the language the request asks for ' +
      '(Accept-Language), `errors` holding a message per field.',
  },
  servers: [{ url: '/' }],
  components: {
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer' },
      cookie: { type: 'apiKey', in: 'cookie', name: 'qf_session' },
    },
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        properties: {
          error: { type: 'string' },
          code: {
            type: 'string',
            description:
              'A refusal of the workflow: its key in the `refusals` message catalogue, the same in every language, ' +
              'for scripts to branch on.',
            example: 'refusals:task.claimedByOther',
          },
          errors: {
            type: 'object',
            additionalProperties: { type: 'string' },
            example: { knowledge: 'must be a number from 0 to 100' },
          },
        },
      },
      Task: {
        type: 'object',
        description: 'A task as the inbox lists it; the candidate only masked (the surname and two stars).',
        properties: {
          applicationNumber: { type: 'string' },
          taskId: { type: 'string' },
          kind: { type: 'string' },
          kindLabel: { type: 'string' },
          stage: { type: 'string' },
          occupation: { type: 'string' },
          level: { type: 'integer' },
          candidateGroup: { type: 'string' },
          assignee: { type: 'string', nullable: true },
          escalated: { type: 'boolean' },
          createdAt: { type: 'string', format: 'date-time' },
          dueAt: { type: 'string', format: 'date-time' },
          dueState: { type: 'string', enum: ['overdue', 'due-soon', 'on-time'] },
          link: { type: 'string' },
          bulkApprovable: { type: 'boolean' },
          candidate: { type: 'string', description: 'Masked: 张**.' },
          occupationName: { type: 'string' },
          levelLabel: { type: 'string' },
          assigneeName: { type: 'string', nullable: true },
          returned: { type: 'boolean', description: 'Opened again by a return from the level above.' },
          returnReason: { type: 'string', nullable: true },
          claimable: { type: 'boolean' },
          selectable: { type: 'boolean' },
        },
      },
      Case: {
        type: 'object',
        description: 'The case as its workflow reports it; the candidate masked unless your work needs the person.',
        additionalProperties: true,
        properties: {
          applicationNumber: { type: 'string' },
          stage: { type: 'string' },
          closed: { type: 'boolean' },
          application: { type: 'object', additionalProperties: true },
          eligibility: { type: 'object', additionalProperties: true },
          tasks: { type: 'array', items: { type: 'object', additionalProperties: true } },
          history: { type: 'array', items: { type: 'object', additionalProperties: true } },
        },
      },
      ActionResult: {
        type: 'object',
        properties: {
          message: { type: 'string' },
          task: { type: 'object', additionalProperties: true },
          case: ref('Case'),
        },
      },
      PartSchedule: {
        type: 'object',
        required: ['startsAt', 'endsAt', 'place'],
        properties: {
          startsAt: { type: 'string', format: 'date-time', example: '2027-03-10T09:00:00+08:00' },
          endsAt: { type: 'string', format: 'date-time' },
          place: text(200),
        },
      },
      SessionSchedule: {
        type: 'object',
        required: ['knowledge', 'skills', 'registrationClosesAt'],
        properties: {
          knowledge: ref('PartSchedule'),
          skills: ref('PartSchedule'),
          registrationClosesAt: { type: 'string', format: 'date-time', description: 'No later than the first part.' },
        },
      },
      SessionPlan: {
        description:
          'An appraisal session’s plan (domain/sessionPlan.ts): what it examines, when and where, its rooms, and its ' +
          'appraisal team (at least two of the station’s examiners).',
        allOf: [
          ref('SessionSchedule'),
          {
            type: 'object',
            required: ['qualifications', 'rooms', 'examiners'],
            properties: {
              qualifications: {
                type: 'array',
                minItems: 1,
                items: {
                  type: 'object',
                  required: ['occupation', 'level'],
                  properties: { occupation: { type: 'string' }, level: { type: 'integer', minimum: 1, maximum: 5 } },
                },
              },
              rooms: {
                type: 'array',
                minItems: 1,
                items: {
                  type: 'object',
                  required: ['name', 'seats'],
                  properties: { name: text(100), seats: { type: 'integer', minimum: 1, maximum: 500 } },
                },
              },
              examiners: { type: 'array', minItems: 2, items: { type: 'string' } },
            },
          },
        ],
      },
      RosterEntry: {
        type: 'object',
        description: 'A seat: the case (by number only), its room and seat, its admission ticket.',
        properties: {
          applicationNumber: { type: 'string' },
          occupation: { type: 'string' },
          level: { type: 'integer' },
          seat: { type: 'object', properties: { room: { type: 'string' }, number: { type: 'integer' } } },
          ticketNumber: { type: 'string' },
          seatedAt: { type: 'string', format: 'date-time' },
          seatedBy: { type: 'string' },
          released: { type: 'object', nullable: true, additionalProperties: true },
        },
      },
      Session: {
        type: 'object',
        description: 'The session as its workflow reports it: plan, stage, roster, tasks, history. No personal data.',
        additionalProperties: true,
        properties: {
          sessionId: { type: 'string' },
          stationId: { type: 'string' },
          stage: { type: 'string' },
          closed: { type: 'boolean' },
          plan: ref('SessionPlan'),
          roster: { type: 'array', items: ref('RosterEntry') },
          tasks: { type: 'array', items: { type: 'object', additionalProperties: true } },
          history: { type: 'array', items: { type: 'object', additionalProperties: true } },
        },
      },
      Application: {
        type: 'object',
        description:
          'What the station receives (domain/application.ts). stationId defaults to your station; guidanceCenterId and ' +
          'departmentId are your province’s (naming others is refused); applicationNumber is generated when absent ' +
          '(send it to make a retry safe).',
        required: ['candidate', 'occupation', 'level', 'evidence', 'documents'],
        properties: {
          applicationNumber: { type: 'string', pattern: '^[A-Z0-9][A-Z0-9-]{5,39}$' },
          stationId: { type: 'string' },
          trainingInstitutionId: { type: 'string' },
          candidate: {
            type: 'object',
            required: ['name', 'idType', 'idNumber'],
            properties: {
              name: text(100),
              idType: { type: 'string', enum: ['resident-id', 'passport', 'residence-permit'] },
              idNumber: { type: 'string' },
              email: { type: 'string', format: 'email' },
              phone: { type: 'string' },
            },
          },
          occupation: { type: 'string', description: 'A code from the occupation catalogue.' },
          specialty: { type: 'string' },
          level: { type: 'integer', minimum: 1, maximum: 5 },
          evidence: {
            type: 'object',
            required: [
              'employedInOccupation',
              'continuousWorkYears',
              'yearsInOccupation',
              'newLabourForce',
              'heldCertificates',
            ],
            additionalProperties: true,
          },
          documents: {
            type: 'array',
            items: {
              type: 'object',
              required: ['kind', 'reference'],
              properties: { kind: { type: 'string' }, reference: { type: 'string' } },
            },
          },
        },
      },
    },
  },
  security: [{ bearer: [] }, { cookie: [] }],
  paths: {
    '/api/session': {
      post: {
        summary: 'Sign in',
        tags: ['Session'],
        security: [],
        requestBody: {
          required: true,
          ...json({
            type: 'object',
            required: ['username', 'password'],
            // The password is taken exactly as sent: it is compared, never shown or searched.
            properties: { username: text(100), password: { type: 'string', minLength: 1, maxLength: 200 } },
          }),
        },
        responses: {
          '201': {
            description: 'Signed in.',
            ...json({ type: 'object', properties: { token: { type: 'string' }, user: { type: 'object' } } }),
          },
          '401': error('Wrong user name or password.'),
          '422': error('A field is missing.'),
          '423': error('The user name is locked after too many failed sign-ins; an administrator unlocks it.'),
          '429': error(
            'Too many attempts from this address, or too soon after failures for this name; see Retry-After.',
          ),
        },
      },
      delete: {
        summary: 'Sign out',
        tags: ['Session'],
        responses: { '204': { description: 'Signed out.' }, '401': REFUSALS['401'] },
      },
    },
    '/api/me': {
      get: {
        summary: 'Who you are',
        tags: ['Session'],
        responses: { '200': { description: 'Your id, name and groups.' }, '401': REFUSALS['401'] },
      },
    },
    '/api/account/password': {
      post: {
        summary: 'Change your own password; your other sessions are signed out, this one stays',
        tags: ['Session'],
        requestBody: {
          required: true,
          ...json({
            type: 'object',
            required: ['currentPassword', 'newPassword'],
            properties: {
              currentPassword: { type: 'string', minLength: 1, maxLength: 200 },
              newPassword: {
                type: 'string',
                minLength: 10,
                maxLength: 200,
                description: 'At least 10 characters, and not your user name.',
              },
              repeatPassword: { type: 'string', description: 'Optional; when given, it must equal `newPassword`.' },
            },
          }),
        },
        responses: {
          '200': { description: 'Changed: `message`, and `endedSessions`, how many other sessions were signed out.' },
          '401': REFUSALS['401'],
          '422': error(
            'Not changed: `errors` says which field is wrong (a wrong current password counts as a failed sign-in).',
          ),
          '423': error('Your user name is locked after too many failed sign-ins; an administrator unlocks it.'),
          '429': error('Too soon after wrong current passwords; see Retry-After.'),
        },
      },
    },
    '/api/account/reset/{token}': {
      post: {
        summary: "Set a new password with an administrator's one-time link (no sign-in); every session is signed out",
        tags: ['Session'],
        security: [],
        parameters: [{ name: 'token', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: {
          required: true,
          ...json({
            type: 'object',
            required: ['newPassword'],
            properties: {
              newPassword: { type: 'string', minLength: 10, maxLength: 200 },
              repeatPassword: { type: 'string', description: 'Optional; when given, it must equal `newPassword`.' },
            },
          }),
        },
        responses: {
          '200': { description: 'The password is set; sign in with it.' },
          '404': error('The link is unknown, used or expired (the answer does not say which).'),
          '422': error('Not set: `errors` says what is wrong with the new password.'),
          '429': error('Too many attempts from this address; see Retry-After.'),
        },
      },
    },
    '/api/tasks': {
      get: {
        summary: 'Your inbox: tasks claimed by you or open to your groups',
        tags: ['Tasks'],
        parameters: [
          query('view', { type: 'string', enum: ['mine', 'claimable', 'all'], default: 'all' }),
          query('stage', { type: 'string' }),
          query('occupation', { type: 'string' }),
          query('level', { type: 'integer', minimum: 1, maximum: 5 }),
          query('due', { type: 'string', enum: ['overdue', 'due-soon', 'on-time'] }),
          query('sort', { type: 'string', enum: ['due', 'created', 'priority'], default: 'due' }),
          query('limit', { type: 'integer', minimum: 1, maximum: 100, default: 25 }),
          query('after', cursor, 'The `next` cursor of the previous page.'),
          query('before', cursor, 'The `previous` cursor of the next page (not with `after`).'),
          query('q', { type: 'string' }, 'An application number (or its start), or a candidate’s name or ID number.'),
        ],
        responses: {
          '200': {
            description: 'One page of tasks.',
            ...json({
              type: 'object',
              properties: {
                tasks: { type: 'array', items: ref('Task') },
                next: { type: 'string' },
                previous: { type: 'string' },
                total: { type: 'integer', description: 'Tasks matching the filters, on every page.' },
                counts: {
                  type: 'object',
                  description: 'Open tasks in each view, unfiltered.',
                  properties: { all: { type: 'integer' }, claimable: { type: 'integer' }, mine: { type: 'integer' } },
                },
              },
            }),
          },
          '401': REFUSALS['401'],
          '422': REFUSALS['422'],
        },
      },
    },
    '/api/tasks/changes': {
      get: {
        summary: 'Whether a view of your inbox gained or lost tasks since a token (what an open inbox page polls)',
        tags: ['Tasks'],
        parameters: [
          query('view', { type: 'string', enum: ['mine', 'claimable', 'all'], default: 'all' }),
          query(
            'since',
            { type: 'string', pattern: '^\\d{1,15}-\\d{1,15}$', example: '1764500000000-3' },
            'A `token` given by this call or the inbox page.',
          ),
        ],
        responses: {
          '200': {
            description: 'The view’s current token; whether it moved since `since`; the new tasks, net of those gone.',
            ...json({
              type: 'object',
              properties: {
                view: { type: 'string' },
                token: { type: 'string' },
                changed: { type: 'boolean' },
                newTasks: { type: 'integer' },
                counts: {
                  type: 'object',
                  properties: { all: { type: 'integer' }, claimable: { type: 'integer' }, mine: { type: 'integer' } },
                },
                message: { type: 'string', nullable: true, description: 'What changed, in your language.' },
              },
            }),
          },
          '401': REFUSALS['401'],
          '422': REFUSALS['422'],
        },
      },
    },
    '/api/tasks/bulk-approve': bulkAction('Approve several tasks, each on its own', { comment: optionalText(2000) }),
    '/api/tasks/bulk-claim': bulkAction('Claim several tasks, each on its own'),
    '/api/cases/{number}': {
      get: {
        summary: 'A case',
        tags: ['Cases'],
        parameters: [caseParam],
        responses: {
          '200': { description: 'The case.', ...json(ref('Case')) },
          '401': REFUSALS['401'],
          '404': REFUSALS['404'],
        },
      },
    },
    '/api/cases/{number}/certificate/reprint': {
      post: {
        summary:
          'Print a printed certificate again, with a reason (its printers and administrators); the same document and ' +
          'number, written to the audit log',
        tags: ['Certificates'],
        parameters: [caseParam],
        requestBody: {
          required: true,
          ...json({
            type: 'object',
            required: ['reason'],
            properties: {
              reason: text(500),
              requestId: {
                type: 'string',
                pattern: '^[A-Za-z0-9-]{8,64}$',
                description: 'Makes a repeated request one reprint in the audit log (the case page sends one).',
              },
            },
          }),
        },
        responses: {
          '200': {
            description: 'The certificate, byte for byte the printed one.',
            content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
          },
          ...REFUSALS,
        },
      },
    },
    '/api/tasks/print-batch': {
      post: {
        summary:
          'The certificates of open print tasks, as one ZIP file with one PDF per certificate (the printers); all or none',
        tags: ['Certificates'],
        requestBody: {
          required: true,
          ...json({ type: 'object', required: ['tasks'], properties: { tasks: taskRefs } }),
        },
        responses: {
          '200': {
            description: 'The ZIP file; each PDF is the same bytes as its single download.',
            content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } },
          },
          ...REFUSALS,
        },
      },
    },
    '/api/cases/{number}/withdraw': {
      post: {
        summary: "Withdraw an application on the candidate's behalf, with their reason (the receiving station)",
        tags: ['Cases'],
        parameters: [caseParam],
        requestBody: {
          required: true,
          ...json({ type: 'object', required: ['reason'], properties: { reason: text(2000) } }),
        },
        responses: {
          '200': {
            description: 'The case, withdrawn.',
            ...json({ type: 'object', required: ['case'], properties: { case: ref('Case') } }),
          },
          ...REFUSALS,
        },
      },
    },
    '/api/cases/{number}/comments': {
      get: {
        summary: "The case's comment thread, oldest first",
        tags: ['Cases'],
        parameters: [caseParam],
        responses: {
          '200': {
            description: 'The comments.',
            ...json({ type: 'object', properties: { comments: { type: 'array', items: { type: 'object' } } } }),
          },
          '401': REFUSALS['401'],
          '404': REFUSALS['404'],
        },
      },
      post: {
        summary: 'Add a comment to the case (not a decision); a commentId sent twice writes one comment',
        tags: ['Cases'],
        parameters: [caseParam],
        requestBody: {
          required: true,
          ...json({
            type: 'object',
            required: ['body'],
            properties: { body: text(2000), commentId: { type: 'string', pattern: '^[A-Za-z0-9_-]{16,64}$' } },
          }),
        },
        responses: {
          '201': { description: 'The thread with the comment.', ...json({ type: 'object' }) },
          '401': REFUSALS['401'],
          '404': REFUSALS['404'],
          '409': { description: 'The commentId belongs to another comment.', ...json(ref('Error')) },
          '422': REFUSALS['422'],
        },
      },
    },
    '/api/inbox/views': {
      get: {
        summary: 'Your saved views of the inbox: your own and those shared with one of your groups',
        tags: ['Tasks'],
        responses: {
          '200': {
            description: 'The views, by name.',
            ...json({ type: 'object', properties: { views: { type: 'array', items: { type: 'object' } } } }),
          },
          '401': REFUSALS['401'],
        },
      },
      post: {
        summary:
          'Save the inbox query under a name (a name you already used is updated), privately or shared with one of your groups',
        tags: ['Tasks'],
        requestBody: {
          required: true,
          ...json({
            type: 'object',
            required: ['name'],
            properties: {
              name: text(60),
              query: {
                type: 'string',
                nullable: true,
                description: "The inbox's query string, without '?'; null is none",
              },
              share: { type: 'string', description: 'One of your groups; empty or absent for a private view' },
            },
          }),
        },
        responses: {
          '200': { description: 'A view of that name was updated (`replaced: true`).', ...json({ type: 'object' }) },
          '201': { description: 'The view was saved.', ...json({ type: 'object' }) },
          '401': REFUSALS['401'],
          '422': REFUSALS['422'],
        },
      },
    },
    '/api/inbox/views/{id}': {
      get: {
        summary: 'One saved view you may see',
        tags: ['Tasks'],
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': { description: 'The view.', ...json({ type: 'object' }) },
          '401': REFUSALS['401'],
          '404': REFUSALS['404'],
        },
      },
      delete: {
        summary: 'Delete a view you saved',
        tags: ['Tasks'],
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '204': { description: 'Deleted.' },
          '401': REFUSALS['401'],
          '403': REFUSALS['403'],
          '404': REFUSALS['404'],
        },
      },
    },
    '/api/inbox/team': {
      get: {
        summary:
          'For supervisors: per supervised group, its members, the open tasks they hold, overdue and unclaimed counts',
        tags: ['Tasks'],
        responses: {
          '200': {
            description: 'The groups.',
            ...json({ type: 'object', properties: { groups: { type: 'array', items: { type: 'object' } } } }),
          },
          '401': REFUSALS['401'],
          '403': REFUSALS['403'],
        },
      },
    },
    '/api/cases/{number}/tasks/{taskId}': {
      get: {
        summary: 'A task and its case',
        tags: ['Tasks'],
        parameters: [caseParam, taskParam],
        responses: {
          '200': { description: 'The task and the case.', ...json(ref('ActionResult')) },
          '401': REFUSALS['401'],
          '404': REFUSALS['404'],
        },
      },
    },
    '/api/cases/{number}/tasks/{taskId}/claim': taskAction('Claim a task'),
    '/api/cases/{number}/tasks/{taskId}/release': taskAction('Release a claimed task'),
    '/api/cases/{number}/tasks/{taskId}/reassign': taskAction('Reassign a task (supervisors)', {
      type: 'object',
      required: ['assignee'],
      properties: { assignee: { type: 'string', description: 'A member of the task’s group.' } },
    }),
    '/api/cases/{number}/tasks/{taskId}/approve': taskAction('Approve', {
      type: 'object',
      properties: {
        comment: optionalText(2000),
        receivedBy: {
          ...text(100),
          description:
            'At the certificate hand-over, required: who received it (the holder, or the person the holder sent). ' +
            'Ignored on other tasks.',
        },
      },
    }),
    '/api/cases/{number}/tasks/{taskId}/reject': taskAction('Reject', {
      type: 'object',
      required: ['reason'],
      properties: { reason: text(2000) },
    }),
    '/api/cases/{number}/tasks/{taskId}/return': taskAction('Return to the level below', {
      type: 'object',
      required: ['reason'],
      properties: { reason: text(2000) },
    }),
    '/api/cases/{number}/tasks/{taskId}/scores': taskAction('Record exam scores', {
      type: 'object',
      properties: {
        knowledge: { type: 'number', minimum: 0, maximum: 100 },
        skills: { type: 'number', minimum: 0, maximum: 100 },
        comment: optionalText(2000),
      },
    }),
    '/api/cases/{number}/tasks/{taskId}/disqualify': taskAction('Disqualify the candidate for misconduct', {
      type: 'object',
      required: ['reason'],
      properties: { reason: text(2000) },
    }),
    '/api/applications': {
      post: {
        summary: 'Take in an application (station clerks)',
        tags: ['Intake'],
        requestBody: { required: true, ...json(ref('Application')) },
        responses: {
          '201': {
            description: 'The case started; its eligibility result with the explanation.',
            ...json({ type: 'object', additionalProperties: true }),
          },
          '200': { description: 'This application number was already received; nothing changed.' },
          ...REFUSALS,
          '409': error(
            'A duplicate: the person has an open case in this occupation and level, or holds a valid certificate in ' +
              'it at this level or higher. `errors` has it under `candidate.idNumber`; the case or certificate is ' +
              'named only to someone who may see that case.',
          ),
        },
      },
    },
    '/api/sessions': {
      get: {
        summary: 'Appraisal sessions of your station or guidance center (all, for administrators)',
        tags: ['Appraisal sessions'],
        responses: {
          '200': { description: 'The sessions, soonest first.' },
          '401': REFUSALS['401'],
        },
      },
      post: {
        summary: 'Plan a session (station clerks and supervisors); the guidance center then reviews the plan',
        tags: ['Appraisal sessions'],
        requestBody: {
          required: true,
          ...json({
            allOf: [ref('SessionPlan'), { type: 'object', properties: { stationId: { type: 'string' } } }],
          }),
        },
        responses: {
          '201': { description: 'The session was planned.', ...json({ type: 'object', additionalProperties: true }) },
          '200': { description: 'The same plan was sent before; its session, unchanged.' },
          ...REFUSALS,
        },
      },
    },
    '/api/sessions/seats/next': {
      post: {
        summary: 'Seat a case in the soonest session of its station that fits it and has a free seat',
        tags: ['Appraisal sessions'],
        requestBody: {
          required: true,
          ...json({
            type: 'object',
            required: ['applicationNumber'],
            properties: { applicationNumber: { type: 'string' } },
          }),
        },
        responses: {
          '201': { description: 'The session and the seat.', ...json({ type: 'object', additionalProperties: true }) },
          ...REFUSALS,
        },
      },
    },
    '/api/sessions/{id}': {
      get: {
        summary: 'A session: plan, stage, roster, tasks and history',
        tags: ['Appraisal sessions'],
        parameters: [sessionParam],
        responses: { '200': sessionAnswer('The session.'), '401': REFUSALS['401'], '404': REFUSALS['404'] },
      },
    },
    '/api/sessions/{id}/seats': {
      post: {
        summary: 'Seat a case waiting for a seat, or move a seated one here before its cut-off',
        tags: ['Appraisal sessions'],
        parameters: [sessionParam],
        requestBody: {
          required: true,
          ...json({
            type: 'object',
            required: ['applicationNumber'],
            properties: { applicationNumber: { type: 'string' } },
          }),
        },
        responses: { '201': { description: 'The seat and its ticket.', ...json(ref('RosterEntry')) }, ...REFUSALS },
      },
    },
    '/api/sessions/{id}/tasks/{taskId}/{action}': {
      post: {
        summary:
          'Act on a session task: claim, release, decide the plan (approve, return, reject), close the check-in list (approve), submit the score sheet (approve), check it (approve, return), file the report (approve), or decide the results batch at a level (approve, taking single candidates out; above the station, return the whole batch)',
        tags: ['Appraisal sessions'],
        parameters: [
          sessionParam,
          { ...taskParam, example: 'session-plan-review-1' },
          {
            name: 'action',
            in: 'path',
            required: true,
            schema: { type: 'string', enum: ['claim', 'release', 'approve', 'return', 'reject'] },
          },
        ],
        requestBody: {
          ...json({
            type: 'object',
            properties: {
              comment: optionalText(2000),
              reason: { ...optionalText(2000), description: 'Required to return or reject.' },
              takeOut: {
                type: 'array',
                description:
                  'On a results level’s approval: candidates taken out of the batch, each returned (above the station) or rejected with a reason; the rest go on.',
                items: {
                  type: 'object',
                  required: ['ticketNumber', 'decision', 'reason'],
                  properties: {
                    ticketNumber: { type: 'string' },
                    decision: { type: 'string', enum: ['return', 'reject'] },
                    reason: text(2000),
                  },
                },
              },
            },
          }),
        },
        responses: { '200': sessionAnswer('The session after the action.'), ...REFUSALS },
      },
    },
    '/api/sessions/{id}/plan': sessionAction('Revise a returned plan (the station’s revision task)', {
      allOf: [
        ref('SessionPlan'),
        {
          type: 'object',
          required: ['taskId'],
          properties: { taskId: { type: 'string' }, comment: optionalText(2000) },
        },
      ],
    }),
    '/api/sessions/{id}/postpone': sessionAction('Postpone an approved session; every seated candidate is told', {
      allOf: [ref('SessionSchedule'), reasonBody],
    }),
    '/api/sessions/{id}/cancel': sessionAction(
      'Cancel a session before it begins; its candidates wait for a seat again',
      reasonBody,
    ),
    '/api/sessions/{id}/check-in': {
      get: {
        summary: 'The check-in list: seated candidates by room and seat, with their marks so far',
        description:
          'Names and ID numbers are shown to the station’s clerks, supervisors and examiners, masked to others.',
        tags: ['Appraisal sessions'],
        parameters: [sessionParam, query('room', { type: 'string' }, 'One room only.')],
        responses: {
          '200': { description: 'The list.', ...json({ type: 'object', additionalProperties: true }) },
          '401': REFUSALS['401'],
          '404': REFUSALS['404'],
          '422': REFUSALS['422'],
        },
      },
    },
    '/api/sessions/{id}/tickets': {
      get: {
        summary:
          'Every seated candidate’s admission ticket, in seat order, as one PDF (the station’s clerks and supervisors)',
        tags: ['Appraisal sessions'],
        parameters: [sessionParam],
        responses: {
          '200': {
            description: 'The tickets.',
            content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
          },
          ...REFUSALS,
        },
      },
    },
    '/api/sessions/{id}/tickets/{ticket}': {
      get: {
        summary: 'One candidate’s admission ticket as a PDF (the station’s clerks and supervisors)',
        tags: ['Appraisal sessions'],
        parameters: [sessionParam, { name: 'ticket', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': {
            description: 'The ticket.',
            content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
          },
          ...REFUSALS,
        },
      },
    },
    '/api/sessions/{id}/report': {
      get: {
        summary: 'The session report: seated, present, absent, pass rates per part, grade bands, the team opinion',
        tags: ['Appraisal sessions'],
        parameters: [sessionParam, query('format', { type: 'string', enum: ['json', 'csv', 'xlsx', 'pdf'] })],
        responses: {
          '200': {
            description: 'The report, or its export.',
            content: {
              'application/json': { schema: { type: 'object', additionalProperties: true } },
              'text/csv': { schema: { type: 'string' } },
              'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
                schema: { type: 'string', format: 'binary' },
              },
              'application/pdf': { schema: { type: 'string', format: 'binary' } },
            },
          },
          '401': REFUSALS['401'],
          '404': REFUSALS['404'],
          '422': REFUSALS['422'],
        },
      },
    },
    '/api/sessions/{id}/score-sheet': {
      get: {
        summary: 'The score sheet: every present candidate with the scores entered so far, and where the sheet stands',
        tags: ['Appraisal sessions'],
        parameters: [sessionParam],
        responses: {
          '200': { description: 'The sheet.', ...json({ type: 'object', additionalProperties: true }) },
          '401': REFUSALS['401'],
          '404': REFUSALS['404'],
        },
      },
    },
    '/api/sessions/{id}/scores': sessionAction(
      'Enter lines of the score sheet (the appraisal team, while its entry task is open); a line entered again replaces its parts',
      {
        type: 'object',
        required: ['rows'],
        properties: {
          rows: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              required: ['ticketNumber'],
              properties: {
                ticketNumber: { type: 'string' },
                knowledge: { type: 'number', minimum: 0, maximum: 100 },
                skills: { type: 'number', minimum: 0, maximum: 100 },
              },
            },
          },
        },
      },
    ),
    '/api/sessions/{id}/scores/import': {
      post: {
        summary: 'Import the score sheet from a CSV or XLSX file: a preview, or with confirm=true every row at once',
        description:
          'The header row names the columns: ticket (准考证号), knowledge (理论知识), skills (操作技能). The preview ' +
          'names each bad row with its reason; a confirmed import with any bad row is refused whole.',
        tags: ['Appraisal sessions'],
        parameters: [sessionParam, query('confirm', { type: 'string', enum: ['true'] }, 'Write the rows.')],
        requestBody: {
          required: true,
          content: {
            'text/csv': { schema: { type: 'string' } },
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
              schema: { type: 'string', format: 'binary' },
            },
          },
        },
        responses: {
          '200': {
            description: 'The preview (and, confirmed, the sheet).',
            ...json({ type: 'object', additionalProperties: true }),
          },
          ...REFUSALS,
        },
      },
    },
    '/api/sessions/{id}/attendance': sessionAction(
      'Mark candidates present or absent, from the start of the first part until the list is closed',
      {
        type: 'object',
        required: ['marks'],
        properties: {
          marks: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              required: ['ticketNumber', 'present'],
              properties: { ticketNumber: { type: 'string' }, present: { type: 'boolean' } },
            },
          },
        },
      },
    ),
    '/api/admin/cases': {
      get: {
        summary: 'Find cases (administrators)',
        tags: ['Administration'],
        parameters: [
          query('number', text(40)),
          query('idNumber', text(40)),
          query('name', text(100), 'Names starting with this.'),
          query('stage', { type: 'string', enum: Object.values(Stage) }),
          query('station', text(100)),
          query('occupation', text(100)),
          query('page', { type: 'integer', minimum: 1, maximum: 10_000 }),
        ],
        responses: {
          '200': { description: 'Matching cases, newest first.' },
          ...READ_REFUSALS,
        },
      },
    },
    '/api/admin/cases/{number}/history': {
      get: {
        summary: 'A case’s business timeline and raw events (administrators)',
        tags: ['Administration'],
        parameters: [caseParam],
        responses: {
          '200': { description: 'The case, its timeline, its raw events.' },
          '401': REFUSALS['401'],
          '403': REFUSALS['403'],
          '404': REFUSALS['404'],
        },
      },
    },
    '/api/admin/cases/{number}/cancel': {
      post: {
        summary: 'Cancel a case with a reason (administrators)',
        tags: ['Administration'],
        parameters: [caseParam],
        requestBody: {
          required: true,
          ...json({ type: 'object', required: ['reason'], properties: { reason: text(2000) } }),
        },
        responses: { '200': { description: 'The case, cancelled.', ...json(ref('ActionResult')) }, ...REFUSALS },
      },
    },
    '/api/admin/sla': {
      get: {
        summary: 'Open tasks by stage and due state, and the overdue list (administrators)',
        tags: ['Administration'],
        responses: {
          '200': { description: 'Counts and the overdue tasks.' },
          '401': REFUSALS['401'],
          '403': REFUSALS['403'],
        },
      },
    },
    '/api/admin/statistics': {
      get: {
        summary:
          'Applications, exam results, grade bands and certificates by period and occupation, level or station; ' +
          'time taken per kind of task (working days); overdue tasks by organisation. Counts only. Administrators see the province; the people of a ' +
          'guidance center or a department see the stations that report to them, and another station is refused',
        tags: ['Administration'],
        parameters: [
          query(
            'from',
            isoDate,
            'First day counted (China time); the first of the month eleven months ago by default.',
          ),
          query('to', isoDate, 'Last day counted (China time); today by default.'),
          query('period', { type: 'string', enum: ['month', 'year'] }),
          query('by', { type: 'string', enum: ['occupation', 'level', 'station'] }),
          query('station', text(100)),
          query('occupation', text(100)),
          query('level', { type: 'integer', minimum: 1, maximum: 5 }),
        ],
        responses: {
          '200': { description: 'The figures, with the names of what they are broken down by.' },
          ...READ_REFUSALS,
        },
      },
    },
    '/api/admin/accounts/locked': {
      get: {
        summary: 'User names locked after failed sign-ins, the latest first (administrators)',
        tags: ['Administration'],
        responses: {
          '200': { description: 'Each name, its holder when an account has it, its failures and when it locked.' },
          '401': REFUSALS['401'],
          '403': REFUSALS['403'],
        },
      },
    },
    '/api/admin/accounts/{username}/unlock': {
      post: {
        summary: 'Unlock a user name, written to the audit log (administrators)',
        tags: ['Administration'],
        parameters: [{ name: 'username', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': { description: 'Unlocked: the name may sign in again.' },
          '401': REFUSALS['401'],
          '403': REFUSALS['403'],
          '409': error('The name is not locked.'),
        },
      },
    },
    '/api/admin/accounts': {
      get: {
        summary: 'Every account, active or deactivated (administrators)',
        tags: ['Administration'],
        responses: {
          '200': {
            description:
              'Each account’s user name, name, organisation and groups; a deactivated one with when, by whom and why.',
          },
          '401': REFUSALS['401'],
          '403': REFUSALS['403'],
        },
      },
    },
    '/api/admin/accounts/{username}/deactivate': {
      post: {
        summary:
          'Deactivate an account: no sign-in, its sessions and tokens end, the open tasks it held go back to their ' +
          'groups, whose supervisors are told; written to the audit log (administrators)',
        tags: ['Administration'],
        parameters: [{ name: 'username', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: {
          required: true,
          ...json({ type: 'object', required: ['reason'], properties: { reason: text(2000) } }),
        },
        responses: {
          '200': {
            description:
              'Deactivated. `released`: the tasks handed back to their groups; `notReleased`: those whose workflow ' +
              'refused (the case closed meanwhile, say), each with `error` and `code`.',
          },
          '401': REFUSALS['401'],
          '403': error('Not an administrator, or the administrator’s own account.'),
          '404': error('No account has this user name.'),
          '409': error('The account is already deactivated.'),
          '422': REFUSALS['422'],
        },
      },
    },
    '/api/admin/accounts/{username}/reactivate': {
      post: {
        summary: 'Reactivate a deactivated account: it may sign in again; written to the audit log (administrators)',
        tags: ['Administration'],
        parameters: [{ name: 'username', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': { description: 'Reactivated.' },
          '401': REFUSALS['401'],
          '403': REFUSALS['403'],
          '404': error('No account has this user name.'),
          '409': error('The account is not deactivated.'),
        },
      },
    },
    '/api/admin/accounts/{username}/password-reset': {
      post: {
        summary: 'Make a one-time link for the account to set a new password, valid a day (administrators)',
        tags: ['Administration'],
        parameters: [{ name: 'username', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '201': {
            description:
              'The link (`link`, under PUBLIC_URL) and when it lapses (`expiresAt`): shown only in this answer, to ' +
              'be handed to the person. Earlier unused links for the account stop working.',
          },
          '401': REFUSALS['401'],
          '403': REFUSALS['403'],
          '404': error('No account has this user name.'),
        },
      },
    },
    '/api/admin/personal-data/lookups': {
      post: {
        summary:
          'Who was shown the person with this ID number, and when; the look-up is itself recorded (administrators)',
        tags: ['Administration'],
        requestBody: {
          required: true,
          ...json({
            type: 'object',
            required: ['idNumber'],
            properties: {
              idType: { type: 'string', enum: ['resident-id', 'passport', 'residence-permit'], default: 'resident-id' },
              idNumber: text(40),
            },
          }),
        },
        responses: {
          '200': {
            description:
              'The person’s cases (number and name) and every showing of their unmasked name or ID number, the latest ' +
              'first: when, who (id and name), which case, why (basis, task) and where (purpose), with labels in the ' +
              'reader’s language.',
          },
          '401': REFUSALS['401'],
          '403': REFUSALS['403'],
          '422': error('Not a valid ID number of its type: `errors.idNumber` says why.'),
        },
      },
    },
    '/api/investigations': {
      post: {
        summary:
          'Report a violation against a sealed certificate: opens an investigation, or joins the one open on it (the signed-in person is the reporter)',
        tags: ['Investigations'],
        requestBody: {
          required: true,
          ...json({
            type: 'object',
            required: ['certificateNumber', 'category', 'description'],
            properties: {
              certificateNumber,
              category: { type: 'string', enum: ['cheating', 'forged-certificate', 'exam-discipline', 'other'] },
              description: text(DESCRIPTION_MAX, DESCRIPTION_MIN),
            },
          }),
        },
        responses: {
          '201': { description: 'A new investigation: `investigationId`, `attached: false`.' },
          '200': { description: 'The report joined the open investigation: `investigationId`, `attached: true`.' },
          '401': REFUSALS['401'],
          '404': error('No certificate of that number was ever sealed.'),
          '422': REFUSALS['422'],
        },
      },
    },
    '/api/reports': {
      post: {
        summary: 'Report a violation about a certificate, without an account (public; the form at /report)',
        tags: ['Investigations'],
        security: [],
        requestBody: {
          required: true,
          ...json({
            type: 'object',
            required: ['certificateNumber', 'category', 'description'],
            properties: {
              certificateNumber,
              category: { type: 'string', enum: ['cheating', 'forged-certificate', 'exam-discipline', 'other'] },
              description: text(4000),
              contact: { ...text(200), description: 'Optional: how the investigators may reach the reporter.' },
              idempotencyKey: {
                type: 'string',
                pattern: '^[A-Za-z0-9_-]{16,64}$',
                description: 'The same key sent again files nothing new and answers the same reference.',
              },
            },
          }),
        },
        responses: {
          '201': {
            description: 'Filed: `reference`, the investigation to quote.',
            ...json({ type: 'object', required: ['reference'], properties: { reference: { type: 'string' } } }),
          },
          '404': error('No certificate of that number was ever sealed: `errors.certificateNumber`.'),
          '409': error('The certificate is already revoked: `errors.certificateNumber`.'),
          '422': error('A field is wrong or missing: `errors` says which and why.'),
          '429': error('Too many reports from this address; see Retry-After.'),
        },
      },
    },
    '/api/investigations/{id}': {
      get: {
        summary: 'An investigation (for its task groups, the issuing station and administrators)',
        tags: ['Investigations'],
        parameters: [investigationParam],
        responses: {
          '200': { description: 'The investigation: stage, reports, decisions, tasks and history.' },
          '401': REFUSALS['401'],
          '404': error('No such investigation, or not one you take part in.'),
        },
      },
    },
    '/api/investigations/{id}/decide/{decision}': {
      post: {
        summary: 'Decide: revoke or dismiss (the department), uphold or reinstate (on appeal)',
        tags: ['Investigations'],
        parameters: [
          investigationParam,
          {
            name: 'decision',
            in: 'path',
            required: true,
            schema: { type: 'string', enum: ['revoke', 'dismiss', 'uphold', 'reinstate'] },
          },
        ],
        requestBody: {
          required: true,
          ...json({
            type: 'object',
            required: ['reason'],
            properties: {
              reason: text(2000),
              category: { type: 'string', enum: ['cheating', 'forged-certificate', 'exam-discipline', 'other'] },
            },
          }),
        },
        responses: { '200': { description: 'The investigation after the decision.' }, ...REFUSALS },
      },
    },
    '/api/investigations/{id}/appeal': {
      post: {
        summary: "File the holder's appeal against a revocation (the issuing station, within the appeal window)",
        tags: ['Investigations'],
        parameters: [investigationParam],
        requestBody: {
          required: true,
          ...json({ type: 'object', required: ['reason'], properties: { reason: text(2000) } }),
        },
        responses: { '200': { description: 'The investigation, the appeal under review.' }, ...REFUSALS },
      },
    },
    '/api/certificates/{number}': {
      get: {
        summary: 'Verify a certificate (public)',
        tags: ['Verification'],
        security: [],
        parameters: [{ name: 'number', in: 'path', required: true, schema: certificateNumber }],
        responses: {
          '200': { description: 'Valid or revoked, with the holder masked.' },
          '400': error('Not a certificate number of either format: `error` says why.'),
          '404': { description: 'No certificate of that number was sealed: `status: unknown`.' },
          '429': error('Too many lookups from this address; see Retry-After.'),
          '503': error('This server has no seal keys to check signatures with.'),
        },
      },
    },
    '/api/openapi.json': {
      get: {
        summary: 'This document',
        tags: ['Meta'],
        security: [],
        responses: { '200': { description: 'OpenAPI 3.' } },
      },
    },
  },
} as const);

/**
 * Every operation that takes a body can answer 400 before its own checks run: the body is not readable (malformed
 * JSON, a Content-Encoding that does not match its bytes, a file that is not a sheet) or is not the JSON object the
 * operation reads. Said once here rather than beside each body.
 */
function withUnreadableBodies<Document extends { paths: object }>(document: Document): Document {
  const unreadable = error('The body cannot be read, or is not a JSON object: `error` says why.');
  for (const operations of Object.values(document.paths) as Record<string, Record<string, unknown>>[]) {
    for (const operation of Object.values(operations) as { requestBody?: unknown; responses: object }[]) {
      if (operation.requestBody) operation.responses = { '400': unreadable, ...operation.responses };
    }
  }
  return document;
}
