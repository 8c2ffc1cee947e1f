/**
 * The bench's yardstick: a workflow with the shape of a level-5 case that goes straight from application to
 * handed-over certificate, and nothing else. Same activities (as no-ops), same updates (handlers that flip a flag),
 * same timers (one deadline timer per task, started when the task opens and cancelled by its decision) and the same
 * number of search-attribute upserts, in the same order as workflows/application.ts performs them. Whatever the
 * product costs beyond this is the cost of its own code: its case file, validators, payloads and attributes.
 *
 * Counted from a level-5 happy path: the activities loadPolicy, checkEligibility, issueAdmissionTicket,
 * assignCertificateNumber, sealCertificate, renderCertificate, recordHandover, the records loop's recordCase per batch of
 * changes, 8 task notices and 4 candidate notices), 8 updates,
 * 8 timers and 20 upserts (the product sends only changed attributes, so its publish after a decided task, which
 * follows the update handler's own, sends nothing). bench/run.ts compares one history of each kind after every run
 * and warns when the counts part, so a change in the product's shape shows.
 */
import {
  ApplicationFailure,
  CancellationScope,
  condition,
  defineQuery,
  defineUpdate,
  isCancellation,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { searchAttributes } from '../workflows/definitions';
import type { baselineActivities } from './baselineActivities';

const acts = proxyActivities<typeof baselineActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '5 minutes' },
});

export interface BaselineInput {
  caseId: string;
}

/** The smallest view that lets a driver find the open task, as the product's CaseView does. */
export interface BaselineView {
  openTaskId?: string;
  tasksDone: number;
  closed: boolean;
}

export interface CompleteBaselineTask {
  taskId: string;
}

export const completeBaselineTask = defineUpdate<BaselineView, [CompleteBaselineTask]>('completeBaselineTask');
export const getBaselineState = defineQuery<BaselineView>('getBaselineState');

/** Longer than any bench run: the timer exists to be cancelled, as a task's deadline timer is. */
const DEADLINE = '30 days';

export async function baselineWorkflow({ caseId }: BaselineInput): Promise<BaselineView> {
  const view: BaselineView = { tasksDone: 0, closed: false };
  let taskCounter = 0;
  const args = { caseId };
  // One keyword per upsert, where the product sends whichever of its eight attributes changed; the count is kept.
  const publish = () => {
    changes++;
    upsertSearchAttributes([{ key: searchAttributes.stage, value: 'bench-baseline' }]);
  };
  // The product's records loop: one activity per batch of changes, running beside the story (keepRecords).
  let changes = 0;
  let recorded = 0;
  void (async () => {
    for (;;) {
      await condition(() => changes > recorded);
      const upTo = changes;
      await acts.baselineRecordCase(args);
      recorded = upTo;
    }
  })();

  setHandler(getBaselineState, () => view);
  setHandler(
    completeBaselineTask,
    () => {
      view.openTaskId = undefined;
      view.tasksDone++;
      publish();
      return view;
    },
    {
      // The product's validators refuse a decision for a task that is not open; so does this one, at no cost.
      validator: ({ taskId }) => {
        if (taskId !== view.openTaskId) throw ApplicationFailure.nonRetryable(`task ${taskId} is not open`);
      },
    },
  );

  /** humanStep: opens a task, publishes it, starts its deadline timer, sends the task notice, awaits the decision. */
  const humanStep = async () => {
    view.openTaskId = `task-${++taskCounter}`;
    const done = view.tasksDone;
    publish();
    const deadline = new CancellationScope();
    deadline
      .run(() => sleep(DEADLINE))
      .catch((error) => {
        if (!isCancellation(error)) throw error;
      });
    try {
      await acts.baselineNotify(args);
      await condition(() => view.tasksDone > done);
    } finally {
      deadline.cancel();
    }
    // The product publishes here too, but the update handler has just published the same values, so it sends none.
  };

  await acts.baselineLoadPolicy(args);
  // checkEligibility
  publish();
  await acts.baselineCheckEligibility(args);
  // approvalChain: station review, center review
  await humanStep();
  await humanStep();
  // issueAdmissionTicket, with the candidate's notice
  publish();
  await acts.baselineIssueAdmissionTicket(args);
  changes++; // the product records each candidate notice and issuance step in the case's history
  await acts.baselineNotify(args);
  // examine: the scores, then the candidate's results notice
  await humanStep();
  changes++;
  await acts.baselineNotify(args);
  // approvalChain: station summary, center approval, department approval
  await humanStep();
  await humanStep();
  await humanStep();
  // issueCertificate: number, seal, print, notice, handover, record
  publish();
  await acts.baselineAssignCertificateNumber(args);
  changes++;
  await acts.baselineSealCertificate(args);
  changes++;
  await acts.baselineRenderCertificate(args);
  changes++;
  await humanStep();
  await acts.baselineNotify(args);
  await humanStep();
  await acts.baselineRecordHandover(args);
  view.closed = true;
  // the final publish and the candidate's outcome notice
  publish();
  await acts.baselineNotify(args);
  await condition(() => recorded === changes);
  return view;
}
