/**
 * The answers several areas of the API share: a case as its workflow reports it, and the result of an action on one
 * of its tasks. Loose on purpose where the workflow's view is passed on whole: the document names the fields a client
 * relies on, and the rest may grow without a new version of the API.
 */
import { z } from 'zod';
import { say } from './fields';

/** A list the workflow reports whole (tasks, history): each entry an object, described by its own page. */
export const entries = z.array(z.looseObject({}));

export const CaseBody = z
  .looseObject({
    applicationNumber: z.string(),
    stage: z.string(),
    closed: z.boolean(),
    application: z.looseObject({}),
    eligibility: z.looseObject({}).optional(),
    tasks: entries,
    history: entries,
  })
  .partial()
  .meta({
    id: 'Case',
    description: 'The case as its workflow reports it; the candidate masked unless your work needs the person.',
  });

export const ActionResult = z
  .object({
    message: z.string().optional(),
    task: z.looseObject({}).optional(),
    case: CaseBody,
  })
  .meta({ id: 'ActionResult' });

/** The path of a case: its application number. */
export const CaseParams = z.object({ number: z.string().meta({ description: 'Application number' }) });

/** A task named by its case and its id. */
const TaskRef = z.object({ applicationNumber: z.string().min(1), taskId: z.string().min(1) });

/**
 * One task of a list (a bulk action, a print batch), refused as a whole at `tasks.<i>` when it is not
 * `{ applicationNumber, taskId }`: a client learns which item is wrong, not which of its halves.
 */
export const TaskRefItem = z.preprocess((value, context) => {
  if (!TaskRef.safeParse(value).success) {
    context.addIssue({ code: 'custom', message: say('inbox:errors.task'), input: value });
  }
  return value;
}, TaskRef);
