import { verifySeal } from '../../activities/seal';
import { Level } from '../../domain/levels';
import { Stage, TaskKind, TaskStatus } from '../../workflows/definitions';
import { applicationFor } from '../helpers/applications';
import { candidateNotices, driveTo, noticesFor } from '../helpers/cases';
import { testWithHarness } from '../helpers/harnessTests';

const test = testWithHarness({ flavour: 'time-skipping' });

const REVIEW = [TaskKind.StationReview, TaskKind.CenterReview];
const EXAM = [TaskKind.ExamScores];
const TECHNICAL = [TaskKind.ComprehensiveReview];
const RESULTS = [TaskKind.ResultStationSummary, TaskKind.ResultCenterApproval, TaskKind.ResultDepartmentApproval];
const ISSUANCE = [TaskKind.CertificatePrint, TaskKind.CertificateHandover];

const issuesCertificate = test.macro({
  async exec(t, level: Level, steps: TaskKind[]) {
    const h = t.context;
    const application = applicationFor(level);
    const handle = await h.start(application);
    await driveTo(handle);
    const result = await handle.result();

    t.is(result.stage, Stage.Issued);
    t.is(result.outcome?.stage, Stage.Issued);
    t.deepEqual(
      result.tasks.map((task) => task.kind),
      steps,
    );
    t.true(result.tasks.every((task) => task.status === TaskStatus.Done));

    const certificate = result.certificate!;
    t.regex(certificate.number, /^[YS]\d{4}\d{2}\d{6}\d{2}[1-5]\d{6}$/);
    // Category S, the province's filing block 0000, province 44, station-a's site serial, the issue year, the level.
    t.is(certificate.number.slice(0, 13), 'S000044000001');
    t.is(certificate.number.slice(13, 15), certificate.issuedOn.slice(2, 4));
    t.is(certificate.number[15], String(level));
    t.truthy(certificate.printedAt);
    t.truthy(certificate.handedOverAt);

    // The seal is a real signature over what the certificate says, not just a field that is set.
    const seal = certificate.seal!;
    t.truthy(seal.keyId);
    const row = await h.deps.db
      .selectFrom('certificates')
      .selectAll()
      .where('number', '=', certificate.number)
      .executeTakeFirstOrThrow();
    t.is(row.application_number, application.applicationNumber);
    t.true(verifySeal(h.deps.seal, row.content!, seal));
    t.true(row.content!.includes(JSON.stringify(application.candidate.name)));

    const notices = await noticesFor(h, application.applicationNumber);
    t.deepEqual(candidateNotices(notices), [
      'admission-ticket',
      'exam-results',
      'certificate-ready',
      'certificate-handed-over',
    ]);
    const handedOver = notices.find((notice) => notice.kind === 'certificate-handed-over')!;
    t.is(handedOver.subject, `Your certificate has been handed over (application ${application.applicationNumber})`);
    t.regex(handedOver.body, /^Dear Wang Fang,/);
    t.is(handedOver.subject_zh, `您的证书已发放（申报 ${application.applicationNumber}）`);
  },
  title: (_, level: Level) => `a level ${level} application ends with a sealed certificate of that level handed over`,
});

test.serial(issuesCertificate, Level.Primary, [...REVIEW, ...EXAM, ...RESULTS, ...ISSUANCE]);
test.serial(issuesCertificate, Level.Intermediate, [...REVIEW, ...EXAM, ...RESULTS, ...ISSUANCE]);
test.serial(issuesCertificate, Level.Advanced, [...REVIEW, ...EXAM, ...RESULTS, ...ISSUANCE]);
test.serial(issuesCertificate, Level.Technician, [...REVIEW, ...EXAM, ...TECHNICAL, ...RESULTS, ...ISSUANCE]);
test.serial(issuesCertificate, Level.SeniorTechnician, [...REVIEW, ...EXAM, ...TECHNICAL, ...RESULTS, ...ISSUANCE]);
