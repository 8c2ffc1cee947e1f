/**
 * The case file's words, without a server: every key the case pages build at run time (statuses, decisions, grades,
 * roles, ID types, the flash after each action) is in both catalogues, and a case file reads with people's names and
 * labels, in Chinese as in English.
 */
import test from 'ava';
import { readCatalogues, translator } from '../../i18n';
import { evaluateEligibility, RULE_SETS } from '../../domain/eligibility';
import { ID_TYPES } from '../../domain/idNumber';
import { message } from '../../domain/messages';
import { Grade } from '../../domain/scores';
import { caseFileModel } from '../../inbox-ui/caseModel';
import { codesOnly, type Directory } from '../../inbox-ui/names';
import { actionDone, TASK_ACTIONS } from '../../inbox-ui/taskActions';
import { DEMO_USERS } from '../../runtime/directory';
import { type CaseView, Decision, Stage, TaskKind, TaskStatus } from '../../workflows/definitions';
import { applicationFor } from '../helpers/applications';
import { Level } from '../../domain/levels';
import { englishLeftIn } from './englishLeft';

const catalogues = readCatalogues();

const has = (language: 'zh-CN' | 'en', key: string) =>
  typeof key
    .split('.')
    .reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], catalogues[language].case) === 'string';

test('every key the case pages build at run time is in both languages', (t) => {
  const roles = new Set(
    Object.values(DEMO_USERS).flatMap((user) => user.groups.map((group) => group.split(':').at(-1)!)),
  );
  const keys = [
    ...Object.values(TaskStatus).map((status) => `status.${status}`),
    ...Object.values(Decision).map((decision) => `decision.${decision}`),
    ...Object.values(Grade).map((grade) => `grade.${grade}`),
    ...ID_TYPES.map((idType) => `idType.${idType}`),
    ...[...roles].map((role) => `role.${role}`),
    ...TASK_ACTIONS.map((action) => `done.${action}`),
    ...['reject', 'return', 'disqualify'].map((action) => `reasonNeeded.${action}`),
    ...['approve', 'reject', 'return', 'scores', 'disqualify', 'claimed', 'released', 'reassigned'].map(
      (event) => `event.task-${event}`,
    ),
    ...['decision', 'training', 'comprehensive', 'scores'].flatMap((form) => [
      `act.approve.heading.${form}`,
      `act.approve.submit.${form}`,
      `act.reject.heading.${form}`,
    ]),
  ];
  t.deepEqual(
    keys.filter((key) => !has('zh-CN', key) || !has('en', key)),
    [],
  );
});

/** A directory as the demo's: names for people, names for organisations. */
const demo = (language: 'zh-CN' | 'en'): Directory => ({
  person: (id) => (id ? (DEMO_USERS[id]?.name ?? id) : ''),
  organisation: (id) => ({ 'station-a': '东城职业技能鉴定站' })[id ?? ''] ?? id ?? '',
  group: (code) => `${code.split(':')[0] === 'station-a' ? '东城职业技能鉴定站' : code}·${language}`,
});

function reviewedCase(): CaseView {
  const at = '2026-11-29T06:05:00.000Z';
  return {
    applicationNumber: 'QF-20261129-000001',
    stage: Stage.CenterReview,
    closed: false,
    submittedAt: at,
    application: applicationFor(Level.Primary),
    ruleSetVersion: '2026.1',
    exam: { examDate: '2026-12-20', scores: { knowledge: 96, skills: 58 } },
    tasks: [
      {
        id: 'station-review-1',
        kind: TaskKind.StationReview,
        candidateGroup: 'station-a:reviewers',
        supervisingGroup: 'station-a:supervisors',
        assignee: 'li.station-reviewer',
        createdAt: at,
        dueAt: at,
        status: TaskStatus.Done,
        remindersSent: 0,
        escalated: false,
        outcome: { decision: Decision.Approve, by: 'li.station-reviewer', at, comment: '材料齐全' },
      },
    ],
    history: [
      {
        at,
        type: 'task-reassigned',
        taskId: 'station-review-1',
        by: 'zhou.supervisor',
        comment: 'to li.station-reviewer',
      },
      { at, type: 'task-approve', taskId: 'station-review-1', by: 'li.station-reviewer', comment: '材料齐全' },
      { at, type: 'stage:center-review' },
    ],
  };
}

