/**
 * `npm run audit:verify`: walks the audit log's hash chain in the application database (DATABASE_URL, else the SQLite
 * file under DATA_DIR) and says whether it is intact. Exits 1 when a row was changed, removed or reordered, naming
 * the first one, so it can run from cron or CI. Keep the printed head hash somewhere else: a later run that prints a
 * different head for the same count shows that the newest rows were replaced.
 */
import { verifyAuditChain } from '../records/audit';
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
      return 0;
    }
    console.error(t('cli:audit.tampered', { entry: result.brokenAt, reason: result.reason }));
    return 1;
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
