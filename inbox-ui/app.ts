/**
 * The web app: the task inbox, intake, case pages, the administrators' console, the notification log and public
 * certificate verification, each as pages and as a JSON API described at /api/openapi.json. `createApp` builds the
 * app without listening, so tests drive it directly.
 *
 * Order matters: body parsers, then who is asking (session), then the CSRF check for anything that changes state,
 * then the routes, then 404, then one error handler that answers JSON under /api and a page elsewhere.
 */
import path from 'node:path';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { engine } from 'express-handlebars';
import multer from 'multer';
import type { Tracer } from '@opentelemetry/api';
import type { Client } from '@temporalio/client';
import type { SealKeys } from '../activities/seal';
import type { OccupationCatalogue } from '../domain/occupations';
import type { HolidayCalendar } from '../domain/workingDays';
import type { Db } from '../records/database';
import type { TrustProxy } from '../runtime/config';
import type { Logger } from '../runtime/log';
import { requireCsrf } from './auth/csrf';
import { intakeUploads, singleUpload } from './documentUpload';
import { isApi, loadSession, requireAdministrator, requireUser } from './auth/session';
import { chooseLanguage, languageRouter, readerTOf, tOf } from './language';
import { menuTaskCount } from './taskCount';
import { apiOptions, methodNotAllowed, refuseTrace } from './methodNotAllowed';
import { serveAssets } from './staticAssets';
import { securityHeaders } from './securityHeaders';
import { createMetrics, type AppMetrics } from './metrics';
import { openApiDocument } from './openapi';
import { readiness } from './readiness';
import { logOf, requestLog } from './requestLog';
import { traceRequests } from './tracing';
import { organisationsRouter } from './routes/organisations';
import { accountDetailsRouter } from './routes/accountDetails';
import { accountsRouter } from './routes/accounts';
import { adminRouter } from './routes/admin';
import { investigationPagesRouter } from './routes/investigationPages';
import { investigationsRouter } from './routes/investigations';
import { personalDataRouter } from './routes/personalData';
import { reportsRouter } from './routes/reports';
import { casesRouter } from './routes/cases';
import { printingRouter } from './routes/printing';
import { codecRouter } from './routes/codec';
import { commentsRouter } from './routes/comments';
import { inboxRouter } from './routes/inbox';
import { intakeRouter } from './routes/intake';
import { documentsRouter } from './routes/documents';
import { notificationsRouter } from './routes/notifications';
import { passwordRouter } from './routes/password';
import { savedViewsRouter } from './routes/savedViews';
import { type SignInLimits, sessionRouter } from './routes/session';
import { sessionPagesRouter } from './routes/sessionPages';
import { sessionsRouter } from './routes/sessions';
import { statisticsRouter } from './routes/statistics';
import { statusRouter } from './routes/status';
import { teamRouter } from './routes/team';
import { tasksRouter } from './routes/tasks';
import { verifyRouter } from './routes/verify';
import { HttpError, httpAnswerFor, httpStatusFor } from './temporalErrors';
import { helpers } from './viewHelpers';

export interface AppDeps {
  client: Client;
  db: Db;
  temporalUiUrl: string;
  namespace: string;
  /** The seal keys that public certificate verification checks signatures with. */
  seal?: SealKeys;
  /** Where intake starts cases; the worker's queue (tests give each file its own). */
  taskQueue?: string;
  catalogue?: OccupationCatalogue;
  signInLimits?: SignInLimits;
  /** Public reports (/report) per client address per hour; 10 unless told. */
  reportsPerHour?: number;
  /** Where the product is reached (PUBLIC_URL): the address a certificate's QR code points at, as the worker prints it. */
  publicUrl?: string;
  /** The clock due states are judged by; tests on the time-skipping server pass the server's. */
  now?: () => Date;
  /**
   * TRUST_PROXY: which hops' X-Forwarded-For and X-Forwarded-Proto to believe, so that behind a TLS proxy the
   * cookies are Secure and the sign-in limit counts the client's address. None by default.
   */
  trustProxy?: TrustProxy;
  /**
   * Whether the directory is the embedded demo's (seeded on SQLite, with the README's accounts): only then does the
   * sign-in page point visitors at the README for accounts and password.
   */
  demoDirectory?: boolean;
  /**
   * The HMAC key of the personal-data access log (records/personalDataAccess.ts): the one beside the seal keys
   * (`loadPersonalDataKey`, made on the first start); tests pass their own.
   */
  personalDataKey: Buffer;
  /**
   * SMTP is configured (SMTP_URL): the notices the app writes itself (a locked name, tasks sent back to a queue) are
   * queued for email, and the worker's delivery loop sends them as it does a case's. Logged only without it.
   */
  emailNotices?: boolean;
  /** METRICS_TOKEN: the bearer token the operator's scraper presents at /metrics; without it, loopback only. */
  metricsToken?: string;
  /** Where the operational log goes (runtime/log.ts); the process's by default, a test's own in tests. */
  log?: Logger;
  /** Made by createApp: the routes that time their own queries read it (inbox-ui/metrics.ts). */
  metrics?: AppMetrics;
  /** The policy's holiday calendar, for the statistics' working days; weekends only when not given. */
  calendar?: HolidayCalendar;
  /** With tracing on (runtime/tracing.ts): a span per request, the parent of the Temporal client's. */
  tracer?: Tracer;
}

