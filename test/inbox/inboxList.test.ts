/**
 * The inbox list, as the page and as GET /api/tasks: whose tasks appear, the filters (stage, level, occupation, due
 * state against the app's clock), the three sort orders, keyset pages, the views, and what a nonsense filter says.
 * The cases are taken in once for the file; the tests are serial because they share the app's clock.
 */
import type { ExecutionContext } from 'ava';
import { Level } from '../../domain/levels';
import { maskName } from '../../domain/masking';
import { DEMO_USERS } from '../../runtime/directory';
import { getState, TaskKind, workflowIdFor } from '../../workflows/definitions';
import { applicationFor } from '../helpers/applications';
import { driveTo, eventually } from '../helpers/cases';
import { type Harness } from '../helpers/harness';
import { testWithHarness } from '../helpers/harnessTests';
import { visibleText, type WebApp } from '../helpers/web';
import {
  caseHandle,
  inboxRows,
  intake,
  isTask,
  listedFor,
  openTaskOf,
  type People,
  rowHtml,
  rowKey,
  rowKeys,
  STATION_REVIEW,
  startInboxWeb,
  unescape,
  wholeInbox,
} from './fixtures';

const test = testWithHarness({ flavour: 'dev-server' });

let web: WebApp;
let who: People;
/** The clock the app judges due states by; tests move it and put it back. */
let clock: Date | undefined;
/** The id of the result summary task (ids count up through the case: `result-station-summary-4`). */
let resultTask: string;
const cases = {} as Record<'primary' | 'advanced' | 'grinder' | 'stationB' | 'result' | 'sortZ' | 'sortA', string>;

// Serial, so it waits for the harness's own hook (ava starts concurrent hooks together).
test.serial.before(async (t) => {
  const h = t.context;
  ({ web, who } = await startInboxWeb(h, { now: () => clock ?? new Date() }));
  const clerk = await who.api('sun.clerk');
  const clerkB = await who.api('he.clerk-b');
  const unique = Date.now().toString(36).toUpperCase();
  [cases.primary, cases.advanced, cases.grinder, cases.stationB, cases.result, cases.sortZ] = await Promise.all([
    intake(clerk, applicationFor(Level.Primary)),
    intake(clerk, applicationFor(Level.Advanced)),
    intake(clerk, applicationFor(Level.Primary, { occupation: 'grinder' })),
    intake(clerkB, applicationFor(Level.Primary, { stationId: 'station-b' })),
    intake(clerk, applicationFor(Level.Primary)),
    // Two cases of their own occupation for the sort orders: Z opens its task first, A sorts first by number.
    intake(
      clerk,
      applicationFor(Level.Primary, { occupation: 'milling-worker', applicationNumber: `STATION-A-SORT-Z-${unique}` }),
    ),
  ]);
  await openTaskOf(h, cases.sortZ, TaskKind.StationReview);
  cases.sortA = await intake(
    clerk,
    applicationFor(Level.Primary, { occupation: 'milling-worker', applicationNumber: `STATION-A-SORT-A-${unique}` }),
  );
  resultTask = (await driveTo(caseHandle(h, cases.result), TaskKind.ResultStationSummary))!.id;
  const li = await who.api('li.station-reviewer');
  for (const number of [cases.primary, cases.advanced, cases.grinder, cases.sortZ, cases.sortA]) {
    await listedFor(li, number, STATION_REVIEW);
  }
  await listedFor(li, cases.result, resultTask);
  await listedFor(await who.api('zhao.station-b-reviewer'), cases.stationB, STATION_REVIEW);
});

test.after.always(async () => {
  await web?.close();
});

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function inboxPage(t: ExecutionContext, user: string, query = '', status = 200) {
  const page = await (await who.browser(user)).get(`/inbox${query}`);
  t.is(page.status, status);
  return page;
}

