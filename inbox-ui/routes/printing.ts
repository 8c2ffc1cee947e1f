/**
 * Printing certificates. The printer (the department's approvers, who hold a case's print task) downloads a sealed
 * certificate's PDF from the print task, or the PDFs of several print tasks as one ZIP file, and then marks them
 * printed: the print task's approval, one by one or in bulk from the inbox.
 *
 * Once printed, a certificate is printed again only with a reason (a misprint, a jammed printer, a spoilt sheet).
 * Each reprint is in the audit chain, and it is the same document: the same number and the same bytes, rendered from
 * the sealed content, never a new number.
 */
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { zipSync } from 'fflate';
import type { TFunction } from 'i18next';
import { certificatePdfBytes } from '../../activities/certificateDocument';
import { appendAudit } from '../../records/audit';
import type { User } from '../../records/directory';
import { type CaseView, type HumanTask, TaskKind, TaskStatus, workflowIdFor } from '../../workflows/definitions';
import type { AppDeps } from '../app';
import { isAdministrator, maySeePersonalData } from '../auth/access';
import { requireUser, userOf } from '../auth/session';
import { type Flash, setFlash } from '../flash';
import { tOf } from '../language';
import { type ShownCase, withRemovalShown } from '../personalDataRemoved';
import { caseShown } from '../personalDataShown';
import { type TaskRef, visibleCase } from '../taskActions';
import { backTo, readRefs } from './inbox';
import { HttpError, httpAnswerFor } from '../temporalErrors';
import { PrintBatchBody, ReprintBody } from '../contract/cases';
import { readForm, readJson } from '../contract/read';

/**
 * The case page's reprint form, for the printer of a printed certificate: a fresh request id for each page, and what
 * a refused reprint had typed with its message.
 */
export function reprintForm(user: User, view: ShownCase, flash: Flash | undefined) {
  const { certificate } = view;
  if (!certificate?.seal || !certificate.printedAt || view.personalDataRemoved) return undefined;
  if (!maySeePersonalData(user, view) || !mayPrint(user, view)) return undefined;
  const refused = flash?.about === 'reprint' ? flash : undefined;
  return { requestId: randomUUID(), reason: refused?.typed?.reason ?? '', error: refused?.fields?.reason };
}

export function printingRouter(deps: AppDeps): Router {
  const router = Router();

  /**
   * The sealed certificate as a PDF, for those who may see the case and its candidate (anyone else: 404, as for a case
   * that is not there), until it is printed; after that, only as a reprint. Rendered again, in memory, from the
   * content its seal covers by the function whose bytes the worker's activity writes to its file; rendering is
   * deterministic, so every download is the printed document.
   */
  router.get('/cases/:number/certificate.pdf', requireUser, async (req, res) => {
    const user = userOf(res);
    const t = tOf(res);
    const view = await printableCase(deps, user, String(req.params.number), t);
    const { printedAt } = view.certificate!;
    if (printedAt) throw new HttpError(409, t('case:reprint.alreadyPrinted', { number: view.certificate!.number }));
    // The holder's name and ID number are on it.
    await caseShown(deps, user, view, 'certificate-pdf', openPrintTask(view));
    sendPdf(res, view.certificate!.number, await pdfOf(deps, req, view));
  });

  router.post('/cases/:number/certificate/reprint', requireUser, async (req, res) => {
    const t = tOf(res);
    const number = String(req.params.number);
    try {
      const { certificate, pdf } = await reprint(deps, req, res, number, readForm);
      sendPdf(res, certificate, pdf);
    } catch (error) {
      const { status, message, fields } = await answerOf(error, t, deps);
      if (status >= 500) throw error;
      const typed = { reason: typeof req.body?.reason === 'string' ? req.body.reason : '' };
      await setFlash(res, req, { kind: 'error', message, about: 'reprint', typed, fields });
      res.redirect(303, `/cases/${encodeURIComponent(number)}#reprint`);
    }
  });

  router.post('/api/cases/:number/certificate/reprint', requireUser, async (req, res) => {
    const { certificate, pdf } = await reprint(deps, req, res, String(req.params.number), readJson);
    sendPdf(res, certificate, pdf);
  });

  /** The inbox's selected print tasks as one ZIP file; a refusal goes back to the list, saying which task and why. */
  router.post('/inbox/print-batch', requireUser, async (req, res) => {
    const t = tOf(res);
    const refs = readRefs(req.body?.tasks);
    const back = backTo(req.get('referer'));
    if (refs.length === 0) {
      await setFlash(res, req, { kind: 'error', message: t('case:printBatch.noneChosen') });
      return res.redirect(303, back);
    }
    try {
      sendZip(res, await batchOf(deps, userOf(res), refs, t));
    } catch (error) {
      const { status, message } = await answerOf(error, t, deps);
      if (status >= 500) throw error;
      await setFlash(res, req, { kind: 'error', message });
      res.redirect(303, back);
    }
  });

  router.post('/api/tasks/print-batch', requireUser, async (req, res) => {
    const t = tOf(res);
    const { tasks } = readJson(PrintBatchBody, req.body, t);
    sendZip(res, await batchOf(deps, userOf(res), tasks, t));
  });

  return router;
}

