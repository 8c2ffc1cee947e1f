/**
 * The public report form (/report) and its JSON twin (POST /api/reports): anyone may report a violation about a
 * certificate without an account. A report starts an investigation as the command line's does
 * (runtime/investigations.ts), its reporter recorded as the public (`PUBLIC_REPORTER`), never as a person; a contact the
 * reporter chooses to give goes with what happened, for the department to ask. The reporter gets the investigation's id
 * as the reference to quote. Every client address is held to a few reports an hour. The form carries a random token
 * from the moment it is shown, so a double click or a resent form files one report and answers with the same reference.
 */
import { randomBytes } from 'node:crypto';
import { Router, type Response } from 'express';
import type { TFunction } from 'i18next';
import { DEFAULT_LANGUAGE, translator } from '../../i18n';
import type { Db } from '../../records/database';
import { reportViolation, ReportRefused, type ReportOutcome } from '../../runtime/investigations';
import { RefusalType } from '../../workflows/definitions';
import { investigationIdFor, REPORT_CATEGORIES } from '../../workflows/investigationDefinitions';
import type { AppDeps } from '../app';
import { type PublicReport, PublicReportBody, PublicReportForm } from '../contract/investigations';
import { readForm, readJson, refusedOr } from '../contract/read';
import { tOf } from '../language';
import { messageText } from '../messageText';
import { rateLimit } from '../rateLimit';
import { HttpError } from '../temporalErrors';

/** Who reported, in the investigation's history: the public, with nothing that names the person. */
export const PUBLIC_REPORTER = 'public';

/** How long a repeated submission waits for the first one to finish filing. */
const REPEAT_WAIT_MS = 10_000;

export interface ReportsOptions {
  /** Reports per client address per hour, the page and the API together. */
  perHour?: number;
  now?: () => number;
}

interface ReportForm {
  certificateNumber: string;
  category: string;
  description: string;
  contact: string;
  /** The form's hidden token. */
  token: string;
}

/** A refused report: a status, and a message per field in the reader's language. */
interface Refusal {
  status: number;
  fields: Record<string, string>;
}

export function reportsRouter(deps: AppDeps, options: ReportsOptions = {}): Router {
  const router = Router();
  const limiter = rateLimit(deps.db, 'report', {
    limit: options.perHour ?? 10,
    perMs: 60 * 60_000,
    now: options.now,
    tooMany: 'publicReport:tooMany',
    reply: (res, said) => {
      const t = tOf(res);
      const message = messageText(t, said);
      if (res.req.originalUrl.startsWith('/api/')) res.json({ error: message });
      else res.render('error', { title: t('publicReport:tooManyTitle'), message });
    },
  });

  const formPage = (res: Response, typed: Partial<ReportForm>, errors: Record<string, string> = {}) => {
    const t = tOf(res);
    res.set('Cache-Control', 'no-store').set('X-Robots-Tag', 'noindex');
    res.render('report', {
      title: t('publicReport:title'),
      typed,
      errors,
      refused: Object.keys(errors).length > 0,
      categories: REPORT_CATEGORIES.map((value) => ({
        value,
        label: t(`publicReport:category.${value}`),
        selected: value === typed.category,
      })),
    });
  };

  router.get('/report', (req, res) => {
    // The verify page's link carries the certificate's number.
    const number = typeof req.query.number === 'string' ? req.query.number.slice(0, 40) : '';
    formPage(res, { certificateNumber: number, token: newToken() });
  });

  router.post('/report', limiter, async (req, res) => {
    const t = tOf(res);
    const form = formOf(req.body);
    const read = refusedOr(() => readForm(PublicReportForm, req.body, t));
    const filed = read.fields
      ? { status: 422, fields: read.fields }
      : await file(deps, t, { ...read.value, idempotencyKey: read.value.reportToken });
    if ('fields' in filed) {
      // What was typed stays, with the same token: the corrected form is still one report.
      res.status(filed.status);
      return formPage(res, { ...form, token: isToken(form.token) ? form.token : newToken() }, filed.fields);
    }
    res.set('Cache-Control', 'no-store');
    res.status(201).render('reportReceived', { title: t('publicReport:received.title'), reference: filed.reference });
  });

  router.post('/api/reports', limiter, async (req, res) => {
    const t = tOf(res);
    const report = readJson(PublicReportBody, req.body, t, t('publicReport:notFiled'));
    const filed = await file(deps, t, { ...report, idempotencyKey: report.idempotencyKey ?? newToken() });
    if ('fields' in filed) throw new HttpError(filed.status, t('publicReport:notFiled'), { fields: filed.fields });
    res.status(201).json({ reference: filed.reference });
  });

  return router;
}

