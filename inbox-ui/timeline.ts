/**
 * A workflow's Temporal event history told as the business story of the case: who decided what, which notices,
 * reminders and escalations went out, what was numbered and sealed, and how it ended. Pure: it reads the events it is
 * given (from `handle.fetchHistory()`, or a recorded history) and leaves out the machinery (workflow tasks, search
 * attribute upserts, the records loop).
 *
 * Updates refused by their validators never reach the history, so they never appear here; an update whose handler
 * failed after it was accepted appears twice: as sent, then as refused.
 */
import {
  defaultPayloadConverter,
  type LoadedDataConverter,
  type Payload,
  type UpdateDefinition,
} from '@temporalio/common';
import proto from '@temporalio/proto';
import type { createActivities } from '../activities';
import type { NotificationKind, NotifyInput } from '../activities/notifications';
import {
  approveTask,
  cancelCase,
  claimTask,
  disqualifyCandidate,
  reassignTask,
  rejectTask,
  releaseTask,
  returnTask,
  submitScores,
  withdrawApplication,
  type ApplicationWorkflowInput,
  type CaseView,
  type Stage,
} from '../workflows/definitions';
import {
  attachReport,
  dismissReport,
  fileAppeal,
  InvestigationStage,
  reinstateCertificate,
  revokeCertificate,
  upholdRevocation,
  type AttachReportCommand,
  type InvestigationInput,
  type InvestigationView,
} from '../workflows/investigationDefinitions';
import { translator } from '../i18n';
import { stageLabel } from './labels';
import { helpers } from './viewHelpers';

type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;
type EventType = proto.temporal.api.enums.v1.EventType;
const { EventType } = proto.temporal.api.enums.v1;

export type TimelineKind =
  'started' | 'decision' | 'refused' | 'notice' | 'reminder' | 'escalation' | 'record' | 'timer' | 'closed' | 'other';

export interface TimelineEntry {
  /** ISO instant of the event. */
  at: string;
  eventId: number;
  /** One sentence, as a person would say it. */
  what: string;
  by?: string;
  taskId?: string;
  comment?: string;
  kind: TimelineKind;
}

/** Payload codecs (encryption) are asynchronous and not applied here: the app runs without them. */
export type TimelineConverter = Pick<LoadedDataConverter, 'payloadConverter'>;

type Draft = Omit<TimelineEntry, 'at' | 'eventId'>;

/** What a handler may look at besides its own event. */
interface Reading {
  event(id: unknown): HistoryEvent | undefined;
  decode<T>(payloads: Payload[] | null | undefined): T | undefined;
}

type Handler = (event: HistoryEvent, reading: Reading) => Draft | undefined;

export function businessTimeline(
  events: HistoryEvent[],
  dataConverter: TimelineConverter = { payloadConverter: defaultPayloadConverter },
): TimelineEntry[] {
  const byId = new Map(events.map((event) => [toNumber(event.eventId), event]));
  const reading: Reading = {
    event: (id) => byId.get(toNumber(id)),
    decode<T>(payloads: Payload[] | null | undefined) {
      if (!payloads?.length) return undefined;
      try {
        return dataConverter.payloadConverter.fromPayload<T>(payloads[0]);
      } catch {
        return undefined;
      }
    },
  };
  const entries: TimelineEntry[] = [];
  for (const event of events) {
    const handler = HANDLERS[eventTypeOf(event) ?? EventType.EVENT_TYPE_UNSPECIFIED];
    const draft = handler && read(handler, event, reading);
    if (draft) entries.push({ at: isoTime(event.eventTime), eventId: toNumber(event.eventId), ...draft });
  }
  // A fired timer is worth a line only when nothing says what it was for: a reminder or an escalation right after it
  // says it better.
  return entries.filter(
    (entry, index) =>
      entry.kind !== 'timer' || !['reminder', 'escalation'].includes(entries[index + 1]?.kind ?? 'none'),
  );
}

/** A history written by older code may not match today's shapes: one odd event costs its detail, not the page. */
function read(handler: Handler, event: HistoryEvent, reading: Reading): Draft | undefined {
  try {
    return handler(event, reading);
  } catch {
    return { kind: 'other', what: `${EventType[eventTypeOf(event)!] ?? 'An event'} (not readable)` };
  }
}

