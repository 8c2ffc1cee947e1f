/**
 * A case's page and GET /api/cases/<number>: visible to the organisations it passes through and to administrators,
 * a 404 for everyone else; the candidate's name and ID number only for those whose work needs them, masked for the
 * rest. Also the pages anyone reaches from a case: the notification log (per group) and public verification.
 */
import { Level } from '../../domain/levels';
import { TaskKind } from '../../workflows/definitions';
import { applicationFor, ineligibleApplication } from '../helpers/applications';
import { driveTo, eventually } from '../helpers/cases';
import { testWithHarness } from '../helpers/harnessTests';
import { apiClient, BrowserSession, startWeb, visibleText, type WebApp } from '../helpers/web';
import { englishLeftIn } from './englishLeft';
import { caseHandle, intake, listedFor, openTaskOf, people, UNLIMITED_SIGN_IN } from './fixtures';

const test = testWithHarness({ flavour: 'dev-server' });

let web: WebApp;
let who: ReturnType<typeof people>;
/** 王芳's case, at the station review. */
let number: string;

const NAME = '王芳';
const ID_NUMBER = '11010519491231002X';
const EMAIL = 'wang.fang@example.org';
const LATER_ID_NUMBER = '310104198506150031';
const MASKED = { name: '王**', idType: 'resident-id', idNumber: '110105********002X' };

// Serial, so it waits for the harness's own hook (ava starts concurrent hooks together).
test.serial.before(async (t) => {
  web = await startWeb(t.context, { signInLimits: UNLIMITED_SIGN_IN });
  who = people(web.base);
  number = await intake(
    await who.api('sun.clerk'),
    applicationFor(Level.Primary, {
      candidate: { name: NAME, idType: 'resident-id', idNumber: ID_NUMBER, email: EMAIL },
    }),
  );
  const { id } = await openTaskOf(t.context, number, TaskKind.StationReview);
  await listedFor(await who.api('li.station-reviewer'), number, id);
});
test.after.always(async () => {
  await web?.close();
});

async function casePage(user: string, applicationNumber = number) {
  return (await who.browser(user)).get(`/cases/${applicationNumber}`);
}

for (const [user, why] of [
  ['sun.clerk', 'the receiving station’s clerk'],
  ['li.station-reviewer', 'a reviewer whose group holds a task of the case'],
  ['admin', 'an administrator'],
] as const) {
  test(`${why} sees the candidate's name and ID number`, async (t) => {
    const page = await casePage(user);
    t.is(page.status, 200);
    const text = visibleText(page.html);
    t.regex(text, new RegExp(`Case ${number} `));
    t.regex(text, new RegExp(`Candidate ${NAME} \\(resident ID card ${ID_NUMBER}\\), ${EMAIL}`));
    const api = await (await who.api(user)).get(`/api/cases/${number}`);
    t.is(api.status, 200);
    t.deepEqual(api.body.application.candidate, {
      name: NAME,
      idType: 'resident-id',
      idNumber: ID_NUMBER,
      email: EMAIL,
    });
  });
}

for (const [user, why] of [
  ['zheng.approver', 'the department approver, before the department has any task of the case,'],
  ['wu.center-reviewer', 'the guidance center reviewer, before the center has any task of the case,'],
  ['chen.examiner', 'an examiner of the station, before the exam,'],
] as const) {
  test(`${why} sees the case with the candidate masked`, async (t) => {
    const page = await casePage(user);
    t.is(page.status, 200);
    const text = visibleText(page.html);
    t.regex(text, new RegExp(`Candidate 王\\*\\* \\(resident ID card 110105\\*{8}002X\\) Occupation`));
    for (const secret of [NAME, ID_NUMBER, EMAIL]) t.false(page.html.includes(secret), secret);
    t.regex(text, /Eligibility: eligible/, 'the rest of the case file is there');

    const api = await (await who.api(user)).get(`/api/cases/${number}`);
    t.is(api.status, 200);
    t.deepEqual(api.body.application.candidate, MASKED);
    const raw = JSON.stringify(api.body);
    for (const secret of [NAME, ID_NUMBER, EMAIL]) t.false(raw.includes(secret), secret);
  });
}

