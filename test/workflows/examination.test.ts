import { addDays } from '../../domain/dates';
import { Level } from '../../domain/levels';
import { DEFAULT_RESIT_WINDOW_DAYS, Grade, type ExamPart } from '../../domain/scores';
import { formatDate } from '../../i18n';
import {
  disqualifyCandidate,
  RefusalType,
  Stage,
  submitScores,
  TaskKind,
  TaskStatus,
} from '../../workflows/definitions';
import { actors } from '../helpers/actors';
import { applicationFor } from '../helpers/applications';
import {
  aboutTask,
  cancelByAdministrator,
  candidateNotices,
  driveTo,
  noticesFor,
  refused,
  score,
  skipTo,
  waitForState,
  waitForTask,
} from '../helpers/cases';
import { stateOf, type Harness } from '../helpers/harness';
import { testWithHarness } from '../helpers/harnessTests';

const test = testWithHarness({ flavour: 'time-skipping' });

const HOUR = 3_600_000;

/** A level 5 case whose exam scores are being marked. */
async function atTheExam(h: Harness) {
  const application = applicationFor(Level.Primary);
  const handle = await h.start(application);
  const task = await driveTo(handle, TaskKind.ExamScores);
  return { application, handle, task: task! };
}

const passesWithGrade = test.macro({
  async exec(t, knowledge: number, skills: number, grade: Grade) {
    const h = t.context;
    const { application, handle } = await atTheExam(h);
    await score(handle, TaskKind.ExamScores, { knowledge, skills });
    await waitForTask(handle, TaskKind.ResultStationSummary);
    const view = await stateOf(handle);

    t.is(view.stage, Stage.ResultApproval);
    t.deepEqual(view.exam?.scores, { knowledge, skills });
    t.deepEqual(view.exam?.outcome, { passed: true, grade, failedParts: [], resitAllowed: false });
    t.is(view.exam?.resit, undefined);
    t.deepEqual(candidateNotices(await noticesFor(h, application.applicationNumber)), [
      'admission-ticket',
      'exam-results',
    ]);
    await cancelByAdministrator(handle);
  },
  title: (_, knowledge: number, skills: number, grade: Grade) =>
    `scores of ${knowledge} and ${skills} pass the exam with the grade ${grade}`,
});

test.serial(passesWithGrade, 82, 90, Grade.Good);
test.serial(passesWithGrade, 80, 80, Grade.Good);
test.serial(passesWithGrade, 94.9, 100, Grade.Good);
test.serial(passesWithGrade, 95, 99.5, Grade.Excellent);
test.serial(passesWithGrade, 60, 79.9, Grade.Pass);

const opensResit = test.macro({
  async exec(t, knowledge: number, skills: number, failed: ExamPart) {
    const h = t.context;
    const { application, handle } = await atTheExam(h);
    const examDate = (await stateOf(handle)).exam!.examDate;
    await score(handle, TaskKind.ExamScores, { knowledge, skills });
    const resit = await waitForTask(handle, TaskKind.ResitScores);
    const view = await stateOf(handle);

    t.is(view.stage, Stage.Resit);
    t.deepEqual(view.exam?.outcome, { passed: false, grade: Grade.Fail, failedParts: [failed], resitAllowed: true });
    // The window runs from the exam, not from the day the scores were entered.
    const deadline = addDays(examDate, DEFAULT_RESIT_WINDOW_DAYS);
    t.deepEqual(view.exam?.resit, { part: failed, deadline });
    t.is(resit.dueAt, new Date(`${deadline}T23:59:59.999+08:00`).toISOString());
    t.is(resit.candidateGroup, 'station-a:examiners');
    t.deepEqual(candidateNotices(await noticesFor(h, application.applicationNumber)), [
      'admission-ticket',
      'exam-results',
    ]);
    await cancelByAdministrator(handle);
  },
  title: (_, knowledge: number, skills: number, failed: ExamPart) =>
    `scores of ${knowledge} and ${skills} open a re-sit of the ${failed} part`,
});