// ---- The table: one handler per event type that tells something; everything else is machinery. ----

const HANDLERS: Partial<Record<EventType, Handler>> = {
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED]: started,
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED]: updateAccepted,
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED]: updateRefused,
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED]: (event) => ({
    kind: 'other',
    what: `Signal ${event.workflowExecutionSignaledEventAttributes?.signalName} received`,
  }),
  // Notices are told when the case sends them: their input says everything.
  [EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED]: noticeSent,
  // Other activities when they completed: their results (numbers, the eligibility verdict) are the news.
  [EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED]: activityCompleted,
  [EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED]: activityFailed,
  [EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT]: activityFailed,
  [EventType.EVENT_TYPE_TIMER_FIRED]: timerFired,
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED]: completed,
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED]: (event) => ({
    kind: 'closed',
    what: 'The workflow failed',
    comment: event.workflowExecutionFailedEventAttributes?.failure?.message ?? undefined,
  }),
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT]: () => ({ kind: 'closed', what: 'The workflow timed out' }),
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED]: () => ({ kind: 'closed', what: 'The workflow was cancelled' }),
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED]: (event) => {
    const attrs = event.workflowExecutionTerminatedEventAttributes;
    return {
      kind: 'closed',
      what: 'The workflow was terminated',
      by: attrs?.identity || undefined,
      comment: attrs?.reason || undefined,
    };
  },
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW]: (event) => ({
    kind: 'closed',
    what: `The workflow continued as new run ${event.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId}`,
  }),
};

function started(event: HistoryEvent, { decode }: Reading): Draft {
  const attrs = event.workflowExecutionStartedEventAttributes;
  const input = decode<Partial<ApplicationWorkflowInput & InvestigationInput>>(attrs?.input?.payloads);
  if (input?.application) {
    const { applicationNumber, occupation, level, stationId } = input.application;
    return {
      kind: 'started',
      what: `Application ${applicationNumber} received`,
      comment: `${occupation}, level ${level}, at ${stationId}`,
    };
  }
  if (input?.certificateNumber && input.report) {
    return {
      kind: 'started',
      what: `Investigation of certificate ${input.certificateNumber} opened on a ${input.report.category} report`,
      by: input.report.reporter,
      comment: input.report.description,
    };
  }
  return { kind: 'started', what: `${attrs?.workflowType?.name ?? 'The workflow'} started` };
}

// ---- Human decisions: the updates ----

/** The actor and task every command carries, and a sentence for the rest. */
interface Command {
  actor?: { id?: string };
  taskId?: string;
  comment?: string;
  reason?: string;
}

const UPDATES = new Map<string, (cmd: never) => Draft>();

function says<Args extends [Command], Name extends string>(
  update: UpdateDefinition<unknown, Args, Name>,
  say: (cmd: Args[0], who: string) => Omit<Draft, 'by' | 'taskId'>,
): void {
  UPDATES.set(update.name, (cmd: Args[0]) => ({
    by: cmd.actor?.id,
    taskId: cmd.taskId,
    ...say(cmd, cmd.actor?.id ?? 'Someone'),
  }));
}

/** Most decisions are told the same way: who did what, with the reason they gave as the comment. */
const decidedWithReason = (cmd: Command, what: string): Omit<Draft, 'by' | 'taskId'> => ({
  kind: 'decision',
  what,
  comment: cmd.reason,
});

