/**
 * Records event histories from real runs on the dev server into test/replay/histories/, for the replay test.
 * Run it when a deliberate change of workflow code has been put behind patched() and a new shape should be kept too:
 *
 *   npx tsx test/replay/record.ts
 *
 * Old histories are never rewritten: they are what running cases look like and what new code must still replay.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Level } from '../../domain/levels';
import { TaskKind, withdrawApplication } from '../../workflows/definitions';
import { actors } from '../helpers/actors';
import { applicationFor, applicationNeedingTraining } from '../helpers/applications';
import { driveTo, score, sendBack, waitForTask, type CaseHandle } from '../helpers/cases';
import { createHarness, type Harness } from '../helpers/harness';

const SCENARIOS: Record<string, (h: Harness) => Promise<CaseHandle>> = {
  'level5-issued': async (h) => {
    const handle = await h.start(applicationFor(Level.Primary));
    await driveTo(handle);
    return handle;
  },
  'level2-returned-then-issued': async (h) => {
    const handle = await h.start(applicationFor(Level.Technician));
    await driveTo(handle, TaskKind.CenterReview);
    await sendBack(handle, TaskKind.CenterReview, actors.centerReviewer, 'work-experience letter unsigned');
    await driveTo(handle);
    return handle;
  },
  'training-resit-issued': async (h) => {
    const handle = await h.start(applicationNeedingTraining());
    await driveTo(handle, TaskKind.ExamScores);
    await score(handle, TaskKind.ExamScores, { knowledge: 72, skills: 41 });
    await driveTo(handle);
    return handle;
  },
  'withdrawn-at-exam': async (h) => {
    const handle = await h.start(applicationFor(Level.Primary));
    await driveTo(handle, TaskKind.ExamScores);
    await handle.executeUpdate(withdrawApplication, {
      args: [{ actor: actors.stationClerk, reason: 'candidate moved to another province' }],
    });
    await handle.result();
    return handle;
  },
};

const h = await createHarness({ flavour: 'dev-server' });
try {
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    const file = path.join(import.meta.dirname, 'histories', `${name}.json`);
    if (existsSync(file)) continue;
    const handle = await scenario(h);
    await waitForTask(handle, TaskKind.StationReview).catch(() => undefined);
    await handle.result();
    writeFileSync(file, historyToJSON(await handle.fetchHistory()));
    console.log(`recorded ${file}`);
  }
} finally {
  await h.teardown();
}
