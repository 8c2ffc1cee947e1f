/**
 * What the inbox list shows beyond its filters: the candidate (masked) and the "returned" marker with its reason, the
 * count of each view, the search box (a number, a name, an ID number, only among one's own tasks), the occupation
 * filter in either language, the sortable headers, first and previous pages with the total, and the page in Chinese.
 * The cases are taken in once for the file; the tests are serial because some of them claim tasks.
 */
import { Level } from '../../domain/levels';
import { maskName } from '../../domain/masking';
import { TaskKind } from '../../workflows/definitions';
import { applicationFor } from '../helpers/applications';
import { driveTo, eventually } from '../helpers/cases';
import { testWithHarness } from '../helpers/harnessTests';
import { BrowserSession, type Page, visibleText, type WebApp } from '../helpers/web';
import { englishLeftIn } from './englishLeft';
import {
  caseHandle,
  inboxRows,
  intake,
  isTask,
  listedFor,
  type People,
  residentId,
  rowHtml,
  rowKey,
  rowKeys,
  STATION_REVIEW,
  startInboxWeb,
  unescape,
  wholeInbox,
} from './fixtures';

const test = testWithHarness({ flavour: 'dev-server' });

const REASON = '工作经历证明未加盖单位公章，请补正后重新审核。';
const NAME = '欧阳明';
const ID_NUMBER = residentId(417);

let web: WebApp;
let who: People;
const cases = {} as Record<'named' | 'returned' | 'plain1' | 'plain2' | 'plain3' | 'plain4' | 'stationB', string>;
/** The station review the center's return opened again (ids count up through the case). */
let reopened: string;

test.serial.before(async (t) => {
  const h = t.context;
  ({ web, who } = await startInboxWeb(h));
  const clerk = await who.api('sun.clerk');
  const base = applicationFor(Level.Primary);
  [cases.named, cases.returned, cases.plain1, cases.plain2, cases.plain3, cases.plain4, cases.stationB] =
    await Promise.all([
      intake(
        clerk,
        applicationFor(Level.Primary, {
          occupation: 'welder',
          candidate: { ...base.candidate, name: NAME, idNumber: ID_NUMBER },
        }),
      ),
      intake(clerk, applicationFor(Level.Primary)),
      intake(clerk, applicationFor(Level.Primary)),
      intake(clerk, applicationFor(Level.Primary)),
      intake(clerk, applicationFor(Level.Primary)),
      intake(clerk, applicationFor(Level.Primary)),
      intake(await who.api('he.clerk-b'), applicationFor(Level.Primary, { stationId: 'station-b' })),
    ]);
  // The guidance center sends the returned case back to the station with a reason.
  const center = (await driveTo(caseHandle(h, cases.returned), TaskKind.CenterReview))!;
  const wu = await who.api('wu.center-reviewer');
  const back = await wu.post(`/api/cases/${cases.returned}/tasks/${center.id}/return`, { reason: REASON });
  if (back.status !== 200) throw new Error(`the return failed: ${back.status} ${JSON.stringify(back.body)}`);
  const li = await who.api('li.station-reviewer');
  // The station's review opens again under a new id (ids count up through the case).
  reopened = (
    await eventually('the reopened station review in the inbox', async () =>
      (await wholeInbox(li)).find(
        (task) => task.applicationNumber === cases.returned && task.taskId !== STATION_REVIEW,
      ),
    )
  ).taskId;
  for (const number of [cases.named, cases.plain1, cases.plain2, cases.plain3, cases.plain4])
    await listedFor(li, number, STATION_REVIEW);
  await listedFor(await who.api('zhao.station-b-reviewer'), cases.stationB, STATION_REVIEW);
});

test.after.always(async () => {
  await web?.close();
});

/** A link's address as the browser follows it, by the text it shows. */
function linkTo(page: Page, text: string): string | undefined {
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const href = new RegExp(`<a href='([^']*)'[^>]*>${escaped}</a>`).exec(page.html)?.[1];
  return href && unescape(href);
}

const paramsOf = (link: string) => Object.fromEntries(new URL(link, 'http://x').searchParams);

