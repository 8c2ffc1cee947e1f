/**
 * The supervisors' team view: per supervised group, each member's open tasks and how many are overdue (by the app's
 * clock), the group's unclaimed and overdue counts; a reassignment from the page lands on the other member; someone
 * who supervises nothing reads a sentence on the page and a 403 from the API; the page in Chinese.
 */
import { Level } from '../../domain/levels';
import type { Db } from '../../records/database';
import { TaskKind } from '../../workflows/definitions';
import { applicationFor } from '../helpers/applications';
import { eventually } from '../helpers/cases';
import { testWithHarness } from '../helpers/harnessTests';
import { BrowserSession, startWeb, visibleText, type WebApp } from '../helpers/web';
import { englishLeftIn } from './englishLeft';
import { addAccount, intake, openTaskOf, people, UNLIMITED_SIGN_IN, unescape } from './fixtures';

const test = testWithHarness({ flavour: 'dev-server' });

let web: WebApp;
let who: ReturnType<typeof people>;
/** The clock the app judges overdue tasks by; a test moves it and puts it back. */
let clock: Date | undefined;
/** The station A review task Li holds (another waits unclaimed). */
let held: { number: string; id: string; dueAt: string };

interface TeamJson {
  groups: {
    group: string;
    name: string;
    open: number;
    unclaimed: number;
    overdue: number;
    members: { id: string; name: string; open: number; overdue: number; tasks: { taskId: string; link: string }[] }[];
  }[];
}

test.serial.before(async (t) => {
  web = await startWeb(t.context, { now: () => clock ?? new Date(), signInLimits: UNLIMITED_SIGN_IN });
  await addAccount(t.context.deps.db, 'wang.station-reviewer', '王芳', ['station-a:reviewers']);
  who = people(web.base);
  const clerk = await who.api('sun.clerk');
  const [first, second] = [
    await intake(clerk, applicationFor(Level.Primary)),
    await intake(clerk, applicationFor(Level.Primary)),
  ];
  const task = await openTaskOf(t.context, first, TaskKind.StationReview);
  await openTaskOf(t.context, second, TaskKind.StationReview);
  held = { number: first, id: task.id, dueAt: task.dueAt };
  const li = await who.api('li.station-reviewer');
  const claimed = await li.post(`/api/cases/${first}/tasks/${task.id}/claim`, {});
  if (claimed.status !== 200) throw new Error(`claim: ${claimed.status} ${JSON.stringify(claimed.body)}`);
  await holderIs(t.context.deps.db, held, 'li.station-reviewer');
});
test.after.always(async () => {
  await web?.close();
});

/** The projection is written moments after the workflow changes: wait until it says who holds the task. */
const holderIs = (db: Db, task: { number: string; id: string }, user: string) =>
  eventually(`${task.id} of ${task.number} held by ${user}`, async () => {
    const row = await db
      .selectFrom('tasks')
      .select('assignee')
      .where('application_number', '=', task.number)
      .where('task_id', '=', task.id)
      .executeTakeFirst();
    return row?.assignee === user ? true : undefined;
  });

const teamOf = async (user: string): Promise<TeamJson> => (await (await who.api(user)).get('/api/inbox/team')).body;
const reviewers = (team: TeamJson) => team.groups.find((group) => group.group === 'station-a:reviewers')!;

test.serial("the supervisor sees station A's groups, each member's held tasks and the unclaimed count", async (t) => {
  const team = await teamOf('zhou.supervisor');
  t.deepEqual(
    team.groups.map((group) => group.group),
    ['station-a:clerks', 'station-a:examiners', 'station-a:reviewers'],
  );
  const group = reviewers(team);
  t.like(group, { open: 2, unclaimed: 1, overdue: 0 });
  const li = group.members.find((member) => member.id === 'li.station-reviewer')!;
  t.like(li, { name: '李伟', open: 1, overdue: 0 });
  t.deepEqual(
    li.tasks.map((task) => task.link),
    [`/tasks/${held.number}/${held.id}`],
  );
  t.like(
    group.members.find((member) => member.id === 'wang.station-reviewer'),
    { open: 0, overdue: 0, tasks: [] },
  );
});

