/**
 * The open-task counters (records/migrations/0013_open_task_counts.ts) that the inbox's view counts and the menu's
 * count are read from: after every kind of write the projection sees (claim, release, reassignment, escalation, a
 * decision, a case closing, a late retry, a rebuild, a prune, writers at once), each person's count of each view is
 * the length of the list that view shows, on SQLite and on PostgreSQL. And the change numbers the open inbox polls
 * move exactly when a view gains or loses a task.
 */
import test, { type ExecutionContext } from 'ava';
import { type Db, openDatabase } from '../../records/database';
import type { DialectName } from '../../records/dialect';
import {
  countTasks,
  deleteCaseTasks,
  openTasksAssignedTo,
  openTasksForGroups,
  projectTasks,
  readViews,
  recountOpenTasks,
  replaceCaseTasks,
  type TaskRow,
  type ViewCounts,
} from '../../records/tasks';
import { DIALECTS, freshDatabase, migratedBefore } from './databases';
import { taskRow } from './taskRows';

interface Person {
  assignee: string;
  groups: string[];
}

const PEOPLE: Person[] = [
  { assignee: 'li.station-reviewer', groups: ['station-a:reviewers', 'station-a:supervisors'] },
  { assignee: 'zhou.supervisor', groups: ['station-a:supervisors'] },
  { assignee: 'chen.examiner', groups: ['station-a:examiners'] },
  { assignee: 'wu.center-reviewer', groups: ['center-1:reviewers'] },
];
const [li, zhou, chen, wu] = PEOPLE;

/** A task of station A's case `n`, open in the station's reviewers unless told otherwise. */
function task(n: number, taskId: string, overrides: Partial<TaskRow> = {}): TaskRow {
  return taskRow({
    workflow_id: `application-STATION-A-2026-${String(n).padStart(6, '0')}`,
    task_id: taskId,
    // Fifteen due dates: ties for the lists' order to break.
    due_at: `2026-03-${String(10 + (n % 15)).padStart(2, '0')}T08:00:00.000Z`,
    ...overrides,
  });
}

/** Forty cases across four groups, some held, some escalated, some closed. */
function backlog(): TaskRow[] {
  const groups = ['station-a:reviewers', 'station-a:examiners', 'center-1:reviewers', 'station-b:reviewers'];
  return Array.from({ length: 40 }, (_, n) => {
    const group = groups[n % groups.length];
    return task(n, `${group.split(':')[1]}-1`, {
      candidate_group: group,
      supervising_group: `${group.split(':')[0]}:supervisors`,
      assignee: n % 5 === 0 ? PEOPLE[n % PEOPLE.length].assignee : null,
      escalated: n % 7 === 0 ? 1 : 0,
      status: n % 9 === 0 ? 'done' : 'open',
    });
  });
}

/** What each view lists for the person, counted off the lists themselves. */
async function listed(db: Db, { groups, assignee }: Person): Promise<ViewCounts> {
  const length = async (page: Promise<{ tasks: unknown[] }>) => (await page).tasks.length;
  return {
    all: await length(openTasksForGroups(db, { groups, sort: 'due', limit: 1000 })),
    claimable: await length(openTasksForGroups(db, { groups, sort: 'due', limit: 1000, filters: { unclaimed: true } })),
    mine: await length(openTasksAssignedTo(db, { assignee, limit: 1000 })),
  };
}

/** Every person's counts are their lists' lengths, and the menu's count (countTasks) is the first. */
async function countsAreTheLists(t: ExecutionContext, db: Db, after: string): Promise<void> {
  for (const person of PEOPLE) {
    const lists = await listed(db, person);
    t.deepEqual((await readViews(db, person)).counts, lists, `after ${after}: ${person.assignee}'s views`);
    t.is(await countTasks(db, { groups: person.groups }), lists.all, `after ${after}: ${person.assignee}'s menu`);
  }
}

