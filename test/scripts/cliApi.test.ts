/**
 * The command line acts as the person who logged in: the real clients, run as child processes, against a real web app,
 * worker and dev server on loopback. They sign in for a token, keep it where only their owner may read it, and decide
 * through the JSON API, so the API's authorization holds and the case history names who acted. `--as` is refused.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Level } from '../../domain/levels';
import { applicationFor } from '../helpers/applications';
import { CHINESE_TERMINAL } from '../helpers/terminal';
import { apiAs } from '../helpers/web';
import { type People, startInboxWeb, stationReviewCase } from '../inbox/fixtures';
import { testWithTerminals } from './cliTerminal';

let who: People;
const { test, terminals } = testWithTerminals({ flavour: 'dev-server' }, async (h) => {
  const started = await startInboxWeb(h);
  who = started.who;
  return started.web;
});

test('a reviewer who logged in approves a task from the command line, and the case history names them', async (t) => {
  const { number, taskId } = await stationReviewCase(t.context, who);
  const reviewer = terminals.open();
  const login = await reviewer.login('li.station-reviewer');
  t.is(login.code, 0, login.stderr);
  t.regex(login.stdout, /^Logged in as 李伟 \(li\.station-reviewer\) at http:\/\/127\.0\.0\.1:\d+;/);

  const approved = await reviewer.run(['case', 'approve', number, taskId, '--comment', 'Documents complete']);
  t.is(approved.code, 0, approved.stderr);
  const shown = await reviewer.run(['case', 'show', number]);
  t.is(shown.code, 0, shown.stderr);
  const decision = shown.stdout.split('\n').find((line) => line.includes(`task-approve ${taskId}`));
  t.regex(decision ?? '', / by li\.station-reviewer: Documents complete$/);
});

test('a clerk takes an application in from a file through the intake API, and a refused one names each field', async (t) => {
  const clerk = await terminals.loggedIn(t, 'sun.clerk');
  const application = applicationFor(Level.Primary);
  const file = path.join(clerk.home, 'application.json');
  writeFileSync(file, JSON.stringify(application));
  const started = await clerk.run(['case', 'start', file]);
  t.is(started.code, 0, started.stderr);
  t.is(
    started.stdout.trim(),
    `Started case ${application.applicationNumber}. Follow it with: npm run case -- show ${application.applicationNumber}`,
  );
  const again = await clerk.run(['case', 'start', file]);
  t.is(again.stderr.trim(), `Application ${application.applicationNumber} already exists; nothing was changed.`);

  const invalid = path.join(clerk.home, 'invalid.json');
  writeFileSync(invalid, JSON.stringify({ ...applicationFor(Level.Primary), occupation: '' }));
  const refused = await clerk.run(['case', 'start', invalid]);
  t.is(refused.code, 1);
  const [first, ...fields] = refused.stderr.trim().split('\n');
  t.is(first, 'Refused: The application was not saved.');
  t.true(
    fields.some((line) => line.startsWith('  occupation: ')),
    refused.stderr,
  );
});

test('a station-b clerk’s token cannot act on a station-a task, and the API’s refusal is printed', async (t) => {
  const { number, taskId, api } = await stationReviewCase(t.context, who);
  const clerk = await terminals.loggedIn(t, 'he.clerk-b');

  const refused = await clerk.run(['case', 'claim', number, taskId]);
  const byApi = await (await who.api('he.clerk-b')).post(`${api}/claim`);
  t.is(refused.code, 1);
  t.is(refused.stderr.trim(), `Refused: ${byApi.body.error}`);
  const task = (await (await who.api('li.station-reviewer')).get(api)).body.task;
  t.is(task.assignee, undefined, 'nobody holds the task');
});

test('a refusal is printed in the API’s own words, in the terminal’s language, field by field', async (t) => {
  const { number, taskId, api } = await stationReviewCase(t.context, who);
  const reviewer = await terminals.loggedIn(t, 'li.station-reviewer', 'case', CHINESE_TERMINAL);

  const refused = await reviewer.run(['case', 'reject', number, taskId]);
  const byApi = await (
    await apiAs(terminals.web.base, 'li.station-reviewer', 'zh-CN')
  ).post(`${api}/reject`, { reason: '' });
  t.is(byApi.status, 422);
  t.is(refused.code, 1);
  t.deepEqual(refused.stderr.trim().split('\n'), [
    `操作被拒绝：${byApi.body.error}`,
    ...Object.entries(byApi.body.errors).map(([field, message]) => `  ${field}：${message}`),
  ]);
});

test('the receiving station withdraws an application from the command line on the candidate’s behalf', async (t) => {
  const { number } = await stationReviewCase(t.context, who);
  const otherStation = await terminals.loggedIn(t, 'he.clerk-b');
  const refused = await otherStation.run(['case', 'withdraw', number, '--reason', 'The candidate moved away']);
  t.is(refused.code, 1);
  t.regex(refused.stderr, /^Refused: /);

  const clerk = await terminals.loggedIn(t, 'sun.clerk');
  const withdrawn = await clerk.run(['case', 'withdraw', number, '--reason', 'The candidate moved away']);
  t.is(withdrawn.code, 0, withdrawn.stderr);
  const [said, heading] = withdrawn.stdout.split('\n');
  t.is(said, `Application ${number} is withdrawn.`);
  t.regex(heading, new RegExp(`^Case ${number}: .* \\(closed\\)$`));
});

test('--as alone is refused with a sentence saying to log in, in the terminal’s language', async (t) => {
  const english = await terminals.open().run(['case', 'approve', 'A-1', 'T-1', '--as', 'li.station-reviewer']);
  t.deepEqual(
    { code: english.code, stderr: english.stderr.trim() },
    {
      code: 1,
      stderr:
        '--as is no longer accepted: the command line acts as the person who logged in. ' +
        'Log in with: npm run case -- login --user li.station-reviewer',
    },
  );
  const chinese = await terminals.open(CHINESE_TERMINAL).run(['session', 'cancel', 'S-1', '--as', 'zhou.supervisor']);
  t.is(
    chinese.stderr.trim(),
    '已不再支持 --as：命令行以登录者本人的身份操作。请先登录：npm run session -- login --user zhou.supervisor',
  );
  t.is(chinese.code, 1);
});

test('a command without a token says to log in first', async (t) => {
  const { number } = await stationReviewCase(t.context, who);
  const shown = await terminals.open().run(['case', 'show', number]);
  t.is(shown.code, 1);
  t.is(
    shown.stderr.trim(),
    `Log in first: npm run case -- login --user <id> (the web app at ${terminals.web.base}; QUALIFLOW_URL sets another).`,
  );
});

test('the token file is readable only by its owner, and logging out makes every copy of the token worthless', async (t) => {
  const { number } = await stationReviewCase(t.context, who);
  const reviewer = await terminals.loggedIn(t, 'li.station-reviewer');
  t.is(statSync(reviewer.tokenFile).mode & 0o777, 0o600);
  const { token } = JSON.parse(readFileSync(reviewer.tokenFile, 'utf8'));

  // QUALIFLOW_TOKEN stands in for the file, for scripts that keep the token elsewhere.
  const elsewhere = terminals.open();
  const withToken = await elsewhere.run(['case', 'show', number], { extra: { QUALIFLOW_TOKEN: token } });
  t.is(withToken.code, 0, withToken.stderr);
  t.true(withToken.stdout.startsWith(`Case ${number}: `));

  const logout = await reviewer.run(['case', 'logout']);
  t.is(logout.stdout.trim(), 'Logged out; the token is forgotten.');
  t.false(existsSync(reviewer.tokenFile));
  const stale = await elsewhere.run(['case', 'show', number], { extra: { QUALIFLOW_TOKEN: token } });
  t.is(stale.code, 1);
  t.is(
    stale.stderr.trim(),
    'The web app no longer accepts your token (signed out or expired): log in again with npm run case -- login --user <id>.',
  );
});

test('a wrong password is refused in the API’s own words and keeps no token', async (t) => {
  const reviewer = terminals.open();
  const login = await reviewer.run(['case', 'login', '--user', 'li.station-reviewer'], {
    extra: { QUALIFLOW_PASSWORD: 'not the password' },
  });
  const byApi = await fetch(`${terminals.web.base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-language': 'en' },
    body: JSON.stringify({ username: 'li.station-reviewer', password: 'not the password' }),
  });
  t.is(login.code, 1);
  t.is(login.stderr.trim(), `Refused: ${((await byApi.json()) as { error: string }).error}`);
  t.false(existsSync(reviewer.tokenFile));
});
