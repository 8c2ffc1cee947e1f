/**
 * Adding an account and changing who it is, for administrators: a page with the form (`/admin/accounts/new`,
 * `/admin/accounts/<name>/details`) and its API twins (POST /api/admin/accounts, PUT …/{account}/details). A new
 * account has no password: the answer carries a one-time link (records/passwordResets.ts) with which the person sets
 * it, shown then only, as a reset link is. The tasks someone holds in a group taken from them go back to it. An administrator may not change their own groups, so that nobody takes
 * away their own access by a slip, or gives themselves more.
 */
import { type Request, type Response, Router } from 'express';
import type { TFunction } from 'i18next';
import type { AppDeps } from '../app';
import { formatDateTime } from '../../i18n';
import { type AccountDetails, changeAccount, createAccount, type DetailsSaved } from '../../records/accountDetails';
import { findUser } from '../../records/directory';
import { listRegistry } from '../../records/organisations';
import { issuePasswordReset } from '../../records/passwordResets';
import { requireAdministrator, requireUser, userOf } from '../auth/session';
import { AccountDetailsBody, type AccountDetailsFields, NewAccountBody } from '../contract/accountDetails';
import { readForm, readJson } from '../contract/read';
import { setFlash, takeFlash, typedFields } from '../flash';
import { languageOf, tOf } from '../language';
import { messageText } from '../messageText';
import { type Directory, directoryOf } from '../names';
import { historyRows, recordHistory } from '../recordHistory';
import { HttpError } from '../temporalErrors';
import { accountAuditKey } from '../../records/signInFailures';
import { labelOf, releaseHeldTasks, taskRef } from '../heldTasks';
import type { HeldOpenTask } from '../../records/accounts';

const FIELDS = ['username', 'name', 'email', 'organisationId', 'groups'];