says(claimTask, (cmd, who) => ({ kind: 'other', what: `${who} claimed ${cmd.taskId}` }));
says(releaseTask, (cmd, who) => ({ kind: 'other', what: `${who} released ${cmd.taskId}` }));
says(reassignTask, (cmd, who) => ({ kind: 'other', what: `${who} reassigned ${cmd.taskId} to ${cmd.assignee}` }));
says(approveTask, (cmd, who) => ({ kind: 'decision', what: `${who} approved ${cmd.taskId}`, comment: cmd.comment }));
says(rejectTask, (cmd, who) => decidedWithReason(cmd, `${who} rejected ${cmd.taskId}`));
says(returnTask, (cmd, who) => decidedWithReason(cmd, `${who} returned ${cmd.taskId}`));
says(submitScores, (cmd, who) => {
  const parts = (['knowledge', 'skills'] as const).filter((part) => cmd[part] !== undefined);
  return {
    kind: 'decision',
    what: `${who} recorded scores ${parts.map((part) => `${part} ${cmd[part]}`).join(', ')}`,
    comment: cmd.comment,
  };
});
says(disqualifyCandidate, (cmd, who) => decidedWithReason(cmd, `${who} disqualified the candidate`));
says(withdrawApplication, (cmd, who) => decidedWithReason(cmd, `${who} withdrew the application`));
says(cancelCase, (cmd, who) => decidedWithReason(cmd, `${who} cancelled the case`));
says(revokeCertificate, (cmd, who) =>
  decidedWithReason(cmd, `${who} revoked the certificate${cmd.category ? ` (${cmd.category})` : ''}`),
);
says(dismissReport, (cmd, who) => decidedWithReason(cmd, `${who} dismissed the report`));
says(fileAppeal, (cmd, who) => decidedWithReason(cmd, `${who} filed an appeal`));
says(upholdRevocation, (cmd, who) => decidedWithReason(cmd, `${who} upheld the revocation`));
says(reinstateCertificate, (cmd, who) => decidedWithReason(cmd, `${who} reinstated the certificate`));
// A report carries no actor: whoever reports need not be a user of the system.
UPDATES.set(attachReport.name, ({ report }: AttachReportCommand) => ({
  kind: 'other',
  what: `A further ${report.category} report was attached`,
  by: report.reporter,
  comment: report.description,
}));

function updateAccepted(event: HistoryEvent, { decode }: Reading): Draft {
  const input = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input;
  const name = input?.name ?? 'an update';
  const cmd = decode<Command>(input?.args?.payloads);
  const say = UPDATES.get(name);
  if (say && cmd) return say(cmd as never);
  return { kind: 'other', what: `${cmd?.actor?.id ?? 'Someone'} sent ${name}`, by: cmd?.actor?.id };
}

/** Only a failed update is news here: a successful one was told when it was accepted. */
function updateRefused(event: HistoryEvent, reading: Reading): Draft | undefined {
  const attrs = event.workflowExecutionUpdateCompletedEventAttributes;
  const failure = attrs?.outcome?.failure;
  if (!failure) return undefined;
  const accepted = reading.event(attrs?.acceptedEventId);
  const sent = accepted ? updateAccepted(accepted, reading) : { what: 'An update' };
  return {
    ...sent,
    kind: 'refused',
    what: `${sent.what}, but the case refused it`,
    comment: failure.message ?? undefined,
  };
}

// ---- Activities ----

type Activities = ReturnType<typeof createActivities>;
type ActivityName = keyof Activities;

/** The records loop and the audit writes repeat what the decisions already told. */
const NOISE: ReadonlySet<ActivityName> = new Set<ActivityName>([
  'recordCase',
  'auditDecision',
  'loadInvestigationPolicy',
]);

type Telling<K extends ActivityName> = (
  input: Parameters<Activities[K]>[0],
  result: Awaited<ReturnType<Activities[K]>> | undefined,
) => Omit<Draft, 'kind'>;