const newToken = () => randomBytes(16).toString('base64url');
const isToken = (token: string) => /^[\w-]{16,64}$/.test(token);

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** What was typed, to show it again beside the refusals. */
function formOf(body: unknown): ReportForm {
  const source = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  return {
    certificateNumber: text(source.certificateNumber).slice(0, 60),
    category: text(source.category),
    description: text(source.description),
    contact: text(source.contact),
    token: text(source.reportToken),
  };
}

/** Files the report once per token (read by contract/investigations.ts); the reference, or what is wrong per field. */
async function file(
  deps: AppDeps,
  t: TFunction,
  report: PublicReport & { idempotencyKey: string },
): Promise<{ reference: string } | Refusal> {
  const { certificateNumber, category, description, contact, idempotencyKey } = report;
  try {
    const outcome = await once(deps.db, certificateNumber, idempotencyKey, () =>
      reportViolation(
        { client: deps.client, db: deps.db, taskQueue: deps.taskQueue },
        {
          certificateNumber,
          report: {
            reporter: PUBLIC_REPORTER,
            category,
            // The department reads the contact with the report, in its own language.
            description: contact
              ? `${description}\n\n${translator(DEFAULT_LANGUAGE)('publicReport:contactLine', { contact })}`
              : description,
          },
        },
      ),
    );
    return { reference: outcome.investigationId };
  } catch (error) {
    if (error instanceof StillFiling) throw new HttpError(503, t('publicReport:stillFiling'));
    if (!(error instanceof ReportRefused)) throw error;
    const status = error.type === RefusalType.NotFound ? 404 : error.type === RefusalType.Conflict ? 409 : 422;
    return { status, fields: { [error.field]: messageText(t, error.said) } };
  }
}

class StillFiling extends Error {}

/**
 * Files the report once per token. The token is claimed in the `sequences` table (name and number, the store the
 * investigation counter already uses), number 0 while filing and the investigation's number once filed; a repeat
 * waits for the first and answers its reference. A refused report gives its token back, so the corrected form files.
 */
async function once(
  db: Db,
  certificateNumber: string,
  token: string,
  fileIt: () => Promise<ReportOutcome>,
): Promise<ReportOutcome> {
  const name = `public-report:${certificateNumber}:${token}`;
  const deadline = Date.now() + REPEAT_WAIT_MS;
  for (;;) {
    const claimed = await db
      .insertInto('sequences')
      .values({ name, value: 0 })
      .onConflict((oc) => oc.column('name').doNothing())
      .executeTakeFirst();
    if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 1) {
      try {
        const outcome = await fileIt();
        const number = Number(outcome.investigationId.slice(outcome.investigationId.lastIndexOf('-') + 1));
        await db.updateTable('sequences').set({ value: number }).where('name', '=', name).execute();
        return outcome;
      } catch (error) {
        await db.deleteFrom('sequences').where('name', '=', name).execute();
        throw error;
      }
    }
    const row = await db.selectFrom('sequences').select('value').where('name', '=', name).executeTakeFirst();
    if (row && row.value > 0) {
      return { investigationId: investigationIdFor(certificateNumber, row.value), attached: true };
    }
    if (Date.now() > deadline) throw new StillFiling();
    // Still filing (or refused and given back, which the next claim finds out).
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
