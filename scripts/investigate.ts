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
import { taskLabel } from '../inbox-ui/labels';
import { messageText } from '../inbox-ui/messageText';
import { openDatabase } from '../records/database';
import { databaseTarget, loadConfig } from '../runtime/config';
import { appeal, decide, investigationHandle, reportViolation, ReportRefused } from '../runtime/investigations';
import { connectTemporal } from '../runtime/temporal';
import { TaskStatus } from '../workflows/definitions';
import {
  type InvestigationView,
  getInvestigationState,
  InvestigationDecision,
  type InvestigationStage,
  ReportCategory,
} from '../workflows/investigationDefinitions';
import { demoUser, list, printHistory, required as requiredArg, runCommand, t, time, UsageError } from './cli';

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
  if (!command) throw new UsageError(t('cli:nameCommand', { commands: list(['report', 'decide', 'appeal', 'show']) }));
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
              certificateNumber: required(args[0], t('cli:what.certificateNumber')),
              report: {
                reporter: required(values.as, t('cli:what.asReporter')),
                // Passed through as typed: the check names a wrong category with the list of right ones.
                category: values.category as ReportCategory,
                description: values.description ?? '',
              },
            },
          );
          const id = outcome.investigationId;
          console.log(outcome.attached ? t('cli:investigate.joined', { id }) : t('cli:investigate.opened', { id }));
        } finally {
          await db.destroy();
        }
        return;
      }
      case 'show':
        return print(
          await investigationHandle(client, required(args[0], t('cli:what.investigationId'))).query(
            getInvestigationState,
          ),
        );
      case 'decide': {
        const [id, decision] = args;
        if (!id || !Object.values(InvestigationDecision).includes(decision as InvestigationDecision)) {
          throw new UsageError(
            t('cli:investigate.decideUsage', { decisions: list(Object.values(InvestigationDecision)) }),
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
          await appeal(client, required(args[0], t('cli:what.investigationId')), {
            actor: actor(),
            reason: values.reason ?? '',
          }),
        );
      default:
        throw new UsageError(t('cli:unknownCommand', { command }));
    }
  } finally {
    await temporal.close();
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

function actor() {
  return demoUser(required(values.as, t('cli:what.asUser')));
}

function required(value: string | undefined, what: string): string {
  return requiredArg(command, value, what);
}

/** The field at fault by its label, then its problem, as the web app words a field's refusal. */
const reportProblem = ({ field, said }: ReportRefused): string =>
  t('refusals:fields.line', {
    field: t(`refusals:field.${field}`, { defaultValue: field }),
    text: messageText(t, said),
  });

runCommand(main, (error) =>
  error instanceof ReportRefused ? t('cli:investigate.reportRefused', { reason: reportProblem(error) }) : undefined,
);