export function createApp(given: AppDeps): express.Express {
  const deps: AppDeps = { ...given, metrics: given.metrics ?? createMetrics(given.db, { token: given.metricsToken }) };
  const app = express();
  // The flash store (inbox-ui/flash.ts) reads the database from here.
  app.locals.db = deps.db;
  const views = path.join(import.meta.dirname, 'views');
  app.engine(
    'hbs',
    engine({
      extname: '.hbs',
      defaultLayout: 'main',
      layoutsDir: path.join(views, 'layouts'),
      partialsDir: path.join(views, 'partials'),
      helpers,
    }),
  );
  app.set('view engine', 'hbs');
  app.set('views', views);
  // Compiled templates are kept (Express does so only with NODE_ENV=production); NODE_ENV=development re-reads them.
  app.set('view cache', process.env.NODE_ENV !== 'development');
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? false);
  // The pages' scripts and stylesheet, cached for a year under versioned links: before the no-store below, which
  // would win.
  serveAssets(app);
  app.use(securityHeaders);

  // Before the request log, whose lines then carry the trace id.
  if (deps.tracer) app.use(traceRequests(deps.tracer));
  app.use(requestLog(deps.log), deps.metrics!.timeRequests);

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/readyz', readiness(deps));
  app.get('/metrics', deps.metrics!.serve);
  app.use(apiOptions);
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });

  // Before the form parsers and the CSRF check: the Temporal Web UI's JSON calls, with their own limits and rules.
  app.use('/codec', codecRouter(deps));
  // Who is asking, before any body is read: a file is read into memory only for someone who may send it.
  app.use(loadSession(deps.db), chooseLanguage);
  app.use(
    readBodyOrRefuse(express.json({ limit: '200kb' })),
    readBodyOrRefuse(express.urlencoded({ extended: false, limit: '200kb' })),
  );
  // The forms that send files are read before the CSRF check, which needs their fields; a visitor's file is not read.
  app.post('/sessions/:id/scores/import', requireUser, readBodyOrRefuse(sheetUpload));
  app.post('/admin/organisations/import', requireUser, requireAdministrator, readBodyOrRefuse(registryUpload));
  // The intake form sends its documents' files with it; the API takes one file at a time (inbox-ui/documentUpload.ts).
  app.post('/applications', requireUser, readBodyOrRefuse(intakeUploads));
  app.post('/api/documents', requireUser, readBodyOrRefuse(singleUpload));
  app.use(refuseTrace, requireCsrf, menuTaskCount(deps.db));
  app.use('/', verifyRouter(deps));
  app.use('/', reportsRouter(deps, { perHour: deps.reportsPerHour }));
  app.use('/', languageRouter(deps));
  app.use('/', sessionRouter(deps));
  app.use('/', statusRouter(deps));
  app.use('/', inboxRouter(deps));
  app.use('/', savedViewsRouter(deps));
  app.use('/', teamRouter(deps));
  app.use('/', tasksRouter(deps));
  app.use('/', intakeRouter(deps));
  app.use('/', documentsRouter(deps));
  app.use('/', casesRouter(deps));
  app.use('/', printingRouter(deps));
  app.use('/', commentsRouter(deps));
  app.use('/', sessionsRouter(deps));
  app.use('/', sessionPagesRouter(deps));
  app.use('/', investigationsRouter(deps));
  app.use('/', investigationPagesRouter(deps));
  app.use('/', accountsRouter(deps));
  app.use('/', organisationsRouter(deps));
  app.use('/', accountDetailsRouter(deps));
  app.use('/', passwordRouter(deps));
  app.use('/', personalDataRouter(deps));
  app.use('/', statisticsRouter(deps));
  app.use('/', adminRouter(deps));
  app.use('/notifications', notificationsRouter(deps));

  app.use(methodNotAllowed);
  app.use((req, res) => {
    const message = tOf(res)('common:error.nothingAt', { path: req.path });
    if (isApi(req.path)) res.status(404).json({ error: message });
    else res.status(404).render('error', { title: tOf(res)('common:error.notFound'), message });
  });
  const onError: ErrorRequestHandler = async (error, req, res, _next) => {
    const t = readerTOf(res);
    const { status, message, code, fields } = await httpAnswerFor(error, t, deps.db);
    if (status >= 500) logOf(res).error({ err: error }, 'request failed');
    if (isApi(req.path))
      res.status(status).json({ error: message, ...(code && { code }), ...(fields && { errors: fields }) });
    else res.status(status).render('error', { title: t('common:error.status', { status }), message, fields });
  };
  app.use(onError);
  return app;
}

/** An organisation registry's file, from the registry page's import form: room for its 5,000 rows. */
const registryUpload = multer({
  storage: multer.memoryStorage(),
  limits: { files: 1, fileSize: 4 * 1024 * 1024 },
}).single('file');

/** A score sheet file in memory: one file, the size the JSON import takes too. */
const sheetUpload = multer({ storage: multer.memoryStorage(), limits: { files: 1, fileSize: 5 * 1024 * 1024 } }).single(
  'sheet',
);

/**
 * Anything that goes wrong while reading a request's body is the sender's: besides the parsers' own 4xx errors,
 * a body whose Content-Encoding (gzip, deflate, br) does not match its bytes fails inside zlib with an error that
 * carries no status, which would otherwise answer 500.
 */
function readBodyOrRefuse(parser: RequestHandler): RequestHandler {
  return (req, res, next) =>
    parser(req, res, (error?: unknown) => {
      const t = readerTOf(res);
      if (error === undefined || httpStatusFor(error, t).status < 500) return next(error);
      const reason = (error as Error).message ?? String(error);
      next(new HttpError(400, t('common:error.unreadableBody', { reason })));
    });
}
