/**
 * Cases in the case index as the statistics read them, without running their workflows: submitted on a day and, when
 * scores are given, examined with the outcome those scores make (the stage and grade the records activity writes).
 */
import type { ApplicationInput } from '../../domain/application';
import { examOutcome, type ExamScores } from '../../domain/scores';
import type { Db } from '../../records/database';
import { indexNewCase, updateCaseStage } from '../../records/caseIndex';
import { type CaseView, Stage } from '../../workflows/definitions';

export async function indexExamined(
  db: Db,
  application: ApplicationInput,
  submittedAt: string,
  scores?: ExamScores,
): Promise<void> {
  await indexNewCase(db, application, submittedAt);
  if (!scores) return;
  const outcome = examOutcome(scores);
  const view = {
    applicationNumber: application.applicationNumber,
    stage: outcome.passed ? Stage.ComprehensiveReview : Stage.Failed,
    application,
    submittedAt,
    tasks: [],
    history: [],
    exam: { examDate: '2026-03-20', scores, outcome },
  } as unknown as CaseView;
  await updateCaseStage(db, view, 5);
}
