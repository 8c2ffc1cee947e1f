/**
 * A Message (domain/messages.ts) in the reader's words: its values turned from codes into names and labels, then put
 * into the catalogue entry its key names. The value's name says what it holds, so every message that names a person,
 * a task or an occupation shows it the same way:
 *
 * | value name                               | shown as                         |
 * |------------------------------------------|----------------------------------|
 * | `person`, `assignee`, `actor`, `holder`  | the person's name                |
 * | `group`, `candidateGroup`, `supervisingGroup` | the group, as people say it |
 * | `organisation`, `station`                | the organisation's name          |
 * | `organisationKind`                       | the kind's label (a station, a department) |
 * | `task`                                   | the task kind's label (of a case, investigation or session) |
 * | `stage`                                  | the stage's label                |
 * | `sessionTask`, `sessionStage`            | the session's task / stage label |
 * | `document`                               | the document kind's label        |
 * | `part`, `resitPart`                      | the exam part, as a sentence says it |
 * | `occupation`                             | the occupation's name            |
 * | `field`                                  | the field of a form or request, as people call it |
 * | `closesAt`, `closedAt`, `opensAt`, `beganAt`, `filedAt` | the instant, in China time |
 * | `deadline`                               | the day, as the reader writes dates |
 *
 * Anything else (a number, an application number) is shown as it is.
 */
import type { TFunction } from 'i18next';
import { formatDate, formatDateTime } from '../i18n';
import type { Message, MessageValue } from '../domain/messages';
import { DEFAULT_CATALOGUE, findOccupation, occupationName } from '../domain/occupations';
import { codesOnly, type Directory, languageOfT } from './names';
import { documentLabel, sessionStageLabel, sessionTaskLabel, stageLabel } from './labels';

type Shown = (t: TFunction, directory: Directory, code: string) => string;

const person: Shown = (_t, directory, id) => directory.person(id);
const group: Shown = (_t, directory, code) => directory.group(code);
const organisation: Shown = (_t, directory, id) => directory.organisation(id);
const examPart: Shown = (t, _d, part) => t(`session:part.${part}`, { defaultValue: part });
const instant: Shown = (t, _d, iso) => formatDateTime(iso, languageOfT(t)) || iso;
const day: Shown = (t, _d, iso) => formatDate(iso, languageOfT(t)) || iso;

const SHOWN_AS: Record<string, Shown> = {
  person,
  assignee: person,
  actor: person,
  holder: person,
  group,
  candidateGroup: group,
  supervisingGroup: group,
  organisation,
  station: organisation,
  organisationKind: (t, _d, kind) => t(`labels:organisationKind.${kind}`, { defaultValue: kind }),
  // Cases, investigations and sessions share their task lists' refusals; a session's task kinds have their own labels.
  task: (t, _d, kind) => t(`labels:task.${kind}`, { defaultValue: sessionTaskLabel(t, kind) }),
  stage: (t, _d, stage) => stageLabel(t, stage),
  sessionTask: (t, _d, kind) => sessionTaskLabel(t, kind),
  sessionStage: (t, _d, stage) => sessionStageLabel(t, stage),
  document: (t, _d, kind) => documentLabel(t, kind),
  part: examPart,
  resitPart: examPart,
  occupation: (t, _d, code) => {
    const found = findOccupation(code, DEFAULT_CATALOGUE);
    return found ? occupationName(found, languageOfT(t)) : code;
  },
  field: (t, _d, name) => t(`refusals:field.${name}`, { defaultValue: name }),
  closesAt: instant,
  closedAt: instant,
  opensAt: instant,
  beganAt: instant,
  filedAt: instant,
  deadline: day,
};

export function messageText(t: TFunction, said: Message, directory: Directory = codesOnly(t)): string {
  const values: Record<string, MessageValue> = {};
  for (const [name, value] of Object.entries(said.values ?? {})) {
    const shown = Object.hasOwn(SHOWN_AS, name) ? SHOWN_AS[name] : undefined;
    values[name] = shown && typeof value === 'string' ? shown(t, directory, value) : value;
  }
  return t(said.key, values);
}
