import anyTest, { type ExecutionContext, type TestFn } from 'ava';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Message } from '../../domain/messages';
import { appeal, decide, investigationHandle } from '../../runtime/investigations';
import { type Actor, RefusalType } from '../../workflows/definitions';
import {
  investigationIdFor,
  InvestigationDecision,
  InvestigationStage,
  InvestigationTaskKind,
  ReportCategory,
} from '../../workflows/investigationDefinitions';
import { actors } from '../helpers/actors';
import { eventually, refused, skipTo } from '../helpers/cases';
import { createHarness, type Harness } from '../helpers/harness';
import {
  departmentDecides,
  type IssuedCertificate,
  issueCertificate,
  report,
  reportRefused,
  stateOfInvestigation,
  waitForInvestigation,
  waitForTask,
} from './helpers';

interface Context {
  h: Harness;
  /** Issued once; the bad reports below must never open an investigation of it. */
  certificate: IssuedCertificate;
}

const test = anyTest as TestFn<Context>;

test.before(async (t) => {
  const h = await createHarness({ flavour: 'time-skipping' });
  t.context = { h, certificate: await issueCertificate(h) };
});
test.after.always(async (t) => {
  await t.context?.h?.teardown();
});

const DAY_MS = 24 * 60 * 60 * 1000;
const departmentSupervisor: Actor = { id: 'tang.department-supervisor', groups: ['department-1:supervisors'] };

// ---- Bad reports: a specific error each, and nothing started ----

interface BadReport {
  number?: (issued: string) => string;
  report?: Record<string, unknown>;
  type: RefusalType;
  field: string;
  message: RegExp | Message;
}

const refusedBeforeStarting = test.macro({
  async exec(t, bad: BadReport) {
    const { h, certificate } = t.context;
    const number = bad.number?.(certificate.number) ?? certificate.number;
    await reportRefused(t, report(h, number, bad.report as never), bad);

    const id = investigationIdFor(number.trim().toUpperCase(), 1);
    await t.throwsAsync(investigationHandle(h.client, id).describe(), { instanceOf: WorkflowNotFoundError });
    const counter = await h.deps.db
      .selectFrom('sequences')
      .selectAll()
      .where('name', '=', `investigation:${number.trim().toUpperCase()}`)
      .executeTakeFirst();
    t.is(counter, undefined, 'no investigation number was taken');
  },
  title: (title) => `a report with ${title} is refused and starts nothing`,
});

test.serial('a malformed certificate number', refusedBeforeStarting, {
  number: (issued) => issued.slice(0, 20),
  type: RefusalType.InvalidInput,
  field: 'certificateNumber',
  message: { key: 'verify:check.skillLength', values: { got: 20 } },
});
test.serial('a letter in the digits of the number', refusedBeforeStarting, {
  number: (issued) => `${issued.slice(0, 10)}O${issued.slice(11)}`,
  type: RefusalType.InvalidInput,
  field: 'certificateNumber',
  message: /the 21 characters after the category letter must be digits/,
});
test.serial('a well-formed number no certificate has', refusedBeforeStarting, {
  number: (issued) => `${issued.slice(0, 16)}999999`,
  type: RefusalType.NotFound,
  field: 'certificateNumber',
  message: /^certificateNumber: no certificate S\d{15}999999 has been issued\.$/,
});
test.serial('an empty description', refusedBeforeStarting, {
  report: { description: '   ' },
  type: RefusalType.InvalidInput,
  field: 'description',
  message: /^description: describe what happened\.$/,
});
test.serial('a description too short to investigate', refusedBeforeStarting, {
  report: { description: 'cheated' },
  type: RefusalType.InvalidInput,
  field: 'description',
  message: { key: 'refusals:report.descriptionTooShort', values: { min: 10, length: 7 } },
});
test.serial('a description over 4000 characters', refusedBeforeStarting, {
  report: { description: 'x'.repeat(4001) },
  type: RefusalType.InvalidInput,
  field: 'description',
  message: /^description: at most 4000 characters \(got 4001\)\.$/,
});
test.serial('an unknown category', refusedBeforeStarting, {
  report: { category: 'plagiarism' },
  type: RefusalType.InvalidInput,
  field: 'category',
  message: /^category: must be one of cheating, forged-certificate, exam-discipline, other \(got "plagiarism"\)\.$/,
});
test.serial('no reporter', refusedBeforeStarting, {
  report: { reporter: '' },
  type: RefusalType.InvalidInput,
  field: 'reporter',
  message: { key: 'refusals:report.noReporter' },
});

