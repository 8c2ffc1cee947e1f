/**
 * The administrators' console, as pages and under /api/admin: nobody else gets in; finding cases in the case index;
 * a case's history as sentences beside its raw events; cancelling a case (with a reason, or not at all); the SLA
 * dashboard against the app's clock; the engine status page. Serial: the tests share the cases, the counts and the
 * clock.
 */
import { Level } from '../../domain/levels';
import { TaskKind } from '../../workflows/definitions';
import { applicationFor } from '../helpers/applications';
import { eventually } from '../helpers/cases';
import { testWithHarness } from '../helpers/harnessTests';
import { BrowserSession, startWeb, visibleText, type WebApp } from '../helpers/web';
import { englishLeftIn } from './englishLeft';
import { intake, isTask, listedFor, openTaskOf, people, residentId, UNLIMITED_SIGN_IN, wholeInbox } from './fixtures';

const test = testWithHarness({ flavour: 'dev-server' });

let web: WebApp;
let who: ReturnType<typeof people>;
let clock: Date | undefined;
/** 赵敏 (station-a, gets approved), Qian Hao (station-b), 赵磊 and Sun Mei (station-a, get cancelled). */
const cases = {} as Record<'zhaoMin' | 'qianHao' | 'zhaoLei' | 'sunMei', { number: string; idNumber: string }>;

const candidate = (name: string, serial: number) => ({
  name,
  idType: 'resident-id' as const,
  idNumber: residentId(serial),
});

// Serial, so it waits for the harness's own hook (ava starts concurrent hooks together).
test.serial.before(async (t) => {
  web = await startWeb(t.context, { now: () => clock ?? new Date(), signInLimits: UNLIMITED_SIGN_IN });
  who = people(web.base);
  const clerk = await who.api('sun.clerk');
  const takenIn = [
    ['zhaoMin', clerk, candidate('赵敏', 101), 'station-a'],
    ['qianHao', await who.api('he.clerk-b'), candidate('Qian Hao', 102), 'station-b'],
    ['zhaoLei', clerk, candidate('赵磊', 103), 'station-a'],
    ['sunMei', clerk, candidate('Sun Mei', 104), 'station-a'],
  ] as const;
  for (const [key, by, person, stationId] of takenIn) {
    cases[key] = {
      number: await intake(by, applicationFor(Level.Primary, { candidate: person, stationId })),
      idNumber: person.idNumber,
    };
  }
  for (const { number } of Object.values(cases)) await openTaskOf(t.context, number, TaskKind.StationReview);
  const li = await who.api('li.station-reviewer');
  for (const key of ['zhaoMin', 'zhaoLei', 'sunMei'] as const)
    await listedFor(li, cases[key].number, 'station-review-1');
});
test.after.always(async () => {
  await web?.close();
});

const REFUSAL = 'Only administrators may open the console.';

test.serial('only administrators may use the console, its pages or its API', async (t) => {
  const { number } = cases.zhaoMin;
  for (const user of ['li.station-reviewer', 'sun.clerk', 'zhou.supervisor']) {
    const browser = await who.browser(user);
    for (const path of [
      '/admin/cases',
      '/admin/cases?name=%E8%B5%B5',
      `/admin/cases/${number}`,
      '/admin/sla',
      '/status',
    ]) {
      const page = await browser.get(path);
      t.is(page.status, 403, `${user} ${path}`);
      t.regex(visibleText(page.html), /Error 403 Only administrators may open the console\./, `${user} ${path}`);
      t.false(page.html.includes('赵敏'), `${user} ${path}`);
    }
    t.notRegex((await browser.get('/inbox')).html, /href='\/admin\/cases'/, 'no menu entry for it');
    const cancel = await browser.post(`/admin/cases/${number}/cancel`, { reason: 'Not mine to cancel' });
    t.is(cancel.status, 403, `${user} cancel page`);

    const api = await who.api(user);
    for (const path of ['/api/admin/cases?name=%E8%B5%B5', `/api/admin/cases/${number}/history`, '/api/admin/sla']) {
      const response = await api.get(path);
      t.is(response.status, 403, `${user} ${path}`);
      t.deepEqual(response.body, { error: REFUSAL }, `${user} ${path}`);
    }
    const apiCancel = await api.post(`/api/admin/cases/${number}/cancel`, { reason: 'Not mine to cancel' });
    t.is(apiCancel.status, 403, `${user} cancel API`);
  }
  const history = await (await who.api('admin')).get(`/api/admin/cases/${number}/history`);
  t.false(history.body.case.closed, 'nothing was cancelled');
});

