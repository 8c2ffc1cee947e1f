/**
 * How the command-line clients reach Qualiflow: through the web app's JSON API, as the person who logged in, with the
 * bearer token POST /api/session issued to them. The API then decides what they may see and do exactly as it does for
 * the web, and the case history names them. No client talks to Temporal directly: anyone who can reach Temporal can
 * name any actor, so a terminal gets no more trust than a browser.
 *
 * The token is kept in a file only its owner may read (mode 0600), beside the address of the web app that issued it,
 * so it is never sent to another one; QUALIFLOW_TOKEN gives one instead (for scripts that keep secrets elsewhere).
 */
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { language, t, UsageError } from './cli';

/** What `npm start` serves by default (runtime/config.ts: HOST 127.0.0.1, PORT 3000). */
export const DEFAULT_URL = 'http://127.0.0.1:3000';

/** The client being run ('case', 'session', 'investigate'), for sentences that say what to type next. */
const script = path.basename(process.argv[1] ?? 'case').replace(/\.[cm]?[jt]s$/, '');

export const webAppUrl = (env: NodeJS.ProcessEnv = process.env): string =>
  (env.QUALIFLOW_URL || DEFAULT_URL).replace(/\/+$/, '');

/** QUALIFLOW_TOKEN_FILE, else `qualiflow/token.json` in the XDG configuration folder (~/.config by default). */
export function tokenFile(env: NodeJS.ProcessEnv = process.env): string {
  if (env.QUALIFLOW_TOKEN_FILE) return path.resolve(env.QUALIFLOW_TOKEN_FILE);
  const config = env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(config, 'qualiflow', 'token.json');
}

interface StoredToken {
  url: string;
  user: string;
  token: string;
}

/** The token to send: QUALIFLOW_TOKEN, else the stored one if it was issued by this web app. */
export function currentToken(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.QUALIFLOW_TOKEN) return env.QUALIFLOW_TOKEN;
  const stored = storedToken(env);
  return stored?.url === webAppUrl(env) ? stored.token : undefined;
}

function storedToken(env: NodeJS.ProcessEnv): StoredToken | undefined {
  try {
    const stored = JSON.parse(readFileSync(tokenFile(env), 'utf8')) as Partial<StoredToken>;
    return typeof stored.token === 'string' && typeof stored.url === 'string' ? (stored as StoredToken) : undefined;
  } catch {
    return undefined;
  }
}

function saveToken(env: NodeJS.ProcessEnv, stored: StoredToken): string {
  const file = tokenFile(env);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // A new file, created 0600 before the token is in it: an older file may have been made readable by others.
  rmSync(file, { force: true });
  writeFileSync(file, `${JSON.stringify(stored)}\n`, { mode: 0o600, flag: 'wx' });
  // The umask can only take bits away, never add them; this makes the mode exactly 0600 whatever it is.
  chmodSync(file, 0o600);
  return file;
}

/** The API said no; `message` is its own sentence, in the language the terminal asked for. */
export class ApiRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiRefused';
  }
}

export interface Api {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown, query?: Record<string, string>): Promise<T>;
  /** Bytes as they are (a score file), not JSON. */
  postBytes<T>(path: string, bytes: Uint8Array, query?: Record<string, string>): Promise<T>;
  delete(path: string): Promise<void>;
}

