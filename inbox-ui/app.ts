/**
 * The web app: a status page for the engine, the notification log, and read-only views of a case and its tasks.
 * The full inbox (sign-in, forms, filters) is its own issue; this keeps every link a notice carries working.
 * `createApp` builds the app without listening, so tests drive it directly.
 */
import path from 'node:path';
import express, { type ErrorRequestHandler } from 'express';
import { engine } from 'express-handlebars';
import type { Client } from '@temporalio/client';
import type { SealKeys } from '../activities/seal';
import type { Db } from '../records/database';
import { casesRouter } from './routes/cases';
import { notificationsRouter } from './routes/notifications';
import { statusRouter } from './routes/status';
import { verifyRouter } from './routes/verify';
import { httpStatusFor } from './temporalErrors';
import { helpers } from './viewHelpers';

export interface AppDeps {
  client: Client;
  db: Db;
  temporalUiUrl: string;
  namespace: string;
  /** The seal keys that public certificate verification checks signatures with. */
  seal?: SealKeys;
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
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
  app.disable('x-powered-by');

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.use('/', statusRouter(deps));
  app.use('/notifications', notificationsRouter(deps));
  app.use('/', casesRouter(deps));
  app.use('/', verifyRouter(deps));

  app.use((req, res) => {
    res.status(404).render('error', { title: 'Not found', message: `Nothing at ${req.path}.` });
  });
  const onError: ErrorRequestHandler = (error, req, res, _next) => {
    const { status, message } = httpStatusFor(error);
    if (status >= 500) console.error(error);
    if (req.path.startsWith('/api/')) res.status(status).json({ error: message });
    else res.status(status).render('error', { title: `Error ${status}`, message });
  };
  app.use(onError);
  return app;
}
