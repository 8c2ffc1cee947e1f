/**
 * The investigation of a disciplinary report against an issued certificate (DOMAIN.md, Discipline; After issuance).
 * The function below reads as its story: open → the department decides → revoke → appeal window → appeal review.
 * Every registry write is an activity, so public verification shows a revocation or a reinstatement as soon as the
 * decision's activity has run; the appeal window is a durable timer in the history.
 */
import { condition, setHandler, workflowInfo } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { NotificationKind } from '../activities/notifications';
import { message } from '../domain/messages';
import { addWorkingDays } from '../domain/workingDays';
import { acts } from './activities';
import { watchDeadline } from './deadlines';
import { openTaskAttributes, upsertChanged } from './searchAttributeSync';
import { searchAttributes, TaskStatus } from './definitions';
import { InvestigationFile } from './investigationFile';
import {
  type InvestigationInput,
  type InvestigationTask,
  type InvestigationView,
  attachReport,
  dismissReport,
  fileAppeal,
  getInvestigationState,
  InvestigationDecision,
  InvestigationStage,
  InvestigationTaskKind,
  reinstateCertificate,
  revokeCertificate,
  upholdRevocation,
} from './investigationDefinitions';

export async function investigationWorkflow(input: InvestigationInput): Promise<InvestigationView> {
  const file = InvestigationFile.open(input, workflowInfo().workflowId, new Date().toISOString());
  registerHandlers(file);
  await openInvestigation(file);
  const decision = await departmentDecides(file);
  if (decision.outcome!.decision === InvestigationDecision.Dismiss) {
    file.close(InvestigationStage.Dismissed, decision.outcome!.reason, decision.outcome!.by);
  } else {
    await revoke(file);
    if (!(await appealWithinWindow(file))) {
      file.close(
        InvestigationStage.RevokedFinal,
        message('case:said.noAppeal', { closesAt: file.view.revocation!.appealClosesAt }),
      );
    } else {
      const review = await departmentReviewsAppeal(file);
      const { decision: verdict, reason, by } = review.outcome!;
      if (verdict === InvestigationDecision.Reinstate) {
        await reinstate(file);
        file.close(InvestigationStage.Reinstated, reason, by);
      } else {
        file.close(InvestigationStage.RevokedFinal, reason, by);
      }
    }
  }
  publish(file);
  await tellHolder(file, closingNotice(file.stage));
  return file.view;
}

// ---- Stages ----

/** Reads the times in force and the certificate's holder, then tells the holder an investigation is open. */
async function openInvestigation(file: InvestigationFile): Promise<void> {
  file.policy = await acts.loadInvestigationPolicy({ openedAt: file.view.openedAt });
  file.view.appealWindowDays = file.policy.appealWindowDays;
  const holder = await acts.loadCertificateHolder({ certificateNumber: file.view.certificateNumber });
  file.view.holder = { applicationNumber: holder.applicationNumber, name: holder.name, stationId: holder.stationId };
  file.view.departmentId = holder.departmentId;
  file.holderEmail = holder.email;
  publish(file);
  await tellHolder(file, 'investigation-opened');
}

async function departmentDecides(file: InvestigationFile): Promise<InvestigationTask> {
  file.enter(InvestigationStage.DepartmentDecision);
  return humanStep(file, InvestigationTaskKind.Decision, file.policy.decisionWorkingDays);
}

/** Writes the revocation to the registry (verification shows it from then on) and tells the holder. */
async function revoke(file: InvestigationFile): Promise<void> {
  const revocation = file.view.revocation!;
  await acts.setCertificateStatus({
    certificateNumber: file.view.certificateNumber,
    status: 'revoked',
    category: revocation.category,
    reason: revocation.reason,
    decidedBy: revocation.by,
    decidedAt: revocation.at,
    investigationId: file.view.investigationId,
  });
  revocation.recordedAt = new Date().toISOString();
  file.record({ type: 'certificate-revoked', by: revocation.by, comment: revocation.category });
  await tellHolder(file, 'certificate-revoked');
}

/** The appeal window: a durable timer that an appeal (filed through the fileAppeal update) ends early. */
async function appealWithinWindow(file: InvestigationFile): Promise<boolean> {
  file.enter(InvestigationStage.AppealWindow);
  publish(file);
  const closesAt = Date.parse(file.view.revocation!.appealClosesAt);
  const remaining = closesAt - Date.now();
  // An appeal filed while the revocation was being recorded is already here; the timer is then never started.
  if (!file.view.appeal && remaining > 0) await condition(() => !!file.view.appeal, remaining);
  // Read the state, not the condition's answer: an appeal accepted in the same task as the timer still counts.
  const { appeal, investigationId } = file.view;
  if (appeal) {
    await acts.auditDecision({
      key: `${investigationId}#appeal`,
      entry: {
        at: appeal.at,
        actor: appeal.by,
        action: 'investigation-appeal',
        workflowId: investigationId,
        comment: appeal.reason,
      },
    });
  }
  return !!appeal;
}

async function departmentReviewsAppeal(file: InvestigationFile): Promise<InvestigationTask> {
  file.enter(InvestigationStage.AppealReview);
  return humanStep(file, InvestigationTaskKind.AppealReview, file.policy.appealReviewWorkingDays);
}

