import anyTest, { type TestFn } from 'ava';
import { Level } from '../../domain/levels';
import { approveTask, Stage, submitScores, TaskKind, TaskStatus, type CaseView } from '../../workflows/definitions';
import { actors } from '../helpers/actors';
import { applicationFor } from '../helpers/applications';
import { createHarness, stateOf, type Harness } from '../helpers/harness';

const test = anyTest as TestFn<Harness>;

test.before(async (t) => {
  t.context = await createHarness({ flavour: 'time-skipping' });
});
test.after.always(async (t) => {
  await t.context?.teardown();
});

const openTask = (view: CaseView, kind: TaskKind) =>
  view.tasks.find((task) => task.kind === kind && task.status === TaskStatus.Open);

async function waitForTask(h: Harness, handle: Awaited<ReturnType<Harness['start']>>, kind: TaskKind) {
  for (let i = 0; i < 200; i++) {
    const task = openTask(await stateOf(handle), kind);
    if (task) return task;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no open ${kind} task`);
}

test.serial('a level 5 application goes from intake to a handed-over certificate', async (t) => {
  const h = t.context;
  const handle = await h.start(applicationFor(Level.Primary));
  const approve = async (kind: TaskKind, actor: (typeof actors)[keyof typeof actors]) => {
    const task = await waitForTask(h, handle, kind);
    await handle.executeUpdate(approveTask, { args: [{ taskId: task.id, actor, comment: 'ok' }] });
  };
  await approve(TaskKind.StationReview, actors.stationReviewer);
  await approve(TaskKind.CenterReview, actors.centerReviewer);
  const exam = await waitForTask(h, handle, TaskKind.ExamScores);
  await handle.executeUpdate(submitScores, { args: [{ taskId: exam.id, actor: actors.stationExaminer, knowledge: 82, skills: 90 }] });
  await approve(TaskKind.ResultStationSummary, actors.stationReviewer);
  await approve(TaskKind.ResultCenterApproval, actors.centerReviewer);
  await approve(TaskKind.ResultDepartmentApproval, actors.departmentApprover);
  await approve(TaskKind.CertificatePrint, actors.departmentApprover);
  await approve(TaskKind.CertificateHandover, actors.stationClerk);
  const result = await handle.result();
  t.is(result.stage, Stage.Issued);
  t.regex(result.certificate!.number, /^S0000440000012\d5000001$/);
});
