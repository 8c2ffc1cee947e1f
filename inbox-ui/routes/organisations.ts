/**
 * The organisation registry, for administrators: the list with each station's reporting line and coding block, a
 * form to add an organisation and one to change it (GET/PUT /api/admin/organisations…), and an import from a CSV,
 * XLSX or JSON file, previewed before anything is saved (POST /api/admin/organisations/import). Every save is checked
 * as a whole and written with its audit entries (records/organisations.ts).
 */
import express, { type Request, type Response, Router } from 'express';
import type { TFunction } from 'i18next';
import type { AppDeps } from '../app';
import {
  findRegistryEntry,
  listRegistry,
  ORGANISATION_KINDS,
  organisationAuditKey,
  type OrganisationEntry,
  RegistryRefused,
  saveOrganisations,
} from '../../records/organisations';
import { requireAdministrator, requireUser, userOf } from '../auth/session';
import {
  BLOCK_FIELDS,
  ImportQuery,
  OrganisationBody,
  OrganisationId,
  OrganisationRow,
  toEntry,
  toFields,
} from '../contract/organisations';
import { readForm, readJson, readQuery } from '../contract/read';
import { keepForConfirmation, setFlash, takeFlash, takeForConfirmation, typedFields } from '../flash';
import { tOf } from '../language';
import { messageText } from '../messageText';
import { directoryOf } from '../names';
import {
  blockText,
  type ImportPreview,
  PREVIEW_COLUMNS,
  previewImport,
  readOrganisationFile,
} from '../organisationImport';
import { historyRows, recordHistory } from '../recordHistory';
import { HttpError } from '../temporalErrors';

const LIST = '/admin/organisations';
/** How long a previewed file waits for its confirmation. */
const PREVIEW_KEPT_MINUTES = 60;
const FORM_FIELDS = ['id', 'name', 'kind', 'province', 'guidanceCenterId', 'departmentId', ...BLOCK_FIELDS];

