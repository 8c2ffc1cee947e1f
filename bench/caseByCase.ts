/**
 * The session bench's baseline: the same work done case by case, on a worker whose policy has no sessions. Each
 * case's examiner enters its scores on its own exam task, and each case then goes up its three levels of result
 * approval alone, `concurrency` cases at a time, as people at the inbox would decide them. Two spans are timed, like
 * the session's: from the first scores sent to every case at result approval, and from the first approval sent to
 * every certificate issued.
 */
import type { Client } from '@temporalio/client';
import type { Db } from '../records/database';
import { actors } from '../test/helpers/actors';
import { Stage, submitScores, TaskKind } from '../workflows/definitions';
import { runPool, startSpan, type Timed } from './measure';
import {
  type CaseGroup,
  checkIssued,
  countAtStage,
  countOpenTasks,
  decide,
  openTaskIn,
  phaseTimeoutMs,
  reviewedCases,
  whenCounted,
} from './sessionCases';

export interface CaseByCaseTimes {
  cases: number;
  /** From the first case's scores sent to every case at result approval. */
  scoresToAdvanced: Timed;
  /** From the first case's station summary sent to every case's certificate issued. */
  approvalsToIssued: Timed;
  /** A case of this kind, for its history's size. */
  sampleWorkflowId: string;
}

const RESULT_APPROVALS = [
  [TaskKind.ResultStationSummary, actors.stationReviewer],
  [TaskKind.ResultCenterApproval, actors.centerReviewer],
  [TaskKind.ResultDepartmentApproval, actors.departmentApprover],
] as const;

export async function runCaseByCase(
  { client, db }: { client: Client; db: Db },
  { taskQueue, tag, count, concurrency }: { taskQueue: string; tag: string; count: number; concurrency: number },
  log: (line: string) => void,
): Promise<CaseByCaseTimes> {
  log(`  case by case: ${count} cases through their two reviews to their own exam task …`);
  const group = await reviewedCases(client, { taskQueue, tag, count, concurrency }, (view) =>
    Boolean(openTaskIn(view, TaskKind.ExamScores)),
  );

  const scoring = startSpan();
  await runPool(count, concurrency, async (index) => {
    // The exam task opened before the clock started (reviewedCases waited for it), as it would have on the examiner's
    // list: only the entering is timed.
    const { handle, ready } = group.cases[index];
    const task = openTaskIn(ready, TaskKind.ExamScores)!;
    await handle.executeUpdate(submitScores, {
      args: [{ taskId: task.id, actor: actors.stationExaminer, knowledge: 82, skills: 90 }],
    });
  });
  await atStage(db, group, Stage.ResultApproval);
  const scoresToAdvanced = scoring.end();
  log(`  case by case: scores to result approval in ${seconds(scoresToAdvanced.ms)} s`);

  const approving = startSpan();
  await runPool(count, concurrency, async (index) => {
    const { handle } = group.cases[index];
    for (const [kind, actor] of RESULT_APPROVALS) await decide(handle, kind, actor);
  });
  await whenCounted(
    'every case-by-case certificate issued',
    () => countOpenTasks(db, group.prefix, TaskKind.CertificatePrint),
    count,
    phaseTimeoutMs(count),
  );
  const approvalsToIssued = approving.end();
  log(`  case by case: three approvals to certificate issued in ${seconds(approvalsToIssued.ms)} s`);
  await checkIssued(group, concurrency);
  return {
    cases: count,
    scoresToAdvanced,
    approvalsToIssued,
    sampleWorkflowId: group.cases[0].handle.workflowId,
  };
}

/** The moment every case of the group is at this stage in the case index. */
export const atStage = (db: Db, group: CaseGroup, stage: Stage) =>
  whenCounted(
    `every case at ${stage}`,
    () => countAtStage(db, group.prefix, stage),
    group.cases.length,
    phaseTimeoutMs(group.cases.length),
  );

export const seconds = (ms: number) => (ms / 1000).toFixed(1);
