/**
 * The investigation client acts as the person who logged in, through the JSON API: the signed-in person is the
 * reporter, the department's approver decides, and someone with no part in the investigation does not see it.
 */
import { rmSync } from 'node:fs';
import { TaskStatus } from '../../workflows/definitions';
import { testWithHarness } from '../helpers/harnessTests';
import { ENGLISH_TERMINAL } from '../helpers/terminal';
import { startWeb, type WebApp } from '../helpers/web';
import { UNLIMITED_SIGN_IN } from '../inbox/fixtures';
import { DESCRIPTION, issueCertificate, waitForInvestigation } from '../investigations/helpers';
import { cliTerminal } from './cliTerminal';

const test = testWithHarness({ flavour: 'time-skipping' });

let web: WebApp;
const folders: string[] = [];

test.serial.before(async (t) => {
  web = await startWeb(t.context, { signInLimits: UNLIMITED_SIGN_IN });
});
test.after.always(async () => {
  await web?.close();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

const terminal = () => {
  const opened = cliTerminal(web.base, ENGLISH_TERMINAL);
  folders.push(opened.home);
  return opened;
};

test.serial('a report filed from the command line names who filed it, and the department revokes', async (t) => {
  const h = t.context;
  const { number } = await issueCertificate(h);
  const clerk = terminal();
  t.is((await clerk.login('sun.clerk', 'investigate')).code, 0);

  const wrong = await clerk.run([
    'investigate',
    'report',
    number,
    '--category',
    'gossip',
    '--description',
    DESCRIPTION,
  ]);
  t.is(wrong.code, 1);
  t.regex(wrong.stderr.trim(), /^Refused, nothing was started: .*gossip/);

  const reported = await clerk.run([
    'investigate',
    'report',
    number,
    '--category',
    'cheating',
    '--description',
    DESCRIPTION,
  ]);
  t.is(reported.code, 0, reported.stderr);
  const id = /^Opened (\S+)\./.exec(reported.stdout)?.[1] ?? '';
  t.truthy(id, reported.stdout);
  await waitForInvestigation(h, id, 'the department decision', (view) =>
    view.tasks.some((task) => task.status === TaskStatus.Open),
  );
  const shown = await clerk.run(['investigate', 'show', id]);
  t.true(shown.stdout.includes('report by sun.clerk at '), shown.stdout);

  const approver = terminal();
  t.is((await approver.login('zheng.approver', 'investigate')).code, 0);
  const revoked = await approver.run(['investigate', 'decide', id, 'revoke', '--reason', 'Copied the answers']);
  t.is(revoked.code, 0, revoked.stderr);
  t.regex(revoked.stdout, / by zheng\.approver \(cheating\): Copied the answers/);
});

test.serial('someone with no part in an investigation is told it is not there', async (t) => {
  const h = t.context;
  const { number } = await issueCertificate(h);
  const clerk = terminal();
  t.is((await clerk.login('sun.clerk', 'investigate')).code, 0);
  const reported = await clerk.run([
    'investigate',
    'report',
    number,
    '--category',
    'other',
    '--description',
    DESCRIPTION,
  ]);
  const id = /^Opened (\S+)\./.exec(reported.stdout)?.[1] ?? '';

  const outsider = terminal();
  t.is((await outsider.login('he.clerk-b', 'investigate')).code, 0);
  const shown = await outsider.run(['investigate', 'show', id]);
  t.deepEqual(
    { code: shown.code, stderr: shown.stderr.trim() },
    { code: 1, stderr: 'Refused: No such investigation.' },
  );
  const decided = await outsider.run(['investigate', 'decide', id, 'dismiss', '--reason', 'Not a real report']);
  t.is(decided.stderr.trim(), 'Refused: No such investigation.');
});
