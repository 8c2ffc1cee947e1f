/**
 * A claim of a session's task that reaches the session after its claimer's account was deactivated goes back to the
 * group at once, as a case's does: the claim's row is written to the projection before the account is read, so the
 * deactivation, which reads the projection after marking the account, and the claim cannot both miss each other.
 */
import { translator } from '../../i18n';
import { deactivateAccount } from '../../records/accounts';
import { findUser } from '../../records/directory';
import { performSessionTaskAction } from '../../inbox-ui/sessionTaskActions';
import type { HttpError } from '../../inbox-ui/temporalErrors';
import { actorOf } from '../../inbox-ui/auth/access';
import { claimSessionTask, SessionTaskKind } from '../../workflows/sessionDefinitions';
import { eventually } from '../helpers/cases';
import { testWithHarness } from '../helpers/harnessTests';
import { addAccount } from '../inbox/fixtures';
import { sessionState } from '../../runtime/sessions';
import { plan, planAhead, waitForSessionTask } from './helpers';

const test = testWithHarness({ flavour: 'dev-server' });

test('a session task claimed after its claimer was deactivated goes back to the group', async (t) => {
  const h = t.context;
  const sessionId = await plan(h, await planAhead(h));
  const review = await waitForSessionTask(h, sessionId, SessionTaskKind.PlanReview);
  await addAccount(h.deps.db, 'hu.center-reviewer', 'Hu Jun', [review.candidateGroup]);
  // The request was let in while the account was active; the deactivation comes between and finds nothing held.
  const hu = (await findUser(h.deps.db, 'hu.center-reviewer'))!;
  await deactivateAccount(h.deps.db, { username: hu.id, by: 'admin', reason: 'left the center', now: new Date() });

  const refused = await t.throwsAsync(
    performSessionTaskAction(
      { client: h.client, db: h.deps.db },
      sessionId,
      claimSessionTask,
      { taskId: review.id, actor: actorOf(hu) },
      translator('en'),
    ),
  );
  t.is((refused as HttpError).status, 409);
  t.regex(refused!.message, /^Hu Jun's account was deactivated while this was being recorded/);
  const task = (await sessionState(h.client, sessionId)).tasks.find((candidate) => candidate.id === review.id)!;
  t.is(task.assignee, undefined, 'the session holds the task for its group');
  await eventually('the projection to show the task unclaimed', async () => {
    const row = await h.deps.db
      .selectFrom('tasks')
      .select('assignee')
      .where('task_id', '=', review.id)
      .where('application_number', '=', sessionId)
      .executeTakeFirst();
    return row && row.assignee === null ? true : undefined;
  });
});
