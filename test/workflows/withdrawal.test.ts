import { Level } from '../../domain/levels';
import {
  type Actor,
  cancelCase,
  RefusalType,
  Stage,
  TaskKind,
  TaskStatus,
  withdrawApplication,
} from '../../workflows/definitions';
import { actors } from '../helpers/actors';
import { applicationFor, applicationNeedingTraining } from '../helpers/applications';
import { candidateNotices, driveTo, noticesFor, refused, waitForTask } from '../helpers/cases';
import { stateOf } from '../helpers/harness';
import { testWithHarness } from '../helpers/harnessTests';

const test = testWithHarness({ flavour: 'time-skipping' });

const REASON = 'The candidate moved to another province.';

const withdrawnAt = test.macro<[TaskKind, Actor, boolean?]>({
  async exec(t, kind, actor, training = false) {
    const h = t.context;
    const application = training ? applicationNeedingTraining() : applicationFor(Level.Technician);
    const handle = await h.start(application);
    const open = (await driveTo(handle, kind))!;
    const stage = (await stateOf(handle)).stage;

    const answer = await handle.executeUpdate(withdrawApplication, { args: [{ actor, reason: `  ${REASON} ` }] });
    t.is(answer.stage, Stage.Withdrawn, 'the update answers with the closed case');
    const result = await handle.result();

    t.is(result.stage, Stage.Withdrawn);
    t.true(result.closed);
    t.deepEqual(result.outcome && [result.outcome.reason, result.outcome.by], [REASON, actor.id]);
    t.is(result.tasks.find((task) => task.id === open.id)?.status, TaskStatus.Cancelled, 'the open task is cancelled');
    t.deepEqual(
      result.tasks.filter((task) => task.status === TaskStatus.Open),
      [],
    );
    t.true(result.history.some((event) => event.type === 'closed:withdrawn' && event.by === actor.id));
    const closedAt = result.history.findIndex((event) => event.type === 'closed:withdrawn');
    t.deepEqual(
      result.history.slice(closedAt).filter((event) => event.type.startsWith('stage:')),
      [],
      `the story stops in ${stage}`,
    );
    const notices = await noticesFor(h, application.applicationNumber);
    t.is(candidateNotices(notices).at(-1), 'case-closed');
    t.true(notices.at(-1)!.body.includes(`Reason: ${REASON}`));
  },
  title: (_, kind, actor) => `${actor.id} may withdraw an application at the ${kind} step`,
});

test.serial(withdrawnAt, TaskKind.StationReview, actors.stationClerk);
test.serial(withdrawnAt, TaskKind.TrainingCompletion, actors.stationSupervisor, true);
test.serial(withdrawnAt, TaskKind.ExamScores, actors.stationClerk);
test.serial(withdrawnAt, TaskKind.ComprehensiveReview, actors.administrator);
test.serial(withdrawnAt, TaskKind.CertificatePrint, actors.stationClerk);
test.serial(withdrawnAt, TaskKind.CertificateHandover, actors.stationClerk);

test.serial('only the receiving station may withdraw an application, and only with a reason', async (t) => {
  const handle = await t.context.start(applicationFor(Level.Primary));
  await waitForTask(handle, TaskKind.StationReview);
  const before = await stateOf(handle);
  const withdraw = (actor: Actor, reason: string) =>
    handle.executeUpdate(withdrawApplication, { args: [{ actor, reason }] });
  const notStation = /^Only the receiving station \(station-a\) may withdraw this application\.$/;

  await refused(t, withdraw(actors.otherStationClerk, REASON), RefusalType.Forbidden, notStation);
  await refused(t, withdraw(actors.centerReviewer, REASON), RefusalType.Forbidden, notStation);
  await refused(t, withdraw(actors.stationReviewer, REASON), RefusalType.Forbidden, notStation);
  await refused(t, withdraw(actors.stationClerk, ''), RefusalType.InvalidInput, /^reason: a reason is required\.$/);
  t.deepEqual(await stateOf(handle), before);

  await withdraw(actors.stationClerk, REASON);
  t.is((await handle.result()).stage, Stage.Withdrawn);
});

test.serial('an administrator may cancel a case', async (t) => {
  const h = t.context;
  const application = applicationFor(Level.Primary);
  const handle = await h.start(application);
  const open = (await driveTo(handle, TaskKind.ResultCenterApproval))!;
  const reason = 'Entered twice; the other case goes on.';
  await handle.executeUpdate(cancelCase, { args: [{ actor: actors.administrator, reason }] });
  const result = await handle.result();

  t.is(result.stage, Stage.Cancelled);
  t.deepEqual(result.outcome && [result.outcome.reason, result.outcome.by], [reason, actors.administrator.id]);
  t.is(result.tasks.find((task) => task.id === open.id)?.status, TaskStatus.Cancelled);
  const notices = await noticesFor(h, application.applicationNumber);
  t.is(notices.at(-1)?.kind, 'case-closed');
  t.true(notices.at(-1)!.body.includes('Current stage: Cancelled'));
  t.true(notices.at(-1)!.body_zh.includes('当前环节：已撤销'));
});

test.serial('nobody but an administrator may cancel a case', async (t) => {
  const handle = await t.context.start(applicationFor(Level.Primary));
  await waitForTask(handle, TaskKind.StationReview);
  const before = await stateOf(handle);
  const cancel = (actor: Actor, reason: string) => handle.executeUpdate(cancelCase, { args: [{ actor, reason }] });
  const onlyAdministrators = /^Only administrators may cancel a case\.$/;

  for (const actor of [
    actors.stationSupervisor,
    actors.centerSupervisor,
    actors.stationClerk,
    actors.departmentApprover,
  ]) {
    await refused(t, cancel(actor, 'Duplicate.'), RefusalType.Forbidden, onlyAdministrators);
  }
  await refused(t, cancel(actors.administrator, ' '), RefusalType.InvalidInput, /^reason: a reason is required\.$/);
  t.deepEqual(await stateOf(handle), before);
  await cancel(actors.administrator, 'The test is over.');
  t.is((await handle.result()).stage, Stage.Cancelled);
});