async function chineseBrowser(user: string, acceptLanguage = 'zh-CN'): Promise<BrowserSession> {
  const browser = new BrowserSession(web.base, acceptLanguage);
  const landed = await browser.signIn(user);
  if (landed.location !== '/inbox') throw new Error(`${user} could not sign in: ${landed.status}`);
  return browser;
}

test.serial('rows show the candidate masked, and a task a return opened again says so, with the reason', async (t) => {
  const li = await who.api('li.station-reviewer');
  const listed = await wholeInbox(li);
  t.like(listed.find(isTask(cases.returned, reopened)), {
    candidate: maskName('Wang Fang'),
    returned: true,
    returnReason: REASON,
    kindLabel: 'Qualification review (station)',
  });
  t.like(listed.find(isTask(cases.named, STATION_REVIEW)), {
    candidate: maskName(NAME),
    returned: false,
    returnReason: null,
  });

  const page = await (await who.browser('li.station-reviewer')).get('/inbox?limit=100');
  const row = visibleText(rowHtml(page.html, rowKey(cases.returned, reopened)) ?? '');
  t.regex(row, /^Qualification review \(station\) returned Reason: 工作经历证明未加盖单位公章，请补正后重新审核。 /);
  t.true(row.includes(` ${maskName('Wang Fang')} `));
  t.notRegex(visibleText(rowHtml(page.html, rowKey(cases.named)) ?? ''), /returned/);
  t.false(page.html.includes(NAME) || page.html.includes(ID_NUMBER), 'neither the name nor the ID number in full');
  t.false(page.html.includes('Wang Fang'));
});

test.serial('each view shows its count, and a claim moves a task from the unclaimed to mine', async (t) => {
  const li = await who.api('li.station-reviewer');
  const sizes = async () => ({
    all: (await wholeInbox(li, '&view=all')).length,
    claimable: (await wholeInbox(li, '&view=claimable')).length,
    mine: (await wholeInbox(li, '&view=mine')).length,
  });
  const before = await sizes();
  t.deepEqual((await li.get('/api/tasks')).body.counts, before);
  t.is((await li.get('/api/tasks')).body.total, before.all);

  t.is((await li.post(`/api/cases/${cases.plain3}/tasks/${STATION_REVIEW}/claim`)).status, 200);
  const after = await sizes();
  t.deepEqual(after, { all: before.all, claimable: before.claimable - 1, mine: before.mine + 1 });
  const response = await li.get('/api/tasks?view=claimable');
  t.deepEqual(response.body.counts, after);
  t.is(response.body.total, after.claimable);

  const page = await (await who.browser('li.station-reviewer')).get('/inbox');
  const views = visibleText(/<nav class='views'[\s\S]*?<\/nav>/.exec(page.html)?.[0] ?? '');
  t.is(views, `All of my groups ${after.all} Unclaimed in my groups ${after.claimable} Claimed by me ${after.mine}`);
});

test.serial(
  'the search finds a case by its number, its candidate’s name or ID number, among my own tasks',
  async (t) => {
    const li = await who.browser('li.station-reviewer');
    const found = async (browser: BrowserSession, q: string) =>
      inboxRows(await browser.get(`/inbox?q=${encodeURIComponent(q)}`));
    t.deepEqual(await found(li, '欧阳'), [rowKey(cases.named)], 'the start of the name');
    t.deepEqual(await found(li, NAME), [rowKey(cases.named)]);
    t.deepEqual(await found(li, ID_NUMBER.toLowerCase()), [rowKey(cases.named)], 'the ID number, a lower-case x too');
    t.deepEqual(await found(li, ID_NUMBER.slice(0, 10)), [], 'not a part of an ID number');
    t.deepEqual(await found(li, cases.named.toLowerCase()), [rowKey(cases.named)], 'the whole number, in any case');
    const prefix = cases.plain1.slice(0, -3);
    t.true((await found(li, prefix)).includes(rowKey(cases.plain1)), 'the start of a number');
    const page = await li.get(`/inbox?q=${encodeURIComponent('欧阳')}`);
    t.regex(page.html, /<input id='q' name='q' type='search' value='欧阳'/, 'the search stays in its box');
    t.regex(visibleText(page.html), /1 of 1 task shown/);
    t.is(linkTo(page, 'Clear'), '/inbox', 'a link clears the search and the filters');
    t.is(linkTo(await li.get('/inbox?view=mine'), 'Clear'), undefined, 'nothing to clear');
    const api = (await (await who.api('li.station-reviewer')).get(`/api/tasks?q=${encodeURIComponent(NAME)}`)).body;
    t.deepEqual(rowKeys(api.tasks), [rowKey(cases.named)]);
    t.is(api.total, 1);

    // Another station's reviewer, and a clerk of the same station who holds none of its tasks, find nobody.
    const zhao = await who.browser('zhao.station-b-reviewer');
    t.deepEqual(await found(zhao, NAME), []);
    t.deepEqual(await found(zhao, ID_NUMBER), []);
    t.deepEqual(await found(zhao, cases.named), []);
    const clerk = await who.browser('sun.clerk');
    t.deepEqual(await found(clerk, NAME), []);
  },
);

