/**
 * A terminal for the command-line tests: the real client scripts run as child processes against a web app on
 * loopback, each terminal with its own configuration folder, so its token is its own.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ExecutionContext, TestFn } from 'ava';
import { DEMO_PASSWORD } from '../../records/demoProvince';
import { PROJECT_ROOT } from '../../runtime/temporalServer';
import type { Harness, HarnessOptions } from '../helpers/harness';
import { testWithHarness } from '../helpers/harnessTests';
import { ENGLISH_TERMINAL } from '../helpers/terminal';
import type { WebApp } from '../helpers/web';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `home` is the terminal's configuration folder; the test removes it when done. */
export function cliTerminal(base: string, locale: Record<string, string> = ENGLISH_TERMINAL) {
  const home = mkdtempSync(path.join(os.tmpdir(), 'qualiflow-cli-'));
  const env: NodeJS.ProcessEnv = { ...process.env, ...locale, QUALIFLOW_URL: base, XDG_CONFIG_HOME: home };
  // Whatever the machine running the tests has set would stand in for the terminal's own login.
  delete env.QUALIFLOW_TOKEN;
  delete env.QUALIFLOW_TOKEN_FILE;
  delete env.QUALIFLOW_PASSWORD;
  /** `args[0]` names the client: case, session or investigate. */
  const run = (args: string[], { input, extra = {} }: { input?: string; extra?: NodeJS.ProcessEnv } = {}) =>
    new Promise<Run>((resolve) => {
      // Asynchronous, so the web app in the test's process keeps answering while the command waits for it.
      const child = execFile(
        process.execPath,
        ['--import=tsx', path.join(PROJECT_ROOT, 'scripts', `${args[0]}.ts`), ...args.slice(1)],
        { env: { ...env, ...extra }, cwd: PROJECT_ROOT },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      );
      child.stdin?.end(input ?? '');
    });
  return {
    home,
    tokenFile: path.join(home, 'qualiflow', 'token.json'),
    run,
    /** Logs in with the password on stdin, as a script would; fails the test's set-up if it cannot. */
    async login(user: string, client = 'case'): Promise<Run> {
      return run([client, 'login', '--user', user], { input: `${DEMO_PASSWORD}\n` });
    },
  };
}

export type Terminal = ReturnType<typeof cliTerminal>;

/** What a command-line test file shares: one web app on its harness, and the terminals its tests open against it. */
export interface Terminals {
  /** The web app, started before the file's first test. */
  readonly web: WebApp;
  /** A terminal of one person, logged in as nobody yet. */
  open(locale?: Record<string, string>): Terminal;
  /** A terminal already logged in as `user` through `client`; the test fails here if the login does. */
  loggedIn(t: ExecutionContext, user: string, client?: string, locale?: Record<string, string>): Promise<Terminal>;
}

/**
 * The test function of a command-line test file and its terminals: the harness and the web app (`start` builds it on
 * the harness) come up before the first test; after the last, the app closes and every terminal's folder is removed.
 */
export function testWithTerminals(
  options: HarnessOptions,
  start: (h: Harness) => Promise<WebApp>,
): { test: TestFn<Harness>; terminals: Terminals } {
  const test = testWithHarness(options);
  let web: WebApp | undefined;
  const folders: string[] = [];
  test.serial.before(async (t) => {
    web = await start(t.context);
  });
  test.after.always(async () => {
    await web?.close();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });
  const terminals: Terminals = {
    get web() {
      if (!web) throw new Error('the web app has not started: terminals are for tests, not for the file’s set-up');
      return web;
    },
    open(locale = ENGLISH_TERMINAL) {
      const opened = cliTerminal(terminals.web.base, locale);
      folders.push(opened.home);
      return opened;
    },
    async loggedIn(t, user, client = 'case', locale = ENGLISH_TERMINAL) {
      const opened = terminals.open(locale);
      const login = await opened.login(user, client);
      t.is(login.code, 0, login.stderr);
      return opened;
    },
  };
  return { test, terminals };
}