test.serial(opensResit, 82, 59.9, 'skills');
test.serial(opensResit, 40, 100, 'knowledge');

test.serial('a passed re-sit replaces the failed part and the case goes on to result approval', async (t) => {
  const h = t.context;
  const { application, handle } = await atTheExam(h);
  await score(handle, TaskKind.ExamScores, { knowledge: 82, skills: 55 });
  await score(handle, TaskKind.ResitScores, { skills: 75 });
  await waitForTask(handle, TaskKind.ResultStationSummary);
  const view = await stateOf(handle);

  t.is(view.stage, Stage.ResultApproval);
  t.deepEqual(view.exam?.scores, { knowledge: 82, skills: 75 });
  t.deepEqual(view.exam?.outcome, { passed: true, grade: Grade.Pass, failedParts: [], resitAllowed: false });
  t.is(view.exam?.resit?.score, 75);
  t.deepEqual(candidateNotices(await noticesFor(h, application.applicationNumber)), [
    'admission-ticket',
    'exam-results',
    'exam-results',
  ]);
  await driveTo(handle);
  t.is((await handle.result()).stage, Stage.Issued);
});

test.serial('a failed re-sit fails the case', async (t) => {
  const h = t.context;
  const { application, handle } = await atTheExam(h);
  await score(handle, TaskKind.ExamScores, { knowledge: 45, skills: 90 });
  await score(handle, TaskKind.ResitScores, { knowledge: 59 });
  const result = await handle.result();

  t.is(result.stage, Stage.Failed);
  t.is(result.outcome?.reason, 'The re-sit of the knowledge part was failed.');
  t.deepEqual(result.exam?.scores, { knowledge: 59, skills: 90 });
  t.false(result.tasks.some((task) => task.kind === TaskKind.ResultStationSummary));
  const notices = await noticesFor(h, application.applicationNumber);
  t.deepEqual(candidateNotices(notices), ['admission-ticket', 'exam-results', 'exam-results', 'case-closed']);
  t.true(notices.at(-1)!.body.includes('Reason: The re-sit of the knowledge part was failed.'));
});

test.serial('only the failed part may be scored at the re-sit', async (t) => {
  const { handle } = await atTheExam(t.context);
  await score(handle, TaskKind.ExamScores, { knowledge: 82, skills: 55 });
  const resit = await waitForTask(handle, TaskKind.ResitScores);
  const before = await stateOf(handle);
  const submit = (scores: { knowledge?: number; skills?: number }) =>
    handle.executeUpdate(submitScores, { args: [{ taskId: resit.id, actor: actors.stationExaminer, ...scores }] });

  await refused(
    t,
    submit({ knowledge: 90 }),
    RefusalType.InvalidInput,
    /^knowledge: only the failed part \(skills\) may be re-sat\.$/,
  );
  await refused(
    t,
    submit({ knowledge: 90, skills: 70 }),
    RefusalType.InvalidInput,
    /^knowledge: only the failed part \(skills\) may be re-sat\.$/,
  );
  await refused(t, submit({}), RefusalType.InvalidInput, /^skills: a score is required\.$/);
  t.deepEqual(await stateOf(handle), before);
  await cancelByAdministrator(handle);
});

test.serial('failing both parts fails the case without a re-sit', async (t) => {
  const h = t.context;
  const { handle } = await atTheExam(h);
  await score(handle, TaskKind.ExamScores, { knowledge: 30, skills: 59.9 });
  const result = await handle.result();

  t.is(result.stage, Stage.Failed);
  t.is(result.outcome?.reason, 'Both parts of the examination were failed.');
  t.deepEqual(result.exam?.outcome?.failedParts, ['knowledge', 'skills']);
  t.false(result.exam!.outcome!.resitAllowed);
  t.is(result.exam?.resit, undefined);
  t.false(result.tasks.some((task) => task.kind === TaskKind.ResitScores));
});

