/**
 * What the inbox's route tests share: the web app over the file's harness, people signed in once per file (a bearer
 * client, or a browser session), cases taken in as a station clerk would, waiting for the task projection, the inbox
 * table's rows, and a web app without a Temporal server for the routes that never reach one (sign-in, the OpenAPI
 * document).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { ExecutionContext, TestFn } from 'ava';
import type { ApplicationInput } from '../../domain/application';
import { idCheckCharacter } from '../../domain/idNumber';
import { Level } from '../../domain/levels';
import { createApp, type AppDeps } from '../../inbox-ui/app';
import { listen } from '../../inbox-ui/listen';
import type { SignInLimits } from '../../inbox-ui/routes/session';
import { openDatabase, type Db } from '../../records/database';
import { hashPassword } from '../../records/directory';
import { DEMO_PASSWORD, seedDemoDirectory } from '../../records/demoProvince';
import type { applicationWorkflow } from '../../workflows';
import { type HumanTask, TaskKind, workflowIdFor } from '../../workflows/definitions';
import { applicationFor } from '../helpers/applications';
import { eventually, waitForTask } from '../helpers/cases';
import type { Harness } from '../helpers/harness';
import { apiAs, type apiClient, BrowserSession, type Page, startWeb, type WebApp } from '../helpers/web';

export type Api = ReturnType<typeof apiClient>;

/** Files that sign many people in within a minute, all from 127.0.0.1: the limits are not what they test. */
export const UNLIMITED_SIGN_IN: SignInLimits = { perAddress: 100_000, perAccount: 100_000 };

/** A bearer client per person, signed in once per file and shared by its tests. */
export function people(base: string) {
  const clients = new Map<string, Promise<Api>>();
  return {
    api(user: string): Promise<Api> {
      let client = clients.get(user);
      if (!client) {
        client = apiAs(base, user);
        clients.set(user, client);
      }
      return client;
    },
    /** A fresh browser, signed in and on the inbox. */
    async browser(user: string): Promise<BrowserSession> {
      const browser = new BrowserSession(base);
      const landed = await browser.signIn(user);
      if (landed.status !== 200 || landed.location !== '/inbox') {
        throw new Error(`${user} could not sign in: ${landed.status} ${landed.location}`);
      }
      return browser;
    },
  };
}

export type People = ReturnType<typeof people>;

/**
 * The web app over the file's harness (sign-in limits off, as many people sign in from 127.0.0.1) and its people.
 * `secondReviewer`: a second station-a reviewer, `he.station-reviewer`, for holding a task against a colleague (the
 * demo directory has one).
 */
export async function startInboxWeb(
  h: Harness,
  { secondReviewer = false, ...overrides }: Partial<AppDeps> & { secondReviewer?: boolean } = {},
): Promise<{ web: WebApp; who: People }> {
  const web = await startWeb(h, { signInLimits: UNLIMITED_SIGN_IN, ...overrides });
  if (secondReviewer) {
    await addAccount(h.deps.db, 'he.station-reviewer', 'He Ping (station A reviewer)', ['station-a:reviewers']);
  }
  return { web, who: people(web.base) };
}

/**
 * A test file's inbox web app on its harness: started before the file's tests (serially, so after the harness's own
 * hook: ava starts concurrent hooks together) and closed after them. Read `web` and `who` inside the tests.
 */
export function inboxWebFor(test: TestFn<Harness>, options?: Parameters<typeof startInboxWeb>[1]) {
  let started: { web: WebApp; who: People } | undefined;
  test.serial.before(async (t) => {
    started = await startInboxWeb(t.context, options);
  });
  test.after.always(async () => {
    await started?.web.close();
  });
  return {
    get web(): WebApp {
      return started!.web;
    },
    get who(): People {
      return started!.who;
    },
  };
}

export interface ReviewCase {
  number: string;
  taskId: string;
  /** The task's page. */
  path: string;
  /** The task in the JSON API. */
  api: string;
}

/** A new station-a case and its open station review task, listed in the reviewers' inbox. */
export async function stationReviewCase(h: Harness, who: People): Promise<ReviewCase> {
  const number = await intake(await who.api('sun.clerk'), applicationFor(Level.Primary));
  const { id: taskId } = await openTaskOf(h, number, TaskKind.StationReview);
  await listedFor(await who.api('li.station-reviewer'), number, taskId);
  return { number, taskId, path: `/tasks/${number}/${taskId}`, api: `/api/cases/${number}/tasks/${taskId}` };
}

