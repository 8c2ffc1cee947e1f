import { addDays } from '../../domain/dates';
import { message } from '../../domain/messages';
import { localDate } from '../../domain/workingDays';
import { lookUpCertificate } from '../../inbox-ui/routes/verify';
import { auditTrailOf } from '../../records/audit';
import { findCertificate } from '../../records/registry';
import { appeal, investigationHandle } from '../../runtime/investigations';
import { RefusalType } from '../../workflows/definitions';
import {
  investigationIdFor,
  InvestigationDecision,
  InvestigationStage,
  InvestigationTaskKind,
  ReportCategory,
} from '../../workflows/investigationDefinitions';
import { actors } from '../helpers/actors';
import { refused, serverNow, skipTo } from '../helpers/cases';
import { type Harness } from '../helpers/harness';
import { testWithHarness } from '../helpers/harnessTests';
import {
  departmentDecides,
  holderNotices,
  issueCertificate,
  report,
  reportRefused,
  stateOfInvestigation,
  waitForHolderNotice,
  waitForInvestigation,
  waitForRegistryStatus,
  waitForTask,
} from './helpers';
import { formatDate } from '../../i18n';

const test = testWithHarness({ flavour: 'time-skipping' });

const DAY_MS = 24 * 60 * 60 * 1000;
const verification = (h: Harness, number: string) => lookUpCertificate(h.deps.db, h.deps.seal, number);

test.serial('a report opens an investigation, tells the holder and asks the department to decide', async (t) => {
  const h = t.context;
  const certificate = await issueCertificate(h);
  const filed = await report(h, certificate.number);

  t.deepEqual(filed, { investigationId: investigationIdFor(certificate.number, 1), attached: false });
  const task = await waitForTask(h, filed.investigationId, InvestigationTaskKind.Decision);
  t.is(task.candidateGroup, 'department-1:approvers');
  t.is(task.supervisingGroup, 'department-1:supervisors');
  const view = await stateOfInvestigation(h, filed.investigationId);
  t.is(view.stage, InvestigationStage.DepartmentDecision);
  t.deepEqual(view.holder, {
    applicationNumber: certificate.applicationNumber,
    name: 'Wang Fang',
    stationId: 'station-a',
  });
  t.is(view.reports[0].reporter, 'liu.invigilator');

  const notice = await waitForHolderNotice(h, certificate.applicationNumber, 'investigation-opened');
  t.is(notice.email, 'wang.fang@example.org', 'the address the case used');
  t.true(notice.subject.includes(certificate.number));
  t.regex(notice.body, /^Dear Wang Fang,/);
  t.true(notice.body.includes('Reason category: cheating'));
  t.is(notice.link, `http://127.0.0.1:3000/verify/${certificate.number}`);
  const departmentNotice = await h.deps.db
    .selectFrom('notifications')
    .selectAll()
    .where('key', '=', `${filed.investigationId}/${task.id}/task-opened`)
    .executeTakeFirstOrThrow();
  t.is(departmentNotice.recipient, 'department-1:approvers');
  t.true(departmentNotice.body_en?.includes(`Investigation: ${filed.investigationId}`));
  t.true(departmentNotice.body.includes(`调查：${filed.investigationId}`));
  t.is((await verification(h, certificate.number)).answer?.status, 'valid', 'a report alone changes nothing');
});

test.serial(
  'a revocation shows in verification at once, and a reinstatement after an appeal in time too',
  async (t) => {
    const h = t.context;
    const certificate = await issueCertificate(h);
    const { investigationId } = await report(h, certificate.number);

    const revoked = await departmentDecides(
      h,
      investigationId,
      InvestigationDecision.Revoke,
      'Confirmed by two invigilators.',
    );
    const revocation = revoked.revocation!;
    t.is(revocation.category, ReportCategory.Cheating);
    t.is(revocation.by, 'zheng.approver');
    const entry = await waitForRegistryStatus(h, certificate.number, 'revoked');
    t.deepEqual(entry.lastChange, {
      certificate_number: certificate.number,
      status: 'revoked',
      category: 'cheating',
      reason: 'Confirmed by two invigilators.',
      decided_by: 'zheng.approver',
      decided_at: revocation.at,
      investigation_id: investigationId,
    });
    const shown = await verification(h, certificate.number);
    t.is(shown.answer?.status, 'revoked');
    t.is(shown.answer?.revokedAt, revocation.at);
    t.is(shown.answer?.revocationCategory, 'cheating');
    const lastDay = addDays(localDate(new Date(revocation.at)), 60);
    t.is(
      revocation.appealClosesAt,
      new Date(`${lastDay}T23:59:59.999+08:00`).toISOString(),
      '60 days, to local midnight',
    );
    const revokedNotice = await waitForHolderNotice(h, certificate.applicationNumber, 'certificate-revoked');
    t.true(revokedNotice.body.includes('Reason: Confirmed by two invigilators.'));
    t.regex(
      revokedNotice.body,
      new RegExp(`You may appeal .* until ${formatDate(lastDay, 'en')} 23:59 \\(China time\\)`),
    );

    await h.skip(30 * DAY_MS);
    t.is((await stateOfInvestigation(h, investigationId)).stage, InvestigationStage.AppealWindow);
    const appealed = await appeal(h.client, investigationId, {
      actor: actors.stationClerk,
      reason: 'The phone belonged to the candidate next to the holder.',
    });
    t.is(appealed.appeal?.by, 'sun.clerk');
    await waitForTask(h, investigationId, InvestigationTaskKind.AppealReview);
    t.is(
      (await findCertificate(h.deps.db, certificate.number))?.status,
      'revoked',
      'revoked while the appeal is heard',
    );

    await departmentDecides(
      h,
      investigationId,
      InvestigationDecision.Reinstate,
      'The video shows the holder did not cheat.',
    );
    const reinstated = await waitForRegistryStatus(h, certificate.number, 'valid', 'reinstated');
    t.like(reinstated.lastChange, {
      status: 'reinstated',
      reason: 'The video shows the holder did not cheat.',
      decided_by: 'zheng.approver',
      investigation_id: investigationId,
    });
    t.is((await verification(h, certificate.number)).answer?.status, 'valid');
    const result = await investigationHandle(h.client, investigationId).result();
    t.is(result.stage, InvestigationStage.Reinstated);
    t.truthy(result.reinstatement?.recordedAt);
    t.deepEqual(
      (await holderNotices(h, certificate.applicationNumber)).map((notice) => notice.kind),
      ['investigation-opened', 'certificate-revoked', 'certificate-reinstated'],
    );
    const trail = await auditTrailOf(h.deps.db, investigationId);
    t.deepEqual(
      trail.map((row) => [row.action, row.actor]),
      [
        ['investigation-revoke', 'zheng.approver'],
        ['investigation-appeal', 'sun.clerk'],
        ['investigation-reinstate', 'zheng.approver'],
      ],
    );
  },
);

