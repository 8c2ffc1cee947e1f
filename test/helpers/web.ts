/**
 * The web app over a real harness (dev server, worker, SQLite), with the demo directory seeded, on a free loopback
 * port; and clients that behave like the people using it: a browser-like session that keeps its cookies and sends
 * each form's CSRF token, and an API client that signs in for a bearer token.
 */
import { randomBytes } from 'node:crypto';
import { createApp, type AppDeps } from '../../inbox-ui/app';
import { listen, type Listening } from '../../inbox-ui/listen';
import { DEMO_PASSWORD, seedDemoDirectory } from '../../records/demoProvince';
import type { Harness } from './harness';

export interface WebApp {
  base: string;
  close(): Promise<void>;
}

export async function startWeb(h: Harness, overrides: Partial<AppDeps> = {}): Promise<WebApp> {
  await seedDemoDirectory(h.deps.db);
  const server: Listening = await listen(
    createApp({
      client: h.client,
      db: h.deps.db,
      temporalUiUrl: 'http://127.0.0.1:8233',
      namespace: 'default',
      seal: h.deps.seal,
      taskQueue: h.taskQueue,
      publicUrl: h.deps.publicUrl,
      // The test's own: a test never reads or writes the keys in the project's data folder.
      personalDataKey: randomBytes(32),
      ...overrides,
    }),
    { port: 0, host: '127.0.0.1' },
  );
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { base: `http://127.0.0.1:${port}`, close: () => server.close() };
}

export interface Page {
  status: number;
  url: string;
  location?: string;
  html: string;
}

/**
 * A browser without a screen: cookies kept, redirects followed by hand so tests can see them, CSRF sent. It asks for
 * English pages unless told otherwise (`'zh-CN'`, or `'*'` for a browser that names no language): the tests that read
 * Chinese pages say so.
 */
export class BrowserSession {
  private readonly cookies = new Map<string, string>();
  private csrf = '';

  constructor(
    readonly base: string,
    readonly acceptLanguage = 'en',
  ) {}

  async get(path: string, { follow = true } = {}): Promise<Page> {
    return this.request('GET', path, undefined, follow);
  }

  /** Posts a form as the page it came from would: with the CSRF token of the last page seen. */
  async post(path: string, form: Record<string, string | string[]> = {}, { follow = true, csrf = true } = {}) {
    const body = new URLSearchParams();
    if (csrf) body.append('_csrf', this.csrf);
    for (const [key, value] of Object.entries(form)) {
      for (const one of Array.isArray(value) ? value : [value]) body.append(key, one);
    }
    return this.request('POST', path, body, follow);
  }

  /** Posts a form with files (`enctype='multipart/form-data'`), as the page it came from would, CSRF token first. */
  async postFiles(
    path: string,
    form: Record<string, string>,
    files: Record<string, { name: string; bytes: Uint8Array; type?: string }>,
    { follow = true } = {},
  ) {
    const body = new FormData();
    body.append('_csrf', this.csrf);
    for (const [key, value] of Object.entries(form)) body.append(key, value);
    for (const [key, file] of Object.entries(files)) {
      body.append(key, new Blob([file.bytes], { type: file.type ?? 'application/octet-stream' }), file.name);
    }
    return this.request('POST', path, body, follow);
  }

  async signIn(user: string, password = DEMO_PASSWORD): Promise<Page> {
    await this.get('/login');
    return this.post('/login', { username: user, password });
  }

  private async request(method: string, path: string, body: URLSearchParams | FormData | undefined, follow: boolean) {
    const response = await fetch(`${this.base}${path}`, {
      method,
      body,
      redirect: 'manual',
      headers: {
        cookie: this.cookieHeader(),
        'accept-language': this.acceptLanguage,
        // A FormData body brings its own multipart type and boundary.
        ...(body instanceof URLSearchParams && { 'content-type': 'application/x-www-form-urlencoded' }),
      },
    });
    this.keepCookies(response);
    const location = response.headers.get('location') ?? undefined;
    if (follow && location && response.status >= 300 && response.status < 400) {
      return { ...(await this.get(location)), location };
    }
    const html = await response.text();
    const token = /<meta name='csrf-token' content='([^']*)'/.exec(html)?.[1];
    if (token) this.csrf = token;
    return { status: response.status, url: path, location, html };
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private keepCookies(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

/** An API client signed in as a demo user. */
export async function apiAs(base: string, user: string, acceptLanguage = 'en') {
  const signIn = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-language': acceptLanguage },
    body: JSON.stringify({ username: user, password: DEMO_PASSWORD }),
  });
  if (signIn.status !== 201) throw new Error(`${user} could not sign in: ${signIn.status} ${await signIn.text()}`);
  const { token } = (await signIn.json()) as { token: string };
  return apiClient(base, token, acceptLanguage);
}

/** An API client; its messages come in English unless it asks for another language. */
export function apiClient(base: string, token?: string, acceptLanguage = 'en') {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        'accept-language': acceptLanguage,
        ...(token && { authorization: `Bearer ${token}` }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as any, headers: response.headers };
  };
  return {
    token,
    get: (path: string) => call('GET', path),
    post: (path: string, body: unknown = {}) => call('POST', path, body),
    put: (path: string, body: unknown = {}) => call('PUT', path, body),
    delete: (path: string) => call('DELETE', path),
  };
}

/** The text a person reads on a page: tags dropped, entities decoded, whitespace collapsed. */
export function visibleText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/&#x3D;/g, '=')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
