/**
 * Lists cases from Temporal's visibility store through the search attributes the workflow keeps up to date.
 * Nothing personal is stored there, so the list shows numbers, stages and deadlines only.
 */
import type { Client } from '@temporalio/client';
import { searchAttributes } from '../workflows/definitions';

export interface CaseSummary {
  applicationNumber: string;
  workflowId: string;
  stage?: string;
  openTasks: string[];
  nextDueAt?: string;
  status: string;
}

export async function listCases(
  client: Client,
  { limit, query }: { limit: number; query?: string },
): Promise<CaseSummary[]> {
  const cases: CaseSummary[] = [];
  const filter = `WorkflowType = 'applicationWorkflow'${query ? ` AND ${query}` : ''}`;
  for await (const execution of client.workflow.list({ query: filter, pageSize: limit })) {
    const attrs = execution.typedSearchAttributes;
    cases.push({
      workflowId: execution.workflowId,
      applicationNumber: execution.workflowId.replace(/^application-/, ''),
      stage: attrs.get(searchAttributes.stage),
      openTasks: attrs.get(searchAttributes.openTaskKinds) ?? [],
      nextDueAt: attrs.get(searchAttributes.nextDueAt)?.toISOString(),
      status: execution.status.name,
    });
    if (cases.length >= limit) break;
  }
  return cases;
}
