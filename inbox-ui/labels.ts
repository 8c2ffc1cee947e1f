/**
 * What people call the stages, tasks and documents, in the reader's language (the `labels` catalogue), for pages,
 * charts and the API's `...Label` fields. An unknown code shows itself rather than nothing.
 */
import type { TFunction } from 'i18next';
import { Stage } from '../workflows/definitions';

const label = (group: string) => (t: TFunction, code: string) => t(`labels:${group}.${code}`, { defaultValue: code });

export const stageLabel = label('stage');
export const taskLabel = label('task');
export const sessionTaskLabel = label('sessionTask');
export const sessionStageLabel = label('sessionStage');
export const documentLabel = label('document');
export const dueStateLabel = label('due');

/** Every stage as a select's options, the chosen one marked. */
export const stageOptions = (t: TFunction, selected?: string) =>
  Object.values(Stage).map((stage) => ({ value: stage, label: stageLabel(t, stage), selected: stage === selected }));
