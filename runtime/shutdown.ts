/**
 * One orderly stop per process, however many signals arrive. A terminal's Ctrl-C reaches every process of the
 * foreground group, and tsx relays its own copy to the child about 30 ms later, so a process is often sent SIGINT
 * twice, then SIGTERM from whoever lost patience. A `process.once` handler is gone after the first, and Node's default
 * for the next one kills the process mid-shutdown, with activities still running. These handlers stay for the life of
 * the process: the first signal starts `stop`, later ones only say that it is under way.
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
