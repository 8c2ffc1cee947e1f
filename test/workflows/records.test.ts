/**
 * What a case leaves in the application database as it runs: the task projection the inbox lists, the hash-chained
 * audit log of its decisions, and the printable certificate.
 */
import { existsSync } from 'node:fs';
import { certificatePdfBytes } from '../../activities/certificateDocument';
import { Level } from '../../domain/levels';
import { auditTrailOf, verifyAuditChain } from '../../records/audit';
import { openTasksForGroups, tasksOfCase } from '../../records/tasks';
import { findCertificate } from '../../records/registry';
import { claimTask, Stage, TaskKind, withdrawApplication } from '../../workflows/definitions';
import { actors } from '../helpers/actors';
import { applicationFor } from '../helpers/applications';
import { approve, driveTo, eventually, sendBack, waitForTask } from '../helpers/cases';
import { testWithHarness } from '../helpers/harnessTests';

const test = testWithHarness({ flavour: 'time-skipping' });

test.serial('an opened task appears in its group inbox, claims show there, and a decision takes it out', async (t) => {
  const h = t.context;
  const handle = await h.start(applicationFor(Level.Primary));
  const task = await waitForTask(handle, TaskKind.StationReview);
  const inbox = () => openTasksForGroups(h.deps.db, { groups: ['station-a:reviewers'], sort: 'due', limit: 50 });
  const listed = await eventually('the task in the inbox', async () =>
    (await inbox()).tasks.find((row) => row.workflow_id === handle.workflowId),
  );
  t.is(listed.task_id, task.id);
  t.is(listed.due_at, task.dueAt);
  t.is(listed.assignee, null);

  await handle.executeUpdate(claimTask, { args: [{ taskId: task.id, actor: actors.stationReviewer }] });
  await eventually('the claim in the projection', async () =>
    (await inbox()).tasks.find(
      (row) => row.workflow_id === handle.workflowId && row.assignee === actors.stationReviewer.id,
    ),
  );
  await approve(handle, TaskKind.StationReview, actors.stationReviewer, 'complete');
  await eventually('the task gone from the inbox', async () =>
    (await inbox()).tasks.some((row) => row.workflow_id === handle.workflowId) ? undefined : true,
  );
  const rows = await eventually('the center review row', async () => {
    const all = await tasksOfCase(h.deps.db, handle.workflowId);
    return all.some((row) => row.kind === TaskKind.CenterReview) ? all : undefined;
  });
  t.deepEqual(
    rows.sort((a, b) => a.created_at.localeCompare(b.created_at)).map((row) => [row.task_id, row.status, row.outcome]),
    [
      ['station-review-1', 'done', 'approve'],
      ['center-review-2', 'open', null],
    ],
  );
});

test.serial('a finished case leaves every decision in an intact audit chain and a printable certificate', async (t) => {
  const h = t.context;
  const handle = await h.start(applicationFor(Level.Primary));
  await driveTo(handle, TaskKind.CenterReview);
  await sendBack(handle, TaskKind.CenterReview, actors.centerReviewer, 'employer letter unsigned');
  await driveTo(handle);
  const view = await handle.result();
  t.is(view.stage, Stage.Issued);

  const trail = await auditTrailOf(h.deps.db, handle.workflowId);
  const decisions = trail.filter((row) => row.action.startsWith('task-'));
  t.deepEqual(
    decisions.slice(0, 3).map((row) => [row.action, row.actor, row.task_id]),
    [
      ['task-approve', actors.stationReviewer.id, 'station-review-1'],
      ['task-return', actors.centerReviewer.id, 'center-review-2'],
      ['task-approve', actors.stationReviewer.id, 'station-review-3'],
    ],
  );
  t.is(decisions[1].comment, 'employer letter unsigned');
  t.true(trail.some((row) => row.action === 'closed:issued'));
  const chain = await verifyAuditChain(h.deps.db);
  t.true(chain.ok);
  t.true(chain.ok && chain.count >= trail.length);

  const rows = await tasksOfCase(h.deps.db, handle.workflowId);
  t.true(rows.every((row) => row.status === 'done'));
  t.is(rows.length, view.tasks.length);
  // Printable from what the seal covers, when the printer asks for it: the case's path renders nothing, and leaves no
  // file behind (its history schedules no rendering).
  const { pdf } = await certificatePdfBytes(h.deps, { number: view.certificate!.number });
  t.is(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  t.false(existsSync(`${h.deps.certificateDir}/${view.certificate!.number}.pdf`));
  const { events } = await handle.fetchHistory();
  const scheduled = events!.flatMap((event) => event.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
  t.true(scheduled.includes('sealCertificate'));
  t.false(scheduled.includes('renderCertificate'));

  // The statistics read the exam's result from the case index, as the workflow's records activity wrote it.
  const indexed = await h.deps.db
    .selectFrom('cases')
    .select(['exam_passed', 'grade'])
    .where('application_number', '=', view.applicationNumber)
    .executeTakeFirstOrThrow();
  t.deepEqual(indexed, { exam_passed: 1, grade: view.exam!.outcome!.grade });
});

test.serial('a case withdrawn after numbering leaves its number void, never valid', async (t) => {
  const h = t.context;
  const handle = await h.start(applicationFor(Level.Primary));
  await driveTo(handle, TaskKind.CertificatePrint);
  await handle.executeUpdate(withdrawApplication, {
    args: [{ actor: actors.stationClerk, reason: 'candidate emigrated' }],
  });
  const view = await handle.result();
  t.is(view.stage, Stage.Withdrawn);
  const entry = await findCertificate(h.deps.db, view.certificate!.number);
  t.is(entry?.status, 'revoked');
  t.is(entry?.lastChange?.category, 'voided');
  t.regex(entry!.lastChange!.reason, /withdrawn: candidate emigrated/);
});
