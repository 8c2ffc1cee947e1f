// The bench worker's workflowsPath entry: the product's case and its baseline, so one worker on one task queue
// serves both and they share the process, the server and the machine.
export { applicationWorkflow } from '../workflows/application';
export { baselineWorkflow } from './baselineWorkflow';
