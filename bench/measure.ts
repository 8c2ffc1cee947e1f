/**
 * The bench's instruments: a bounded pool that runs cases, percentiles, and a memory sampler. Nothing here knows
 * about Temporal.
 */

/** Runs `count` jobs with at most `concurrency` in flight; stops taking new jobs after the first failure. */
export async function runPool(
  count: number,
  concurrency: number,
  job: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: unknown;
  const lane = async () => {
    while (failure === undefined && next < count) {
      const index = next++;
      try {
        await job(index);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  if (failure !== undefined) throw failure;
}

/** Nearest-rank percentile, in the samples' unit; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface MemoryPeak {
  rssBytes: number;
  heapUsedBytes: number;
}

/**
 * Samples this process's memory every `intervalMs` and keeps the peak overall and per phase. The worker runs in this
 * process, so its RSS covers the worker (the Rust core, the workflow threads, the activities and SQLite) as well as the
 * client and the driver; heapUsed is the main thread's V8 heap only, because workflows run in worker threads.
 */
export class MemorySampler {
  readonly overall: MemoryPeak = { rssBytes: 0, heapUsedBytes: 0 };
  readonly byPhase = new Map<string, MemoryPeak>();
  phase = 'setup';
  private timer?: NodeJS.Timeout;

  start(intervalMs = 100): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    // The sampler must never be what keeps the process alive.
    this.timer.unref();
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  private sample(): void {
    const { rss, heapUsed } = process.memoryUsage();
    const phasePeak = this.byPhase.get(this.phase) ?? { rssBytes: 0, heapUsedBytes: 0 };
    for (const peak of [this.overall, phasePeak]) {
      peak.rssBytes = Math.max(peak.rssBytes, rss);
      peak.heapUsedBytes = Math.max(peak.heapUsedBytes, heapUsed);
    }
    this.byPhase.set(this.phase, phasePeak);
  }
}

export const sleepMs = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Reads until `pick` finds something, at once and then with a short backoff (5, 10, 20, 40, 80, then every `maxGapMs`
 * ms), so that a wait costs few reads yet ends soon after the thing happens; throws, naming `what`, after `timeoutMs`.
 */
export async function pollUntil<V, T>(
  what: string,
  read: () => Promise<V>,
  pick: (value: V) => T | undefined,
  { timeoutMs = 60_000, maxGapMs = 100 }: { timeoutMs?: number; maxGapMs?: number } = {},
): Promise<T> {
  const giveUpAt = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) await sleepMs(Math.min(maxGapMs, 5 * 2 ** (attempt - 1)));
    const found = pick(await read());
    if (found !== undefined) return found;
    if (Date.now() > giveUpAt) throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
  }
}

/** A span's wall time and this process's CPU time (the worker runs here; the dev server does not). */
export interface Timed {
  ms: number;
  cpuMs: number;
}

/** Starts timing a span; `end()` answers it up to that moment. */
export function startSpan(): { end(): Timed } {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return {
    end() {
      const used = process.cpuUsage(cpu);
      return { ms: performance.now() - wall, cpuMs: (used.user + used.system) / 1000 };
    },
  };
}
