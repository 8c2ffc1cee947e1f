/**
 * OpenTelemetry tracing as an operator's collector receives it: a real OTLP/HTTP receiver on a free port, a dev
 * server, a worker and the web app with tracing pointed at it through the configuration. One approval made through
 * the API is one trace: the web request's span, the client's Update, the workflow's update handler, and the
 * activities the decision caused; the request's log lines carry its trace id. With tracing off nothing is sent, and a
 * case traced on one worker replays on a worker without tracing.
 */
import { createServer, type Server } from 'node:http';
import anyTest, { type TestFn } from 'ava';
import { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { loadConfig } from '../../runtime/config';
import { encryptedDataConverter } from '../../runtime/encryption/dataConverter';
import { createLog } from '../../runtime/log';
import { clientInterceptors } from '../../runtime/temporal';
import { startTracing, type Tracing } from '../../runtime/tracing';
import { workflowIdFor } from '../../workflows/definitions';
import { createWorker, UNTRACED_SINKS, WORKFLOW_BUNDLE_OPTIONS } from '../../worker/worker';
import { eventually } from '../helpers/cases';
import { createHarness, workflowBundle, type Harness } from '../helpers/harness';
import { ENGLISH_TERMINAL } from '../helpers/terminal';
import type { WebApp } from '../helpers/web';
import { caseHandle, type People, stationReviewCase, startInboxWeb } from '../inbox/fixtures';

/** A span as OTLP/JSON carries it, with the service that sent it. */
interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}

interface LogLine {
  msg: string;
  requestId?: string;
  traceId?: string;
}

interface Context {
  receiver: Receiver;
  h: Harness;
  web: WebApp;
  who: People;
  webTracing: Tracing;
  workerTracing: Tracing;
  lines: LogLine[];
}

const test = anyTest as TestFn<Context>;

/**
 * The web app as inbox-ui/server.ts builds it, traced or not: its client made as runtime/temporal.ts makes it, and its
 * log lines kept for the test.
 */
async function webAppOf(h: Harness, tracing: Tracing | undefined, taskQueue?: string) {
  const client = new Client({
    connection: h.env.connection,
    namespace: 'default',
    dataConverter: encryptedDataConverter(h.payloadKeys),
    interceptors: clientInterceptors(tracing),
  });
  const lines: LogLine[] = [];
  const log = createLog('INFO', { write: (text: string) => void lines.push(JSON.parse(text) as LogLine) });
  // Without a queue of its own, the harness's: an option given as undefined would replace that default.
  const { web, who } = await startInboxWeb(h, {
    client,
    ...(taskQueue && { taskQueue }),
    tracer: tracing?.tracer,
    log,
  });
  return { web, who, lines };
}

test.before(async (t) => {
  const receiver = await startReceiver();
  // As an operator configures it; the processes add `/v1/traces`.
  const config = loadConfig({ ...ENGLISH_TERMINAL, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.base });
  const webTracing = startTracing(config.tracing, 'qualiflow-web')!;
  const workerTracing = startTracing(config.tracing, 'qualiflow-worker')!;
  const h = await createHarness({ flavour: 'dev-server', tracing: workerTracing });
  const { web, who, lines } = await webAppOf(h, webTracing);
  t.context = { receiver, h, web, who, webTracing, workerTracing, lines };
});

test.after.always(async (t) => {
  await t.context.web?.close();
  await t.context.h?.teardown();
  await Promise.all([t.context.webTracing?.shutdown(), t.context.workerTracing?.shutdown()]);
  await t.context.receiver?.close();
});