test('the case page shows the path, the eligibility and the open tasks; the links to the console only to admins', async (t) => {
  const clerk = await casePage('sun.clerk');
  t.regex(clerk.html, /<svg[^>]*>/);
  const text = visibleText(clerk.html);
  t.regex(text, /Eligibility: eligible/);
  t.regex(text, /Open tasks Qualification review \(station\) for 东城职业技能鉴定站 reviewers, due .* \(China time\)/);
  t.regex(text, /Organisations 东城职业技能鉴定站 → 市职业技能鉴定指导中心 → 市人力资源和社会保障局/);
  t.regex(text, /Stage Station review /);
  t.notRegex(text, /History and administration/);

  const admin = await casePage('admin');
  t.regex(admin.html, new RegExp(`<a href='/admin/cases/${number}'>History and administration</a>`));
  t.true(
    admin.html.includes(
      `<a href='http://127.0.0.1:8233/namespaces/default/workflows/application-${number}'>This workflow in the Temporal Web UI</a>`,
    ),
  );
});

test('the case page reads in Chinese, for a browser that asks for it and for one that names no language', async (t) => {
  for (const language of ['zh-CN', '*']) {
    const clerk = new BrowserSession(web.base, language);
    await clerk.signIn('sun.clerk');
    const page = await clerk.get(`/cases/${number}`);
    t.is(page.status, 200, language);
    const text = visibleText(page.html);
    t.regex(text, new RegExp(`^申报 ${number} · Qualiflow`), language);
    t.regex(page.html, /<title id="case-path-title">申报办理进程：当前环节为鉴定站资格审核<\/title>/);
    t.regex(
      text,
      /待办任务 资格审核（鉴定站） ?，办理部门：东城职业技能鉴定站的审核人员，办理时限：20\d\d年\d+月\d+日 \d\d:\d\d（北京时间）/,
    );
    t.regex(text, new RegExp(`考生 ${NAME}（居民身份证 ${ID_NUMBER}），${EMAIL}`));
    t.regex(text, /职业（工种） 烘焙工 等级 五级\/初级工 办理环节 鉴定站资格审核 /);
    t.regex(text, /受理时间 20\d\d年\d+月\d+日 \d\d:\d\d/);
    t.regex(text, /申报材料 身份证件复印件：/);
    t.regex(text, /办理记录 暂无办理记录。/);
    t.deepEqual(englishLeftIn(text, 'case'), [], language);
  }
});

test('an ineligible case reads in Chinese: the reason the case closed, on the file and in its history', async (t) => {
  const closed = await intake(await who.api('sun.clerk'), ineligibleApplication());
  await caseHandle(t.context, closed).result();
  const clerk = new BrowserSession(web.base, 'zh-CN');
  await clerk.signIn('sun.clerk');
  const text = visibleText((await clerk.get(`/cases/${closed}`)).html);
  t.regex(text, /办理环节 不符合申报条件（已办结）：不符合该等级的任何申报条件。/);
  t.regex(text, /申报办结（不符合申报条件） 不符合该等级的任何申报条件。/);
  t.notRegex(text, /No eligibility condition/);
  t.deepEqual(englishLeftIn(text, 'case'), []);
});

