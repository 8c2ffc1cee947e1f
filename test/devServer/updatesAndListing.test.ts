/**
 * On the dev server, as in production: decisions as Updates (with their ids, which make a double click harmless) and
 * case lists from the visibility store through the search attributes, which must carry no personal data.
 */
import { Level } from '../../domain/levels';
import { approveTask, getState, searchAttributes, Stage, TaskKind, TaskStatus } from '../../workflows/definitions';
import { actors } from '../helpers/actors';
import { applicationFor } from '../helpers/applications';
import { approve, eventually, waitForTask } from '../helpers/cases';
import { type Harness } from '../helpers/harness';
import { testWithHarness } from '../helpers/harnessTests';

const test = testWithHarness({ flavour: 'dev-server' });

/** Visibility is eventually consistent: poll until the list shows what we expect. */
async function listIds(h: Harness, query: string, expected: number): Promise<string[]> {
  return eventually(
    `${expected} cases for ${query}`,
    async () => {
      const ids: string[] = [];
      for await (const execution of h.client.workflow.list({ query: `TaskQueue = '${h.taskQueue}' AND ${query}` })) {
        ids.push(execution.workflowId);
      }
      return ids.length === expected ? ids.sort() : undefined;
    },
    20_000,
  );
}

test.serial('a reviewer group lists exactly the cases waiting for it, by stage and group', async (t) => {
  const h = t.context;
  const atStation = [await h.start(applicationFor(Level.Primary)), await h.start(applicationFor(Level.Advanced))];
  const atCenter = await h.start(applicationFor(Level.Primary));
  const elsewhere = await h.start(applicationFor(Level.Primary, { stationId: 'station-b' }));
  await approve(atCenter, TaskKind.StationReview, actors.stationReviewer);
  await waitForTask(atCenter, TaskKind.CenterReview);
  await waitForTask(elsewhere, TaskKind.StationReview);

  const stationA = await listIds(
    h,
    `QfCandidateGroups = 'station-a:reviewers' AND QfStage = '${Stage.StationReview}'`,
    2,
  );
  t.deepEqual(stationA, atStation.map((handle) => handle.workflowId).sort());
  const center = await listIds(h, `QfCandidateGroups = 'center-1:reviewers'`, 1);
  t.deepEqual(center, [atCenter.workflowId]);
  const stationB = await listIds(h, `QfStation = 'station-b'`, 1);
  t.deepEqual(stationB, [elsewhere.workflowId]);
  const byDue = await listIds(h, `QfNextDueAt > '${new Date().toISOString()}' AND QfLevel = ${Level.Advanced}`, 1);
  t.deepEqual(byDue, [atStation[1].workflowId]);
});

test.serial('search attributes carry no name, ID number or email', async (t) => {
  const h = t.context;
  const application = applicationFor(Level.Primary);
  const handle = await h.start(application);
  await waitForTask(handle, TaskKind.StationReview);
  const description = await eventually('search attributes', async () => {
    const d = await handle.describe();
    return d.typedSearchAttributes.get(searchAttributes.stage) ? d : undefined;
  });
  const everything = JSON.stringify({
    typed: description.typedSearchAttributes.getAll(),
    raw: description.raw.workflowExecutionInfo?.searchAttributes,
  });
  const { name, idNumber, email } = application.candidate;
  for (const secret of [name, idNumber, idNumber.slice(6, 14), email!]) t.false(everything.includes(secret), secret);
  t.is(description.typedSearchAttributes.get(searchAttributes.station), 'station-a');
});

test.serial('the same decision sent twice (a double click) is applied once', async (t) => {
  const h = t.context;
  const handle = await h.start(applicationFor(Level.Primary));
  const task = await waitForTask(handle, TaskKind.StationReview);
  const send = () =>
    handle.executeUpdate(approveTask, {
      args: [{ taskId: task.id, actor: actors.stationReviewer, comment: 'complete' }],
      updateId: `inbox-form-${task.id}-1`,
    });
  const [first, second] = await Promise.all([send(), send()]);
  t.deepEqual(second.tasks[0].outcome, first.tasks[0].outcome);
  await waitForTask(handle, TaskKind.CenterReview);
  const view = await handle.query(getState);
  t.is(view.history.filter((event) => event.type === 'task-approve').length, 1);
  t.is(view.tasks.filter((candidate) => candidate.kind === TaskKind.CenterReview).length, 1);
});

test.serial('an update answers with the case as it is after the decision', async (t) => {
  const h = t.context;
  const handle = await h.start(applicationFor(Level.Primary));
  const task = await waitForTask(handle, TaskKind.StationReview);
  const view = await handle.executeUpdate(approveTask, { args: [{ taskId: task.id, actor: actors.stationReviewer }] });
  const decided = view.tasks.find((candidate) => candidate.id === task.id)!;
  t.is(decided.status, TaskStatus.Done);
  t.is(decided.outcome?.by, actors.stationReviewer.id);
});
