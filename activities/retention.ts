/**
 * The daily removal of personal data from cases closed longer ago than the retention period (records/retention.ts
 * lists where the data sits and what the certificate registry keeps). Run by workflows/retention.ts on a schedule.
 *
 * Safe to run twice and to die midway: each case is one transaction that checks again that the case is due and not
 * yet done, and its documents are deleted before that transaction, so a case whose transaction never committed is
 * found again by the next run, which deletes nothing twice (a missing file is already gone).
 */
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { heartbeat, log } from '@temporalio/activity';
import { translator } from '../i18n';
import type { Db } from '../records/database';
import {
  casesDueForRemoval,
  certificateNumbersOf,
  deleteUnclaimedDocuments,
  removeCasePersonalData,
  startUnknownRetentionPeriods,
} from '../records/retention';

/**
 * PERSONAL_DATA_RETENTION_DAYS's default: three years after closing. Long enough for everything that still needs the
 * person after a case closes (the 60-day appeal window, a re-sit within a year, complaints about the result); see
 * the README's "Personal data".
 */
export const DEFAULT_RETENTION_DAYS = 3 * 365;
const BATCH = 100;
const DAY_MS = 86_400_000;

export interface RetentionDeps {
  db: Db;
  /** Where certificate PDFs are kept, one `<number>.pdf` each. */
  certificateDir: string;
  personalDataRetentionDays?: number;
}

export interface RemoveExpiredPersonalDataInput {
  /** ISO instant of the run: the workflow's time, so the cut-off is the same on every retry. */
  now: string;
}

export interface RemovalSummary {
  /** How many cases this run removed the data of. */
  count: number;
  /** Their numbers, oldest closing first: the first thousand, so a long backlog's result stays a small payload. */
  removed: string[];
  retentionDays: number;
  /** Files handed in with an application that was never submitted, deleted a day after they were received. */
  unclaimedFilesDeleted: number;
}

const LISTED = 1000;

export function createRetentionActivities({ db, certificateDir, personalDataRetentionDays }: RetentionDeps) {
  const retentionDays = personalDataRetentionDays ?? DEFAULT_RETENTION_DAYS;
  return {
    async removeExpiredPersonalData({ now }: RemoveExpiredPersonalDataInput): Promise<RemovalSummary> {
      const at = new Date(now);
      if (Number.isNaN(at.getTime())) throw new TypeError(`removeExpiredPersonalData: not an instant: ${now}`);
      const closedBefore = new Date(at.getTime() - retentionDays * DAY_MS).toISOString();
      await startUnknownRetentionPeriods(db, at.toISOString());
      const removedSentence = {
        'zh-CN': translator('zh-CN')('case:personalDataRemoved'),
        en: translator('en')('case:personalDataRemoved'),
      };
      const documents = documentsByCertificate(certificateDir);
      const removed: string[] = [];
      let count = 0;
      for (;;) {
        const due = await casesDueForRemoval(db, closedBefore, BATCH);
        let progressed = false;
        for (const { applicationNumber } of due) {
          heartbeat(count);
          const certificates = await certificateNumbersOf(db, applicationNumber);
          const deleted = certificates.flatMap((number) => deleteDocuments(certificateDir, documents.get(number)));
          const done = await removeCasePersonalData(db, {
            applicationNumber,
            at: at.toISOString(),
            closedBefore,
            removedSentence,
            details: { retentionDays, documentsDeleted: deleted, certificatesKept: certificates },
          });
          if (done && ++count <= LISTED) removed.push(applicationNumber);
          progressed ||= done;
        }
        // A batch that another run finished first (concurrent runs) leaves nothing more for this one.
        if (due.length < BATCH || !progressed) break;
      }
      if (count > 0) log.info('Removed personal data after the retention period', { cases: count });
      const unclaimedFilesDeleted = await deleteUnclaimedDocuments(db, new Date(at.getTime() - DAY_MS).toISOString());
      return { count, removed, retentionDays, unclaimedFilesDeleted };
    },
  };
}

/**
 * The certificate folder's files by certificate number, read once a run: `<number>.pdf`, and a partial write of it
 * (`<number>.pdf.<pid>.tmp`) that a worker dying mid-render left behind, which holds the same person.
 */
function documentsByCertificate(dir: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return found;
    throw error;
  }
  for (const name of names) {
    const number = /^([^.]+)\.pdf(\..*)?$/.exec(name)?.[1];
    if (number) found.set(number, [...(found.get(number) ?? []), name]);
  }
  return found;
}

/** Deletes the files (a file already gone counts as deleted); returns their names for the audit entry. */
function deleteDocuments(dir: string, names: string[] = []): string[] {
  for (const name of names) rmSync(path.join(dir, name), { force: true });
  return names;
}
