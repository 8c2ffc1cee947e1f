/**
 * Starts the Temporal servers that live inside the project: the CLI's dev server (SQLite persistence, Web UI) for
 * `npm start` and the dev-server tests, and the Java time-skipping server for deadline tests. Both are binaries that
 * scripts/setup-temporal.sh installs into .temporal-venv. We start them ourselves and wait for health instead of
 * letting the SDK do it, because the SDK allows only 5 s and a loaded two-core machine needs more.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { Connection } from '@temporalio/client';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..');
const VENV_BIN = path.resolve(PROJECT_ROOT, process.env.TEMPORAL_VENV_DIR ?? '.temporal-venv', 'bin');

export interface RunningServer {
  address: string;
  /** The Web UI, when the server has one. */
  uiUrl?: string;
  stop(): Promise<void>;
}

/** Runs scripts/setup-temporal.sh (fast when already done) and fails with one sentence when it cannot. */
export function ensureTemporalInstalled(): void {
  const result = spawnSync('bash', [path.join(PROJECT_ROOT, 'scripts', 'setup-temporal.sh')], { encoding: 'utf8' });
  if (result.status !== 0) {
    // The script's last line is one sentence that says what to do.
    throw new Error(
      (result.stderr || result.stdout || 'Installing the Temporal server failed.').trim().split('\n').pop(),
    );
  }
}

/**
 * A port that is free now and that the kernel will not hand to anyone else meanwhile. A port the kernel picked for
 * `listen(0)` comes from its ephemeral range, and the dev server we start next asks for several ephemeral ports of
 * its own (history, matching, membership): one of them was once the very port we had just chosen for the web app.
 * Ports below the ephemeral range are never given out unasked, so we choose there, and never the same one twice.
 */
export async function freePort(): Promise<number> {
  const high = ephemeralRangeStart() - 1;
  const low = Math.max(1024, high - 12_000);
  for (;;) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    if (await bindable(port)) return port;
  }
}

const handedOut = new Set<number>();

function ephemeralRangeStart(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32_768;
  } catch {
    return 32_768; // not Linux: the IANA range starts at 49152, so this stays below it too
  }
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export interface DevServerOptions {
  /** SQLite file for the server's state; without it the server keeps everything in memory. */
  dbFile?: string;
  port?: number;
  uiPort?: number;
  /** Where the server's own log goes; defaults to nowhere. */
  logFile?: string;
  /** Where the Web UI asks to decode payloads (inbox-ui/routes/codec.ts). */
  uiCodecEndpoint?: string;
  /** Passed as --dynamic-config-value; tests use it to shorten caches. */
  dynamicConfig?: Record<string, unknown>;
}

