import { readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { defaultPayloadConverter } from '@temporalio/common';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import type proto from '@temporalio/proto';
import { translator, type Language } from '../../i18n';
import { directoryOf } from '../../inbox-ui/names';
import { businessTimeline, type TimelineEntry, type TimelineReader } from '../../inbox-ui/timeline';
import { openDatabase } from '../../records/database';
import { seedDemoDirectory } from '../../records/demoProvince';
import { PUBLIC_REPORTER } from '../../inbox-ui/routes/reports';
import { approveTask } from '../../workflows/definitions';
import { attachReport } from '../../workflows/investigationDefinitions';

type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

const here = import.meta.dirname;
const load = (file: string): HistoryEvent[] =>
  historyFromJSON(JSON.parse(readFileSync(path.join(here, '..', file), 'utf8'))).events ?? [];
const said = (entries: TimelineEntry[], ...kinds: TimelineEntry['kind'][]) =>
  entries.filter((entry) => kinds.includes(entry.kind)).map((entry) => entry.what);

/** The timeline as the admin page tells it: the demo directory's names, in English (or Chinese). */
const readers = {} as Record<Language, TimelineReader>;
const timelineOf = (file: string, language: Language = 'en') => businessTimeline(load(file), readers[language]);
const told = (events: HistoryEvent[]) => businessTimeline(events, readers.en);
let returned: TimelineEntry[];

test.before(async () => {
  const db = await openDatabase(':memory:');
  await seedDemoDirectory(db);
  for (const language of ['en', 'zh-CN'] as const) {
    const t = translator(language);
    readers[language] = { t, language, names: await directoryOf(db, t) };
  }
  await db.destroy();
  returned = timelineOf('replay/histories/level2-returned-then-issued.json');
});

test('a case starts with its application received and ends issued, by the clerk who handed it over', (t) => {
  t.like(returned[0], {
    kind: 'started',
    eventId: 1,
    what: 'Application T-MWZPN4YP-8241-2 received',
    comment: 'Baker, Level 2 (technician), at 东城职业技能鉴定站',
  });
  t.is(returned[0].at, '2026-11-28T01:07:10.948Z');
  t.like(returned.at(-1), {
    kind: 'closed',
    what: 'Case ended: Issued',
    by: 'sun.clerk',
    byName: '孙丽',
  });
});

test('every decision of the returned case appears, by whom, in the order it was made', (t) => {
  t.deepEqual(said(returned, 'decision'), [
    '李伟 approved Qualification review (station)',
    '吴华 returned Qualification review (guidance center)',
    '李伟 approved Qualification review (station)',
    '吴华 approved Qualification review (guidance center)',
    '陈杰 recorded scores: knowledge 82, skills 90',
    '陈杰 approved Comprehensive review',
    '李伟 approved Result summary (station)',
    '吴华 approved Result approval (guidance center)',
    '郑毅 approved Result approval (department)',
    '郑毅 approved Certificate printing',
    '孙丽 approved Certificate hand-over',
  ]);
});

test('a return carries its reason, its actor and its task', (t) => {
  const back = returned.find((entry) => entry.what.includes('returned'));
  t.like(back, {
    by: 'wu.center-reviewer',
    byName: '吴华',
    taskId: 'center-review-2',
    comment: 'work-experience letter unsigned',
  });
});

test('each task opened tells the group it went to, and the candidate notices are told in between', (t) => {
  const notices = said(returned, 'notice');
  t.is(notices[0], 'Qualification review (station) opened for 东城职业技能鉴定站 reviewers, due 4 Dec 2026 23:59');
  t.true(
    notices.includes('Result approval (department) opened for 市人力资源和社会保障局 approvers, due 11 Dec 2026 23:59'),
  );
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
    'Eligibility checked: eligible for Level 2 (technician)',
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
    '冯波 approved Training completion',
    '陈杰 recorded scores: knowledge 72, skills 41',
    '陈杰 recorded scores: skills 70',
  ]);
});

