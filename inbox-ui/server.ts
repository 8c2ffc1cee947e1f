/**
 * `npm run web`: the web app alone, for deployments that run web servers apart from workers.
 */
import { loadCjkFont } from '../activities/cjkFont';
import { readPolicyFile } from '../activities/policy';
import { loadSealKeys } from '../activities/seal';
import { openDatabase } from '../records/database';
import { translator } from '../i18n';
import { cliLanguage, databaseTarget, loadConfig } from '../runtime/config';
import { personalDataKeyOf } from '../runtime/encryption/keys';
import { stopOnSignals } from '../runtime/shutdown';
import { connectTemporal } from '../runtime/temporal';
import { startTracing } from '../runtime/tracing';
import { createApp } from './app';
import { listen } from './listen';
import { DEFAULT_SIGN_IN_LIMITS } from './routes/session';

const config = loadConfig();
// Tickets and reports are printed here too: without the font, refuse to start rather than fail the first download.
loadCjkFont();
const tracing = startTracing(config.tracing, 'qualiflow-web');
const temporal = await connectTemporal(config, { startServer: false, tracing });
const db = await openDatabase(databaseTarget(config));
const server = await listen(
  createApp({
    client: temporal.client,
    db,
    temporalUiUrl: temporal.uiUrl,
    namespace: temporal.namespace,
    seal: loadSealKeys(config.sealKeyDir),
    publicUrl: config.web.publicUrl,
    emailNotices: config.mail.smtpUrl !== undefined,
    trustProxy: config.web.trustProxy,
    demoDirectory: config.demoProvince,
    signInLimits: { ...DEFAULT_SIGN_IN_LIMITS, perAccount: config.signInLockAfter },
    metricsToken: config.metricsToken,
    personalDataKey: personalDataKeyOf(config.sealKeyDir, translator(cliLanguage())),
    calendar: config.policyFile ? readPolicyFile(config.policyFile).calendar : undefined,
    tracer: tracing?.tracer,
  }),
  config.web,
);
console.log(`Qualiflow web app on ${config.web.publicUrl}`);
stopOnSignals(async () => {
  await server.close();
  await db.destroy();
  await temporal.close();
  await tracing?.shutdown();
});
