/**
 * A terminal for the command-line tests: the real client scripts run as child processes against a web app on
 * loopback, each terminal with its own configuration folder, so its token is its own.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_PASSWORD } from '../../records/directory';
import { PROJECT_ROOT } from '../../runtime/temporalServer';
import { ENGLISH_TERMINAL } from '../helpers/terminal';

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
