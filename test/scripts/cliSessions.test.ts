/**
 * The session client acts as the person who logged in, through the JSON API: a station's clerk plans a session from a
 * plan file, the guidance center's reviewer approves it, the clerk seats a case, and another station's clerk is refused
 * in the API's own words.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { SessionStage, SessionTaskKind } from '../../workflows/sessionDefinitions';
import { apiAs, startWeb } from '../helpers/web';
import { UNLIMITED_SIGN_IN } from '../inbox/fixtures';
import { caseAwaitingSeat, planAhead, waitForSession, waitForSessionTask } from '../sessions/helpers';
import { testWithTerminals } from './cliTerminal';

const { test, terminals } = testWithTerminals({ flavour: 'time-skipping', policy: { appraisalSessions: true } }, (h) =>
  startWeb(h, { signInLimits: UNLIMITED_SIGN_IN }),
);

test.serial(
  'a session is planned, approved and filled from the command line by the people whose work it is',
  async (t) => {
    const h = t.context;
    const clerk = await terminals.loggedIn(t, 'sun.clerk', 'session');
    const planFile = path.join(clerk.home, 'plan.json');
    writeFileSync(planFile, JSON.stringify(await planAhead(h)));

    const planned = await clerk.run(['session', 'plan', planFile]);
    t.is(planned.code, 0, planned.stderr);
    const sessionId = /^Planned session (\S+);/.exec(planned.stdout)?.[1] ?? '';
    t.truthy(sessionId, planned.stdout);

    const review = await waitForSessionTask(h, sessionId, SessionTaskKind.PlanReview);
    const byClerk = await clerk.run(['session', 'approve', sessionId, review.id]);
    const byClerkApi = await (
      await apiAs(terminals.web.base, 'sun.clerk')
    ).post(`/api/sessions/${sessionId}/tasks/${review.id}/approve`, {});
    t.is(byClerk.code, 1);
    t.is(byClerk.stderr.trim(), `Refused: ${byClerkApi.body.error}`);

    const center = await terminals.loggedIn(t, 'wu.center-reviewer', 'session');
    const approved = await center.run(['session', 'approve', sessionId, review.id, '--comment', 'Rooms are fine']);
    t.is(approved.code, 0, approved.stderr);
    await waitForSession(h, sessionId, 'registration', (view) => view.stage === SessionStage.Registration);

    const { application } = await caseAwaitingSeat(h);
    const seated = await clerk.run(['session', 'seat', sessionId, application.applicationNumber]);
    t.is(seated.code, 0, seated.stderr);
    t.regex(seated.stdout, new RegExp(`^Seated ${application.applicationNumber} in session ${sessionId}: `));

    const shown = await clerk.run(['session', 'show', sessionId]);
    t.regex(shown.stdout, new RegExp(`^Session ${sessionId} of station-a: `));
    t.true(shown.stdout.includes(`plan-approve ${review.id} by wu.center-reviewer: Rooms are fine`), shown.stdout);
  },
);

test.serial('another station’s clerk cannot cancel the session, and the API’s refusal is printed', async (t) => {
  const h = t.context;
  const plannedBy = await terminals.loggedIn(t, 'sun.clerk', 'session');
  const planFile = path.join(plannedBy.home, 'plan.json');
  writeFileSync(planFile, JSON.stringify(await planAhead(h)));
  const sessionId = /^Planned session (\S+);/.exec((await plannedBy.run(['session', 'plan', planFile])).stdout)?.[1];

  const other = await terminals.loggedIn(t, 'he.clerk-b', 'session');
  const refused = await other.run(['session', 'cancel', sessionId!, '--reason', 'Not ours to hold']);
  const byApi = await (
    await apiAs(terminals.web.base, 'he.clerk-b')
  ).post(`/api/sessions/${sessionId}/cancel`, {
    reason: 'Not ours to hold',
  });
  t.is(refused.code, 1);
  t.is(refused.stderr.trim(), `Refused: ${byApi.body.error}`);
  const view = await waitForSession(h, sessionId!, 'the plan review', (v) => v.tasks.length > 0);
  t.false(view.closed);
});
