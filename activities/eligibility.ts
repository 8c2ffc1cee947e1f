/**
 * The eligibility stage's one piece of I/O: which occupation catalogue and rule set are in force. The judgement
 * itself is the pure domain function; running it here records its result in the case's history, so an edit of the
 * catalogue file or a new rule set never changes how an existing case replays.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { ApplicationInput } from '../domain/application';
import { type EligibilityResult, evaluateEligibility, findRuleSet, ruleSetFor } from '../domain/eligibility';
import { type OccupationCatalogue, findOccupation, trainingRequired } from '../domain/occupations';
import type { ProcessPolicy } from '../workflows/definitions';

export interface EligibilityDeps {
  policy: ProcessPolicy;
  catalogue: OccupationCatalogue;
}

export function createEligibilityActivities({ policy, catalogue }: EligibilityDeps) {
  return {
    /** The policy and rule-set version a case keeps for its whole life, chosen by its submission date. */
    async loadPolicy({
      submittedAt,
    }: {
      submittedAt: string;
    }): Promise<{ policy: ProcessPolicy; ruleSetVersion: string }> {
      return { policy, ruleSetVersion: ruleSetFor(submittedAt.slice(0, 10)).version };
    },

    async checkEligibility(input: {
      application: ApplicationInput;
      ruleSetVersion: string;
      submittedOn: string;
    }): Promise<{ result: EligibilityResult; trainingRequired: boolean }> {
      const ruleSet = findRuleSet(input.ruleSetVersion);
      if (!ruleSet) throw ApplicationFailure.nonRetryable(`Unknown rule set ${input.ruleSetVersion}`, 'InvalidInput');
      const occupation = findOccupation(input.application.occupation, catalogue);
      if (!occupation) {
        throw ApplicationFailure.nonRetryable(`Unknown occupation ${input.application.occupation}`, 'InvalidInput');
      }
      return {
        result: evaluateEligibility(input.application, ruleSet, input.submittedOn),
        // Decided here, not in the workflow, so that a case checked before a training completion certificate counted
        // replays its recorded answer and keeps the training stage it was given.
        trainingRequired: trainingRequired(occupation, input.application),
      };
    },
  };
}
