/**
 * Locked sign-in names, for administrators: the list (a page and GET /api/admin/accounts/locked) and the unlock (a
 * form and POST /api/admin/accounts/<name>/unlock), which is written to the audit chain. A name locks after too many
 * failed sign-ins in a row (routes/session.ts); names without an account are listed too, marked as such, since
 * someone guessing at them is worth knowing about.
 */
import { Router, type Request, type Response } from 'express';
import type { TFunction } from 'i18next';
import type { AppDeps } from '../app';
import { formatDateTime } from '../../i18n';
import { type Account, deactivateAccount, listAccounts, reactivateAccount } from '../../records/accounts';
import type { User } from '../../records/directory';
import { DeactivateBody, ReactivateBody } from '../contract/admin';
import { readForm, readJson } from '../contract/read';
import type { Directory } from '../names';
import { lockedNames, unlockName } from '../../records/signInFailures';
import { requireAdministrator, requireUser, userOf } from '../auth/session';
import { type Flash, setFlash, takeFlash, typedFields } from '../flash';
import { languageOf, tOf } from '../language';
import { directoryOf } from '../names';
import { HttpError } from '../temporalErrors';
import { labelOf, personNamed, releaseHeldTasks, type ReleaseOutcome, taskRef } from '../heldTasks';
import { issuePasswordReset } from '../../records/passwordResets';

export function accountsRouter({
  db,
  now = () => new Date(),
  client,
  publicUrl = '',
  emailNotices = false,
}: AppDeps): Router {
  const router = Router();
  router.use(['/admin/accounts', '/api/admin/accounts'], requireUser, requireAdministrator);

  // The page, also shown by a form's answer that must not go through a redirect (a reset link is shown once), which
  // may put its own flash in res.locals.pageFlash.
  const accountsPage = async (req: Request, res: Response) => {
    const t = tOf(res);
    const flash = (res.locals.pageFlash as Flash | undefined) ?? (await takeFlash(req, res));
    const locked = (await lockedNames(db)).map((name) => ({
      ...name,
      unlockPath: `/admin/accounts/${encodeURIComponent(name.username)}/unlock`,
    }));
    res.render('lockedAccounts', {
      title: t('admin:accounts.title'),
      flash,
      locked,
      people: await peopleModel(db, userOf(res), flash, t),
    });
  };
  router.get('/admin/accounts', accountsPage);

  router.get('/api/admin/accounts/locked', async (_req, res) => {
    res.json({ locked: await lockedNames(db) });
  });

  router.post('/admin/accounts/:username/unlock', async (req, res) => {
    const t = tOf(res);
    const username = String(req.params.username);
    const unlocked = await unlockName(db, username, userOf(res).id, now());
    // The person by name, as the list shows them; a name with no account by itself.
    const person = (await directoryOf(db, t)).person(username);
    await setFlash(res, req, {
      kind: unlocked ? 'ok' : 'error',
      message: t(unlocked ? 'admin:accounts.unlocked' : 'admin:accounts.notLocked', {
        username: person === username ? username : t('admin:accounts.nameAndUsername', { person, username }),
      }),
    });
    res.redirect(303, '/admin/accounts');
  });

  router.post('/api/admin/accounts/:username/unlock', async (req, res) => {
    const t = tOf(res);
    const username = String(req.params.username);
    if (!(await unlockName(db, username, userOf(res).id, now()))) {
      throw new HttpError(409, t('admin:accounts.notLocked', { username }));
    }
    res.json({ message: t('admin:accounts.unlocked', { username }) });
  });
  deactivationRoutes(router, { db, now, client, publicUrl, emailNotices });
  passwordResetRoutes(router, { db, now, publicUrl }, accountsPage);
  return router;
}

// ---- Deactivation: someone who has left can no longer sign in, and the tasks they held go back to their groups ----

interface DeactivationDeps {
  db: AppDeps['db'];
  client: AppDeps['client'];
  now: () => Date;
  publicUrl: string;
  emailNotices: boolean;
}

/**
 * The flash of a deactivation or a reactivation names its account, so the page puts a refused form's reason back in
 * that row only.
 */
const deactivationForm = (username: string) => `deactivate:${username}`;
const reactivationForm = (username: string) => `reactivate:${username}`;

const accountsPath = (username: string, action: 'deactivate' | 'reactivate') =>
  `/admin/accounts/${encodeURIComponent(username)}/${action}`;

