/**
 * Who is who on a page: people's names for user ids, organisations' names for their ids, groups as people say them,
 * read through the process's copy of the directory (records/directory.ts `directoryNames`), which is never older than
 * the request. Pages, messages and the case file all name people through this.
 */
import type { TFunction } from 'i18next';
import { isLanguage, type Language } from '../i18n';
import type { Db } from '../records/database';
import { directoryNames } from '../records/directory';

/** Who is who, looked up once per page: people's names for user ids, organisations' names for groups. */
export interface Directory {
  /** A person's name; an id the directory does not know shows itself. */
  person(id: string | undefined): string;
  /** A group like `station-a:reviewers` as people say it: the organisation's name and the role. */
  group(code: string): string;
  organisation(id: string | undefined): string;
}

/** The names as the database has them now, from the process's copy while no write has changed the directory. */
export async function directoryOf(db: Db, t: TFunction): Promise<Directory> {
  const { people, organisations } = await directoryNames(db);
  return directoryFrom(t, people, organisations);
}

/** A directory that knows nobody: ids and codes as they are (for callers that have not looked anyone up). */
export const codesOnly = (t: TFunction): Directory => directoryFrom(t, new Map(), new Map());

function directoryFrom(
  t: TFunction,
  people: ReadonlyMap<string, string>,
  organisations: ReadonlyMap<string, string>,
): Directory {
  const organisation = (id: string | undefined) => (id ? (organisations.get(id) ?? id) : '');
  return {
    person: (id) => (id ? (people.get(id) ?? id) : ''),
    organisation,
    group(code) {
      const [owner, role] = code.includes(':') ? code.split(':', 2) : [undefined, code];
      const roleLabel = t(`case:role.${role}`, { defaultValue: role });
      return owner ? t('case:group', { organisation: organisation(owner), role: roleLabel }) : roleLabel;
    },
  };
}

/** The catalogue knows which language it is: pages that pass only their `t` still get names in that language. */
export const languageOfT = (t: TFunction): Language => {
  const language = t('case:language');
  return isLanguage(language) ? language : 'zh-CN';
};