async function reinstate(file: InvestigationFile): Promise<void> {
  const reinstatement = file.view.reinstatement!;
  await acts.setCertificateStatus({
    certificateNumber: file.view.certificateNumber,
    status: 'reinstated',
    category: null,
    reason: reinstatement.reason,
    decidedBy: reinstatement.by,
    decidedAt: reinstatement.at,
    investigationId: file.view.investigationId,
  });
  reinstatement.recordedAt = new Date().toISOString();
  file.record({ type: 'certificate-reinstated', by: reinstatement.by });
  await tellHolder(file, 'certificate-reinstated');
}

// ---- Human steps ----

/** Opens a department task, tells the department, watches its deadline and waits for the decision. */
async function humanStep(file: InvestigationFile, kind: InvestigationTaskKind, workingDays: number) {
  const task = file.openTask(kind, addWorkingDays(new Date(), workingDays, file.policy.calendar));
  publish(file);
  const watcher = watchDeadline(file, task, {
    notify: (t, notice) => tellDepartment(file, t, notice),
    changed: () => publish(file),
  });
  try {
    await tellDepartment(file, task, 'task-opened');
    await condition(() => task.status !== TaskStatus.Open);
  } finally {
    watcher.cancel();
  }
  publish(file);
  const { decision, by, at, reason } = task.outcome!;
  const investigationId = file.view.investigationId;
  await acts.auditDecision({
    key: `${investigationId}#${task.id}`,
    entry: {
      at,
      actor: by,
      action: `investigation-${decision}`,
      workflowId: investigationId,
      taskId: task.id,
      comment: reason,
    },
  });
  return task;
}

// ---- Messages ----

function registerHandlers(file: InvestigationFile): void {
  setHandler(getInvestigationState, () => file.view);
  const decision = (update: typeof revokeCertificate, decided: InvestigationDecision) =>
    setHandler(update, (cmd) => (file.decide(cmd, decided), afterChange(file)), {
      validator: (cmd) => file.checkDecision(cmd, decided),
    });
  decision(revokeCertificate, InvestigationDecision.Revoke);
  decision(dismissReport, InvestigationDecision.Dismiss);
  decision(upholdRevocation, InvestigationDecision.Uphold);
  decision(reinstateCertificate, InvestigationDecision.Reinstate);
  setHandler(fileAppeal, (cmd) => (file.appeal(cmd), afterChange(file)), {
    validator: (cmd) => file.checkAppeal(cmd, Date.now()),
  });
  setHandler(attachReport, (cmd) => (file.attach(cmd), afterChange(file)), {
    validator: (cmd) => file.checkAttach(cmd),
  });
}

function afterChange(file: InvestigationFile): InvestigationView {
  publish(file);
  return file.view;
}

/**
 * The same search attributes a case keeps, so the inbox's lists (by candidate group, next due date) show the
 * department's investigation tasks beside its case tasks; the workflow type tells them apart. No personal data.
 */
function publish(file: InvestigationFile): void {
  const { kinds, groups, nextDue } = openTaskAttributes(file.tasks.open);
  const values: SearchAttributeUpdatePair[] = [
    { key: searchAttributes.stage, value: file.stage },
    kinds,
    groups,
    nextDue,
  ];
  if (file.view.holder) values.push({ key: searchAttributes.station, value: file.view.holder.stationId });
  upsertChanged(file.publishedAttributes, values);
}

/** Notices about an investigation go in the log of the certificate's application, beside the case's own. */
async function tellDepartment(file: InvestigationFile, task: InvestigationTask, kind: NotificationKind): Promise<void> {
  const group = kind === 'task-escalated' ? task.supervisingGroup : task.candidateGroup;
  await acts.notify({
    key: `${file.view.investigationId}/${task.id}/${kind}`,
    kind,
    applicationNumber: file.view.holder!.applicationNumber,
    recipient: { group },
    task: { id: task.id, kind: task.kind, dueAt: task.dueAt },
    certificateNumber: file.view.certificateNumber,
    investigation: investigationRef(file),
  });
}

async function tellHolder(file: InvestigationFile, kind: NotificationKind | undefined): Promise<void> {
  if (!kind) return;
  const { holder, revocation, reinstatement, outcome } = file.view;
  file.record({ type: `notice:${kind}` });
  const reason =
    kind === 'certificate-revoked'
      ? revocation?.reason
      : kind === 'certificate-reinstated'
        ? reinstatement?.reason
        : outcome?.reason;
  await acts.notify({
    // Each kind goes to the holder at most once per investigation.
    key: `${file.view.investigationId}/holder/${kind}`,
    kind,
    applicationNumber: holder!.applicationNumber,
    recipient: { candidate: { name: holder!.name, email: file.holderEmail } },
    reason,
    certificateNumber: file.view.certificateNumber,
    investigation: investigationRef(file),
  });
}

function investigationRef(file: InvestigationFile) {
  const { investigationId, revocation, outcome } = file.view;
  return {
    id: investigationId,
    category: revocation?.category ?? file.category,
    appealClosesAt: revocation?.appealClosesAt,
    outcome: outcome?.stage,
  };
}

/** The holder hears how it ended; a reinstatement was already announced when it was recorded. */
function closingNotice(stage: InvestigationStage): NotificationKind | undefined {
  return stage === InvestigationStage.Reinstated ? undefined : 'investigation-closed';
}