function deactivationRoutes(router: Router, deps: DeactivationDeps): void {
  router.get('/api/admin/accounts', async (_req, res) => {
    res.json({ accounts: await listAccounts(deps.db) });
  });

  router.post('/admin/accounts/:username/deactivate', async (req, res) => {
    const t = tOf(res);
    const username = String(req.params.username);
    try {
      const result = await deactivate(deps, userOf(res), username, { body: req.body, read: readForm }, t);
      await setFlash(res, req, deactivatedFlash(result, t));
    } catch (error) {
      if (!(error instanceof HttpError) || error.status >= 500) throw error;
      const person = await personNamed(deps.db, username, t);
      await setFlash(res, req, {
        kind: 'error',
        message: error.fields?.reason
          ? t('admin:accounts.people.reasonError', { person, error: error.fields.reason })
          : error.message,
        about: deactivationForm(username),
        typed: typedFields(req.body, ['reason']),
        fields: error.fields,
      });
    }
    res.redirect(303, '/admin/accounts');
  });

  router.post('/api/admin/accounts/:username/deactivate', async (req, res) => {
    const t = tOf(res);
    const request = { body: req.body, read: readJson };
    const result = await deactivate(deps, userOf(res), String(req.params.username), request, t);
    res.json({
      message: deactivatedFlash(result, t).message,
      username: result.username,
      deactivatedAt: result.at,
      released: result.released.map(({ task }) => taskRef(task)),
      notReleased: result.notReleased.map(({ task, error, code }) => ({ ...taskRef(task), error, code })),
    });
  });

  router.post('/admin/accounts/:username/reactivate', async (req, res) => {
    const t = tOf(res);
    const username = String(req.params.username);
    try {
      const message = await reactivate(deps, userOf(res), username, { body: req.body, read: readForm }, t);
      await setFlash(res, req, { kind: 'ok', message });
    } catch (error) {
      if (!(error instanceof HttpError) || error.status >= 500) throw error;
      await setFlash(res, req, {
        kind: 'error',
        message: error.message,
        about: reactivationForm(username),
        typed: typedFields(req.body, ['reason']),
        fields: error.fields,
      });
    }
    res.redirect(303, '/admin/accounts');
  });

  router.post('/api/admin/accounts/:username/reactivate', async (req, res) => {
    const t = tOf(res);
    const username = String(req.params.username);
    const request = { body: req.body, read: readJson };
    res.json({ message: await reactivate(deps, userOf(res), username, request, t), username });
  });
}

interface Deactivated {
  username: string;
  person: string;
  at: string;
  released: ReleaseOutcome[];
  notReleased: ReleaseOutcome[];
  directory: Directory;
}

/** A deactivation's or reactivation's body and how to read it: a form's text (readForm) or a JSON body (readJson). */
interface DeactivationRequest {
  body: unknown;
  read: typeof readJson;
}

/** What each change reads, and how its refusal of a reason begins. */
const REASONS = {
  deactivate: { schema: DeactivateBody, error: 'admin:accounts.people.reasonError' },
  reactivate: { schema: ReactivateBody, error: 'admin:accounts.people.reactivationReasonError' },
} as const;

/** The reason, or a 422 whose summary names the person: "Give a reason for deactivating …: is required". */
function reasonFor(
  change: keyof typeof REASONS,
  { body, read }: DeactivationRequest,
  person: string,
  t: TFunction,
): string {
  try {
    return read(REASONS[change].schema, body, t).reason;
  } catch (error) {
    const fields = error instanceof HttpError ? error.fields : undefined;
    if (fields?.reason === undefined) throw error;
    throw new HttpError(422, t(REASONS[change].error, { person, error: fields.reason }), { fields });
  }
}

/**
 * Deactivates the account (sessions ended, audited: records/accounts.ts), then hands every open task it held back to
 * its group through the task's own workflow, the administrator acting as its supervisor would, and tells each group's
 * supervisors which tasks came back. Released after the deactivation, so the person cannot claim anything meanwhile.
 */
async function deactivate(
  deps: DeactivationDeps,
  admin: User,
  username: string,
  request: DeactivationRequest,
  t: TFunction,
): Promise<Deactivated> {
  const person = await personNamed(deps.db, username, t);
  if (username === admin.id) throw new HttpError(403, t('admin:accounts.people.selfRefused'));
  const reason = reasonFor('deactivate', request, person, t);
  const change = await deactivateAccount(deps.db, { username, by: admin.id, reason, now: deps.now() });
  if (change.outcome === 'unknown') throw new HttpError(404, t('admin:accounts.people.noAccount', { username }));
  if (change.outcome === 'already') throw new HttpError(409, t('admin:accounts.people.alreadyDeactivated', { person }));
  const cause = { username, at: change.at, reason, words: 'admin:accounts.people.notice', key: 'account-deactivated' };
  const { released, notReleased } = await releaseHeldTasks(deps, admin, cause, t);
  return {
    username,
    person,
    at: change.at,
    released,
    notReleased,
    directory: await directoryOf(deps.db, t),
  };
}

/** What the administrator reads: how many tasks went back, and each one that did not, with why. */
function deactivatedFlash(result: Deactivated, t: TFunction): Flash {
  const line = ({ task, error }: ReleaseOutcome) =>
    error === undefined
      ? t('admin:accounts.people.released', {
          task: labelOf(t, task),
          number: task.applicationNumber,
          group: result.directory.group(task.candidateGroup),
        })
      : t('admin:accounts.people.releaseFailed', { task: labelOf(t, task), number: task.applicationNumber, error });
  const done = t('admin:accounts.people.done', { person: result.person, count: result.released.length });
  const failed = result.notReleased.length;
  return {
    kind: failed > 0 ? 'error' : 'ok',
    message: failed > 0 ? `${done} ${t('admin:accounts.people.notReleased', { count: failed })}` : done,
    about: deactivationForm(result.username),
    items: [...result.released, ...result.notReleased].map((outcome) => ({
      ok: outcome.error === undefined,
      text: line(outcome),
    })),
  };
}

