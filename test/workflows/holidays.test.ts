import anyTest, { type TestFn } from 'ava';
import { addDays, weekday } from '../../domain/dates';
import { Level } from '../../domain/levels';
import { addWorkingDays, EMPTY_CALENDAR, type HolidayCalendar, localDate } from '../../domain/workingDays';
import { TaskKind } from '../../workflows/definitions';
import { actors } from '../helpers/actors';
import { applicationFor } from '../helpers/applications';
import { aboutTask, approve, cancelByAdministrator, waitForNotices, waitForTask } from '../helpers/cases';
import { createHarness, type Harness } from '../helpers/harness';
import { formatDate } from '../../i18n';

const test = anyTest as TestFn<Harness>;

/**
 * The harness's policy holds this object. Its dates depend on the server's clock, known only once the server runs;
 * each case reads the policy when it starts, so filling the calendar in before the first case is like editing the
 * policy file before it.
 */
const calendar: HolidayCalendar = { holidays: [], workingWeekends: [] };
/** The next weekdays after the server's today, China time. */
let weekdays: string[] = [];
let makeUpSaturday = '';

test.before(async (t) => {
  t.context = await createHarness({ flavour: 'time-skipping', policy: { calendar } });
  const today = localDate(new Date(await t.context.env.currentTimeMs()));
  const days = Array.from({ length: 30 }, (_, i) => addDays(today, i + 1));
  weekdays = days.filter((day) => weekday(day) !== 0 && weekday(day) !== 6);
  // The second and third weekdays from today are a public holiday; the Saturday after them is worked instead.
  calendar.holidays.push(weekdays[1], weekdays[2]);
  makeUpSaturday = days.find((day) => day > weekdays[2] && weekday(day) === 6)!;
  calendar.workingWeekends.push(makeUpSaturday);
});
test.after.always(async (t) => {
  await t.context?.teardown();
});

/** China-time date of an instant, as the notices print it. */
const dueDay = (iso: string) => localDate(new Date(iso));

test.serial('a public holiday inside a review period moves its deadline later', async (t) => {
  const h = t.context;
  const application = applicationFor(Level.Primary);
  const handle = await h.start(application);
  const task = await waitForTask(handle, TaskKind.StationReview);

  // Five working days: the first weekday, the three weekdays after the holiday, and the make-up Saturday if it
  // comes before them; counted here by hand from the list of days.
  const working = [...weekdays.filter((day) => !calendar.holidays.includes(day)), makeUpSaturday].sort();
  const expected = working[4];
  t.is(dueDay(task.dueAt), expected);
  t.true(dueDay(task.dueAt) > dueDay(addWorkingDays(new Date(task.createdAt), 5, EMPTY_CALENDAR).toISOString()));
  t.is(task.dueAt, new Date(`${expected}T23:59:59.999+08:00`).toISOString());

  const notices = await waitForNotices(
    h,
    application.applicationNumber,
    'the new-task notice',
    (all) => aboutTask(all, task).length > 0,
  );
  const notice = aboutTask(notices, task)[0];
  const due = formatDate(expected, 'en');
  t.true(notice.subject.startsWith(`New task Qualification review (station), due ${due} 23:59 (China time)`));
  t.true(notice.subject_zh.startsWith(`新任务：资格审核（鉴定站），办理时限 ${formatDate(expected, 'zh-CN')} 23:59（北京时间）`));
  await cancelByAdministrator(handle);
});

test.serial('a make-up working Saturday counts as a working day', async (t) => {
  const handle = await t.context.start(applicationFor(Level.Primary));
  await approve(handle, TaskKind.StationReview, actors.stationReviewer);
  const task = await waitForTask(handle, TaskKind.CenterReview);

  // Ten working days: every weekday except the holidays, plus the Saturday.
  const working = [...weekdays.filter((day) => !calendar.holidays.includes(day)), makeUpSaturday].sort();
  t.is(dueDay(task.dueAt), working[9]);
  const withoutSaturday = weekdays.filter((day) => !calendar.holidays.includes(day));
  t.true(dueDay(task.dueAt) < withoutSaturday[9], 'the Saturday brings the deadline forward');
  await cancelByAdministrator(handle);
});
