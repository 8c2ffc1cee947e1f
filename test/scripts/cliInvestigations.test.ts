/**
 * The investigation client acts as the person who logged in, through the JSON API: the signed-in person is the
 * reporter, the department's approver decides, and someone with no part in the investigation does not see it.
 */
import { TaskStatus } from '../../workflows/definitions';
import { startWeb } from '../helpers/web';
import { UNLIMITED_SIGN_IN } from '../inbox/fixtures';
import { DESCRIPTION, issueCertificate, waitForInvestigation } from '../investigations/helpers';
import { testWithTerminals } from './cliTerminal';

const { test, terminals } = testWithTerminals({ flavour: 'time-skipping' }, (h) =>
  startWeb(h, { signInLimits: UNLIMITED_SIGN_IN }),
);

test.serial('a report filed from the command line names who filed it, and the department revokes', async (t) => {
  const h = t.context;
  const { number } = await issueCertificate(h);
  const clerk = await terminals.loggedIn(t, 'sun.clerk', 'investigate');

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

  const approver = await terminals.loggedIn(t, 'zheng.approver', 'investigate');
  const revoked = await approver.run(['investigate', 'decide', id, 'revoke', '--reason', 'Copied the answers']);
  t.is(revoked.code, 0, revoked.stderr);
  t.regex(revoked.stdout, / by zheng\.approver \(cheating\): Copied the answers/);
});

test.serial('someone with no part in an investigation is told it is not there', async (t) => {
  const h = t.context;
  const { number } = await issueCertificate(h);
  const clerk = await terminals.loggedIn(t, 'sun.clerk', 'investigate');
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

  const outsider = await terminals.loggedIn(t, 'he.clerk-b', 'investigate');
  const shown = await outsider.run(['investigate', 'show', id]);
  t.deepEqual(
    { code: shown.code, stderr: shown.stderr.trim() },
    { code: 1, stderr: 'Refused: No such investigation.' },
  );
  const decided = await outsider.run(['investigate', 'decide', id, 'dismiss', '--reason', 'Not a real report']);
  t.is(decided.stderr.trim(), 'Refused: No such investigation.');
});