test('a withdrawn case tells who withdrew it and why, and ends Withdrawn', (t) => {
  const entries = timelineOf('replay/histories/withdrawn-at-exam.json');
  t.like(
    entries.find((entry) => entry.kind === 'decision' && entry.what.includes('withdrew')),
    {
      what: '孙丽 withdrew the application',
      by: 'sun.clerk',
      comment: 'candidate moved to another province',
    },
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
    'notice: Investigation decision (department) opened for 市人力资源和社会保障局 approvers, ' +
      'due 22 Feb 2047 23:59',
  );
  t.true(opened > 0);
  t.deepEqual(story.slice(opened + 1, opened + 5), [
    'reminder: Reminder to 市人力资源和社会保障局 approvers: Investigation decision (department) is due ' +
      '22 Feb 2047 23:59',
    'reminder: Deadline reached: 市人力资源和社会保障局 approvers reminded that Investigation decision ' +
      '(department) was due 22 Feb 2047 23:59',
    'escalation: Investigation decision (department) escalated to 市人力资源和社会保障局 supervisors, ' +
      'overdue since 22 Feb 2047 23:59',
    'decision: 郑毅 dismissed the report',
  ]);
  // The timers behind them say nothing the reminders do not.
  t.false(entries.some((entry) => entry.kind === 'timer'));
  t.like(entries.at(-1), { kind: 'closed', what: 'Investigation ended: Dismissed', comment: 'Unfounded.' });
});

test('a window that closes without a reminder is told as a time limit that ran out', (t) => {
  const entries = timelineOf('investigations/histories/revoked-window-closed.json');
  const timer = entries.findIndex((entry) => entry.kind === 'timer');
  t.is(entries[timer].what, 'A time limit set on 5 Dec 2036 ran out');
  t.is(entries[timer + 1].what, 'Holder told: the investigation was closed');
  t.is(entries.at(-1)!.what, 'Investigation ended: Revoked for good');
});

test('an investigation tells the further report, the revocation, the appeal and the reinstatement', (t) => {
  const entries = timelineOf('investigations/histories/revoked-appealed-reinstated.json');
  t.deepEqual(said(entries, 'decision', 'other'), [
    'A further cheating report was attached',
    '郑毅 revoked the certificate',
    '孙丽 filed an appeal',
    '郑毅 reinstated the certificate',
  ]);
});

// ---- In Chinese ----

test('in Chinese, the returned case tells its decisions with the tasks’ labels and the people’s names', (t) => {
  const entries = timelineOf('replay/histories/level2-returned-then-issued.json', 'zh-CN');
  t.like(entries[0], {
    what: '收到申报 T-MWZPN4YP-8241-2',
    comment: '烘焙工，二级/技师，申报至东城职业技能鉴定站',
  });
  t.deepEqual(said(entries, 'decision').slice(0, 5), [
    '李伟通过了“资格审核（鉴定站）”',
    '吴华退回了“资格复核（指导中心）”',
    '李伟通过了“资格审核（鉴定站）”',
    '吴华通过了“资格复核（指导中心）”',
    '陈杰录入成绩：理论知识 82 分，操作技能 90 分',
  ]);
  const notices = said(entries, 'notice');
  t.is(notices[0], '“资格审核（鉴定站）”已交东城职业技能鉴定站的审核人员办理，办理时限 2026年12月4日 23:59');
  t.true(notices.includes('已通知考生：准考证已发放'));
  t.true(said(entries, 'record').includes('申报条件核验：符合二级/技师申报条件'));
  t.like(entries.at(-1), { kind: 'closed', what: '申报办结：已发证', byName: '孙丽' });
  t.false(
    entries.some((entry) => /\b(approved|opened|told|Task|Case|station-review|center-review)\b/.test(entry.what)),
    'no English sentence, and no task code, is left',
  );
});

test('in Chinese, reminders, the escalation and a time limit that ran out read as a department writes them', (t) => {
  const escalated = said(
    timelineOf('investigations/histories/escalated-then-dismissed.json', 'zh-CN'),
    'reminder',
    'escalation',
  );
  t.deepEqual(escalated, [
    '提醒市人力资源和社会保障局的审批人员：“举报调查处理（人社部门）”须于 2047年2月22日 23:59 前办结',
    '办理时限已到：已提醒市人力资源和社会保障局的审批人员，“举报调查处理（人社部门）”应于 2047年2月22日 23:59 前办结',
    '“举报调查处理（人社部门）”自 2047年2月22日 23:59 起超期，已转市人力资源和社会保障局的主管人员督办',
  ]);
  const closed = timelineOf('investigations/histories/revoked-window-closed.json', 'zh-CN');
  t.deepEqual(said(closed, 'timer', 'closed'), ['2036年12月5日设定的时限已到', '调查结案：撤销决定生效']);
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
  const entries = told(
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
        what: '李伟 approved Qualification review (station)',
        by: 'li.station-reviewer',
        taskId: 'station-review-1',
        comment: 'fine',
      },
      {
        kind: 'refused',
        what: '李伟 approved Qualification review (station), but the case refused it',
        by: 'li.station-reviewer',
        taskId: 'station-review-1',
        comment: 'the task was cancelled meanwhile',
      },
    ],
  );
});