test.serial('an administrator finds cases by number, ID number, name prefix, stage and station', async (t) => {
  const admin = await who.api('admin');
  const found = async (query: string) => {
    const response = await admin.get(`/api/admin/cases?${query}`);
    t.is(response.status, 200, query);
    return (response.body.cases as { application_number: string }[]).map((row) => row.application_number).sort();
  };
  const { zhaoMin, qianHao, zhaoLei, sunMei } = cases;
  const all = [zhaoMin, qianHao, zhaoLei, sunMei].map((c) => c.number).sort();

  const byNumber = await admin.get(`/api/admin/cases?number=${zhaoMin.number}`);
  t.like(byNumber.body.cases, [
    {
      application_number: zhaoMin.number,
      candidate_name: '赵敏',
      id_number: zhaoMin.idNumber,
      station_id: 'station-a',
    },
  ]);
  t.is(byNumber.body.cases.length, 1);
  t.deepEqual(await found(`idNumber=${qianHao.idNumber.toLowerCase()}`), [qianHao.number]);
  t.deepEqual(await found(`name=${encodeURIComponent('赵')}`), [zhaoMin.number, zhaoLei.number].sort());
  t.deepEqual(
    await found(`name=${encodeURIComponent('赵%')}`),
    [zhaoMin.number, zhaoLei.number].sort(),
    '% is no pattern',
  );
  t.deepEqual(await found('station=station-b'), [qianHao.number]);
  t.deepEqual(await found('occupation=baker'), all);
  // Intake indexes a case at "application"; the workflow's records activity moves it on.
  await eventually('the index to reach the station review', async () => {
    const atReview = await found('stage=station-review');
    return atReview.join() === all.join() ? true : undefined;
  });
  t.deepEqual(
    await found(`stage=station-review&station=station-a&name=${encodeURIComponent('赵')}`),
    [zhaoMin.number, zhaoLei.number].sort(),
  );

  const browser = await who.browser('admin');
  const page = await browser.get(`/admin/cases?name=${encodeURIComponent('赵')}`);
  t.is(page.status, 200);
  const text = visibleText(page.html);
  t.regex(
    text,
    new RegExp(
      `${zhaoMin.number} 赵敏 ${zhaoMin.idNumber} Baker · Level 5 \\(primary\\) 东城职业技能鉴定站 Station review`,
    ),
  );
  t.regex(text, new RegExp(`${zhaoLei.number} 赵磊 `));
  t.false(text.includes('Qian Hao'));
  t.regex(page.html, /<input id='name' name='name' value='赵' \/>/, 'the search stays in its box');
  t.regex(page.html, new RegExp(`<a href='/admin/cases/${zhaoMin.number}'>`));

  const empty = visibleText((await browser.get('/admin/cases')).html);
  t.notRegex(empty, /No case matches\./, 'no search, no verdict');
  t.regex(visibleText((await browser.get('/admin/cases?number=QF-20260101-NOSUCH')).html), /No case matches\./);
});

test.serial('search fields that mean nothing are refused with a message for each', async (t) => {
  const response = await (await who.api('admin')).get('/api/admin/cases?page=0&stage=lunch');
  t.is(response.status, 422);
  t.is(response.body.error, 'Some search fields are not valid.');
  t.is(response.body.errors.page, 'must be a whole number from 1 to 10000');
  t.regex(response.body.errors.stage, /^must be one of: application, eligibility, station-review, /);

  const page = await (await who.browser('admin')).get('/admin/cases?page=0');
  t.regex(visibleText(page.html), /Page: must be a whole number from 1 to 10000/);
  t.notRegex(page.html, /<table>/);
});