const everyWrite = test.macro({
  async exec(t, dialect: DialectName) {
    const { db } = await freshDatabase(t, dialect);
    const rows = backlog();
    await projectTasks(db, rows);
    await countsAreTheLists(t, db, 'the first writes');
    t.true((await readViews(db, li)).counts.all > 5, 'the reviewer has work');

    const review = task(100, 'station-review-1');
    await projectTasks(db, [review]);
    await countsAreTheLists(t, db, 'a new task');
    const claimed = { ...review, assignee: li.assignee, version: 2 };
    await projectTasks(db, [claimed]);
    await countsAreTheLists(t, db, 'a claim');
    await projectTasks(db, [{ ...claimed, assignee: null, version: 3 }]);
    await countsAreTheLists(t, db, 'a release');
    await projectTasks(db, [{ ...claimed, assignee: 'ma.station-reviewer', version: 4 }]);
    await projectTasks(db, [{ ...claimed, assignee: li.assignee, version: 5 }]);
    await countsAreTheLists(t, db, 'two reassignments');
    // A late retry of the activity that wrote the release changes nothing.
    await projectTasks(db, [{ ...claimed, assignee: null, version: 3 }]);
    await countsAreTheLists(t, db, 'a late retry');

    const exam = task(101, 'exam-scores-3', { candidate_group: 'station-a:examiners', kind: 'exam-scores' });
    await projectTasks(db, [exam]);
    await projectTasks(db, [{ ...exam, escalated: 1, priority: 0, version: 2 }]);
    await countsAreTheLists(t, db, 'an escalation to the supervisors');
    t.true((await listed(db, zhou)).all > 0);

    // The station approves: its task closes and the center's opens, in one write.
    const decided = { ...claimed, status: 'done' as const, outcome: 'approve', closed_at: '2026-03-02T08:00:00.000Z' };
    const center = task(100, 'center-review-2', { candidate_group: 'center-1:reviewers', version: 6 });
    await projectTasks(db, [{ ...decided, version: 6 }, center]);
    await countsAreTheLists(t, db, 'a decision');
    // The case is cancelled: every open task of it closes.
    await projectTasks(db, [{ ...center, status: 'cancelled', version: 7 }]);
    await countsAreTheLists(t, db, 'the case closing');

    // A rebuild repairs a row changed behind the projection's back and removes one the workflow never had.
    const [drifted] = rows.filter((row) => row.status === 'open' && row.candidate_group === 'station-a:reviewers');
    await db
      .updateTable('tasks')
      .set({ candidate_group: 'nobody' })
      .where('workflow_id', '=', drifted.workflow_id)
      .execute();
    await countsAreTheLists(t, db, 'a change behind the projection');
    await projectTasks(db, [{ ...drifted, task_id: 'stray-9' }]);
    const result = await replaceCaseTasks(db, { workflowId: drifted.workflow_id, version: 1, rows: [drifted] });
    t.deepEqual(result, { written: 1, removed: 1 });
    await countsAreTheLists(t, db, 'a rebuild');
    await deleteCaseTasks(db, exam.workflow_id);
    await countsAreTheLists(t, db, 'a prune');
  },
  title: (_, dialect: DialectName) =>
    `${dialect}: each view's count is its list's length after a claim, a release, a reassignment, an escalation, a decision, a closing, a rebuild and a prune`,
});

const writersAtOnce = test.macro({
  async exec(t, dialect: DialectName) {
    const { db } = await freshDatabase(t, dialect);
    // Each case moves between the station and the center; half of them the other way, so two writers touch the
    // same two counters in opposite orders.
    const cases = Array.from({ length: 40 }, (_, n) => {
      const [from, to] =
        n % 2 ? ['station-a:reviewers', 'center-1:reviewers'] : ['center-1:reviewers', 'station-a:reviewers'];
      const opened = task(n, 'review-1', { candidate_group: from });
      const next = task(n, 'review-2', { candidate_group: to, assignee: n % 3 ? null : li.assignee, version: 2 });
      return { opened, moved: [{ ...opened, status: 'done' as const, version: 2 }, next] };
    });
    await projectTasks(
      db,
      cases.map((c) => c.opened),
    );
    await Promise.all(cases.map((c) => projectTasks(db, c.moved)));
    await countsAreTheLists(t, db, 'forty writers at once');
    // And their retries, at once, change nothing.
    await Promise.all(cases.map((c) => projectTasks(db, c.moved)));
    await countsAreTheLists(t, db, 'their retries');
  },
  title: (_, dialect: DialectName) => `${dialect}: writers at once keep every count exact`,
});

