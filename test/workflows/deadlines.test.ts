import type { ExecutionContext } from 'ava';
import { Level } from '../../domain/levels';
import { addWorkingDays, localDate, subtractWorkingDays } from '../../domain/workingDays';
import { approveTask, type HumanTask, RefusalType, TaskKind, TaskStatus } from '../../workflows/definitions';
import { actors } from '../helpers/actors';
import { applicationFor, applicationNeedingTraining } from '../helpers/applications';
import {
  aboutTask,
  approve,
  cancelByAdministrator,
  type CaseHandle,
  driveTo,
  noticesFor,
  refused,
  skipTo,
  waitForNotices,
  waitForTask,
} from '../helpers/cases';
import { stateOf, type Harness } from '../helpers/harness';
import { testWithHarness } from '../helpers/harnessTests';
import { formatDateTime, translator } from '../../i18n';
import { taskLabel } from '../../inbox-ui/labels';

const test = testWithHarness({ flavour: 'time-skipping' });

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Days from Monday to Friday strictly after `from` and up to `to` (both 'YYYY-MM-DD'), counted one by one. */
function weekdaysBetween(from: string, to: string): number {
  let count = 0;
  for (let day = new Date(`${from}T00:00:00Z`); ;) {
    day = new Date(day.getTime() + DAY);
    if (day.toISOString().slice(0, 10) > to) return count;
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) count++;
  }
}

/** The kinds of the notices about one task, once `expected` have arrived (the notify activity may still run). */
async function taskNotices(h: Harness, handle: CaseHandle, task: HumanTask, expected: number) {
  const applicationNumber = (await stateOf(handle)).applicationNumber;
  const notices = await waitForNotices(
    h,
    applicationNumber,
    `${expected} notices about ${task.id}`,
    (all) => aboutTask(all, task).length >= expected,
  );
  return aboutTask(notices, task);
}

/**
 * Walks the clock through a task's reminder, deadline and escalation, checking before and after each that exactly
 * the notices due so far have gone out, to the right people, and that a long wait afterwards adds none.
 */
async function remindsAndEscalatesOnce(
  t: ExecutionContext<Harness>,
  handle: CaseHandle,
  task: HumanTask,
  after: string,
) {
  const h = t.context;
  const { calendar } = h.deps.policy;
  const due = new Date(task.dueAt);
  const remindAt = subtractWorkingDays(due, h.deps.policy.remindBeforeWorkingDays, calendar);
  const escalateAt = addWorkingDays(due, h.deps.policy.escalateAfterWorkingDays, calendar);
  const kinds = async (expected: number) => (await taskNotices(h, handle, task, expected)).map((n) => n.kind);

  t.deepEqual(await kinds(1), ['task-opened']);
  await skipTo(h, remindAt, -HOUR);
  t.deepEqual(await kinds(1), ['task-opened'], 'no reminder before its time');
  await skipTo(h, remindAt, HOUR);
  t.deepEqual(await kinds(2), ['task-opened', 'task-reminder']);
  await skipTo(h, due, -HOUR);
  t.deepEqual(await kinds(2), ['task-opened', 'task-reminder'], 'the deadline has not passed yet');
  await skipTo(h, due, HOUR);
  t.deepEqual(await kinds(3), ['task-opened', 'task-reminder', 'task-deadline']);
  t.false((await stateOf(handle)).tasks.find((x) => x.id === task.id)!.escalated);
  await skipTo(h, escalateAt, -HOUR);
  t.deepEqual(await kinds(3), ['task-opened', 'task-reminder', 'task-deadline'], 'not escalated before its time');
  await skipTo(h, escalateAt, HOUR);
  t.deepEqual(await kinds(4), ['task-opened', 'task-reminder', 'task-deadline', 'task-escalated']);
  await h.skip(after);
  const notices = await taskNotices(h, handle, task, 4);
  t.deepEqual(
    notices.map((n) => n.kind),
    ['task-opened', 'task-reminder', 'task-deadline', 'task-escalated'],
    `still one of each after a further ${after}`,
  );

  const [, reminder, deadline, escalated] = notices;
  const dueWords = `${formatDateTime(due.toISOString(), 'en')} (China time)`;
  const label = taskLabel(translator('en'), task.kind);
  t.is(reminder.recipient, task.candidateGroup);
  t.true(reminder.subject.startsWith(`Reminder: task ${label} is due ${dueWords}`));
  t.is(deadline.recipient, task.candidateGroup);
  t.true(deadline.subject.startsWith(`Deadline reached: task ${label} was due ${dueWords}`));
  t.is(escalated.recipient, task.supervisingGroup);
  t.true(escalated.subject.startsWith(`Escalated: task ${label} is overdue since ${dueWords}`));

  const view = await stateOf(handle);
  const watched = view.tasks.find((x) => x.id === task.id)!;
  t.is(watched.status, TaskStatus.Open);
  t.true(watched.escalated);
  t.is(watched.remindersSent, 2);
  const events = view.history.filter((event) => event.taskId === task.id).map((event) => event.type);
  t.deepEqual(events, ['task-opened', 'task-reminder', 'task-deadline-reached', 'task-escalated']);
  const at = (type: string) => view.history.find((e) => e.taskId === task.id && e.type === type)!.at;
  t.true(at('task-reminder') < task.dueAt, 'the reminder went out before the deadline');
  t.true(at('task-escalated') > task.dueAt, 'the escalation came after it');
}

