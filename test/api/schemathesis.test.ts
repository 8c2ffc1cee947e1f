/**
 * Schemathesis (installed by scripts/setup-schemathesis.sh) fuzzes the JSON API from its own document,
 * /api/openapi.json, against a live app over a real harness: as an administrator, as a station clerk, and with no
 * token. All its checks hold the document and the server to each other: no 5xx, every response in the document's
 * schema, status code and content type, no request the document allows refused as invalid (nor one it forbids
 * accepted), and 405 with `Allow` for a method a path does not have. The run is bounded (deterministic generation,
 * one worker, a few examples per operation) so that it is the same every time and the file takes about two minutes
 * on two cores.
 * test/api/schemathesis.toml holds the operations that may answer 422 to data the document cannot describe, each with
 * its reason.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Level } from '../../domain/levels';
import { applicationFor } from '../helpers/applications';
import { testWithHarness } from '../helpers/harnessTests';
import type { Harness } from '../helpers/harness';
import type { WebApp } from '../helpers/web';
import { intake, openTaskOf, type People, startInboxWeb } from '../inbox/fixtures';
import { TaskKind } from '../../workflows/definitions';

const test = testWithHarness({ flavour: 'dev-server' });
const run = promisify(execFile);

const ST = path.resolve('.schemathesis-venv/bin/st');
const CONFIG = path.resolve('test/api/schemathesis.toml');

/**
 * Every check Schemathesis has: besides no 5xx and responses as documented (schema, status, content type, headers),
 * requests the document allows accepted and those it forbids refused, 405 with `Allow` for undeclared methods,
 * authentication that is really required, and resources that stay available (or gone) as the answers said.
 */
const CHECKS = 'all';

/**
 * What cannot be fuzzed honestly, each with its reason:
 * - DELETE /api/session signs out the token the run is using: every request after it would be a 401.
 * - POST /api/session signs in: random user names lock accounts (423) and count against the sign-in limits, which
 *   is what the session tests check; a run that locked `admin` would refuse its own later requests.
 * - POST /api/account/password: each wrong current password counts as a failed sign-in of the run's own account, so
 *   fuzzing it locks that account; test/inbox/passwords.test.ts checks every answer it gives.
 */
const EXCLUDED_PATHS = ['/api/session', '/api/account/password'];

let web: WebApp;
let who: People;

test.serial.before(async (t) => {
  ({ web, who } = await startInboxWeb(t.context));
});
test.after.always(async () => {
  await web?.close();
});

/**
 * A case of the run's own, its station review open: the case routes are fuzzed against it (schemathesis.toml reads
 * its number and task from the environment), so they answer about a real case and not only 404.
 */
async function caseInFlight(h: Harness): Promise<{ number: string; taskId: string }> {
  const number = await intake(await who.api('sun.clerk'), applicationFor(Level.Primary));
  const task = await openTaskOf(h, number, TaskKind.StationReview);
  return { number, taskId: task.id };
}

/** Runs Schemathesis against the live app; its exit code and its own report. */
async function schemathesis(
  theCase: { number: string; taskId: string },
  token?: string,
): Promise<{ code: number; report: string }> {
  if (!existsSync(ST)) throw new Error(`${ST} is missing: run scripts/setup-schemathesis.sh (npm test does)`);
  const args = [
    '--config-file',
    CONFIG,
    'run',
    `${web.base}/api/openapi.json`,
    '--checks',
    CHECKS,
    '--workers',
    '1',
    '--max-examples',
    '8',
    // Deterministic generation also keeps no examples between runs: each run is the same.
    '--generation-deterministic',
    '--no-color',
    ...EXCLUDED_PATHS.flatMap((excluded) => ['--exclude-path', excluded]),
    // While working on one area of the API, `SCHEMATHESIS_PATHS=^/api/sessions nice npx ava <this file>` fuzzes only
    // its paths; the suite always runs them all.
    ...(process.env.SCHEMATHESIS_PATHS ? ['--include-path-regex', process.env.SCHEMATHESIS_PATHS] : []),
    ...(token ? ['--header', `Authorization: Bearer ${token}`] : []),
  ];
  try {
    const env = { ...process.env, NO_COLOR: '1', QUALIFLOW_CASE: theCase.number, QUALIFLOW_TASK: theCase.taskId };
    const { stdout } = await run(ST, args, { maxBuffer: 32 * 1024 * 1024, env });
    return { code: 0, report: stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, report: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

const fuzzedAs = test.macro(async (t, user?: string) => {
  const token = user ? (await who.api(user)).token : undefined;
  const { code, report } = await schemathesis(await caseInFlight(t.context), token);
  // Its last count: `2655 generated, 2595 passed, 60 skipped` (negative cases it could not build for an operation),
  // or `2262 generated, 6 found 6 unique failures`.
  const counted = /\d+ generated, ([^\n]*)/.exec(report);
  // The whole report when something failed (each failure with its curl line to reproduce it); else only its count.
  // Not its summary: that closes on a banner like `=== No issues found in 30.12s ===`, which CI's reader takes for
  // pytest's closing line with no test counted, and the whole run was then judged to have run no test.
  t.log(code === 0 ? `Schemathesis: ${counted?.[0] ?? 'no count'}` : report);
  t.truthy(counted, 'Schemathesis did not finish its run: its report is logged above');
  t.regex(
    counted?.[1] ?? '',
    /^\d+ passed(, \d+ skipped)?\s*$/,
    'Schemathesis found failures: its report is logged above',
  );
  t.is(code, 0);
});

test.serial('the API answers as its document says to an administrator', fuzzedAs, 'admin');
test.serial('the API answers as its document says to a station clerk', fuzzedAs, 'sun.clerk');
test.serial('the API answers as its document says to someone without a token', fuzzedAs);
