/**
 * A case's state (from the workflow's query) as a page and as JSON, and the task pages that notices link to.
 */
import { Router } from 'express';
import type { AppDeps } from '../app';
import { maskIdNumber } from '../../domain/idNumber';
import { getState, workflowIdFor, type CaseView } from '../../workflows/definitions';
import { HttpError } from '../temporalErrors';

export function casesRouter({ client, temporalUiUrl, namespace }: AppDeps): Router {
  const router = Router();
  // No sign-in exists yet (the inbox issue brings it), so these views never show the candidate's personal data.
  const stateOf = async (applicationNumber: string): Promise<CaseView> =>
    withoutPersonalData(await client.workflow.getHandle(workflowIdFor(applicationNumber)).query(getState));

  router.get('/api/cases/:number', async (req, res) => {
    res.json(await stateOf(req.params.number));
  });

  router.get('/cases/:number', async (req, res) => {
    const view = await stateOf(req.params.number);
    res.render('case', {
      title: `Case ${view.applicationNumber}`,
      view,
      workflowUrl: `${temporalUiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(
        workflowIdFor(view.applicationNumber),
      )}`,
    });
  });

  router.get('/tasks/:number/:taskId', async (req, res) => {
    const view = await stateOf(req.params.number);
    const task = view.tasks.find((candidate) => candidate.id === req.params.taskId);
    if (!task) throw new HttpError(404, `Case ${view.applicationNumber} has no task ${req.params.taskId}.`);
    res.render('task', { title: `Task ${task.id}`, view, task });
  });
  return router;
}

function withoutPersonalData(view: CaseView): CaseView {
  const { candidate } = view.application;
  return {
    ...view,
    application: {
      ...view.application,
      candidate: {
        name: `${candidate.name.slice(0, 1)}**`,
        idType: candidate.idType,
        idNumber: maskIdNumber(candidate.idNumber),
      },
    },
  };
}
