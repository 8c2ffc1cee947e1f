/**
 * The session pages as the people of a station and a guidance center read them: in Chinese, by default. Stages,
 * tasks, occupations and levels by their Chinese names, people and offices by their names, times in China time
 * written the Chinese way, and not one English sentence of the session catalogue left on the page. A refused form
 * comes back by a redirect, in Chinese, with what was typed.
 */
import { readCatalogues } from '../../i18n';
import { SessionStage, SessionTaskKind } from '../../workflows/sessionDefinitions';
import { skipTo } from '../helpers/cases';
import { testWithHarness } from '../helpers/harnessTests';
import { BrowserSession, startWeb, visibleText, type WebApp } from '../helpers/web';
import { inputValue, UNLIMITED_SIGN_IN } from '../inbox/fixtures';
import { approvedSession, caseAwaitingSeat, checkedInSession, waitForSession, waitForSessionTask } from './helpers';

const test = testWithHarness({ flavour: 'time-skipping', policy: { appraisalSessions: true } });

let web: WebApp;
test.serial.before(async (t) => {
  web = await startWeb(t.context, { signInLimits: UNLIMITED_SIGN_IN });
});
test.after.always(async () => {
  await web?.close();
});

/** A browser that asks for Chinese (or, with '*', for no language in particular), signed in. */
async function reader(user: string, acceptLanguage = 'zh-CN'): Promise<BrowserSession> {
  const browser = new BrowserSession(web.base, acceptLanguage);
  await browser.signIn(user);
  return browser;
}

/**
 * The English sentences of the session catalogue: each entry's text between its placeholders, where it holds two
 * words or more (a single word such as "Station" may be part of a place's or a person's name).
 */
const englishSentences = (() => {
  const pieces = new Set<string>();
  const walk = (node: unknown) => {
    if (typeof node === 'string') {
      for (const piece of node.split(/\{\{[^}]*\}\}/)) {
        const words = piece.trim();
        if (/[A-Za-z]+[^A-Za-z]+[A-Za-z]+/.test(words) && !/\p{Script=Han}/u.test(words)) pieces.add(words);
      }
    } else if (node && typeof node === 'object') Object.values(node).forEach(walk);
  };
  walk(readCatalogues().en.session);
  return [...pieces];
})();

const englishLeft = (text: string) => englishSentences.filter((sentence) => text.includes(sentence));

/** '2026年12月22日 09:00': a day and a minute, in China time, as Chinese pages write them. */
const CHINESE_TIME = '\\d{4}年\\d{1,2}月\\d{1,2}日 \\d{2}:\\d{2}';

test.serial('a session page and the session list read in Chinese: stages, names, dates, no English', async (t) => {
  const h = t.context;
  const { planned, sessionId, seated } = await checkedInSession(h, 2, [1]);
  await skipTo(h, Date.parse(planned.skills.endsAt), 1000);
  await waitForSessionTask(h, sessionId, SessionTaskKind.ScoreEntry);
  const [first, absent] = seated.map((s) => s.ticket);

  const examiner = await reader('chen.examiner');
  const page = await examiner.get(`/sessions/${sessionId}`);
  t.is(page.status, 200);
  t.regex(page.html, /<html lang='zh-CN'>/);
  const text = visibleText(page.html);
  t.regex(text, new RegExp(`鉴定批次 ${sessionId} `));
  t.regex(text, /阶段 成绩登记 /);
  t.regex(text, /承办及审核单位 鉴定站：东城职业技能鉴定站；指导中心：市职业技能鉴定指导中心；/);
  t.regex(text, /鉴定职业及等级 烘焙工（等级：五级\/初级工） /);
  t.regex(text, new RegExp(`理论知识考试（北京时间） ${CHINESE_TIME} 至 ${CHINESE_TIME}，Station A, building 2`));
  t.regex(text, /考场 Room 101（3个考位）；已安排 2\/3 个考位/);
  t.regex(text, /考评组 陈杰、马琳/);
  t.regex(text, new RegExp(`签到（北京时间） 孙丽于${CHINESE_TIME}关闭签到表：实到 1 人，缺考 1 人`));
  t.regex(text, /成绩登记表 考评组录入中/);
  t.regex(
    text,
    new RegExp(`成绩登记表：录入 办理人：东城职业技能鉴定站的考评员；办理时限：${CHINESE_TIME}（北京时间） .*提交复核`),
  );
  t.regex(text, new RegExp(`${first} Room 101，1号座位 \\S+ 烘焙工（等级：五级/初级工） 实到`));
  t.regex(text, new RegExp(`${absent} Room 101，2号座位 \\S+ 烘焙工（等级：五级/初级工） 缺考`));
  t.regex(text, /办理记录 时间（北京时间） 事项 办理人 备注/);
  t.regex(text, new RegExp(`${CHINESE_TIME} 关闭签到表 孙丽`));
  t.regex(text, new RegExp(`${CHINESE_TIME} 提交鉴定计划 孙丽`));
  t.regex(text, /进入阶段：报名/);
  t.regex(text, /生成待办任务：成绩登记表：录入/);
  t.notRegex(text, /task-opened|session-planned|stage:|check-in-closed/, 'no history entry shows its raw type');
  t.regex(page.html, /<title id="session-path-title">鉴定批次流程，当前阶段：成绩登记<\/title>/);
  t.regex(page.html, /aria-label='[^']*理论知识成绩'/, 'the score boxes are labelled in Chinese');
  t.deepEqual(englishLeft(text), [], 'no English sentence of the session pages');
  t.true(englishSentences.length > 50, 'the check knows the English it looks for');

  // A browser that names no language reads Chinese too, the list as well as the page.
  const anyLanguage = await reader('sun.clerk', '*');
  const list = visibleText((await anyLanguage.get('/sessions')).html);
  t.regex(list, /鉴定批次 批次编号 鉴定站 阶段 鉴定职业及等级 首场考试时间（北京时间） 考位/);
  t.regex(
    list,
    new RegExp(
      `${sessionId} 东城职业技能鉴定站 成绩登记 烘焙工（等级：五级/初级工） ${CHINESE_TIME} 已安排 \\d 个，共 3 个`,
    ),
  );
  t.deepEqual(englishLeft(list), []);
  t.regex(visibleText((await anyLanguage.get(`/sessions/${sessionId}`)).html), new RegExp(`鉴定批次 ${sessionId} `));
});

