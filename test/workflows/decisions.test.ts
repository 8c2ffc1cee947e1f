import { WorkflowNotFoundError } from '@temporalio/client';
import { Level } from '../../domain/levels';
import type { Message } from '../../domain/messages';
import {
  approveTask,
  type CaseView,
  claimTask,
  getState,
  reassignTask,
  RefusalType,
  rejectTask,
  releaseTask,
  returnTask,
  Stage,
  submitScores,
  TaskKind,
  TaskStatus,
} from '../../workflows/definitions';
import { actors } from '../helpers/actors';
import { applicationFor } from '../helpers/applications';
import {
  approve,
  cancelByAdministrator,
  type CaseHandle,
  driveTo,
  refused,
  reject,
  waitForTask,
} from '../helpers/cases';
import { stateOf } from '../helpers/harness';
import { testWithHarness } from '../helpers/harnessTests';

const test = testWithHarness({ flavour: 'time-skipping' });

// ---- Refused decisions: each names what is wrong, and the case is as it was ----

/** The update to try on a case whose task `taskId` is open; `view` is the case just before. */
type Attempt = (handle: CaseHandle, taskId: string, view: CaseView) => Promise<CaseView>;

/** Brings a new case to the step `at` (then lets `prepare` act on it), tries the update and expects a refusal. */
const isRefused = test.macro<[TaskKind, Attempt, RefusalType, RegExp | Message, Attempt?]>(
  async (t, at, attempt, type, message, prepare) => {
    const handle = await t.context.start(applicationFor(Level.Primary));
    const task = await driveTo(handle, at);
    if (prepare) await prepare(handle, task!.id, await stateOf(handle));
    const before = await stateOf(handle);
    await refused(t, attempt(handle, task!.id, before), type, message);
    t.deepEqual(await stateOf(handle), before, 'the case is unchanged');
    await cancelByAdministrator(handle);
  },
);

const scores =
  (knowledge: unknown, skills: unknown): Attempt =>
  (handle, taskId) =>
    handle.executeUpdate(submitScores, {
      args: [{ taskId, actor: actors.stationExaminer, knowledge: knowledge as number, skills: skills as number }],
    });

