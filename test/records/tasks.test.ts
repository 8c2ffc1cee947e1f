import test from 'ava';
import { Level } from '../../domain/levels';
import type { Db } from '../../records/database';
import type { DialectName } from '../../records/dialect';
import {
  countOpenTasks,
  deleteCaseTasks,
  openTasksAssignedTo,
  openTasksForGroups,
  projectTasks,
  replaceCaseTasks,
  type TaskCursor,
  type TaskRow,
  type TaskSort,
  taskRowsFromCase,
  tasksOfCase,
} from '../../records/tasks';
import {
  type CaseView,
  Decision,
  type HumanTask,
  Stage,
  TaskKind,
  TaskStatus,
  workflowIdFor,
} from '../../workflows/definitions';
import { applicationFor } from '../helpers/applications';
import { DIALECTS, freshDatabase } from './databases';

function row(overrides: Partial<TaskRow> & Pick<TaskRow, 'workflow_id' | 'task_id'>): TaskRow {
  return {
    application_number: overrides.workflow_id.replace(/^application-/, ''),
    kind: TaskKind.StationReview,
    stage: Stage.StationReview,
    candidate_group: 'station-a:reviewers',
    supervising_group: 'station-a:supervisors',
    assignee: null,
    status: 'open',
    escalated: 0,
    level: 5,
    occupation: 'baker',
    station_id: 'station-a',
    created_at: '2026-03-01T08:00:00.000Z',
    due_at: '2026-03-10T08:00:00.000Z',
    closed_at: null,
    outcome: null,
    version: 1,
    ...overrides,
    priority: overrides.escalated ? 0 : 1,
  };
}

const GROUPS = ['station-a:reviewers', 'station-b:reviewers', 'center-1:reviewers', 'station-a:examiners'];

/** A backlog with equal due dates (the natural key must break ties), closed tasks and escalations. */
function backlog(): TaskRow[] {
  const rows: TaskRow[] = [];
  for (let i = 0; i < 160; i++) {
    const group = GROUPS[i % GROUPS.length];
    const [org] = group.split(':');
    const day = String(1 + (i % 9)).padStart(2, '0');
    rows.push(
      row({
        workflow_id: workflowIdFor(`QF-2026-${String(1000 - i).padStart(6, '0')}`),
        task_id: `task-${i % 3}`,
        candidate_group: group,
        supervising_group: `${org}:supervisors`,
        status: i % 7 === 0 ? 'done' : i % 11 === 0 ? 'cancelled' : 'open',
        escalated: i % 5 === 0 ? 1 : 0,
        assignee: i % 6 === 0 ? 'li.station-reviewer' : null,
        // Nine due dates for 160 tasks: many ties.
        due_at: `2026-04-${day}T09:00:00.000Z`,
        created_at: `2026-03-${String(1 + (i % 20)).padStart(2, '0')}T08:00:00.000Z`,
      }),
    );
  }
  return rows;
}

