/**
 * `npm run investigate -- <command>`: disciplinary reports and their investigations, from a terminal, as the person who
 * logged in.
 *
 *   login --user <id> | logout            as for `npm run case` (the token is shared)
 *   report <certificate number> --category <c> --description text
 *                                         checks the report, then opens an investigation (or joins the open one);
 *                                         you are the reporter
 *   decide <investigation id> revoke|dismiss|uphold|reinstate --reason text [--category c]
 *   appeal <investigation id> --reason text    the holder's appeal, filed by the issuing station
 *   show <investigation id>
 *
 * Every command goes through the web app's JSON API with your token (scripts/apiClient.ts): the workflow decides who
 * may decide or appeal, and only those who take part in an investigation see it.
 */
import { parseArgs } from 'node:util';
import { taskLabel } from '../inbox-ui/labels';
import { TaskStatus } from '../workflows/definitions';
import {
  type InvestigationView,
  InvestigationDecision,
  type InvestigationStage,
  type ReportCategory,
} from '../workflows/investigationDefinitions';
import { accountCommand, ApiRefused, refuseAs, signedInApi } from './apiClient';
import { list, printHistory, required as requiredArg, runCommand, t, time, UsageError } from './cli';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    // Refused with what to do instead (apiClient.ts refuseAs); declared so that it is not an unknown option.
    as: { type: 'string' },
    user: { type: 'string' },
    category: { type: 'string' },
    description: { type: 'string' },
    reason: { type: 'string' },
  },
});
const [command, ...args] = positionals;
const COMMANDS = ['login', 'logout', 'report', 'decide', 'appeal', 'show'];

async function main(): Promise<void> {
  if (!command) throw new UsageError(t('cli:nameCommand', { commands: list(COMMANDS) }));
  refuseAs(values.as);
  if (await accountCommand(command, values)) return;
  if (!COMMANDS.includes(command)) throw new UsageError(t('cli:unknownCommand', { command }));
  const api = signedInApi();
  const investigation = () =>
    `/api/investigations/${encodeURIComponent(required(args[0], t('cli:what.investigationId')))}`;
  switch (command) {
    case 'report': {
      const outcome = await api
        .post<{ investigationId: string; attached: boolean }>('/api/investigations', {
          certificateNumber: required(args[0], t('cli:what.certificateNumber')),
          // Passed through as typed: the check names a wrong category with the list of right ones.
          category: values.category,
          description: values.description ?? '',
        })
        .catch((error: unknown) => {
          // The API's sentence names the field at fault; nothing was started, which the terminal says too.
          if (error instanceof ApiRefused && error.status < 500) {
            throw new UsageError(t('cli:investigate.reportRefused', { reason: error.message }));
          }
          throw error;
        });
      const id = outcome.investigationId;
      console.log(outcome.attached ? t('cli:investigate.joined', { id }) : t('cli:investigate.opened', { id }));
      return;
    }
    case 'show':
      return print(await api.get<InvestigationView>(investigation()));
    case 'decide': {
      const [id, decision] = args;
      if (!id || !Object.values(InvestigationDecision).includes(decision as InvestigationDecision)) {
        throw new UsageError(
          t('cli:investigate.decideUsage', { decisions: list(Object.values(InvestigationDecision)) }),
        );
      }
      return print(
        await api.post<InvestigationView>(`${investigation()}/decide/${decision}`, {
          reason: values.reason ?? '',
          category: values.category,
        }),
      );
    }
    case 'appeal':
      return print(await api.post<InvestigationView>(`${investigation()}/appeal`, { reason: values.reason ?? '' }));
  }
}

function print(view: InvestigationView): void {
  const heading = { id: view.investigationId, stage: stageWord(view.stage) };
  console.log(view.closed ? t('cli:investigate.headingClosed', heading) : t('cli:investigate.heading', heading));
  console.log(t('cli:timesNote'));
  const number = view.certificateNumber;
  console.log(
    view.holder
      ? t('cli:investigate.certificateOf', { number, application: view.holder.applicationNumber })
      : t('cli:investigate.certificate', { number }),
  );
  for (const report of view.reports) {
    const category = categoryWord(report.category);
    console.log(t('cli:investigate.report', { reporter: report.reporter, at: time(report.reportedAt), category }));
  }
  if (view.revocation) {
    const { at, by, category, reason, recordedAt, appealClosesAt } = view.revocation;
    const revoked = { at: time(at), by, category: categoryWord(category), reason };
    console.log(recordedAt ? t('cli:investigate.revoked', revoked) : t('cli:investigate.revokedRecording', revoked));
    console.log(t('cli:investigate.appealWindow', { at: time(appealClosesAt) }));
  }
  if (view.appeal) {
    const { at, by, reason } = view.appeal;
    console.log(t('cli:investigate.appeal', { at: time(at), by, reason }));
  }
  if (view.reinstatement) {
    const { at, by } = view.reinstatement;
    console.log(t('cli:investigate.reinstated', { at: time(at), by }));
  }
  if (view.outcome?.reason) console.log(t('cli:investigate.outcome', { reason: view.outcome.reason }));
  for (const task of view.tasks.filter((open) => open.status === TaskStatus.Open)) {
    const group = task.escalated
      ? t('cli:investigate.escalatedTo', { group: task.candidateGroup, supervisors: task.supervisingGroup })
      : task.candidateGroup;
    console.log(t('cli:openTask', { id: task.id, kind: taskLabel(t, task.kind), group, due: time(task.dueAt) }));
  }
  printHistory(view.history, 12);
}

const stageWord = (stage: InvestigationStage) => t(`cli:investigate.stage.${stage}`, { defaultValue: stage });
const categoryWord = (category: ReportCategory) =>
  t(`cli:investigate.category.${category}`, { defaultValue: category });

function required(value: string | undefined, what: string): string {
  return requiredArg(command, value, what);
}

runCommand(main);