test.serial(
  'one trace follows an approval from the web request through the Update to the activities it caused',
  async (t) => {
    const { h, who, receiver, lines } = t.context;
    const review = await stationReviewCase(h, who);
    const reviewer = await who.api('li.station-reviewer');
    const approved = await reviewer.post(`${review.api}/approve`, { comment: 'Documents complete.' });
    t.is(approved.status, 200);
    await settledAfterUpdate(h, review.number);
    await flush(t.context);

    const spans = receiver.spans();
    // One route takes every decision on a task.
    const request = spans.find((span) => span.name === 'POST /api/cases/:number/tasks/:taskId/:action');
    t.like(
      request,
      {
        service: 'qualiflow-web',
        kind: 2, // SERVER
        attributes: { 'http.route': '/api/cases/:number/tasks/:taskId/:action', 'http.response.status_code': 200 },
      },
      names(spans),
    );
    const update = childOf(spans, request!, 'StartWorkflowUpdate:approveTask');
    t.is(update?.service, 'qualiflow-web');
    const handler = childOf(spans, update!, 'HandleUpdate:approveTask');
    t.is(handler?.service, 'qualiflow-worker');
    t.is(handler?.attributes.workflowId, workflowIdFor(review.number));
    // The decision's activities: the case's records, the notice to the next group.
    const scheduled = spans.filter((span) => span.parentSpanId === handler!.spanId);
    t.true(scheduled.length > 0 && scheduled.every((span) => span.name.startsWith('StartActivity:')), names(spans));
    for (const start of scheduled) {
      const run = childOf(spans, start, start.name.replace('StartActivity:', 'RunActivity:'));
      t.like(run, { service: 'qualiflow-worker', traceId: request!.traceId }, start.name);
    }

    const requestId = approved.headers.get('x-request-id');
    const ofRequest = lines.filter((line) => line.requestId === requestId);
    t.true(ofRequest.length > 0);
    t.true(
      ofRequest.every((line) => line.traceId === request!.traceId),
      'every line of the request names its trace',
    );
  },
);

test.serial('with tracing off nothing is sent', async (t) => {
  const { h, receiver } = t.context;
  const config = loadConfig({ ...ENGLISH_TERMINAL });
  t.is(config.tracing, undefined);
  const tracing = startTracing(config.tracing, 'qualiflow-worker');
  t.is(tracing, undefined);
  // A worker, a client and a web app of their own, on their own task queue, built as the processes build them.
  const taskQueue = `${h.taskQueue}-untraced`;
  const worker = await createWorker({
    connection: h.env.nativeConnection,
    namespace: 'default',
    deps: h.deps,
    taskQueue,
    dataConverter: encryptedDataConverter(h.payloadKeys),
    workflowBundle: await workflowBundle(),
    tracing,
  });
  const running = worker.run();
  t.teardown(async () => {
    worker.shutdown();
    await running;
  });
  const { web, who, lines } = await webAppOf(h, tracing, taskQueue);
  t.teardown(() => web.close());
  await flush(t.context);
  const before = receiver.requests();

  const review = await stationReviewCase(h, who);
  const approved = await (await who.api('li.station-reviewer')).post(`${review.api}/approve`, { comment: 'Fine.' });
  t.is(approved.status, 200);
  await settledAfterUpdate(h, review.number);
  await flush(t.context);
  t.is(receiver.requests(), before, 'nothing reached the collector');
  t.true(lines.length > 0);
  t.true(lines.every((line) => line.traceId === undefined));
});

test.serial(
  'a case traced on one worker replays on a worker with tracing off, and without the interceptors',
  async (t) => {
    const { h, who } = t.context;
    const review = await stationReviewCase(h, who);
    const reviewer = await who.api('li.station-reviewer');
    t.is((await reviewer.post(`${review.api}/approve`, { comment: 'Replayed.' })).status, 200);
    const history = await settledAfterUpdate(h, review.number);
    const dataConverter = encryptedDataConverter(h.payloadKeys);
    // The same bundle, the spans dropped: what createWorker gives a worker without tracing.
    await t.notThrowsAsync(
      Worker.runReplayHistory(
        { workflowBundle: await workflowBundle(), dataConverter, sinks: UNTRACED_SINKS },
        history,
      ),
    );
    // The workflow code alone: the interceptors change nothing a replay compares (the recorded histories, written
    // without them, replay with them in test/replay/replay.test.ts).
    const { workflowInterceptorModules: _, ...workflowsAlone } = WORKFLOW_BUNDLE_OPTIONS;
    const bundle = await bundleWorkflowCode({ ...workflowsAlone, logger: quietLogger });
    await t.notThrowsAsync(Worker.runReplayHistory({ workflowBundle: bundle, dataConverter }, history));
  },
);

