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
import type { Config } from '../runtime/config';
import { institutionFor } from '../runtime/organisations';

export async function buildActivityDeps(config: Config): Promise<ActivityDeps> {
  return {
    db: await openDatabase(config.databaseFile),
    policy: config.policyFile ? readPolicyFile(config.policyFile) : DEFAULT_POLICY,
    catalogue: config.occupationsFile ? readCatalogueFile(config.occupationsFile) : DEFAULT_CATALOGUE,
    seal: loadSealKeys(config.sealKeyDir),
    certificateNumberFormat: config.certificateNumberFormat,
    institutionFor,
    publicUrl: config.web.publicUrl,
  };
}

function readCatalogueFile(file: string) {
  try {
    return checkCatalogue(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    throw new Error(`OCCUPATIONS_FILE ${file}: ${(error as Error).message}`);
  }
}
