import test from 'ava';
import { Level } from '../../domain/levels';
import type { Db } from '../../records/database';
import type { DialectName } from '../../records/dialect';
import {
  countOpenTasks,
  countTasks,
  deleteCaseTasks,
  openTasksAssignedTo,
  openTasksForGroups,
  projectTasks,
  readViews,
  replaceCaseTasks,
  returnsOf,
  type TaskCursor,
  type TaskPage,
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
import { taskRow as row } from './taskRows';

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

/** Every page from the first to the last through `next`, then back to the first through `previous`. */
const previousPages = test.macro({
  async exec(t, dialect: DialectName, sort: TaskSort) {
    const { db } = await freshDatabase(t, dialect);
    const rows = backlog();
    // Some escalations so that the priority order differs from the due order.
    await projectTasks(db, rows);
    const groups = ['station-a:reviewers', 'center-1:reviewers', 'station-b:supervisors'];
    const forwards: TaskPage[] = [];
    let page = await openTasksForGroups(db, { groups, sort, limit: 7 });
    t.is(page.previous, undefined, 'the first page has nothing before it');
    forwards.push(page);
    while (page.next) {
      page = await openTasksForGroups(db, { groups, sort, limit: 7, after: page.next });
      t.truthy(page.previous, 'a page reached by next has a previous');
      forwards.push(page);
    }
    t.true(forwards.length > 3);
    const backwards: TaskPage[] = [page];
    while (page.previous) {
      page = await openTasksForGroups(db, { groups, sort, limit: 7, before: page.previous });
      t.truthy(page.next, 'a page reached by previous has a next');
      backwards.unshift(page);
    }
    t.deepEqual(
      backwards.map((p) => p.tasks.map(key)),
      forwards.map((p) => p.tasks.map(key)),
      'the same pages, in the same order',
    );
    t.is(backwards[0].previous, undefined);

    const mine = await openTasksAssignedTo(db, { assignee: 'li.station-reviewer', sort, limit: 3 });
    const second = await openTasksAssignedTo(db, { assignee: 'li.station-reviewer', sort, limit: 3, after: mine.next });
    const back = await openTasksAssignedTo(db, {
      assignee: 'li.station-reviewer',
      sort,
      limit: 3,
      before: second.previous,
    });
    t.deepEqual(back.tasks.map(key), mine.tasks.map(key), "a person's own tasks page back too");
  },
  title: (_, dialect: DialectName, sort: TaskSort) => `${dialect}: previous pages by ${sort} retrace the next ones`,
});

const shortFirstPage = test.macro({
  async exec(t, dialect: DialectName) {
    const { db } = await freshDatabase(t, dialect);
    const rows = backlog();
    await projectTasks(db, rows);
    const groups = ['station-a:reviewers'];
    const first = await openTasksForGroups(db, { groups, sort: 'due', limit: 5 });
    const second = await openTasksForGroups(db, { groups, sort: 'due', limit: 5, after: first.next });
    // Two of the first page's tasks are decided while the person reads the second page.
    const decided = first.tasks.slice(0, 2).map((r) => ({ ...r, status: 'done' as const, version: r.version + 1 }));
    await projectTasks(db, decided);
    const back = await openTasksForGroups(db, { groups, sort: 'due', limit: 5, before: second.previous });
    t.deepEqual(
      back.tasks.map(key),
      [...first.tasks.slice(2), ...second.tasks.slice(0, 2)].map(key),
      'a first page left short is read afresh from the start',
    );
    t.is(back.previous, undefined);
  },
  title: (_, dialect: DialectName) => `${dialect}: going back to a first page that lost tasks shows a full first page`,
});

/** A case index row for the search, as intake writes it. */
async function indexCase(db: Db, number: string, name: string, idNumber: string): Promise<void> {
  await db
    .insertInto('cases')
    .values({
      application_number: number,
      workflow_id: workflowIdFor(number),
      station_id: 'station-a',
      guidance_center_id: 'center-1',
      department_id: 'department-1',
      training_institution_id: null,
      occupation: 'welder',
      level: 5,
      candidate_name: name,
      id_number: idNumber,
      stage: Stage.StationReview,
      closed: 0,
      submitted_at: '2026-03-01T08:00:00.000Z',
      version: 0,
    })
    .execute();
}

const countsAndFilters = test.macro({
  async exec(t, dialect: DialectName) {
    const { db } = await freshDatabase(t, dialect);
    const rows = backlog().map((r, i) => ({ ...r, occupation: ['welder', 'baker', 'grinder'][i % 3] }));
    await projectTasks(db, rows);
    const groups = ['station-a:reviewers', 'station-a:supervisors'];
    const visible = rows.filter(
      (r) =>
        r.status === 'open' &&
        (groups.includes(r.candidate_group) || (r.escalated === 1 && groups.includes(r.supervising_group))),
    );
    t.is(await countTasks(db, { groups }), visible.length);
    t.is(await countOpenTasks(db, groups), visible.length);
    t.is(
      await countTasks(db, { groups, filters: { unclaimed: true } }),
      visible.filter((r) => r.assignee === null).length,
    );
    const heldByLi = rows.filter((r) => r.status === 'open' && r.assignee === 'li.station-reviewer');
    t.is(await countTasks(db, { assignee: 'li.station-reviewer' }), heldByLi.length);
    t.is(await countTasks(db, { groups: [] }), 0);
    const views = {
      all: visible.length,
      claimable: visible.filter((r) => r.assignee === null).length,
      mine: heldByLi.length,
    };
    t.deepEqual((await readViews(db, { groups, assignee: 'li.station-reviewer' })).counts, views);
    t.deepEqual((await readViews(db, { groups, assignee: 'li.station-reviewer' })).counts, views, 'the statement kept');
    t.deepEqual((await readViews(db, { groups: [], assignee: 'li.station-reviewer' })).counts, {
      all: 0,
      claimable: 0,
      mine: heldByLi.length,
    });

    const welders = visible.filter((r) => r.occupation === 'welder' || r.occupation === 'grinder');
    const filters = { occupations: ['welder', 'grinder'] };
    t.is(await countTasks(db, { groups, filters }), welders.length);
    const listed = await openTasksForGroups(db, { groups, sort: 'due', limit: 100, filters });
    t.deepEqual(listed.tasks.map(key).sort(), welders.map(key).sort());
    t.deepEqual(
      (await openTasksForGroups(db, { groups, sort: 'due', limit: 10, filters: { occupations: [] } })).tasks,
      [],
    );
    t.is(await countTasks(db, { groups, filters: { occupations: [] } }), 0);
  },
  title: (_, dialect: DialectName) =>
    `${dialect}: each view is counted in one statement, and an occupation filter takes any of several occupations`,
});

const search = test.macro({
  async exec(t, dialect: DialectName) {
    const { db } = await freshDatabase(t, dialect);
    const open = (number: string) => row({ workflow_id: workflowIdFor(number), task_id: 'station-review-1' });
    await projectTasks(db, [
      open('STATION-A-20260301-AAAAAA'),
      open('STATION-A-20260301-AAAAAB'),
      open('STATION-A-20260302-BBBBBB'),
      { ...open('STATION-B-20260301-CCCCCC'), candidate_group: 'station-b:reviewers' },
    ]);
    await indexCase(db, 'STATION-A-20260301-AAAAAA', '欧阳明', '11010519491231002X');
    await indexCase(db, 'STATION-A-20260301-AAAAAB', '欧阳修', '440524188001010014');
    await indexCase(db, 'STATION-A-20260302-BBBBBB', '张伟', '110105198001010010');
    await indexCase(db, 'STATION-B-20260301-CCCCCC', '欧阳娜', '110105198001010029');
    const groups = ['station-a:reviewers'];
    const found = async (text: string, persons = true) => {
      const filters = { search: { text, persons } };
      const page = await openTasksForGroups(db, { groups, sort: 'due', limit: 10, filters });
      t.is(await countTasks(db, { groups, filters }), page.tasks.length, `the count agrees for ${text}`);
      return page.tasks.map((r) => r.application_number).sort();
    };
    t.deepEqual(await found('station-a-20260301'), ['STATION-A-20260301-AAAAAA', 'STATION-A-20260301-AAAAAB']);
    t.deepEqual(await found('欧阳'), ['STATION-A-20260301-AAAAAA', 'STATION-A-20260301-AAAAAB'], 'not station B');
    t.deepEqual(await found('11010519491231002x'), ['STATION-A-20260301-AAAAAA'], 'the whole ID number');
    t.deepEqual(await found('110105194912'), [], 'not part of an ID number');
    t.deepEqual(await found('欧阳', false), [], 'no person without persons');
    t.deepEqual(await found('%'), [], 'a wildcard alone finds nothing');
  },
  title: (_, dialect: DialectName) =>
    `${dialect}: the search finds a number by its start, a candidate by name or ID number, in the groups' tasks only`,
});

const returned = test.macro({
  async exec(t, dialect: DialectName) {
    const { db } = await freshDatabase(t, dialect);
    const workflow_id = 'application-QF-7';
    const task = (task_id: string, kind: string, overrides: Partial<TaskRow> = {}) =>
      row({ workflow_id, task_id, kind, status: 'done', outcome: 'approve', ...overrides });
    const reopened = task('station-review-3', TaskKind.StationReview, { status: 'open', outcome: null });
    await projectTasks(db, [
      task('station-review-1', TaskKind.StationReview),
      task('center-review-2', TaskKind.CenterReview, { outcome: 'return', return_reason: '工作年限证明未盖章' }),
      reopened,
    ]);
    t.deepEqual(
      [...(await returnsOf(db, [reopened]))],
      [[`${workflow_id}/station-review-3`, { reason: '工作年限证明未盖章' }]],
    );

    // Approved again, the next center review is the level's own turn, not a return.
    const nextReview = task('center-review-4', TaskKind.CenterReview, { status: 'open', outcome: null });
    await projectTasks(db, [{ ...reopened, status: 'done', outcome: 'approve', version: 2 }, nextReview]);
    t.deepEqual([...(await returnsOf(db, [nextReview]))], []);

    // A batch's decisions come as closed tasks in the order of the levels; the department's return reopens the center.
    const batch = 'application-QF-8';
    const inBatch = (task_id: string, kind: string, overrides: Partial<TaskRow> = {}) =>
      row({ workflow_id: batch, task_id, kind, status: 'done', outcome: 'approve', ...overrides });
    const center = inBatch('result-center-approval-8', TaskKind.ResultCenterApproval, {
      status: 'open',
      outcome: null,
    });
    await projectTasks(db, [
      inBatch('result-station-summary-5', TaskKind.ResultStationSummary),
      inBatch('result-center-approval-6', TaskKind.ResultCenterApproval),
      inBatch('result-department-approval-7', TaskKind.ResultDepartmentApproval, {
        outcome: 'return',
        return_reason: 'Scores of the skills part do not add up',
      }),
      center,
    ]);
    const firstCase = await returnsOf(db, [center, reopened]);
    t.deepEqual(firstCase.get(`${batch}/result-center-approval-8`), {
      reason: 'Scores of the skills part do not add up',
    });
    t.true(firstCase.has(`${workflow_id}/station-review-3`));

    // A session's score sheet returned by the checking examiner goes back to entry.
    const session = 'session-S-1';
    const entry = row({
      workflow_id: session,
      application_number: 'S-1',
      task_id: 'session-score-entry-4',
      kind: 'session-score-entry',
    });
    await projectTasks(db, [
      row({
        workflow_id: session,
        application_number: 'S-1',
        task_id: 'session-score-check-3',
        kind: 'session-score-check',
        status: 'done',
        outcome: 'return',
        return_reason: '第 12 号考生的成绩与原始记录不符',
      }),
      entry,
    ]);
    t.deepEqual((await returnsOf(db, [entry])).get(`${session}/session-score-entry-4`), {
      reason: '第 12 号考生的成绩与原始记录不符',
    });
  },
  title: (_, dialect: DialectName) =>
    `${dialect}: a task opened again by a return from the level above is known as returned, with the reason`,
});

for (const dialect of DIALECTS) {
  for (const sort of ['due', 'created', 'priority'] as const) test(previousPages, dialect, sort);
  test(shortFirstPage, dialect);
  test(countsAndFilters, dialect);
  test(search, dialect);
  test(returned, dialect);
}

test('a return carries its reason into the row of the task that returned the work', (t) => {
  const application = { ...applicationFor(Level.Primary), applicationNumber: 'QF-2026-000043' };
  const view: CaseView = {
    applicationNumber: application.applicationNumber,
    stage: Stage.StationReview,
    closed: false,
    submittedAt: '2026-03-01T08:00:00.000Z',
    application,
    ruleSetVersion: '2026',
    tasks: [
      {
        id: 'center-review-2',
        kind: TaskKind.CenterReview,
        candidateGroup: 'center-1:reviewers',
        supervisingGroup: 'center-1:supervisors',
        createdAt: '2026-03-02T08:00:00.000Z',
        dueAt: '2026-03-09T08:00:00.000Z',
        status: TaskStatus.Done,
        remindersSent: 0,
        escalated: false,
        outcome: {
          decision: Decision.Return,
          by: 'wu.center-reviewer',
          at: '2026-03-03T08:00:00.000Z',
          comment: '缺少照片',
        },
      },
    ],
    history: [],
  };
  t.is(taskRowsFromCase(view)[0].return_reason, '缺少照片');
  const approved = { ...view.tasks[0], outcome: { ...view.tasks[0].outcome!, decision: Decision.Approve } };
  t.is(taskRowsFromCase({ ...view, tasks: [approved] })[0].return_reason, null, 'only a return gives its reason');
});