test('people of other organisations get 404, the same answer as for a case that does not exist', async (t) => {
  const missing = 'QF-20260101-NOSUCH';
  for (const user of ['zhao.station-b-reviewer', 'he.clerk-b', 'lin.examiner-b']) {
    const page = await casePage(user);
    t.is(page.status, 404, user);
    t.regex(visibleText(page.html), new RegExp(`Error 404 No case ${number} that you can see\\.`), user);
    t.false(page.html.includes(NAME) || page.html.includes(MASKED.name), user);

    const api = await who.api(user);
    const hidden = await api.get(`/api/cases/${number}`);
    const absent = await api.get(`/api/cases/${missing}`);
    t.is(hidden.status, 404, user);
    t.deepEqual(hidden.body, { error: `No case ${number} that you can see.` }, user);
    t.is(absent.status, 404, user);
    t.deepEqual(absent.body, { error: `No case ${missing} that you can see.` }, user);
  }
});

test('once the department holds a task of the case, its approver sees the person', async (t) => {
  const zheng = await who.api('zheng.approver');
  // Another person: intake refuses a second open case of the first one at the same level.
  const later = await intake(
    await who.api('sun.clerk'),
    applicationFor(Level.Primary, { candidate: { name: '李娜', idType: 'resident-id', idNumber: LATER_ID_NUMBER } }),
  );
  await openTaskOf(t.context, later, TaskKind.StationReview);
  t.is((await zheng.get(`/api/cases/${later}`)).body.application.candidate.name, '李**');

  await driveTo(caseHandle(t.context, later), TaskKind.ResultDepartmentApproval);
  const api = await zheng.get(`/api/cases/${later}`);
  t.like(api.body.application.candidate, { name: '李娜', idNumber: LATER_ID_NUMBER });
  t.regex(
    visibleText((await casePage('zheng.approver', later)).html),
    new RegExp(`Candidate 李娜 \\(resident ID card ${LATER_ID_NUMBER}\\)`),
  );
});

test('the notification log shows each person the notices of their own groups only', async (t) => {
  const subject = `(application ${number})`;
  const li = await who.browser('li.station-reviewer');
  // The notice is written by the workflow's notify activity, just after the task opened.
  const own = await eventually('the notice of the new task', async () => {
    const text = visibleText((await li.get('/notifications')).html);
    return text.includes(subject) ? text : undefined;
  });
  t.regex(
    own,
    new RegExp(
      `东城职业技能鉴定站 reviewers New task Qualification review \\(station\\), due .* \\(application ${number}\\)`,
    ),
  );

  const zhao = await who.browser('zhao.station-b-reviewer');
  const theirs = await zhao.get('/notifications');
  t.is(theirs.status, 200);
  t.false(theirs.html.includes(subject), 'station-b does not read station-a’s notices');
  const asked = await zhao.get('/notifications?recipient=station-a%3Areviewers');
  t.regex(
    visibleText(asked.html),
    /Notifications to 东城职业技能鉴定站 reviewers .* No notifications\./,
    'asking does not widen it',
  );
  t.false(asked.html.includes(subject));

  const admin = visibleText((await (await who.browser('admin')).get('/notifications')).html);
  t.true(admin.includes(subject), 'administrators read every notice');

  const signedOut = await new BrowserSession(web.base).get('/notifications', { follow: false });
  t.is(signedOut.status, 303);
  t.is(signedOut.location, '/login?next=%2Fnotifications');
});

test('certificate verification stays public: no sign-in, the page and the API answer anyone', async (t) => {
  const unknown = 'S000044000001153000001';
  const page = await fetch(`${web.base}/verify/${unknown}`, {
    redirect: 'manual',
    headers: { 'accept-language': 'en' },
  });
  t.is(page.status, 404);
  t.regex(visibleText(await page.text()), new RegExp(`Unknown certificate No certificate with the number ${unknown}`));
  const api = await apiClient(web.base).get(`/api/certificates/${unknown}`);
  t.is(api.status, 404);
  t.deepEqual(api.body, { status: 'unknown', number: unknown });

  const malformed = await fetch(`${web.base}/verify/not-a-number`, {
    redirect: 'manual',
    headers: { 'accept-language': 'en' },
  });
  t.is(malformed.status, 400);
  t.regex(visibleText(await malformed.text()), /Not a certificate number/);
});
