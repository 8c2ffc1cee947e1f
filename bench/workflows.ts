// The bench worker's workflowsPath entry: the product's case and its baseline, so one worker on one task queue
// serves both and they share the process, the server and the machine; and the appraisal session, for the session
// bench (bench/session.ts).
export { applicationWorkflow } from '../workflows/application';
export { sessionWorkflow } from '../workflows/session';
export { baselineWorkflow } from './baselineWorkflow';