export function organisationsRouter({ db, now = () => new Date() }: AppDeps): Router {
  const router = Router();
  router.use([LIST, '/api/admin/organisations'], requireUser, requireAdministrator);

  /** The organisation's entries in the audit chain, each stored entry read as the form's fields. */
  const historyOf = (id: string) =>
    recordHistory(db, organisationAuditKey(id), (stored: OrganisationEntry) => toFields(stored));

  /** Saves entries as one change; a refusal names each field, in the reader's words. */
  const save = async (res: Response, entries: OrganisationEntry[]) => {
    try {
      return await saveOrganisations(db, entries, { by: userOf(res).id, now: now() });
    } catch (error) {
      if (!(error instanceof RegistryRefused)) throw error;
      throw await refusal(error, tOf(res));
    }
  };
  const refusal = async (error: RegistryRefused, t: TFunction) => {
    const directory = await directoryOf(db, t);
    const fields: Record<string, string> = {};
    for (const [id, problems] of error.problems) {
      for (const [field, said] of Object.entries(problems)) {
        fields[error.problems.size > 1 ? `${id}.${field}` : field] = messageText(t, said, directory);
      }
    }
    return new HttpError(422, t('organisations:refused.summary'), { fields });
  };

  router.get(LIST, async (req, res) => {
    const flash = await takeFlash(req, res);
    res.render('organisations', await pageModel(req, res, { flash }));
  });

  // Before LIST/:id, which would take `import` for an organisation's id.
  /**
   * The file, previewed: answered with the page itself, since nothing changed. A preview without mistakes keeps its
   * rows on the server for an hour, for its confirming form to name (flash.ts keepForConfirmation).
   */
  router.post(`${LIST}/import`, async (req, res) => {
    const t = tOf(res);
    const file = (req as Request & { file?: Express.Multer.File }).file;
    try {
      const rows = await readOrganisationFile(file?.buffer ?? Buffer.alloc(0), t);
      const preview = previewImport(rows, await listRegistry(db), t, await directoryOf(db, t));
      const kept = preview.valid
        ? await keepForConfirmation(
            res,
            req,
            preview.rows.map((row) => row.fields),
            PREVIEW_KEPT_MINUTES,
          )
        : undefined;
      res
        .status(preview.valid ? 200 : 422)
        .render('organisations', await pageModel(req, res, { preview, kept, fileName: file?.originalname }));
    } catch (error) {
      if (!(error instanceof HttpError) || error.status >= 500) throw error;
      res.status(error.status).render('organisations', await pageModel(req, res, { importError: error.message }));
    }
  });

  /** The kept rows, read and checked again as they are saved; gone once confirmed, or after the hour. */
  router.post(`${LIST}/import/confirm`, async (req, res) => {
    const t = tOf(res);
    try {
      const rows = await takeForConfirmation(req, res, req.body?.preview);
      if (rows === undefined) throw new HttpError(409, t('organisations:import.previewGone'));
      const read = await readOrganisationFile(rows, t);
      const preview = previewImport(read, await listRegistry(db), t, await directoryOf(db, t));
      if (!preview.valid) throw new HttpError(422, importRefused(t, preview));
      const change = await save(res, preview.entries);
      await setFlash(res, req, { kind: 'ok', message: importedMessage(t, change) });
    } catch (error) {
      if (!(error instanceof HttpError) || error.status >= 500) throw error;
      await setFlash(res, req, { kind: 'error', message: error.message });
    }
    res.redirect(303, LIST);
  });

  router.get(`${LIST}/:id`, async (req, res) => {
    const t = tOf(res);
    const entry = await findRegistryEntry(db, String(req.params.id));
    if (!entry) throw new HttpError(404, t('organisations:unknown', { id: String(req.params.id) }));
    const flash = await takeFlash(req, res);
    const history = historyRows(await historyOf(entry.id), t, await directoryOf(db, t), {
      fieldLabel: (field) => t(`organisations:field.${field}`, { defaultValue: field }),
      valueText: (field, value) => (field === 'kind' ? t(`labels:organisationKind.${value}`) : value),
    });
    res.render('organisations', { ...(await pageModel(req, res, { flash, editing: entry })), history });
  });

  /** The add form (at LIST) and the change form (at LIST/<id>); a refusal goes back to the same form, as typed. */
  const fromForm = (editing: boolean) => async (req: Request, res: Response) => {
    const t = tOf(res);
    const id = editing ? String(req.params.id) : String(req.body?.id ?? '');
    const back = editing ? `${LIST}/${encodeURIComponent(id)}` : LIST;
    try {
      const fields = readForm(OrganisationRow, { ...req.body, ...(editing && { id }) }, t);
      const known = await findRegistryEntry(db, fields.id);
      if (!editing && known) {
        throw new HttpError(422, t('common:validation.summary'), {
          fields: { id: t('organisations:refused.exists', { id: fields.id }) },
        });
      }
      if (editing && !known) throw new HttpError(404, t('organisations:unknown', { id }));
      const change = await save(res, [toEntry(fields.id, fields)]);
      await setFlash(res, req, { kind: 'ok', message: savedMessage(t, change, fields.name) });
      res.redirect(303, LIST);
    } catch (error) {
      if (!(error instanceof HttpError) || error.status === 404 || error.status >= 500) throw error;
      await setFlash(res, req, {
        kind: 'error',
        message: error.message,
        about: 'organisation',
        typed: typedFields(req.body, FORM_FIELDS),
        fields: error.fields,
      });
      res.redirect(303, back);
    }
  };
  router.post(LIST, fromForm(false));
  router.post(`${LIST}/:id`, fromForm(true));

  router.get('/api/admin/organisations', async (_req, res) => {
    res.json({ organisations: (await listRegistry(db)).map(toFields) });
  });

  router.get('/api/admin/organisations/:organisation/history', async (req, res) => {
    const id = String(req.params.organisation);
    if (!(await findRegistryEntry(db, id))) throw new HttpError(404, tOf(res)('organisations:unknown', { id }));
    res.json({ history: await historyOf(id) });
  });

  router.put('/api/admin/organisations/:organisation', async (req, res) => {
    const t = tOf(res);
    const id = String(req.params.organisation);
    // The id is the path's, held to the same rule as a form's.
    const { id: checked } = readJson(OrganisationId, { id }, t);
    const fields = readJson(OrganisationBody, req.body, t);
    const change = await save(res, [toEntry(checked, fields)]);
    const saved = await findRegistryEntry(db, checked);
    res
      .status(change.created.length > 0 ? 201 : 200)
      .json({ message: savedMessage(t, change, fields.name), organisation: saved && toFields(saved) });
  });

  // A CSV or XLSX file as the body; a JSON one is already read by the app's JSON parser.
  router.post('/api/admin/organisations/import', express.raw({ type: () => true, limit: '4mb' }), async (req, res) => {
    const t = tOf(res);
    const { confirm } = readQuery(ImportQuery, req.query, t);
    const rows = await readOrganisationFile(req.body, t);
    const preview = previewImport(rows, await listRegistry(db), t, await directoryOf(db, t));
    const answer = { valid: preview.valid, rows: preview.rows };
    if (!confirm) return void res.status(preview.valid ? 200 : 422).json(answer);
    if (!preview.valid) {
      throw new HttpError(422, importRefused(t, preview), {
        fields: Object.fromEntries(
          preview.rows.flatMap(({ line, errors }) =>
            Object.entries(errors).map(([field, text]) => [`row ${line}.${field}`, text]),
          ),
        ),
      });
    }
    const change = await save(res, preview.entries);
    res.json({ ...answer, message: importedMessage(t, change), ...change });
  });

  /** The page's model: the list, the add or change form (as typed after a refusal), the import and its preview. */
  async function pageModel(
    req: Request,
    res: Response,
    {
      flash,
      editing,
      preview,
      kept,
      fileName,
      importError,
    }: {
      flash?: Awaited<ReturnType<typeof takeFlash>>;
      editing?: OrganisationEntry;
      preview?: ImportPreview;
      /** The id the confirming form names the kept rows by. */
      kept?: string;
      fileName?: string;
      importError?: string;
    },
  ) {
    const t = tOf(res);
    const registry = await listRegistry(db);
    const names = new Map(registry.map((org) => [org.id, org.name]));
    const refused = flash?.about === 'organisation' ? flash : undefined;
    const typed: Record<string, unknown> = refused?.typed ?? (editing ? toFields(editing) : {});
    const value = (field: string) => (typed[field] === undefined ? '' : String(typed[field]));
    const kindOptions = (chosen: string) =>
      ORGANISATION_KINDS.map((kind) => ({
        value: kind,
        label: t(`labels:organisationKind.${kind}`),
        selected: kind === chosen,
      }));
    const referenceOptions = (kind: string, chosen: string) => [
      { value: '', label: t('organisations:form.none'), selected: chosen === '' },
      ...registry
        .filter((org) => org.kind === kind)
        .map((org) => ({ value: org.id, label: `${org.name} (${org.id})`, selected: org.id === chosen })),
    ];
    return {
      title: t('organisations:title'),
      flash: refused ? { kind: 'error', message: refused.message } : flash,
      organisations: registry.map((org) => ({
        ...org,
        kindLabel: t(`labels:organisationKind.${org.kind}`),
        reportsTo: [org.guidanceCenterId, org.departmentId]
          .filter((id): id is string => id !== undefined)
          .map((id) => names.get(id) ?? id)
          .join(' · '),
        block: org.codingBlock && blockText(toFields(org) as unknown as Record<string, string>),
        editPath: `${LIST}/${encodeURIComponent(org.id)}`,
      })),
      form: {
        editing: editing !== undefined,
        action: editing ? `${LIST}/${encodeURIComponent(editing.id)}` : LIST,
        heading: editing ? t('organisations:form.change', { name: editing.name }) : t('organisations:form.add'),
        errors: refused?.fields ?? {},
        values: Object.fromEntries(FORM_FIELDS.map((field) => [field, value(field)])),
        kinds: kindOptions(value('kind') || 'station'),
        centers: referenceOptions('guidance-center', value('guidanceCenterId')),
        departments: referenceOptions('department', value('departmentId')),
        categories: ['S', 'Y'].map((code) => ({
          value: code,
          label: t(`organisations:category.${code}`),
          selected: code === value('category'),
        })),
      },
      importError,
      preview: preview && {
        fileName,
        valid: preview.valid,
        bad: preview.rows.filter((row) => Object.keys(row.errors).length > 0).length,
        count: preview.rows.length,
        rows: preview.rows.map((row) => ({
          line: row.line,
          cells: PREVIEW_COLUMNS.map((column) => row.fields[column] ?? ''),
          block: blockText(row.fields),
          effect: row.effect && t(`organisations:import.effect.${row.effect}`),
          errors: Object.entries(row.errors).map(([field, text]) => ({
            field: t(`organisations:field.${field}`, { defaultValue: field }),
            text,
          })),
        })),
        confirm: kept,
      },
      columns: PREVIEW_COLUMNS.map((column) => t(`organisations:field.${column}`)),
    };
  }

  return router;
}

function savedMessage(t: TFunction, change: { created: string[]; changed: string[] }, name: string): string {
  if (change.created.length > 0) return t('organisations:saved.created', { name });
  if (change.changed.length > 0) return t('organisations:saved.changed', { name });
  return t('organisations:saved.unchanged', { name });
}

function importedMessage(t: TFunction, change: { created: string[]; changed: string[]; unchanged: string[] }): string {
  return t('organisations:import.done', {
    created: change.created.length,
    changed: change.changed.length,
    unchanged: change.unchanged.length,
  });
}

function importRefused(t: TFunction, preview: ImportPreview): string {
  const bad = preview.rows.filter((row) => Object.keys(row.errors).length > 0).length;
  return t('organisations:import.refused', { bad, count: preview.rows.length });
}
