/**
 * The comment thread of a case: written and read on the case page, the task page and the API by whoever may see the
 * case, nobody else; a double click writes one comment; text no person means to write is refused on the field, and
 * what was typed survives the redirect.
 */
import { Level } from '../../domain/levels';
import { TaskKind } from '../../workflows/definitions';
import { applicationFor } from '../helpers/applications';
import { testWithHarness } from '../helpers/harnessTests';
import { BrowserSession, startWeb, visibleText, type WebApp } from '../helpers/web';
import { inputValue, intake, openTaskOf, people, UNLIMITED_SIGN_IN, unescape } from './fixtures';

const test = testWithHarness({ flavour: 'dev-server' });

let web: WebApp;
let who: ReturnType<typeof people>;
let number: string;
let taskPath: string;

test.serial.before(async (t) => {
  web = await startWeb(t.context, { signInLimits: UNLIMITED_SIGN_IN });
  who = people(web.base);
  number = await intake(await who.api('sun.clerk'), applicationFor(Level.Primary));
  const { id } = await openTaskOf(t.context, number, TaskKind.StationReview);
  taskPath = `/tasks/${number}/${id}`;
});
test.after.always(async () => {
  await web?.close();
});

/** The thread as the page shows it: each comment's author and text. */
const thread = (html: string) =>
  [
    ...html.matchAll(/<li>\s*<p class='muted'><strong>([^<]*)<\/strong>[\s\S]*?<p class='comment-body'>([^<]*)<\/p>/g),
  ].map((m) => `${unescape(m[1])}: ${unescape(m[2])}`);

const commentSection = (html: string) => html.slice(html.indexOf("<section id='comments'"));

test.serial('a reviewer comments on the task page; the clerk reads it on the case page, by name', async (t) => {
  const reviewer = await who.browser('li.station-reviewer');
  const page = await reviewer.get(taskPath);
  const commentId = inputValue(commentSection(page.html), 'commentId')!;
  const sent = await reviewer.post(
    `/cases/${number}/comments`,
    { body: ' 请补充工作年限证明原件。 ', commentId, back: taskPath },
    { follow: false },
  );
  t.is(sent.status, 303);
  t.is(sent.location, `${taskPath}#comments`);
  const back = await reviewer.get(taskPath);
  t.regex(visibleText(back.html), /Comment added\./);
  t.deepEqual(thread(back.html), ['李伟: 请补充工作年限证明原件。']);

  // The same form sent again (a double click) writes nothing more.
  await reviewer.post(`/cases/${number}/comments`, { body: '请补充工作年限证明原件。', commentId, back: taskPath });
  const clerk = await who.browser('sun.clerk');
  t.deepEqual(thread((await clerk.get(`/cases/${number}`)).html), [
    '李伟: 请补充工作年限证明原件。',
  ]);
  const api = await (await who.api('sun.clerk')).get(`/api/cases/${number}/comments`);
  t.is(api.status, 200);
  t.like(api.body.comments[0], { authorId: 'li.station-reviewer', body: '请补充工作年限证明原件。' });
});

test.serial('another station neither reads nor writes the thread, and learns nothing of the case', async (t) => {
  const other = await who.api('zhao.station-b-reviewer');
  t.is((await other.get(`/api/cases/${number}/comments`)).status, 404);
  t.is((await other.post(`/api/cases/${number}/comments`, { body: 'hello' })).status, 404);
  const browser = await who.browser('zhao.station-b-reviewer');
  const posted = await browser.post(`/cases/${number}/comments`, { body: 'hello', back: `/cases/${number}` });
  t.is(posted.status, 404);
  const mine = await who.api('sun.clerk');
  t.false(
    (await mine.get(`/api/cases/${number}/comments`)).body.comments.some((c: { body: string }) => c.body === 'hello'),
  );
});

test.serial('text no person means to write is refused on the field, and what was typed comes back', async (t) => {
  const clerk = await who.browser('sun.clerk');
  const typed = 'Looks fine \u202eevil';
  const sent = await clerk.post(
    `/cases/${number}/comments`,
    { body: typed, back: `/cases/${number}` },
    { follow: false },
  );
  t.is(sent.status, 303);
  const page = await clerk.get(`/cases/${number}`);
  const section = commentSection(page.html);
  t.regex(visibleText(section), /contains characters that reverse the reading direction/);
  t.true(unescape(section).includes(`>${typed}</textarea>`));
  t.regex(section, /aria-invalid='true'/);

  const api = await who.api('sun.clerk');
  for (const body of ['', '\u200b\u200b', 'a\u0000b', 'x'.repeat(2001)]) {
    const refused = await api.post(`/api/cases/${number}/comments`, { body });
    t.is(refused.status, 422, JSON.stringify(body.slice(0, 10)));
    t.truthy(refused.body.errors.body);
  }
  const created = await api.post(`/api/cases/${number}/comments`, { body: 'Le\u0301a checked the photo.' });
  t.is(created.status, 201);
  t.true(created.body.comments.some((c: { body: string }) => c.body === 'L\u00e9a checked the photo.'));
});

test.serial('the thread reads in Chinese on a Chinese page', async (t) => {
  const browser = new BrowserSession(web.base, 'zh-CN');
  await browser.signIn('sun.clerk');
  const section = visibleText(commentSection((await browser.get(`/cases/${number}`)).html));
  t.regex(section, /意见交流/);
  t.regex(section, /发表意见/);
  t.notRegex(section, /Comments|Add a comment/);
});
