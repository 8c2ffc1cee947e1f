import {
  Decision,
  RefusalType,
  returnTask,
  Stage,
  TaskKind,
  TaskStatus,
  type Actor,
} from '../../workflows/definitions';
import { actors } from '../helpers/actors';
import { applicationFor, applicationNeedingTraining, ineligibleApplication } from '../helpers/applications';
import {
  approve,
  candidateNotices,
  driveTo,
  noticesFor,
  refused,
  reject,
  sendBack,
  waitForTask,
} from '../helpers/cases';
import { stateOf } from '../helpers/harness';
import { testWithHarness } from '../helpers/harnessTests';
import { Level } from '../../domain/levels';

const test = testWithHarness({ flavour: 'time-skipping' });

// ---- Eligibility ----

test.serial('an ineligible application closes with every unmet condition explained', async (t) => {
  const h = t.context;
  const application = ineligibleApplication();
  const handle = await h.start(application);
  const result = await handle.result();

  t.is(result.stage, Stage.Ineligible);
  t.is(result.outcome?.reason, 'No eligibility condition of the level is met.');
  t.deepEqual(result.tasks, [], 'nobody is asked to review an ineligible application');
  const eligibility = result.eligibility!;
  t.false(eligibility.eligible);
  t.is(eligibility.level, Level.Intermediate);
  t.deepEqual(
    eligibility.lines.map((line) => [line.id, line.met]),
    [
      ['intermediate.primary-certificate', false],
      ['intermediate.school-graduate', false],
    ],
  );
  const evidence = eligibility.lines.flatMap((line) => line.conditions.map((c) => [c.id, c.met, c.evidence]));
  t.deepEqual(evidence, [
    ['holds-level-5-certificate', false, 'holds no level 5 certificate in baker'],
    ['continuous-work', false, 'employer certifies 1 year of continuous work'],
    ['technical-or-approved-school', false, 'no school graduation declared'],
  ]);

  const notices = await noticesFor(h, application.applicationNumber);
  t.deepEqual(candidateNotices(notices), ['case-closed']);
  const closed = notices.find((notice) => notice.kind === 'case-closed')!;
  t.regex(closed.body, /Current stage: Ineligible/);
  t.regex(closed.body_zh, /当前环节：不符合申报条件/);
  t.regex(closed.body, /Reason: No eligibility condition of the level is met\./);
  t.regex(closed.body_zh, /不符合该等级的任何申报条件。/, 'the Chinese notice gives the reason in Chinese');
  t.notRegex(closed.body_zh, /No eligibility/);
});

// ---- Training ----

test.serial('a new worker in an employment-access occupation trains before the exam', async (t) => {
  const h = t.context;
  const handle = await h.start(applicationNeedingTraining());
  const task = await driveTo(handle, TaskKind.TrainingCompletion);

  t.is(task!.candidateGroup, 'training-1:trainers');
  t.is(task!.supervisingGroup, 'training-1:supervisors');
  const before = await stateOf(handle);
  t.is(before.stage, Stage.Training);
  t.true(before.trainingRequired);
  t.truthy(before.ticket, 'the admission ticket is issued before training');

  await approve(handle, TaskKind.TrainingCompletion, actors.trainer, 'completed 12 months of welding practice');
  await waitForTask(handle, TaskKind.ExamScores);
  t.is((await stateOf(handle)).stage, Stage.Examination);
  await driveTo(handle);
  t.is((await handle.result()).stage, Stage.Issued);
});

test.serial(
  'a new worker who hands in a training completion certificate goes from the ticket straight to the exam',
  async (t) => {
    const needing = applicationNeedingTraining();
    const trained = {
      ...needing,
      documents: [...needing.documents, { kind: 'training-completion' as const, reference: 'register/training.pdf' }],
    };
    const handle = await t.context.start(trained);
    await driveTo(handle, TaskKind.ExamScores);

    const view = await stateOf(handle);
    t.is(view.stage, Stage.Examination);
    t.false(view.trainingRequired);
    t.truthy(view.ticket);
    t.false(
      view.tasks.some((task) => task.kind === TaskKind.TrainingCompletion),
      'nobody is asked to report a training the certificate shows done',
    );
    await driveTo(handle);
    t.is((await handle.result()).stage, Stage.Issued);
  },
);

test.serial('training reported as not completed fails the case', async (t) => {
  const h = t.context;
  const handle = await h.start(applicationNeedingTraining());
  await driveTo(handle, TaskKind.TrainingCompletion);
  await reject(handle, TaskKind.TrainingCompletion, actors.trainer, 'attended 3 of 12 months');
  const result = await handle.result();

  t.is(result.stage, Stage.Failed);
  t.is(result.outcome?.reason, 'attended 3 of 12 months');
  t.is(result.outcome?.by, actors.trainer.id);
  t.false(result.tasks.some((task) => task.kind === TaskKind.ExamScores));
});

test.serial('an application that needs no training goes straight from the ticket to the exam', async (t) => {
  const handle = await t.context.start(applicationFor(Level.Primary));
  await driveTo(handle, TaskKind.ExamScores);
  const view = await stateOf(handle);
  t.false(view.trainingRequired);
  t.false(view.tasks.some((task) => task.kind === TaskKind.TrainingCompletion));
  await driveTo(handle);
});