async function reactivate(
  deps: DeactivationDeps,
  admin: User,
  username: string,
  request: DeactivationRequest,
  t: TFunction,
): Promise<string> {
  const person = await personNamed(deps.db, username, t);
  const reason = reasonFor('reactivate', request, person, t);
  const change = await reactivateAccount(deps.db, { username, by: admin.id, reason, now: deps.now() });
  if (change.outcome === 'unknown') throw new HttpError(404, t('admin:accounts.people.noAccount', { username }));
  if (change.outcome === 'already') throw new HttpError(409, t('admin:accounts.people.notDeactivated', { person }));
  return t('admin:accounts.people.reactivated', { person });
}

/** The accounts section of the page: each account with its groups by name, its state, and the form that applies. */
async function peopleModel(db: AppDeps['db'], admin: User, flash: Flash | undefined, t: TFunction) {
  const [accounts, directory] = await Promise.all([listAccounts(db), directoryOf(db, t)]);
  return {
    flash: flash?.about?.startsWith('deactivate:') ? flash : undefined,
    accounts: accounts.map((account: Account, index) => {
      // The row's one form: reactivation for a deactivated account, deactivation for an active one.
      const form = account.deactivated ? reactivationForm(account.username) : deactivationForm(account.username);
      const refused = flash?.kind === 'error' && flash.about === form ? flash : undefined;
      return {
        username: account.username,
        name: account.name,
        roles: account.roles.map((role) => directory.group(role)),
        self: account.username === admin.id,
        deactivated: account.deactivated && {
          ...account.deactivated,
          byName: directory.person(account.deactivated.by),
        },
        reactivated: account.reactivated && {
          ...account.reactivated,
          byName: directory.person(account.reactivated.by),
        },
        fieldId: `${account.deactivated ? 'reactivate' : 'deactivate'}-reason-${index}`,
        reason: refused?.typed?.reason ?? '',
        error: refused?.fields?.reason,
        deactivatePath: accountsPath(account.username, 'deactivate'),
        detailsPath: `/admin/accounts/${encodeURIComponent(account.username)}/details`,
        reactivatePath: accountsPath(account.username, 'reactivate'),
      };
    }),
  };
}

// ---- Password resets: a one-time link for someone who cannot sign in (used on routes/password.ts's pages) ----

/**
 * The form on the page and POST /api/admin/accounts/<name>/password-reset. The link is in the answer and nowhere
 * else (the database keeps its hash): the page is rendered, not redirected to, as a flash would store the link.
 */
function passwordResetRoutes(
  router: Router,
  deps: { db: AppDeps['db']; now: () => Date; publicUrl: string },
  accountsPage: (req: Request, res: Response) => Promise<void>,
): void {
  const issue = async (res: Response, username: string) => {
    const t = tOf(res);
    const issued = await issuePasswordReset(deps.db, username, userOf(res).id, deps.now());
    if (issued.outcome === 'unknown') throw new HttpError(404, t('account:issue.unknown', { username }));
    if (issued.outcome === 'deactivated') {
      const person = await personNamed(deps.db, username, t);
      throw new HttpError(409, t('account:issue.deactivated', { person }));
    }
    return { username, link: `${deps.publicUrl}${issued.path}`, expiresAt: issued.expiresAt };
  };

  router.post('/admin/accounts/password-reset', async (req, res) => {
    const t = tOf(res);
    const typed = typeof req.body?.username === 'string' ? req.body.username.trim() : '';
    try {
      if (!typed) throw new HttpError(422, t('account:issue.usernameMissing'));
      const issued = await issue(res, typed);
      const person = await personNamed(deps.db, typed, t);
      res.locals.passwordReset = { issued: { ...issued, person } };
      res.status(201);
    } catch (error) {
      if (!(error instanceof HttpError) || error.status >= 500) throw error;
      if (error.status === 409) {
        // Nothing wrong with what was typed: the account's state refuses, said above the page, the name kept.
        res.locals.passwordReset = { typed };
        res.locals.pageFlash = { kind: 'error', message: error.message } satisfies Flash;
      } else {
        res.locals.passwordReset = { typed, error: error.message };
      }
      res.status(error.status === 404 ? 422 : error.status);
    }
    await accountsPage(req, res);
  });

  router.post('/api/admin/accounts/:username/password-reset', async (req, res) => {
    const issued = await issue(res, String(req.params.username));
    const expires = formatDateTime(issued.expiresAt, languageOf(res));
    const message = tOf(res)('account:issue.done', { username: issued.username, expires });
    res.status(201).json({ ...issued, message });
  });
}
