/**
 * `npm run case -- <command>`: drive cases from a terminal before (and besides) the inbox.
 *
 *   start <application.json>                       validate and start a case
 *   show <number>                                  the case's stage, tasks and history
 *   list                                           open and recent cases
 *   claim|release <number> <task> --as <user>
 *   approve <number> <task> --as <user> [--comment text]
 *   reject|return <number> <task> --as <user> --reason text
 *   scores <number> <task> --as <user> [--knowledge N] [--skills N]
 *   disqualify <number> <task> --as <user> --reason text
 *   withdraw|cancel <number> --as <user> --reason text
 *
 * Users are the demo province's (runtime/directory.ts). Connects like the worker: TEMPORAL_ADDRESS or the local dev
 * server that `npm start` runs.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { listCases } from '../inbox-ui/caseList';
import { openDatabase } from '../records/database';
import { databaseTarget, loadConfig } from '../runtime/config';
import { submitApplication } from '../runtime/intake';
import { demoActor } from '../runtime/directory';
import { connectTemporal } from '../runtime/temporal';
import { applicationWorkflow } from '../workflows';
import * as msg from '../workflows/definitions';
import { required as requiredArg, runCommand, UsageError } from './cli';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    as: { type: 'string' },
    comment: { type: 'string' },
    reason: { type: 'string' },
    knowledge: { type: 'string' },
    skills: { type: 'string' },
    to: { type: 'string' },
  },
});
const [command, ...args] = positionals;

async function main(): Promise<void> {
  if (!command)
    throw new UsageError(
      'Name a command: start, show, list, claim, release, approve, reject, return, scores, disqualify, withdraw, cancel.',
    );
  const temporal = await connectTemporal(loadConfig(), { startServer: false });
  try {
    const { client } = temporal;
    const handle = (number: string) => client.workflow.getHandle<typeof applicationWorkflow>(msg.workflowIdFor(number));
    const taskArgs = () => {
      const [number, taskId] = args;
      if (!number || !taskId) throw new UsageError(`${command} needs an application number and a task id.`);
      return { h: handle(number), cmd: { taskId, actor: actor() } };
    };
    switch (command) {
      case 'start':
        return await start(client, args[0]);
      case 'show':
        return print(await handle(required(args[0], 'an application number')).query(msg.getState));
      case 'list':
        for (const c of await listCases(client, { limit: 100 })) {
          console.log(
            `${c.applicationNumber}\t${c.status}\t${c.stage ?? ''}\t${c.openTasks.join(',')}\t${c.nextDueAt ?? ''}`,
          );
        }
        return;
      case 'claim':
        return await decide(taskArgs().h, msg.claimTask, taskArgs().cmd);
      case 'release':
        return await decide(taskArgs().h, msg.releaseTask, taskArgs().cmd);
      case 'reassign':
        return await decide(taskArgs().h, msg.reassignTask, {
          ...taskArgs().cmd,
          assignee: required(values.to, '--to <user>'),
        });
      case 'approve':
        return await decide(taskArgs().h, msg.approveTask, { ...taskArgs().cmd, comment: values.comment });
      case 'reject':
        return await decide(taskArgs().h, msg.rejectTask, { ...taskArgs().cmd, reason: values.reason ?? '' });
      case 'return':
        return await decide(taskArgs().h, msg.returnTask, { ...taskArgs().cmd, reason: values.reason ?? '' });
      case 'disqualify':
        return await decide(taskArgs().h, msg.disqualifyCandidate, { ...taskArgs().cmd, reason: values.reason ?? '' });
      case 'scores':
        return await decide(taskArgs().h, msg.submitScores, {
          ...taskArgs().cmd,
          knowledge: score(values.knowledge),
          skills: score(values.skills),
          comment: values.comment,
        });
      case 'withdraw':
        return await decide(handle(required(args[0], 'an application number')), msg.withdrawApplication, {
          actor: actor(),
          reason: values.reason ?? '',
        });
      case 'cancel':
        return await decide(handle(required(args[0], 'an application number')), msg.cancelCase, {
          actor: actor(),
          reason: values.reason ?? '',
        });
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } finally {
    await temporal.close();
  }
}

async function start(client: Awaited<ReturnType<typeof connectTemporal>>['client'], file: string | undefined) {
  const raw = JSON.parse(readFileSync(required(file, 'an application JSON file'), 'utf8'));
  const db = await openDatabase(databaseTarget(loadConfig()));
  try {
    const result = await submitApplication({ client, db }, raw);
    if (!result.ok) {
      console.error('The application was not started:');
      for (const [field, message] of Object.entries(result.errors)) console.error(`  ${field}: ${message}`);
      process.exitCode = 1;
      return;
    }
    const { applicationNumber } = result.application;
    if (result.alreadySubmitted)
      throw new UsageError(`Application ${applicationNumber} already exists; nothing was changed.`);
    console.log(`Started case ${applicationNumber}. Follow it with: npm run case -- show ${applicationNumber}`);
  } finally {
    await db.destroy();
  }
}

async function decide<Arg>(
  h: WorkflowHandle<typeof applicationWorkflow>,
  update: UpdateDefinition<msg.CaseView, [Arg]>,
  arg: Arg,
) {
  print(await h.executeUpdate(update, { args: [arg] }));
}

function print(view: msg.CaseView): void {
  console.log(`Case ${view.applicationNumber}: ${view.stage}${view.closed ? ' (closed)' : ''}`);
  if (view.outcome?.reason) console.log(`  reason: ${view.outcome.reason}`);
  const open = view.tasks.filter((task) => task.status === msg.TaskStatus.Open);
  for (const task of open) {
    console.log(
      `  open task ${task.id} for ${task.candidateGroup}${task.assignee ? ` (claimed by ${task.assignee})` : ''}, due ${task.dueAt}`,
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

/** Non-numbers go through as typed, so the workflow's validator names the problem the same way the inbox does. */
function score(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  return (Number.isFinite(value) && raw.trim() !== '' ? value : raw) as number;
}

runCommand(main);
