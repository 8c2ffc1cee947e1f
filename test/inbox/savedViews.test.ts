/**
 * Saved views of the inbox: a filter and sort combination saved under a name, privately or shared with a group, seen
 * by its owner and that group's members and by nobody else (a 404, whether they read or delete); saving a name again
 * updates that view; a name or a query the inbox would refuse is refused on its field with what was typed kept. The
 * partial the inbox page will include is rendered here with the app's own helpers, in Chinese and in English.
 */
import path from 'node:path';
import test from 'ava';
import { create } from 'express-handlebars';
import Handlebars, { type RuntimeOptions } from 'handlebars';
import { translator } from '../../i18n';
import type { Flash } from '../../inbox-ui/flash';
import { savedViewsModel } from '../../inbox-ui/routes/savedViews';
import { helpers } from '../../inbox-ui/viewHelpers';
import { findUser } from '../../records/directory';
import { englishLeftIn } from './englishLeft';
import {
  addAccount,
  people,
  startWebWithoutTemporal,
  UNLIMITED_SIGN_IN,
  unescape,
  type WebWithoutTemporal,
} from './fixtures';
import { visibleText } from '../helpers/web';

let web: WebWithoutTemporal;
let who: ReturnType<typeof people>;

test.before(async () => {
  web = await startWebWithoutTemporal({ signInLimits: UNLIMITED_SIGN_IN });
  // A second reviewer of station A, to see what a colleague shares with the group.
  await addAccount(web.db, 'wang.station-reviewer', '王芳', ['station-a:reviewers']);
  who = people(web.base);
});
test.after.always(async () => {
  await web?.close();
});

interface ViewJson {
  id: string;
  name: string;
  query: string;
  link: string;
  mine: boolean;
  sharedGroup: string | null;
}

const namesOf = async (user: string): Promise<string[]> =>
  ((await (await who.api(user)).get('/api/inbox/views')).body.views as ViewJson[]).map((view) => view.name);

/** The flash a POST left behind, read from its table before any page takes it. */
async function lastFlash(): Promise<Flash> {
  const rows = await web.db.selectFrom('flashes').select('payload').execute();
  const flashes = rows.map((row) => JSON.parse(row.payload) as Flash).filter((f) => f.about === 'saved-views');
  return flashes[flashes.length - 1];
}

test.serial('a reviewer saves the list she is on; the query is kept normalised and she lands on it', async (t) => {
  const li = await who.browser('li.station-reviewer');
  const sent = await li.post(
    '/inbox/views',
    { name: ' 逾期 ', query: 'sort=priority&view=all&due=overdue&limit=25&unknown=1', share: '' },
    { follow: false },
  );
  t.is(sent.status, 303);
  t.is(sent.location, '/inbox?due=overdue&sort=priority');
  const landed = await li.get(sent.location!);
  t.regex(visibleText(landed.html), /The view “逾期” is saved\./);
  const api = await (await who.api('li.station-reviewer')).get('/api/inbox/views');
  t.like(api.body.views[0], {
    name: '逾期',
    query: 'due=overdue&sort=priority',
    link: '/inbox?due=overdue&sort=priority',
    mine: true,
    sharedGroup: null,
  });
});

test.serial('saving a name again updates that view instead of adding a second, and says so', async (t) => {
  const li = await who.browser('li.station-reviewer');
  await li.post('/inbox/views', { name: '本周', query: 'due=due-soon', share: '' });
  const again = await li.post('/inbox/views', { name: '本周', query: 'due=due-soon&sort=created', share: '' });
  t.regex(visibleText(again.html), /You already had a view named “本周”: it now keeps these filters and this order\./);
  const views = (await (await who.api('li.station-reviewer')).get('/api/inbox/views')).body.views as ViewJson[];
  t.deepEqual(
    views.filter((view) => view.name === '本周').map((view) => view.query),
    ['due=due-soon&sort=created'],
  );
});

test.serial('a view shared with a group is seen by its members and by nobody else, not even by id', async (t) => {
  const li = await who.api('li.station-reviewer');
  const shared = await li.post('/api/inbox/views', {
    name: '待审核（本站）',
    query: 'view=claimable&stage=station-review',
    share: 'station-a:reviewers',
  });
  t.is(shared.status, 201, JSON.stringify(shared.body));
  const id = (shared.body.view as ViewJson).id;
  t.true((await namesOf('wang.station-reviewer')).includes('待审核（本站）'));
  t.false((await namesOf('wang.station-reviewer')).includes('逾期'), 'a private view stays private');
  const colleague = await who.api('wang.station-reviewer');
  t.like((await colleague.get(`/api/inbox/views/${id}`)).body.view, {
    mine: false,
    sharedGroup: 'station-a:reviewers',
  });
  // A member sees it but did not save it: not theirs to delete.
  t.is((await colleague.delete(`/api/inbox/views/${id}`)).status, 403);

  for (const stranger of ['zhao.station-b-reviewer', 'sun.clerk']) {
    t.deepEqual(await namesOf(stranger), [], stranger);
    const api = await who.api(stranger);
    t.is((await api.get(`/api/inbox/views/${id}`)).status, 404, stranger);
    t.is((await api.delete(`/api/inbox/views/${id}`)).status, 404, stranger);
  }
  const browser = await who.browser('zhao.station-b-reviewer');
  t.is((await browser.post(`/inbox/views/${id}/delete`, {}, { follow: false })).status, 404);
  t.true((await namesOf('li.station-reviewer')).includes('待审核（本站）'));
});

