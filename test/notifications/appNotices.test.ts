/**
 * The notices the web app writes itself, rather than a workflow's activity: a name locked by failed sign-ins, to the
 * administrators. With SMTP configured they are emailed by the worker's delivery loop to the group's addresses, as a
 * case's are; without it they stay in the log the app shows. The app here has no Temporal server behind it: the lock
 * reaches neither.
 */
import test, { type ExecutionContext } from 'ava';
import { createTransport } from 'nodemailer';
import type { AppDeps } from '../../inbox-ui/app';
import { DEMO_PASSWORD } from '../../records/demoProvince';
import { createDeliveryLoop } from '../../worker/deliveries';
import { eventually } from '../helpers/cases';
import { signInStatus, webWithoutTemporalFor, type WebWithoutTemporal } from '../inbox/fixtures';
import { FROM, PUBLIC_URL, quietLogger } from './fixtures';
import { startSmtpSink } from './smtpSink';

/** A name locks at its second failure in a row; the address limit is out of the way. */
const LOCK_AT_TWO = { perAddress: 1000, perAccount: 2, freeFailures: 100 };

const app = (t: ExecutionContext, overrides: Partial<AppDeps>) =>
  webWithoutTemporalFor(t, { signInLimits: LOCK_AT_TWO, publicUrl: PUBLIC_URL, ...overrides });

const lockNotice = (web: WebWithoutTemporal) =>
  web.db.selectFrom('notifications').selectAll().where('kind', '=', 'account-locked').executeTakeFirst();

test('a locked name is emailed to the administrators, in Chinese and then English, with the unlocking page', async (t) => {
  const sink = await startSmtpSink();
  t.teardown(() => sink.stop());
  const web = await app(t, { emailNotices: true });
  const loop = createDeliveryLoop({
    db: web.db,
    transport: createTransport({ url: sink.url }),
    from: FROM,
    pollMs: 50,
    logger: quietLogger,
  });
  loop.start();
  t.teardown(() => loop.stop());

  t.is(await signInStatus(web.base, 'sun.clerk', 'not-the-password'), 401);
  t.is(await signInStatus(web.base, 'sun.clerk', 'nor-this-one'), 423);

  const [mail] = await sink.waitFor(1);
  // The administrators' addresses, in Bcc; the To header names the group only.
  t.deepEqual(mail.envelopeTo, ['admin@qualiflow.example']);
  t.is(mail.toHeader, '"administrators": ;');
  t.is(mail.subject, '用户名 sun.clerk 因登录失败被锁定');
  t.true(mail.text.includes('The user name sun.clerk was locked after 2 failed sign-ins in a row.'), mail.text);
  t.true(mail.text.includes(`办理链接：${PUBLIC_URL}/admin/accounts`), mail.text);
  t.true(mail.text.includes(`Open it: ${PUBLIC_URL}/admin/accounts`), mail.text);
  t.true(mail.noticeKey.startsWith('account-locked:sun.clerk:'));
  const row = await eventually('the notice marked sent', async () => {
    const notice = await lockNotice(web);
    return notice?.status === 'sent' ? notice : undefined;
  });
  t.is(row.recipient, 'administrators');

  // The lock holds even for the right password, and tells nobody twice.
  t.is(await signInStatus(web.base, 'sun.clerk', DEMO_PASSWORD), 423);
  t.is((await web.db.selectFrom('notifications').select('id').execute()).length, 1);
});

test('without SMTP the lock notice stays in the log, for the administrators to read in the app', async (t) => {
  const web = await app(t, {});
  t.is(await signInStatus(web.base, 'sun.clerk', 'not-the-password'), 401);
  t.is(await signInStatus(web.base, 'sun.clerk', 'nor-this-one'), 423);
  t.like(await lockNotice(web), { recipient: 'administrators', status: 'logged', next_attempt_at: null });
});
