/**
 * Appraisal sessions on the time-skipping server: the plan's review, seating until the cut-off, tickets, the exam's
 * dates taken from the session, postponement and cancellation, and the race for the last seat.
 */
import { listSessions } from '../../records/appraisalSessions';
import { planSession, seatCase, seatInNextSession, sessionHandle, sessionState } from '../../runtime/sessions';
import { RefusalType, Stage } from '../../workflows/definitions';
import {
  approvePlan,
  cancelSession,
  postponeSession,
  rejectPlan,
  returnPlan,
  revisePlan,
  SessionStage,
  SessionTaskKind,
} from '../../workflows/sessionDefinitions';
import { actors } from '../helpers/actors';
import { candidateNotices, noticesFor, refused, skipTo, waitForNotices, waitForState } from '../helpers/cases';
import { stateOf } from '../helpers/harness';
import { testWithHarness } from '../helpers/harnessTests';
import {
  approvedSession,
  caseAwaitingSeat,
  HOUR,
  plan,
  planAhead,
  sessionDeps,
  sessionRefused,
  waitForSession,
  waitForSessionTask,
} from './helpers';

const test = testWithHarness({ flavour: 'time-skipping', policy: { appraisalSessions: true } });

test.serial('the guidance center returns a plan, the station revises it, and the approved session opens', async (t) => {
  const h = t.context;
  const planned = await planAhead(h);
  const sessionId = await plan(h, planned);
  t.regex(sessionId, /^STATION-A-\d{4}-S\d{3}$/);
  const session = sessionHandle(h.client, sessionId);

  const review = await waitForSessionTask(h, sessionId, SessionTaskKind.PlanReview);
  t.is(review.candidateGroup, 'center-1:reviewers');
  await refused(
    t,
    session.executeUpdate(returnPlan, { args: [{ taskId: review.id, actor: actors.centerReviewer, comment: ' ' }] }),
    RefusalType.InvalidInput,
    /reason: a reason is required/,
  );
  await refused(
    t,
    session.executeUpdate(returnPlan, { args: [{ taskId: review.id, actor: actors.stationClerk, comment: 'No.' }] }),
    RefusalType.Forbidden,
    /sun\.clerk is not in center-1:reviewers/,
  );
  await session.executeUpdate(returnPlan, {
    args: [{ taskId: review.id, actor: actors.centerReviewer, comment: 'Room 101 seats 40; say so.' }],
  });

  const revision = await waitForSessionTask(h, sessionId, SessionTaskKind.PlanRevision);
  t.is(revision.candidateGroup, 'station-a:clerks');
  await refused(
    t,
    session.executeUpdate(revisePlan, {
      args: [
        {
          taskId: revision.id,
          actor: actors.stationClerk,
          plan: { ...planned, rooms: [{ name: 'Room 101', seats: 0 }] },
        },
      ],
    }),
    RefusalType.InvalidInput,
    /rooms\[0\]: seats must be a whole number from 1 to 500/,
  );
  await session.executeUpdate(revisePlan, {
    args: [
      {
        taskId: revision.id,
        actor: actors.stationClerk,
        plan: { ...planned, rooms: [{ name: 'Room 101', seats: 40 }] },
      },
    ],
  });

  const second = await waitForSessionTask(h, sessionId, SessionTaskKind.PlanReview);
  t.not(second.id, review.id);
  await session.executeUpdate(approvePlan, {
    args: [{ taskId: second.id, actor: actors.centerReviewer }],
  });
  const view = await waitForSession(h, sessionId, 'registration', (v) => v.stage === SessionStage.Registration);
  t.deepEqual(view.plan.rooms, [{ name: 'Room 101', seats: 40 }]);
  t.deepEqual(
    view.history.filter((e) => e.by).map((e) => [e.type, e.by]),
    [
      ['session-planned', 'sun.clerk'],
      ['plan-return', 'wu.center-reviewer'],
      ['plan-revise', 'sun.clerk'],
      ['plan-approve', 'wu.center-reviewer'],
    ],
  );
  const [row] = await listSessions(h.deps.db, { stationIds: ['station-a'] }).then((rows) =>
    rows.filter((r) => r.sessionId === sessionId),
  );
  t.is(row.capacity, 40);
});