/** The case, with a sealed certificate this user may print or see printed; otherwise 404, saying nothing more. */
async function printableCase(deps: AppDeps, user: User, number: string, t: TFunction): Promise<CaseView> {
  const view = await withRemovalShown(deps.db, await visibleCase(deps.client, user, number, t));
  if (!printable(deps, user, view)) throw new HttpError(404, t('case:certificate.notReady', { number }));
  return view;
}

/** A sealed certificate whose holder this user may see. */
const printable = (deps: AppDeps, user: User, view: ShownCase): boolean =>
  // After the retention period the case's documents are gone; the registry keeps the certificate for verification.
  !!view.certificate?.seal && !!deps.seal && maySeePersonalData(user, view) && !view.personalDataRemoved;

const printTaskOf = (view: CaseView): HumanTask | undefined =>
  view.tasks.find((task) => task.kind === TaskKind.CertificatePrint);

const openPrintTask = (view: CaseView): HumanTask | undefined => {
  const task = printTaskOf(view);
  return task?.status === TaskStatus.Open ? task : undefined;
};

/** The printer: whoever holds or supervises the case's print task, or an administrator. */
export function mayPrint(user: User, view: CaseView): boolean {
  const task = printTaskOf(view);
  return (
    isAdministrator(user) ||
    (!!task && [task.candidateGroup, task.supervisingGroup].some((group) => user.roles.includes(group)))
  );
}

/**
 * Checks the printer and the reason (read from the form's text or the API's JSON, one declaration), writes the reprint to the audit chain, and renders the document. The form's
 * request id makes a double click one reprint: its second post finds the entry already there.
 */
async function reprint(
  deps: AppDeps,
  req: Request,
  res: Response,
  number: string,
  read: typeof readJson,
): Promise<{ certificate: string; pdf: Buffer }> {
  const user = userOf(res);
  const t = tOf(res);
  const view = await printableCase(deps, user, number, t);
  const certificate = view.certificate!;
  if (!mayPrint(user, view)) throw new HttpError(403, t('case:reprint.notPrinter', { number: certificate.number }));
  const { reason, requestId } = read(ReprintBody, req.body, t, t('case:reprint.reasonNeeded'));
  if (!certificate.printedAt) {
    throw new HttpError(409, t('case:reprint.notPrinted', { number: certificate.number }));
  }
  await caseShown(deps, user, view, 'certificate-pdf');
  await appendAudit(
    deps.db,
    {
      at: (deps.now ?? (() => new Date()))().toISOString(),
      actor: user.id,
      action: 'certificate-reprinted',
      workflowId: workflowIdFor(view.applicationNumber),
      comment: reason,
      details: { certificateNumber: certificate.number },
    },
    `certificate-reprinted:${certificate.number}:${requestId ?? randomUUID()}`,
  );
  return { certificate: certificate.number, pdf: await pdfOf(deps, req, view) };
}

/**
 * Every chosen task must be an open print task this user may print, with its certificate sealed; otherwise nothing is
 * sent, and the refusal names the first task that is not. One ZIP entry per certificate, stored uncompressed (a PDF is
 * compressed already), each the same bytes as its single download.
 */
async function batchOf(deps: AppDeps, user: User, refs: TaskRef[], t: TFunction): Promise<Record<string, Uint8Array>> {
  const cases: CaseView[] = [];
  for (const ref of refs) {
    const view = await withRemovalShown(deps.db, await visibleCase(deps.client, user, ref.applicationNumber, t));
    const task = view.tasks.find((candidate) => candidate.id === ref.taskId);
    const open = task?.kind === TaskKind.CertificatePrint && task.status === TaskStatus.Open;
    if (!open || !mayPrint(user, view) || !printable(deps, user, view)) {
      throw new HttpError(409, t('case:printBatch.notPrintable', { number: ref.applicationNumber }));
    }
    cases.push(view);
  }
  const files: Record<string, Uint8Array> = {};
  for (const view of cases) {
    await caseShown(deps, user, view, 'certificate-pdf', openPrintTask(view));
    const { number } = view.certificate!;
    files[`${number}.pdf`] = await pdfOf(deps, undefined, view);
  }
  return files;
}

async function pdfOf(deps: AppDeps, req: Request | undefined, view: CaseView): Promise<Buffer> {
  const publicUrl = deps.publicUrl ?? (req ? `${req.protocol}://${req.get('host')}` : '');
  const photo = view.application.documents.find((document) => document.kind === 'photo');
  const { pdf } = await certificatePdfBytes(
    { db: deps.db, seal: deps.seal!, publicUrl },
    { number: view.certificate!.number, photoReference: photo?.reference },
  );
  return pdf;
}

function sendPdf(res: Response, number: string, pdf: Buffer): void {
  res.type('application/pdf').attachment(`${number}.pdf`).send(pdf);
}

function sendZip(res: Response, files: Record<string, Uint8Array>): void {
  // A fixed time in every entry: the same certificates make the same file.
  const zip = zipSync(files, { level: 0, mtime: new Date('2000-01-01T00:00:00Z') });
  res.type('application/zip').attachment('certificates.zip').send(Buffer.from(zip));
}

async function answerOf(error: unknown, t: TFunction, deps: AppDeps) {
  const fields = error instanceof HttpError ? error.fields : undefined;
  return { ...(await httpAnswerFor(error, t, deps.db)), fields };
}