const ACTIVITY_WORDS: { [K in ActivityName]?: Telling<K> } = {
  loadPolicy: (_input, result) => ({ what: `Rule set ${result?.ruleSetVersion ?? '(unknown)'} applies to the case` }),
  checkEligibility: (input, result) => {
    if (!result) return { what: 'Eligibility checked' };
    const { eligible, lines, level } = result.result;
    const unmet = lines.filter((line) => !line.met).length;
    return {
      what: `Eligibility checked: ${eligible ? 'eligible' : 'not eligible'} for level ${level}`,
      comment: [
        `rule set ${input.ruleSetVersion}`,
        `${unmet} of ${lines.length} conditions unmet`,
        eligible ? (result.trainingRequired ? 'training required' : 'no training required') : '',
      ]
        .filter(Boolean)
        .join('; '),
    };
  },
  issueAdmissionTicket: (_input, result) => ({ what: `Admission ticket ${result?.number ?? '(unknown)'} issued` }),
  assignCertificateNumber: (_input, result) => ({
    what: `Certificate number ${result?.number ?? '(unknown)'} assigned`,
  }),
  sealCertificate: (input, result) => ({ what: `Certificate ${input.number} sealed with key ${result?.keyId}` }),
  renderCertificate: (input) => ({ what: `Certificate ${input.number} rendered for printing` }),
  recordHandover: (input) => ({
    what: `Hand-over of certificate ${input.certificateNumber} recorded`,
    by: input.handedOverBy,
    comment: input.note,
  }),
  voidCertificate: (input) => ({
    what: `Certificate number ${input.number} voided in the registry`,
    by: input.decidedBy,
    comment: input.reason,
  }),
  loadCertificateHolder: (input, result) => ({
    what: `Holder of certificate ${input.certificateNumber} found: application ${result?.applicationNumber}`,
  }),
  setCertificateStatus: (input) => ({
    what: `Certificate ${input.certificateNumber} marked ${input.status} in the registry`,
    by: input.decidedBy,
    comment: input.reason,
  }),
};

/** The scheduled event of an activity's outcome, with its name and input. */
function scheduled(reading: Reading, scheduledEventId: unknown) {
  const attrs = reading.event(scheduledEventId)?.activityTaskScheduledEventAttributes;
  return { name: (attrs?.activityType?.name ?? 'an activity') as ActivityName, input: attrs?.input?.payloads };
}

function activityCompleted(event: HistoryEvent, reading: Reading): Draft | undefined {
  const attrs = event.activityTaskCompletedEventAttributes;
  const { name, input } = scheduled(reading, attrs?.scheduledEventId);
  if (name === 'notify' || NOISE.has(name)) return undefined;
  const tell = ACTIVITY_WORDS[name] as Telling<ActivityName> | undefined;
  const args = reading.decode<never>(input);
  if (!tell || args === undefined) return { kind: 'record', what: `Activity ${name} completed` };
  return { kind: 'record', ...tell(args, reading.decode(attrs?.result?.payloads)) };
}

function activityFailed(event: HistoryEvent, reading: Reading): Draft | undefined {
  const attrs = event.activityTaskFailedEventAttributes ?? event.activityTaskTimedOutEventAttributes;
  const { name } = scheduled(reading, attrs?.scheduledEventId);
  return { kind: 'other', what: `Activity ${name} gave up`, comment: attrs?.failure?.message ?? undefined };
}

// ---- Notices ----

interface NoticeWords {
  kind: 'notice' | 'reminder' | 'escalation';
  /** To a group, about one of its tasks. */
  task?: (task: string, group: string, due: string) => string;
  /** To the candidate, or the holder of an investigated certificate. */
  person?: string;
}

const NOTICES: Record<NotificationKind, NoticeWords> = {
  'task-opened': { kind: 'notice', task: (task, group, due) => `Task ${task} opened for ${group}, due ${due}` },
  'task-reminder': { kind: 'reminder', task: (task, group, due) => `Reminder to ${group}: ${task} is due ${due}` },
  // The reminder at the deadline itself: a reminder too, not yet an escalation.
  'task-deadline': {
    kind: 'reminder',
    task: (task, group, due) => `Deadline reached: ${group} reminded that ${task} was due ${due}`,
  },
  'task-escalated': {
    kind: 'escalation',
    task: (task, group, due) => `${task} escalated to ${group}, overdue since ${due}`,
  },
  'admission-ticket': { kind: 'notice', person: 'the admission ticket was issued' },
  'exam-results': { kind: 'notice', person: 'the examination results are available' },
  'certificate-ready': { kind: 'notice', person: 'the certificate is ready for hand-over' },
  'certificate-handed-over': { kind: 'notice', person: 'the certificate was handed over' },
  'case-closed': { kind: 'notice', person: 'the application was closed' },
  'investigation-opened': { kind: 'notice', person: 'an investigation into the certificate was opened' },
  'investigation-closed': { kind: 'notice', person: 'the investigation was closed' },
  'certificate-revoked': { kind: 'notice', person: 'the certificate was revoked' },
  'certificate-reinstated': { kind: 'notice', person: 'the certificate was reinstated' },
  'exam-rescheduled': { kind: 'notice', person: 'the examination was rescheduled' },
  'seat-withdrawn': { kind: 'notice', person: 'the examination seat was withdrawn (session cancelled)' },
  'marked-absent': { kind: 'notice', person: 'marked absent from the examination' },
};

