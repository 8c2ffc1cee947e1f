/**
 * /api/openapi.json describes the API the app really has: every `/api` route createApp registers, with its method,
 * and nothing it does not register. The routes are read from the app's own router (router 2's `listRoutes`), so a
 * route added without its description, or a description left behind by a removed route, fails here.
 */
import { randomBytes } from 'node:crypto';
import anyTest, { type TestFn } from 'ava';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../inbox-ui/app';
import { TASK_ACTIONS } from '../../inbox-ui/taskActions';
import { openDatabase } from '../../records/database';
import { apiClient } from '../helpers/web';
import { startWebWithoutTemporal, type WebWithoutTemporal } from './fixtures';

const test = anyTest as TestFn<WebWithoutTemporal>;

test.before(async (t) => {
  t.context = await startWebWithoutTemporal();
});
test.after.always(async (t) => {
  await t.context?.close();
});

interface ListedRoute {
  path: string | RegExp;
  methods?: string[];
  router?: Listable;
}
interface Listable {
  listRoutes?: () => ListedRoute[];
}

interface Operation {
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean }[];
  responses?: Record<string, unknown>;
}
interface OpenApi {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
}

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** `METHOD /path/{param}` for every route of a router and the routers mounted on it. */
function routesOf(router: Listable, prefix = ''): string[] {
  if (typeof router.listRoutes !== 'function') throw new Error('this version of router cannot list its routes');
  return router.listRoutes().flatMap(({ path, methods, router: mounted }) => {
    if (typeof path !== 'string') throw new Error(`a route by pattern (${String(path)}) cannot be described`);
    const full = prefix + (path === '/' ? '' : path);
    if (mounted) return routesOf(mounted, full);
    const openApiPath = full.replace(/:(\w+)/g, '{$1}');
    return methods!.filter((method) => method !== 'HEAD').map((method) => `${method} ${openApiPath}`);
  });
}

/** The task actions are one route with an `:action` parameter; the document describes each action as its own path. */
const ACTION_ROUTE = '/api/cases/{number}/tasks/{taskId}/{action}';
const expandActions = (route: string): string[] =>
  route.endsWith(ACTION_ROUTE) ? TASK_ACTIONS.map((action) => route.replace('{action}', action)) : [route];

async function registeredApiRoutes(): Promise<string[]> {
  const db = await openDatabase(':memory:');
  try {
    const app = createApp({
      client: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }),
      db,
      temporalUiUrl: 'http://127.0.0.1:8233',
      namespace: 'default',
      personalDataKey: randomBytes(32),
    });
    const routes = routesOf(app.router as unknown as Listable);
    return [...new Set(routes.filter((route) => route.split(' ')[1].startsWith('/api/')).flatMap(expandActions))];
  } finally {
    await db.destroy();
  }
}

async function servedDocument(base: string): Promise<OpenApi> {
  const response = await apiClient(base).get('/api/openapi.json');
  if (response.status !== 200) throw new Error(`GET /api/openapi.json: ${response.status}`);
  return response.body as OpenApi;
}

const documentedRoutes = (doc: OpenApi): string[] =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((key) => HTTP_METHODS.includes(key))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );

test('the OpenAPI document is OpenAPI 3, served to anyone without signing in', async (t) => {
  const response = await fetch(`${t.context.base}/api/openapi.json`);
  t.is(response.status, 200);
  t.regex(response.headers.get('content-type') ?? '', /^application\/json/);
  const doc = (await response.json()) as OpenApi;
  t.regex(doc.openapi, /^3\.\d+\.\d+$/);
  t.is(doc.info.title, 'Qualiflow API');
  t.true(Object.keys(doc.paths).length > 0);
});

test('every /api route the app registers is described, and nothing else is', async (t) => {
  const registered = (await registeredApiRoutes()).sort();
  const documented = documentedRoutes(await servedDocument(t.context.base)).sort();
  // The walk itself must have found the routes, or the comparison below proves nothing.
  t.true(registered.includes('GET /api/tasks') && registered.includes('POST /api/cases/{number}/tasks/{taskId}/claim'));
  t.deepEqual(
    registered.filter((route) => !documented.includes(route)),
    [],
    'registered but not described',
  );
  t.deepEqual(
    documented.filter((route) => !registered.includes(route)),
    [],
    'described but not registered',
  );
});

test('every path parameter is declared, and every operation says what it answers', async (t) => {
  const doc = await servedDocument(t.context.base);
  for (const [path, item] of Object.entries(doc.paths)) {
    const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
    for (const method of Object.keys(item).filter((key) => HTTP_METHODS.includes(key))) {
      const operation = item[method];
      const declared = (operation.parameters ?? [])
        .filter((parameter) => parameter.in === 'path' && parameter.required)
        .map((parameter) => parameter.name)
        .sort();
      t.deepEqual(declared, inPath, `${method.toUpperCase()} ${path}: path parameters`);
      t.true(Object.keys(operation.responses ?? {}).length > 0, `${method.toUpperCase()} ${path}: responses`);
    }
  }
});

test('the operations described as public answer without a sign-in, and all the others answer 401', async (t) => {
  const doc = await servedDocument(t.context.base);
  const anonymous = apiClient(t.context.base);
  for (const route of documentedRoutes(doc)) {
    const [method, path] = route.split(' ');
    const operation = doc.paths[path][method.toLowerCase()];
    const url = path.replace(/\{\w+\}/g, 'X-1');
    const response =
      method === 'GET'
        ? await anonymous.get(url)
        : method === 'DELETE'
          ? await anonymous.delete(url)
          : await anonymous.post(url, {});
    const isPublic = Array.isArray(operation.security) && operation.security.length === 0;
    if (isPublic) t.not(response.status, 401, `${route} is described as public`);
    else t.is(response.status, 401, `${route} is described as needing a sign-in`);
  }
});