// ---- Rejections ----

const rejectedAt = test.macro({
  async exec(t, kind: TaskKind, actor: Actor, stage: Stage) {
    const h = t.context;
    const application = applicationFor(Level.Advanced);
    const handle = await h.start(application);
    await driveTo(handle, kind);
    t.is((await stateOf(handle)).stage, stage);
    const reason = `Rejected at ${kind}: the work-experience certificate is not signed by the employer.`;
    await reject(handle, kind, actor, `  ${reason}  `);
    const result = await handle.result();

    t.is(result.stage, Stage.Rejected);
    t.deepEqual(result.outcome && { reason: result.outcome.reason, by: result.outcome.by }, { reason, by: actor.id });
    const decided = result.tasks.find((task) => task.kind === kind)!;
    t.is(decided.outcome?.decision, Decision.Reject);
    t.true(
      result.tasks.every((task) => task.status === TaskStatus.Done),
      'no task is left open',
    );
    t.is(result.certificate, undefined);

    const notices = await noticesFor(h, application.applicationNumber);
    const closed = notices.filter((notice) => notice.kind === 'case-closed');
    t.is(closed.length, 1);
    t.true(closed[0].body.includes(`Reason: ${reason}`));
  },
  title: (_, kind: TaskKind) => `a rejection at the ${kind} step ends the case as rejected with its reason`,
});

test.serial(rejectedAt, TaskKind.StationReview, actors.stationReviewer, Stage.StationReview);
test.serial(rejectedAt, TaskKind.CenterReview, actors.centerReviewer, Stage.CenterReview);
test.serial(rejectedAt, TaskKind.ResultStationSummary, actors.stationReviewer, Stage.ResultApproval);
test.serial(rejectedAt, TaskKind.ResultCenterApproval, actors.centerReviewer, Stage.ResultApproval);
test.serial(rejectedAt, TaskKind.ResultDepartmentApproval, actors.departmentApprover, Stage.ResultApproval);

// ---- Returns ----

const returnedTo = test.macro({
  async exec(t, kind: TaskKind, actor: Actor, reopened: TaskKind, stage: Stage) {
    const h = t.context;
    const handle = await h.start(applicationFor(Level.Primary));
    const returning = await driveTo(handle, kind);
    const earlier = (await stateOf(handle)).tasks.find((task) => task.kind === reopened)!;
    t.is(earlier.status, TaskStatus.Done);

    await sendBack(handle, kind, actor, '  The list misses the skills scores sheet.  ');
    const fresh = await waitForTask(handle, reopened);
    const view = await stateOf(handle);

    t.not(fresh.id, earlier.id, 'the level below decides again on a new task');
    t.false(view.closed);
    t.is(view.stage, stage);
    const returned = view.tasks.find((task) => task.id === returning!.id)!;
    t.is(returned.status, TaskStatus.Done);
    t.is(returned.outcome?.decision, Decision.Return);
    t.is(returned.outcome?.comment, 'The list misses the skills scores sheet.');
    t.is(returned.outcome?.by, actor.id);
    t.is(view.tasks.find((task) => task.id === earlier.id)?.outcome?.decision, Decision.Approve, 'history is kept');
    t.is(view.tasks.filter((task) => task.status === TaskStatus.Open).length, 1);

    // The chain climbs again from the reopened level, through the level that returned it.
    await driveTo(handle, kind);
    await driveTo(handle);
    const result = await handle.result();
    t.is(result.stage, Stage.Issued);
    t.is(result.tasks.filter((task) => task.kind === kind).length, 2);
  },
  title: (_, kind: TaskKind, _actor: Actor, reopened: TaskKind) =>
    `a return from the ${kind} step reopens the ${reopened} step`,
});

test.serial(returnedTo, TaskKind.CenterReview, actors.centerReviewer, TaskKind.StationReview, Stage.StationReview);
test.serial(
  returnedTo,
  TaskKind.ResultCenterApproval,
  actors.centerReviewer,
  TaskKind.ResultStationSummary,
  Stage.ResultApproval,
);
test.serial(
  returnedTo,
  TaskKind.ResultDepartmentApproval,
  actors.departmentApprover,
  TaskKind.ResultCenterApproval,
  Stage.ResultApproval,
);

const cannotReturn = test.macro({
  async exec(t, kind: TaskKind, actor: Actor) {
    const handle = await t.context.start(applicationFor(Level.Primary));
    const task = await driveTo(handle, kind);
    const before = await stateOf(handle);
    await refused(
      t,
      handle.executeUpdate(returnTask, { args: [{ taskId: task!.id, actor, reason: 'please look again' }] }),
      RefusalType.InvalidInput,
      { key: 'refusals:decision.notTaken.return', values: { task: kind, taskId: task!.id } },
    );
    t.deepEqual(await stateOf(handle), before);
    await driveTo(handle);
  },
  title: (_, kind: TaskKind) => `the ${kind} step, the lowest level, cannot return the case`,
});

test.serial(cannotReturn, TaskKind.StationReview, actors.stationReviewer);
test.serial(cannotReturn, TaskKind.ResultStationSummary, actors.stationReviewer);