test.serial('a refused form on a Chinese page answers 303 and keeps what was typed; a cancelled path', async (t) => {
  const h = t.context;
  const sessionId = await approvedSession(h);
  const at = `/sessions/${sessionId}`;

  // A decision on a task that is no longer open: its form has left the page, so the refusal is shown at the top.
  const { tasks } = await waitForSession(h, sessionId, 'approved', (v) => v.stage === SessionStage.Registration);
  const review = tasks.find((task) => task.kind === SessionTaskKind.PlanReview)!;
  const center = await reader('wu.center-reviewer');
  const late = await center.post(`${at}/tasks/${review.id}/approve`, { comment: '同意。' }, { follow: false });
  t.is(late.status, 303);
  t.regex((await center.get(at)).html, /<div class='flash error' role='alert'[^>]*>\s*<p>[^<]+<\/p>/);
  const clerk = await reader('zhou.supervisor');

  const unknown = await clerk.post(`${at}/seats`, { applicationNumber: 'STATION-A-2026-999999' }, { follow: false });
  t.is(unknown.status, 303);
  t.is(unknown.location, at);
  const refused = await clerk.get(at);
  t.is(inputValue(refused.html, 'applicationNumber'), 'STATION-A-2026-999999', 'the number stays in its box');
  const seatSection = /<section aria-labelledby='seat-heading'>[\s\S]*?<\/section>/.exec(refused.html)![0];
  t.regex(
    visibleText(seatSection),
    /安排考位 .*本站没有申报 STATION-A-2026-999999。/,
    'the reason is shown beside its form',
  );
  t.deepEqual(englishLeft(visibleText(seatSection)), []);

  const { application } = await caseAwaitingSeat(h);
  const seated = await clerk.post(`${at}/seats`, { applicationNumber: application.applicationNumber });
  t.is(seated.location, at);
  t.regex(
    visibleText(seated.html),
    new RegExp(`已为申报 ${application.applicationNumber} 安排考位：Room 101，1号座位，准考证号 ${sessionId}-0001。`),
  );

  const reason = '考场设备检修，本批次取消。';
  const done = await clerk.post(`${at}/cancel`, { reason });
  t.regex(visibleText(done.html), /鉴定批次已取消；已安排考位的考生重新等待安排考位，并已收到通知。/);
  await waitForSession(h, sessionId, 'cancelled', (v) => v.stage === SessionStage.Cancelled);
  const cancelled = await clerk.get(at);
  t.regex(visibleText(cancelled.html), new RegExp(`阶段 已取消（已结束）：${reason}`));
  t.regex(cancelled.html, /<title id="session-path-title">鉴定批次流程，当前阶段：已取消<\/title>/);
  t.regex(cancelled.html, /<title>报名阶段已取消（状态：已终止）<\/title>/);
  t.deepEqual(englishLeft(visibleText(cancelled.html)), []);
});
