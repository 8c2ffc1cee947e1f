/**
 * `npm run audit:verify`: walks the audit log's hash chain in the application database (DATABASE_URL, else the SQLite
 * file under DATA_DIR), then the personal-data access log's, and says whether each is intact. Exits 1 when a row was changed, removed or reordered, naming
 * the first one, so it can run from cron or CI. Keep the printed head hash somewhere else: a later run that prints a
 * different head for the same count shows that the newest rows were replaced.
 */
import { verifyAuditChain } from '../records/audit';
import { verifyAccessLog } from '../records/personalDataAccess';
import { describeTarget, openDatabase } from '../records/database';
import { databaseTarget, loadConfig } from '../runtime/config';
import { t } from './cli';

async function main(): Promise<number> {
  const target = databaseTarget(loadConfig());
  const db = await openDatabase(target);
  try {
    const result = await verifyAuditChain(db);
    if (result.ok) {
      console.log(t('cli:audit.intact', { count: result.count, target: describeTarget(target), head: result.head }));
    } else {
      console.error(t('cli:audit.tampered', { entry: result.brokenAt, reason: result.reason }));
    }
    // The personal-data access log is a chain of its own (records/personalDataAccess.ts), checked the same way.
    const access = await verifyAccessLog(db);
    if (access.ok) {
      console.log(t('admin:personalData.verify.intact', { count: access.count, head: access.head }));
    } else {
      console.error(t('admin:personalData.verify.tampered', { entry: access.brokenAt, reason: access.reason }));
    }
    return result.ok && access.ok ? 0 : 1;
  } finally {
    await db.destroy();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    console.error(error.message);
    process.exitCode = 2;
  },
);
