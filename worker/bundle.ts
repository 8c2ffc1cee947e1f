/**
 * The workflow bundle, built by webpack in a child process and handed back as code.
 *
 * Bundling in the worker's own process leaves its memory behind: measured on the development machine, a process's RSS
 * went from 187 MB to 386 MB while bundling and stayed there after garbage collection, with 70 MB of it heap. A worker
 * runs for months, so that is 200 MB of every worker process's life spent on a step of its first seconds. The child
 * exits when the bundle is written, and its memory goes with it.
 *
 * Run as a script it is that child: `node --import tsx worker/bundle.ts <options.json> <out.js>`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { BundleOptions } from '@temporalio/worker';

/** What the child bundles: the paths of the workflows, the failure converter and the workflow interceptors. */
export type BundlePaths = Pick<BundleOptions, 'workflowsPath' | 'failureConverterPath' | 'workflowInterceptorModules'>;

const SELF = fileURLToPath(import.meta.url);

export async function bundleApart(paths: BundlePaths): Promise<{ code: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'qualiflow-bundle-'));
  try {
    const options = path.join(dir, 'options.json');
    const out = path.join(dir, 'workflows.js');
    writeFileSync(options, JSON.stringify(paths));
    // From the project's folder, where `--import tsx` finds tsx whatever folder the worker was started from.
    await promisify(execFile)(process.execPath, ['--import', 'tsx', SELF, options, out], {
      cwd: path.dirname(path.dirname(SELF)),
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: Error & { stderr?: string }) => {
      throw new Error(`Could not bundle the workflows: ${error.stderr?.trim() || error.message}`);
    });
    return { code: readFileSync(out, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === SELF) {
  const [options, out] = process.argv.slice(2);
  const { bundleWorkflowCode } = await import('@temporalio/worker');
  const paths = JSON.parse(readFileSync(options, 'utf8')) as BundlePaths;
  // Only problems reach the parent (as this process's stderr, in its error); webpack's progress is noise.
  const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn: console.error, error: console.error };
  const { code } = await bundleWorkflowCode({ ...paths, logger: quiet });
  writeFileSync(out, code);
}