test.serial('a reviewer finds the tasks of their group in the inbox, as a page and as JSON', async (t) => {
  const li = await who.api('li.station-reviewer');
  const listed = (await wholeInbox(li)).find(isTask(cases.primary, STATION_REVIEW));
  t.like(listed, {
    applicationNumber: cases.primary,
    taskId: STATION_REVIEW,
    kind: 'station-review',
    kindLabel: 'Qualification review (station)',
    stage: 'station-review',
    stageLabel: 'Station review',
    candidate: maskName('Wang Fang'),
    occupation: 'baker',
    occupationName: 'Baker',
    level: 5,
    levelLabel: 'Level 5 (primary)',
    candidateGroup: 'station-a:reviewers',
    assignee: null,
    assigneeName: null,
    escalated: false,
    returned: false,
    returnReason: null,
    dueState: 'on-time',
    link: `/tasks/${cases.primary}/${STATION_REVIEW}`,
    bulkApprovable: true,
    claimable: true,
  });

  const page = await inboxPage(t, 'li.station-reviewer');
  t.true(inboxRows(page).includes(rowKey(cases.primary)));
  const row = visibleText(rowHtml(page.html, rowKey(cases.primary)) ?? '');
  t.regex(
    row,
    new RegExp(
      `^Qualification review \\(station\\) ${cases.primary} ${escapeRegex(maskName('Wang Fang'))} Station review ` +
        'Baker · Level 5 \\(primary\\) normal .* On time nobody$',
    ),
  );
  t.false(page.html.includes('Wang Fang'), 'the list shows the candidate masked');

  const clerkPage = await inboxPage(t, 'sun.clerk');
  t.false(inboxRows(clerkPage).includes(rowKey(cases.primary)), "a clerk does not see the reviewers' task");
  t.regex(visibleText(clerkPage.html), /No tasks here\./);
});

test.serial("a station-b reviewer never sees station-a's tasks, and the other way round", async (t) => {
  const zhao = await who.api('zhao.station-b-reviewer');
  const theirs = rowKeys(await wholeInbox(zhao));
  t.true(theirs.includes(rowKey(cases.stationB)));
  for (const number of [cases.primary, cases.advanced, cases.grinder, cases.result]) {
    t.false(
      theirs.some((listed) => listed.startsWith(`${number}/`)),
      number,
    );
  }
  const page = await inboxPage(t, 'zhao.station-b-reviewer');
  t.deepEqual(inboxRows(page), [rowKey(cases.stationB)]);
  t.false(page.html.includes(cases.primary));

  const li = rowKeys(await wholeInbox(await who.api('li.station-reviewer')));
  t.false(li.includes(rowKey(cases.stationB)));
});

test.serial('the stage, level and occupation filters narrow the list to the tasks that match', async (t) => {
  const li = await who.api('li.station-reviewer');
  const level3 = await wholeInbox(li, '&level=3');
  t.deepEqual(rowKeys(level3), [rowKey(cases.advanced)]);

  const grinders = await wholeInbox(li, '&occupation=grinder');
  t.deepEqual(rowKeys(grinders), [rowKey(cases.grinder)]);

  const results = await wholeInbox(li, '&stage=result-approval');
  t.deepEqual(rowKeys(results), [rowKey(cases.result, resultTask)]);
  t.is(results[0].stage, 'result-approval');
  const reviews = rowKeys(await wholeInbox(li, '&stage=station-review'));
  t.true(reviews.includes(rowKey(cases.primary)));
  t.false(reviews.some((listed) => listed.startsWith(`${cases.result}/`)));

  const page = await inboxPage(t, 'li.station-reviewer', '?occupation=grinder&level=5');
  t.deepEqual(inboxRows(page), [rowKey(cases.grinder)]);
  t.regex(page.html, /<input id='occupation' name='occupation' value='grinder'/, 'the filter stays in its box');
  t.regex(page.html, /<option value='5' selected>Level 5 \(primary\)<\/option>/);
});