test.serial('the occupation filter takes part of the Chinese or the English name', async (t) => {
  const li = await who.api('li.station-reviewer');
  for (const occupation of ['焊', '焊工', 'weld', 'Welder', 'WELDER']) {
    t.deepEqual(
      rowKeys(await wholeInbox(li, `&occupation=${encodeURIComponent(occupation)}`)),
      [rowKey(cases.named)],
      occupation,
    );
  }
  t.deepEqual(await wholeInbox(li, '&occupation=astronaut'), [], 'an occupation nobody has finds nothing');
  const page = await (await who.browser('li.station-reviewer')).get(`/inbox?occupation=${encodeURIComponent('焊')}`);
  t.deepEqual(inboxRows(page), [rowKey(cases.named)]);
  t.regex(visibleText(rowHtml(page.html, rowKey(cases.named)) ?? ''), / Welder · Level 5 \(primary\) /);
});

test.serial('the column headers sort the list, keep the other filters and say which one orders it', async (t) => {
  const li = await who.browser('li.station-reviewer');
  const page = await li.get('/inbox?occupation=baker&sort=priority&limit=3');
  t.regex(page.html, /<th scope='col' aria-sort='ascending'><a href='[^']*'>Priority<\/a><\/th>/);
  t.is(page.html.match(/aria-sort=/g)?.length, 1);
  const created = linkTo(page, 'Created (China time)')!;
  t.deepEqual(paramsOf(created), { occupation: 'baker', sort: 'created', limit: '3' });
  const byCreation = await li.get(created);
  t.regex(byCreation.html, /<th scope='col' aria-sort='ascending'><a href='[^']*'>Created \(China time\)<\/a><\/th>/);
  const all = rowKeys(await wholeInbox(await who.api('li.station-reviewer'), '&occupation=baker&sort=created'));
  t.deepEqual(inboxRows(byCreation), all.slice(0, 3));
  const due = linkTo(byCreation, 'Due (China time)')!;
  t.deepEqual(paramsOf(due), { occupation: 'baker', limit: '3' }, 'due is the default order');
  t.regex((await li.get(due)).html, /<th scope='col' aria-sort='ascending'><a href='[^']*'>Due \(China time\)<\/a>/);
});

