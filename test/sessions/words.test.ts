/**
 * The session pages' words that are looked up by a code at run time (a task's form and what its decision did, a
 * history entry's type, the path picture's states) are in the `session` catalogue in both languages; the catalogue
 * test can only check keys written whole.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import type { Message } from '../../domain/messages';
import { DEFAULT_CATALOGUE } from '../../domain/occupations';
import { sheetLineMistakes } from '../../domain/scoreSheet';
import { planMistakes } from '../../domain/sessionPlan';
import { LANGUAGES, readCatalogues, translator } from '../../i18n';
import { sessionPathSvg } from '../../inbox-ui/charts/sessionPath';
import { messageText } from '../../inbox-ui/messageText';
import { taskDone, taskFormWords } from '../../inbox-ui/sessionModel';
import { englishLeftIn } from '../inbox/englishLeft';
import { SessionStage, SessionTaskKind } from '../../workflows/sessionDefinitions';

const session = readCatalogues();
const entry = (language: (typeof LANGUAGES)[number], key: string): unknown =>
  key.split('.').reduce<unknown>((node, name) => (node as Record<string, unknown>)?.[name], session[language].session);

test('every decision a session task offers has its button, its comment label and its done message', (t) => {
  for (const language of LANGUAGES) {
    const tr = translator(language);
    for (const kind of Object.values(SessionTaskKind)) {
      const words = taskFormWords(tr, kind);
      for (const { action, label } of words.buttons) {
        t.truthy(entry(language, `taskForm.${kind}.${action}`), `${language} ${kind} ${action}`);
        t.truthy(entry(language, `taskDone.${kind}.${action}`), `${language} ${kind} ${action} done`);
        t.is(label, entry(language, `taskForm.${kind}.${action}`) as string);
      }
      if (words.buttons.length > 0) t.truthy(entry(language, `taskForm.${kind}.comment`), `${language} ${kind}`);
    }
  }
  const zh = translator('zh-CN');
  t.is(taskDone(zh, SessionTaskKind.CheckIn, 'approve'), '考生签到表已关闭。');
  t.is(taskDone(zh, SessionTaskKind.CheckIn, 'claim'), '考生签到表：已认领。', 'an action without words of its own');
  t.is(taskDone(translator('en'), SessionTaskKind.PlanReview, 'approve'), 'Session plan approved.');
});

test('every history entry a session records reads as words in both languages', (t) => {
  const root = path.join(import.meta.dirname, '..', '..');
  const sources = ['workflows/sessionFile.ts', 'workflows/session.ts', 'workflows/taskList.ts']
    .map((file) => readFileSync(path.join(root, file), 'utf8'))
    .join('\n');
  const literal = [...sources.matchAll(/type: '([a-z-]+)'/g)].map((match) => match[1]);
  t.true(literal.length > 15, `found only ${literal.length} types: the scan is broken`);
  // Types built from a decision: `plan-${decision}`, `result-${out}`, `results-${decision}`.
  const built = ['plan-approve', 'plan-return', 'plan-reject', 'plan-revise', 'result-return', 'result-reject'];
  const types = [...new Set([...literal, ...built, 'results-approve', 'results-return'])];
  for (const language of LANGUAGES) {
    t.deepEqual(
      types.filter((type) => typeof entry(language, `history.event.${type}`) !== 'string'),
      [],
      `${language}: types without words`,
    );
  }
});

test('the session path says where the session stands in the reader’s language', (t) => {
  const visited = [SessionStage.PlanReview, SessionStage.Registration];
  const zh = sessionPathSvg(SessionStage.Cancelled, visited, translator('zh-CN'));
  t.regex(zh, /<title id="session-path-title">鉴定批次流程，当前阶段：已取消<\/title>/);
  t.regex(
    zh,
    /<desc id="session-path-desc">计划审核（状态：已完成），报名阶段已取消（状态：已终止），报名截止（状态：未开始）/,
  );
  t.notRegex(zh, /done|current|ended|upcoming|The session/);
  const en = sessionPathSvg(SessionStage.Registration, visited, translator('en'));
  t.regex(en, /The session&apos;s path, now at Registration/);
  t.regex(en, /Plan review \(done\), Registration \(current\), Registration closed \(upcoming\)/);
});

test('every mistake of a plan or a score sheet line reads in Chinese, with no English sentence left', (t) => {
  const now = new Date('2027-02-01T00:00:00Z');
  const part = { startsAt: '2027-03-10T09:00:00+08:00', endsAt: '2027-03-10T11:00:00+08:00', place: 'Hall 1' };
  const plans: unknown[] = [
    [],
    {},
    {
      qualifications: [{ occupation: 'astronaut', level: 5 }],
      knowledge: { ...part, startsAt: 'soon' },
      skills: { ...part, endsAt: 'later' },
      registrationClosesAt: 'tomorrow',
      rooms: Array.from({ length: 101 }, (_, i) => ({ name: `R${i}`, seats: 1 })),
      examiners: ['a', 'a'],
    },
    {
      qualifications: [{ occupation: 'baker', level: 9 }],
      knowledge: { ...part, startsAt: '2027-01-10T09:00:00+08:00' },
      skills: { ...part, endsAt: part.startsAt },
      registrationClosesAt: '2027-01-01T00:00:00Z',
      rooms: [{ name: '', seats: 1 }],
      examiners: [7],
    },
    {
      qualifications: [
        { occupation: 'baker', level: 5 },
        { occupation: 'baker', level: 5 },
      ],
      knowledge: { ...part, place: ' ' },
      skills: { ...part, place: 'x'.repeat(201) },
      registrationClosesAt: '2027-03-20T00:00:00Z',
      rooms: [
        { name: 'A', seats: 1 },
        { name: 'A', seats: 0 },
      ],
      examiners: ['a'],
    },
    { knowledge: part, skills: part, registrationClosesAt: '2027-03-20T00:00:00Z', rooms: [{ name: 'A', seats: 0 }] },
  ];
  // Each line its own ticket: a ticket's second line is refused as a repeat, whatever else is wrong with it.
  const present = new Set(['T1', 'T2', 'T4', 'T5', 'T6', 'T7', 'T8', 'T9']);
  const seats = { sessionId: 'S', present, absent: new Set(['T3']), resitParts: new Map([['T2', 'skills' as const]]) };
  const lines = [
    {},
    { ticketNumber: 'T3' },
    { ticketNumber: 'T0' },
    { ticketNumber: 'T4', disqualified: 7 },
    { ticketNumber: 'T5', disqualified: 'x'.repeat(501) },
    { ticketNumber: 'T6' },
    { ticketNumber: 'T7', knowledge: '80' },
    { ticketNumber: 'T8', knowledge: 101 },
    { ticketNumber: 'T9', knowledge: 80.05 },
    { ticketNumber: 'T2', knowledge: 80 },
    { ticketNumber: 'T2', skills: 80 },
  ];
  const said: Message[] = [
    ...plans.flatMap((plan) => Object.values(planMistakes(plan, DEFAULT_CATALOGUE, now))),
    ...sheetLineMistakes(lines, seats).values(),
  ];
  const keys = new Set(said.map((s) => s.key));
  t.true(keys.size >= 34, `only ${keys.size} kinds of mistake: the inputs no longer make what they meant to`);
  const zh = translator('zh-CN');
  for (const mistake of said) {
    const text = messageText(zh, mistake);
    t.regex(text, /\p{Script=Han}/u, `${mistake.key}: ${text}`);
    t.deepEqual(englishLeftIn(text, 'session'), [], `${mistake.key}: ${text}`);
  }
  t.is(
    messageText(zh, [...sheetLineMistakes([{ ticketNumber: 'T2', knowledge: 80 }], seats).values()][0]),
    '准考证号 T2 只补考操作技能考核，不登记理论知识考试成绩。',
  );
});