test.serial('the re-sit window closes a year after the exam and the case fails', async (t) => {
  const h = t.context;
  const { application, handle } = await atTheExam(h);
  await score(handle, TaskKind.ExamScores, { knowledge: 82, skills: 55 });
  const resit = await waitForTask(handle, TaskKind.ResitScores);
  const { deadline } = (await stateOf(handle)).exam!.resit!;
  const closesAt = new Date(resit.dueAt);

  await skipTo(h, closesAt, -HOUR);
  const almost = await stateOf(handle);
  t.is(almost.stage, Stage.Resit, 'the window is still open an hour before it closes');
  t.is(almost.tasks.find((task) => task.id === resit.id)?.status, TaskStatus.Open);

  await skipTo(h, closesAt, HOUR);
  const result = await handle.result();
  t.is(result.stage, Stage.Failed);
  t.is(result.outcome?.reason, `The re-sit window for the skills part closed on ${deadline}.`);
  t.is(result.tasks.find((task) => task.id === resit.id)?.status, TaskStatus.Cancelled);
  t.true(result.history.some((event) => event.type === 'task-expired' && event.taskId === resit.id));
  const notices = await noticesFor(h, application.applicationNumber);
  t.deepEqual(candidateNotices(notices), ['admission-ticket', 'exam-results', 'case-closed']);
  // The notice writes the day as its reader writes dates.
  t.true(
    notices
      .at(-1)!
      .body.includes(`Reason: The re-sit window for the skills part closed on ${formatDate(deadline, 'en')}.`),
  );
  // The examiners were reminded before the window closed; nothing is sent about the task once it has expired.
  t.deepEqual(
    aboutTask(notices, resit).map((notice) => notice.kind),
    ['task-opened', 'task-reminder'],
  );
});

const disqualifiedAt = test.macro({
  async exec(t, kind: TaskKind.ExamScores | TaskKind.ResitScores) {
    const h = t.context;
    const { application, handle } = await atTheExam(h);
    if (kind === TaskKind.ResitScores) await score(handle, TaskKind.ExamScores, { knowledge: 82, skills: 55 });
    const task = await waitForTask(handle, kind);
    const reason = 'Used a phone during the written part.';
    await handle.executeUpdate(disqualifyCandidate, {
      args: [{ taskId: task.id, actor: actors.stationExaminer, reason }],
    });
    const result = await handle.result();

    t.is(result.stage, Stage.Disqualified);
    t.deepEqual(result.exam?.scores, { knowledge: 0, skills: 0 });
    t.deepEqual(result.exam?.disqualified, { reason, by: actors.stationExaminer.id });
    t.deepEqual(result.outcome && [result.outcome.reason, result.outcome.by], [reason, actors.stationExaminer.id]);
    const notices = await noticesFor(h, application.applicationNumber);
    t.is(notices.at(-1)?.kind, 'case-closed');
    t.true(notices.at(-1)!.body.includes(`Reason: ${reason}`));
  },
  title: (_, kind: TaskKind) => `cheating found at the ${kind} step disqualifies the candidate with scores of 0`,
});

test.serial(disqualifiedAt, TaskKind.ExamScores);
test.serial(disqualifiedAt, TaskKind.ResitScores);

test.serial('disqualification needs a reason', async (t) => {
  const { handle, task } = await atTheExam(t.context);
  const before = await stateOf(handle);
  await refused(
    t,
    handle.executeUpdate(disqualifyCandidate, {
      args: [{ taskId: task.id, actor: actors.stationExaminer, reason: ' ' }],
    }),
    RefusalType.InvalidInput,
    /^reason: a reason is required\.$/,
  );
  t.deepEqual(await stateOf(handle), before);
  await waitForState(handle, 'the exam still open', (view) => view.stage === Stage.Examination);
  await cancelByAdministrator(handle);
});
