/**
 * A workflow's refusal in its reader's words: the workflow says what it refuses as a catalogue key and codes, and the
 * page, the API and the command line put it into Chinese or English, people by name and tasks by label. The API
 * also answers the key, the same in every language, for scripts to branch on.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { readCatalogues, translator } from '../../i18n';
import { message } from '../../domain/messages';
import type { Directory } from '../../inbox-ui/names';
import { httpStatusFor } from '../../inbox-ui/temporalErrors';
import { type HumanTask, RefusalType, TaskKind, TaskStatus } from '../../workflows/definitions';
import { refuseFields } from '../../workflows/refusals';
import { TaskList } from '../../workflows/taskList';
import { testWithHarness } from '../helpers/harnessTests';
import { apiAs, BrowserSession, visibleText, type WebApp } from '../helpers/web';
import { englishLeftIn } from './englishLeft';
import { type People, startInboxWeb, stationReviewCase, unescape } from './fixtures';

const test = testWithHarness({ flavour: 'dev-server' });

let web: WebApp;
let who: People;

// Serial, so it waits for the harness's own hook (ava starts concurrent hooks together).
test.serial.before(async (t) => {
  ({ web, who } = await startInboxWeb(t.context, { secondReviewer: true }));
});
test.after.always(async () => {
  await web?.close();
});

const zh = translator('zh-CN');
const en = translator('en');

/** The flash message at the top of a page (what the person just did, or why it did not happen). */
const flash = (html: string) => {
  const found = /<div class='flash (ok|error)'[^>]*>\s*<p>([^<]*)<\/p>/.exec(html);
  return found && [found[1], unescape(found[2])];
};

const HELD_IN_CHINESE = '“资格审核（鉴定站）”任务已由李伟认领，只有其本人可以办理。';
const HELD_IN_ENGLISH = 'Task Qualification review (station) is claimed by 李伟; only they may decide it.';

test('a decision on a task someone else holds is refused in Chinese on a Chinese page, naming the holder', async (t) => {
  const { path: page, api } = await stationReviewCase(t.context, who);
  t.is((await (await who.api('li.station-reviewer')).post(`${api}/claim`)).status, 200);

  const he = new BrowserSession(web.base, 'zh-CN');
  await he.signIn('he.station-reviewer');
  await he.get(page);
  const refused = await he.post(`${page}/approve`, { comment: '材料齐全' });
  t.is(refused.location, page, 'back to the task');
  t.deepEqual(flash(refused.html), ['error', HELD_IN_CHINESE]);
  t.false(refused.html.includes('li.station-reviewer'), 'the holder by name, not by account');
  t.deepEqual(englishLeftIn(visibleText(refused.html), 'refusals'), []);
});

test('the same refusal reads in English on an English page', async (t) => {
  const { path: page, api } = await stationReviewCase(t.context, who);
  t.is((await (await who.api('li.station-reviewer')).post(`${api}/claim`)).status, 200);

  const he = await who.browser('he.station-reviewer');
  await he.get(page);
  const refused = await he.post(`${page}/approve`, { comment: 'Complete' });
  t.is(refused.location, page);
  t.deepEqual(flash(refused.html), ['error', HELD_IN_ENGLISH]);
});

test('the API answers a refusal in the reader’s language with its code, the same in both', async (t) => {
  const { api } = await stationReviewCase(t.context, who);
  t.is((await (await who.api('li.station-reviewer')).post(`${api}/claim`)).status, 200);

  const inEnglish = await (await who.api('he.station-reviewer')).post(`${api}/approve`, { comment: 'Mine' });
  t.is(inEnglish.status, 403);
  t.deepEqual(inEnglish.body, { error: HELD_IN_ENGLISH, code: 'refusals:task.claimedByOther' });

  const chinese = await apiAs(web.base, 'he.station-reviewer', 'zh-CN');
  const claimed = await chinese.post(`${api}/claim`);
  t.is(claimed.status, 409);
  t.deepEqual(claimed.body, { error: '“资格审核（鉴定站）”任务已由李伟认领。', code: 'refusals:task.alreadyClaimed' });

  const notFound = await chinese.post(`${api.replace(/[^/]+$/, 'station-review-99')}/claim`);
  t.is(notFound.status, 404);
  t.is(notFound.body.code, undefined, 'the inbox’s own answers carry no refusal code');

  const document = (await chinese.get('/api/openapi.json')).body;
  t.like(document.components.schemas.Error.properties.code, {
    type: 'string',
    example: 'refusals:task.claimedByOther',
  });
});

// ---- The edge alone: a refusal as the client receives it, put into words. ----

/** What a client holds after a validator refused: the update's failure, caused by the refusal. */
function refusedBy(check: () => void): WorkflowUpdateFailedError {
  try {
    check();
  } catch (refusal) {
    return new WorkflowUpdateFailedError('Workflow Update failed', refusal as Error);
  }
  throw new Error('the check did not refuse');
}

const directory: Directory = {
  person: (id) => ({ 'li.station-reviewer': '李伟', 'zhao.station-b-reviewer': '赵蕾' })[id ?? ''] ?? id ?? '',
  group: (code) => (code === 'station-a:reviewers' ? '东城职业技能鉴定站的审核人员' : code),
  organisation: (id) => id ?? '',
};