test.serial('a view cannot be shared with a group its owner is not in', async (t) => {
  const li = await who.api('li.station-reviewer');
  const refused = await li.post('/api/inbox/views', { name: '乙站', query: '', share: 'station-b:reviewers' });
  t.is(refused.status, 422);
  t.is(refused.body.errors.share, 'share with one of your own groups, or with nobody');
});

test.serial('the owner deletes a view from the page and it is gone for the group too', async (t) => {
  const li = await who.browser('li.station-reviewer');
  const api = await who.api('li.station-reviewer');
  const { id } = (
    await api.post('/api/inbox/views', { name: '删除我', query: 'level=3', share: 'station-a:reviewers' })
  ).body.view as ViewJson;
  await li.get('/inbox');
  const deleted = await li.post(`/inbox/views/${id}/delete`, {}, { follow: false });
  t.is(deleted.status, 303);
  t.is(deleted.location, '/inbox');
  t.regex(visibleText((await li.get('/inbox')).html), /The view “删除我” is deleted\./);
  t.false((await namesOf('li.station-reviewer')).includes('删除我'));
  t.false((await namesOf('wang.station-reviewer')).includes('删除我'));
  t.is((await api.get(`/api/inbox/views/${id}`)).status, 404);
});

test.serial('a name no person means to write is refused on its field, and what was typed is kept', async (t) => {
  const li = await who.browser('li.station-reviewer');
  await li.get('/inbox');
  const typed = '逾期\u202e';
  const sent = await li.post(
    '/inbox/views',
    { name: typed, query: 'due=overdue', share: 'station-a:reviewers' },
    { follow: false },
  );
  t.is(sent.status, 303);
  t.is(sent.location, '/inbox?due=overdue');
  const flash = await lastFlash();
  t.like(flash, {
    kind: 'error',
    message: 'The view was not saved.',
    typed: { name: typed, share: 'station-a:reviewers' },
    fields: { name: 'contains characters that reverse the reading direction' },
  });
  t.regex(visibleText((await li.get(sent.location!)).html), /The view was not saved\./);

  const api = await who.api('li.station-reviewer');
  const tooLong = await api.post('/api/inbox/views', { name: '长'.repeat(61), query: '' });
  t.is(tooLong.body.errors.name, 'at most 60 characters');
  t.is((await api.post('/api/inbox/views', { name: '长'.repeat(60), query: '' })).status, 201);
  t.is((await api.post('/api/inbox/views', { name: '   ', query: '' })).body.errors.name, 'give the view a name');
});

test.serial('a query the inbox would refuse is never saved, and the refusal names it', async (t) => {
  const api = await who.api('li.station-reviewer');
  const refused = await api.post('/api/inbox/views', { name: '坏的', query: 'due=yesterday&level=9' });
  t.is(refused.status, 422);
  t.regex(refused.body.errors.query, /^the inbox would refuse this list: due: .+; level: .+/);
  t.false((await namesOf('li.station-reviewer')).includes('坏的'));
  const twice = await api.post('/api/inbox/views', { name: '坏的', query: 'view=mine&view=all' });
  t.is(twice.status, 422);
});

/** The partial as the inbox page will render it, with the app's helpers and partials. */
async function renderPartial(context: Record<string, unknown>): Promise<string> {
  const hbs = create({
    extname: '.hbs',
    partialsDir: path.join(import.meta.dirname, '../../inbox-ui/views/partials'),
    helpers,
  });
  const partials = await hbs.getPartials();
  return Handlebars.compile('{{> savedViews}}')(context, { partials, helpers } as RuntimeOptions);
}

test.serial('the partial lists the views, marks the shared ones, and offers delete only for her own', async (t) => {
  const wang = (await findUser(web.db, 'wang.station-reviewer'))!;
  const t_en = translator('en');
  const model = await savedViewsModel(web.db, wang, '?view=mine', t_en);
  const html = await renderPartial({ lang: 'en', csrfToken: 'token', savedViews: model });
  const text = unescape(visibleText(html));
  t.regex(text, /待审核（本站） \(李伟 shared it with 东城职业技能鉴定站.*\)/);
  t.false(html.includes('/delete'), 'nothing of hers to delete');
  t.regex(unescape(html), /name='query' value='view=mine'/);
  t.regex(html, /<option value='station-a:reviewers'>/);
});

test.serial('the partial in Chinese: Chinese words, the refused name back in its box with the reason', async (t) => {
  const li = (await findUser(web.db, 'li.station-reviewer'))!;
  const flash: Flash = {
    kind: 'error',
    message: '常用筛选未能保存。',
    about: 'saved-views',
    typed: { name: '我的\u202e', share: 'station-a:reviewers' },
    fields: { name: '含有改变文字方向的字符' },
  };
  const model = await savedViewsModel(web.db, li, 'due=overdue', translator('zh-CN'), flash);
  const html = await renderPartial({ lang: 'zh-CN', csrfToken: 'token', savedViews: model });
  const text = visibleText(html);
  for (const words of [
    '常用筛选',
    '将当前列表保存为',
    '共享给',
    '不共享（仅本人可见）',
    '保存筛选',
    '删除',
    '已共享给',
  ])
    t.true(text.includes(words), words);
  t.regex(html, /id='view-name'[^>]*value='我的\u202e'/);
  t.regex(html, /id='view-name-error'>含有改变文字方向的字符</);
  t.regex(html, /<option value='station-a:reviewers' selected>/);
  t.deepEqual(englishLeftIn(text, 'views'), []);
});
