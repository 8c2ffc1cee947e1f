/**
 * The user directory: organisations and the accounts that act for their groups. The inbox signs people in against it;
 * the workflows only ever see an actor's id and groups. The demo province is seed data (records/demoProvince.ts).
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { isLanguage, type Language } from '../i18n';
import type { Db } from './database';
import type { OrganisationTable, UserTable } from './schema';

export type Organisation = OrganisationTable;

export interface User {
  id: string;
  name: string;
  organisationId: string;
  /** The groups the user acts for, like `station-a:reviewers` (the user_groups table). */
  roles: string[];
  /** Where their group notices are emailed; undefined for an account without an address. */
  email?: string;
  createdAt: string;
  /** The language the person chose to read Qualiflow in; undefined until they choose. */
  language?: Language;
}

export async function listOrganisations(db: Db): Promise<Organisation[]> {
  return db.selectFrom('organisations').selectAll().orderBy('id').execute();
}

export async function findOrganisation(db: Db, id: string): Promise<Organisation | undefined> {
  return db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Active accounts only: a deactivated one is nobody's to hand work to (records/accounts.ts lists them all). */
export async function listUsers(db: Db, organisationId?: string): Promise<User[]> {
  let query = db.selectFrom('users').selectAll().where('deactivated_at', 'is', null).orderBy('id');
  if (organisationId) query = query.where('organisation_id', '=', organisationId);
  return withGroups(db, await query.execute());
}

export async function findUser(db: Db, id: string): Promise<User | undefined> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row && (await withGroups(db, [row]))[0];
}

/**
 * The user when the password is theirs; undefined for an unknown user, a wrong password, an account without one or a
 * deactivated account, which is answered like an unknown one so that its state does not show.
 */
export async function authenticate(db: Db, id: string, password: string): Promise<User | undefined> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', id)
    .where('deactivated_at', 'is', null)
    .executeTakeFirst();
  // An unknown user costs the same hashing as a known one, so timing does not tell which ids exist.
  const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
  return row?.password_hash && ok ? (await withGroups(db, [row]))[0] : undefined;
}

export async function setPassword(db: Db, id: string, password: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: await hashPassword(password) })
    .where('id', '=', id)
    .execute();
}

/**
 * Where a group's notices are emailed: the addresses of its active members, read through the group's index range.
 * A member without an address is left out (the notice stays in the notification log they read).
 */
export async function emailsOfGroup(db: Db, group: string): Promise<string[]> {
  const rows = await db
    .selectFrom('user_groups')
    .innerJoin('users', 'users.id', 'user_groups.user_id')
    .select('users.email')
    .where('user_groups.group_name', '=', group)
    .where('users.deactivated_at', 'is', null)
    .where('users.email', 'is not', null)
    .orderBy('users.id')
    .execute();
  return rows.map((row) => row.email!);
}

/** The groups of each of these accounts, in one read of the user_groups table. */
export async function groupsOf(db: Db, ids: readonly string[]): Promise<Map<string, string[]>> {
  const groups = new Map(ids.map((id) => [id, [] as string[]]));
  if (ids.length === 0) return groups;
  const rows = await db
    .selectFrom('user_groups')
    .select(['user_id', 'group_name'])
    .where('user_id', 'in', [...ids])
    .orderBy('user_id')
    .orderBy('group_name')
    .execute();
  for (const row of rows) groups.get(row.user_id)?.push(row.group_name);
  return groups;
}

/** Users from their rows, each with its groups. */
export async function withGroups(db: Db, rows: UserTable[]): Promise<User[]> {
  const groups = await groupsOf(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => toUser(row, groups.get(row.id) ?? []));
}

/** A user from its row and its groups (sorted), read together or apart. */
export function toUser(row: UserTable, roles: string[]): User {
  return {
    id: row.id,
    name: row.name,
    organisationId: row.organisation_id,
    roles,
    ...(row.email && { email: row.email }),
    createdAt: row.created_at,
    ...(isLanguage(row.language) && { language: row.language }),
  };
}

export async function setLanguage(db: Db, id: string, language: Language): Promise<void> {
  await db.updateTable('users').set({ language }).where('id', '=', id).execute();
}

// ---- Names for pages: read once per process, again only when the directory has changed ----

/** What every person and organisation is called, by id. */
export interface DirectoryNames {
  people: ReadonlyMap<string, string>;
  organisations: ReadonlyMap<string, string>;
}

/**
 * The directory's version: triggers (migration 0014) add one to it in the transaction of every write to users or
 * organisations, whoever writes, so equal versions mean the same names.
 */
export async function directoryVersion(db: Db): Promise<number> {
  const row = await db.selectFrom('directory_version').select('version').where('id', '=', 1).executeTakeFirstOrThrow();
  return Number(row.version);
}