/** A client sending this token, or none (only for signing in). */
export function apiClient(token: string | undefined, env: NodeJS.ProcessEnv = process.env): Api {
  const base = webAppUrl(env);
  const send = async <T>(
    method: string,
    pathname: string,
    body?: { json: unknown } | { bytes: Uint8Array },
    query?: Record<string, string>,
  ): Promise<T> => {
    const url = `${base}${pathname}${query ? `?${new URLSearchParams(query)}` : ''}`;
    const headers: Record<string, string> = { accept: 'application/json', 'accept-language': language };
    if (token) headers.authorization = `Bearer ${token}`;
    let payload: string | Uint8Array | undefined;
    if (body && 'json' in body) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body.json ?? {});
    } else if (body) {
      headers['content-type'] = 'application/octet-stream';
      payload = body.bytes;
    }
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body: payload });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new UsageError(
        t('cli:api.unreachable', { url: base, why: cause?.code ?? cause?.message ?? String(error) }),
      );
    }
    if (response.status === 204) return undefined as T;
    const answer = (await response.json().catch(() => ({}))) as { error?: string; errors?: Record<string, string> };
    if (response.ok) return answer as T;
    // A token the API no longer knows (signed out, expired, removed by an administrator): sign in again. Signing in
    // itself answers 401 for a wrong password, and says so in its own words.
    if (response.status === 401 && token) throw new UsageError(t('cli:login.again', { script }));
    throw new ApiRefused(response.status, answer.error ?? response.statusText, answer.errors);
  };
  return {
    get: (pathname) => send('GET', pathname),
    post: (pathname, json, query) => send('POST', pathname, { json }, query),
    postBytes: (pathname, bytes, query) => send('POST', pathname, { bytes }, query),
    delete: (pathname) => send('DELETE', pathname),
  };
}

/** The API as the person who logged in; without a token, a usage sentence saying how to log in. */
export function signedInApi(env: NodeJS.ProcessEnv = process.env): Api {
  const token = currentToken(env);
  if (!token) throw new UsageError(t('cli:login.first', { script, url: webAppUrl(env) }));
  return apiClient(token, env);
}

/**
 * `login --user <id>`: signs in with the password (QUALIFLOW_PASSWORD, else asked without echo at a terminal, else
 * the first line of stdin) and keeps the token.
 */
export async function logIn(user: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (!user) throw new UsageError(t('cli:needs', { command: 'login', what: '--user <id>' }));
  const password = env.QUALIFLOW_PASSWORD ?? (await readPassword(t('cli:login.password', { user })));
  const { token, user: who } = await apiClient(undefined, env).post<{
    token: string;
    user: { id: string; name: string };
  }>('/api/session', { username: user, password });
  const file = saveToken(env, { url: webAppUrl(env), user: who.id, token });
  console.log(t('cli:login.done', { name: who.name, user: who.id, url: webAppUrl(env), file }));
}

/** `logout`: ends the session on the web app too, so the token is worthless wherever a copy of it went. */
export async function logOut(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const token = currentToken(env);
  if (token) {
    // Already ended (401) or a web app that is down: the file goes all the same.
    await apiClient(token, env)
      .delete('/api/session')
      .catch(() => undefined);
  }
  rmSync(tokenFile(env), { force: true });
  console.log(t('cli:logout.done'));
}

async function readPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let typed = '';
    for await (const chunk of stdin) typed += String(chunk);
    return typed.split(/\r?\n/)[0];
  }
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve) => {
    let typed = '';
    const onData = (chunk: string) => {
      for (const key of chunk) {
        if (key === '\r' || key === '\n' || key === '\u0004') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          return resolve(typed);
        }
        if (key === '\u0003') {
          // Ctrl-C: raw mode swallows the signal, so leave as the terminal would.
          stdin.setRawMode(false);
          process.stderr.write('\n');
          process.exit(130);
        }
        typed = key === '\u007f' || key === '\b' ? typed.slice(0, -1) : typed + key;
      }
    };
    stdin.on('data', onData);
  });
}

/**
 * `--as` named whoever the caller liked and was believed. It is refused with what to do instead, rather than ignored:
 * a script still passing it would otherwise act as whoever happens to be logged in.
 */
export function refuseAs(as: string | undefined): void {
  if (as !== undefined) throw new UsageError(t('cli:asGone', { script, user: as || '<id>' }));
}

/** `login`/`logout`, which every client takes; true when the command was one of them. */
export async function accountCommand(command: string, values: { user?: string }): Promise<boolean> {
  if (command === 'login') await logIn(values.user);
  else if (command === 'logout') await logOut();
  else return false;
  return true;
}