/** What the inbox should list, computed the slow, obvious way. */
function expectedFor(rows: TaskRow[], groups: string[], sort: TaskSort): string[] {
  const column = sort === 'due' ? 'due_at' : 'created_at';
  return rows
    .filter(
      (r) =>
        r.status === 'open' &&
        (groups.includes(r.candidate_group) || (r.escalated === 1 && groups.includes(r.supervising_group))),
    )
    .sort((a, b) => cmp(a[column], b[column]) || cmp(a.workflow_id, b.workflow_id) || cmp(a.task_id, b.task_id))
    .map(key);
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const key = (r: TaskRow) => `${r.workflow_id}/${r.task_id}`;

async function allPages(db: Db, groups: string[], sort: TaskSort, limit: number): Promise<string[][]> {
  const pages: string[][] = [];
  let after: TaskCursor | undefined;
  do {
    const page = await openTasksForGroups(db, { groups, sort, limit, after });
    pages.push(page.tasks.map(key));
    after = page.next;
  } while (after && pages.length < 100);
  return pages;
}

const idempotent = test.macro({
  async exec(t, dialect: DialectName) {
    const { db } = await freshDatabase(t, dialect);
    const rows = [
      row({ workflow_id: 'application-QF-1', task_id: 'station-review-1' }),
      row({ workflow_id: 'application-QF-1', task_id: 'center-review-2', candidate_group: 'center-1:reviewers' }),
    ];
    t.is(await projectTasks(db, rows), 2);
    // The activity retried: same rows, same version.
    t.is(await projectTasks(db, rows), 0);
    t.deepEqual(await tasksOfCase(db, 'application-QF-1'), [rows[1], rows[0]]);
  },
  title: (_, dialect: DialectName) => `${dialect}: projecting the same task twice leaves one row, unchanged`,
});

const versionGuard = test.macro({
  async exec(t, dialect: DialectName) {
    const { db } = await freshDatabase(t, dialect);
    const opened = row({ workflow_id: 'application-QF-2', task_id: 'station-review-1', version: 3 });
    const claimed = { ...opened, assignee: 'li.station-reviewer', version: 5 };
    const decided = {
      ...claimed,
      status: 'done' as const,
      outcome: 'approve',
      closed_at: '2026-03-02T10:00:00.000Z',
      version: 6,
    };
    await projectTasks(db, [claimed]);
    // A late retry of the activity that projected the opening.
    t.is(await projectTasks(db, [opened]), 0);
    t.deepEqual(await tasksOfCase(db, 'application-QF-2'), [claimed]);
    t.is(await projectTasks(db, [decided]), 1);
    t.deepEqual(await tasksOfCase(db, 'application-QF-2'), [decided]);
    // Within one batch the newest version of a task wins, whatever the order.
    await projectTasks(db, [
      { ...decided, task_id: 'center-review-2', version: 9, stage: Stage.CenterReview },
      { ...decided, task_id: 'center-review-2', version: 8, stage: Stage.StationReview },
    ]);
    t.is((await tasksOfCase(db, 'application-QF-2'))[0].stage, Stage.CenterReview);
  },
  title: (_, dialect: DialectName) => `${dialect}: an older version of a task never overwrites a newer one`,
});

const firstPages = test.macro({
  async exec(t, dialect: DialectName, groups: string[], sort: TaskSort) {
    const { db } = await freshDatabase(t, dialect);
    const rows = backlog();
    await projectTasks(db, rows);
    const expected = expectedFor(rows, groups, sort);
    t.true(expected.length > 20, 'the backlog gives the user several pages');
    const pages = await allPages(db, groups, sort, 10);
    t.deepEqual(pages.flat(), expected);
    t.true(pages.slice(0, -1).every((page) => page.length === 10));
    t.is(await countOpenTasks(db, groups), expected.length);
  },
  title: (_, dialect: DialectName, groups: string[], sort: TaskSort) =>
    `${dialect}: ${groups.join(' + ')} page through their open tasks by ${sort} date, each once, in order`,
});

const escalationOnce = test.macro({
  async exec(t, dialect: DialectName) {
    const { db } = await freshDatabase(t, dialect);
    await projectTasks(db, [
      row({
        workflow_id: 'application-QF-3',
        task_id: 'station-review-1',
        escalated: 1,
        due_at: '2026-03-01T00:00:00.000Z',
      }),
      row({ workflow_id: 'application-QF-4', task_id: 'station-review-1', due_at: '2026-03-02T00:00:00.000Z' }),
      row({
        workflow_id: 'application-QF-5',
        task_id: 'station-review-1',
        escalated: 1,
        status: 'done',
        due_at: '2026-03-03T00:00:00.000Z',
      }),
    ]);
    const supervisor = await openTasksForGroups(db, { groups: ['station-a:supervisors'], sort: 'due', limit: 10 });
    t.deepEqual(supervisor.tasks.map(key), ['application-QF-3/station-review-1']);
    t.is(supervisor.next, undefined);
    const both = await openTasksForGroups(db, {
      groups: ['station-a:reviewers', 'station-a:supervisors'],
      sort: 'due',
      limit: 10,
    });
    t.deepEqual(both.tasks.map(key), ['application-QF-3/station-review-1', 'application-QF-4/station-review-1']);
    t.deepEqual(await openTasksForGroups(db, { groups: [], sort: 'due', limit: 10 }), { tasks: [] });
    t.is(await countOpenTasks(db, ['station-a:supervisors']), 1);
    t.is(await countOpenTasks(db), 2);
  },
  title: (_, dialect: DialectName) =>
    `${dialect}: an escalated task shows to its supervisors, and once to someone in both groups`,
});

const assigned = test.macro({
  async exec(t, dialect: DialectName) {
    const { db } = await freshDatabase(t, dialect);
    const rows = backlog();
    await projectTasks(db, rows);
    const expected = rows
      .filter((r) => r.status === 'open' && r.assignee === 'li.station-reviewer')
      .sort((a, b) => cmp(a.due_at, b.due_at) || cmp(a.workflow_id, b.workflow_id) || cmp(a.task_id, b.task_id))
      .map(key);
    const first = await openTasksAssignedTo(db, { assignee: 'li.station-reviewer', limit: 5 });
    const rest = await openTasksAssignedTo(db, { assignee: 'li.station-reviewer', limit: 100, after: first.next });
    t.deepEqual([...first.tasks, ...rest.tasks].map(key), expected);
  },
  title: (_, dialect: DialectName) => `${dialect}: a person's claimed tasks are listed by due date`,
});

const rebuild = test.macro({
  async exec(t, dialect: DialectName) {
    const { db } = await freshDatabase(t, dialect);
    const workflowId = 'application-QF-6';
    const truth = [
      row({ workflow_id: workflowId, task_id: 'station-review-1', status: 'done', outcome: 'approve', version: 7 }),
      row({ workflow_id: workflowId, task_id: 'center-review-2', candidate_group: 'center-1:reviewers', version: 7 }),
    ];
    await projectTasks(db, [
      { ...truth[0], status: 'open', outcome: null, version: 7 }, // drifted at the same version
      row({ workflow_id: workflowId, task_id: 'stray-9', version: 2 }), // a row the workflow does not have
    ]);
    const result = await replaceCaseTasks(db, { workflowId, version: 7, rows: truth });
    t.deepEqual(result, { written: 2, removed: 1 });
    t.deepEqual(await tasksOfCase(db, workflowId), [truth[1], truth[0]]);

    // The workflow moved on while the rebuild read it: the newer row stays.
    const newer = { ...truth[1], assignee: 'wu.center-reviewer', version: 8 };
    await projectTasks(db, [newer]);
    await replaceCaseTasks(db, { workflowId, version: 7, rows: truth });
    t.deepEqual(await tasksOfCase(db, workflowId), [newer, truth[0]]);

    t.is(await deleteCaseTasks(db, workflowId), 2);
    t.deepEqual(await tasksOfCase(db, workflowId), []);
  },
  title: (_, dialect: DialectName) =>
    `${dialect}: a rebuild repairs and prunes a case's rows but keeps what the workflow wrote since`,
});

for (const dialect of DIALECTS) {
  test(idempotent, dialect);
  test(versionGuard, dialect);
  test(firstPages, dialect, ['station-a:reviewers'], 'due');
  test(firstPages, dialect, ['station-a:reviewers', 'center-1:reviewers', 'station-b:supervisors'], 'due');
  test(firstPages, dialect, ['station-b:reviewers', 'station-a:supervisors'], 'created');
  test(escalationOnce, dialect);
  test(assigned, dialect);
  test(rebuild, dialect);
}

test("a case's tasks become projection rows with their state, closing time and the case's facts", (t) => {
  const application = { ...applicationFor(Level.Advanced), applicationNumber: 'QF-2026-000042' };
  const task = (id: string, overrides: Partial<HumanTask>): HumanTask => ({
    id,
    kind: TaskKind.CenterReview,
    candidateGroup: 'center-1:reviewers',
    supervisingGroup: 'center-1:supervisors',
    createdAt: '2026-03-01T08:00:00.000Z',
    dueAt: '2026-03-05T08:00:00.000Z',
    status: TaskStatus.Open,
    remindersSent: 0,
    escalated: false,
    ...overrides,
  });
  const view: CaseView = {
    applicationNumber: application.applicationNumber,
    stage: Stage.Cancelled,
    closed: true,
    submittedAt: '2026-03-01T08:00:00.000Z',
    application,
    ruleSetVersion: '2026',
    tasks: [
      task('station-review-1', {
        kind: TaskKind.StationReview,
        candidateGroup: 'station-a:reviewers',
        status: TaskStatus.Done,
        assignee: 'li.station-reviewer',
        outcome: { decision: Decision.Approve, by: 'li.station-reviewer', at: '2026-03-02T09:00:00.000Z' },
      }),
      task('training-completion-2', { kind: TaskKind.TrainingCompletion, status: TaskStatus.Cancelled }),
      task('center-review-3', { status: TaskStatus.Cancelled, escalated: true }),
    ],
    history: [
      { at: '2026-03-01T08:00:00.000Z', type: 'application-received' },
      { at: '2026-03-03T00:00:00.000Z', type: 'task-expired', taskId: 'training-completion-2' },
      { at: '2026-03-04T00:00:00.000Z', type: 'closed:cancelled', by: 'admin' },
    ],
    outcome: { stage: Stage.Cancelled, at: '2026-03-04T00:00:00.000Z', by: 'admin' },
  };
  const rows = taskRowsFromCase(view);
  t.deepEqual(
    rows.map((r) => [r.task_id, r.status, r.closed_at, r.outcome, r.escalated, r.version]),
    [
      ['station-review-1', 'done', '2026-03-02T09:00:00.000Z', 'approve', 0, 3],
      ['training-completion-2', 'cancelled', '2026-03-03T00:00:00.000Z', null, 0, 3],
      ['center-review-3', 'cancelled', '2026-03-04T00:00:00.000Z', null, 1, 3],
    ],
  );
  t.like(rows[0], {
    workflow_id: 'application-QF-2026-000042',
    application_number: 'QF-2026-000042',
    kind: 'station-review',
    stage: 'cancelled',
    candidate_group: 'station-a:reviewers',
    assignee: 'li.station-reviewer',
    level: Level.Advanced,
    occupation: 'baker',
    station_id: 'station-a',
    due_at: '2026-03-05T08:00:00.000Z',
  });
  t.is(taskRowsFromCase(view, 41)[0].version, 41);
});
