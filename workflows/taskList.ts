/**
 * The human tasks of one workflow (a case, an investigation, an appraisal session) and the rules every one of them
 * shares: opening a task for a group, its reminders and escalation (see deadlines.ts), claiming, releasing and
 * reassigning it, and who may act on it. Each workflow keeps its own decisions; this keeps what they would otherwise
 * each write again.
 *
 * The list works on the workflow's own `tasks` array and records through the workflow's own history, so the view a
 * client queries and the events of its timeline stay exactly what they were before the list existed.
 */
import {
  type Actor,
  type CaseEvent,
  type ReassignCommand,
  type TaskCommand,
  RefusalType,
  TaskStatus,
} from './definitions';
import { checkActorShape, now, refuse } from './refusals';
import { ADMINISTRATORS } from './taskRules';

/** What every human task carries, whatever its workflow. */
export interface ListedHumanTask {
  /** Unique inside its workflow: `<kind>-<n>`. */
  id: string;
  kind: string;
  /** The group whose members may claim and decide it. */
  candidateGroup: string;
  /** Joins the candidate group after escalation. */
  supervisingGroup: string;
  assignee?: string;
  createdAt: string;
  dueAt: string;
  status: TaskStatus;
  remindersSent: number;
  escalated: boolean;
}

export class TaskList<T extends ListedHumanTask> {
  /**
   * `owner` names the workflow in refusals ("Case …", "Session …"); `record` writes to the owner's history.
   */
  constructor(
    readonly tasks: T[],
    private readonly owner: () => string,
    private readonly record: (event: Omit<CaseEvent, 'at'>) => void,
  ) {}

  get open(): T[] {
    return this.tasks.filter((task) => task.status === TaskStatus.Open);
  }

  byId(id: string): T | undefined {
    return this.tasks.find((task) => task.id === id);
  }

  /** `extra`: what a workflow's own task type adds to the shared fields. */
  openTask(
    kind: T['kind'],
    groups: { candidateGroup: string; supervisingGroup: string },
    dueAt: Date,
    extra?: Omit<T, keyof ListedHumanTask>,
  ): T {
    const task = {
      id: `${kind}-${this.tasks.length + 1}`,
      kind,
      ...groups,
      createdAt: now(),
      dueAt: dueAt.toISOString(),
      status: TaskStatus.Open,
      remindersSent: 0,
      escalated: false,
      ...extra,
    } as T;
    this.tasks.push(task);
    this.record({ type: 'task-opened', taskId: task.id });
    return task;
  }

  escalate(task: T): void {
    task.escalated = true;
    this.record({ type: 'task-escalated', taskId: task.id, comment: `escalated to ${task.supervisingGroup}` });
  }

  noteReminder(task: T, kind: 'reminder' | 'deadline'): void {
    task.remindersSent++;
    this.record({ type: kind === 'reminder' ? 'task-reminder' : 'task-deadline-reached', taskId: task.id });
  }

  /** Every open task ends unanswered: the workflow closed around it. */
  cancelOpen(): void {
    for (const task of this.open) task.status = TaskStatus.Cancelled;
  }

  // ---- Checks: called by update validators; they throw ApplicationFailure and change nothing. ----

  checkClaim(cmd: TaskCommand): T {
    const task = this.checkActionable(cmd);
    if (task.assignee && task.assignee !== cmd.actor.id) {
      refuse(RefusalType.Conflict, `Task ${task.id} is already claimed by ${task.assignee}.`);
    }
    return task;
  }

  checkRelease(cmd: TaskCommand): void {
    const task = this.checkOpenTask(cmd);
    if (!task.assignee) refuse(RefusalType.Conflict, `Task ${task.id} is not claimed by anyone.`);
    if (task.assignee !== cmd.actor.id && !this.supervises(cmd.actor, task)) {
      refuse(RefusalType.Forbidden, `Only ${task.assignee} or a supervisor may release task ${task.id}.`);
    }
  }

  checkReassign(cmd: ReassignCommand): void {
    const task = this.checkOpenTask(cmd);
    if (!this.supervises(cmd.actor, task)) {
      refuse(RefusalType.Forbidden, `Only members of ${task.supervisingGroup} may reassign task ${task.id}.`);
    }
    if (typeof cmd.assignee !== 'string' || !cmd.assignee.trim()) {
      refuse(RefusalType.InvalidInput, 'assignee: name the person who takes the task over.');
    }
  }

  /** Open, the actor may act on it, and nobody else has claimed it. */
  checkDecider(cmd: TaskCommand): T {
    const task = this.checkActionable(cmd);
    if (task.assignee && task.assignee !== cmd.actor.id) {
      refuse(RefusalType.Forbidden, `Task ${task.id} is claimed by ${task.assignee}; only they may decide it.`);
    }
    return task;
  }

  checkOpenTask(cmd: TaskCommand): T {
    if (!cmd || typeof cmd.taskId !== 'string') refuse(RefusalType.InvalidInput, 'taskId: name the task.');
    checkActorShape(cmd);
    const task = this.byId(cmd.taskId);
    if (!task) return refuse(RefusalType.NotFound, `${this.owner()} has no task ${cmd.taskId}.`);
    if (task.status !== TaskStatus.Open) refuse(RefusalType.Closed, `Task ${task.id} is closed (${task.status}).`);
    return task;
  }

  /** Open, and the actor belongs to its group (or supervises it once escalated). */
  checkActionable(cmd: TaskCommand): T {
    const task = this.checkOpenTask(cmd);
    if (!this.mayAct(cmd.actor, task)) {
      refuse(RefusalType.Forbidden, `${cmd.actor.id} is not in ${task.candidateGroup}, which handles task ${task.id}.`);
    }
    return task;
  }

  mayAct(actor: Actor, task: T): boolean {
    return actor.groups.includes(task.candidateGroup) || (task.escalated && this.supervises(actor, task));
  }

  supervises(actor: Actor, task: T): boolean {
    return actor.groups.includes(task.supervisingGroup) || actor.groups.includes(ADMINISTRATORS);
  }

  // ---- Mutations: called by update handlers after their validator passed. ----

  claim(cmd: TaskCommand): void {
    const task = this.byId(cmd.taskId)!;
    task.assignee = cmd.actor.id;
    this.record({ type: 'task-claimed', taskId: task.id, by: cmd.actor.id });
  }

  release(cmd: TaskCommand): void {
    const task = this.byId(cmd.taskId)!;
    task.assignee = undefined;
    this.record({ type: 'task-released', taskId: task.id, by: cmd.actor.id });
  }

  reassign(cmd: ReassignCommand): void {
    const task = this.byId(cmd.taskId)!;
    task.assignee = cmd.assignee.trim();
    this.record({ type: 'task-reassigned', taskId: task.id, by: cmd.actor.id, comment: `to ${task.assignee}` });
  }
}
