import test from 'ava';
import type { ApplicationInput } from '../../domain/application';
import { Level } from '../../domain/levels';
import { examOutcome, type ExamScores } from '../../domain/scores';
import type { HolidayCalendar } from '../../domain/workingDays';
import { findIndexedCase, indexNewCase, updateCaseStage } from '../../records/caseIndex';
import type { Db } from '../../records/database';
import { recordStatusChange } from '../../records/registry';
import { statistics, type StatisticsQuery } from '../../records/statistics';
import { projectTasks, type TaskRow } from '../../records/tasks';
import { type CaseView, Stage, TaskKind, TaskStatus, workflowIdFor } from '../../workflows/definitions';
import { applicationFor } from '../helpers/applications';
import { DIALECTS, freshDatabase } from './databases';

/** Thursday 5 March 2026 is a day off in this calendar. */
const CALENDAR: HolidayCalendar = { holidays: ['2026-03-05'], workingWeekends: [] };
const NOW = new Date('2026-05-01T00:00:00.000Z');
const SPRING: StatisticsQuery = { from: '2026-03-01', to: '2026-04-30', period: 'month', by: 'occupation' };

const view = (application: ApplicationInput, stage: Stage, submittedAt: string, scores?: ExamScores): CaseView =>
  ({
    applicationNumber: application.applicationNumber,
    stage,
    application,
    submittedAt,
    tasks: [],
    history: [],
    ...(scores && { exam: { examDate: '2026-03-20', scores, outcome: examOutcome(scores) } }),
  }) as unknown as CaseView;

/** A case taken in at `submittedAt` and, with scores, examined: its row written as the app writes a full view. */
async function caseWith(
  db: Db,
  submittedAt: string,
  {
    scores,
    stage = Stage.StationReview,
    ...overrides
  }: Partial<ApplicationInput> & { scores?: ExamScores; stage?: Stage } = {},
): Promise<string> {
  const application = applicationFor(overrides.level ?? Level.Primary, overrides);
  await indexNewCase(db, application, submittedAt);
  if (scores || stage !== Stage.StationReview)
    await updateCaseStage(db, view(application, stage, submittedAt, scores), 5);
  return application.applicationNumber;
}

async function certificate(db: Db, applicationNumber: string, number: string, issuedOn: string, voided = false) {
  const row = await findIndexedCase(db, applicationNumber);
  await db
    .insertInto('certificates')
    .values({
      application_number: applicationNumber,
      number,
      level: row!.level,
      station_id: row!.station_id,
      issued_on: issuedOn,
      content: null,
      key_id: null,
      signature: null,
    })
    .execute();
  if (voided) {
    await recordStatusChange(db, {
      certificate_number: number,
      status: 'revoked',
      category: 'voided',
      reason: 'closed before hand-over',
      decided_by: 'qualiflow',
      decided_at: '2026-03-25T00:00:00.000Z',
      investigation_id: `void-${number}`,
    });
  }
}

let taskSerial = 0;
function task(fields: Partial<TaskRow> & Pick<TaskRow, 'kind' | 'created_at'>): TaskRow {
  taskSerial += 1;
  return {
    workflow_id: workflowIdFor(`STAT-${taskSerial}`),
    task_id: `${fields.kind}-1`,
    application_number: `STAT-${taskSerial}`,
    stage: 'station-review',
    candidate_group: 'station-a:reviewers',
    supervising_group: 'station-a:supervisors',
    assignee: null,
    status: 'done',
    escalated: 0,
    level: Level.Primary,
    occupation: 'baker',
    station_id: 'station-a',
    due_at: '2026-03-20T15:59:59.999Z',
    closed_at: null,
    outcome: null,
    version: 1,
    priority: 1,
    ...fields,
  };
}

const PASS = { knowledge: 70, skills: 65 };
const GOOD = { knowledge: 85, skills: 90 };
const EXCELLENT = { knowledge: 96, skills: 99 };
const FAIL = { knowledge: 40, skills: 30 };

/**
 * Spring 2026: eight bakers at station A in March (four passed: excellent, good, pass, pass; two failed; two not yet
 * examined), a cook at station B (intermediate, good), and a baker taken in at 01:00 on 1 April China time whose
 * exam was passed without its scores known. Three certificates in March (one of them voided) and one in April.
 */