export async function startDevServer(options: DevServerOptions = {}): Promise<RunningServer> {
  ensureTemporalInstalled();
  const port = options.port ?? (await freePort());
  const uiPort = options.uiPort ?? (await freePort());
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--ui-port', String(uiPort)];
  args.push('--log-level', 'warn');
  if (options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  if (options.dbFile) {
    mkdirSync(path.dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  for (const [key, value] of Object.entries(options.dynamicConfig ?? {})) {
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  }
  // One server per state file: the lock sits beside it (see GUARD).
  const lockFile = options.dbFile && `${options.dbFile}.lock`;
  const child = await launched(path.join(VENV_BIN, 'temporal'), args, { logFile: options.logFile, lockFile });
  const address = `127.0.0.1:${port}`;
  await waitForHealth(address, child, {
    [LOCK_TAKEN]: `another Temporal server is still running on ${options.dbFile} after ${LOCK_WAIT_S} s; stop the other Qualiflow first`,
  });
  return { address, uiUrl: `http://127.0.0.1:${uiPort}`, stop: () => stopChild(child) };
}

/** The time-skipping test server: timers fire as soon as no workflow code is running. */
export async function startTimeSkippingServer(): Promise<RunningServer & { executable: string }> {
  ensureTemporalInstalled();
  const port = await freePort();
  const executable = path.join(VENV_BIN, 'temporal-test-server');
  const child = await launched(executable, [String(port), '--enable-time-skipping']);
  const address = `127.0.0.1:${port}`;
  await waitForHealth(address, child);
  return { address, executable, stop: () => stopChild(child) };
}

/**
 * Runs the server under a small shell guard that holds a pipe from us: when we close it, or die without closing it,
 * the guard stops the server, so a crashed test or start never leaves a server behind. Its own process group keeps a
 * terminal's Ctrl-C from reaching the server before the worker has shut down.
 *
 * With a lock file, the guard first takes an exclusive flock on it, and the server inherits the descriptor: the lock
 * is held exactly as long as a server runs on that state file, even when the guard or its parent were killed. A
 * start right after a kill -9 therefore waits for the old server to finish stopping instead of opening the same
 * SQLite file beside it; one that still finds the lock taken after LOCK_WAIT_S gives up with LOCK_TAKEN.
 */
/** Long enough for a killed server's graceful stop; the start tests shorten it to see the refusal sooner. */
const LOCK_WAIT_S = Number(process.env.TEMPORAL_LOCK_WAIT_S) || 30;
const LOCK_TAKEN = 75;
const GUARD = [
  `if [ -n "$QF_LOCK" ]; then exec 9>>"$QF_LOCK"; flock -w ${LOCK_WAIT_S} 9 || exit ${LOCK_TAKEN}; fi`,
  // Tells us the lock is ours (see \`launched\`), and keeps that pipe out of the server.
  'echo >&3; exec 3>&-',
  '"$0" "$@" & server=$!',
  'exec 9>&-',
  'cat >/dev/null',
  'kill -TERM $server 2>/dev/null',
  'wait $server',
].join('; ');

/**
 * Starts the guard and waits until it holds the lock. Only then may we look for a server at the address: until the
 * old server has released the lock, it may still be answering on the same port.
 */
async function launched(
  executable: string,
  args: string[],
  options: { logFile?: string; lockFile?: string } = {},
): Promise<ChildProcess> {
  if (!existsSync(executable)) throw new Error(`${executable} is missing; run npm run setup:temporal`);
  const out = options.logFile ? openSync(options.logFile, 'a') : 'ignore';
  const child = spawn('sh', ['-c', GUARD, executable, ...args], {
    stdio: ['pipe', out, out, 'pipe'],
    detached: true,
    env: { ...process.env, QF_LOCK: options.lockFile ?? '' },
  });
  child.unref();
  const locked = child.stdio[3] as Readable;
  await new Promise<void>((resolve) => {
    locked.once('data', () => resolve());
    // Gave up on the lock or failed to start: waitForHealth reports how it exited.
    child.once('exit', () => resolve());
  });
  locked.destroy();
  return child;
}

async function waitForHealth(
  address: string,
  child: ChildProcess,
  explained: Record<number, string> = {},
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const describe = (code: number | null, signal: NodeJS.Signals | null) =>
    (code !== null && explained[code]) || `exited with ${signal ?? code}`;
  // It may have exited already, while we waited for the lock.
  let exited = child.exitCode !== null || child.signalCode !== null ? describe(child.exitCode, child.signalCode) : '';
  child.once('exit', (code, signal) => (exited = describe(code, signal)));
  for (;;) {
    if (exited) throw new Error(`The Temporal server at ${address} did not start: ${exited}.`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        // The dev server answers gRPC before its namespace is ready; describing it proves the server can serve us.
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      if (Date.now() > deadline) {
        child.stdin?.end();
        throw new Error(`The Temporal server at ${address} did not become healthy in ${timeoutMs / 1000} s: ${error}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdin?.end();
  // A server that ignores SIGTERM for this long is stuck; take its whole group down.
  const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
