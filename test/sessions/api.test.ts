/**
 * Appraisal sessions through the JSON API, as the station's clerk, the guidance center's reviewer and another
 * station's clerk use it: what each may do, what a mistake says, and that a session one may not see answers exactly
 * like one that does not exist.
 */
import { Level } from '../../domain/levels';
import { maskName } from '../../domain/masking';
import { indexNewCase } from '../../records/caseIndex';
import { Stage } from '../../workflows/definitions';
import { SessionStage, SessionTaskKind } from '../../workflows/sessionDefinitions';
import { applicationFor } from '../helpers/applications';
import { eventually, skipTo, waitForState } from '../helpers/cases';
import { readPdf } from '../certificates/fixtures';
import { testWithHarness } from '../helpers/harnessTests';
import { apiAs, startWeb, visibleText, type WebApp } from '../helpers/web';
import { UNLIMITED_SIGN_IN } from '../inbox/fixtures';
import { caseAwaitingSeat, planAhead, waitForSession, waitForSessionTask } from './helpers';

const test = testWithHarness({ flavour: 'time-skipping', policy: { appraisalSessions: true } });

let web: WebApp;
test.serial.before(async (t) => {
  web = await startWeb(t.context, { signInLimits: UNLIMITED_SIGN_IN });
});
test.after.always(async () => {
  await web?.close();
});

test.serial('a station plans a session, the center approves it, and the clerk seats a case', async (t) => {
  const h = t.context;
  const clerk = await apiAs(web.base, 'sun.clerk');
  const center = await apiAs(web.base, 'wu.center-reviewer');
  const plan = await planAhead(h);

  const planned = await clerk.post('/api/sessions', plan);
  t.is(planned.status, 201);
  const { sessionId } = planned.body;
  const again = await clerk.post('/api/sessions', plan);
  t.deepEqual([again.status, again.body], [200, { sessionId, alreadyPlanned: true }]);

  const review = await waitForSession(h, sessionId, 'the plan review', (v) => v.tasks.length > 0);
  const taskPath = `/api/sessions/${sessionId}/tasks/${review.tasks[0].id}`;
  const byClerk = await clerk.post(`${taskPath}/approve`, {});
  t.is(byClerk.status, 403);
  t.is(
    byClerk.body.error,
    '孙丽 is not in 市职业技能鉴定指导中心 reviewers, which handles task Session plan review (guidance center).',
  );
  const unknownAction = await center.post(`${taskPath}/toString`, {});
  t.is(unknownAction.status, 404);
  const approved = await center.post(`${taskPath}/approve`, { comment: 'Rooms and team are in order.' });
  t.is(approved.status, 200);
  await waitForSession(h, sessionId, 'registration', (v) => v.stage === SessionStage.Registration);

  const { application, handle } = await caseAwaitingSeat(h);
  const seated = await clerk.post(`/api/sessions/${sessionId}/seats`, {
    applicationNumber: application.applicationNumber,
  });
  t.is(seated.status, 201);
  t.deepEqual(seated.body.seat, { room: 'Room 101', number: 1 });
  await waitForState(handle, 'seated', (v) => v.stage === Stage.AdmissionTicket);

  const listed = await center.get('/api/sessions');
  t.true(listed.body.sessions.some((s: { sessionId: string }) => s.sessionId === sessionId));
  const view = await center.get(`/api/sessions/${sessionId}`);
  t.is(view.body.roster[0].applicationNumber, application.applicationNumber);
  t.false(JSON.stringify(view.body).includes(application.candidate.idNumber), 'no ID number in a session');

  const cancelled = await clerk.post(`/api/sessions/${sessionId}/cancel`, { reason: 'The examiners are ill.' });
  t.is(cancelled.status, 200);
  const late = await clerk.post(`/api/sessions/${sessionId}/seats`, {
    applicationNumber: application.applicationNumber,
  });
  t.is(late.status, 409);
});

