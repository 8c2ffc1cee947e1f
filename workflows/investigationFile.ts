/**
 * The state of one investigation and the rules for changing it, like caseFile.ts for a case. Update validators call
 * the `check*` methods, which throw before anything is written to history; handlers then call the matching mutation.
 * Nothing here awaits. The checks read only the view and the time they are given, so a client holding the final view
 * of a closed investigation can explain a refusal the same way (see runtime/investigations.ts).
 */
import { addDays } from '../domain/dates';
import { englishText } from '../domain/englishText';
import { isMessage, type Message, message } from '../domain/messages';
import { localDate } from '../domain/workingDays';
import { type CaseEvent, RefusalType, TaskStatus } from './definitions';
import {
  type AttachReportCommand,
  type InvestigationInput,
  type InvestigationPolicy,
  type InvestigationTask,
  type InvestigationView,
  type ReasonCommand,
  type RevokeCommand,
  checkReport,
  DECISIONS_OF,
  InvestigationDecision,
  InvestigationStage,
  InvestigationTaskKind,
  REPORT_CATEGORIES,
  ReportCategory,
} from './investigationDefinitions';
import { checkActorShape, checkText, now, refuse, refuseFields } from './refusals';
import { TaskList } from './taskList';
import { ADMINISTRATORS } from './taskRules';

export const TERMINAL_INVESTIGATION_STAGES: readonly InvestigationStage[] = [
  InvestigationStage.Dismissed,
  InvestigationStage.RevokedFinal,
  InvestigationStage.Reinstated,
];

/** Which task a decision closes, read off DECISIONS_OF. */
const TASK_OF = Object.fromEntries(
  Object.entries(DECISIONS_OF).flatMap(([kind, decisions]) => decisions.map((decision) => [decision, kind])),
) as Record<InvestigationDecision, InvestigationTaskKind>;

export class InvestigationFile {
  /** Set by the workflow's first activity; until then no task is open for it to time. */
  policy!: InvestigationPolicy;
  /** The search attribute values last sent, so only changes are upserted. */
  readonly publishedAttributes = new Map<string, string>();
  /** Where the holder's notices go; kept out of the view, which staff and tools query. */
  holderEmail?: string;
  /** The department's tasks: opening, deadlines (taskList.ts); the decisions are the investigation's own. */
  readonly tasks: TaskList<InvestigationTask>;

  constructor(readonly view: InvestigationView) {
    this.tasks = new TaskList(view.tasks, { kind: 'investigation', id: () => view.investigationId }, (event) =>
      this.record(event),
    );
  }

  static open(input: InvestigationInput, investigationId: string, at: string): InvestigationFile {
    return new InvestigationFile({
      investigationId,
      certificateNumber: input.certificateNumber,
      stage: InvestigationStage.Opened,
      closed: false,
      openedAt: at,
      reports: [input.report],
      tasks: [],
      history: [{ at, type: 'report-received', by: input.report.reporter, comment: input.report.category }],
    });
  }

  get stage(): InvestigationStage {
    return this.view.stage;
  }

  /** The category of the report that opened the investigation. */
  get category(): ReportCategory {
    return this.view.reports[0].category;
  }

  record(event: Omit<CaseEvent, 'at'>): void {
    this.view.history.push({ at: now(), ...event });
  }

  enter(stage: InvestigationStage): void {
    this.view.stage = stage;
    this.record({ type: `stage:${stage}` });
  }

  openTask(kind: InvestigationTaskKind, dueAt: Date): InvestigationTask {
    const department = this.view.departmentId!;
    const groups = { candidateGroup: `${department}:approvers`, supervisingGroup: `${department}:supervisors` };
    return this.tasks.openTask(kind, groups, dueAt);
  }

  /** A reason the workflow words itself comes as a Message (see CaseFile.close); a person's stays as typed. */
  close(stage: InvestigationStage, why?: string | Message, by?: string): void {
    this.tasks.cancelOpen();
    this.view.stage = stage;
    this.view.closed = true;
    const said = isMessage(why) ? why : undefined;
    const reason = said ? englishText(said) : (why as string | undefined);
    this.view.outcome = { stage, reason, ...(said && { said }), at: now(), by };
    this.record({ type: `closed:${stage}`, by, comment: reason, ...(said && { said }) });
  }

  // ---- Checks: called by update validators; they throw ApplicationFailure and change nothing. ----

  checkDecision(cmd: RevokeCommand, decision: InvestigationDecision): void {
    checkActorShape(cmd);
    const kind = TASK_OF[decision];
    const task = this.tasks.open.find((t) => t.kind === kind);
    if (!task) {
      return refuse(RefusalType.Closed, this.whyNoOpenTask(kind));
    }
    if (!this.tasks.mayAct(cmd.actor, task)) {
      const { investigationId } = this.view;
      refuse(
        RefusalType.Forbidden,
        this.tasks.about(task, 'refusals:investigation.notInGroup', {
          actor: cmd.actor.id,
          candidateGroup: task.candidateGroup,
          investigationId,
        }),
      );
    }
    checkReason(cmd.reason);
    if (cmd.category !== undefined && !REPORT_CATEGORIES.includes(cmd.category)) {
      const given = JSON.stringify(cmd.category);
      const categories = REPORT_CATEGORIES.join(', ');
      refuse(
        RefusalType.InvalidInput,
        message('refusals:investigation.category', { field: 'category', categories, given }),
      );
    }
  }