/** Per database handle (a process may hold several, as the tests do), the names and the version they are as new as. */
const cachedNames = new WeakMap<Db, { version: number; names: Promise<DirectoryNames> }>();

/**
 * Every name, as the database has them now. Pages that show names call this on every request: a page costs one
 * primary-key read of the version, and the whole directory is read again only after some write to it, made here or
 * through any other web server sharing the database, so a name is never older than the request.
 */
export async function directoryNames(db: Db): Promise<DirectoryNames> {
  // The version before the names: names read after it are at least that new, so a write landing in between costs a
  // second read next time, never a stale name. A cached copy as new or newer than the version read will do.
  const version = await directoryVersion(db);
  const cached = cachedNames.get(db);
  if (cached && cached.version >= version) return cached.names;
  const names = readNames(db);
  cachedNames.set(db, { version, names });
  // A failed read is not kept: the next request tries again.
  names.catch(() => {
    if (cachedNames.get(db)?.names === names) cachedNames.delete(db);
  });
  return names;
}

async function readNames(db: Db): Promise<DirectoryNames> {
  const [people, organisations] = await Promise.all([
    db.selectFrom('users').select(['id', 'name']).execute(),
    db.selectFrom('organisations').select(['id', 'name']).execute(),
  ]);
  return {
    people: new Map(people.map((row) => [row.id, row.name])),
    organisations: new Map(organisations.map((row) => [row.id, row.name])),
  };
}

// ---- Passwords: scrypt from node:crypto, every parameter kept in the stored string so they can be raised later. ----

const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 };

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p, SCRYPT.keyLength);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  try {
    const actual = await derive(
      password,
      Buffer.from(salt, 'base64'),
      Number(n),
      Number(r),
      Number(p),
      expected.length,
    );
    return timingSafeEqual(actual, expected);
  } catch {
    return false; // parameters scrypt refuses: not a hash we wrote
  }
}

function derive(password: string, salt: Buffer, N: number, r: number, p: number, keyLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    // scrypt needs 128·N·r bytes; allow twice that so the default 32 MiB cap does not refuse our parameters.
    scrypt(password, salt, keyLength, { N, r, p, maxmem: 256 * N * r }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

const DUMMY_HASH = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(32).toString('base64')}`;

/**
 * Where a station's applications go: the guidance center and the department it reports to (the organisation
 * registry, records/organisations.ts), and the training institutions of its province, which intake offers.
 */
export async function reportingLineOf(
  db: Db,
  stationId: string,
): Promise<{ guidanceCenterId?: string; departmentId?: string; trainingInstitutions: Organisation[] }> {
  const station = await findOrganisation(db, stationId);
  if (!station) return { trainingInstitutions: [] };
  const trainingInstitutions = await db
    .selectFrom('organisations')
    .selectAll()
    .where('province', '=', station.province)
    .where('kind', '=', 'training-institution')
    .orderBy('id')
    .execute();
  return {
    ...(station.guidance_center_id && { guidanceCenterId: station.guidance_center_id }),
    ...(station.department_id && { departmentId: station.department_id }),
    trainingInstitutions,
  };
}

/** Whether any of these organisations is a guidance center or a department: one that sees its stations' figures. */
export async function overseesStations(db: Db, organisationIds: ReadonlySet<string>): Promise<boolean> {
  if (organisationIds.size === 0) return false;
  const found = await db
    .selectFrom('organisations')
    .select('id')
    .where('id', 'in', [...organisationIds])
    .where('kind', 'in', OVERSEEING_KINDS)
    .executeTakeFirst();
  return found !== undefined;
}

const OVERSEEING_KINDS: readonly Organisation['kind'][] = ['guidance-center', 'department'];

/** A guidance center or a department: it oversees its province's stations. */
export const oversees = (org: Organisation): boolean => OVERSEEING_KINDS.includes(org.kind);

/**
 * The stations that report to any of these organisations: for a guidance center or a department, the stations that
 * name it in the registry (as reportingLineOf reads them). Undefined when none of them is a guidance center or a
 * department, so "no station yet" and "not theirs to see" differ.
 */
export function stationsReportingTo(
  organisations: readonly Organisation[],
  organisationIds: ReadonlySet<string>,
): Organisation[] | undefined {
  const overseers = new Set(
    organisations.filter((org) => organisationIds.has(org.id) && oversees(org)).map((org) => org.id),
  );
  if (overseers.size === 0) return undefined;
  const reportsHere = (id: string | null) => id !== null && overseers.has(id);
  return organisations
    .filter((org) => org.kind === 'station' && (reportsHere(org.guidance_center_id) || reportsHere(org.department_id)))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
