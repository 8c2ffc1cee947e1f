/**
 * A worker process killed with SIGKILL while one of a case's activities runs: the case must move on within seconds on
 * the worker that is left, not wait out a minute-long timeout. The death is real: two `npm run worker` processes
 * (worker/main.ts) serve the dev server, the test holds the database's write lock so that the activity stays in
 * flight, and the worker running it is killed with SIGKILL, which no shutdown code can see.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import test from 'ava';
import { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { Level } from '../../domain/levels';
import { encryptedDataConverter } from '../../runtime/encryption/dataConverter';
import { applicationWorkflow } from '../../workflows';
import { TASK_QUEUE, TaskKind, workflowIdFor } from '../../workflows/definitions';
import { actors } from '../helpers/actors';
import { applicationFor } from '../helpers/applications';
import { approve, eventually, waitForTask } from '../helpers/cases';
import { workerCluster } from './workerProcesses';

type IHistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

/**
 * The README's promise (and issue 8's bound): a case whose activity was in flight on a dead worker has its next task
 * within this. Typically 9.4 s: the activity's 5 s start-to-close timeout, a 1 s retry backoff, and the 3 s the dead
 * worker's sticky queue keeps the next workflow task.
 */
const RESUMED_WITHIN_MS = 15_000;

function eventsSince(events: IHistoryEvent[], since: number): string {
  const { EventType } = proto.temporal.api.enums.v1;
  return (
    events
      // eventTime's seconds is a protobuf Long; its string form is the number.
      .map((event) => ({
        at: Number(String(event.eventTime?.seconds ?? 0)) * 1000,
        type: EventType[event.eventType ?? 0],
      }))
      .filter((event) => event.at >= since - 1000)
      .map((event) => `${event.type.replace('EVENT_TYPE_', '')}@${((event.at - since) / 1000).toFixed(0)}s`)
      .join(' ')
  );
}

test('a case whose activity was in flight on a worker killed with SIGKILL has its next task within 15 s', async (t) => {
  const cluster = await workerCluster(t, 'worker-death');
  const client = new Client({ connection: cluster.connection, dataConverter: encryptedDataConverter(cluster.keys) });
  const workers = [cluster.startWorker(), cluster.startWorker()];

  const application = applicationFor(Level.Primary);
  const handle = await client.workflow.start(applicationWorkflow, {
    taskQueue: TASK_QUEUE,
    workflowId: workflowIdFor(application.applicationNumber),
    args: [{ application, submittedAt: new Date().toISOString() }],
  });
  await waitForTask(handle, TaskKind.StationReview);
  await eventually('the workers to be idle', async () =>
    ((await handle.describe()).raw.pendingActivities ?? []).length === 0 ? true : undefined,
  );

  // With the write lock held here, the next activity that writes waits inside its worker: in flight, not done.
  const database = new Database(path.join(cluster.dataDir, 'qualiflow.db'));
  t.teardown(() => database.close());
  database.exec('BEGIN IMMEDIATE');
  await approve(handle, TaskKind.StationReview, actors.stationReviewer);
  const inFlight = await eventually(
    'an activity started on a worker',
    async () => {
      const pending = (await handle.describe()).raw.pendingActivities ?? [];
      return pending.find((activity) => activity.lastStartedTime && activity.lastWorkerIdentity);
    },
    30_000,
  );
  const pid = Number(inFlight.lastWorkerIdentity!.split('@')[0]);
  const dying = workers.find((worker) => worker.pid === pid);
  t.truthy(dying, `the activity runs on one of our workers (${inFlight.lastWorkerIdentity})`);
  dying!.kill('SIGKILL');
  const killedAt = Date.now();
  database.exec('ROLLBACK');

  // A query goes to the worker that completed the case's last workflow task (its sticky queue), and one sent to the
  // dead worker fails; the inbox reads its projection instead. So the test asks the server, which needs no worker,
  // until a live worker has taken the case over.
  let events: IHistoryEvent[] = [];
  await eventually(
    'a workflow task completed by a live worker',
    async () => {
      events = (await handle.fetchHistory()).events ?? [];
      const last = events.filter((event) => event.workflowTaskCompletedEventAttributes).at(-1);
      const by = last?.workflowTaskCompletedEventAttributes?.identity;
      return by && by !== inFlight.lastWorkerIdentity ? by : undefined;
    },
    RESUMED_WITHIN_MS,
  ).catch((error: Error) => {
    // Which step took the time: the events since the kill, with their seconds after it. (Once, on a machine loaded
    // by other test runs, no live worker had completed a workflow task after 20 s; this tells where the time went.)
    throw new Error(`${error.message}; since the kill: ${eventsSince(events, killedAt)}`);
  });
  // The center's decision is taken while the dead worker may still hold the activity, as a person would go on working.
  await approve(handle, TaskKind.CenterReview, actors.centerReviewer);
  await waitForTask(handle, TaskKind.ExamScores);
  const resumedAfterMs = Date.now() - killedAt;
  t.log(
    `${inFlight.activityType?.name} was in flight on the killed worker; the next task opened ${resumedAfterMs} ms later`,
  );
  t.true(resumedAfterMs <= RESUMED_WITHIN_MS, `resumed after ${resumedAfterMs} ms`);
});