const openReview = (assignee?: string): HumanTask[] => [
  {
    id: 'station-review-1',
    kind: TaskKind.StationReview,
    candidateGroup: 'station-a:reviewers',
    supervisingGroup: 'station-a:supervisors',
    assignee,
    createdAt: '2026-03-02T01:00:00.000Z',
    dueAt: '2026-03-09T01:00:00.000Z',
    status: TaskStatus.Open,
    remindersSent: 0,
    escalated: false,
  },
];

const caseTasks = (tasks: HumanTask[]) =>
  new TaskList(tasks, { kind: 'case', id: () => 'STATION-A-2026-000001' }, () => undefined);

test('a task list’s refusal keeps its English for the log and carries its words for the edge', (t) => {
  const outsider = { id: 'zhao.station-b-reviewer', groups: ['station-b:reviewers'] };
  const refused = refusedBy(() =>
    caseTasks(openReview()).checkDecider({ taskId: 'station-review-1', actor: outsider }),
  );
  t.is(
    (refused.cause as ApplicationFailure).message,
    'zhao.station-b-reviewer is not in station-a:reviewers, which handles task station-review.',
  );
  t.deepEqual(httpStatusFor(refused, zh, directory), {
    status: 403,
    message: '赵蕾不属于办理“资格审核（鉴定站）”任务的东城职业技能鉴定站的审核人员。',
    code: 'refusals:task.notInGroup',
  });
  t.is(
    httpStatusFor(refused, en, directory).message,
    '赵蕾 is not in 东城职业技能鉴定站的审核人员, which handles task Qualification review (station).',
  );
});

test('a refusal about several fields says how many, then each one, a list’s item by its own words', (t) => {
  const refusal = ApplicationFailure.create({
    type: RefusalType.InvalidInput,
    message: 'marks[0]: ticket T-1 is marked twice. registrationClosesAt: must lie in the future.',
    details: [
      message('refusals:fields.invalid', { count: 2 }),
      {
        'marks[0]': message('refusals:checkIn.markedTwice', { ticket: 'T-1' }),
        registrationClosesAt: message('session:planCheck.cutOffPast'),
      },
    ],
    nonRetryable: true,
  });
  const answer = httpStatusFor(new WorkflowUpdateFailedError('Workflow Update failed', refusal), zh);
  t.is(answer.status, 422);
  t.is(answer.message, '有 2 处需要修改： 准考证 T-1 登记了两次。 报名截止时间：须为将来的时间。');
  t.deepEqual(answer.fields, { 'marks[0]': '准考证 T-1 登记了两次。', registrationClosesAt: '须为将来的时间。' });
  t.is(answer.code, 'refusals:fields.invalid');
});

test('a field whose problem names the field itself is not named twice, in the words or in the English', (t) => {
  const fields = { description: message('refusals:text.control', { field: 'description' }) };
  const refusal = t.throws(() => refuseFields(fields), { instanceOf: ApplicationFailure });
  t.is(refusal.message, 'One entry needs attention: description: contains control characters, which text cannot hold.');
  const answer = httpStatusFor(new WorkflowUpdateFailedError('Workflow Update failed', refusal), zh);
  t.is(answer.message, '有 1 处需要修改： 举报内容含有控制字符，文字中不能有这类字符。');
});

test('a refusal recorded before refusals carried words is shown in its English, without a code', (t) => {
  const old = ApplicationFailure.create({
    type: RefusalType.Closed,
    message: 'Task station-review-1 is closed (done).',
    nonRetryable: true,
  });
  t.deepEqual(httpStatusFor(new WorkflowUpdateFailedError('Workflow Update failed', old), zh), {
    status: 409,
    message: 'Task station-review-1 is closed (done).',
  });
});

test('every refusal key the workflows and their clients use is in both catalogues', (t) => {
  const root = path.join(import.meta.dirname, '..', '..');
  const catalogues = readCatalogues();
  const entryOf = (language: 'zh-CN' | 'en', key: string) => {
    const [area, rest] = key.split(':');
    return rest
      .split('.')
      .reduce<unknown>(
        (node, name) => (node as Record<string, unknown> | undefined)?.[name],
        catalogues[language][area],
      );
  };
  // A key with a count has its plural forms instead.
  const has = (language: 'zh-CN' | 'en', key: string) =>
    typeof entryOf(language, key) === 'string' || typeof entryOf(language, `${key}_other`) === 'string';
  const keys = new Set<string>();
  for (const dir of ['workflows', 'runtime']) {
    for (const file of readdirSync(path.join(root, dir)).filter((name) => name.endsWith('.ts'))) {
      const source = readFileSync(path.join(root, dir, file), 'utf8');
      for (const match of source.matchAll(/'(refusals:[\w.-]+)'/g)) keys.add(match[1]);
    }
  }
  t.true(keys.size > 50, `found only ${keys.size} keys: the scan is broken`);
  t.deepEqual(
    [...keys].filter((key) => !has('zh-CN', key) || !has('en', key)),
    [],
  );
});