test.serial('previous and first pages go back the way next came, and the total stays in view', async (t) => {
  const api = await who.api('li.station-reviewer');
  const all = rowKeys(await wholeInbox(api, '&sort=created'));
  t.true(all.length >= 6, `li has ${all.length} tasks`);

  const li = await who.browser('li.station-reviewer');
  const first = await li.get('/inbox?sort=created&limit=2');
  t.deepEqual(inboxRows(first), all.slice(0, 2));
  t.is(linkTo(first, 'Previous page'), undefined, 'nothing before the first page');
  t.is(linkTo(first, 'First page'), undefined);
  t.regex(visibleText(first.html), new RegExp(`2 of ${all.length} tasks shown`));
  const second = await li.get(linkTo(first, 'Next page')!);
  const third = await li.get(linkTo(second, 'Next page')!);
  t.deepEqual(inboxRows(third), all.slice(4, 6));
  t.regex(third.html, /<a href='[^']*' rel='prev'>Previous page<\/a>/);
  const back = await li.get(linkTo(third, 'Previous page')!);
  t.deepEqual(inboxRows(back), all.slice(2, 4), 'the previous page is the second again');
  t.deepEqual(inboxRows(await li.get(linkTo(back, 'Previous page')!)), all.slice(0, 2));
  const firstLink = linkTo(third, 'First page')!;
  t.deepEqual(paramsOf(firstLink), { sort: 'created', limit: '2' }, 'the first page keeps the order and the size');
  t.deepEqual(inboxRows(await li.get(firstLink)), all.slice(0, 2));

  const page1 = (await api.get('/api/tasks?sort=created&limit=2')).body;
  t.is(page1.total, all.length);
  t.is(page1.previous, undefined);
  const page2 = (await api.get(`/api/tasks?sort=created&limit=2&after=${page1.next}`)).body;
  t.truthy(page2.previous);
  const again = (await api.get(`/api/tasks?sort=created&limit=2&before=${page2.previous}`)).body;
  t.deepEqual(rowKeys(again.tasks), all.slice(0, 2));
  const both = await api.get(`/api/tasks?after=${page1.next}&before=${page2.previous}`);
  t.is(both.status, 422);
  t.deepEqual(both.body.errors, { before: 'give after or before, not both' });
});

test.serial(
  'the inbox reads in Chinese, for a browser that asks for it and for one that names no language',
  async (t) => {
    const zh = await chineseBrowser('li.station-reviewer');
    const page = await zh.get('/inbox?limit=100');
    t.is(page.status, 200);
    const text = visibleText(page.html);
    for (const words of [
      '待办任务',
      '本组全部任务',
      '本组待认领',
      '我已认领',
      '申报编号，或申报人姓名、证件号码',
      '申报人',
      '办理期限（北京时间）',
      '批量审核通过',
      '批量认领',
    ]) {
      t.true(text.includes(words) || page.html.includes(words), words);
    }
    const returned = visibleText(rowHtml(page.html, rowKey(cases.returned, reopened)) ?? '');
    t.regex(returned, /^资格审核（鉴定站） 已退回 退回原因：工作经历证明未加盖单位公章，请补正后重新审核。 /);
    t.regex(returned, / 烘焙工 · 五级\/初级工 一般 \d{4}年\d{1,2}月\d{1,2}日 /);
    t.regex(returned, / 未认领$/);
    t.regex(text, /共 \d+ 项任务，本页显示 \d+ 项/);
    t.deepEqual(englishLeftIn(text, 'inbox'), [], 'no English sentence of the inbox is left');

    const named = await zh.get(`/inbox?occupation=${encodeURIComponent('焊')}`);
    t.regex(visibleText(rowHtml(named.html, rowKey(cases.named)) ?? ''), / 焊工 · 五级\/初级工 /);

    const anyLanguage = await chineseBrowser('li.station-reviewer', '*');
    const plain = visibleText((await anyLanguage.get('/inbox')).html);
    t.true(plain.includes('待办任务') && plain.includes('本组全部任务'));
    t.deepEqual(englishLeftIn(plain, 'inbox'), []);

    const refused = await zh.get('/inbox?level=9');
    t.is(refused.status, 422);
    t.regex(visibleText(refused.html), /level: 必须是 1 到 5 之间的整数/);
  },
);

test.serial('a search that finds nothing says so and offers to clear it, in English and in Chinese', async (t) => {
  const en = await who.browser('li.station-reviewer');
  const page = await en.get('/inbox?view=mine&q=NOBODY-HAS-THIS');
  t.is(page.status, 200);
  const text = visibleText(page.html);
  t.true(text.includes('No tasks match the search.'), text);
  t.false(text.includes('No tasks here.'), 'a narrowed list does not read as an empty inbox');
  // The way back keeps the view and drops the search.
  t.deepEqual(paramsOf(linkTo(page, 'Clear the search and filters')!), { view: 'mine' });

  const zh = await chineseBrowser('li.station-reviewer');
  const filtered = visibleText((await zh.get(`/inbox?occupation=${encodeURIComponent('宇航员')}`)).html);
  t.true(filtered.includes('没有符合条件的任务。') && filtered.includes('清除查询和筛选条件'), filtered);
  t.false(filtered.includes('暂无待办任务。'));
});