const changeNumbers = test.macro({
  async exec(t, dialect: DialectName) {
    const { db } = await freshDatabase(t, dialect);
    const review = task(1, 'station-review-1');
    await projectTasks(db, [review, task(2, 'station-review-1')]);
    const before = await readViews(db, li);

    // Rewritten with a new version and stage, the task stays in the same views: nothing to tell.
    await projectTasks(db, [{ ...review, stage: 'center-review', version: 2 }]);
    t.deepEqual(await readViews(db, li), before, 'a task rewritten in place');

    // Claimed: it leaves "unclaimed", joins "mine", and changes in "all" (its holder shows there).
    await projectTasks(db, [{ ...review, assignee: li.assignee, version: 3 }]);
    const claimed = await readViews(db, li);
    t.deepEqual(claimed.counts, { all: 2, claimable: 1, mine: 1 });
    t.true(claimed.changes.all > before.changes.all);
    t.true(claimed.changes.claimable > before.changes.claimable);
    t.true(claimed.changes.mine > before.changes.mine);

    // Another group's new task moves nothing of the reviewer's, and the center's reader sees it.
    const wuBefore = await readViews(db, wu);
    await projectTasks(db, [task(3, 'center-review-2', { candidate_group: 'center-1:reviewers' })]);
    t.deepEqual(await readViews(db, li), claimed, "another group's task");
    t.true((await readViews(db, wu)).changes.all > wuBefore.changes.all);
    t.deepEqual((await readViews(db, chen)).counts, { all: 0, claimable: 0, mine: 0 });
  },
  title: (_, dialect: DialectName) =>
    `${dialect}: a view's change number moves when a task enters or leaves it, and only then`,
});

const recount = test.macro({
  async exec(t, dialect: DialectName) {
    const { db } = await freshDatabase(t, dialect);
    await projectTasks(db, backlog());
    const before = await readViews(db, li);
    t.is(await recountOpenTasks(db), 0, 'nothing to correct');
    // Counters changed behind the triggers' back (a restored table, say): the recount sets them right, and the
    // views it corrects tell an open inbox that they changed.
    await db.updateTable('open_task_counts').set({ open_tasks: 99 }).where('holder', '=', '').execute();
    await db.deleteFrom('open_task_counts').where('holder', '=', li.assignee).execute();
    t.true((await recountOpenTasks(db)) > 0);
    await countsAreTheLists(t, db, 'a recount');
    const after = await readViews(db, li);
    t.true(after.changes.claimable > before.changes.claimable);
  },
  title: (_, dialect: DialectName) => `${dialect}: a recount sets counters changed behind the triggers' back right`,
});

const migrated = test.macro({
  async exec(t, dialect: DialectName) {
    // A database of the release before the counters, with its projection…
    const { target, before } = await migratedBefore(t, dialect, '0013');
    await before.insertInto('tasks').values(backlog()).execute();
    await before.destroy();
    // …gets its counters when this release opens it.
    const db = await openDatabase(target);
    t.teardown(() => db.destroy());
    await countsAreTheLists(t, db, 'the migration');
  },
  title: (_, dialect: DialectName) =>
    `${dialect}: a projection written before the counters is counted when they arrive`,
});

for (const dialect of DIALECTS) {
  test(everyWrite, dialect);
  test(writersAtOnce, dialect);
  test(changeNumbers, dialect);
  test(recount, dialect);
  test(migrated, dialect);
}