test.serial(
  'a score above 100 is refused',
  isRefused,
  TaskKind.ExamScores,
  scores(101, 80),
  RefusalType.InvalidInput,
  /^knowledge: must be between 0 and 100\.$/,
);
test.serial('a negative score is refused', isRefused, TaskKind.ExamScores, scores(80, -1), RefusalType.InvalidInput, {
  key: 'refusals:scores.outOfRange',
  values: { field: 'skills' },
});
test.serial(
  'a score that is not a number is refused',
  isRefused,
  TaskKind.ExamScores,
  scores('abc', 80),
  RefusalType.InvalidInput,
  { key: 'refusals:scores.notANumber', values: { field: 'knowledge' } },
);
test.serial(
  'a score with two decimals is refused',
  isRefused,
  TaskKind.ExamScores,
  scores(70, 60.55),
  RefusalType.InvalidInput,
  { key: 'refusals:scores.tooPrecise', values: { field: 'skills' } },
);
test.serial(
  'scores without the skills part are refused',
  isRefused,
  TaskKind.ExamScores,
  scores(70, undefined),
  RefusalType.InvalidInput,
  { key: 'refusals:scores.required', values: { field: 'skills' } },
);
test.serial(
  'scores are refused on a review task',
  isRefused,
  TaskKind.StationReview,
  (handle, taskId) =>
    handle.executeUpdate(submitScores, {
      args: [{ taskId, actor: actors.stationReviewer, knowledge: 90, skills: 90 }],
    }),
  RefusalType.InvalidInput,
  { key: 'refusals:decision.notTaken.scores', values: { task: TaskKind.StationReview } },
);
test.serial(
  'an approval is refused on the exam-scores task',
  isRefused,
  TaskKind.ExamScores,
  (handle, taskId) => handle.executeUpdate(approveTask, { args: [{ taskId, actor: actors.stationExaminer }] }),
  RefusalType.InvalidInput,
  { key: 'refusals:decision.notTaken.approve', values: { task: TaskKind.ExamScores } },
);
test.serial(
  'a decision on a task already decided is refused',
  isRefused,
  TaskKind.CenterReview,
  (handle, _taskId, view) => {
    const decided = view.tasks.find((task) => task.kind === TaskKind.StationReview)!;
    return handle.executeUpdate(approveTask, { args: [{ taskId: decided.id, actor: actors.stationReviewer }] });
  },
  RefusalType.Closed,
  { key: 'refusals:task.closed.done', values: { task: TaskKind.StationReview } },
);
test.serial(
  'a decision on a task the case does not have is refused',
  isRefused,
  TaskKind.StationReview,
  (handle) =>
    handle.executeUpdate(approveTask, { args: [{ taskId: 'station-review-99', actor: actors.stationReviewer }] }),
  RefusalType.NotFound,
  /^Case STATION-A-[\w-]+ has no task station-review-99\.$/,
);
test.serial(
  'a decision by someone outside the task’s group is refused',
  isRefused,
  TaskKind.StationReview,
  (handle, taskId) => handle.executeUpdate(approveTask, { args: [{ taskId, actor: actors.otherStationReviewer }] }),
  RefusalType.Forbidden,
  /^zhao\.station-b-reviewer is not in station-a:reviewers, which handles task station-review\.$/,
);
test.serial(
  'a decision on a task claimed by a colleague is refused',
  isRefused,
  TaskKind.StationReview,
  (handle, taskId) => handle.executeUpdate(approveTask, { args: [{ taskId, actor: actors.stationReviewer }] }),
  RefusalType.Forbidden,
  { key: 'refusals:task.claimedByOther', values: { task: TaskKind.StationReview, assignee: 'he.station-reviewer' } },
  (handle, taskId) => handle.executeUpdate(claimTask, { args: [{ taskId, actor: actors.secondStationReviewer }] }),
);
test.serial(
  'a rejection with an empty reason is refused',
  isRefused,
  TaskKind.CenterReview,
  (handle, taskId) =>
    handle.executeUpdate(rejectTask, { args: [{ taskId, actor: actors.centerReviewer, reason: '' }] }),
  RefusalType.InvalidInput,
  /^reason: a reason is required\.$/,
);
test.serial(
  'a rejection whose reason is only spaces is refused',
  isRefused,
  TaskKind.StationReview,
  (handle, taskId) =>
    handle.executeUpdate(rejectTask, { args: [{ taskId, actor: actors.stationReviewer, reason: ' \n\t ' }] }),
  RefusalType.InvalidInput,
  /^reason: a reason is required\.$/,
);
test.serial(
  'a return without a reason is refused',
  isRefused,
  TaskKind.ResultCenterApproval,
  (handle, taskId) =>
    handle.executeUpdate(returnTask, {
      args: [{ taskId, actor: actors.centerReviewer, reason: undefined as unknown as string }],
    }),
  RefusalType.InvalidInput,
  /^reason: a reason is required\.$/,
);
test.serial(
  'a return with an empty reason is refused',
  isRefused,
  TaskKind.ResultDepartmentApproval,
  (handle, taskId) =>
    handle.executeUpdate(returnTask, { args: [{ taskId, actor: actors.departmentApprover, reason: '   ' }] }),
  RefusalType.InvalidInput,
  /^reason: a reason is required\.$/,
);
test.serial(
  'a reason longer than 2000 characters is refused',
  isRefused,
  TaskKind.StationReview,
  (handle, taskId) =>
    handle.executeUpdate(rejectTask, { args: [{ taskId, actor: actors.stationReviewer, reason: 'x'.repeat(2001) }] }),
  RefusalType.InvalidInput,
  /^reason: at most 2000 characters\.$/,
);

test.serial('one person may not decide at two approval levels of a case', async (t) => {
  const handle = await t.context.start(applicationFor(Level.Primary));
  const stationReview = await waitForTask(handle, TaskKind.StationReview);
  await approve(handle, TaskKind.StationReview, actors.doubleHatted);
  const centerReview = await waitForTask(handle, TaskKind.CenterReview);
  const before = await stateOf(handle);
  // Named by the task decided at the other level: the edge shows its label, the log its code.
  const fourEyes = {
    key: 'refusals:case.fourEyes',
    values: { actor: 'ma.double', task: TaskKind.StationReview, taskId: stationReview.id },
  };
  const args = [{ taskId: centerReview.id, actor: actors.doubleHatted, reason: 'Seen it before.' }] as [never];
  for (const update of [approveTask, rejectTask, returnTask]) {
    await refused(t, handle.executeUpdate(update, { args }), RefusalType.Forbidden, fourEyes);
  }
  t.deepEqual(await stateOf(handle), before);
  // Someone else at the center level may.
  await approve(handle, TaskKind.CenterReview, actors.centerReviewer);
  await cancelByAdministrator(handle);
});

test.serial('a decision on a finished case is refused and changes nothing', async (t) => {
  const handle = await t.context.start(applicationFor(Level.Primary));
  const task = await waitForTask(handle, TaskKind.StationReview);
  await reject(handle, TaskKind.StationReview, actors.stationReviewer, 'The photo is missing.');
  const finished = await handle.result();
  t.is(finished.stage, Stage.Rejected);

  // Nothing runs any more to hear a decision: the server itself refuses it.
  await t.throwsAsync(
    handle.executeUpdate(approveTask, { args: [{ taskId: task.id, actor: actors.stationReviewer }] }),
    { instanceOf: WorkflowNotFoundError, message: /not found|already completed/ },
  );
  await t.throwsAsync(cancelByAdministrator(handle), { instanceOf: WorkflowNotFoundError });
  t.deepEqual(await handle.query(getState), finished);
});

// ---- Claims ----