test.serial(
  "a case's history tells the story in sentences, beside the raw events and the Temporal UI link",
  async (t) => {
    const { number } = cases.zhaoMin;
    const approve = await (
      await who.api('li.station-reviewer')
    ).post(`/api/cases/${number}/tasks/station-review-1/approve`, {
      comment: 'All papers in order',
    });
    t.is(approve.status, 200);

    const browser = await who.browser('admin');
    const page = await browser.get(`/admin/cases/${number}`);
    t.is(page.status, 200);
    const text = visibleText(page.html);
    t.regex(text, new RegExp(`Case ${number} · Station review|Case ${number} · Guidance center review`));
    t.regex(text, new RegExp(`Application ${number} received`));
    t.regex(text, /Eligibility checked: eligible for Level 5 \(primary\)/);
    // The task by its label, the reviewer by name: in the sentence and in the By column.
    const reviewer = '李伟';
    t.regex(
      text,
      new RegExp(`${reviewer} approved Qualification review \\(station\\) ${reviewer} All papers in order`),
    );
    t.false(/station-review-1|li\.station-reviewer/.test(text.split('Raw events')[0]), 'no task id or user id');
    t.true(
      page.html.includes(
        `<a href='http://127.0.0.1:8233/namespaces/default/workflows/application-${number}'>This workflow in the Temporal Web UI</a>`,
      ),
    );
    const rawCount = Number(/Raw events \((\d+)\)/.exec(text)?.[1]);
    t.true(rawCount > 5, `${rawCount} raw events`);
    t.regex(page.html, /<details id='event-1'><summary>#1 EVENT_TYPE_WORKFLOW_EXECUTION_STARTED /);
    t.regex(text, /Candidate 赵敏 /);

    const api = await (await who.api('admin')).get(`/api/admin/cases/${number}/history`);
    t.is(api.status, 200);
    t.is(api.body.case.applicationNumber, number);
    t.like(
      api.body.timeline.find(
        (entry: { what: string }) => entry.what === '李伟 approved Qualification review (station)',
      ),
      {
        kind: 'decision',
        by: 'li.station-reviewer',
        byName: '李伟',
        taskId: 'station-review-1',
        comment: 'All papers in order',
      },
    );
    t.true(api.body.events.length >= rawCount);
    t.is(api.body.events[0].eventType, 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED');

    const otherStation = await browser.get(`/admin/cases/${cases.qianHao.number}`);
    t.is(otherStation.status, 200, 'an administrator sees every station’s cases');
    const missing = await browser.get('/admin/cases/QF-20260101-NOSUCH');
    t.is(missing.status, 404);
    t.is((await (await who.api('admin')).get('/api/admin/cases/QF-20260101-NOSUCH/history')).status, 404);
  },
);

test.serial('cancelling without a reason is refused, and the case stays open', async (t) => {
  const { number } = cases.zhaoMin;
  const browser = await who.browser('admin');
  await browser.get(`/admin/cases/${number}`);
  const page = await browser.post(`/admin/cases/${number}/cancel`, { reason: '  ' });
  t.is(page.location, `/admin/cases/${number}`);
  t.regex(page.html, /<div class='flash error' role='alert'[^>]*>\s*<p>The reason is required\.<\/p>/);
  t.regex(page.html, new RegExp(`<form method='post' action='/admin/cases/${number}/cancel'`), 'still cancellable');

  // Post, redirect, get: the refusal comes back once, with what was typed in the box and the message beside it.
  const long = 'Entered twice by mistake. '.repeat(80);
  const refused = await browser.post(`/admin/cases/${number}/cancel`, { reason: long }, { follow: false });
  t.is(refused.status, 303);
  t.is(refused.location, `/admin/cases/${number}`);
  const shown = await browser.get(refused.location!);
  t.regex(
    shown.html,
    /<div class='flash error' role='alert'[^>]*>\s*<p>The reason must be at most 2000 characters\.<\/p>/,
  );
  t.true(
    shown.html.includes(
      `<textarea id='cancel-reason' name='reason' rows='2' required aria-invalid='true' aria-describedby='cancel-reason-error'>${long}</textarea>`,
    ),
    'the typed reason is back in its box',
  );
  t.regex(shown.html, /<span class='error-text' id='cancel-reason-error'>must be at most 2000 characters<\/span>/);
  const reloaded = await browser.get(`/admin/cases/${number}`);
  t.false(reloaded.html.includes(long), 'read once');
  t.false(reloaded.html.includes("class='flash"), 'read once');

  const admin = await who.api('admin');
  const api = await admin.post(`/api/admin/cases/${number}/cancel`, {});
  t.is(api.status, 422);
  t.deepEqual(api.body, { error: 'Say why the case is cancelled.', errors: { reason: 'is required' } });
  t.false((await admin.get(`/api/admin/cases/${number}/history`)).body.case.closed);
  const missing = await admin.post('/api/admin/cases/QF-20260101-NOSUCH/cancel', { reason: 'Gone' });
  t.is(missing.status, 404);
});

test.serial('cancelling with a reason closes the case and takes its tasks out of every inbox at once', async (t) => {
  const li = await who.api('li.station-reviewer');
  const { number } = cases.zhaoLei;
  const browser = await who.browser('admin');
  await browser.get(`/admin/cases/${number}`);
  const page = await browser.post(`/admin/cases/${number}/cancel`, { reason: 'Entered twice by mistake' });
  t.is(page.status, 200);
  t.is(page.location, `/admin/cases/${number}`);
  t.regex(page.html, new RegExp(`<div class='flash ok' role='status'[^>]*>\\s*<p>Case ${number} was cancelled\\.</p>`));
  const text = visibleText(page.html);
  t.regex(text, /Stage Cancelled \(closed\): Entered twice by mistake/);
  t.regex(text, /系统管理员 cancelled the case 系统管理员 Entered twice by mistake/);
  t.false(page.html.includes(`action='/admin/cases/${number}/cancel'`), 'nothing left to cancel');
  t.false((await wholeInbox(li)).some(isTask(number, 'station-review-1')), 'gone from the inbox, no waiting');
  const taskPage = visibleText(
    (await (await who.browser('li.station-reviewer')).get(`/tasks/${number}/station-review-1`)).html,
  );
  t.regex(taskPage, /Status cancelled/);

  const admin = await who.api('admin');
  const other = cases.sunMei.number;
  const api = await admin.post(`/api/admin/cases/${other}/cancel`, { reason: 'Withdrawn by telephone' });
  t.is(api.status, 200);
  t.like(api.body, {
    message: `Case ${other} was cancelled.`,
    case: { stage: 'cancelled', closed: true, outcome: { reason: 'Withdrawn by telephone', by: 'admin' } },
  });
  t.false((await wholeInbox(li)).some(isTask(other, 'station-review-1')));
  const again = await admin.post(`/api/admin/cases/${other}/cancel`, { reason: 'Once more' });
  t.is(again.status, 409);
  t.deepEqual(again.body, { error: `Case ${other} is closed (Cancelled).`, code: 'refusals:case.closed' });
});

test.serial('the deadlines page draws the chart and lists the overdue tasks by the clock', async (t) => {
  t.teardown(() => {
    clock = undefined;
  });
  const admin = await who.api('admin');
  // What is open now: 赵敏's center review (the station approved it) and Qian Hao's station review.
  const onTime = [
    { stage: 'center-review', overdue: 0, dueSoon: 0, onTime: 1, label: 'Guidance center review' },
    { stage: 'station-review', overdue: 0, dueSoon: 0, onTime: 1, label: 'Station review' },
  ];
  await eventually('the center review in the projection', async () => {
    const { stages } = (await admin.get('/api/admin/sla')).body;
    return JSON.stringify(stages) === JSON.stringify(onTime) ? true : undefined;
  });
  t.deepEqual((await admin.get('/api/admin/sla')).body, { stages: onTime, overdue: [] });
  const browser = await who.browser('admin');
  const calm = await browser.get('/admin/sla');
  t.is(calm.status, 200);
  t.regex(calm.html, /<svg[^>]*>/);
  t.regex(visibleText(calm.html), /Deadlines 0 overdue, 0 due within three days, 2 on time\./);
  t.regex(visibleText(calm.html), /Overdue tasks Nothing is overdue\./);

  clock = new Date(Date.now() + 60 * 24 * 3600_000);
  const late = (await admin.get('/api/admin/sla')).body;
  t.deepEqual(
    late.stages,
    onTime.map((row) => ({ ...row, overdue: 1, onTime: 0 })),
  );
  t.deepEqual(
    late.overdue
      .map((row: { applicationNumber: string; taskId: string }) => `${row.applicationNumber}/${row.taskId}`)
      .sort(),
    [`${cases.zhaoMin.number}/center-review-2`, `${cases.qianHao.number}/station-review-1`].sort(),
  );
  const page = await browser.get('/admin/sla');
  const text = visibleText(page.html);
  t.regex(text, /Deadlines 2 overdue, 0 due within three days, 0 on time\./);
  t.regex(
    text,
    new RegExp(
      `Qualification review \\(station\\) ${cases.qianHao.number} Station review 西城职业技能鉴定站 reviewers`,
    ),
  );
  t.true(page.html.includes(`<a href='/tasks/${cases.qianHao.number}/station-review-1'>`));
  t.true(page.html.includes(`<a href='/admin/cases/${cases.zhaoMin.number}'>`));
});

test.serial('the engine status page lists the cases for administrators', async (t) => {
  const browser = await who.browser('admin');
  const { qianHao } = cases;
  // The list comes from Temporal's visibility store, which follows the workflows a moment behind.
  const text = await eventually('the case in the visibility store', async () => {
    const page = await browser.get('/status');
    const shown = visibleText(page.html);
    const listed = `${qianHao.number} Station review Qualification review (station)`;
    return page.status === 200 && shown.includes(listed) ? shown : undefined;
  });
  t.regex(text, /Engine status Engine Temporal namespace default ; its Web UI: http:\/\/127\.0\.0\.1:8233 \./);
  t.regex(
    text,
    new RegExp(
      `${qianHao.number} Station review Qualification review \\(station\\) \\d{1,2} [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d Running`,
    ),
  );
  t.regex(text, /Next deadline \(China time\)/);
  t.regex(text, /Newest notifications When \(China time\) To Notice Email .* 西城职业技能鉴定站 reviewers New task /);
});

// ---- In Chinese: what the people of the stations, the guidance center and the department read ----

/** An administrator's browser that asks for Chinese (or, with '*', names no language and gets Chinese too). */
async function chineseAdmin(acceptLanguage = 'zh-CN'): Promise<BrowserSession> {
  const browser = new BrowserSession(web.base, acceptLanguage);
  const landed = await browser.signIn('admin');
  if (landed.location !== '/inbox') throw new Error(`admin could not sign in: ${landed.status}`);
  return browser;
}

/** The admin case page's own parts: its header, links and forms, the timeline and the raw events (not the case file). */
function ownParts(html: string): string {
  const main = html.slice(html.indexOf('<main')).replace(/<figure>[\s\S]*?<\/figure>/, '');
  const timelineEnd = main.indexOf('</section>') + '</section>'.length;
  return visibleText(
    main.slice(0, timelineEnd) + main.slice(main.indexOf("<section aria-labelledby='events-heading'>")),
  );
}

test.serial("in Chinese, a case's history tells the timeline with the tasks' labels and people's names", async (t) => {
  const { number } = cases.zhaoMin;
  const page = await (await chineseAdmin()).get(`/admin/cases/${number}`);
  t.is(page.status, 200);
  t.regex(page.html, /<html lang='zh-CN'>/);
  const text = visibleText(page.html);
  t.regex(text, new RegExp(`申报 ${number} · 指导中心资格复核`));
  t.regex(text, /在 Temporal Web UI 中查看此流程 · 申报详情页/);
  t.regex(text, /撤销本申报 撤销原因 撤销申报/);
  t.regex(text, /办理过程 根据流程事件记录生成，时间均为北京时间。 时间（北京时间） 事项 办理人 意见 事件/);
  t.regex(
    text,
    new RegExp(
      `\\d{4}年\\d{1,2}月\\d{1,2}日 \\d\\d:\\d\\d 收到申报 ${number} 烘焙工，五级/初级工，申报至东城职业技能鉴定站`,
    ),
  );
  t.regex(text, /申报条件核验：符合五级\/初级工申报条件/);
  t.regex(text, /“资格审核（鉴定站）”已交东城职业技能鉴定站的审核人员办理，办理时限 \d{4}年\d{1,2}月\d{1,2}日 23:59/);
  const reviewer = '李伟';
  t.regex(text, new RegExp(`${reviewer}通过了“资格审核（鉴定站）” ${reviewer} All papers in order`));
  t.regex(text, /“资格复核（指导中心）”已交市职业技能鉴定指导中心的审核人员办理/);
  t.regex(text, /原始事件（\d+ 条）/);
  t.deepEqual(englishLeftIn(ownParts(page.html), 'admin'), []);
});

test.serial('in Chinese, the case search shows labels and names, and says when nothing matches', async (t) => {
  const { zhaoMin, zhaoLei } = cases;
  for (const acceptLanguage of ['zh-CN', '*']) {
    const browser = await chineseAdmin(acceptLanguage);
    const page = await browser.get(`/admin/cases?name=${encodeURIComponent('赵')}`);
    const text = visibleText(page.html);
    t.regex(text, /查询申报 申报编号 证件号码 姓名（可只填开头几个字） 办理环节 全部/, acceptLanguage);
    t.regex(
      text,
      /申报编号 考生 证件号码 职业（工种）· 等级 鉴定站（所） 办理环节 申报时间（北京时间）/,
      acceptLanguage,
    );
    t.regex(
      text,
      new RegExp(`${zhaoMin.number} 赵敏 ${zhaoMin.idNumber} 烘焙工 · 五级/初级工 东城职业技能鉴定站 指导中心资格复核`),
    );
    t.regex(text, new RegExp(`${zhaoLei.number} 赵磊 .* 已撤销（已办结） \\d{4}年`));
    t.regex(page.html, /<option value='station-review' >鉴定站资格审核<\/option>/, 'stages by their labels');
    t.regex(page.html, /<option value='baker' >烘焙工<\/option>/, 'occupations by their names');
    t.regex(page.html, /<option value='station-b' >西城职业技能鉴定站<\/option>/, 'stations by their names');
    t.deepEqual(englishLeftIn(text, 'admin'), []);
    t.regex(visibleText((await browser.get('/admin/cases?number=QF-20260101-NOSUCH')).html), /没有符合条件的申报。/);
    t.regex(visibleText((await browser.get('/admin/cases?page=0')).html), /页码：必须是 1 到 10000 之间的整数/);
  }
});

test.serial('in Chinese, the deadlines page sums up, draws and lists the overdue tasks in Chinese', async (t) => {
  t.teardown(() => {
    clock = undefined;
  });
  const browser = await chineseAdmin();
  const calm = visibleText((await browser.get('/admin/sla')).html);
  t.regex(calm, /办理时限 超期 0 件，三日内到期 0 件，未到期 2 件。/);
  t.regex(calm, /各环节在办任务：超期 0 件，即将到期 0 件，未到期 2 件/);
  t.regex(calm, /各办理环节在办任务的时限情况。 超期任务 没有超期任务。/);

  clock = new Date(Date.now() + 60 * 24 * 3600_000);
  const late = await browser.get('/admin/sla');
  const text = visibleText(late.html);
  t.regex(text, /超期 2 件，三日内到期 0 件，未到期 0 件。/);
  t.regex(text, /超期（2）/);
  t.regex(text, /任务 申报编号 办理环节 承办组 认领人 办理时限（北京时间）/);
  t.regex(
    text,
    new RegExp(`资格审核（鉴定站） ${cases.qianHao.number} 鉴定站资格审核 西城职业技能鉴定站的审核人员 +\\d{4}年`),
  );
  t.regex(
    text,
    new RegExp(`资格复核（指导中心） ${cases.zhaoMin.number} 指导中心资格复核 市职业技能鉴定指导中心的审核人员`),
  );
  t.deepEqual(englishLeftIn(text, 'admin'), []);
});

test.serial('in Chinese, the notification log and the engine status name groups and states in Chinese', async (t) => {
  const browser = await chineseAdmin();
  const all = await browser.get('/notifications');
  const text = visibleText(all.html);
  t.regex(text, /通知 接收组 全部 .* 显示 时间（北京时间） 接收方 通知内容 邮件/);
  t.regex(text, /西城职业技能鉴定站的审核人员 /);
  t.regex(text, /考生 /);
  t.regex(text, /仅站内查看/);
  t.regex(all.html, /<option value="station-a:reviewers" >东城职业技能鉴定站的审核人员<\/option>/);
  t.deepEqual(englishLeftIn(text, 'admin'), []);
  const oneHtml = (await browser.get('/notifications?recipient=station-b%3Areviewers')).html;
  const one = visibleText(oneHtml);
  t.true(oneHtml.includes('<td>西城职业技能鉴定站的审核人员</td>'));
  t.regex(one, /发给西城职业技能鉴定站的审核人员的通知/);
  t.false(oneHtml.includes('<td>东城职业技能鉴定站的审核人员</td>'), 'narrowed to the one group');

  const status = visibleText((await browser.get('/status')).html);
  t.regex(status, /流程引擎状态 流程引擎 Temporal 命名空间 default ，其 Web 界面： http:\/\/127\.0\.0\.1:8233 。/);
  t.regex(status, /申报编号 办理环节 在办任务 最近办理时限（北京时间） 流程状态/);
  t.regex(
    status,
    new RegExp(
      `${cases.qianHao.number} 鉴定站资格审核 资格审核（鉴定站） \\d{4}年\\d{1,2}月\\d{1,2}日 \\d\\d:\\d\\d 运行中`,
    ),
  );
  t.regex(status, /最新通知 时间（北京时间） 接收方 通知内容 邮件/);
  t.deepEqual(englishLeftIn(status, 'admin'), []);
});
