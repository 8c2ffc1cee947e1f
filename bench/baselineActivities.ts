/**
 * The baseline's activities: one per activity the product runs, each doing nothing. Their names differ from the
 * product's because one worker registers both sets. What remains of their cost is Temporal's own: scheduling, the
 * round trip to the worker, and the history events.
 */

/** The one argument every baseline activity takes; a case reference, so the payload is small but not empty. */
export interface BaselineActivityInput {
  caseId: string;
}

export const baselineActivities = {
  async baselineLoadPolicy(_: BaselineActivityInput): Promise<void> {},
  async baselineCheckEligibility(_: BaselineActivityInput): Promise<void> {},
  async baselineIssueAdmissionTicket(_: BaselineActivityInput): Promise<void> {},
  async baselineNotify(_: BaselineActivityInput): Promise<void> {},
  async baselineAssignCertificateNumber(_: BaselineActivityInput): Promise<void> {},
  async baselineSealCertificate(_: BaselineActivityInput): Promise<void> {},
  async baselineRecordHandover(_: BaselineActivityInput): Promise<void> {},
  async baselineRecordCase(_: BaselineActivityInput): Promise<void> {},
};
