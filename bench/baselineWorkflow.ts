/**
 * The bench's yardstick: a workflow with the shape of a level-5 case that goes straight from application to
 * handed-over certificate, and nothing else. Same activities (as no-ops), same updates (handlers that flip a flag),
 * same timers (one deadline timer per task, started when the task opens and cancelled by its decision) and the same
 * number of search-attribute upserts, in the same order as workflows/application.ts performs them. Whatever the
 * product costs beyond this is the cost of its own code: its case file, validators, payloads and attributes.
 *
 * Counted from a level-5 happy path: the activities loadPolicy, checkEligibility, issueAdmissionTicket,
 * assignCertificateNumber, sealCertificate, recordHandover, 8 task notices and 4 candidate notices; 8 updates, 8
 * timers and 21 upserts (one of them the SDK's, for a patch; the product sends only changed attributes, so its publish
 * after a decided task, which follows the update handler's own, sends nothing); and the records loop's recordCase for
 * each batch of the case history's 32 entries. `npm run bench -- --check` compares one history of each kind after every run and fails when
 * these part in number or order (bench/report.ts, shapeDifference), so a change in the product's shape shows.
 */
import {
  ApplicationFailure,
  CancellationScope,
  condition,
  defineQuery,
  defineUpdate,
  isCancellation,
  patched,
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
  /** Entries the product's case history would hold by now, which its records loop writes (keepRecords). */
  historyEntries: number;
}

export interface CompleteBaselineTask {
  taskId: string;
}

export const completeBaselineTask = defineUpdate<BaselineView, [CompleteBaselineTask]>('completeBaselineTask');
export const getBaselineState = defineQuery<BaselineView>('getBaselineState');

/** Longer than any bench run: the timer exists to be cancelled, as a task's deadline timer is. */
const DEADLINE = '30 days';

export async function baselineWorkflow({ caseId }: BaselineInput): Promise<BaselineView> {
  const view: BaselineView = { tasksDone: 0, closed: false, historyEntries: 1 };
  let taskCounter = 0;
  const args = { caseId };
  // One keyword per upsert, where the product sends whichever of its eight attributes changed; the count is kept.
  const publish = () => upsertSearchAttributes([{ key: searchAttributes.stage, value: 'bench-baseline' }]);
  // The product's case history gains an entry for each event (33 on this path, named where they happen below), and
  // its records loop writes them in batches: one activity per batch, running beside the story (keepRecords).
  // bench/run.ts compares the two counts, because a batch's activity costs the same however many entries it holds.
  const entry = (count = 1) => {
    view.historyEntries += count;
  };
  let recorded = 0;
  void (async () => {
    for (;;) {
      await condition(() => view.historyEntries > recorded);
      const upTo = view.historyEntries;
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
      entry(); // task-approve or task-scores
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

  /**
   * humanStep: opens a task, publishes it, starts its deadline timer, sends the task notice, awaits the decision.
   * The first task of a stage also enters the stage in the history (stage:…, then task-opened).
   */
  const humanStep = async ({ firstOfStage }: { firstOfStage: boolean }) => {
    view.openTaskId = `task-${++taskCounter}`;
    const done = view.tasksDone;
    entry(firstOfStage ? 2 : 1);
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

  // application-received is the history's first entry
  await acts.baselineLoadPolicy(args);
  // checkEligibility: stage:eligibility, then eligible
  entry();
  publish();
  await acts.baselineCheckEligibility(args);
  entry();
  // approvalChain: station review, center review, each a stage of its own
  await humanStep({ firstOfStage: true });
  await humanStep({ firstOfStage: true });
  // issueAdmissionTicket (stage:admission-ticket), with the candidate's notice (notice:admission-ticket)
  entry();
  publish();
  await acts.baselineIssueAdmissionTicket(args);
  entry();
  await acts.baselineNotify(args);
  // examine (stage:examination): the scores, then the candidate's results notice (notice:exam-results)
  await humanStep({ firstOfStage: true });
  entry();
  await acts.baselineNotify(args);
  // approvalChain (stage:result-approval): station summary, center approval, department approval
  await humanStep({ firstOfStage: true });
  await humanStep({ firstOfStage: false });
  await humanStep({ firstOfStage: false });
  // issueCertificate (stage:issuance): number and seal, each an entry; print, notice, handover, record
  entry();
  publish();
  await acts.baselineAssignCertificateNumber(args);
  entry();
  await acts.baselineSealCertificate(args);
  entry();
  // The product asks whether the case renders its certificate (patched 'certificate-on-demand'): a marker, and the
  // SDK's upsert of TemporalChangeVersion, which the baseline pays for too.
  patched('certificate-on-demand');
  await humanStep({ firstOfStage: false });
  await acts.baselineNotify(args);
  entry(); // notice:certificate-ready
  await humanStep({ firstOfStage: false });
  await acts.baselineRecordHandover(args);
  view.closed = true;
  // the final publish (closed:issued) and the candidate's outcome notice (notice:certificate-handed-over)
  entry();
  publish();
  await acts.baselineNotify(args);
  entry();
  await condition(() => recorded === view.historyEntries);
  return view;
}