test.serial('a bad plan is refused field by field, and nothing starts', async (t) => {
  const h = t.context;
  const good = await planAhead(h);
  const deps = await sessionDeps(h);
  const before = (await listSessions(h.deps.db)).length;
  await sessionRefused(
    t,
    planSession(deps, {
      actor: actors.stationClerk,
      stationId: 'station-a',
      plan: {
        ...good,
        qualifications: [{ occupation: 'astronaut', level: 5 }],
        registrationClosesAt: good.skills.endsAt,
        rooms: [],
        examiners: ['chen.examiner', 'lin.examiner-b'],
      },
    }),
    {
      type: RefusalType.InvalidInput,
      message: /The plan has mistakes/,
      fields: ['qualifications[0]', 'registrationClosesAt', 'rooms', 'examiners'],
    },
  );
  await sessionRefused(t, planSession(deps, { actor: actors.centerReviewer, stationId: 'station-a', plan: good }), {
    type: RefusalType.Forbidden,
    message: /Only station-a's clerks or supervisors may plan/,
  });
  t.is((await listSessions(h.deps.db)).length, before);
});

test.serial('the same plan sent twice makes one session', async (t) => {
  const h = t.context;
  const planned = await planAhead(h);
  const deps = await sessionDeps(h);
  const request = { actor: actors.stationClerk, stationId: 'station-a', plan: planned };
  const [first, second] = await Promise.all([planSession(deps, request), planSession(deps, request)]);
  t.is(first.sessionId, second.sessionId);
  t.deepEqual([first.alreadyPlanned, second.alreadyPlanned].sort(), [false, true]);
});

test.serial(
  "a seated case gets its ticket, its exam begins with the session's first part, and it opens no exam task of its own",
  async (t) => {
    const h = t.context;
    const planned = await planAhead(h);
    const sessionId = await approvedSession(h, planned);
    const { application, handle } = await caseAwaitingSeat(h);
    const deps = await sessionDeps(h);

    const entry = await seatCase(deps, {
      actor: actors.stationClerk,
      sessionId,
      applicationNumber: application.applicationNumber,
    });
    t.deepEqual(entry.seat, { room: 'Room 101', number: 1 });
    t.is(entry.ticketNumber, `${sessionId}-0001`);
    const seated = await waitForState(handle, 'a ticket', (v) => v.stage === Stage.AdmissionTicket);
    t.is(seated.ticket?.number, entry.ticketNumber);
    t.is(seated.sitting?.sessionId, sessionId);
    const notices = await waitForNotices(h, application.applicationNumber, 'the ticket notice', (n) =>
      candidateNotices(n).includes('admission-ticket'),
    );
    const ticket = notices.find((n) => n.kind === 'admission-ticket')!;
    t.regex(ticket.body, new RegExp(`Admission ticket: ${entry.ticketNumber}`));
    t.regex(ticket.body, /Seat: Room 101, seat 1/);
    t.regex(ticket.body, /Knowledge part: .* \(China time\) to .*, Station A, building 2/);
    t.regex(ticket.body_zh, /理论知识考试：.*（北京时间） 至 .*，Station A, building 2/);

    // The exam begins with the session's first part, dated by the session. The case opens no task of its own: its
    // scores come from the session's score sheet (scoreSheet.test.ts), never case by case.
    await skipTo(h, Date.parse(planned.knowledge.startsAt), -HOUR);
    t.is((await stateOf(handle)).stage, Stage.AdmissionTicket);
    await skipTo(h, Date.parse(planned.knowledge.startsAt), 1000);
    const view = await waitForState(handle, 'the exam', (v) => v.stage === Stage.Examination);
    t.is(view.exam?.sessionId, sessionId);
    t.is(view.exam?.examDate, new Date(Date.parse(planned.knowledge.startsAt) + 8 * HOUR).toISOString().slice(0, 10));
    t.deepEqual(
      view.tasks.filter((task) => task.status === 'open'),
      [],
    );
  },
);

test.serial('registration closes at the cut-off', async (t) => {
  const h = t.context;
  const planned = await planAhead(h);
  const sessionId = await approvedSession(h, planned);
  const { application } = await caseAwaitingSeat(h);
  await skipTo(h, Date.parse(planned.registrationClosesAt), 1000);
  await waitForSession(h, sessionId, 'registration closed', (v) => v.stage === SessionStage.RegistrationClosed);
  await refused(
    t,
    seatCase(await sessionDeps(h), {
      actor: actors.stationClerk,
      sessionId,
      applicationNumber: application.applicationNumber,
    }),
    RefusalType.Closed,
    /Registration for session .* closed at/,
  );
});