/** Takes an application in through POST /api/applications; the clerk's station and province fill in the rest. */
export async function intake(clerk: Api, application: ApplicationInput): Promise<string> {
  const { stationId: _s, guidanceCenterId: _g, departmentId: _d, ...body } = application;
  const response = await clerk.post('/api/applications', body);
  if (response.status !== 201) throw new Error(`intake failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.applicationNumber;
}

export const caseHandle = (h: Harness, applicationNumber: string) =>
  h.client.workflow.getHandle<typeof applicationWorkflow>(workflowIdFor(applicationNumber));

export const openTaskOf = (h: Harness, applicationNumber: string, kind: TaskKind): Promise<HumanTask> =>
  waitForTask(caseHandle(h, applicationNumber), kind);

export interface ListedTask {
  applicationNumber: string;
  taskId: string;
  kind: string;
  stage: string;
  occupation: string;
  level: number;
  assignee: string | null;
  createdAt: string;
  dueAt: string;
  dueState: string;
  escalated: boolean;
  link: string;
}

/** The API's whole inbox for this query (every page), in the order it gives. */
export async function wholeInbox(api: Api, query = ''): Promise<ListedTask[]> {
  const tasks: ListedTask[] = [];
  let after: string | undefined;
  do {
    const response = await api.get(`/api/tasks?limit=100${query}${after ? `&after=${after}` : ''}`);
    if (response.status !== 200) throw new Error(`inbox: ${response.status} ${JSON.stringify(response.body)}`);
    tasks.push(...response.body.tasks);
    after = response.body.next;
  } while (after);
  return tasks;
}

export const isTask = (applicationNumber: string, taskId: string) => (task: ListedTask) =>
  task.applicationNumber === applicationNumber && task.taskId === taskId;

/** The workflow's records activity writes the projection moments after a change: wait until the inbox lists it. */
export function listedFor(api: Api, applicationNumber: string, taskId: string, query = ''): Promise<ListedTask> {
  return eventually(`${taskId} of ${applicationNumber} in the inbox`, async () =>
    (await wholeInbox(api, query)).find(isTask(applicationNumber, taskId)),
  );
}

/** A valid resident ID number, different for each `serial`. */
export function residentId(serial: number): string {
  const first17 = `11010519800101${String(serial % 1000).padStart(3, '0')}`;
  return first17 + idCheckCharacter(first17);
}

/** One more account in a group, with the demo password: a second station-a reviewer, say. */
export async function addAccount(db: Db, id: string, name: string, groups: string[]): Promise<void> {
  await db
    .insertInto('users')
    .values({
      id,
      name,
      organisation_id: groups[0].split(':')[0],
      password_hash: await hashPassword(DEMO_PASSWORD),
      created_at: new Date().toISOString(),
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  await db
    .insertInto('user_groups')
    .values(groups.map((group) => ({ user_id: id, group_name: group })))
    .onConflict((oc) => oc.columns(['user_id', 'group_name']).doNothing())
    .execute();
}

/** Text as the browser reads it from HTML that Handlebars escaped. */
export const unescape = (html: string): string =>
  html
    .replace(/&#x27;/g, "'")
    .replace(/&#x3D;/g, '=')
    .replace(/&#x60;/g, '`')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The value of a form field as the browser reads it (`<input … name='x' value='…'>`). */
export function inputValue(html: string, name: string): string | undefined {
  const tag = new RegExp(`<input[^>]*name='${name.replaceAll('.', '\\.')}'[^>]*>`).exec(html)?.[0];
  const value = tag && /value='([^']*)'/.exec(tag)?.[1];
  return value === undefined ? undefined : unescape(value);
}

/** The message shown beside a field (the fieldError partial). */
export function fieldMessage(html: string, id: string): string | undefined {
  return new RegExp(`id='${id}-error'>([^<]*)<`).exec(html)?.[1];
}

/** The first task of every case is its station review. */
export const STATION_REVIEW = 'station-review-1';

/** A task as the inbox table names its row: `<number>/<task id>`. */
export const rowKey = (applicationNumber: string, taskId = STATION_REVIEW) => `${applicationNumber}/${taskId}`;

export const rowKeys = (tasks: ListedTask[]) => tasks.map((task) => rowKey(task.applicationNumber, task.taskId));

/** The HTML of one row of the inbox table. */
export const rowHtml = (html: string, key: string) =>
  new RegExp(`<tr data-task='${key}'>[\\s\\S]*?</tr>`).exec(html)?.[0];

/** The rows of the inbox table, as `<number>/<task id>`. */
export function inboxRows(page: Page): string[] {
  return [...page.html.matchAll(/<tr data-task='([^']*)'>/g)].map((match) => match[1]);
}

export interface WebWithoutTemporal {
  base: string;
  db: Db;
  close(): Promise<void>;
}

/** startWebWithoutTemporal for one test: closed when the test ends. */
export async function webWithoutTemporalFor(
  t: ExecutionContext,
  overrides: Partial<AppDeps> = {},
): Promise<WebWithoutTemporal> {
  const web = await startWebWithoutTemporal(overrides);
  t.teardown(() => web.close());
  return web;
}

/** A sign-in over the API: its status (200, 401, 423 locked, 429 waiting). */
export async function signInStatus(base: string, username: string, password: string): Promise<number> {
  const response = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  return response.status;
}

/**
 * The app over a fresh database with the demo directory, and a Temporal client that never connects: for routes that
 * answer from the database alone, any call to Temporal would fail loudly instead of passing by accident.
 */
export async function startWebWithoutTemporal(overrides: Partial<AppDeps> = {}): Promise<WebWithoutTemporal> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'qualiflow-web-'));
  const db = await openDatabase(path.join(dir, 'qualiflow.db'));
  await seedDemoDirectory(db);
  const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  const server = await listen(
    createApp({
      client,
      db,
      temporalUiUrl: 'http://127.0.0.1:8233',
      namespace: 'default',
      personalDataKey: randomBytes(32),
      ...overrides,
    }),
    { port: 0, host: '127.0.0.1' },
  );
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    base: `http://127.0.0.1:${port}`,
    db,
    async close() {
      await server.close();
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
