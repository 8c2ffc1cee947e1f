/**
 * What the command-line clients share: usage errors, required arguments, and how a failure is told to a person
 * (a usage mistake as it is, a refusal with its reason, anything else as a failure), always with exit code 1.
 */
import { httpStatusFor } from '../inbox-ui/temporalErrors';

export class UsageError extends Error {}

export function required(command: string | undefined, value: string | undefined, what: string): string {
  if (!value) throw new UsageError(`${command} needs ${what}.`);
  return value;
}

/** Runs the command; `explain` may word a failure of its own kind, returning undefined for the common ones. */
export function runCommand(
  main: () => Promise<void>,
  explain: (error: unknown) => string | undefined = () => undefined,
) {
  main().catch((error) => {
    const own = explain(error);
    if (own) {
      console.error(own);
    } else if (error instanceof UsageError || (error instanceof Error && /^Unknown user/.test(error.message))) {
      console.error(error.message);
    } else {
      const { status, message } = httpStatusFor(error);
      console.error(status >= 500 ? `Failed: ${(error as Error).message}` : `Refused: ${message}`);
    }
    process.exitCode = 1;
  });
}