function noticeSent(event: HistoryEvent, { decode }: Reading): Draft | undefined {
  const attrs = event.activityTaskScheduledEventAttributes;
  if (attrs?.activityType?.name !== ('notify' satisfies ActivityName)) return undefined;
  const input = decode<NotifyInput>(attrs.input?.payloads);
  const words = input && NOTICES[input.kind];
  if (!input || !words) return { kind: 'notice', what: 'A notice was sent' };
  if ('group' in input.recipient && input.task && words.task) {
    const due = helpers.chinaTime(input.task.dueAt);
    return { kind: words.kind, what: words.task(input.task.id, input.recipient.group, due), taskId: input.task.id };
  }
  const who = input.investigation ? 'Holder' : 'Candidate';
  return {
    kind: words.kind,
    what: `${who} told: ${words.person ?? input.kind}`,
    comment: ['case-closed', 'exam-rescheduled', 'marked-absent'].includes(input.kind) ? input.reason : undefined,
  };
}

// ---- Timers ----

/** A timer told on its own: a window that closed (the appeal window, the re-sit window). */
function timerFired(event: HistoryEvent, reading: Reading): Draft {
  const startedEvent = reading.event(event.timerFiredEventAttributes?.startedEventId);
  // Deadlines run to the end of a day, so the timer's length is an odd number of hours: the day it was set says more.
  const since = startedEvent ? ` set on ${helpers.chinaTime(isoTime(startedEvent.eventTime)).slice(0, 10)}` : '';
  return { kind: 'timer', what: `A time limit${since} ran out` };
}

// ---- The end ----

const INVESTIGATION_ENDS: Partial<Record<InvestigationStage, string>> = {
  [InvestigationStage.Dismissed]: 'Dismissed',
  [InvestigationStage.RevokedFinal]: 'Revoked for good',
  [InvestigationStage.Reinstated]: 'Reinstated',
};

/** What both workflows answer with, as far as the end needs it: a case view or an investigation view. */
type Ending = Partial<Pick<CaseView, 'outcome'> & Pick<InvestigationView, 'investigationId'>> & {
  stage?: Stage | InvestigationStage;
};

function completed(event: HistoryEvent, { decode }: Reading): Draft {
  const result = decode<Ending>(event.workflowExecutionCompletedEventAttributes?.result?.payloads);
  if (!result?.stage) return { kind: 'closed', what: 'The workflow completed' };
  const stage = result.investigationId
    ? `Investigation ended: ${INVESTIGATION_ENDS[result.stage as InvestigationStage] ?? result.stage}`
    : `Case ended: ${stageLabel(translator('en'), result.stage)}`;
  return { kind: 'closed', what: stage, by: result.outcome?.by, comment: result.outcome?.reason };
}

// ---- Proto values: numbers and times as protobufjs hands them over ----

/** protobufjs int64: a Long, or a number or a string in some decoders. */
type Int64 = number | string | { low: number; high: number; unsigned?: boolean; toNumber?: () => number };

function toNumber(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number(value);
  const long = value as Exclude<Int64, number | string>;
  if (typeof long.toNumber === 'function') return long.toNumber();
  return (long.unsigned ? long.high >>> 0 : long.high) * 2 ** 32 + (long.low >>> 0);
}

function isoTime(time: HistoryEvent['eventTime'] | string | undefined): string {
  if (!time) return '';
  if (typeof time === 'string') return new Date(time).toISOString();
  const millis = toNumber(time.seconds) * 1000 + Math.floor((time.nanos ?? 0) / 1e6);
  return new Date(millis).toISOString();
}

/** The event's type, also when a JSON reader left it as its name. */
function eventTypeOf(event: HistoryEvent): EventType | undefined {
  const type: unknown = event.eventType;
  if (typeof type === 'number') return type;
  if (typeof type === 'string') return EventType[type as keyof typeof EventType] as EventType | undefined;
  return undefined;
}
