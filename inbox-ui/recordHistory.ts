/**
 * The history of a record kept outside the workflows (an organisation, an account), read from the audit chain under
 * the record's key: who did what and when, and for a change each field as it was and as it became. Administrators read
 * it on the record's page and through its JSON twin. The chain is its only store, so what they read cannot drift from
 * what `npm run audit:verify` checks.
 */
import type { TFunction } from 'i18next';
import { auditTrailOf } from '../records/audit';
import type { Db } from '../records/database';
import type { Directory } from './names';

export interface FieldChange {
  field: string;
  /** Absent when the field had no value before (or the record was created). */
  before?: string;
  after?: string;
}

export interface RecordEvent {
  at: string;
  by: string;
  /** The audit entry's action, e.g. `organisation-changed`, `account-deactivated`. */
  action: string;
  changes: FieldChange[];
  /** The reason given, for an action that takes one (a deactivation). */
  note?: string;
}

/**
 * The record's events, newest first. `fieldsOf` turns a stored `before` or `after` into the fields its form shows, as
 * text; a field is listed only where the two differ.
 */
export async function recordHistory<Stored>(
  db: Db,
  key: string,
  fieldsOf: (stored: Stored) => Record<string, unknown>,
): Promise<RecordEvent[]> {
  const rows = await auditTrailOf(db, key);
  const textOf = (stored: Stored | undefined) =>
    stored === undefined ? {} : Object.fromEntries(Object.entries(fieldsOf(stored)).map(([f, v]) => [f, asText(v)]));
  return rows.reverse().map((row) => {
    const details = JSON.parse(row.details) as { before?: Stored; after?: Stored; reason?: unknown };
    const before: Record<string, string | undefined> = textOf(details.before);
    const after: Record<string, string | undefined> = textOf(details.after);
    const changes = [...new Set([...Object.keys(after), ...Object.keys(before)])]
      .filter((field) => (before[field] ?? '') !== (after[field] ?? ''))
      .map((field) => ({
        field,
        ...(before[field] && { before: before[field] }),
        ...(after[field] && { after: after[field] }),
      }));
    const note = row.comment ?? (typeof details.reason === 'string' ? details.reason : undefined);
    return { at: row.at, by: row.actor, action: row.action, changes, ...(note && { note }) };
  });
}

/** A stored value as a form shows it: a list joined, nothing as nothing. */
function asText(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/**
 * The events as the record's page shows them: the person's name, the action in the reader's words, and each changed
 * field by its form label. `valueText` words a value where the stored one is a code (an organisation's kind).
 */
export function historyRows(
  events: readonly RecordEvent[],
  t: TFunction,
  directory: Directory,
  {
    fieldLabel,
    valueText = (_field, value) => value,
  }: {
    fieldLabel: (field: string) => string;
    valueText?: (field: string, value: string) => string;
  },
) {
  return events.map((event) => ({
    at: event.at,
    by: directory.person(event.by),
    what: t(`labels:recordAction.${event.action}`, { defaultValue: event.action }),
    note: event.note,
    changes: event.changes.map((change) => ({
      field: fieldLabel(change.field),
      before: change.before === undefined ? undefined : valueText(change.field, change.before),
      after: change.after === undefined ? undefined : valueText(change.field, change.after),
    })),
  }));
}
