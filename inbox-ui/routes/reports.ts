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
import { certificateNumberMistake } from '../../domain/certificateNumber';
import { typedText } from '../../domain/text';
import { DEFAULT_LANGUAGE, translator } from '../../i18n';
import type { Db } from '../../records/database';
import { reportViolation, ReportRefused, type ReportOutcome } from '../../runtime/investigations';
import { RefusalType } from '../../workflows/definitions';
import { investigationIdFor, REPORT_CATEGORIES, type ReportCategory } from '../../workflows/investigationDefinitions';
import type { AppDeps } from '../app';
import { tOf } from '../language';
import { messageText } from '../messageText';
import { rateLimit } from '../rateLimit';
import { HttpError } from '../temporalErrors';

/** Who reported, in the investigation's history: the public, with nothing that names the person. */
export const PUBLIC_REPORTER = 'public';

const CONTACT_MAX = 200;
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
  /** The idempotency key: the form's hidden token, or the API's `idempotencyKey`. */
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
    const filed = await file(deps, t, form);
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
    const body = (req.body ?? {}) as Record<string, unknown>;
    const form = formOf({ ...body, reportToken: body.idempotencyKey ?? newToken() });
    const filed = await file(deps, t, form);
    if ('fields' in filed) {
      // The API's callers send the form's token as `idempotencyKey`.
      const { reportToken, ...fields } = filed.fields;
      throw new HttpError(filed.status, t('publicReport:notFiled'), {
        fields: reportToken ? { ...fields, idempotencyKey: reportToken } : fields,
      });
    }
    res.status(201).json({ reference: filed.reference });
  });

  return router;
}

const newToken = () => randomBytes(16).toString('base64url');
const isToken = (token: string) => /^[\w-]{16,64}$/.test(token);

const text = (value: unknown) => (typeof value === 'string' ? value : '');

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

/** Checks the report at the edge, then files it once per token; the reference, or what is wrong per field. */
async function file(deps: AppDeps, t: TFunction, form: ReportForm): Promise<{ reference: string } | Refusal> {
  const fields: Record<string, string> = {};
  // People copy a number in groups, as it is printed ('Y000 1230 ...').
  const certificateNumber = form.certificateNumber.replace(/\s+/g, '').toUpperCase();
  const mistake = certificateNumber === '' ? undefined : certificateNumberMistake(certificateNumber);
  if (certificateNumber === '') fields.certificateNumber = t('publicReport:check.noNumber');
  else if (mistake) fields.certificateNumber = messageText(t, mistake);
  if (!REPORT_CATEGORIES.includes(form.category as ReportCategory)) {
    fields.category = t('publicReport:check.noCategory');
  }
  const description = typedText(form.description, 'description');
  if ('mistake' in description) fields.description = messageText(t, description.mistake);
  else if (description.text === '') fields.description = t('publicReport:check.noDescription');
  const contact = typedText(form.contact, 'contact');
  if ('mistake' in contact) fields.contact = messageText(t, contact.mistake);
  else if (contact.text.length > CONTACT_MAX) {
    fields.contact = t('publicReport:check.contactTooLong', { max: CONTACT_MAX, length: contact.text.length });
  }
  if (!isToken(form.token)) fields.reportToken = t('publicReport:check.formExpired');
  if (Object.keys(fields).length > 0) return { status: 422, fields };

  const said = 'text' in description ? description.text : '';
  const contactGiven = 'text' in contact ? contact.text : '';
  try {
    const outcome = await once(deps.db, certificateNumber, form.token, () =>
      reportViolation(
        { client: deps.client, db: deps.db, taskQueue: deps.taskQueue },
        {
          certificateNumber,
          report: {
            reporter: PUBLIC_REPORTER,
            category: form.category as ReportCategory,
            // The department reads the contact with the report, in its own language.
            description: contactGiven
              ? `${said}\n\n${translator(DEFAULT_LANGUAGE)('publicReport:contactLine', { contact: contactGiven })}`
              : said,
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
