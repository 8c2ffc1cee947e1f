/**
 * What the command-line clients share: their words (the `cli` catalogue, in the language of the terminal's locale),
 * usage errors, required arguments, and how a failure is told to a person (a usage mistake as it is, a refusal with its
 * reason, anything else as a failure), always with exit code 1.
 */
import { formatDateTime, translator } from '../i18n';
import { isLevel, type Level, levelTitle, levelTitleZh } from '../domain/levels';
import { findOccupation, occupationName } from '../domain/occupations';
import { messageText } from '../inbox-ui/messageText';
import { cliLanguage } from '../runtime/config';
import type { CaseEvent } from '../workflows/definitions';

// The rule lives beside the configuration, whose errors are read at the same terminal; the clients import it from here.
export { cliLanguage };

/** The terminal's language, read once: the commands run briefly and never change it. */
export const language = cliLanguage();
export const t = translator(language);

export class UsageError extends Error {}

export function required(command: string | undefined, value: string | undefined, what: string): string {
  if (!value) throw new UsageError(t('cli:needs', { command, what }));
  return value;
}

/** Items as the language lists them: 'a, b, c' or 'a、b、c'. */
export const list = (items: readonly string[]): string => items.join(t('cli:listSeparator'));

/** An instant in China time ('2026年11月29日 14:05'); the lines that print them say once that they are China time. */
export const time = (iso: string | undefined): string => formatDateTime(iso, language);

/** 'Welder, Level 4 (intermediate)' or '焊工（四级/中级工）'; an unknown occupation code shows itself. */
export function qualificationName(occupation: string, level: Level): string {
  const known = findOccupation(occupation);
  return t('cli:qualification', {
    occupation: known ? occupationName(known, language) : occupation,
    level: levelName(level),
  });
}

export function levelName(level: Level | number): string {
  if (!isLevel(level)) return String(level);
  return language === 'en' ? levelTitle(level) : levelTitleZh(level);
}

/** The last lines of a history, oldest first, times in China time. */
export function printHistory(history: CaseEvent[], last: number): void {
  console.log(t('cli:history.heading'));
  for (const event of history.slice(-last)) {
    const what = [event.type, event.taskId].filter(Boolean).join(' ');
    // What the workflow worded itself is said in the terminal's language; what a person typed, as typed.
    const comment = event.said ? messageText(t, event.said) : event.comment;
    console.log(
      t('cli:history.event', { at: time(event.at), what }) +
        (event.by ? t('cli:history.by', { by: event.by }) : '') +
        (comment ? t('cli:history.comment', { comment }) : ''),
    );
  }
}

/** Runs the command; `explain` may word a failure of its own kind, returning undefined for the common ones. */
export function runCommand(
  main: () => Promise<void>,
  explain: (error: unknown) => string | undefined = () => undefined,
) {
  main().catch(async (error) => {
    // Loaded only for a failure: verify-certificate shares this module's words and needs nothing of Temporal's.
    const { WorkflowNotFoundError } = await import('@temporalio/client');
    const { httpStatusFor } = await import('../inbox-ui/temporalErrors');
    const { ApiRefused } = await import('./apiClient');
    const own = explain(error);
    if (own) {
      console.error(own);
    } else if (error instanceof UsageError) {
      console.error(error.message);
    } else if (error instanceof ApiRefused) {
      // The API's own sentence, already in the terminal's language (the client sends it as Accept-Language).
      console.error(
        error.status >= 500
          ? t('cli:failed', { message: error.message })
          : t('cli:refused.because', { reason: error.message }),
      );
      for (const [field, message] of Object.entries(error.fields))
        console.error(t('cli:fieldError', { field, message }));
    } else if (error instanceof WorkflowNotFoundError) {
      console.error(t('cli:refused.notFound', { id: error.workflowId }));
    } else {
      const { status, message } = httpStatusFor(error, t);
      console.error(
        status >= 500
          ? t('cli:failed', { message: (error as Error).message })
          : t('cli:refused.because', { reason: message }),
      );
    }
    process.exitCode = 1;
  });
}