// ---- One investigation at a time per certificate ----

test.serial('a second report while an investigation is open joins it; after it ends the next opens anew', async (t) => {
  const { h } = t.context;
  const { number } = await issueCertificate(h);
  const first = await report(h, number);
  const second = await report(h, number.toLowerCase(), {
    reporter: 'a candidate at the same session',
    category: 'other' as ReportCategory,
    description: 'I saw the holder being passed a note during the knowledge exam.',
  });

  t.deepEqual(second, { investigationId: first.investigationId, attached: true });
  const view = await stateOfInvestigation(h, first.investigationId);
  t.deepEqual(
    view.reports.map((r) => [r.reporter, r.category]),
    [
      ['liu.invigilator', 'cheating'],
      ['a candidate at the same session', 'other'],
    ],
  );
  await departmentDecides(h, first.investigationId, InvestigationDecision.Dismiss, 'Both reports are unfounded.');
  await investigationHandle(h.client, first.investigationId).result();

  const third = await report(h, number);
  t.deepEqual(third, { investigationId: investigationIdFor(number, 2), attached: false });
  await waitForTask(h, third.investigationId, InvestigationTaskKind.Decision);
  await departmentDecides(h, third.investigationId, InvestigationDecision.Dismiss, 'Again unfounded.');
});

// ---- Decisions: who, with what, when ----

test.serial('only the department decides, with a reason, on a task that is open', async (t) => {
  const { h } = t.context;
  const { number } = await issueCertificate(h);
  const { investigationId: id } = await report(h, number);
  await waitForTask(h, id, InvestigationTaskKind.Decision);
  const before = await stateOfInvestigation(h, id);
  const reason = 'Confirmed.';

  await refusedUpdate(
    t,
    decide(h.client, id, InvestigationDecision.Revoke, { actor: actors.stationReviewer, reason }),
    {
      type: RefusalType.Forbidden,
      message: new RegExp(
        `^li\\.station-reviewer is not in department-1:approvers, which decides task investigation-decision of ${id}\\.$`,
      ),
    },
  );
  await refusedUpdate(t, decide(h.client, id, InvestigationDecision.Revoke, { actor: departmentSupervisor, reason }), {
    type: RefusalType.Forbidden,
    message: /is not in department-1:approvers/,
  });
  await refusedUpdate(
    t,
    decide(h.client, id, InvestigationDecision.Revoke, { actor: actors.departmentApprover, reason: ' ' }),
    {
      type: RefusalType.InvalidInput,
      message: /^reason: a reason is required\.$/,
    },
  );
  await refusedUpdate(
    t,
    decide(h.client, id, InvestigationDecision.Revoke, {
      actor: actors.departmentApprover,
      reason,
      category: 'plagiarism' as ReportCategory,
    }),
    { type: RefusalType.InvalidInput, message: /^category: must be one of/ },
  );
  await refusedUpdate(
    t,
    decide(h.client, id, InvestigationDecision.Reinstate, { actor: actors.departmentApprover, reason }),
    {
      type: RefusalType.Closed,
      message: { key: 'refusals:investigation.noAppeal', values: { investigationId: id } },
    },
  );
  await refusedUpdate(t, appeal(h.client, id, { actor: actors.stationClerk, reason: 'Not me.' }), {
    type: RefusalType.Closed,
    message: /has not been revoked by .*; there is nothing to appeal yet\.$/,
  });
  t.deepEqual(await stateOfInvestigation(h, id), before, 'a refused decision leaves no trace');

  await decide(h.client, id, InvestigationDecision.Revoke, {
    actor: actors.departmentApprover,
    reason,
    category: 'exam-discipline' as ReportCategory,
  });
  await refusedUpdate(
    t,
    decide(h.client, id, InvestigationDecision.Dismiss, { actor: actors.departmentApprover, reason }),
    {
      type: RefusalType.Closed,
      message: {
        key: 'refusals:investigation.alreadyDecided',
        values: { task: InvestigationTaskKind.Decision, investigationId: id, person: 'zheng.approver' },
      },
    },
  );
  await refusedUpdate(t, appeal(h.client, id, { actor: actors.otherStationClerk, reason: 'Not me.' }), {
    type: RefusalType.Forbidden,
    message: /^qin\.station-b-clerk may not appeal: the holder appeals through the issuing station \(station-a\)\.$/,
  });
  await refusedUpdate(t, appeal(h.client, id, { actor: actors.stationClerk, reason: '' }), {
    type: RefusalType.InvalidInput,
    message: /^reason: a reason is required\.$/,
  });
  await appeal(h.client, id, { actor: actors.stationClerk, reason: 'Not me.' });
  await refusedUpdate(t, appeal(h.client, id, { actor: actors.stationClerk, reason: 'Really not me.' }), {
    type: RefusalType.Conflict,
    message: /^An appeal against the revocation of certificate .* was already filed by sun\.clerk/,
  });
  const view = await stateOfInvestigation(h, id);
  t.is(view.revocation?.category, ReportCategory.ExamDiscipline, 'the department may correct the category');
  await departmentDecides(h, id, InvestigationDecision.Uphold, 'Seen on video.');
});