test.serial('an undecided station review is reminded, reaches its deadline and escalates once each', async (t) => {
  const h = t.context;
  const handle = await h.start(applicationFor(Level.Primary));
  const task = await waitForTask(handle, TaskKind.StationReview);
  t.is(task.supervisingGroup, 'station-a:supervisors');

  // Before the escalation, supervisors may watch the task but not decide it.
  await refused(
    t,
    handle.executeUpdate(approveTask, { args: [{ taskId: task.id, actor: actors.stationSupervisor }] }),
    RefusalType.Forbidden,
    {
      key: 'refusals:task.notInGroup',
      values: { actor: 'zhou.supervisor', candidateGroup: 'station-a:reviewers', taskId: task.id },
    },
  );
  await remindsAndEscalatesOnce(t, handle, task, '60 days');

  const decided = await approve(handle, TaskKind.StationReview, actors.stationSupervisor, 'Checked on escalation.');
  const done = decided.tasks.find((x) => x.id === task.id)!;
  t.is(done.status, TaskStatus.Done);
  t.is(done.outcome?.by, actors.stationSupervisor.id);
  await waitForTask(handle, TaskKind.CenterReview);
  await cancelByAdministrator(handle);
});

test.serial('a training report due in three years is reminded and escalated once each', async (t) => {
  const h = t.context;
  const handle = await h.start(applicationNeedingTraining());
  const task = (await driveTo(handle, TaskKind.TrainingCompletion))!;
  t.is(task.supervisingGroup, 'training-1:supervisors');
  const years = (new Date(task.dueAt).getTime() - new Date(task.createdAt).getTime()) / (365.25 * DAY);
  t.true(years > 2.8 && years < 3.0, `750 working days are about three years, not ${years.toFixed(2)}`);
  t.is(weekdaysBetween(localDate(new Date(task.createdAt)), localDate(new Date(task.dueAt))), 750);

  await remindsAndEscalatesOnce(t, handle, task, '365 days');

  await approve(handle, TaskKind.TrainingCompletion, actors.trainer, 'Completed late.');
  await waitForTask(handle, TaskKind.ExamScores);
  await cancelByAdministrator(handle);
});

test.serial('a decision before the reminder cancels the task’s pending reminders', async (t) => {
  const h = t.context;
  const application = applicationFor(Level.Primary);
  const handle = await h.start(application);
  const task = await waitForTask(handle, TaskKind.StationReview);
  await taskNotices(h, handle, task, 1);
  await approve(handle, TaskKind.StationReview, actors.stationReviewer);
  const next = await waitForTask(handle, TaskKind.CenterReview);

  await h.skip('120 days');
  // The next task, still open, went through its whole deadline: the clock did move past the first one's.
  await taskNotices(h, handle, next, 4);
  const notices = await noticesFor(h, application.applicationNumber);
  t.deepEqual(
    aboutTask(notices, task).map((n) => n.kind),
    ['task-opened'],
  );
  const view = await stateOf(handle);
  t.deepEqual(
    view.history.filter((event) => event.taskId === task.id).map((event) => event.type),
    ['task-opened', 'task-approve'],
  );
  t.is(view.tasks.find((x) => x.id === task.id)!.remindersSent, 0);
  await cancelByAdministrator(handle);
});

test.serial('deadlines count working days and skip weekends', async (t) => {
  const h = t.context;
  const { calendar, deadlines } = h.deps.policy;
  const handle = await h.start(applicationFor(Level.Primary));
  for (const kind of [TaskKind.StationReview, TaskKind.CenterReview]) {
    const task = await waitForTask(handle, kind);
    const created = new Date(task.createdAt);
    const due = new Date(task.dueAt);
    t.is(task.dueAt, addWorkingDays(created, deadlines[kind], calendar).toISOString());
    // The end of a weekday, China time.
    t.is(new Date(due.getTime() + 8 * HOUR).toISOString().slice(11), '23:59:59.999Z');
    t.not(new Date(due.getTime() + 8 * HOUR).getUTCDay() % 6, 0, `${kind} falls due on a weekday`);
    t.is(weekdaysBetween(localDate(created), localDate(due)), deadlines[kind], `${kind} counts weekdays only`);
    await approve(handle, kind, kind === TaskKind.StationReview ? actors.stationReviewer : actors.centerReviewer);
  }
  // Ten working days always take in a weekend.
  const center = (await stateOf(handle)).tasks.find((task) => task.kind === TaskKind.CenterReview)!;
  const calendarDays = (new Date(center.dueAt).getTime() - new Date(center.createdAt).getTime()) / DAY;
  t.true(calendarDays > 11, `ten working days span ${calendarDays.toFixed(1)} calendar days`);

  // Marking is due fifteen working days after the exam day, not after the day the task opened.
  const marking = await waitForTask(handle, TaskKind.ExamScores);
  const { examDate } = (await stateOf(handle)).exam!;
  t.is(weekdaysBetween(examDate, localDate(new Date(marking.dueAt))), deadlines[TaskKind.ExamScores]);
  await cancelByAdministrator(handle);
});
