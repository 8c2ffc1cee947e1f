/**
 * A workflow's Temporal event history told as the business story of the case: who decided what, which notices,
 * reminders and escalations went out, what was numbered and sealed, and how it ended. Pure: it reads the events it is
 * given (from `handle.fetchHistory()`, or a recorded history) and leaves out the machinery (workflow tasks, search
 * attribute upserts, the records loop).
 *
 * Updates refused by their validators never reach the history, so they never appear here; an update whose handler
 * failed after it was accepted appears twice: as sent, then as refused.
 *
 * The sentences are the reader's (the `admin` catalogue's `timeline` entries): tasks by their labels, people, groups
 * and organisations by their names in the directory, times in China time. Comments people typed, and the refusals the
 * workflows wrote, are shown as they were recorded.
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
  type InvestigationStage,
  InvestigationTaskKind,
  reinstateCertificate,
  revokeCertificate,
  upholdRevocation,
  type AttachReportCommand,
  type InvestigationInput,
  type InvestigationView,
} from '../workflows/investigationDefinitions';
import type { TFunction } from 'i18next';
import { type Level, levelTitle, levelTitleZh } from '../domain/levels';
import { findOccupation, occupationName } from '../domain/occupations';
import { formatDate, formatDateTime, type Language } from '../i18n';
import { sessionTaskLabel, stageLabel, taskLabel } from './labels';
import { messageText } from './messageText';
import { PUBLIC_REPORTER } from './routes/reports';

type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;
type EventType = proto.temporal.api.enums.v1.EventType;
const { EventType } = proto.temporal.api.enums.v1;

export type TimelineKind =
  'started' | 'decision' | 'refused' | 'notice' | 'reminder' | 'escalation' | 'record' | 'timer' | 'closed' | 'other';

export interface TimelineEntry {
  /** ISO instant of the event. */
  at: string;
  eventId: number;
  /** One sentence, as a person would say it, in the reader's language. */
  what: string;
  /** Who acted, as recorded: a user id (or a reporter's name or contact, a terminating client's identity). */
  by?: string;
  /** Who acted, as people know them: the directory's name for a user id, else `by` itself. */
  byName?: string;
  taskId?: string;
  comment?: string;
  kind: TimelineKind;
}

/** Payload codecs (encryption) are asynchronous and not applied here: the app runs without them. */
export type TimelineConverter = Pick<LoadedDataConverter, 'payloadConverter'>;

type Draft = Omit<TimelineEntry, 'at' | 'eventId'>;

/** What people, groups and organisations are called (names.ts's `directoryOf`, once per page). */
export interface Names {
  person(id: string): string;
  /** `station-a:reviewers` → '东城职业技能鉴定站 reviewers'. */
  group(code: string): string;
  organisation(id: string): string;
}

/** Whom the timeline is told to: their words, their language (for dates) and the directory's names. */
export interface TimelineReader {
  t: TFunction;
  language: Language;
  names: Names;
}

const INVESTIGATION_TASKS: readonly string[] = Object.values(InvestigationTaskKind);

/** A task's label from its id (`station-review-3`) or kind: case, session and investigation tasks alike. */
export function taskName(t: TFunction, idOrKind: string): string {
  const kind = idOrKind.replace(/-\d+$/, '');
  if (kind.startsWith('session-')) return sessionTaskLabel(t, kind);
  if (INVESTIGATION_TASKS.includes(kind)) return t(`admin:investigationTask.${kind}`);
  return taskLabel(t, kind);
}

/** What a handler may look at besides its own event, and whom it tells. */
interface Reading extends TimelineReader {
  event(id: unknown): HistoryEvent | undefined;
  decode<T>(payloads: Payload[] | null | undefined): T | undefined;
  /** A person's name, or 'Someone' when the event names nobody. */
  who(id: string | undefined): string;
}

type Handler = (event: HistoryEvent, reading: Reading) => Draft | undefined;

export function businessTimeline(
  events: HistoryEvent[],
  reader: TimelineReader,
  dataConverter: TimelineConverter = { payloadConverter: defaultPayloadConverter },
): TimelineEntry[] {
  const byId = new Map(events.map((event) => [toNumber(event.eventId), event]));
  const reading: Reading = {
    ...reader,
    event: (id) => byId.get(toNumber(id)),
    who: (id) => (id ? reader.names.person(id) : reader.t('admin:timeline.someone')),
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
    if (!draft) continue;
    const byName = draft.byName ?? (draft.by && reader.names.person(draft.by));
    entries.push({
      at: isoTime(event.eventTime),
      eventId: toNumber(event.eventId),
      ...draft,
      ...(byName && { byName }),
    });
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
    const name = EventType[eventTypeOf(event)!] ?? reading.t('admin:timeline.anEvent');
    return { kind: 'other', what: reading.t('admin:timeline.unreadable', { event: name }) };
  }
}