test('in Chinese the case file names people, labels tasks and decisions, and grades scores in words', (t) => {
  const zh = translator('zh-CN');
  const model = caseFileModel(reviewedCase(), zh, demo('zh-CN'));
  t.is(model.levelTitle, '五级/初级工');
  t.is(model.occupationName, '烘焙工');
  t.is(model.idTypeLabel, '居民身份证');
  t.deepEqual(model.scores, [
    { part: '理论知识考试', score: 96, grade: '优秀' },
    { part: '操作技能考核', score: 58, grade: '不合格' },
  ]);
  t.deepEqual(
    model.decisions.map(({ by, what, comment }) => [by, what, comment]),
    [
      ['周敏', '资格审核（鉴定站）：已转办给李伟', undefined],
      ['李伟', '资格审核（鉴定站）：已批准', '材料齐全'],
    ],
  );
  t.like(model.tasks[0], {
    label: '资格审核（鉴定站）',
    statusLabel: '已办结',
    assigneeName: '李伟',
    outcome: { decisionLabel: '已批准', byName: '李伟' },
  });
  t.is(
    actionDone(zh, 'reassign', { applicationNumber: 'QF-1', task: '资格审核（鉴定站）', assignee: '何平' }),
    '已将申报 QF-1 的“资格审核（鉴定站）”任务转办给何平。',
  );
});

test('in English the same case file reads as before, and without a directory people show as their ids', (t) => {
  const en = translator('en');
  const model = caseFileModel(reviewedCase(), en, demo('en'));
  t.is(model.levelTitle, 'Level 5 (primary)');
  t.is(model.occupationName, 'Baker');
  t.deepEqual(
    model.decisions.map(({ by, what }) => `${by} ${what}`),
    ['周敏 reassigned Qualification review (station) to 李伟', '李伟 approved Qualification review (station)'],
  );
  const bare = caseFileModel(reviewedCase(), en, codesOnly(en));
  t.is(bare.decisions[1].by, 'li.station-reviewer');
  t.is(codesOnly(en).group('station-a:reviewers'), 'station-a reviewers');
  t.is(codesOnly(en).group('administrators'), 'administrators');
});

test('the eligibility explanation reads in Chinese, the occupation by its name; an older result keeps its words', (t) => {
  const zh = translator('zh-CN');
  const view = reviewedCase();
  const eligibility = evaluateEligibility(view.application, RULE_SETS[0], '2026-11-29');
  const { lines } = caseFileModel({ ...view, eligibility }, zh, demo('zh-CN')).eligibility!;
  t.like(lines[0], {
    met: true,
    description: '本职业在职从业人员',
    conditions: [{ met: true, description: '目前在本职业岗位就业', evidence: '用人单位证明目前在烘焙工岗位就业' }],
  });
  t.is(lines[1].conditions[0].evidence, '未申报学校毕业情况');
  const words = lines.flatMap((line) => [
    line.description,
    ...line.conditions.flatMap((c) => [c.description, c.evidence]),
  ]);
  t.deepEqual(englishLeftIn(words.join('\n'), 'case'), []);

  // A case judged before the explanation carried Messages shows the English words its history recorded.
  const recorded = {
    ...eligibility,
    lines: eligibility.lines.map(({ said: _said, ...line }) => ({
      ...line,
      conditions: line.conditions.map(({ said: _c, ...condition }) => condition),
    })),
  };
  const older = caseFileModel({ ...view, eligibility: recorded }, zh, demo('zh-CN')).eligibility!;
  t.is(older.lines[0].conditions[0].evidence, 'employer certifies current employment in baker');
});

/** A case the workflow closed itself at the re-sit, with or without the Message beside its English reason. */
function failedAtResit(withMessage: boolean): CaseView {
  const at = '2026-12-30T06:05:00.000Z';
  const reason = 'The re-sit of the knowledge part was failed.';
  const said = withMessage ? { said: message('case:said.resitFailed', { part: 'knowledge' }) } : {};
  const view = reviewedCase();
  return {
    ...view,
    stage: Stage.Failed,
    closed: true,
    outcome: { stage: Stage.Failed, reason, ...said, at },
    history: [...view.history, { at, type: `closed:${Stage.Failed}`, comment: reason, ...said }],
  };
}

test('a reason the workflow worded reads in Chinese on the file and in its history; an older case keeps its words', (t) => {
  const model = caseFileModel(failedAtResit(true), translator('zh-CN'), demo('zh-CN'));
  t.is(model.outcomeReason, '理论知识考试补考不合格。');
  t.is(model.decisions.at(-1)?.comment, '理论知识考试补考不合格。');
  t.deepEqual(englishLeftIn(`${model.outcomeReason}\n${model.decisions.at(-1)?.comment}`, 'case'), []);

  const older = caseFileModel(failedAtResit(false), translator('zh-CN'), demo('zh-CN'));
  t.is(older.outcomeReason, 'The re-sit of the knowledge part was failed.');
  t.is(older.decisions.at(-1)?.comment, 'The re-sit of the knowledge part was failed.');
});