test.serial('a claimed task belongs to its assignee until released or reassigned by a supervisor', async (t) => {
  const handle = await t.context.start(applicationFor(Level.Primary));
  const task = await waitForTask(handle, TaskKind.StationReview);
  const cmd = (actor: typeof actors.stationReviewer) => ({ args: [{ taskId: task.id, actor }] as [never] });
  const assigneeOf = (view: CaseView) => view.tasks.find((x) => x.id === task.id)!.assignee;

  const claimed = await handle.executeUpdate(claimTask, cmd(actors.stationReviewer));
  t.is(assigneeOf(claimed), actors.stationReviewer.id);
  t.is(
    assigneeOf(await handle.executeUpdate(claimTask, cmd(actors.stationReviewer))),
    actors.stationReviewer.id,
    'a second claim by the assignee is harmless',
  );

  await refused(
    t,
    handle.executeUpdate(claimTask, cmd(actors.secondStationReviewer)),
    RefusalType.Conflict,
    /^Task station-review is already claimed by li\.station-reviewer\.$/,
  );
  await refused(
    t,
    handle.executeUpdate(claimTask, cmd(actors.otherStationReviewer)),
    RefusalType.Forbidden,
    /^zhao\.station-b-reviewer is not in station-a:reviewers/,
  );
  await refused(t, handle.executeUpdate(releaseTask, cmd(actors.secondStationReviewer)), RefusalType.Forbidden, {
    key: 'refusals:task.releaseForbidden',
    values: { assignee: 'li.station-reviewer', taskId: task.id },
  });
  await refused(
    t,
    handle.executeUpdate(reassignTask, {
      args: [{ taskId: task.id, actor: actors.stationReviewer, assignee: 'he.station-reviewer' }],
    }),
    RefusalType.Forbidden,
    { key: 'refusals:task.reassignForbidden', values: { supervisingGroup: 'station-a:supervisors', taskId: task.id } },
  );
  await refused(
    t,
    handle.executeUpdate(reassignTask, { args: [{ taskId: task.id, actor: actors.stationSupervisor, assignee: ' ' }] }),
    RefusalType.InvalidInput,
    /^assignee: name the person who takes the task over\.$/,
  );
  t.is(assigneeOf(await stateOf(handle)), actors.stationReviewer.id, 'the refusals changed nothing');

  const reassigned = await handle.executeUpdate(reassignTask, {
    args: [{ taskId: task.id, actor: actors.stationSupervisor, assignee: actors.secondStationReviewer.id }],
  });
  t.is(assigneeOf(reassigned), actors.secondStationReviewer.id);
  await refused(
    t,
    handle.executeUpdate(approveTask, cmd(actors.stationReviewer)),
    RefusalType.Forbidden,
    /^Task station-review is claimed by he\.station-reviewer; only they may decide it\.$/,
  );

  const decided = await approve(handle, TaskKind.StationReview, actors.secondStationReviewer, 'Documents complete.');
  const done = decided.tasks.find((x) => x.id === task.id)!;
  t.is(done.status, TaskStatus.Done);
  t.deepEqual([done.assignee, done.outcome?.by], [actors.secondStationReviewer.id, actors.secondStationReviewer.id]);
  t.deepEqual(
    decided.history.filter((event) => event.taskId === task.id).map((event) => [event.type, event.by]),
    [
      ['task-opened', undefined],
      ['task-claimed', actors.stationReviewer.id],
      ['task-claimed', actors.stationReviewer.id],
      ['task-reassigned', actors.stationSupervisor.id],
      ['task-approve', actors.secondStationReviewer.id],
    ],
  );
  await cancelByAdministrator(handle);
});

test.serial('a released task may be claimed by a colleague', async (t) => {
  const handle = await t.context.start(applicationFor(Level.Primary));
  const task = await waitForTask(handle, TaskKind.StationReview);
  const cmd = (actor: typeof actors.stationReviewer) => ({ args: [{ taskId: task.id, actor }] as [never] });

  await handle.executeUpdate(claimTask, cmd(actors.stationReviewer));
  const released = await handle.executeUpdate(releaseTask, cmd(actors.stationReviewer));
  t.is(released.tasks.find((x) => x.id === task.id)!.assignee, undefined);
  await refused(t, handle.executeUpdate(releaseTask, cmd(actors.stationReviewer)), RefusalType.Conflict, {
    key: 'refusals:task.notClaimed',
    values: { task: TaskKind.StationReview },
  });
  const claimed = await handle.executeUpdate(claimTask, cmd(actors.secondStationReviewer));
  t.is(claimed.tasks.find((x) => x.id === task.id)!.assignee, actors.secondStationReviewer.id);
  // A supervisor may take a claim back from whoever holds it.
  const freed = await handle.executeUpdate(releaseTask, cmd(actors.stationSupervisor));
  t.is(freed.tasks.find((x) => x.id === task.id)!.assignee, undefined);
  await cancelByAdministrator(handle);
});