// ---- The table: one handler per event type that tells something; everything else is machinery. ----

const HANDLERS: Partial<Record<EventType, Handler>> = {
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED]: started,
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED]: updateAccepted,
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED]: updateRefused,
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED]: (event, { t }) => ({
    kind: 'other',
    what: t('admin:timeline.signal', { name: event.workflowExecutionSignaledEventAttributes?.signalName }),
  }),
  // Notices are told when the case sends them: their input says everything.
  [EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED]: noticeSent,
  // Other activities when they completed: their results (numbers, the eligibility verdict) are the news.
  [EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED]: activityCompleted,
  [EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED]: activityFailed,
  [EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT]: activityFailed,
  [EventType.EVENT_TYPE_TIMER_FIRED]: timerFired,
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED]: completed,
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED]: (event, { t }) => ({
    kind: 'closed',
    what: t('admin:timeline.failed'),
    comment: event.workflowExecutionFailedEventAttributes?.failure?.message ?? undefined,
  }),
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT]: (_event, { t }) => ({
    kind: 'closed',
    what: t('admin:timeline.timedOut'),
  }),
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED]: (_event, { t }) => ({
    kind: 'closed',
    what: t('admin:timeline.workflowCancelled'),
  }),
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED]: (event, { t }) => {
    const attrs = event.workflowExecutionTerminatedEventAttributes;
    return {
      kind: 'closed',
      what: t('admin:timeline.terminated'),
      by: attrs?.identity || undefined,
      comment: attrs?.reason || undefined,
    };
  },
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW]: (event, { t }) => ({
    kind: 'closed',
    what: t('admin:timeline.continuedAsNew', {
      runId: event.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId,
    }),
  }),
};

function started(event: HistoryEvent, { decode, t, language, names }: Reading): Draft {
  const attrs = event.workflowExecutionStartedEventAttributes;
  const input = decode<Partial<ApplicationWorkflowInput & InvestigationInput>>(attrs?.input?.payloads);
  if (input?.application) {
    const { applicationNumber, occupation, level, stationId } = input.application;
    const known = findOccupation(occupation);
    return {
      kind: 'started',
      what: t('admin:timeline.applicationReceived', { number: applicationNumber }),
      comment: t('admin:timeline.applicationDetails', {
        occupation: known ? occupationName(known, language) : occupation,
        level: levelName(language, level),
        station: names.organisation(stationId),
      }),
    };
  }
  if (input?.certificateNumber && input.report) {
    return {
      kind: 'started',
      what: t('admin:timeline.investigationOpened', {
        number: input.certificateNumber,
        category: reportCategory(t, input.report.category),
      }),
      ...reportedBy(input.report.reporter, t),
      comment: input.report.description,
    };
  }
  const type = attrs?.workflowType?.name ?? t('admin:timeline.theWorkflow');
  return { kind: 'started', what: t('admin:timeline.workflowStarted', { type }) };
}

/** The level as the case file writes it: 'Level 5 (primary)', '五级/初级工'. */
const levelName = (language: Language, level: Level) =>
  language === 'zh-CN' ? levelTitleZh(level) : levelTitle(level);
const reportCategory = (t: TFunction, category: string) =>
  t(`admin:reportCategory.${category}`, { defaultValue: category });

/**
 * Who reported: a report from the public form is recorded under the placeholder `PUBLIC_REPORTER`, which names nobody
 * and which the directory does not know, so it is said in the reader's words rather than shown as the raw id.
 */
const reportedBy = (reporter: string, t: TFunction): Pick<Draft, 'by' | 'byName'> =>
  reporter === PUBLIC_REPORTER ? { by: reporter, byName: t('admin:timeline.thePublic') } : { by: reporter };

// ---- Human decisions: the updates ----

/** The actor and task every command carries, and a sentence for the rest. */
interface Command {
  actor?: { id?: string };
  taskId?: string;
  comment?: string;
  reason?: string;
}

/** What a decision's sentence may name: the actor, the task's label, and the reader's words. */
interface Told {
  t: TFunction;
  who: string;
  task: string;
  names: Names;
}