test.serial('the due filter follows the clock: on time, then due soon, then overdue', async (t) => {
  t.teardown(() => {
    clock = undefined;
  });
  const li = await who.api('li.station-reviewer');
  const task = (await wholeInbox(li)).find(isTask(cases.primary, STATION_REVIEW))!;
  const due = Date.parse(task.dueAt);
  const dueStates = async () => {
    const found: string[] = [];
    for (const state of ['on-time', 'due-soon', 'overdue']) {
      if ((await wholeInbox(li, `&due=${state}`)).some(isTask(cases.primary, STATION_REVIEW))) found.push(state);
    }
    return found;
  };

  t.deepEqual(await dueStates(), ['on-time'], 'five working days ahead');

  clock = new Date(due - 24 * 3600_000);
  t.deepEqual(await dueStates(), ['due-soon']);
  t.is((await wholeInbox(li)).find(isTask(cases.primary, STATION_REVIEW))!.dueState, 'due-soon');
  const soon = await inboxPage(t, 'li.station-reviewer', '?due=due-soon');
  t.regex(rowHtml(soon.html, rowKey(cases.primary)) ?? '', /<span class='badge due-soon'>Due soon<\/span>/);

  clock = new Date(due + 60_000);
  t.deepEqual(await dueStates(), ['overdue']);
  const overdue = await inboxPage(t, 'li.station-reviewer', '?due=overdue');
  t.regex(rowHtml(overdue.html, rowKey(cases.primary)) ?? '', /<span class='badge overdue'>Overdue<\/span>/);
});

test.serial('sorting by due date, by creation date and by priority orders the list each way', async (t) => {
  const h: Harness = t.context;
  const li = await who.api('li.station-reviewer');
  const ofBoth = (sort: string) => wholeInbox(li, `&occupation=milling-worker&sort=${sort}`);
  const [first, second] = await ofBoth('created');
  t.deepEqual(rowKeys([first, second]), [rowKey(cases.sortZ), rowKey(cases.sortA)], 'Z was opened first');
  t.true(first.createdAt < second.createdAt);
  // Deadlines are the end of the fifth working day, so two tasks opened the same day share one: the case number
  // breaks the tie, and A comes first.
  t.is(first.dueAt, second.dueAt);
  t.deepEqual(rowKeys(await ofBoth('due')), [rowKey(cases.sortA), rowKey(cases.sortZ)]);
  t.deepEqual(rowKeys(await ofBoth('priority')), [rowKey(cases.sortA), rowKey(cases.sortZ)], 'nothing escalated yet');

  // Escalation comes a working day after the deadline, which the dev server cannot wait for; the projection row is
  // written here as the records activity writes it then, once the activity has caught up with the case.
  const workflowId = workflowIdFor(cases.sortZ);
  await eventually('the projection of Z to catch up', async () => {
    const view = await caseHandle(h, cases.sortZ).query(getState);
    const row = await h.deps.db
      .selectFrom('tasks')
      .select('version')
      .where('workflow_id', '=', workflowId)
      .where('task_id', '=', STATION_REVIEW)
      .executeTakeFirst();
    return row?.version === view.history.length ? true : undefined;
  });
  await h.deps.db
    .updateTable('tasks')
    .set({ escalated: 1, priority: 0 })
    .where('workflow_id', '=', workflowId)
    .where('task_id', '=', STATION_REVIEW)
    .execute();
  t.deepEqual(rowKeys(await ofBoth('priority')), [rowKey(cases.sortZ), rowKey(cases.sortA)], 'escalated first');
  t.deepEqual(rowKeys(await ofBoth('due')), [rowKey(cases.sortA), rowKey(cases.sortZ)], 'due order is unchanged');

  const page = await inboxPage(t, 'li.station-reviewer', '?occupation=milling-worker&sort=priority');
  t.deepEqual(inboxRows(page), [rowKey(cases.sortZ), rowKey(cases.sortA)]);
  t.regex(rowHtml(page.html, rowKey(cases.sortZ)) ?? '', /<span class='badge overdue'>escalated<\/span>/);
  t.regex(page.html, /<th scope='col' aria-sort='ascending'><a href='[^']*'>Priority<\/a><\/th>/);
  t.is(page.html.match(/aria-sort=/g)?.length, 1, 'one column says it orders the list');

  const supervisor = rowKeys(await wholeInbox(await who.api('zhou.supervisor'), '&occupation=milling-worker'));
  t.deepEqual(supervisor, [rowKey(cases.sortZ)], 'an escalated task joins its supervisors’ inbox');
});

