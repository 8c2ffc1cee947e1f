/**
 * A session's lists of candidates in the personal-data access log (records/personalDataAccess.ts): the check-in list
 * and the admission tickets name each seated candidate in full to the station, so each showing is a row, written
 * together; the guidance center sees the list masked and is not in the log.
 */
import { randomBytes } from 'node:crypto';
import { indexNewCase } from '../../records/caseIndex';
import { showingsOf } from '../../records/personalDataAccess';
import { testWithHarness } from '../helpers/harnessTests';
import { apiAs, startWeb, type WebApp } from '../helpers/web';
import { residentId, UNLIMITED_SIGN_IN } from '../inbox/fixtures';
import { seatedSession } from './helpers';

const test = testWithHarness({ flavour: 'time-skipping', policy: { appraisalSessions: true } });

const KEY = randomBytes(32);
let web: WebApp;
test.serial.before(async (t) => {
  web = await startWeb(t.context, { signInLimits: UNLIMITED_SIGN_IN, personalDataKey: KEY });
});
test.after.always(async () => {
  await web?.close();
});

test.serial(
  'the check-in list and the tickets record each candidate shown to the station, and not to the center',
  async (t) => {
    const h = t.context;
    const { sessionId, seated } = await seatedSession(h, 3);
    // Intake writes the people into the case index; these cases were started directly, so the test does it, giving each
    // candidate an ID number of their own (the lists read the index).
    const people = seated.map(({ application }, index) => ({
      ...application,
      candidate: { ...application.candidate, name: `候选人${index}`, idNumber: residentId(900 + index) },
    }));
    for (const person of people) await indexNewCase(h.deps.db, person, new Date().toISOString());
    const clerk = await apiAs(web.base, 'sun.clerk');
    const center = await apiAs(web.base, 'wu.center-reviewer');

    t.is((await clerk.get(`/api/sessions/${sessionId}/check-in`)).status, 200);
    t.is((await center.get(`/api/sessions/${sessionId}/check-in`)).status, 200);
    const ticket = await fetch(`${web.base}/api/sessions/${sessionId}/tickets/${seated[1].ticket}`, {
      headers: { authorization: `Bearer ${clerk.token}` },
    });
    t.is(ticket.headers.get('content-type'), 'application/pdf');

    for (const [index, application] of people.entries()) {
      const rows = await showingsOf(h.deps.db, KEY, application.candidate.idNumber);
      const expected = [
        ...(index === 1 ? [{ viewer: 'sun.clerk', purpose: 'admission-tickets' }] : []),
        { viewer: 'sun.clerk', purpose: 'check-in-list' },
      ];
      t.deepEqual(
        rows.map(({ viewer, purpose }) => ({ viewer, purpose })),
        expected,
        application.candidate.name,
      );
      t.like(rows.at(-1), { application_number: application.applicationNumber, basis: 'session-office' });
    }
    const listed = await h.deps.db
      .selectFrom('personal_data_access')
      .select('at')
      .where('purpose', '=', 'check-in-list')
      .execute();
    t.is(new Set(listed.map((row) => row.at)).size, 1, 'one page, one write: the rows share their moment');
  },
);
