/**
 * The retention schedule on the dev server (the time-skipping server has no schedules): starting a worker creates
 * it, starting another leaves the one schedule with the same definition, and a run it starts removes the personal
 * data of a case closed longer ago than the period (the default: three years), whose pages then say so.
 */
import type { RemovalSummary } from '../../activities/retention';
import { Level } from '../../domain/levels';
import { findIndexedCase, indexNewCase } from '../../records/caseIndex';
import { ensureRetentionSchedule, RETENTION_SCHEDULE_ID } from '../../runtime/retention';
import { applicationFor } from '../helpers/applications';
import { cancelByAdministrator, eventually } from '../helpers/cases';
import { testWithHarness } from '../helpers/harnessTests';
import { BrowserSession, startWeb, visibleText } from '../helpers/web';

const test = testWithHarness({ flavour: 'dev-server' });

const yearsAgo = (years: number) => new Date(Date.now() - years * 366 * 86_400_000).toISOString();

test.serial('starting workers keeps one daily schedule for removing expired personal data', async (t) => {
  const h = t.context;
  t.is(await ensureRetentionSchedule(h.client, h.taskQueue), 'created', 'the first worker start creates it');
  t.is(await ensureRetentionSchedule(h.client, h.taskQueue), 'updated', 'a later start keeps the one schedule');
  const description = await h.client.schedule.getHandle(RETENTION_SCHEDULE_ID).describe();
  t.like(description.spec, { timezone: 'Asia/Shanghai' });
  t.like(description.spec.calendars?.[0], { hour: [{ start: 3, end: 3, step: 1 }] });
  t.like(description.action, { type: 'startWorkflow', workflowType: 'retentionWorkflow', taskQueue: h.taskQueue });
});

test.serial('a run of the schedule removes an expired case’s personal data, and its pages say so', async (t) => {
  const h = t.context;
  const db = h.deps.db;
  const application = applicationFor(Level.Primary, {
    candidate: { name: '赵敏', idType: 'resident-id', idNumber: '320102198511200047', email: 'zhao.min@example.org' },
  });
  const number = application.applicationNumber;
  await indexNewCase(db, application, new Date().toISOString());
  const handle = await h.start(application);
  await cancelByAdministrator(handle);
  // The workflow's last records write is done once it has ended.
  await handle.result();
  t.truthy((await findIndexedCase(db, number))?.closed_at, 'the records activity wrote when the case closed');
  // Four years pass: the period (three years by default) runs from the closing the records activity wrote.
  await db
    .updateTable('cases')
    .set({ closed_at: yearsAgo(4) })
    .where('application_number', '=', number)
    .execute();

  await ensureRetentionSchedule(h.client, h.taskQueue);
  const schedule = h.client.schedule.getHandle(RETENTION_SCHEDULE_ID);
  await schedule.trigger();
  const run = await eventually('the triggered run', async () => {
    const { info } = await schedule.describe();
    return [...info.runningActions, ...info.recentActions.map((action) => action.action)][0];
  });
  const summary = (await h.client.workflow.getHandle(run.workflow.workflowId).result()) as RemovalSummary;
  t.deepEqual(summary, { count: 1, removed: [number], retentionDays: 3 * 365, unclaimedFilesDeleted: 0 });
  t.like(await findIndexedCase(db, number), { candidate_name: null, id_number: null });

  const web = await startWeb(h);
  t.teardown(() => web.close());
  const admin = new BrowserSession(web.base);
  await admin.signIn('admin');
  for (const path of [`/cases/${number}`, `/admin/cases/${number}`, `/admin/cases?applicationNumber=${number}`]) {
    const page = await admin.get(path);
    t.is(page.status, 200, path);
    const text = visibleText(page.html);
    t.true(text.includes('Personal data removed after the retention period'), path);
    t.false(text.includes('赵敏') || text.includes('320102198511200047'), path);
  }
  const chinese = new BrowserSession(web.base, 'zh-CN');
  await chinese.signIn('admin');
  t.true(visibleText((await chinese.get(`/cases/${number}`)).html).includes('个人信息已按保存期限删除'));
});
