/**
 * `npm run investigate -- <command>`: disciplinary reports and their investigations, from a terminal.
 *
 *   report <certificate number> --category <c> --description text --as <reporter>
 *                                         checks the report, then opens an investigation (or joins the open one)
 *   decide <investigation id> revoke|dismiss|uphold|reinstate --reason text --as <user> [--category c]
 *   appeal <investigation id> --reason text --as <user>    the holder's appeal, filed by the issuing station
 *   show <investigation id>
 *
 * Anyone may report (--as names the reporter, any text); deciding and appealing need a demo user
 * (runtime/directory.ts). Connects like the worker: TEMPORAL_ADDRESS or the local dev server that `npm start` runs.
 */
import { parseArgs } from 'node:util';
import { WorkflowNotFoundError } from '@temporalio/client';
import { openDatabase } from '../records/database';
import { databaseTarget, loadConfig } from '../runtime/config';
import { demoActor } from '../runtime/directory';
import { appeal, decide, investigationHandle, reportViolation, ReportRefused } from '../runtime/investigations';
import { connectTemporal } from '../runtime/temporal';
import { TaskStatus } from '../workflows/definitions';
import {
  type InvestigationView,
  getInvestigationState,
  InvestigationDecision,
  ReportCategory,
} from '../workflows/investigationDefinitions';
import { required as requiredArg, runCommand, UsageError } from './cli';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    as: { type: 'string' },
    category: { type: 'string' },
    description: { type: 'string' },
    reason: { type: 'string' },
  },
});
const [command, ...args] = positionals;

async function main(): Promise<void> {
  if (!command) throw new UsageError('Name a command: report, decide, appeal, show.');
  const config = loadConfig();
  const temporal = await connectTemporal(config, { startServer: false });
  try {
    const { client } = temporal;
    switch (command) {
      case 'report': {
        const db = await openDatabase(databaseTarget(config));
        try {
          const outcome = await reportViolation(
            { client, db },
            {
              certificateNumber: required(args[0], 'a certificate number'),
              report: {
                reporter: required(values.as, '--as <reporter>'),
                // Passed through as typed: the check names a wrong category with the list of right ones.
                category: values.category as ReportCategory,
                description: values.description ?? '',
              },
            },
          );
          console.log(
            outcome.attached
              ? `The report joined the open investigation ${outcome.investigationId}.`
              : `Opened ${outcome.investigationId}. Follow it with: npm run investigate -- show ${outcome.investigationId}`,
          );
        } finally {
          await db.destroy();
        }
        return;
      }
      case 'show':
        return print(
          await investigationHandle(client, required(args[0], 'an investigation id')).query(getInvestigationState),
        );
      case 'decide': {
        const [id, decision] = args;
        if (!id || !Object.values(InvestigationDecision).includes(decision as InvestigationDecision)) {
          throw new UsageError(
            `decide needs an investigation id and one of ${Object.values(InvestigationDecision).join(', ')}.`,
          );
        }
        return print(
          await decide(client, id, decision as InvestigationDecision, {
            actor: actor(),
            reason: values.reason ?? '',
            category: values.category as ReportCategory | undefined,
          }),
        );
      }
      case 'appeal':
        return print(
          await appeal(client, required(args[0], 'an investigation id'), {
            actor: actor(),
            reason: values.reason ?? '',
          }),
        );
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } finally {
    await temporal.close();
  }
}

function print(view: InvestigationView): void {
  console.log(`${view.investigationId}: ${view.stage}${view.closed ? ' (closed)' : ''}`);
  console.log(
    `  certificate ${view.certificateNumber}${view.holder ? ` (application ${view.holder.applicationNumber})` : ''}`,
  );
  for (const report of view.reports)
    console.log(`  report by ${report.reporter} at ${report.reportedAt}: ${report.category}`);
  if (view.revocation) {
    const { at, by, category, reason, recordedAt, appealClosesAt } = view.revocation;
    console.log(`  revoked at ${at} by ${by} (${category}): ${reason}${recordedAt ? '' : ' [being recorded]'}`);
    console.log(`  appeal window closes ${appealClosesAt}`);
  }
  if (view.appeal) console.log(`  appeal filed at ${view.appeal.at} by ${view.appeal.by}: ${view.appeal.reason}`);
  if (view.reinstatement) console.log(`  reinstated at ${view.reinstatement.at} by ${view.reinstatement.by}`);
  if (view.outcome?.reason) console.log(`  outcome: ${view.outcome.reason}`);
  for (const task of view.tasks.filter((t) => t.status === TaskStatus.Open)) {
    console.log(
      `  open task ${task.id} for ${task.candidateGroup}${task.escalated ? ` and ${task.supervisingGroup}` : ''}, due ${task.dueAt}`,
    );
  }
  console.log('  history:');
  for (const event of view.history.slice(-12)) {
    console.log(
      `    ${event.at} ${event.type}${event.taskId ? ` ${event.taskId}` : ''}${event.by ? ` by ${event.by}` : ''}${event.comment ? `: ${event.comment}` : ''}`,
    );
  }
}

function actor() {
  return demoActor(required(values.as, '--as <user>'));
}

function required(value: string | undefined, what: string): string {
  return requiredArg(command, value, what);
}

runCommand(main, (error) => {
  if (error instanceof WorkflowNotFoundError) return `Refused: no investigation ${error.workflowId}.`;
  if (error instanceof ReportRefused) return `Refused, nothing was started: ${error.message}`;
  return undefined;
});
