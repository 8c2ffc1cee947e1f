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
import { checkMessages } from '../inbox-ui/applicationForm';
import { listCases } from '../inbox-ui/caseList';
import { openDatabase } from '../records/database';
import { databaseTarget, loadConfig } from '../runtime/config';
import { submitApplication } from '../runtime/intake';
import { stageLabel, taskLabel } from '../inbox-ui/labels';
import { connectTemporal } from '../runtime/temporal';
import { applicationWorkflow } from '../workflows';
import * as msg from '../workflows/definitions';
import { demoUser, list, printHistory, required as requiredArg, runCommand, t, time, UsageError } from './cli';

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
const COMMANDS = [
  'start',
  'show',
  'list',
  'claim',
  'release',
  'reassign',
  'approve',
  'reject',
  'return',
  'scores',
  'disqualify',
  'withdraw',
  'cancel',
];

async function main(): Promise<void> {
  if (!command) throw new UsageError(t('cli:nameCommand', { commands: list(COMMANDS) }));
  const temporal = await connectTemporal(loadConfig(), { startServer: false });
  try {
    const { client } = temporal;
    const handle = (number: string) => client.workflow.getHandle<typeof applicationWorkflow>(msg.workflowIdFor(number));
    const taskArgs = () => {
      const [number, taskId] = args;
      if (!number || !taskId) {
        throw new UsageError(t('cli:needs', { command, what: t('cli:what.applicationAndTask') }));
      }
      return { h: handle(number), cmd: { taskId, actor: actor() } };
    };
    switch (command) {
      case 'start':
        return await start(client, args[0]);
      case 'show':
        return print(await handle(required(args[0], t('cli:what.applicationNumber'))).query(msg.getState));
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
          assignee: required(values.to, t('cli:what.toUser')),
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
        return await decide(handle(required(args[0], t('cli:what.applicationNumber'))), msg.withdrawApplication, {
          actor: actor(),
          reason: values.reason ?? '',
        });
      case 'cancel':
        return await decide(handle(required(args[0], t('cli:what.applicationNumber'))), msg.cancelCase, {
          actor: actor(),
          reason: values.reason ?? '',
        });
      default:
        throw new UsageError(t('cli:unknownCommand', { command }));
    }
  } finally {
    await temporal.close();
  }
}

async function start(client: Awaited<ReturnType<typeof connectTemporal>>['client'], file: string | undefined) {
  const raw = JSON.parse(readFileSync(required(file, t('cli:what.applicationFile')), 'utf8'));
  const db = await openDatabase(databaseTarget(loadConfig()));
  try {
    const result = await submitApplication({ client, db }, raw);
    if (!result.ok) {
      console.error(t('cli:case.notStarted'));
      for (const [field, message] of Object.entries(checkMessages(t, result.errors, false)))
        console.error(t('cli:fieldError', { field, message }));
      process.exitCode = 1;
      return;
    }
    const { applicationNumber } = result.application;
    if (result.alreadySubmitted) throw new UsageError(t('cli:case.exists', { number: applicationNumber }));
    console.log(t('cli:case.started', { number: applicationNumber }));
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
  const heading = { number: view.applicationNumber, stage: stageLabel(t, view.stage) };
  console.log(view.closed ? t('cli:case.headingClosed', heading) : t('cli:case.heading', heading));
  if (view.outcome?.reason) console.log(t('cli:reason', { reason: view.outcome.reason }));
  console.log(t('cli:timesNote'));
  const open = view.tasks.filter((task) => task.status === msg.TaskStatus.Open);
  for (const task of open) {
    const line = { id: task.id, kind: taskLabel(t, task.kind), group: task.candidateGroup, due: time(task.dueAt) };
    console.log(
      task.assignee ? t('cli:openTaskClaimed', { ...line, assignee: task.assignee }) : t('cli:openTask', line),
    );
  }
  printHistory(view.history, 12);
}

function actor() {
  return demoUser(required(values.as, t('cli:what.asUser')));
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