test('a report filed through the public form is told as by a member of the public, not by its placeholder id', (t) => {
  const report = (description: string) => ({
    reporter: PUBLIC_REPORTER,
    category: 'cheating',
    description,
    reportedAt: '2026-11-28T01:00:00Z',
  });
  const events = history(
    {
      eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED',
      workflowExecutionStartedEventAttributes: {
        workflowType: { name: 'investigationWorkflow' },
        input: {
          payloads: [payload({ certificateNumber: 'S000044000001195000001', report: report('a phone in the exam') })],
        },
      },
    },
    {
      eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED',
      workflowExecutionUpdateAcceptedEventAttributes: {
        protocolInstanceId: 'u-2',
        acceptedRequest: {
          meta: { updateId: 'u-2' },
          input: { name: attachReport.name, args: { payloads: [payload({ report: report('notes on the desk') })] } },
        },
      },
    },
  );
  const byWhom = (entries: TimelineEntry[]) => entries.map(({ what, by, byName }) => ({ what, by, byName }));
  t.deepEqual(byWhom(businessTimeline(events, readers.en)), [
    {
      what: 'Investigation of certificate S000044000001195000001 opened on a cheating report',
      by: PUBLIC_REPORTER,
      byName: 'a member of the public',
    },
    { what: 'A further cheating report was attached', by: PUBLIC_REPORTER, byName: 'a member of the public' },
  ]);
  t.deepEqual(
    businessTimeline(events, readers['zh-CN']).map((entry) => entry.byName),
    ['公众举报', '公众举报'],
  );
});

test('times given as a Long, a number or a string of seconds read as the same instant', (t) => {
  const [event] = history(approval);
  const variants = [event.eventTime!.seconds, 1795827600, '1795827600'].map((seconds) => ({
    ...event,
    eventTime: { seconds, nanos: 250_000_000 } as unknown as HistoryEvent['eventTime'],
  }));
  t.deepEqual(
    told(variants).map((entry) => entry.at),
    ['2026-11-28T01:00:00.250Z', '2026-11-28T01:00:00.250Z', '2026-11-28T01:00:00.250Z'],
  );
});

test('an update whose input cannot be read is still told, by its name', (t) => {
  const unreadable = structuredClone(approval);
  unreadable.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest.input.args.payloads[0].data =
    Buffer.from('{not json').toString('base64');
  t.like(told(history(unreadable))[0], { kind: 'other', what: 'Someone sent approveTask' });
});

test('a terminated or failed workflow is told as closed, with who and why', (t) => {
  const entries = told(
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

test('a case the workflow closed with a reason of its own tells that reason in the reader’s language', (t) => {
  const ended = (outcome: Record<string, unknown>) =>
    history({
      eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED',
      workflowExecutionCompletedEventAttributes: { result: { payloads: [payload({ stage: 'ineligible', outcome })] } },
    });
  const reason = 'No eligibility condition of the level is met.';
  const now = ended({ stage: 'ineligible', reason, said: { key: 'case:said.ineligible' }, at: '2026-11-28T01:00:00Z' });
  const chinese = businessTimeline(now, readers['zh-CN']).at(-1)!;
  t.is(chinese.comment, '不符合该等级的任何申报条件。');
  t.is(businessTimeline(now, readers.en).at(-1)!.comment, reason);
  // A case closed before reasons carried a Message keeps the words it has.
  const before = ended({ stage: 'ineligible', reason, at: '2026-11-28T01:00:00Z' });
  t.is(businessTimeline(before, readers['zh-CN']).at(-1)!.comment, reason);
});