test.serial('of many clerks taking the last seats at once, exactly as many as there are seats succeed', async (t) => {
  const h = t.context;
  const sessionId = await approvedSession(h, await planAhead(h, { seats: 3 }));
  const cases = [];
  for (let i = 0; i < 8; i++) cases.push(await caseAwaitingSeat(h));
  const deps = await sessionDeps(h);
  const clerks = [actors.stationClerk, actors.stationSupervisor];
  const results = await Promise.allSettled(
    cases.map(({ application }, i) =>
      seatCase(deps, { actor: clerks[i % 2], sessionId, applicationNumber: application.applicationNumber }),
    ),
  );
  const seated = results.filter((r) => r.status === 'fulfilled');
  const full = results.filter(
    (r) => r.status === 'rejected' && /is full: all 3 seats are taken/.test(String((r.reason as Error).cause)),
  );
  t.is(seated.length, 3);
  t.is(full.length, 5);
  const view = await sessionState(h.client, sessionId);
  t.deepEqual(view.roster.map((e) => e.seat.number).sort(), [1, 2, 3]);
});

test.serial('a retried seat request seats nobody twice', async (t) => {
  const h = t.context;
  const sessionId = await approvedSession(h);
  const { application } = await caseAwaitingSeat(h);
  const deps = await sessionDeps(h);
  const request = { actor: actors.stationClerk, sessionId, applicationNumber: application.applicationNumber };
  const first = await seatCase(deps, request);
  const again = await seatCase(deps, request);
  t.deepEqual(again, first);
  t.is((await sessionState(h.client, sessionId)).roster.length, 1);
});

test.serial("a postponement moves every seated case's exam and tells each candidate", async (t) => {
  const h = t.context;
  const planned = await planAhead(h);
  const sessionId = await approvedSession(h, planned);
  const { application, handle } = await caseAwaitingSeat(h);
  const deps = await sessionDeps(h);
  await seatCase(deps, { actor: actors.stationClerk, sessionId, applicationNumber: application.applicationNumber });
  await waitForState(handle, 'a ticket', (v) => v.stage === Stage.AdmissionTicket);

  const week = 7 * 24 * HOUR;
  const later = (iso: string) => new Date(Date.parse(iso) + week).toISOString();
  const schedule = {
    registrationClosesAt: planned.registrationClosesAt,
    knowledge: {
      ...planned.knowledge,
      startsAt: later(planned.knowledge.startsAt),
      endsAt: later(planned.knowledge.endsAt),
    },
    skills: { ...planned.skills, startsAt: later(planned.skills.startsAt), endsAt: later(planned.skills.endsAt) },
  };
  const session = sessionHandle(h.client, sessionId);
  await refused(
    t,
    session.executeUpdate(postponeSession, { args: [{ actor: actors.centerReviewer, reason: 'Flooding.', schedule }] }),
    RefusalType.Forbidden,
    /Only station-a's clerks or supervisors may postpone/,
  );
  await session.executeUpdate(postponeSession, {
    args: [{ actor: actors.stationSupervisor, reason: 'The workshop is flooded.', schedule }],
  });
  const moved = await waitForState(
    handle,
    'the new dates',
    (v) => v.sitting?.schedule.knowledge.startsAt === schedule.knowledge.startsAt,
  );
  t.is(moved.stage, Stage.AdmissionTicket);
  const notices = await waitForNotices(h, application.applicationNumber, 'the rescheduling notice', (n) =>
    candidateNotices(n).includes('exam-rescheduled'),
  );
  t.regex(notices.find((n) => n.kind === 'exam-rescheduled')!.body, /Reason: The workshop is flooded\./);

  // The old date passes without an exam; the new one opens it.
  await skipTo(h, Date.parse(planned.skills.endsAt), HOUR);
  t.is((await stateOf(handle)).stage, Stage.AdmissionTicket);
  await skipTo(h, Date.parse(schedule.knowledge.startsAt), 1000);
  const sitting = await waitForState(handle, 'the exam', (v) => v.stage === Stage.Examination);
  t.is(sitting.exam?.examDate, new Date(Date.parse(schedule.knowledge.startsAt) + 8 * HOUR).toISOString().slice(0, 10));
});