async function spring(db: Db): Promise<void> {
  const march = '2026-03-10T02:00:00.000Z';
  const passed = [];
  for (const scores of [EXCELLENT, GOOD, PASS, PASS]) passed.push(await caseWith(db, march, { scores }));
  for (const scores of [FAIL, FAIL]) await caseWith(db, march, { scores, stage: Stage.Failed });
  for (let i = 0; i < 2; i++) await caseWith(db, march);
  await caseWith(db, march, { scores: GOOD, stationId: 'station-b', occupation: 'cook', level: Level.Intermediate });
  await caseWith(db, '2026-03-31T17:00:00.000Z', { stage: Stage.ComprehensiveReview });
  await caseWith(db, '2025-12-01T02:00:00.000Z', { scores: PASS });
  await certificate(db, passed[0], 'C-1', '2026-03-20');
  await certificate(db, passed[1], 'C-2', '2026-03-20');
  await certificate(db, passed[2], 'C-3', '2026-03-21', true);
  await certificate(db, passed[3], 'C-4', '2026-04-02');
}

for (const dialect of DIALECTS) {
  test(`${dialect}: applications, results, grade bands and certificates by month and occupation`, async (t) => {
    const { db } = await freshDatabase(t, dialect);
    await spring(db);
    const figures = await statistics(db, SPRING, { now: NOW, calendar: CALENDAR });
    const none = { excellent: 0, good: 0, pass: 0 };
    t.deepEqual(figures.rows, [
      {
        period: '2026-03',
        key: 'baker',
        applications: 8,
        examined: 6,
        passed: 4,
        passRate: 4 / 6,
        excellent: 1,
        good: 1,
        pass: 2,
        certificates: 2,
      },
      {
        period: '2026-03',
        key: 'cook',
        applications: 1,
        examined: 1,
        passed: 1,
        passRate: 1,
        ...none,
        good: 1,
        certificates: 0,
      },
      {
        period: '2026-04',
        key: 'baker',
        applications: 1,
        examined: 1,
        passed: 1,
        passRate: 1,
        ...none,
        certificates: 1,
      },
    ]);
    t.deepEqual(figures.totals, {
      applications: 10,
      examined: 8,
      passed: 6,
      passRate: 0.75,
      excellent: 1,
      good: 2,
      pass: 2,
      certificates: 3,
    });
  });

  test(`${dialect}: figures by level for one station over a year leave the other station out`, async (t) => {
    const { db } = await freshDatabase(t, dialect);
    await spring(db);
    const query: StatisticsQuery = { ...SPRING, period: 'year', by: 'level', stationId: 'station-a' };
    const { rows } = await statistics(db, query, { now: NOW, calendar: CALENDAR });
    t.deepEqual(
      rows.map(({ period, key, applications, examined, passed, certificates }) => ({
        period,
        key,
        applications,
        examined,
        passed,
        certificates,
      })),
      [{ period: '2026', key: String(Level.Primary), applications: 9, examined: 7, passed: 5, certificates: 3 }],
    );
    const nothing = await statistics(
      db,
      { ...SPRING, from: '2027-01-01', to: '2027-12-31' },
      { now: NOW, calendar: CALENDAR },
    );
    t.deepEqual(nothing.rows, []);
    t.is(nothing.totals.passRate, null, 'no rate without an exam');
  });

  test(`${dialect}: stage durations are working days, median and 90th percentile per kind`, async (t) => {
    const { db } = await freshDatabase(t, dialect);
    // Opened Monday 2 March 2026, 09:00 China time; decided at 10:00 China time on these days.
    const opened = '2026-03-02T01:00:00.000Z';
    const decidedOn = [
      '2026-03-02T02:00:00.000Z', // 0: the same day
      '2026-03-03T02:00:00.000Z', // 1
      '2026-03-03T02:00:00.000Z', // 1
      '2026-03-04T02:00:00.000Z', // 2
      '2026-03-04T02:00:00.000Z', // 2
      '2026-03-03T17:00:00.000Z', // 2: 01:00 on Wednesday in China, still Tuesday in UTC
      '2026-03-06T02:00:00.000Z', // 3: Thursday is a holiday
      '2026-03-09T02:00:00.000Z', // 4: over the weekend
      '2026-03-11T02:00:00.000Z', // 6
      '2026-03-16T02:00:00.000Z', // 9
    ];
    await projectTasks(db, [
      ...decidedOn.map((closed_at) => task({ kind: TaskKind.StationReview, created_at: opened, closed_at })),
      task({ kind: TaskKind.CenterReview, created_at: opened, closed_at: '2026-03-04T02:00:00.000Z' }),
      // Neither a cancelled task nor an open one took any time to decide.
      task({ kind: TaskKind.StationReview, created_at: opened, closed_at: opened, status: TaskStatus.Cancelled }),
      task({
        kind: TaskKind.StationReview,
        created_at: opened,
        status: TaskStatus.Open,
        due_at: '2026-06-01T00:00:00.000Z',
      }),
      // Opened before the range.
      task({
        kind: TaskKind.CenterReview,
        created_at: '2026-02-27T01:00:00.000Z',
        closed_at: '2026-03-30T02:00:00.000Z',
      }),
    ]);
    const { durations } = await statistics(db, SPRING, { now: NOW, calendar: CALENDAR });
    t.deepEqual(durations, [
      { kind: TaskKind.CenterReview, tasks: 1, median: 2, p90: 2 },
      { kind: TaskKind.StationReview, tasks: 10, median: 2, p90: 6 },
    ]);
  });

  test(`${dialect}: overdue open tasks are counted by the organisation of their group`, async (t) => {
    const { db } = await freshDatabase(t, dialect);
    const open = { status: TaskStatus.Open as const, created_at: '2026-03-02T01:00:00.000Z' };
    await projectTasks(db, [
      task({ ...open, kind: TaskKind.StationReview, due_at: '2026-04-01T00:00:00.000Z' }),
      task({ ...open, kind: TaskKind.StationReview, due_at: '2026-04-02T00:00:00.000Z' }),
      task({
        ...open,
        kind: TaskKind.TrainingCompletion,
        candidate_group: 'station-a:clerks',
        due_at: '2026-04-03T00:00:00.000Z',
      }),
      task({
        ...open,
        kind: TaskKind.CenterReview,
        candidate_group: 'center-1:reviewers',
        due_at: '2026-04-01T00:00:00.000Z',
      }),
      // Not yet due, and done late: neither is overdue.
      task({
        ...open,
        kind: TaskKind.CenterReview,
        candidate_group: 'center-1:reviewers',
        due_at: '2026-06-01T00:00:00.000Z',
      }),
      task({
        kind: TaskKind.StationReview,
        created_at: '2026-03-02T01:00:00.000Z',
        closed_at: '2026-04-20T00:00:00.000Z',
      }),
    ]);
    const { overdue } = await statistics(db, SPRING, { now: NOW, calendar: CALENDAR });
    t.deepEqual(overdue, [
      { organisationId: 'station-a', overdue: 3 },
      { organisationId: 'center-1', overdue: 1 },
    ]);
  });

  test(`${dialect}: the records activity's view without the exam still tells the result, and the grade when it can`, async (t) => {
    const { db } = await freshDatabase(t, dialect);
    const submittedAt = '2026-03-10T02:00:00.000Z';
    const scoredByTask = applicationFor(Level.Primary);
    await indexNewCase(db, scoredByTask, submittedAt);
    const marked = {
      ...view(scoredByTask, Stage.ComprehensiveReview, submittedAt),
      tasks: [
        {
          id: 'exam-scores-1',
          kind: TaskKind.ExamScores,
          outcome: { decision: 'scores', by: 'x', at: submittedAt, scores: GOOD },
        },
      ],
    } as unknown as CaseView;
    await updateCaseStage(db, marked, 7);
    await updateCaseStage(db, view(scoredByTask, Stage.Issued, submittedAt), 9);
    const first = await findIndexedCase(db, scoredByTask.applicationNumber);
    t.like(first, { exam_passed: 1, grade: 'good' }, 'a later write that does not know the grade keeps it');

    const resat = applicationFor(Level.Primary);
    await indexNewCase(db, resat, submittedAt);
    await updateCaseStage(db, view(resat, Stage.Resit, submittedAt, { knowledge: 50, skills: 70 }), 7);
    t.like(await findIndexedCase(db, resat.applicationNumber), { exam_passed: 0, grade: 'fail' });
    await updateCaseStage(db, view(resat, Stage.ComprehensiveReview, submittedAt), 9);
    t.like(
      await findIndexedCase(db, resat.applicationNumber),
      { exam_passed: 1, grade: null },
      'passed at the re-sit, whose grade this view does not tell',
    );
  });
}
