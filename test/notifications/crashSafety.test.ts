/**
 * A worker that dies between an activity's database write and the activity's completion: Temporal retries the
 * activity on the next worker, and the case must still end with one certificate, one number, one notice, one email.
 * The death is staged by a worker whose activity does its real work, then hangs until the worker is stopped; a notice
 * that was emailed from the dying attempt's row must not be emailed again by the retry.
 */
import { setTimeout as pause } from 'node:timers/promises';
import { Context } from '@temporalio/activity';
import { Worker } from '@temporalio/worker';
import anyTest, { type ExecutionContext, type TestFn } from 'ava';
import { createTransport } from 'nodemailer';
import { createActivities } from '../../activities';
import type { NotifyInput } from '../../activities/notifications';
import { Level } from '../../domain/levels';
import { encryptedDataConverter } from '../../runtime/encryption/dataConverter';
import { createDeliveryLoop } from '../../worker/deliveries';
import { UNTRACED_SINKS } from '../../worker/worker';
import { Stage, TaskKind, workflowIdFor } from '../../workflows/definitions';
import { actors } from '../helpers/actors';
import { applicationFor } from '../helpers/applications';
import { approve, driveTo, waitForTask } from '../helpers/cases';
import { createHarness, workflowBundle, type Harness } from '../helpers/harness';
import { FROM, quietLogger } from './fixtures';
import { startSmtpSink, type SmtpSink } from './smtpSink';
import { seedDemoDirectory } from '../../records/demoProvince';

const test = anyTest as TestFn<{ h: Harness; sink: SmtpSink }>;

test.before(async (t) => {
  const sink = await startSmtpSink();
  const h = await createHarness({
    // The dev server: a worker that dies hands its cases to the next one in real time, as in production (the
    // time-skipping server keeps them on the dead worker's sticky queue while its clock stands still).
    flavour: 'dev-server',
    mail: (db) =>
      createDeliveryLoop({
        db,
        transport: createTransport({ url: sink.url }),
        from: FROM,
        pollMs: 100,
        logger: quietLogger,
      }),
  });
  // Group notices go to the members' addresses in the directory.
  await seedDemoDirectory(h.deps.db);
  t.context = { h, sink };
});
test.after.always(async (t) => {
  await t.context.h?.teardown();
  await t.context.sink?.stop();
});

interface DyingWorker {
  /** Resolves once the chosen activity has done its work and hangs. */
  wrote: Promise<void>;
  /** Stops the worker while the activity hangs: it never reports completion. */
  kill(): Promise<void>;
}

/**
 * Replaces the harness's worker with one that runs the real activities, except that the first call `dies` picks does
 * its work and then never returns.
 */
async function startDyingWorker(
  t: ExecutionContext,
  h: Harness,
  dies: (activity: string, input: never) => boolean,
): Promise<DyingWorker> {
  await h.stopWorker();
  const real = createActivities(h.deps);
  let died = false;
  let wrote!: () => void;
  const written = new Promise<void>((resolve) => (wrote = resolve));
  const activities = Object.fromEntries(
    Object.entries(real).map(([name, run]) => [
      name,
      async (input: never) => {
        const result = await (run as (input: never) => Promise<unknown>)(input);
        if (!died && dies(name, input)) {
          died = true;
          wrote();
          // Rejects when the worker shuts down, so the attempt ends without a result, as with a dead process.
          await Context.current().cancelled;
        }
        return result;
      },
    ]),
  );
  const worker = await Worker.create({
    connection: h.env.nativeConnection,
    namespace: 'default',
    taskQueue: h.taskQueue,
    workflowBundle: await workflowBundle(),
    dataConverter: encryptedDataConverter(h.payloadKeys),
    // The bundle's tracing interceptors make spans; with tracing off they go nowhere (worker/worker.ts).
    sinks: UNTRACED_SINKS,
    activities,
    // Should the server hold the case's next workflow task for this worker after it is gone, it offers the task to
    // the next worker after this long.
    stickyQueueScheduleToStartTimeout: '1s',
  });
  const running = worker.run();
  const kill = async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
  };
  // A failed assertion must not leave the worker polling a server that is being torn down.
  t.teardown(kill);
  return { wrote: written, kill };
}

