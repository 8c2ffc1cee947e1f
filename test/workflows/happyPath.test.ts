import { Level } from '../../domain/levels';
import { Stage, TaskKind } from '../../workflows/definitions';
import { actors } from '../helpers/actors';
import { applicationFor } from '../helpers/applications';
import { approve, score } from '../helpers/cases';
import { testWithHarness } from '../helpers/harnessTests';

const test = testWithHarness({ flavour: 'time-skipping' });

test.serial('a level 5 application goes from intake to a handed-over certificate', async (t) => {
  const handle = await t.context.start(applicationFor(Level.Primary));
  await approve(handle, TaskKind.StationReview, actors.stationReviewer, 'ok');
  await approve(handle, TaskKind.CenterReview, actors.centerReviewer, 'ok');
  await score(handle, TaskKind.ExamScores, { knowledge: 82, skills: 90 });
  await approve(handle, TaskKind.ResultStationSummary, actors.stationReviewer, 'ok');
  await approve(handle, TaskKind.ResultCenterApproval, actors.centerReviewer, 'ok');
  await approve(handle, TaskKind.ResultDepartmentApproval, actors.departmentApprover, 'ok');
  await approve(handle, TaskKind.CertificatePrint, actors.departmentApprover, 'ok');
  await approve(handle, TaskKind.CertificateHandover, actors.stationClerk, 'ok');
  const result = await handle.result();
  t.is(result.stage, Stage.Issued);
  t.regex(result.certificate!.number, /^S0000440000012\d5000001$/);
});