const UPDATES = new Map<string, (cmd: never, reading: Reading) => Draft>();

function says<Args extends [Command], Name extends string>(
  update: UpdateDefinition<unknown, Args, Name>,
  say: (cmd: Args[0], told: Told) => Omit<Draft, 'by' | 'taskId'>,
): void {
  UPDATES.set(update.name, (cmd: Args[0], reading: Reading) => ({
    by: cmd.actor?.id,
    taskId: cmd.taskId,
    ...say(cmd, {
      t: reading.t,
      who: reading.who(cmd.actor?.id),
      task: cmd.taskId ? taskName(reading.t, cmd.taskId) : '',
      names: reading.names,
    }),
  }));
}

/** Most decisions are told the same way: who did what, with the reason they gave as the comment. */
const decidedWithReason = (cmd: Command, what: string): Omit<Draft, 'by' | 'taskId'> => ({
  kind: 'decision',
  what,
  comment: cmd.reason,
});

says(claimTask, (_cmd, { t, who, task }) => ({ kind: 'other', what: t('admin:timeline.claimed', { who, task }) }));
says(releaseTask, (_cmd, { t, who, task }) => ({ kind: 'other', what: t('admin:timeline.released', { who, task }) }));
says(reassignTask, (cmd, { t, who, task, names }) => ({
  kind: 'other',
  what: t('admin:timeline.reassigned', { who, task, assignee: names.person(cmd.assignee) }),
}));
says(approveTask, (cmd, { t, who, task }) => ({
  kind: 'decision',
  what: t('admin:timeline.approved', { who, task }),
  comment: cmd.comment,
}));
says(rejectTask, (cmd, { t, who, task }) => decidedWithReason(cmd, t('admin:timeline.rejected', { who, task })));
says(returnTask, (cmd, { t, who, task }) => decidedWithReason(cmd, t('admin:timeline.returned', { who, task })));
says(submitScores, (cmd, { t, who }) => {
  const parts = (['knowledge', 'skills'] as const).filter((part) => cmd[part] !== undefined);
  const scores = parts
    .map((part) => t(`admin:timeline.score.${part}`, { score: cmd[part] }))
    .join(t('admin:timeline.listSeparator'));
  return { kind: 'decision', what: t('admin:timeline.scores', { who, scores }), comment: cmd.comment };
});
says(disqualifyCandidate, (cmd, { t, who }) => decidedWithReason(cmd, t('admin:timeline.disqualified', { who })));
says(withdrawApplication, (cmd, { t, who }) => decidedWithReason(cmd, t('admin:timeline.withdrew', { who })));
says(cancelCase, (cmd, { t, who }) => decidedWithReason(cmd, t('admin:timeline.cancelled', { who })));
says(revokeCertificate, (cmd, { t, who }) =>
  decidedWithReason(
    cmd,
    cmd.category
      ? t('admin:timeline.revokedFor', { who, category: reportCategory(t, cmd.category) })
      : t('admin:timeline.revoked', { who }),
  ),
);
says(dismissReport, (cmd, { t, who }) => decidedWithReason(cmd, t('admin:timeline.dismissed', { who })));
says(fileAppeal, (cmd, { t, who }) => decidedWithReason(cmd, t('admin:timeline.appealed', { who })));
says(upholdRevocation, (cmd, { t, who }) => decidedWithReason(cmd, t('admin:timeline.upheld', { who })));
says(reinstateCertificate, (cmd, { t, who }) => decidedWithReason(cmd, t('admin:timeline.reinstated', { who })));
// A report carries no actor: whoever reports need not be a user of the system.
UPDATES.set(attachReport.name, ({ report }: AttachReportCommand, { t }: Reading) => ({
  kind: 'other',
  what: t('admin:timeline.reportAttached', { category: reportCategory(t, report.category) }),
  ...reportedBy(report.reporter, t),
  comment: report.description,
}));

function updateAccepted(event: HistoryEvent, reading: Reading): Draft {
  const input = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input;
  const name = input?.name ?? reading.t('admin:timeline.anUpdate');
  const cmd = reading.decode<Command>(input?.args?.payloads);
  const say = UPDATES.get(name);
  if (say && cmd) return say(cmd as never, reading);
  return {
    kind: 'other',
    what: reading.t('admin:timeline.sent', { who: reading.who(cmd?.actor?.id), name }),
    by: cmd?.actor?.id,
  };
}

