/**
 * The client side of investigations, for the CLI, the inbox and the tests: filing a disciplinary report (checked
 * before anything starts) and sending decisions, with a refusal that names the problem in every case, also when the
 * investigation has already ended and its workflow no longer takes updates.
 */
import {
  type Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { certificateNumberMistake } from '../domain/certificateNumber';
import { englishText } from '../domain/englishText';
import { type Message, message } from '../domain/messages';
import type { Db } from '../records/database';
import { findCertificate } from '../records/registry';
import { RefusalType, TASK_QUEUE } from '../workflows/definitions';
import { investigationWorkflow } from '../workflows/investigation';
import {
  type InvestigationView,
  type ReasonCommand,
  type RevokeCommand,
  type ViolationReport,
  attachReport,
  checkReport,
  dismissReport,
  fileAppeal,
  getInvestigationState,
  InvestigationDecision,
  investigationIdFor,
  reinstateCertificate,
  revokeCertificate,
  upholdRevocation,
} from '../workflows/investigationDefinitions';
import { InvestigationFile } from '../workflows/investigationFile';

export interface InvestigationClientDeps {
  client: Client;
  db: Db;
  taskQueue?: string;
}

/**
 * A report refused before anything started: `field` names the input at fault and `said` its problem, a Message the
 * edge (the command line) puts into its reader's words. The error's own message is the English, with codes, for logs.
 */
export class ReportRefused extends Error {
  constructor(
    readonly type: RefusalType,
    readonly field: string,
    readonly said: Message,
  ) {
    super(englishText(message('refusals:fields.line', { field, text: englishText(said) })));
    this.name = 'ReportRefused';
  }
}

export interface ReportInput {
  certificateNumber: string;
  report: Omit<ViolationReport, 'reportedAt'> & { reportedAt?: string };
}

export interface ReportOutcome {
  investigationId: string;
  /** True when the report joined an investigation already open on the certificate. */
  attached: boolean;
}

/**
 * Files a report: checks it, then opens investigation n+1 of the certificate, or attaches the report to the one that
 * is open. The certificate's investigation counter lives in the `sequences` table: it is read, the open investigation
 * (if any) is asked to take the report, and otherwise the counter is moved on with a compare-and-set, so two reports
 * at once never open two investigations; the loser of the race attaches to the winner's.
 */
export async function reportViolation(deps: InvestigationClientDeps, input: ReportInput): Promise<ReportOutcome> {
  const { client, db, taskQueue = TASK_QUEUE } = deps;
  const raw = typeof input?.certificateNumber === 'string' ? input.certificateNumber : '';
  const mistake = certificateNumberMistake(raw);
  if (mistake) throw new ReportRefused(RefusalType.InvalidInput, 'certificateNumber', mistake);
  const report = {
    ...input.report,
    reportedAt: input.report?.reportedAt ?? new Date().toISOString(),
  } as ViolationReport;
  const errors = Object.entries(checkReport(report));
  if (errors.length > 0) {
    const [field, said] = errors[0];
    throw new ReportRefused(RefusalType.InvalidInput, field, said);
  }
  const certificateNumber = raw.trim().toUpperCase();
  const entry = await findCertificate(db, certificateNumber);
  // The same answer verification gives: a number never sealed was never issued.
  if (!entry?.content) {
    throw new ReportRefused(
      RefusalType.NotFound,
      'certificateNumber',
      message('refusals:report.notIssued', { certificateNumber }),
    );
  }
  const cleaned: ViolationReport = {
    ...report,
    reporter: report.reporter.trim(),
    description: report.description.trim(),
  };

  for (let attempt = 0; attempt < 5; attempt++) {
    const seen = await investigationCount(db, certificateNumber);
    if (seen > 0) {
      const attached = await attachIfOpen(client, investigationIdFor(certificateNumber, seen), cleaned);
      if (attached) return { investigationId: investigationIdFor(certificateNumber, seen), attached: true };
    }
    if (entry.status === 'revoked') {
      const investigationId = entry.lastChange?.investigation_id;
      throw new ReportRefused(
        RefusalType.Conflict,
        'certificateNumber',
        investigationId
          ? message('refusals:report.alreadyRevoked', { certificateNumber, investigationId })
          : message('refusals:report.alreadyRevokedUnknown', { certificateNumber }),
      );
    }
    if (!(await claimInvestigationNumber(db, certificateNumber, seen))) continue;
    const investigationId = investigationIdFor(certificateNumber, seen + 1);
    try {
      await client.workflow.start(investigationWorkflow, {
        taskQueue,
        workflowId: investigationId,
        // Never reused: the registry's status changes are keyed by this id.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [{ certificateNumber, report: cleaned }],
      });
      return { investigationId, attached: false };
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }
  throw new Error(
    `Could not file the report on certificate ${certificateNumber}: too many concurrent reports; try again.`,
  );
}

/** How many investigations the certificate has had. */
async function investigationCount(db: Db, certificateNumber: string): Promise<number> {
  const row = await db
    .selectFrom('sequences')
    .select('value')
    .where('name', '=', counterName(certificateNumber))
    .executeTakeFirst();
  return row?.value ?? 0;
}

/** Moves the counter from `seen` to `seen + 1`; false when another report moved it first. */
async function claimInvestigationNumber(db: Db, certificateNumber: string, seen: number): Promise<boolean> {
  const name = counterName(certificateNumber);
  if (seen === 0) {
    const result = await db
      .insertInto('sequences')
      .values({ name, value: 1 })
      .onConflict((oc) => oc.column('name').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }
  const result = await db
    .updateTable('sequences')
    .set({ value: seen + 1 })
    .where('name', '=', name)
    .where('value', '=', seen)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

const counterName = (certificateNumber: string) => `investigation:${certificateNumber}`;

/** Whether the investigation took the report; false when it has ended (or never started). */
async function attachIfOpen(client: Client, investigationId: string, report: ViolationReport): Promise<boolean> {
  try {
    await client.workflow.getHandle(investigationId).executeUpdate(attachReport, { args: [{ report }] });
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    if (error instanceof WorkflowUpdateFailedError && isFailure(error.cause, RefusalType.Closed)) return false;
    throw error;
  }
}

// ---- Decisions ----

export const investigationHandle = (client: Client, investigationId: string) =>
  client.workflow.getHandle<typeof investigationWorkflow>(investigationId);

export const DECISION_UPDATES: Record<InvestigationDecision, UpdateDefinition<InvestigationView, [RevokeCommand]>> = {
  [InvestigationDecision.Revoke]: revokeCertificate,
  [InvestigationDecision.Dismiss]: dismissReport,
  [InvestigationDecision.Uphold]: upholdRevocation,
  [InvestigationDecision.Reinstate]: reinstateCertificate,
};

export const decide = (client: Client, investigationId: string, decision: InvestigationDecision, cmd: RevokeCommand) =>
  send(client, investigationId, DECISION_UPDATES[decision], cmd, (file) => file.checkDecision(cmd, decision));

export const appeal = (client: Client, investigationId: string, cmd: ReasonCommand) =>
  send(client, investigationId, fileAppeal, cmd, (file) => file.checkAppeal(cmd, Date.now()));

/**
 * Sends an update. An investigation that has ended no longer takes updates (the server answers "not found"); its
 * final view still answers queries, so the same check the validator runs explains the refusal, as a
 * WorkflowUpdateFailedError like any other refusal, and callers map both one way.
 */
async function send<Arg>(
  client: Client,
  investigationId: string,
  update: UpdateDefinition<InvestigationView, [Arg]>,
  arg: Arg,
  check: (file: InvestigationFile) => void,
): Promise<InvestigationView> {
  const handle = investigationHandle(client, investigationId);
  try {
    return await handle.executeUpdate(update, { args: [arg] });
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
    const view = await handle.query(getInvestigationState).catch(() => undefined);
    if (!view?.closed) throw error;
    try {
      check(new InvestigationFile(view));
    } catch (refusal) {
      throw new WorkflowUpdateFailedError('Workflow Update failed', refusal as Error);
    }
    const said = message('refusals:investigation.ended', { investigationId });
    const ended = ApplicationFailure.create({
      type: RefusalType.Closed,
      message: englishText(said),
      details: [said],
      nonRetryable: true,
    });
    throw new WorkflowUpdateFailedError('Workflow Update failed', ended);
  }
}

const isFailure = (cause: unknown, type: RefusalType) => cause instanceof ApplicationFailure && cause.type === type;