test.serial('a plan with mistakes is answered 422 with a message per field, and nothing is planned', async (t) => {
  const h = t.context;
  const clerk = await apiAs(web.base, 'sun.clerk');
  const plan = await planAhead(h);
  const before = (await clerk.get('/api/sessions')).body.sessions.length;
  const refused = await clerk.post('/api/sessions', {
    ...plan,
    knowledge: { ...plan.knowledge, endsAt: plan.knowledge.startsAt },
    examiners: ['chen.examiner'],
  });
  t.is(refused.status, 422);
  t.deepEqual(Object.keys(refused.body.errors).sort(), ['examiners', 'knowledge']);
  t.regex(refused.body.errors.knowledge, /endsAt must come after startsAt/);
  t.regex(refused.body.errors.examiners, /at least 2 examiners/);
  t.is((await clerk.get('/api/sessions')).body.sessions.length, before);
  const center = await apiAs(web.base, 'wu.center-reviewer');
  t.is((await center.post('/api/sessions', plan)).status, 403);
});

test.serial(
  'another station sees no session of station A, and cannot tell it from one that does not exist',
  async (t) => {
    const h = t.context;
    const clerk = await apiAs(web.base, 'sun.clerk');
    const stranger = await apiAs(web.base, 'he.clerk-b');
    const { sessionId } = (await clerk.post('/api/sessions', await planAhead(h))).body;

    const hidden = await stranger.get(`/api/sessions/${sessionId}`);
    const missing = await stranger.get('/api/sessions/STATION-A-2099-S999');
    t.is(hidden.status, 404);
    t.is(missing.status, 404);
    t.is(hidden.body.error.replace(sessionId, 'X'), missing.body.error.replace('STATION-A-2099-S999', 'X'));
    t.false(
      (await stranger.get('/api/sessions')).body.sessions.some((s: { sessionId: string }) => s.sessionId === sessionId),
    );
    const cancel = await stranger.post(`/api/sessions/${sessionId}/cancel`, { reason: 'Mischief.' });
    t.is(cancel.status, 404);
    t.false((await clerk.get(`/api/sessions/${sessionId}`)).body.closed);
  },
);

test.serial(
  'the check-in list names each seated candidate to the station and masks them for the center; marks close it',
  async (t) => {
    const h = t.context;
    const clerk = await apiAs(web.base, 'sun.clerk');
    const examiner = await apiAs(web.base, 'chen.examiner');
    const center = await apiAs(web.base, 'wu.center-reviewer');
    const plan = await planAhead(h);
    const { sessionId } = (await clerk.post('/api/sessions', plan)).body;
    const review = await waitForSession(h, sessionId, 'the plan review', (v) => v.tasks.length > 0);
    await center.post(`/api/sessions/${sessionId}/tasks/${review.tasks[0].id}/approve`, {});
    await waitForSession(h, sessionId, 'registration', (v) => v.stage === SessionStage.Registration);
    const { application, handle } = await caseAwaitingSeat(h);
    // Intake writes the person into the case index; this case was started directly, so the test does it.
    await indexNewCase(h.deps.db, application, new Date().toISOString());
    const { ticketNumber } = (
      await clerk.post(`/api/sessions/${sessionId}/seats`, { applicationNumber: application.applicationNumber })
    ).body;

    const forStation = await clerk.get(`/api/sessions/${sessionId}/check-in?room=Room%20101`);
    t.is(forStation.status, 200);
    t.like(forStation.body.rows[0], {
      ticketNumber,
      room: 'Room 101',
      seat: 1,
      candidate: { name: application.candidate.name, idNumber: application.candidate.idNumber },
    });
    const forCenter = await center.get(`/api/sessions/${sessionId}/check-in`);
    t.is(forCenter.body.rows[0].candidate.name, maskName(application.candidate.name));
    t.false(JSON.stringify(forCenter.body).includes(application.candidate.idNumber), 'no ID number for the center');
    const noRoom = await clerk.get(`/api/sessions/${sessionId}/check-in?room=Attic`);
    t.is(noRoom.status, 404);
    t.regex(noRoom.body.error, /has no room Attic; its rooms: Room 101/);

    const early = await examiner.post(`/api/sessions/${sessionId}/attendance`, {
      marks: [{ ticketNumber, present: true }],
    });
    t.is(early.status, 409);
    t.regex(early.body.error, /opens when its first part begins/);
    await skipTo(h, Date.parse(plan.knowledge.startsAt), 1000);
    const list = await waitForSessionTask(h, sessionId, SessionTaskKind.CheckIn);
    const marked = await examiner.post(`/api/sessions/${sessionId}/attendance`, {
      marks: [{ ticketNumber, present: true }],
    });
    t.is(marked.status, 200);
    t.like((await clerk.get(`/api/sessions/${sessionId}/check-in`)).body.rows[0], { attendance: { present: true } });
    const byCenter = await center.post(`/api/sessions/${sessionId}/attendance`, {
      marks: [{ ticketNumber, present: false }],
    });
    t.is(byCenter.status, 403);
    const closed = await clerk.post(`/api/sessions/${sessionId}/tasks/${list.id}/approve`, {});
    t.is(closed.status, 200);
    t.like(closed.body.checkIn, { present: 1, absent: 0 });
    t.is((await waitForState(handle, 'at the exam', (v) => v.stage === Stage.Examination)).absences, undefined);
  },
);

