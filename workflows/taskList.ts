/**
 * The human tasks of one workflow (a case, an investigation, an appraisal session) and the rules every one of them
 * shares: opening a task for a group, its reminders and escalation (see deadlines.ts), claiming, releasing and
 * reassigning it, and who may act on it. Each workflow keeps its own decisions; this keeps what they would otherwise
 * each write again.
 *
 * The list works on the workflow's own `tasks` array and records through the workflow's own history, so the view a
 * client queries and the events of its timeline stay exactly what they were before the list existed.
 */
import { type Message, type MessageValue, message } from '../domain/messages';
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

/** Whose tasks they are, as refusals name them: a case by its number, a session or an investigation by its id. */
export interface TaskOwner {
  kind: 'case' | 'session' | 'investigation';
  id: () => string;
}

const NOT_FOUND: Record<TaskOwner['kind'], (id: string, taskId: string) => Message> = {
  case: (applicationNumber, taskId) => message('refusals:task.notFound.case', { applicationNumber, taskId }),
  session: (sessionId, taskId) => message('refusals:task.notFound.session', { sessionId, taskId }),
  investigation: (investigationId, taskId) =>
    message('refusals:task.notFound.investigation', { investigationId, taskId }),
};

const CLOSED: Record<Exclude<TaskStatus, TaskStatus.Open>, string> = {
  [TaskStatus.Done]: 'refusals:task.closed.done',
  [TaskStatus.Cancelled]: 'refusals:task.closed.cancelled',
};

export class TaskList<T extends ListedHumanTask> {
  /** `owner` names the workflow in refusals; `record` writes to the owner's history. */
  constructor(
    readonly tasks: T[],
    private readonly owner: TaskOwner,
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
      refuse(RefusalType.Conflict, this.about(task, 'refusals:task.alreadyClaimed', { assignee: task.assignee }));
    }
    return task;
  }

  checkRelease(cmd: TaskCommand): void {
    const task = this.checkOpenTask(cmd);
    if (!task.assignee) {
      refuse(RefusalType.Conflict, this.about(task, 'refusals:task.notClaimed'));
    }
    if (task.assignee !== cmd.actor.id && !this.supervises(cmd.actor, task)) {
      refuse(RefusalType.Forbidden, this.about(task, 'refusals:task.releaseForbidden', { assignee: task.assignee! }));
    }
  }

  checkReassign(cmd: ReassignCommand): void {
    const task = this.checkOpenTask(cmd);
    if (!this.supervises(cmd.actor, task)) {
      refuse(
        RefusalType.Forbidden,
        this.about(task, 'refusals:task.reassignForbidden', { supervisingGroup: task.supervisingGroup }),
      );
    }
    if (typeof cmd.assignee !== 'string' || !cmd.assignee.trim()) {
      refuse(RefusalType.InvalidInput, message('refusals:task.assigneeMissing'));
    }
  }

  /** Open, the actor may act on it, and nobody else has claimed it. */
  checkDecider(cmd: TaskCommand): T {
    const task = this.checkActionable(cmd);
    if (task.assignee && task.assignee !== cmd.actor.id) {
      refuse(RefusalType.Forbidden, this.about(task, 'refusals:task.claimedByOther', { assignee: task.assignee }));
    }
    return task;
  }

  checkOpenTask(cmd: TaskCommand): T {
    if (!cmd || typeof cmd.taskId !== 'string') {
      refuse(RefusalType.InvalidInput, message('refusals:task.taskIdMissing'));
    }
    checkActorShape(cmd);
    const task = this.byId(cmd.taskId);
    const owner = this.owner.id();
    if (!task) {
      return refuse(RefusalType.NotFound, NOT_FOUND[this.owner.kind](owner, cmd.taskId));
    }
    if (task.status !== TaskStatus.Open) {
      refuse(RefusalType.Closed, this.about(task, CLOSED[task.status]));
    }
    return task;
  }

  /** Open, and the actor belongs to its group (or supervises it once escalated). */
  checkActionable(cmd: TaskCommand): T {
    const task = this.checkOpenTask(cmd);
    if (!this.mayAct(cmd.actor, task)) {
      refuse(
        RefusalType.Forbidden,
        this.about(task, 'refusals:task.notInGroup', { actor: cmd.actor.id, candidateGroup: task.candidateGroup }),
      );
    }
    return task;
  }

  /** A refusal about one task: named by its kind (the edge shows its label) and its id. */
  about(task: T, key: string, values: Record<string, MessageValue> = {}): Message {
    return message(key, { task: task.kind, taskId: task.id, ...values });
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