test.serial('following the next cursor page by page shows every task exactly once', async (t) => {
  const li = await who.api('li.station-reviewer');
  const all = rowKeys(await wholeInbox(li, '&sort=created'));
  t.true(all.length >= 6, `li has ${all.length} tasks`);

  const seen: string[] = [];
  let after: string | undefined;
  let pages = 0;
  do {
    const response = await li.get(`/api/tasks?sort=created&limit=2${after ? `&after=${after}` : ''}`);
    t.is(response.status, 200);
    t.true(response.body.tasks.length <= 2);
    seen.push(...rowKeys(response.body.tasks));
    after = response.body.next;
    pages++;
  } while (after && pages < 50);
  t.deepEqual(seen, all, 'the same tasks in the same order, none twice, none missed');
  t.is(pages, Math.ceil(all.length / 2));

  const browser = await who.browser('li.station-reviewer');
  const first = await browser.get('/inbox?sort=created&limit=2');
  t.deepEqual(inboxRows(first), all.slice(0, 2));
  t.regex(visibleText(first.html), new RegExp(`2 of ${all.length} tasks shown`));
  const link = /<a href='([^']*)' rel='next'>Next page<\/a>/.exec(first.html)?.[1];
  const next = link && unescape(link);
  t.truthy(next);
  t.regex(next!, /^\/inbox\?/);
  const params = new URLSearchParams(next!.slice('/inbox?'.length));
  t.is(params.get('sort'), 'created', 'the next page keeps the order');
  t.is(params.get('limit'), '2');
  const second = await browser.get(next!);
  t.deepEqual(inboxRows(second), all.slice(2, 4));
});

test.serial('filter values that mean nothing are refused with a message for each', async (t) => {
  const li = await who.api('li.station-reviewer');
  const response = await li.get(
    '/api/tasks?view=everything&sort=sideways&due=later&stage=lunch&level=9&limit=0&after=not-a-cursor',
  );
  t.is(response.status, 422);
  t.deepEqual(response.body, {
    error: 'Some filters are not valid.',
    errors: {
      view: 'must be one of: mine, claimable, all',
      sort: 'must be one of: due, created, priority',
      due: 'must be one of: overdue, due-soon, on-time',
      stage: `must be one of: ${[
        'application',
        'eligibility',
        'station-review',
        'center-review',
        'awaiting-seat',
        'admission-ticket',
        'training',
        'examination',
        'resit',
        'comprehensive-review',
        'result-approval',
        'issuance',
        'issued',
        'ineligible',
        'rejected',
        'failed',
        'withdrawn',
        'disqualified',
        'cancelled',
        'absent',
      ].join(', ')}`,
      level: 'must be a whole number from 1 to 5',
      limit: 'must be a whole number from 1 to 100',
      after: 'is not a cursor this inbox gave out',
    },
  });

  const page = await inboxPage(t, 'li.station-reviewer', '?level=9&due=later', 422);
  const text = visibleText(page.html);
  t.regex(text, /level: must be a whole number from 1 to 5/);
  t.regex(text, /due: must be one of: overdue, due-soon, on-time/);
  t.deepEqual(inboxRows(page), [], 'no list under filters that were not understood');
});

test.serial('the mine and claimable views split the tasks I claimed from the ones nobody has', async (t) => {
  const li = await who.api('li.station-reviewer');
  const claim = await li.post(`/api/cases/${cases.grinder}/tasks/${STATION_REVIEW}/claim`);
  t.is(claim.status, 200);

  const mine = rowKeys(await wholeInbox(li, '&view=mine'));
  t.deepEqual(mine, [rowKey(cases.grinder)]);
  const claimable = rowKeys(await wholeInbox(li, '&view=claimable'));
  t.false(claimable.includes(rowKey(cases.grinder)));
  t.true(claimable.includes(rowKey(cases.primary)));
  const all = rowKeys(await wholeInbox(li, '&view=all'));
  t.true(all.includes(rowKey(cases.grinder)) && all.includes(rowKey(cases.primary)));

  const page = await inboxPage(t, 'li.station-reviewer', '?view=mine');
  t.deepEqual(inboxRows(page), [rowKey(cases.grinder)]);
  t.true(
    visibleText(rowHtml(page.html, rowKey(cases.grinder)) ?? '').endsWith(` ${DEMO_USERS['li.station-reviewer'].name}`),
    'the holder by name',
  );
  t.regex(
    unescape(page.html),
    /<a href='\/inbox\?view=mine' aria-current='page'>Claimed by me <span class='count'>1<\/span><\/a>/,
  );
});