test.serial('past the deadline, the held task and the unclaimed one count as overdue', async (t) => {
  clock = new Date(Date.parse(held.dueAt) + 60_000);
  try {
    const group = reviewers(await teamOf('zhou.supervisor'));
    t.like(group, { open: 2, unclaimed: 1, overdue: 2 });
    t.like(
      group.members.find((member) => member.id === 'li.station-reviewer'),
      { open: 1, overdue: 1 },
    );
    const page = await (await who.browser('zhou.supervisor')).get('/inbox/team');
    t.regex(visibleText(page.html), /2 open tasks in all: 1 unclaimed, 2 overdue\./);
    t.regex(page.html, /<span class='due overdue'>Overdue<\/span>/);
  } finally {
    clock = undefined;
  }
});

test.serial('someone who supervises no group reads so on the page, and the API refuses them', async (t) => {
  const page = await (await who.browser('li.station-reviewer')).get('/inbox/team');
  t.is(page.status, 200);
  t.regex(visibleText(page.html), /You supervise no group, so there is no team to show\./);
  const api = await (await who.api('li.station-reviewer')).get('/api/inbox/team');
  t.is(api.status, 403);
  t.is(api.body.error, 'You supervise no group, so there is no team to show.');
});

test.serial("another station's supervisor and an administrator see what is theirs", async (t) => {
  const other = await teamOf('qian.center-supervisor');
  t.true(other.groups.every((group) => group.group.startsWith('center-1:')));
  const admin = await teamOf('admin');
  t.true(admin.groups.some((group) => group.group === 'station-a:reviewers'));
  t.true(admin.groups.some((group) => group.group === 'station-b:reviewers'));
});

test.serial('a reassignment from the team page lands on the member chosen, never offered to the holder', async (t) => {
  const zhou = await who.browser('zhou.supervisor');
  const page = await zhou.get('/inbox/team');
  const item = new RegExp(`<li data-task='${held.number}/${held.id}'>([\\s\\S]*?)</li>`).exec(page.html)?.[1] ?? '';
  const action = /<form method='post' action='([^']*)'/.exec(item)?.[1];
  t.is(action, `/tasks/${held.number}/${held.id}/reassign`);
  const offered = [...item.matchAll(/<option value='([^']*)'>/g)].map((match) => match[1]);
  t.deepEqual(offered, ['wang.station-reviewer']);
  t.is(unescape(/name='back' value='([^']*)'/.exec(item)?.[1] ?? ''), '/inbox/team');

  const sent = await zhou.post(action!, { assignee: 'wang.station-reviewer', back: '/inbox/team' });
  t.is(sent.url, '/inbox/team', 'back on the team page');
  t.regex(visibleText(sent.html), /to 王芳\./);
  await holderIs(t.context.deps.db, held, 'wang.station-reviewer');
  const group = reviewers(await teamOf('zhou.supervisor'));
  t.like(
    group.members.find((member) => member.id === 'wang.station-reviewer'),
    { open: 1 },
  );
  t.like(
    group.members.find((member) => member.id === 'li.station-reviewer'),
    { open: 0, tasks: [] },
  );
});

for (const language of ['zh-CN', '*']) {
  test.serial(`the team page in Chinese (browser asking for ${language})`, async (t) => {
    const zhou = new BrowserSession(web.base, language);
    await zhou.signIn('zhou.supervisor');
    const page = await zhou.get('/inbox/team');
    const text = visibleText(page.html);
    for (const words of [
      '团队任务督办',
      '东城职业技能鉴定站',
      '人员',
      '办理中任务',
      '超期',
      '待认领',
      '转办给',
      '北京时间',
    ])
      t.true(text.includes(words), words);
    t.regex(text, /共有未办结任务 2 项：待认领 1 项，超期 0 项。/);
    t.deepEqual(englishLeftIn(text, 'team'), []);
  });
}