export function accountDetailsRouter({
  db,
  client,
  now = () => new Date(),
  publicUrl = '',
  emailNotices = false,
}: AppDeps): Router {
  const router = Router();
  const deps = { db, client, publicUrl, emailNotices };
  router.use(['/admin/accounts/new', '/admin/accounts/:account/details'], requireUser, requireAdministrator);
  router.use(['/api/admin/accounts', '/api/admin/accounts/:account/details'], requireUser, requireAdministrator);

  /** The outcome of a save as an answer: done, or refused with a status and a message per field. */
  const answerOf = async (t: TFunction, saved: DetailsSaved, username: string): Promise<void> => {
    if (saved.outcome === 'exists') {
      throw new HttpError(409, t('accounts:refused.exists', { username }), {
        fields: { username: t('accounts:refused.exists', { username }) },
      });
    }
    if (saved.outcome === 'unknown') throw new HttpError(404, t('account:issue.unknown', { username }));
    if (saved.outcome === 'refused') {
      const directory = await directoryOf(db, t);
      const fields = Object.fromEntries(
        Object.entries(saved.fields).map(([field, said]) => [field, messageText(t, said, directory)]),
      );
      throw new HttpError(422, t('common:validation.summary'), { fields });
    }
  };

  const create = async (res: Response, username: string, details: AccountDetailsFields) => {
    const t = tOf(res);
    const by = userOf(res).id;
    await answerOf(t, await createAccount(db, username, details, { by, now: now() }), username);
    const issued = await issuePasswordReset(db, username, by, now());
    if (issued.outcome !== 'issued') throw new Error(`no password link for the new account ${username}`);
    return { link: `${publicUrl}${issued.path}`, expiresAt: issued.expiresAt };
  };

  /**
   * Saves the change; then the open tasks the person holds in a group taken from them (and not supervised by one they
   * keep) go back to that group, whose supervisors are told, as after a deactivation.
   */
  const change = async (res: Response, username: string, details: AccountDetailsFields) => {
    const t = tOf(res);
    const me = userOf(res);
    if (username === me.id && [...details.groups].sort().join() !== [...me.roles].sort().join()) {
      throw new HttpError(403, t('accounts:refused.ownGroups'));
    }
    const saved = await changeAccount(db, username, details, { by: me.id, now: now() });
    await answerOf(t, saved, username);
    if (saved.outcome !== 'changed') return { done: 'accounts:saved.unchanged', released: [], notReleased: [] };
    const removed = new Set(saved.removedGroups);
    const lost = (task: HeldOpenTask) =>
      removed.has(task.candidateGroup) && !details.groups.includes(task.supervisingGroup);
    const reason = (words: TFunction, directory: Directory) =>
      saved.removedGroups.map((group) => directory.group(group)).join(words('admin:accounts.people.listSeparator'));
    const cause = { username, at: saved.at, reason, words: 'accounts:released.notice', key: 'groups-changed' };
    const outcome =
      removed.size > 0 ? await releaseHeldTasks(deps, me, cause, t, lost) : { released: [], notReleased: [] };
    return { done: 'accounts:saved.changed', ...outcome };
  };

  /** The sentence a change answers with: saved, and how many held tasks went back or could not. */
  const changedMessage = (t: TFunction, name: string, result: Awaited<ReturnType<typeof change>>) =>
    [
      t(result.done, { name }),
      ...(result.released.length > 0 ? [t('accounts:released.count', { count: result.released.length })] : []),
      ...(result.notReleased.length > 0
        ? [t('admin:accounts.people.notReleased', { count: result.notReleased.length })]
        : []),
    ].join(' ');

  router.post('/api/admin/accounts', async (req, res) => {
    const t = tOf(res);
    const { username, ...details } = readJson(NewAccountBody, req.body, t);
    const { link, expiresAt } = await create(res, username, details);
    const expires = formatDateTime(expiresAt, languageOf(res));
    res.status(201).json({ message: t('accounts:saved.created', { name: details.name, expires }), link, expiresAt });
  });

  router.put('/api/admin/accounts/:account/details', async (req, res) => {
    const t = tOf(res);
    const username = String(req.params.account);
    const details = readJson(AccountDetailsBody, req.body, t);
    const result = await change(res, username, details);
    res.json({
      message: changedMessage(t, details.name, result),
      released: result.released.map(({ task }) => taskRef(task)),
      notReleased: result.notReleased.map(({ task, error, code }) => ({ ...taskRef(task), error, code })),
    });
  });

  router.get('/admin/accounts/new', async (req, res) => {
    res.render('accountDetails', await pageModel(req, res, {}));
  });

  /** Answered with the page itself when it carries the new account's link: a flash would store it. */
  router.post('/admin/accounts/new', async (req, res) => {
    const t = tOf(res);
    const form = withGroupList(req.body);
    try {
      const { username, ...details } = readForm(NewAccountBody, form, t);
      const issued = await create(res, username, details);
      const expires = formatDateTime(issued.expiresAt, languageOf(res));
      res
        .status(201)
        .render(
          'accountDetails',
          await pageModel(req, res, { created: { name: details.name, username, link: issued.link, expires } }),
        );
    } catch (error) {
      if (!(error instanceof HttpError) || error.status >= 500) throw error;
      res
        .status(error.status)
        .render('accountDetails', await pageModel(req, res, { refused: error, typed: typedFields(req.body, FIELDS) }));
    }
  });

  /** The account's entries in the audit chain: details changed, deactivations, unlocks, password links. */
  const historyOf = (username: string) =>
    recordHistory(db, accountAuditKey(username), (stored: AccountDetails) => ({
      ...stored,
      groups: [...stored.groups].sort(), // as typed when created; the order is no change
    }));

  router.get('/api/admin/accounts/:account/history', async (req, res) => {
    const username = String(req.params.account);
    if (!(await findUser(db, username))) throw new HttpError(404, tOf(res)('account:issue.unknown', { username }));
    res.json({ history: await historyOf(username) });
  });

  router.get('/admin/accounts/:account/details', async (req, res) => {
    const t = tOf(res);
    const username = String(req.params.account);
    const user = await findUser(db, username);
    if (!user) throw new HttpError(404, t('account:issue.unknown', { username }));
    const flash = await takeFlash(req, res);
    const refused = flash?.kind === 'error' ? flash : undefined;
    const history = historyRows(await historyOf(username), t, await directoryOf(db, t), {
      fieldLabel: (field) => t(`accounts:field.${field}`, { defaultValue: field }),
    });
    res.render('accountDetails', {
      history,
      ...(await pageModel(req, res, {
        editing: username,
        flash: refused ? undefined : flash,
        ...(refused
          ? { refused: new HttpError(422, refused.message, { fields: refused.fields }), typed: refused.typed }
          : {
              typed: {
                name: user.name,
                email: user.email ?? '',
                organisationId: user.organisationId,
                groups: user.roles.join('\n'),
              },
            }),
      })),
    });
  });

  router.post('/admin/accounts/:account/details', async (req, res) => {
    const t = tOf(res);
    const username = String(req.params.account);
    const here = `/admin/accounts/${encodeURIComponent(username)}/details`;
    try {
      const details = readForm(AccountDetailsBody, withGroupList(req.body), t);
      const result = await change(res, username, details);
      await setFlash(res, req, {
        kind: result.notReleased.length > 0 ? 'error' : 'ok',
        message: changedMessage(t, details.name, result),
        items: [...result.released, ...result.notReleased].map(({ task, error }) => ({
          ok: error === undefined,
          text: `${labelOf(t, task)}, ${task.applicationNumber}${error ? `: ${error}` : ''}`,
        })),
      });
      res.redirect(303, '/admin/accounts');
    } catch (error) {
      if (!(error instanceof HttpError) || error.status === 404 || error.status >= 500) throw error;
      await setFlash(res, req, {
        kind: 'error',
        message: error.message,
        typed: typedFields(req.body, FIELDS),
        fields: error.fields,
      });
      res.redirect(303, here);
    }
  });

  async function pageModel(
    req: Request,
    res: Response,
    options: {
      editing?: string;
      created?: { name: string; username: string; link: string; expires: string };
      refused?: HttpError;
      typed?: Record<string, string>;
      flash?: Awaited<ReturnType<typeof takeFlash>>;
    },
  ) {
    const t = tOf(res);
    const typed = options.typed ?? {};
    const organisations = await listRegistry(db);
    return {
      title: options.editing ? t('accounts:form.change', { username: options.editing }) : t('accounts:form.add'),
      flash: options.refused ? { kind: 'error', message: options.refused.message } : options.flash,
      editing: options.editing,
      action: options.editing
        ? `/admin/accounts/${encodeURIComponent(options.editing)}/details`
        : '/admin/accounts/new',
      created: options.created,
      errors: byFormField(options.refused?.fields ?? {}),
      values: Object.fromEntries(FIELDS.map((field) => [field, typed[field] ?? ''])),
      organisations: organisations.map((org) => ({
        value: org.id,
        label: `${org.name} (${org.id})`,
        selected: org.id === typed.organisationId,
      })),
    };
  }

  return router;
}

/** The form's groups are typed one per line (or separated by commas); the declaration takes a list. */
function withGroupList(body: unknown): Record<string, unknown> {
  const form = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const groups = typeof form.groups === 'string' ? form.groups.split(/[\s,，]+/).filter(Boolean) : form.groups;
  return { ...form, groups };
}

/** A refused group is named by its place in the list (`groups.1`); the form has one field for them all. */
function byFormField(fields: Record<string, string>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [field, text] of Object.entries(fields)) errors[field.split('.')[0]] ??= text;
  return errors;
}
