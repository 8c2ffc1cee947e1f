import test from 'ava';
import { Level } from '../../domain/levels';
import { findIndexedCase, indexNewCase, searchCases, updateCaseStage } from '../../records/caseIndex';
import { seedDemoDirectory } from '../../records/demoProvince';
import { createSession, endSession, pruneSessions, userOfSession } from '../../records/sessions';
import { type CaseView, Stage } from '../../workflows/definitions';
import { applicationFor } from '../helpers/applications';
import { DIALECTS, freshDatabase } from './databases';

const viewOf = (application: ReturnType<typeof applicationFor>, stage: Stage): CaseView =>
  ({
    applicationNumber: application.applicationNumber,
    stage,
    application,
    submittedAt: '2026-03-01T00:00:00.000Z',
  }) as CaseView;

for (const dialect of DIALECTS) {
  test(`${dialect}: administrators find a case by number, ID number, name prefix, stage and station`, async (t) => {
    const { db } = await freshDatabase(t, dialect);
    const wang = applicationFor(Level.Primary, {
      candidate: { name: 'Wang Fang', idType: 'resident-id', idNumber: '11010519491231002X' },
    });
    const li = applicationFor(Level.Primary, {
      stationId: 'station-b',
      candidate: { name: 'Li Na', idType: 'passport', idNumber: 'E12345678' },
    });
    await indexNewCase(db, wang, '2026-03-01T00:00:00.000Z');
    await indexNewCase(db, li, '2026-03-02T00:00:00.000Z');
    await updateCaseStage(db, viewOf(wang, Stage.CenterReview), 5);

    const numbers = async (search: Parameters<typeof searchCases>[1]) =>
      (await searchCases(db, search)).map((row) => row.application_number);
    t.deepEqual(await numbers({ applicationNumber: wang.applicationNumber, limit: 10 }), [wang.applicationNumber]);
    t.deepEqual(await numbers({ idNumber: '11010519491231002x', limit: 10 }), [wang.applicationNumber]);
    t.deepEqual(await numbers({ name: 'Li', limit: 10 }), [li.applicationNumber]);
    t.deepEqual(
      await numbers({ name: '%', limit: 10 }),
      [li.applicationNumber, wang.applicationNumber],
      'newest first',
    );
    t.deepEqual(await numbers({ stage: Stage.CenterReview, limit: 10 }), [wang.applicationNumber]);
    t.deepEqual(await numbers({ stationId: 'station-b', limit: 10 }), [li.applicationNumber]);
  });

  test(`${dialect}: an older stage never overwrites a newer one, and a second intake keeps the first`, async (t) => {
    const { db } = await freshDatabase(t, dialect);
    const application = applicationFor(Level.Primary);
    await updateCaseStage(db, viewOf(application, Stage.StationReview), 3);
    t.is(
      (await findIndexedCase(db, application.applicationNumber))?.candidate_name,
      null,
      'the activity has no person',
    );
    await updateCaseStage(db, viewOf(application, Stage.Issued), 9);
    await updateCaseStage(db, viewOf(application, Stage.CenterReview), 6);
    await indexNewCase(db, application, '2026-03-05T00:00:00.000Z');
    const row = await findIndexedCase(db, application.applicationNumber);
    t.is(row?.stage, Stage.Issued);
    t.is(row?.closed, 1);
    t.is(row?.candidate_name, application.candidate.name, 'intake fills in the person');
  });

  test(`${dialect}: a session signs its user in until it ends or expires`, async (t) => {
    const { db } = await freshDatabase(t, dialect);
    await seedDemoDirectory(db);
    const now = new Date('2026-03-01T08:00:00.000Z');
    const token = await createSession(db, 'li.station-reviewer', now);
    t.is((await userOfSession(db, token, now))?.id, 'li.station-reviewer');
    t.is(await userOfSession(db, `${token}x`, now), undefined);
    t.is(await userOfSession(db, token, new Date(now.getTime() + 13 * 3600_000)), undefined, 'expired after 12 h');
    t.is(await pruneSessions(db, new Date(now.getTime() + 13 * 3600_000)), 1);
    const second = await createSession(db, 'li.station-reviewer', now);
    await endSession(db, second);
    t.is(await userOfSession(db, second, now), undefined);
    const stored = await db.selectFrom('sessions').selectAll().execute();
    t.false(JSON.stringify(stored).includes(second), 'only a hash of the token is stored');
  });
}
