/**
 * `npm run projection:rebuild` against real workflows on the dev server (listing needs its visibility store): the
 * rows it writes are the workflows' tasks, for running and closed cases alike, whatever the table held before.
 */
import { Level } from '../../domain/levels';
import { projectTasks, tasksOfCase } from '../../records/tasks';
import { rebuildProjection } from '../../scripts/rebuildProjection';
import { getState, TaskKind } from '../../workflows/definitions';
import { actors } from '../helpers/actors';
import { applicationFor } from '../helpers/applications';
import { approve, cancelByAdministrator, eventually, waitForTask } from '../helpers/cases';
import { testWithHarness } from '../helpers/harnessTests';

const test = testWithHarness({ flavour: 'dev-server' });

test.serial('a rebuild writes every case its tasks, running or closed, and repairs what drifted', async (t) => {
  const h = t.context;
  const { db } = h.deps;
  const running = await h.start(applicationFor(Level.Primary));
  await approve(running, TaskKind.StationReview, actors.stationReviewer, 'documents complete');
  await waitForTask(running, TaskKind.CenterReview);
  const closed = await h.start(applicationFor(Level.Primary));
  await waitForTask(closed, TaskKind.StationReview);
  await cancelByAdministrator(closed);
  await closed.result().catch(() => undefined);

  // The projection drifted (a row changed behind its back) and holds a task the workflow never had.
  const view = await running.query(getState);
  await eventually('the case projected', async () =>
    (await tasksOfCase(db, running.workflowId)).length === view.tasks.length ? true : undefined,
  );
  await db
    .updateTable('tasks')
    .set({ candidate_group: 'nobody' })
    .where('workflow_id', '=', running.workflowId)
    .execute();
  const [projected] = await tasksOfCase(db, running.workflowId);
  await projectTasks(db, [{ ...projected, task_id: 'stray-9', version: 1 }]);

  const query = `TaskQueue = '${h.taskQueue}'`;
  // Visibility is eventually consistent: wait until the listing has both cases.
  const report = await eventually('both cases in the listing', async () => {
    const attempt = await rebuildProjection({ client: h.client, db, query });
    return attempt.cases === 2 ? attempt : undefined;
  });
  t.deepEqual(report.failures, []);

  const runningRows = await tasksOfCase(db, running.workflowId);
  t.deepEqual(
    runningRows.map((row) => [row.kind, row.status, row.candidate_group, row.outcome]),
    [
      [TaskKind.CenterReview, 'open', 'center-1:reviewers', null],
      [TaskKind.StationReview, 'done', 'station-a:reviewers', 'approve'],
    ],
  );
  const closedRows = await tasksOfCase(db, closed.workflowId);
  t.deepEqual(
    closedRows.map((row) => [row.kind, row.status, row.stage]),
    [[TaskKind.StationReview, 'cancelled', 'cancelled']],
  );
  t.truthy(closedRows[0].closed_at);
});

test.serial('a case whose state cannot be read is reported by name and its rows are left alone', async (t) => {
  const h = t.context;
  const handle = await h.start(applicationFor(Level.Primary));
  await waitForTask(handle, TaskKind.StationReview);
  await h.stopWorker();
  t.teardown(() => h.restartWorker());
  const before = await tasksOfCase(h.deps.db, handle.workflowId);
  const report = await rebuildProjection({
    client: h.client,
    db: h.deps.db,
    query: `WorkflowId = '${handle.workflowId}'`,
    queryTimeoutMs: 1500,
    language: 'en',
  });
  t.is(report.cases, 0);
  t.deepEqual(
    report.failures.map((failure) => failure.workflowId),
    [handle.workflowId],
  );
  t.regex(report.failures[0].reason, /worker running/);
  const inChinese = await rebuildProjection({
    client: h.client,
    db: h.deps.db,
    query: `WorkflowId = '${handle.workflowId}'`,
    queryTimeoutMs: 1500,
  });
  t.is(
    inChinese.failures[0].reason,
    '1.5 秒内无应答：请确认工作进程（worker）正在运行（npm start 或 npm run worker）。',
  );
  t.deepEqual(await tasksOfCase(h.deps.db, handle.workflowId), before);
});
