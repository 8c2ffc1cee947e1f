/**
 * One orderly stop per process, however many signals arrive. A terminal's Ctrl-C reaches every process of the
 * foreground group, so a process is often sent SIGINT twice, then SIGTERM from whoever lost patience. A
 * `process.once` handler is gone after the first, and Node's default for the next one kills the process mid-shutdown,
 * with activities still running. These handlers stay for the life of the process: the first signal starts `stop`,
 * later ones only say that it is under way.
 *
 * The long-running commands (`npm start`, `npm run worker`, `npm run web`) run as `node --import tsx`, not under the
 * tsx command: that one relays each signal to its child and SIGKILLs the child when it has not confirmed the signal
 * within about 60 ms, which a loaded machine missed (the stop then ended at "Stopping …").
 */
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export function stopOnSignals(stop: () => Promise<void>, say: (line: string) => void = console.log): void {
  let stopping: Promise<void> | undefined;
  for (const signal of SIGNALS) {
    process.on(signal, () => {
      if (stopping) {
        say(`(${signal}: already stopping; running activities are finishing.)`);
        return;
      }
      stopping = stop().catch((error: Error) => {
        console.error(`Stopping failed: ${error.message}`);
        process.exitCode = 1;
      });
    });
  }
}