  /**
   * The holder appeals through the station that issued the certificate (holders have no accounts): its clerks or
   * supervisors, or an administrator, file it with the holder's reason, within the window counted from the revocation.
   */
  checkAppeal(cmd: ReasonCommand, nowMs: number): void {
    checkActorShape(cmd);
    const { revocation, appeal, certificateNumber, investigationId } = this.view;
    if (!revocation) {
      if (this.view.closed) {
        refuse(RefusalType.Closed, message('refusals:appeal.notRevokedEnded', { investigationId, certificateNumber }));
      }
      refuse(RefusalType.Closed, message('refusals:appeal.notRevokedYet', { investigationId, certificateNumber }));
    }
    if (appeal) {
      refuse(
        RefusalType.Conflict,
        message('refusals:appeal.alreadyFiled', { certificateNumber, person: appeal.by, filedAt: appeal.at }),
      );
    }
    if (this.view.closed || nowMs > Date.parse(revocation!.appealClosesAt)) {
      const { appealClosesAt: closesAt } = revocation!;
      const days = this.view.appealWindowDays ?? 0;
      refuse(RefusalType.Closed, message('refusals:appeal.windowClosed', { certificateNumber, closesAt, days }));
    }
    const station = this.view.holder!.stationId;
    if (!appealingGroupsFor(station).some((group) => cmd.actor.groups.includes(group))) {
      refuse(RefusalType.Forbidden, message('refusals:appeal.onlyStation', { actor: cmd.actor.id, station }));
    }
    checkReason(cmd.reason);
  }

  checkAttach(cmd: AttachReportCommand): void {
    const { investigationId } = this.view;
    if (this.view.closed) {
      refuse(RefusalType.Closed, message('refusals:investigation.endedReport', { investigationId }));
    }
    // The client checks a report before it attaches one (runtime/investigations.ts); this is the workflow's own guard.
    refuseFields(checkReport(cmd?.report));
  }

  // ---- Mutations: called by update handlers after their validator passed. ----

  decide(cmd: RevokeCommand, decision: InvestigationDecision): InvestigationTask {
    const task = this.tasks.open.find((t) => t.kind === TASK_OF[decision])!;
    const at = now();
    const reason = cmd.reason.trim();
    task.status = TaskStatus.Done;
    task.outcome = { decision, by: cmd.actor.id, at, reason };
    this.record({ type: `task-${decision}`, taskId: task.id, by: cmd.actor.id, comment: reason });
    if (decision === InvestigationDecision.Revoke) {
      // People count an appeal window in dates: it ends at the end of the last day, China time.
      const lastDay = addDays(localDate(new Date(at)), this.policy.appealWindowDays);
      this.view.revocation = {
        category: cmd.category ?? this.category,
        reason,
        by: cmd.actor.id,
        at,
        appealClosesAt: new Date(`${lastDay}T23:59:59.999+08:00`).toISOString(),
      };
    }
    if (decision === InvestigationDecision.Reinstate) this.view.reinstatement = { reason, by: cmd.actor.id, at };
    return task;
  }

  appeal(cmd: ReasonCommand): void {
    this.view.appeal = { reason: cmd.reason.trim(), by: cmd.actor.id, at: now() };
    this.record({ type: 'appeal-filed', by: cmd.actor.id, comment: this.view.appeal.reason });
  }

  attach(cmd: AttachReportCommand): void {
    this.view.reports.push({ ...cmd.report, description: cmd.report.description.trim() });
    this.record({ type: 'report-attached', by: cmd.report.reporter, comment: cmd.report.category });
  }

  // ---- Helpers ----

  private whyNoOpenTask(kind: InvestigationTaskKind): Message {
    const { investigationId, closed } = this.view;
    if (closed) {
      return message('refusals:investigation.ended', { investigationId });
    }
    const done = this.view.tasks.filter((t) => t.kind === kind && t.outcome).pop();
    if (done) {
      return this.tasks.about(done, 'refusals:investigation.alreadyDecided', {
        investigationId,
        person: done.outcome!.by,
      });
    }
    if (kind === InvestigationTaskKind.AppealReview) {
      return message('refusals:investigation.noAppeal', { investigationId });
    }
    return message('refusals:investigation.notYet', { investigationId });
  }
}

export const appealingGroupsFor = (stationId: string): string[] => [
  `${stationId}:clerks`,
  `${stationId}:supervisors`,
  ADMINISTRATORS,
];

function checkReason(value: unknown): void {
  checkText('reason', value, true);
}
