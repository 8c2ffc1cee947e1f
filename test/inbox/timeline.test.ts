import { readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { defaultPayloadConverter } from '@temporalio/common';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import type proto from '@temporalio/proto';
import { businessTimeline, type TimelineEntry } from '../../inbox-ui/timeline';
import { approveTask } from '../../workflows/definitions';

type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

const here = import.meta.dirname;
const load = (file: string): HistoryEvent[] =>
  historyFromJSON(JSON.parse(readFileSync(path.join(here, '..', file), 'utf8'))).events ?? [];
const timelineOf = (file: string) => businessTimeline(load(file));
const said = (entries: TimelineEntry[], ...kinds: TimelineEntry['kind'][]) =>
  entries.filter((entry) => kinds.includes(entry.kind)).map((entry) => entry.what);

const returned = timelineOf('replay/histories/level2-returned-then-issued.json');

test('a case starts with its application received and ends issued, by the clerk who handed it over', (t) => {
  t.like(returned[0], { kind: 'started', eventId: 1, what: 'Application T-MWZPN4YP-8241-2 received' });
  t.is(returned[0].at, '2026-11-28T01:07:10.948Z');
  t.like(returned.at(-1), { kind: 'closed', what: 'Case ended: Issued', by: 'sun.clerk' });
});

test('every decision of the returned case appears, by whom, in the order it was made', (t) => {
  t.deepEqual(said(returned, 'decision'), [
    'li.station-reviewer approved station-review-1',
    'wu.center-reviewer returned center-review-2',
    'li.station-reviewer approved station-review-3',
    'wu.center-reviewer approved center-review-4',
    'chen.examiner recorded scores knowledge 82, skills 90',
    'chen.examiner approved comprehensive-review-6',
    'li.station-reviewer approved result-station-summary-7',
    'wu.center-reviewer approved result-center-approval-8',
    'zheng.approver approved result-department-approval-9',
    'zheng.approver approved certificate-print-10',
    'sun.clerk approved certificate-handover-11',
  ]);
});

test('a return carries its reason, its actor and its task', (t) => {
  const back = returned.find((entry) => entry.what.includes('returned'));
  t.like(back, {
    by: 'wu.center-reviewer',
    taskId: 'center-review-2',
    comment: 'work-experience letter unsigned',
  });
});

test('each task opened tells the group it went to, and the candidate notices are told in between', (t) => {
  const notices = said(returned, 'notice');
  t.is(notices[0], 'Task station-review-1 opened for station-a:reviewers, due 2026-12-04 23:59');
  t.true(notices.includes('Task result-department-approval-9 opened for department-1:approvers, due 2026-12-11 23:59'));
  t.deepEqual(
    notices.filter((notice) => notice.startsWith('Candidate')),
    [
      'Candidate told: the admission ticket was issued',
      'Candidate told: the examination results are available',
      'Candidate told: the certificate is ready for hand-over',
      'Candidate told: the certificate was handed over',
    ],
  );
});

test('the things the case recorded come with their numbers, and the records loop is left out', (t) => {
  t.deepEqual(said(returned, 'record'), [
    'Rule set 2026.1 applies to the case',
    'Eligibility checked: eligible for level 2',
    'Admission ticket STATION-A-2026-000002 issued',
    'Certificate number S000044000001262000001 assigned',
    'Certificate S000044000001262000001 sealed with key seal-20261128',
    'Certificate S000044000001262000001 rendered for printing',
    'Hand-over of certificate S000044000001262000001 recorded',
  ]);
  t.false(returned.some((entry) => /recordCase|workflow task|search attribute/i.test(entry.what)));
});

test('entries keep the order and ids of the history, with ISO times', (t) => {
  const ids = returned.map((entry) => entry.eventId);
  t.deepEqual(
    ids,
    [...ids].sort((a, b) => a - b),
  );
  t.true(returned.every((entry) => !Number.isNaN(Date.parse(entry.at)) && entry.at.endsWith('Z')));
  t.true(returned.length < load('replay/histories/level2-returned-then-issued.json').length / 5);
});

test('a training and re-sit case shows the trainer, the first scores and the re-sat part', (t) => {
  const decisions = said(timelineOf('replay/histories/training-resit-issued.json'), 'decision');
  t.deepEqual(decisions.slice(2, 5), [
    'feng.trainer approved training-completion-3',
    'chen.examiner recorded scores knowledge 72, skills 41',
    'chen.examiner recorded scores skills 70',
  ]);
});

test('a withdrawn case tells who withdrew it and why, and ends Withdrawn', (t) => {
  const entries = timelineOf('replay/histories/withdrawn-at-exam.json');
  t.like(
    entries.find((entry) => entry.kind === 'decision' && entry.what.includes('withdrew')),
    { what: 'sun.clerk withdrew the application', by: 'sun.clerk', comment: 'candidate moved to another province' },
  );
  t.like(entries.at(-1), {
    kind: 'closed',
    what: 'Case ended: Withdrawn',
    comment: 'candidate moved to another province',
  });
  t.false(entries.some((entry) => entry.what.startsWith('Certificate')));
});

test('reminders, the deadline and the escalation appear where the history has them, before the late decision', (t) => {
  const entries = timelineOf('investigations/histories/escalated-then-dismissed.json');
  const story = entries.map((entry) => `${entry.kind}: ${entry.what}`);
  const opened = story.indexOf(
    'notice: Task investigation-decision-1 opened for department-1:approvers, due 2047-02-22 23:59',
  );
  t.true(opened > 0);
  t.deepEqual(story.slice(opened + 1, opened + 5), [
    'reminder: Reminder to department-1:approvers: investigation-decision-1 is due 2047-02-22 23:59',
    'reminder: Deadline reached: department-1:approvers reminded that investigation-decision-1 was due 2047-02-22 23:59',
    'escalation: investigation-decision-1 escalated to department-1:supervisors, overdue since 2047-02-22 23:59',
    'decision: zheng.approver dismissed the report',
  ]);
  // The timers behind them say nothing the reminders do not.
  t.false(entries.some((entry) => entry.kind === 'timer'));
  t.like(entries.at(-1), { kind: 'closed', what: 'Investigation ended: Dismissed', comment: 'Unfounded.' });
});

test('a window that closes without a reminder is told as a time limit that ran out', (t) => {
  const entries = timelineOf('investigations/histories/revoked-window-closed.json');
  const timer = entries.findIndex((entry) => entry.kind === 'timer');
  t.is(entries[timer].what, 'A time limit set on 2036-12-05 ran out');
  t.is(entries[timer + 1].what, 'Holder told: the investigation was closed');
  t.is(entries.at(-1)!.what, 'Investigation ended: Revoked for good');
});

test('an investigation tells the further report, the revocation, the appeal and the reinstatement', (t) => {
  const entries = timelineOf('investigations/histories/revoked-appealed-reinstated.json');
  t.deepEqual(said(entries, 'decision', 'other'), [
    'A further cheating report was attached',
    'zheng.approver revoked the certificate',
    'sun.clerk filed an appeal',
    'zheng.approver reinstated the certificate',
  ]);
});

// ---- Shapes the recorded runs do not have ----

const payload = (value: unknown) => {
  const { metadata, data } = defaultPayloadConverter.toPayload(value);
  const base64 = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('base64');
  return { metadata: { encoding: base64(metadata?.encoding) }, data: base64(data) };
};

/** Events written as Temporal exports them, read the way the recorded histories are. */
const history = (...events: Record<string, unknown>[]) =>
  historyFromJSON({
    events: events.map((event, index) => ({
      eventId: String(index + 1),
      eventTime: `2026-11-28T01:00:0${index}.250Z`,
      ...event,
    })),
  }).events!;

const approval = {
  eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED',
  workflowExecutionUpdateAcceptedEventAttributes: {
    protocolInstanceId: 'u-1',
    acceptedRequest: {
      meta: { updateId: 'u-1' },
      input: {
        name: approveTask.name,
        args: {
          payloads: [payload({ taskId: 'station-review-1', actor: { id: 'li.station-reviewer' }, comment: 'fine' })],
        },
      },
    },
  },
};

test('a decision whose handler failed after it was accepted is told as refused, with the reason', (t) => {
  const entries = businessTimeline(
    history(approval, {
      eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED',
      workflowExecutionUpdateCompletedEventAttributes: {
        meta: { updateId: 'u-1' },
        acceptedEventId: '1',
        outcome: { failure: { message: 'the task was cancelled meanwhile' } },
      },
    }),
  );
  t.deepEqual(
    entries.map(({ kind, what, by, taskId, comment }) => ({ kind, what, by, taskId, comment })),
    [
      {
        kind: 'decision',
        what: 'li.station-reviewer approved station-review-1',
        by: 'li.station-reviewer',
        taskId: 'station-review-1',
        comment: 'fine',
      },
      {
        kind: 'refused',
        what: 'li.station-reviewer approved station-review-1, but the case refused it',
        by: 'li.station-reviewer',
        taskId: 'station-review-1',
        comment: 'the task was cancelled meanwhile',
      },
    ],
  );
});

test('times given as a Long, a number or a string of seconds read as the same instant', (t) => {
  const [event] = history(approval);
  const variants = [event.eventTime!.seconds, 1795827600, '1795827600'].map((seconds) => ({
    ...event,
    eventTime: { seconds, nanos: 250_000_000 } as unknown as HistoryEvent['eventTime'],
  }));
  t.deepEqual(
    businessTimeline(variants).map((entry) => entry.at),
    ['2026-11-28T01:00:00.250Z', '2026-11-28T01:00:00.250Z', '2026-11-28T01:00:00.250Z'],
  );
});

test('an update whose input cannot be read is still told, by its name', (t) => {
  const unreadable = structuredClone(approval);
  unreadable.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest.input.args.payloads[0].data =
    Buffer.from('{not json').toString('base64');
  t.like(businessTimeline(history(unreadable))[0], { kind: 'other', what: 'Someone sent approveTask' });
});

test('a terminated or failed workflow is told as closed, with who and why', (t) => {
  const entries = businessTimeline(
    history(
      {
        eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED',
        workflowExecutionTerminatedEventAttributes: { reason: 'duplicate application', identity: 'ops@host' },
      },
      {
        eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_FAILED',
        workflowExecutionFailedEventAttributes: { failure: { message: 'case ended in stage examination' } },
      },
    ),
  );
  t.deepEqual(
    entries.map(({ kind, what, by, comment }) => ({ kind, what, by, comment })),
    [
      { kind: 'closed', what: 'The workflow was terminated', by: 'ops@host', comment: 'duplicate application' },
      { kind: 'closed', what: 'The workflow failed', by: undefined, comment: 'case ended in stage examination' },
    ],
  );
});
