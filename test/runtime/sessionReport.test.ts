/**
 * The session report in the reader's language: Chinese by default, English when asked for, the same figures in both.
 * Built from a session's view as its workflow answers it, without a Temporal server.
 */
import test from 'ava';
import ExcelJS from 'exceljs';
import { PDFParse } from 'pdf-parse';
import { Level } from '../../domain/levels';
import { reportCsv, reportPdf, reportXlsx, sessionReport } from '../../runtime/sessionReport';
import { type RosterEntry, type SessionView, SessionStage } from '../../workflows/sessionDefinitions';

const at = '2026-11-20T01:00:00.000Z';

function seat(ticketNumber: string, number: number, present?: boolean): RosterEntry {
  return {
    applicationNumber: `QF-2026-00000${number}`,
    occupation: 'welder',
    level: Level.Intermediate,
    seat: { room: '第一考场', number },
    ticketNumber,
    seatedAt: at,
    seatedBy: 'sun.clerk',
    ...(present !== undefined && { attendance: { present, by: 'chen.examiner', at } }),
  };
}

const view: SessionView = {
  sessionId: 'S-2026-0042',
  stationId: 'station-a',
  guidanceCenterId: 'center-1',
  departmentId: 'department-1',
  stage: SessionStage.Reporting,
  closed: false,
  plan: {
    qualifications: [{ occupation: 'welder', level: Level.Intermediate }],
    // 09:00 to 11:00 in China.
    knowledge: { startsAt: '2026-11-29T01:00:00.000Z', endsAt: '2026-11-29T03:00:00.000Z', place: '实训楼 301' },
    skills: { startsAt: '2026-11-30T01:00:00.000Z', endsAt: '2026-11-30T05:00:00.000Z', place: '焊接实训车间' },
    registrationClosesAt: '2026-11-22T10:00:00.000Z',
    rooms: [{ name: '第一考场', seats: 30 }],
    examiners: ['chen.examiner', 'ma.examiner'],
  },
  plannedBy: 'sun.clerk',
  plannedAt: at,
  postponements: [],
  roster: [seat('T1', 1, true), seat('T2', 2, true), seat('T3', 3, false), seat('T4', 4, true)],
  tasks: [],
  history: [],
  sheet: {
    rows: {
      T1: { ticketNumber: 'T1', knowledge: 96, skills: 81, by: 'chen.examiner', at },
      T2: { ticketNumber: 'T2', knowledge: 55, skills: 70, by: 'chen.examiner', at },
      T4: { ticketNumber: 'T4', disqualified: '携带手机进入考场', by: 'chen.examiner', at },
    },
    submittedBy: 'chen.examiner',
    checked: { by: 'ma.examiner', at },
    returns: [],
  },
  evaluation: { opinion: '考评组纪律严明，评分认真。', by: 'sun.clerk', at },
  runs: 0,
};

const pdfText = async (pdf: Buffer) => {
  const parser = new PDFParse({ data: pdf });
  const { text } = await parser.getText();
  await parser.destroy();
  return text;
};

test('the report is Chinese unless asked otherwise: labels, names, times, attendance and results', (t) => {
  const report = sessionReport(view);
  t.deepEqual(report.qualifications, ['焊工（四级/中级工）']);
  t.is(report.knowledge, '2026年11月29日 09:00 至 2026年11月29日 11:00（北京时间），实训楼 301');
  t.deepEqual(
    report.candidates.map((c) => [c.ticketNumber, c.attendance, c.result]),
    [
      ['T1', '出席', '良好'],
      ['T2', '出席', '不合格'],
      ['T3', '缺考', ''],
      ['T4', '出席', '取消考试资格：携带手机进入考场'],
    ],
  );
  t.is(report.sheet, 'checked', 'the sheet state stays a code for programs reading the JSON');

  const csv = reportCsv(report);
  t.true(csv.startsWith('\ufeff鉴定批次,S-2026-0042\r\n'));
  for (const line of [
    '鉴定职业及等级,焊工（四级/中级工）',
    '考评组,chen.examiner、ma.examiner',
    '成绩登记表,已复核',
    '应考人数,4',
    '缺考人数,1',
    '理论知识考试（参考人数 / 合格人数 / 合格率）,2 / 1 / 50%',
    '两项考试（有成绩人数 / 均合格人数 / 合格率）,2 / 1 / 50%',
    '考评组工作意见,考评组纪律严明，评分认真。（填报人：sun.clerk）',
    '准考证号,申报编号,出缺考情况,理论知识考试成绩,操作技能考核成绩,鉴定结果',
    'T1,QF-2026-000001,出席,96,81,良好',
    'T3,QF-2026-000003,缺考,,,',
  ]) {
    t.true(csv.includes(`\r\n${line}\r\n`), line);
  }
  t.notRegex(csv, /Session|Seated|Present|Absent|pass rate|present|absent|China time|UTC/);
});

test('the spreadsheet and the PDF say the same in Chinese, worksheets named in Chinese', async (t) => {
  const report = sessionReport(view);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await reportXlsx(report)) as unknown as ArrayBuffer);
  t.deepEqual(
    workbook.worksheets.map((sheet) => sheet.name),
    ['鉴定情况报告', '考生'],
  );
  const rows = workbook.getWorksheet('鉴定情况报告')!.getSheetValues().slice(1) as unknown[][];
  t.true(rows.some((row) => row[1] === '实考人数' && row[2] === 3));
  t.deepEqual(workbook.getWorksheet('考生')!.getRow(4).values, [undefined, 'T3', 'QF-2026-000003', '缺考', '', '', '']);

  const text = await pdfText(await reportPdf(report));
  for (const words of [
    '鉴定批次 S-2026-0042 鉴定情况报告',
    '操作技能考核：2026年11月30日 09:00 至 2026年11月30日 13:00（北京时间），焊接实训车间',
    '两项考试（有成绩人数 / 均合格人数 / 合格率）：2 / 1 / 50%',
    '成绩等级（优秀 / 良好 / 合格 / 不合格）：0 / 1 / 0 / 1',
    '考生成绩',
    // The text reader folds the columns' double spaces into one.
    'T2 | QF-2026-000002 | 出席 | 55 | 70 | 不合格',
  ]) {
    t.true(text.includes(words), words);
  }
  t.notRegex(text, /Appraisal session|Knowledge|Skills|Candidates|present|absent/);
});

test('in English the report keeps the wording the station has read so far', async (t) => {
  const report = sessionReport(view, 'en');
  t.deepEqual(report.qualifications, ['Welder, Level 4 (intermediate)']);
  t.is(report.skills, '30 Nov 2026 09:00 to 30 Nov 2026 13:00 (China time), 焊接实训车间');
  const csv = reportCsv(report, 'en');
  t.true(csv.startsWith('\ufeffSession,S-2026-0042\r\n'));
  t.true(csv.includes('\r\nKnowledge: sat / passed / pass rate,2 / 1 / 50%\r\n'));
  t.true(csv.includes('\r\nT4,QF-2026-000004,present,,,disqualified: 携带手机进入考场\r\n'));

  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await reportXlsx(report, 'en')) as unknown as ArrayBuffer);
  t.deepEqual(
    workbook.worksheets.map((sheet) => sheet.name),
    ['Report', 'Candidates'],
  );
  const text = await pdfText(await reportPdf(report, 'en'));
  t.true(text.includes('Appraisal session S-2026-0042: report'));
  t.true(text.includes('Both parts: scored / passed / pass rate: 2 / 1 / 50%'));
});
