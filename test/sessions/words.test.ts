/**
 * The session pages' words that are looked up by a code at run time (a task's form and what its decision did, a
 * history entry's type, the path picture's states) are in the `session` catalogue in both languages; the catalogue
 * test can only check keys written whole.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { LANGUAGES, readCatalogues, translator } from '../../i18n';
import { sessionPathSvg } from '../../inbox-ui/charts/sessionPath';
import { taskDone, taskFormWords } from '../../inbox-ui/sessionModel';
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
