/**
 * `npm start` under the signals a terminal and a supervisor send. Run through the real `npm start` in a process group
 * of its own, as a shell runs a foreground job, and signalled as a group, the way Ctrl-C reaches npm, its shell and
 * node all at once (npm then forwards a copy of its own to its child).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as pause } from 'node:timers/promises';
import test from 'ava';
import { freePort, PROJECT_ROOT } from '../../runtime/temporalServer';
import { ENGLISH_TERMINAL } from '../helpers/terminal';

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<void>;
}

/** `npm start` as the leader of its own process group, at an English terminal. */
function npmStart(env: Record<string, string>): Started {
  const child = spawn('npm', ['start'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...ENGLISH_TERMINAL, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, output: () => output, exited };
}

const signalGroup = (started: Started, signal: NodeJS.Signals) => {
  try {
    process.kill(-started.child.pid!, signal);
  } catch {
    // The group is gone already.
  }
};

const groupAlive = (started: Started): boolean => {
  try {
    process.kill(-started.child.pid!, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(what: string, check: () => boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(100);
  }
}

async function runningNpmStart(dataDir: string): Promise<{ started: Started; env: Record<string, string> }> {
  const env = {
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    TEMPORAL_DEV_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
  };
  const started = npmStart(env);
  await until('Qualiflow is running', () => {
    if (started.child.exitCode !== null) throw new Error(`npm start exited:\n${started.output()}`);
    return started.output().includes('Qualiflow is running.');
  });
  return { started, env };
}

/** The Temporal dev servers running on this data folder's state file, by pid. */
function serversOn(dataDir: string): number[] {
  const stateFile = path.join(dataDir, 'temporal.db');
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return argv[0].endsWith('/temporal') && argv.includes(stateFile);
      } catch {
        return false; // gone while we looked
      }
    })
    .map(Number);
}

function dataFolder(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'qualiflow-signals-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const stopsInOrder = test.macro({
  async exec(t, signals: [NodeJS.Signals, number][]) {
    const dataDir = dataFolder(t);
    const { started } = await runningNpmStart(dataDir);
    t.teardown(() => signalGroup(started, 'SIGKILL'));
    for (const [signal, afterMs] of signals) {
      await pause(afterMs);
      signalGroup(started, signal);
    }
    await started.exited;
    await until('the whole group to end', () => !groupAlive(started), 30_000);
    t.regex(started.output(), /Stopping …[\s\S]*Stopped\./);
    t.notRegex(started.output(), /The worker stopped|Stopping failed|Error/);
    await until('the dev server to end', () => serversOn(dataDir).length === 0, 30_000);
  },
  title: (_, signals: [NodeJS.Signals, number][]) =>
    `${signals.map(([signal, ms]) => `${signal} after ${ms} ms`).join(', ')} to npm start's group: an orderly stop`,
});

// A terminal's Ctrl-C, and a second copy 30 ms later (a relayed one, or a second press).
test.serial(stopsInOrder, [
  ['SIGINT', 0],
  ['SIGINT', 30],
]);
// An impatient person and a supervisor, all within a second.
test.serial(stopsInOrder, [
  ['SIGTERM', 0],
  ['SIGINT', 10],
  ['SIGINT', 200],
  ['SIGTERM', 300],
  ['SIGINT', 400],
]);

test.serial(
  'after a kill -9 of the whole group the server dies with its parent, and a prompt restart never runs a second server on the same state file',
  async (t) => {
    const dataDir = dataFolder(t);
    const { started: first, env } = await runningNpmStart(dataDir);
    t.teardown(() => signalGroup(first, 'SIGKILL'));
    const [oldServer] = serversOn(dataDir);
    t.truthy(oldServer, 'the first start runs a dev server on the data folder');

    signalGroup(first, 'SIGKILL');
    await first.exited;
    // Straight away, on the same data folder and ports, as someone restarting in a hurry would.
    const second = npmStart(env);
    t.teardown(() => signalGroup(second, 'SIGKILL'));
    let most = 0;
    let oldGoneAfterMs: number | undefined;
    const killedAt = Date.now();
    await until('the second start to run', () => {
      const servers = serversOn(dataDir);
      most = Math.max(most, servers.length);
      if (oldGoneAfterMs === undefined && !servers.includes(oldServer)) oldGoneAfterMs = Date.now() - killedAt;
      if (second.child.exitCode !== null) throw new Error(`the second start exited:\n${second.output()}`);
      return second.output().includes('Qualiflow is running.');
    });
    t.is(most, 1, 'never two servers on one temporal.db');
    t.not(oldGoneAfterMs, undefined, 'the old server had ended before the new one ran');
    t.log(`the old server ended ${oldGoneAfterMs} ms after the kill`);
    const servers = serversOn(dataDir);
    t.is(servers.length, 1);
    t.not(servers[0], oldServer);

    signalGroup(second, 'SIGINT');
    await second.exited;
    t.regex(second.output(), /Stopped\./);
  },
);

test.serial('a second npm start on a data folder in use waits, then refuses with a sentence', async (t) => {
  const dataDir = dataFolder(t);
  const { started: first } = await runningNpmStart(dataDir);
  t.teardown(() => signalGroup(first, 'SIGKILL'));
  const second = npmStart({
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    TEMPORAL_DEV_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    TEMPORAL_LOCK_WAIT_S: '3',
  });
  t.teardown(() => signalGroup(second, 'SIGKILL'));
  await second.exited;
  t.not(second.child.exitCode, 0);
  t.regex(
    second.output(),
    /another Temporal server is still running on .*temporal\.db after 3 s; stop the other Qualiflow first/,
  );
  t.is(serversOn(dataDir).length, 1, 'the first server runs on, alone');
  signalGroup(first, 'SIGINT');
  await first.exited;
  t.regex(first.output(), /Stopped\./);
});