test.serial('the station prints every admission ticket as one PDF, or one candidate’s; nobody else can', async (t) => {
  const h = t.context;
  const clerk = await apiAs(web.base, 'sun.clerk');
  const center = await apiAs(web.base, 'wu.center-reviewer');
  const plan = await planAhead(h);
  const { sessionId } = (await clerk.post('/api/sessions', plan)).body;
  const review = await waitForSession(h, sessionId, 'the plan review', (v) => v.tasks.length > 0);
  await center.post(`/api/sessions/${sessionId}/tasks/${review.tasks[0].id}/approve`, {});
  await waitForSession(h, sessionId, 'registration', (v) => v.stage === SessionStage.Registration);
  const seated = [];
  for (const name of ['王小明', '李华']) {
    const { application } = await caseAwaitingSeat(h, {
      candidate: { ...applicationFor(Level.Primary).candidate, name },
    });
    await indexNewCase(h.deps.db, application, new Date().toISOString());
    const { ticketNumber } = (
      await clerk.post(`/api/sessions/${sessionId}/seats`, { applicationNumber: application.applicationNumber })
    ).body;
    seated.push({ application, ticketNumber });
  }

  const download = async (token: string | undefined, path: string) => {
    const response = await fetch(`${web.base}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      body: Buffer.from(await response.arrayBuffer()),
    };
  };
  const all = await download(clerk.token, `/api/sessions/${sessionId}/tickets`);
  t.is(all.status, 200);
  t.is(all.type, 'application/pdf');
  const printed = await readPdf(all.body);
  t.is(printed.pages, 2);
  for (const { application, ticketNumber } of seated) {
    t.true(printed.text.includes(ticketNumber));
    t.true(printed.text.includes(application.candidate.idNumber));
  }
  t.regex(printed.text, /Room 101，座位 2/);
  t.regex(printed.text, /Station A, building 2/);

  const one = await download(clerk.token, `/api/sessions/${sessionId}/tickets/${seated[1].ticketNumber}`);
  const single = await readPdf(one.body);
  t.is(single.pages, 1);
  t.true(single.text.includes(seated[1].ticketNumber) && !single.text.includes(seated[0].ticketNumber));
  t.is((await download(clerk.token, `/api/sessions/${sessionId}/tickets/${sessionId}-9999`)).status, 404);
  t.is((await download(center.token, `/api/sessions/${sessionId}/tickets`)).status, 403);
  const stranger = await apiAs(web.base, 'he.clerk-b');
  t.is((await download(stranger.token, `/api/sessions/${sessionId}/tickets`)).status, 404);
});

test.serial('a session’s page shows its path, plan, tasks, roster and history; its list links to it', async (t) => {
  const h = t.context;
  const clerk = await apiAs(web.base, 'sun.clerk');
  const center = await apiAs(web.base, 'wu.center-reviewer');
  const plan = await planAhead(h);
  const { sessionId } = (await clerk.post('/api/sessions', plan)).body;
  await waitForSession(h, sessionId, 'the plan review', (v) => v.tasks.length > 0);
  const page = async (token: string | undefined, path: string) => {
    const headers = { authorization: `Bearer ${token}`, 'accept-language': 'en' };
    const response = await fetch(`${web.base}${path}`, { headers });
    return { status: response.status, html: await response.text() };
  };

  const reviewing = await page(center.token, `/sessions/${sessionId}`);
  t.is(reviewing.status, 200);
  const text = visibleText(reviewing.html);
  t.regex(text, new RegExp(`Appraisal session ${sessionId}`));
  t.regex(text, /Stage Plan review/);
  t.regex(text, /Examines Baker, Level 5 \(primary\)/);
  t.regex(text, /Station 东城职业技能鉴定站 → 市职业技能鉴定指导中心 → 市人力资源和社会保障局/);
  t.regex(text, /Appraisal team 陈杰, 马琳/);
  t.regex(text, /Session plan review \(guidance center\) For 市职业技能鉴定指导中心: reviewers, due/);
  t.regex(text, /Nobody is seated\./);
  t.regex(text, /Plan submitted 孙丽/);
  t.regex(reviewing.html, /<svg[^>]*role="img"[\s\S]*The session&apos;s path, now at Plan review/);
  t.notRegex(text, /All admission tickets/, 'only the station prints tickets');

  const review = await waitForSession(h, sessionId, 'the plan review', (v) => v.tasks.length > 0);
  await center.post(`/api/sessions/${sessionId}/tasks/${review.tasks[0].id}/approve`, {});
  await waitForSession(h, sessionId, 'registration', (v) => v.stage === SessionStage.Registration);
  const { application } = await caseAwaitingSeat(h);
  await clerk.post(`/api/sessions/${sessionId}/seats`, { applicationNumber: application.applicationNumber });
  const station = visibleText((await page(clerk.token, `/sessions/${sessionId}`)).html);
  t.regex(
    station,
    new RegExp(`${sessionId}-0001 Room 101, seat 1 ${application.applicationNumber} Baker, Level 5 \\(primary\\)`),
  );
  t.regex(station, /All admission tickets \(PDF\)/);
  t.regex(station, /1 of 2 seats taken/);

  const list = await page(clerk.token, '/sessions');
  t.regex(list.html, new RegExp(`<a href='/sessions/${sessionId}'>${sessionId}</a>`));
  const stranger = await apiAs(web.base, 'he.clerk-b');
  const hidden = await page(stranger.token, `/sessions/${sessionId}`);
  t.is(hidden.status, 404);
  t.false(visibleText((await page(stranger.token, '/sessions')).html).includes(sessionId));
});

test.serial('session tasks are in their group’s inbox like any other, linked to the session’s page', async (t) => {
  const h = t.context;
  const clerk = await apiAs(web.base, 'sun.clerk');
  const center = await apiAs(web.base, 'wu.center-reviewer');
  const { sessionId } = (await clerk.post('/api/sessions', await planAhead(h))).body;
  const listed = await eventually('the plan review in the center’s inbox', async () => {
    const { tasks } = (await center.get('/api/tasks?limit=100')).body;
    return tasks.find((task: { applicationNumber: string }) => task.applicationNumber === sessionId);
  });
  t.like(listed, {
    kind: 'session-plan-review',
    kindLabel: 'Session plan review (guidance center)',
    stageLabel: 'Plan review',
    link: `/sessions/${sessionId}`,
    bulkApprovable: false,
  });
  t.false(
    (await clerk.get('/api/tasks?limit=100')).body.tasks.some(
      (task: { applicationNumber: string }) => task.applicationNumber === sessionId,
    ),
    'not in the station clerk’s inbox',
  );
  const inbox = await fetch(`${web.base}/inbox`, {
    headers: { authorization: `Bearer ${center.token}`, 'accept-language': 'en' },
  });
  t.regex(
    await inbox.text(),
    new RegExp(`<a href='/sessions/${sessionId}'[^>]*>Session plan review \\(guidance center\\)</a>`),
  );

  t.is((await center.post(`/api/sessions/${sessionId}/tasks/${listed.taskId}/approve`, {})).status, 200);
  const remaining = await eventually('the plan review gone from the inbox', async () => {
    const { tasks } = (await center.get('/api/tasks?limit=100')).body;
    const listedStill = tasks.some((task: { applicationNumber: string }) => task.applicationNumber === sessionId);
    return listedStill ? undefined : tasks;
  });
  t.false(remaining.some((task: { applicationNumber: string }) => task.applicationNumber === sessionId));
});
