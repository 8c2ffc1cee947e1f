/**
 * Stopping the worker and the Temporal server in the middle of a case and starting both again from the same state
 * file: the case finishes with nothing lost (its decisions, its timers) and nothing repeated (notices, numbers).
 */
import { Level } from '../../domain/levels';
import { getState, Stage, TaskKind, TaskStatus } from '../../workflows/definitions';
import { actors } from '../helpers/actors';
import { applicationFor } from '../helpers/applications';
import { approve, driveTo, noticesFor, score, waitForTask } from '../helpers/cases';
import { testWithHarness } from '../helpers/harnessTests';

const test = testWithHarness({ flavour: 'dev-server' });

test.serial('a case survives a stop of worker and server and finishes with nothing lost or repeated', async (t) => {
  const h = t.context;
  const application = applicationFor(Level.Primary);
  const started = await h.start(application);
  await approve(started, TaskKind.StationReview, actors.stationReviewer, 'documents complete');
  const centerTask = await waitForTask(started, TaskKind.CenterReview);
  const before = await started.query(getState);

  await h.restartEverything();

  // A new client on the new server: the case must be there, exactly as it was.
  const handle = h.currentClient().workflow.getHandle(started.workflowId);
  const after = await handle.query(getState);
  t.deepEqual(after.tasks, before.tasks);
  t.is(after.stage, Stage.CenterReview);
  t.is(after.tasks.find((task) => task.id === centerTask.id)?.status, TaskStatus.Open);

  await approve(handle, TaskKind.CenterReview, actors.centerReviewer);
  await score(handle, TaskKind.ExamScores, { knowledge: 75, skills: 88 });
  await h.restartEverything();
  const again = h.currentClient().workflow.getHandle(started.workflowId);
  await driveTo(again);
  const final = await again.query(getState);

  t.is(final.stage, Stage.Issued);
  t.deepEqual(
    final.history.filter((event) => event.type === 'task-approve').map((event) => event.taskId),
    [
      'station-review-1',
      'center-review-2',
      'result-station-summary-4',
      'result-center-approval-5',
      'result-department-approval-6',
      'certificate-print-7',
      'certificate-handover-8',
    ],
  );
  const notices = await noticesFor(h, application.applicationNumber);
  t.is(new Set(notices.map((notice) => notice.key)).size, notices.length, 'no notice twice');
  t.is(notices.filter((notice) => notice.kind === 'task-opened').length, 8);
  const certificates = await h.deps.db
    .selectFrom('certificates')
    .selectAll()
    .where('application_number', '=', application.applicationNumber)
    .execute();
  t.is(certificates.length, 1);
  t.is(certificates[0].number, final.certificate!.number);
});