const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} };

// ---- The collector ----

interface Receiver {
  /** The collector's base address, as OTEL_EXPORTER_OTLP_ENDPOINT names it. */
  base: string;
  /** How many export requests arrived. */
  requests(): number;
  spans(): ReceivedSpan[];
  close(): Promise<void>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  boolValue?: boolean;
}

interface ExportTraceServiceRequest {
  resourceSpans: {
    resource: { attributes: { key: string; value: OtlpValue }[] };
    scopeSpans: {
      spans: (Omit<ReceivedSpan, 'service' | 'attributes'> & { attributes: { key: string; value: OtlpValue }[] })[];
    }[];
  }[];
}

/** An OTLP/HTTP receiver: collects the JSON ExportTraceServiceRequests POSTed to /v1/traces. */
async function startReceiver(): Promise<Receiver> {
  const bodies: ExportTraceServiceRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces' || req.headers['content-type'] !== 'application/json') {
        res.writeHead(404).end();
        return;
      }
      bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as ExportTraceServiceRequest);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    base: `http://127.0.0.1:${port}`,
    requests: () => bodies.length,
    spans: () =>
      bodies.flatMap((body) =>
        body.resourceSpans.flatMap(({ resource, scopeSpans }) => {
          const service = String(valueOf(resource.attributes.find((a) => a.key === 'service.name')?.value));
          return scopeSpans.flatMap(({ spans }) =>
            spans.map((span) => ({
              ...span,
              service,
              attributes: Object.fromEntries(span.attributes.map((a) => [a.key, valueOf(a.value)])),
            })),
          );
        }),
      ),
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

const valueOf = (value: OtlpValue | undefined): unknown =>
  value?.stringValue ?? (value?.intValue === undefined ? value?.boolValue : Number(value.intValue));

/** The span named `name` whose parent is `parent`, in the parent's trace. */
function childOf(spans: ReceivedSpan[], parent: ReceivedSpan, name: string): ReceivedSpan | undefined {
  return spans.find(
    (span) => span.name === name && span.traceId === parent.traceId && span.parentSpanId === parent.spanId,
  );
}

const names = (spans: ReceivedSpan[]) =>
  spans.map((span) => `${span.service} ${span.name} ${span.spanId} <- ${span.parentSpanId}`).join('\n');

/** Both processes' spans, sent and answered. */
async function flush({ webTracing, workerTracing }: Context): Promise<void> {
  await Promise.all([webTracing.flush(), workerTracing.flush()]);
}

const { EventType } = proto.temporal.api.enums.v1;

/**
 * The case's history once the work of its last update is done: every activity scheduled after the update has
 * completed and the workflow task that took its result has completed too. By then every span of that work has ended
 * and is in its processor: an activity's when it returned, the workflow's when the worker handed them to the sink,
 * before it completed the workflow task.
 */
async function settledAfterUpdate(h: Harness, applicationNumber: string) {
  const handle = caseHandle(h, applicationNumber);
  return eventually(`the work of the decision on ${applicationNumber}`, async () => {
    const history = await handle.fetchHistory();
    const events = history.events ?? [];
    const lastOf = (type: number) => events.map((event) => event.eventType).lastIndexOf(type);
    // Accepted comes before whatever the update's workflow task scheduled; its completion may come after.
    const update = lastOf(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
    if (update < 0) return undefined;
    const after = events.slice(update);
    const scheduled = after.filter((event) => event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
    const completed = new Set(
      after.flatMap((event) => {
        const done = event.activityTaskCompletedEventAttributes;
        return done ? [String(done.scheduledEventId)] : [];
      }),
    );
    const activitiesDone = scheduled.length > 0 && scheduled.every((event) => completed.has(String(event.eventId)));
    const taskDone =
      lastOf(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) > lastOf(EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
    return activitiesDone && taskDone ? history : undefined;
  });
}
