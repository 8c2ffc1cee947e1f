/**
 * Records investigation histories into test/investigations/histories/, for replay.test.ts beside this file. They run on
 * the time-skipping server, because one of them waits out the 60-day appeal window:
 *
 *   npx tsx test/investigations/record.ts
 *
 * Old histories are never rewritten: they are what running investigations look like, and new code must replay them.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { appeal, investigationHandle } from '../../runtime/investigations';
import { InvestigationDecision, InvestigationTaskKind } from '../../workflows/investigationDefinitions';
import { actors } from '../helpers/actors';
import { createHarness, type Harness } from '../helpers/harness';
import { departmentDecides, issueCertificate, report, waitForTask } from './helpers';

const DAY_MS = 24 * 60 * 60 * 1000;

const SCENARIOS: Record<string, (h: Harness) => Promise<string>> = {
  'revoked-appealed-reinstated': async (h) => {
    const { number } = await issueCertificate(h);
    const { investigationId: id } = await report(h, number);
    await report(h, number, { reporter: 'a second witness', description: 'Saw the same phone in the exam room.' });
    await departmentDecides(h, id, InvestigationDecision.Revoke, 'Confirmed by two invigilators.');
    await h.skip(10 * DAY_MS);
    await appeal(h.client, id, { actor: actors.stationClerk, reason: 'The phone was not the holder’s.' });
    await departmentDecides(h, id, InvestigationDecision.Reinstate, 'The video clears the holder.');
    return id;
  },
  'revoked-window-closed': async (h) => {
    const { number } = await issueCertificate(h);
    const { investigationId: id } = await report(h, number);
    await departmentDecides(h, id, InvestigationDecision.Revoke, 'The seal was forged.');
    await h.skip(62 * DAY_MS);
    return id;
  },
  'escalated-then-dismissed': async (h) => {
    const { number } = await issueCertificate(h);
    const { investigationId: id } = await report(h, number);
    await waitForTask(h, id, InvestigationTaskKind.Decision);
    await h.skip(30 * DAY_MS);
    await departmentDecides(h, id, InvestigationDecision.Dismiss, 'Unfounded.');
    return id;
  },
};

const h = await createHarness({ flavour: 'time-skipping' });
try {
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    const file = path.join(import.meta.dirname, 'histories', `${name}.json`);
    if (existsSync(file)) continue;
    const handle = investigationHandle(h.client, await scenario(h));
    await handle.result();
    writeFileSync(file, historyToJSON(await handle.fetchHistory()));
    console.log(`recorded ${file}`);
  }
} finally {
  await h.teardown();
}
