/**
 * `npm run projection:rebuild [-- --prune]`: rewrites the task projection from the workflows, which are the authority.
 * Lists every application workflow (running and closed, as long as Temporal retains its history), asks each for its
 * state, and replaces that case's rows (records/tasks.ts replaceCaseTasks: never over a newer write). A case that
 * cannot be read is reported and left as it is; the command then exits 1. With --prune, rows of cases Temporal no
 * longer knows are deleted; without it they are only counted.
 *
 * The state query of a closed workflow is answered by a worker replaying its history, so a worker must be running
 * (`npm start` or `npm run worker`).
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Client } from '@temporalio/client';
import { DEFAULT_LANGUAGE, type Language, translator } from '../i18n';
import { indexNewCase, updateCaseStage } from '../records/caseIndex';
import { type Db, describeTarget, openDatabase } from '../records/database';
import {
  deleteCaseTasks,
  projectedWorkflowIds,
  recountOpenTasks,
  replaceCaseTasks,
  taskRowsFromCase,
} from '../records/tasks';
import { cliLanguage, databaseTarget, loadConfig } from '../runtime/config';
import { connectTemporal } from '../runtime/temporal';
import type { applicationWorkflow } from '../workflows';
import { getState, workflowIdFor } from '../workflows/definitions';

export const APPLICATION_WORKFLOWS = "WorkflowType = 'applicationWorkflow'";

export interface RebuildOptions {
  client: Client;
  db: Db;
  /** A visibility query narrowing the cases (tests pass their task queue); always within application workflows. */
  query?: string;
  /** How long one case's state query may take. */
  queryTimeoutMs?: number;
  /** Delete the rows of cases the listing does not contain. */
  prune?: boolean;
  /** Cases read at once. */
  concurrency?: number;
  /** The language of the failures' reasons: the command passes its terminal's. */
  language?: Language;
}

export interface RebuildReport {
  cases: number;
  rowsWritten: number;
  rowsRemoved: number;
  /** Each case that could not be read, with why in the language asked for. */
  failures: { workflowId: string; reason: string }[];
  /** Workflow ids with rows but no workflow in the listing. */
  orphans: string[];
  pruned: boolean;
}

export async function rebuildProjection({
  client,
  db,
  query,
  queryTimeoutMs = 15_000,
  prune = false,
  concurrency = 8,
  language = DEFAULT_LANGUAGE,
}: RebuildOptions): Promise<RebuildReport> {
  // The newest run of each workflow id: a listing holds every run the namespace retains.
  const newest = new Map<string, { runId: string; startedAt: number }>();
  const listQuery = query ? `${APPLICATION_WORKFLOWS} AND (${query})` : APPLICATION_WORKFLOWS;
  for await (const execution of client.workflow.list({ query: listQuery })) {
    const startedAt = execution.startTime.getTime();
    const seen = newest.get(execution.workflowId);
    if (!seen || startedAt > seen.startedAt) newest.set(execution.workflowId, { runId: execution.runId, startedAt });
  }
  const runs = new Map([...newest].map(([workflowId, { runId }]) => [workflowId, runId]));

  const report: RebuildReport = { cases: 0, rowsWritten: 0, rowsRemoved: 0, failures: [], orphans: [], pruned: prune };
  const queue = [...runs];
  const rebuildOne = async ([workflowId, runId]: [string, string]) => {
    const deadline = Date.now() + queryTimeoutMs;
    try {
      const handle = client.workflow.getHandle<typeof applicationWorkflow>(workflowId, runId);
      const view = await client.connection.withDeadline(deadline, () => handle.query(getState));
      const version = view.history.length;
      const result = await replaceCaseTasks(db, { workflowId, version, rows: taskRowsFromCase(view, version) });
      // The case index too: a case no intake indexed (started from elsewhere) gets its row, the person included.
      await indexNewCase(db, view.application, view.submittedAt);
      await updateCaseStage(db, view, version);
      report.cases++;
      report.rowsWritten += result.written;
      report.rowsRemoved += result.removed;
    } catch (error) {
      const reason = explain(error as Error, queryTimeoutMs, Date.now() >= deadline, language);
      report.failures.push({ workflowId, reason });
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await rebuildOne(next);
    }),
  );

  // Only a full listing can tell which cases are gone.
  if (!query) {
    // Only cases are rebuilt here; a session's rows are its own workflow's to write.
    report.orphans = (await projectedWorkflowIds(db))
      .filter((id) => id.startsWith(workflowIdFor('')) && !runs.has(id))
      .sort();
    if (prune) for (const id of report.orphans) report.rowsRemoved += await deleteCaseTasks(db, id);
  }
  // The inbox's counters follow every write above; recounting them from the rows repairs any changed behind their back.
  await recountOpenTasks(db);
  report.failures.sort((a, b) => a.workflowId.localeCompare(b.workflowId));
  return report;
}

/**
 * Why a case could not be read. At the deadline gRPC reports DEADLINE_EXCEEDED or, when the client's own timer wins
 * the race, CANCELLED; either way the question went unanswered for the whole timeout, which is what the reader needs.
 */
function explain(error: Error, timeoutMs: number, deadlinePassed: boolean, language: Language): string {
  // The client wraps the gRPC error ("Failed to query Workflow"); the reason is in the causes.
  const messages: string[] = [];
  for (let cause: unknown = error; cause instanceof Error && messages.length < 5; cause = cause.cause) {
    messages.push(cause.message);
  }
  if (deadlinePassed || messages.some((message) => /deadline|timed? ?out/i.test(message))) {
    return translator(language)('cli:rebuild.noAnswer', { seconds: timeoutMs / 1000 });
  }
  return messages.join(': ');
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { prune: { type: 'boolean', default: false } } });
  const language = cliLanguage();
  const t = translator(language);
  const config = loadConfig();
  const temporal = await connectTemporal(config, { startServer: false });
  const target = databaseTarget(config);
  const db = await openDatabase(target);
  try {
    console.log(t('cli:rebuild.starting', { target: describeTarget(target), namespace: temporal.namespace }));
    const report = await rebuildProjection({ client: temporal.client, db, prune: values.prune, language });
    console.log(
      t('cli:rebuild.done', { count: report.cases, written: report.rowsWritten, removed: report.rowsRemoved }),
    );
    const { orphans } = report;
    if (orphans.length) {
      const ids = [...orphans.slice(0, 10), ...(orphans.length > 10 ? ['…'] : [])].join(t('cli:listSeparator'));
      console.log(
        report.pruned
          ? t('cli:rebuild.pruned', { count: orphans.length })
          : t('cli:rebuild.orphans', { count: orphans.length, ids }),
      );
    }
    for (const { workflowId: id, reason } of report.failures) console.error(t('cli:rebuild.failed', { id, reason }));
    return report.failures.length ? 1 : 0;
  } finally {
    await db.destroy();
    await temporal.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: Error) => {
      console.error(error.message);
      process.exitCode = 2;
    },
  );
}