test.serial(
  'without an appeal the revocation becomes final when the window closes; a late appeal is refused',
  async (t) => {
    const h = t.context;
    const certificate = await issueCertificate(h);
    const { investigationId } = await report(h, certificate.number, { category: ReportCategory.ForgedCertificate });
    const { revocation } = await departmentDecides(
      h,
      investigationId,
      InvestigationDecision.Revoke,
      'The seal was forged.',
    );
    const closesAt = Date.parse(revocation!.appealClosesAt);

    await skipTo(h, closesAt, -60_000);
    t.is(
      (await stateOfInvestigation(h, investigationId)).stage,
      InvestigationStage.AppealWindow,
      'open to the last minute',
    );
    await skipTo(h, closesAt, 60_000);
    const view = await waitForInvestigation(h, investigationId, 'the investigation to end', (v) => v.closed);
    t.is(view.stage, InvestigationStage.RevokedFinal);
    // The reason is kept as a Message for each reader's language, and in English (China time) for logs.
    t.deepEqual(view.outcome?.said, message('case:said.noAppeal', { closesAt: revocation!.appealClosesAt }));
    t.regex(view.outcome?.reason ?? '', /^No appeal was filed by \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(China time\)\.$/);
    const entry = await findCertificate(h.deps.db, certificate.number);
    t.is(entry?.status, 'revoked');
    t.is(entry?.lastChange?.category, 'forged-certificate');
    const closed = await waitForHolderNotice(h, certificate.applicationNumber, 'investigation-closed');
    t.true(closed.body.includes('Outcome: revoked-final'));

    t.true((await serverNow(h)) > closesAt);
    await refused(
      t,
      appeal(h.client, investigationId, { actor: actors.stationClerk, reason: 'The holder was abroad.' }),
      RefusalType.Closed,
      /^The appeal window for certificate \w+ closed at \d{4}-\d\d-\d\d 23:59 \(China time\), 60 days after the revocation; the revocation is final\.$/,
    );
    await reportRefused(t, report(h, certificate.number), {
      type: RefusalType.Conflict,
      field: 'certificateNumber',
      message: new RegExp(`is already revoked \\(${investigationId}\\)`),
    });
  },
);

test.serial('an upheld appeal keeps the certificate revoked', async (t) => {
  const h = t.context;
  const certificate = await issueCertificate(h);
  const { investigationId } = await report(h, certificate.number, { category: ReportCategory.ExamDiscipline });
  await departmentDecides(h, investigationId, InvestigationDecision.Revoke, 'Left the exam room twice.');
  await waitForRegistryStatus(h, certificate.number, 'revoked');
  await appeal(h.client, investigationId, { actor: actors.stationSupervisor, reason: 'The holder felt unwell.' });
  await departmentDecides(h, investigationId, InvestigationDecision.Uphold, 'No medical certificate was shown.');

  const result = await investigationHandle(h.client, investigationId).result();
  t.is(result.stage, InvestigationStage.RevokedFinal);
  t.deepEqual(result.outcome && { reason: result.outcome.reason, by: result.outcome.by }, {
    reason: 'No medical certificate was shown.',
    by: 'zheng.approver',
  });
  t.is((await findCertificate(h.deps.db, certificate.number))?.status, 'revoked');
  t.is((await verification(h, certificate.number)).answer?.revocationCategory, 'exam-discipline');
  const closed = await waitForHolderNotice(h, certificate.applicationNumber, 'investigation-closed');
  t.true(closed.body.includes('Reason: No medical certificate was shown.'));
});

test.serial('a dismissed report leaves the certificate valid and tells the holder why', async (t) => {
  const h = t.context;
  const certificate = await issueCertificate(h);
  const { investigationId } = await report(h, certificate.number);
  await departmentDecides(h, investigationId, InvestigationDecision.Dismiss, 'The invigilators saw nothing.');

  const result = await investigationHandle(h.client, investigationId).result();
  t.is(result.stage, InvestigationStage.Dismissed);
  t.is(result.revocation, undefined);
  const entry = await findCertificate(h.deps.db, certificate.number);
  t.is(entry?.status, 'valid');
  t.is(entry?.lastChange, undefined, 'nothing was written to the registry');
  t.is((await verification(h, certificate.number)).answer?.status, 'valid');
  const closed = await waitForHolderNotice(h, certificate.applicationNumber, 'investigation-closed');
  t.true(closed.body.includes('Outcome: dismissed'));
  t.true(closed.body.includes('Reason: The invigilators saw nothing.'));
});
