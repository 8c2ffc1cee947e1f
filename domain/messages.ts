/**
 * A message as the rule that makes it: a catalogue key (`<area>:<key>`, see i18n/locales) and the values it names,
 * never a finished sentence. Domain code, workflows and validators say *what* is wrong; the edge that answers a person
 * (a page, the API, the CLI) puts it into that person's language. The English words travel beside it only for logs
 * and for the rare reader with no translator (a stack trace).
 *
 * Values are codes and numbers, not words: a person's id, a task kind, a stage, an occupation code. The edge turns
 * the ones it knows (see inbox-ui/messageText.ts) into names and labels before the catalogue puts them in place.
 */
export type MessageValue = string | number;

export interface Message {
  key: string;
  values?: Record<string, MessageValue>;
}

export const message = (key: string, values?: Record<string, MessageValue>): Message =>
  values ? { key, values } : { key };

export const isMessage = (value: unknown): value is Message =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Message).key === 'string' &&
  ((value as Message).values === undefined || typeof (value as Message).values === 'object');
