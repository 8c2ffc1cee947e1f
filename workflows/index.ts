// The worker's workflowsPath entry: every workflow type the task queue runs.
export { applicationWorkflow } from './application';
export { investigationWorkflow } from './investigation';
export { sessionWorkflow } from './session';
export { retentionWorkflow } from './retention';