/** Only a failed update is news here: a successful one was told when it was accepted. */
function updateRefused(event: HistoryEvent, reading: Reading): Draft | undefined {
  const attrs = event.workflowExecutionUpdateCompletedEventAttributes;
  const failure = attrs?.outcome?.failure;
  if (!failure) return undefined;
  const accepted = reading.event(attrs?.acceptedEventId);
  const sent = accepted ? updateAccepted(accepted, reading) : { what: reading.t('admin:timeline.anUpdate') };
  return {
    ...sent,
    kind: 'refused',
    what: reading.t('admin:timeline.refused', { what: sent.what }),
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
  reading: Reading,
) => Omit<Draft, 'kind'>;

const ACTIVITY_WORDS: { [K in ActivityName]?: Telling<K> } = {
  loadPolicy: (_input, result, { t }) => ({
    what: t('admin:timeline.ruleSet', { version: result?.ruleSetVersion ?? t('admin:timeline.unknown') }),
  }),
  checkEligibility: (input, result, { t, language }) => {
    if (!result) return { what: t('admin:timeline.eligibilityChecked') };
    const { eligible, lines, level } = result.result;
    const unmet = lines.filter((line) => !line.met).length;
    const training = result.trainingRequired ? 'trainingRequired' : 'noTrainingRequired';
    return {
      what: t(eligible ? 'admin:timeline.eligible' : 'admin:timeline.notEligible', {
        level: levelName(language, level),
      }),
      comment: [
        t('admin:timeline.eligibilityRuleSet', { version: input.ruleSetVersion }),
        t('admin:timeline.conditionsUnmet', { unmet, count: lines.length }),
        eligible ? t(`admin:timeline.${training}`) : '',
      ]
        .filter(Boolean)
        .join(t('admin:timeline.commentSeparator')),
    };
  },
  issueAdmissionTicket: (_input, result, { t }) => ({
    what: t('admin:timeline.ticketIssued', { number: result?.number ?? t('admin:timeline.unknown') }),
  }),
  assignCertificateNumber: (_input, result, { t }) => ({
    what: t('admin:timeline.numberAssigned', { number: result?.number ?? t('admin:timeline.unknown') }),
  }),
  sealCertificate: (input, result, { t }) => ({
    what: t('admin:timeline.sealed', { number: input.number, key: result?.keyId }),
  }),
  renderCertificate: (input, _result, { t }) => ({ what: t('admin:timeline.rendered', { number: input.number }) }),
  recordHandover: (input, _result, { t }) => ({
    what: t('admin:timeline.handedOver', { number: input.certificateNumber }),
    by: input.handedOverBy,
    comment: input.note,
  }),
  voidCertificate: (input, _result, { t }) => ({
    what: t('admin:timeline.voided', { number: input.number }),
    by: input.decidedBy,
    comment: input.reason,
  }),
  loadCertificateHolder: (input, result, { t }) => ({
    what: t('admin:timeline.holderFound', {
      number: input.certificateNumber,
      application: result?.applicationNumber,
    }),
  }),
  setCertificateStatus: (input, _result, { t }) => ({
    what: t('admin:timeline.statusSet', {
      number: input.certificateNumber,
      status: t(`admin:certificateStatus.${input.status}`, { defaultValue: input.status }),
    }),
    by: input.decidedBy,
    comment: input.reason,
  }),
};

/** The scheduled event of an activity's outcome, with its name and input. */
function scheduled(reading: Reading, scheduledEventId: unknown) {
  const attrs = reading.event(scheduledEventId)?.activityTaskScheduledEventAttributes;
  return { name: (attrs?.activityType?.name ?? '?') as ActivityName, input: attrs?.input?.payloads };
}

function activityCompleted(event: HistoryEvent, reading: Reading): Draft | undefined {
  const attrs = event.activityTaskCompletedEventAttributes;
  const { name, input } = scheduled(reading, attrs?.scheduledEventId);
  if (name === 'notify' || NOISE.has(name)) return undefined;
  const tell = ACTIVITY_WORDS[name] as Telling<ActivityName> | undefined;
  const args = reading.decode<never>(input);
  if (!tell || args === undefined)
    return { kind: 'record', what: reading.t('admin:timeline.activityCompleted', { name }) };
  return { kind: 'record', ...tell(args, reading.decode(attrs?.result?.payloads), reading) };
}

function activityFailed(event: HistoryEvent, reading: Reading): Draft | undefined {
  const attrs = event.activityTaskFailedEventAttributes ?? event.activityTaskTimedOutEventAttributes;
  const { name } = scheduled(reading, attrs?.scheduledEventId);
  return {
    kind: 'other',
    what: reading.t('admin:timeline.activityGaveUp', { name }),
    comment: attrs?.failure?.message ?? undefined,
  };
}

// ---- Notices ----

/** How a notice is told: to a group about one of its tasks (the key of its sentence), or to a person. */
const NOTICES: Record<NotificationKind, { kind: 'notice' | 'reminder' | 'escalation'; task?: string }> = {
  'task-opened': { kind: 'notice', task: 'admin:timeline.taskOpened' },
  'task-reminder': { kind: 'reminder', task: 'admin:timeline.taskReminder' },
  // The reminder at the deadline itself: a reminder too, not yet an escalation.
  'task-deadline': { kind: 'reminder', task: 'admin:timeline.taskDeadline' },
  'task-escalated': { kind: 'escalation', task: 'admin:timeline.taskEscalated' },
  'admission-ticket': { kind: 'notice' },
  'exam-results': { kind: 'notice' },
  'certificate-ready': { kind: 'notice' },
  'certificate-handed-over': { kind: 'notice' },
  'case-closed': { kind: 'notice' },
  'investigation-opened': { kind: 'notice' },
  'investigation-closed': { kind: 'notice' },
  'certificate-revoked': { kind: 'notice' },
  'certificate-reinstated': { kind: 'notice' },
  'exam-rescheduled': { kind: 'notice' },
  'seat-withdrawn': { kind: 'notice' },
  'marked-absent': { kind: 'notice' },
};

function noticeSent(event: HistoryEvent, { decode, t, language, names }: Reading): Draft | undefined {
  const attrs = event.activityTaskScheduledEventAttributes;
  if (attrs?.activityType?.name !== ('notify' satisfies ActivityName)) return undefined;
  const input = decode<NotifyInput>(attrs.input?.payloads);
  const words = input && NOTICES[input.kind];
  if (!input || !words) return { kind: 'notice', what: t('admin:timeline.noticeSent') };
  if ('group' in input.recipient && input.task && words.task) {
    const what = t(words.task, {
      task: taskName(t, input.task.kind ?? input.task.id),
      group: names.group(input.recipient.group),
      due: formatDateTime(input.task.dueAt, language),
    });
    return { kind: words.kind, what, taskId: input.task.id };
  }
  const told = t(`admin:timeline.told.${input.kind}`, { defaultValue: input.kind });
  return {
    kind: words.kind,
    what: t(input.investigation ? 'admin:timeline.holderTold' : 'admin:timeline.candidateTold', { what: told }),
    comment: ['case-closed', 'exam-rescheduled', 'marked-absent'].includes(input.kind) ? input.reason : undefined,
  };
}

// ---- Timers ----

/** A timer told on its own: a window that closed (the appeal window, the re-sit window). */
function timerFired(event: HistoryEvent, reading: Reading): Draft {
  const startedEvent = reading.event(event.timerFiredEventAttributes?.startedEventId);
  // Deadlines run to the end of a day, so the timer's length is an odd number of hours: the day it was set says more.
  const what = startedEvent
    ? reading.t('admin:timeline.timeSetRanOut', { date: formatDate(isoTime(startedEvent.eventTime), reading.language) })
    : reading.t('admin:timeline.timeRanOut');
  return { kind: 'timer', what };
}

// ---- The end ----

/** What both workflows answer with, as far as the end needs it: a case view or an investigation view. */
type Ending = Partial<Pick<CaseView, 'outcome'> & Pick<InvestigationView, 'investigationId'>> & {
  stage?: Stage | InvestigationStage;
};

function completed(event: HistoryEvent, { decode, t, names }: Reading): Draft {
  const result = decode<Ending>(event.workflowExecutionCompletedEventAttributes?.result?.payloads);
  if (!result?.stage) return { kind: 'closed', what: t('admin:timeline.completed') };
  const what = result.investigationId
    ? t('admin:timeline.investigationEnded', {
        outcome: t(`admin:timeline.investigationEnd.${result.stage}`, { defaultValue: result.stage }),
      })
    : t('admin:timeline.caseEnded', { stage: stageLabel(t, result.stage) });
  // A reason the workflow worded (a Message) is said in the reader's language; older results have the English only.
  const said = result.outcome?.said;
  return {
    kind: 'closed',
    what,
    by: result.outcome?.by,
    comment: said ? messageText(t, said, names) : result.outcome?.reason,
  };
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
