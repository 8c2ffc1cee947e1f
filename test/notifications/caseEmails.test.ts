/**
 * Email from real cases: the application workflow on the time-skipping server, the real activities over SQLite, the
 * delivery loop beside the worker, and an SMTP server in the test process that records what arrives.
 */
import anyTest, { type TestFn } from 'ava';
import { createTransport } from 'nodemailer';
import { formatDateTime } from '../../i18n';
import { Level } from '../../domain/levels';
import { createDeliveryLoop } from '../../worker/deliveries';
import { Stage, TaskKind, workflowIdFor } from '../../workflows/definitions';
import { actors } from '../helpers/actors';
import { applicationFor } from '../helpers/applications';
import { approve, cancelByAdministrator, eventually, skipTo, waitForTask } from '../helpers/cases';
import { createHarness, stateOf, type Harness } from '../helpers/harness';
import { endEachTestsWorkflows } from '../helpers/harnessTests';
import { FROM, quietLogger } from './fixtures';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from './smtpSink';
import { seedDemoDirectory } from '../../records/demoProvince';

const test = anyTest as TestFn<{ h: Harness; sink: SmtpSink }>;
const MAX_ATTEMPTS = 3;
const DAY = 24 * 3600_000;

test.before(async (t) => {
  const sink = await startSmtpSink();
  const h = await createHarness({
    flavour: 'time-skipping',
    mail: (db) =>
      createDeliveryLoop({
        db,
        transport: createTransport({ url: sink.url }),
        from: FROM,
        maxAttempts: MAX_ATTEMPTS,
        retryDelayMs: 50,
        pollMs: 100,
        logger: quietLogger,
      }),
  });
  // Group notices go to the members' addresses in the directory.
  await seedDemoDirectory(h.deps.db);
  t.context = { h, sink };
});
endEachTestsWorkflows(test);
test.after.always(async (t) => {
  await t.context.h?.teardown();
  await t.context.sink?.stop();
});

const keyOf = (applicationNumber: string, rest: string) => `${workflowIdFor(applicationNumber)}/${rest}`;
const byKey = (key: string) => (mail: ReceivedMail) => mail.noticeKey === key;

/** The due date as the notice shows it, in Chinese: China time, minutes. */
const chinaTime = (iso: string) => `${formatDateTime(iso, 'zh-CN')}（北京时间）`;

test.serial(
  'a new station review task reaches the station reviewers by email, with case, task, due date and link',
  async (t) => {
    const { h, sink } = t.context;
    const application = applicationFor(Level.Primary);
    const { applicationNumber } = application;
    const handle = await h.start(application);
    const task = await waitForTask(handle, TaskKind.StationReview);

    const [mail] = await sink.waitFor(1, byKey(keyOf(applicationNumber, `${task.id}/task-opened`)));
    t.deepEqual(mail.envelopeTo, ['li.station-reviewer@qualiflow.example']);
    t.true(mail.subject.includes(applicationNumber));
    t.true(mail.text.includes(`任务：${task.id}（资格审核（鉴定站））`));
    t.true(mail.text.includes(`办理时限：${chinaTime(task.dueAt)}`));
    t.true(mail.text.includes(`Task: ${task.id} (Qualification review (station))`));
    t.true(mail.text.includes(`http://127.0.0.1:3000/tasks/${applicationNumber}/${task.id}`));

    // The case's end reaches the candidate, at the address in the application.
    await cancelByAdministrator(handle);
    const [closed] = await sink.waitFor(1, byKey(keyOf(applicationNumber, 'candidate/case-closed/0')));
    t.deepEqual(closed.envelopeTo, [application.candidate.email!]);
    t.regex(closed.subject, /^您的申报已终止办理（申报 /);
  },
);

test.serial(
  'an unanswered task sends a reminder and a deadline notice to the group, then escalates to the supervisors',
  async (t) => {
    const { h, sink } = t.context;
    const application = applicationFor(Level.Primary);
    const { applicationNumber } = application;
    const handle = await h.start(application);
    const task = await waitForTask(handle, TaskKind.StationReview);
    // Escalation comes one working day after the deadline: at most three calendar days, over a weekend.
    await skipTo(h, Date.parse(task.dueAt), 4 * DAY);

    const [reminder] = await sink.waitFor(1, byKey(keyOf(applicationNumber, `${task.id}/task-reminder`)));
    const [deadline] = await sink.waitFor(1, byKey(keyOf(applicationNumber, `${task.id}/task-deadline`)));
    const [escalation] = await sink.waitFor(1, byKey(keyOf(applicationNumber, `${task.id}/task-escalated`)));
    t.deepEqual(reminder.envelopeTo, ['li.station-reviewer@qualiflow.example']);
    t.regex(reminder.subject, /^提醒：任务“资格审核（鉴定站）”将于 /);
    t.deepEqual(deadline.envelopeTo, ['li.station-reviewer@qualiflow.example']);
    t.deepEqual(escalation.envelopeTo, ['zhou.supervisor@qualiflow.example']);
    t.regex(escalation.subject, new RegExp(`^已上报：任务“资格审核（鉴定站）”自 ${chinaTime(task.dueAt)} 起超期`));
    for (const mail of [reminder, deadline, escalation]) {
      t.true(mail.text.includes(`http://127.0.0.1:3000/tasks/${applicationNumber}/${task.id}`));
    }
    await cancelByAdministrator(handle);
  },
);

// Last in the file: it stops the SMTP server.
test.serial('with the SMTP server down the case goes on, and each notice records why it was not sent', async (t) => {
  const { h, sink } = t.context;
  await sink.stop();
  const application = applicationFor(Level.Primary);
  const { applicationNumber } = application;
  const handle = await h.start(application);
  const review = await waitForTask(handle, TaskKind.StationReview);
  await approve(handle, TaskKind.StationReview, actors.stationReviewer);
  // The case reached the next task although no email could be sent for the first.
  const next = await waitForTask(handle, TaskKind.CenterReview);
  t.is((await stateOf(handle)).stage, Stage.CenterReview);

  for (const task of [review, next]) {
    const key = keyOf(applicationNumber, `${task.id}/task-opened`);
    const row = await eventually(`${key} to fail`, async () => {
      const found = await h.deps.db.selectFrom('notifications').selectAll().where('key', '=', key).executeTakeFirst();
      return found?.status === 'failed' ? found : undefined;
    });
    t.is(row.attempts, MAX_ATTEMPTS);
    t.regex(row.last_error ?? '', /ECONNREFUSED/);
  }
  await cancelByAdministrator(handle);
});
