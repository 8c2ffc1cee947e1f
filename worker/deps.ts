/**
 * Builds the activities' real dependencies from configuration: the database, the policy and catalogue files, the
 * seal keys. Fails fast, with the file or variable named, before the worker polls for work.
 */
import { readFileSync } from 'node:fs';
import { checkCatalogue, DEFAULT_CATALOGUE } from '../domain/occupations';
import type { ActivityDeps } from '../activities';
import { DEFAULT_POLICY, readPolicyFile } from '../activities/policy';
import { loadSealKeys } from '../activities/seal';
import { openDatabase } from '../records/database';
import { seedDemoDirectory } from '../records/demoProvince';
import { type Config, databaseTarget } from '../runtime/config';
import { type DeliveryLoop, deliveryLoopFor } from './deliveries';

/** The activities' dependencies; `mail` is also the email delivery loop, which the worker process starts and stops. */
export interface WorkerDeps extends ActivityDeps {
  mail?: DeliveryLoop;
}

export async function buildActivityDeps(config: Config): Promise<WorkerDeps> {
  const db = await openDatabase(databaseTarget(config));
  // Demo accounts with a known password: the embedded default's, or a database's that asked (runtime/config.ts).
  if (config.demoProvince) await seedDemoDirectory(db);
  return {
    db,
    policy: config.policyFile ? readPolicyFile(config.policyFile) : DEFAULT_POLICY,
    catalogue: config.occupationsFile ? readCatalogueFile(config.occupationsFile) : DEFAULT_CATALOGUE,
    seal: loadSealKeys(config.sealKeyDir),
    certificateNumberFormat: config.certificateNumberFormat,
    publicUrl: config.web.publicUrl,
    mail: deliveryLoopFor(config.mail, db),
    certificateDir: `${config.dataDir}/certificates`,
    personalDataRetentionDays: config.personalDataRetentionDays,
  };
}

function readCatalogueFile(file: string) {
  try {
    return checkCatalogue(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    throw new Error(`OCCUPATIONS_FILE ${file}: ${(error as Error).message}`);
  }
}