test.serial('a cancelled session frees its seats: its cases wait again, and are seated elsewhere', async (t) => {
  const h = t.context;
  const sessionId = await approvedSession(h);
  const { application, handle } = await caseAwaitingSeat(h);
  const deps = await sessionDeps(h);
  await seatCase(deps, { actor: actors.stationClerk, sessionId, applicationNumber: application.applicationNumber });
  await waitForState(handle, 'a ticket', (v) => v.stage === Stage.AdmissionTicket);

  await sessionHandle(h.client, sessionId).executeUpdate(cancelSession, {
    args: [{ actor: actors.stationSupervisor, reason: 'No examiners are available.' }],
  });
  const waiting = await waitForState(handle, 'waiting again', (v) => v.stage === Stage.AwaitingSeat);
  t.is(waiting.sitting, undefined);
  await waitForNotices(h, application.applicationNumber, 'the seat-withdrawn notice', (n) =>
    candidateNotices(n).includes('seat-withdrawn'),
  );
  const cancelled = await waitForSession(h, sessionId, 'cancelled', (v) => v.closed);
  t.is(cancelled.stage, SessionStage.Cancelled);
  t.truthy(cancelled.roster[0].released);

  const other = await approvedSession(h);
  const { sessionId: taken } = await seatInNextSession(await sessionDeps(h), {
    actor: actors.stationClerk,
    applicationNumber: application.applicationNumber,
  });
  t.is(taken, other);
  await waitForState(handle, 'seated again', (v) => v.sitting?.sessionId === other);
});

test.serial('a case moves to another session before the cut-off, and the first one frees its seat', async (t) => {
  const h = t.context;
  const first = await approvedSession(h);
  const second = await approvedSession(h, await planAhead(h, { cutOffDays: 20 }));
  const { application, handle } = await caseAwaitingSeat(h);
  const deps = await sessionDeps(h);
  const applicationNumber = application.applicationNumber;
  await seatCase(deps, { actor: actors.stationClerk, sessionId: first, applicationNumber });
  await waitForState(handle, 'seated in the first', (v) => v.sitting?.sessionId === first);
  await seatCase(deps, { actor: actors.stationClerk, sessionId: second, applicationNumber });
  await waitForState(handle, 'seated in the second', (v) => v.sitting?.sessionId === second);
  const left = await waitForSession(h, first, 'the seat freed', (v) => !!v.roster[0]?.released);
  t.regex(left.roster[0].released!.reason, new RegExp(`moved to session ${second}`));
  t.deepEqual(
    candidateNotices(await noticesFor(h, applicationNumber)).filter((k) => k === 'admission-ticket').length,
    2,
  );
});

test.serial("another station's clerk learns nothing about a case by trying to seat it", async (t) => {
  const h = t.context;
  const sessionId = await approvedSession(h);
  const { application } = await caseAwaitingSeat(h);
  const deps = await sessionDeps(h);
  const stranger = { id: 'he.clerk-b', groups: ['station-b:clerks'] };
  const exists = await sessionRefused(
    t,
    seatCase(deps, { actor: stranger, sessionId, applicationNumber: application.applicationNumber }),
    {
      type: RefusalType.NotFound,
      message: /Your station has no case/,
    },
  );
  const missing = await sessionRefused(
    t,
    seatCase(deps, { actor: stranger, sessionId, applicationNumber: 'STATION-B-2026-999999' }),
    {
      type: RefusalType.NotFound,
      message: /Your station has no case/,
    },
  );
  t.is(
    exists?.message.replace(application.applicationNumber, 'N'),
    missing?.message.replace('STATION-B-2026-999999', 'N'),
  );
});

test.serial('a rejected plan ends the session, and nobody can be seated in it', async (t) => {
  const h = t.context;
  const sessionId = await plan(h, await planAhead(h));
  const review = await waitForSessionTask(h, sessionId, SessionTaskKind.PlanReview);
  await sessionHandle(h.client, sessionId).executeUpdate(rejectPlan, {
    args: [{ taskId: review.id, actor: actors.centerReviewer, comment: 'The station has no certified workshop.' }],
  });
  const ended = await waitForSession(h, sessionId, 'rejected', (v) => v.closed);
  t.is(ended.stage, SessionStage.PlanRejected);
  t.deepEqual(ended.outcome?.reason, 'The station has no certified workshop.');
  const { application } = await caseAwaitingSeat(h);
  await sessionRefused(
    t,
    seatCase(await sessionDeps(h), {
      actor: actors.stationClerk,
      sessionId,
      applicationNumber: application.applicationNumber,
    }),
    { type: RefusalType.Closed, message: /Session .* has ended \(plan-rejected\); nothing more can be done in it/ },
  );
});