const refusedUpdate = (
  t: ExecutionContext<Context>,
  update: Promise<unknown>,
  expected: { type: RefusalType; message: RegExp | Message },
) => refused(t, update, expected.type, expected.message);

// ---- Deadlines ----

test.serial(
  'the department is reminded before the deadline and at it, and the task escalates once after it',
  async (t) => {
    const { h } = t.context;
    const { number } = await issueCertificate(h);
    const { investigationId: id } = await report(h, number);
    const task = await waitForTask(h, id, InvestigationTaskKind.Decision);
    const noticesOfTask = () =>
      h.deps.db
        .selectFrom('notifications')
        .select(['kind', 'recipient'])
        .where('key', 'like', `${id}/${task.id}/%`)
        .orderBy('id')
        .execute();
    await refusedUpdate(
      t,
      decide(h.client, id, InvestigationDecision.Dismiss, { actor: departmentSupervisor, reason: 'x' }),
      {
        type: RefusalType.Forbidden,
        message: /is not in department-1:approvers/,
      },
    );

    // Fifteen working days, then one more for the escalation: at most five calendar days after the deadline.
    await skipTo(h, new Date(task.dueAt), 5 * DAY_MS);
    const expected = [
      { kind: 'task-opened', recipient: 'department-1:approvers' },
      { kind: 'task-reminder', recipient: 'department-1:approvers' },
      { kind: 'task-deadline', recipient: 'department-1:approvers' },
      { kind: 'task-escalated', recipient: 'department-1:supervisors' },
    ];
    t.deepEqual(
      await eventually('the escalation notice', async () => {
        const notices = await noticesOfTask();
        return notices.length === expected.length ? notices : undefined;
      }),
      expected,
    );
    const escalated = await waitForInvestigation(h, id, 'the escalation', (v) => v.tasks[0].escalated);
    t.is(escalated.tasks[0].remindersSent, 2);

    await h.skip(30 * DAY_MS);
    t.deepEqual(await noticesOfTask(), expected, 'each once, however long the task waits');
    await decide(h.client, id, InvestigationDecision.Dismiss, { actor: departmentSupervisor, reason: 'Out of date.' });
    const result = await investigationHandle(h.client, id).result();
    t.is(result.stage, InvestigationStage.Dismissed);
    t.is(result.outcome?.by, departmentSupervisor.id);
  },
);
