/**
 * The session bench (`npm run bench -- --session-candidates N`, or alone with `--only session`): an appraisal session
 * of N candidates from its confirmed score sheet to every certificate issued, beside the same work done case by case
 * (bench/caseByCase.ts), on the bench's dev server in real time. Each kind runs on a worker of its own in this process,
 * identical but for the policy's `appraisalSessions` switch, which a case reads from the worker when it starts.
 */
import { seedDemoDirectory } from '../records/demoProvince';
import { runCaseByCase } from './caseByCase';
import type { BenchEnvironment, BenchWorker } from './environment';
import { type SessionFigures, sessionFigures } from './sessionReport';
import { runSessionRound } from './sessionRound';

export interface SessionBenchOptions {
  candidates: number;
  /** How many cases do the same work case by case: the baseline of the per-candidate ratios. */
  caseByCaseCases: number;
  concurrency: number;
  log?: (line: string) => void;
}

export async function benchSession(
  env: BenchEnvironment,
  { candidates, caseByCaseCases, concurrency, log = console.log }: SessionBenchOptions,
): Promise<SessionFigures> {
  // The plan's appraisal team and the station's province are checked against the directory.
  await seedDemoDirectory(env.db);
  const sessions = await env.startWorker('sessions', { appraisalSessions: true });
  const caseByCase = await env.startWorker('cases', { appraisalSessions: false });
  // Application numbers unique to this run, and apart from the main bench's: each group is counted by its prefix.
  const runTag = Date.now().toString(36).toUpperCase();
  const work = async () => {
    log(`Session bench: ${caseByCaseCases} cases case by case, then a session of ${candidates}`);
    const baseline = await runCaseByCase(
      env,
      { taskQueue: caseByCase.taskQueue, tag: `C${runTag}`, count: caseByCaseCases, concurrency },
      log,
    );
    const round = await runSessionRound(
      env,
      { taskQueue: sessions.taskQueue, tag: `S${runTag}`, count: candidates, concurrency },
      log,
    );
    return sessionFigures(env.client, round, baseline, concurrency);
  };
  return Promise.race([work(), failsWhenStopped(sessions), failsWhenStopped(caseByCase)]);
}

/** A worker that dies would leave every case waiting out its task timeout; fail at once instead. */
function failsWhenStopped({ taskQueue, running }: BenchWorker): Promise<never> {
  const stopped = running.then(() => Promise.reject(new Error(`the worker of ${taskQueue} stopped during the bench`)));
  // Handled by the race; after it, the teardown stops the worker on purpose.
  stopped.catch(() => {});
  return stopped;
}
