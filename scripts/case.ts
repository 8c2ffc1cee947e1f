/**
 * `npm run case -- <command>`: drive cases from a terminal before (and besides) the inbox, as the person who logged in.
 *
 *   login --user <id>                              sign in (the password is asked for, or read from stdin or
 *                                                  QUALIFLOW_PASSWORD) and keep the token for the commands below
 *   logout                                         end the session and forget the token
 *   start <application.json>                       take an application in at your station
 *   show <number>                                  the case's stage, tasks and history, as you may see it
 *   list                                           the open tasks you may see (your inbox)
 *   claim|release <number> <task>
 *   reassign <number> <task> --to <user>
 *   approve <number> <task> [--comment text] [--received-by name]   --received-by: at a certificate's hand-over
 *   reject|return <number> <task> --reason text
 *   scores <number> <task> [--knowledge N] [--skills N] [--comment text]
 *   disqualify <number> <task> --reason text
 *   withdraw <number> --reason text                the receiving station, on the candidate's behalf
 *   cancel <number> --reason text                  administrators
 *
 * Every command goes through the web app's JSON API (QUALIFLOW_URL, by default what `npm start` serves) with your
 * token (scripts/apiClient.ts), so it may do and see what you may in the inbox, no more.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { stageLabel, taskLabel } from '../inbox-ui/labels';
import type * as msg from '../workflows/definitions';
import { TaskStatus } from '../workflows/definitions';
import { accountCommand, refuseAs, signedInApi } from './apiClient';
import { list, printHistory, required as requiredArg, runCommand, t, time, UsageError } from './cli';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    // Refused with what to do instead (apiClient.ts refuseAs); declared so that it is not an unknown option.
    as: { type: 'string' },
    user: { type: 'string' },
    comment: { type: 'string' },
    reason: { type: 'string' },
    knowledge: { type: 'string' },
    skills: { type: 'string' },
    to: { type: 'string' },
    'received-by': { type: 'string' },
  },
});
const [command, ...args] = positionals;
const COMMANDS = [
  'login',
  'logout',
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

interface ListedTask {
  applicationNumber: string;
  taskId: string;
  kind: string;
  stage: string;
  assignee: string | null;
  dueAt: string;
}

async function main(): Promise<void> {
  if (!command) throw new UsageError(t('cli:nameCommand', { commands: list(COMMANDS) }));
  refuseAs(values.as);
  if (await accountCommand(command, values)) return;
  if (!COMMANDS.includes(command)) throw new UsageError(t('cli:unknownCommand', { command }));
  const api = signedInApi();
  const path = (...parts: string[]) => parts.map(encodeURIComponent).join('/');
  const act = async (action: string, body: Record<string, unknown> = {}) => {
    const [number, taskId] = args;
    if (!number || !taskId) throw new UsageError(t('cli:needs', { command, what: t('cli:what.applicationAndTask') }));
    const done = await api.post<{ message: string; case: msg.CaseView }>(
      `/api/cases/${path(number, 'tasks', taskId, action)}`,
      body,
    );
    console.log(done.message);
    print(done.case);
  };
  const number = () => required(args[0], t('cli:what.applicationNumber'));
  switch (command) {
    case 'start':
      return await start(api, args[0]);
    case 'show':
      return print(await api.get<msg.CaseView>(`/api/cases/${path(number())}`));
    case 'list': {
      const { tasks, total } = await api.get<{ tasks: ListedTask[]; total: number }>('/api/tasks?limit=100');
      if (tasks.length > 0) console.log(t('cli:timesNote'));
      for (const task of tasks) {
        const line = [task.applicationNumber, task.taskId, taskLabel(t, task.kind), stageLabel(t, task.stage)];
        console.log([...line, task.assignee ?? '', time(task.dueAt)].join('\t'));
      }
      if (total > tasks.length) console.log(t('cli:case.moreTasks', { more: total - tasks.length }));
      return;
    }
    case 'claim':
    case 'release':
      return await act(command);
    case 'reassign':
      return await act(command, { assignee: required(values.to, t('cli:what.toUser')) });
    case 'approve':
      return await act(command, { comment: values.comment, receivedBy: values['received-by'] });
    case 'reject':
    case 'return':
    case 'disqualify':
      return await act(command, { reason: values.reason ?? '' });
    case 'scores':
      return await act(command, {
        knowledge: score(values.knowledge),
        skills: score(values.skills),
        comment: values.comment,
      });
    case 'withdraw': {
      const { case: view } = await api.post<{ case: msg.CaseView }>(`/api/cases/${path(number(), 'withdraw')}`, {
        reason: values.reason ?? '',
      });
      console.log(t('cli:case.withdrawn', { number: view.applicationNumber }));
      return print(view);
    }
    case 'cancel': {
      const done = await api.post<{ message: string; case: msg.CaseView }>(
        `/api/admin/cases/${path(number(), 'cancel')}`,
        { reason: values.reason ?? '' },
      );
      console.log(done.message);
      return print(done.case);
    }
  }
}

/** The application as the intake form would send it; the API fills in the station's organisations and checks it. */
async function start(api: ReturnType<typeof signedInApi>, file: string | undefined) {
  const name = required(file, t('cli:what.applicationFile'));
  let application: unknown;
  try {
    application = JSON.parse(readFileSync(name, 'utf8'));
  } catch (error) {
    throw new UsageError(t('cli:notJson', { file: name, message: (error as Error).message }));
  }
  const result = await api.post<{ applicationNumber: string; alreadySubmitted: boolean }>(
    '/api/applications',
    application,
  );
  const number = result.applicationNumber;
  if (result.alreadySubmitted) throw new UsageError(t('cli:case.exists', { number }));
  console.log(t('cli:case.started', { number }));
}

function print(view: msg.CaseView): void {
  const heading = { number: view.applicationNumber, stage: stageLabel(t, view.stage) };
  console.log(view.closed ? t('cli:case.headingClosed', heading) : t('cli:case.heading', heading));
  if (view.outcome?.reason) console.log(t('cli:reason', { reason: view.outcome.reason }));
  console.log(t('cli:timesNote'));
  const open = view.tasks.filter((task) => task.status === TaskStatus.Open);
  for (const task of open) {
    const line = { id: task.id, kind: taskLabel(t, task.kind), group: task.candidateGroup, due: time(task.dueAt) };
    console.log(
      task.assignee ? t('cli:openTaskClaimed', { ...line, assignee: task.assignee }) : t('cli:openTask', line),
    );
  }
  printHistory(view.history, 12);
}

function required(value: string | undefined, what: string): string {
  return requiredArg(command, value, what);
}

/** Non-numbers go through as typed, so the API names the problem the same way the inbox does. */
function score(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  return (Number.isFinite(value) && raw.trim() !== '' ? value : raw) as number;
}

runCommand(main);