const noticeRows = (h: Harness, key: string) =>
  h.deps.db.selectFrom('notifications').selectAll().where('key', '=', key).execute();

const certificatesOf = (h: Harness, applicationNumber: string) =>
  h.deps.db.selectFrom('certificates').select('number').where('application_number', '=', applicationNumber).execute();

test.serial('a worker that dies after writing a new-task notice leaves one notice and sends one email', async (t) => {
  const { h, sink } = t.context;
  const application = applicationFor(Level.Primary);
  const { applicationNumber } = application;
  let key = '';
  const dying = await startDyingWorker(t, h, (name, input: NotifyInput) => {
    if (name !== 'notify' || input.applicationNumber !== applicationNumber) return false;
    key = input.key;
    return true;
  });
  const handle = await h.start(application);
  await dying.wrote;
  await dying.kill();
  t.is(key, `${workflowIdFor(applicationNumber)}/station-review-1/task-opened`);
  t.is((await noticeRows(h, key)).length, 1);
  // Asked of the server: with no worker running, a query would wait.
  const pending = (await handle.describe()).raw.pendingActivities ?? [];
  t.true(
    pending.some((activity) => activity.activityType?.name === 'notify'),
    'the notify activity has not completed',
  );

  await h.restartWorker();
  // The station review's decision is acted on only after its notice activity completed: the retry ran.
  await approve(handle, TaskKind.StationReview, actors.stationReviewer);
  await waitForTask(handle, TaskKind.CenterReview);
  await sink.waitFor(1, (mail) => mail.noticeKey === key);
  await pause(500); // time for a duplicate to arrive, were there one
  t.is((await noticeRows(h, key)).length, 1);
  t.is(sink.received.filter((mail) => mail.noticeKey === key).length, 1);
  t.is((await noticeRows(h, key))[0].status, 'sent');
});

test.serial(
  'workers that die after the certificate number and after its notice: one certificate, one number, one email',
  async (t) => {
    const { h, sink } = t.context;
    const application = applicationFor(Level.Primary);
    const { applicationNumber } = application;
    // Dies after the registry write of the certificate number.
    const numbering = await startDyingWorker(
      t,
      h,
      (name, input: { applicationNumber: string }) =>
        name === 'assignCertificateNumber' && input.applicationNumber === applicationNumber,
    );
    const handle = await h.start(application);
    await driveTo(handle, TaskKind.ResultDepartmentApproval);
    await approve(handle, TaskKind.ResultDepartmentApproval, actors.departmentApprover);
    await numbering.wrote;
    await numbering.kill();
    t.is((await certificatesOf(h, applicationNumber)).length, 1);

    // Then dies after writing the certificate-ready notice.
    const noticing = await startDyingWorker(
      t,
      h,
      (name, input: NotifyInput) =>
        name === 'notify' && input.kind === 'certificate-ready' && input.applicationNumber === applicationNumber,
    );
    await approve(handle, TaskKind.CertificatePrint, actors.departmentApprover);
    await noticing.wrote;
    await noticing.kill();

    await h.restartWorker();
    await approve(handle, TaskKind.CertificateHandover, actors.stationClerk);
    const result = await handle.result();
    t.is(result.stage, Stage.Issued);

    t.deepEqual(await certificatesOf(h, applicationNumber), [{ number: result.certificate!.number }]);
    // The first number of its sequence: the attempt that died did not use one up.
    t.regex(result.certificate!.number, /000001$/);

    const key = `${workflowIdFor(applicationNumber)}/candidate/certificate-ready/0`;
    await sink.waitFor(1, (mail) => mail.noticeKey === key);
    await pause(500);
    t.is((await noticeRows(h, key)).length, 1);
    const emails = sink.received.filter((mail) => mail.noticeKey === key);
    t.is(emails.length, 1);
    t.deepEqual(emails[0].envelopeTo, [application.candidate.email!]);
    t.true(emails[0].text.includes(`http://127.0.0.1:3000/cases/${applicationNumber}`));
  },
);
