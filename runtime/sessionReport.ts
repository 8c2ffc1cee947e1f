/**
 * An appraisal session's report, as the station files it and the guidance center reads it: the session's plan, its
 * figures (domain/sessionReport.ts), the station's opinion of the appraisal team's work, and each candidate's line by
 * ticket (no names: the report travels further than the check-in list). Shown as JSON and exported as CSV, XLSX and
 * PDF, all four from the same object so they never disagree.
 */
import PDFDocument from 'pdfkit';
import ExcelJS from 'exceljs';
import { loadCjkFont } from '../activities/certificateDocument';
import { type ReportFigures, reportFigures } from '../domain/sessionReport';
import { examOutcome } from '../domain/scores';
import { helpers } from '../inbox-ui/viewHelpers';
import type { SessionView } from '../workflows/sessionDefinitions';
import { sheetState, type SheetState } from './sessions';

export interface SessionReport {
  sessionId: string;
  stationId: string;
  stage: string;
  qualifications: string[];
  knowledge: string;
  skills: string;
  team: string[];
  /** Whether the figures are final: the score sheet has been checked. */
  sheet: SheetState;
  figures: ReportFigures;
  evaluation?: SessionView['evaluation'];
  candidates: {
    ticketNumber: string;
    applicationNumber: string;
    attendance: string;
    knowledge?: number;
    skills?: number;
    result: string;
  }[];
}

export function sessionReport(view: SessionView): SessionReport {
  const seated = view.roster.filter((entry) => !entry.released);
  const lines = view.sheet?.rows ?? {};
  const { plan } = view;
  const part = (p: typeof plan.knowledge) =>
    `${helpers.chinaTime(p.startsAt)} to ${helpers.chinaTime(p.endsAt)} (UTC+8), ${p.place}`;
  return {
    sessionId: view.sessionId,
    stationId: view.stationId,
    stage: view.stage,
    qualifications: plan.qualifications.map((q) => `${q.occupation} level ${q.level}`),
    knowledge: part(plan.knowledge),
    skills: part(plan.skills),
    team: plan.examiners,
    sheet: sheetState(view),
    figures: reportFigures(seated, lines),
    evaluation: view.evaluation,
    candidates: seated.map(({ ticketNumber, applicationNumber, attendance }) => {
      const { knowledge, skills, disqualified } = lines[ticketNumber] ?? {};
      const scored = !disqualified && typeof knowledge === 'number' && typeof skills === 'number';
      return {
        ticketNumber,
        applicationNumber,
        attendance: attendance ? (attendance.present ? 'present' : 'absent') : 'unmarked',
        knowledge,
        skills,
        result: disqualified ? `disqualified: ${disqualified}` : scored ? examOutcome({ knowledge, skills }).grade : '',
      };
    }),
  };
}

/** The report's summary as label and value pairs, in the order every export shows them. */
function summary(report: SessionReport): [string, string | number][] {
  const { figures: f } = report;
  const rate = (value: number | null) => (value === null ? '' : `${value}%`);
  return [
    ['Session', report.sessionId],
    ['Station', report.stationId],
    ['Qualifications', report.qualifications.join('; ')],
    ['Knowledge part', report.knowledge],
    ['Skills part', report.skills],
    ['Appraisal team', report.team.join(', ')],
    ['Score sheet', report.sheet],
    ['Seated', f.seated],
    ['Present', f.present],
    ['Absent', f.absent],
    ['Unmarked', f.unmarked],
    ['Disqualified', f.disqualified],
    [
      'Knowledge: sat / passed / pass rate',
      `${f.parts.knowledge.sat} / ${f.parts.knowledge.passed} / ${rate(f.parts.knowledge.passRate)}`,
    ],
    [
      'Skills: sat / passed / pass rate',
      `${f.parts.skills.sat} / ${f.parts.skills.passed} / ${rate(f.parts.skills.passRate)}`,
    ],
    ['Both parts: scored / passed / pass rate', `${f.scored} / ${f.passedBoth} / ${rate(f.passRate)}`],
    [
      'Grades: excellent / good / pass / fail',
      `${f.grades.excellent} / ${f.grades.good} / ${f.grades.pass} / ${f.grades.fail}`,
    ],
    [
      'Opinion of the appraisal team',
      report.evaluation ? `${report.evaluation.opinion} (${report.evaluation.by})` : '',
    ],
  ];
}

const CANDIDATE_COLUMNS = ['Ticket', 'Application', 'Attendance', 'Knowledge', 'Skills', 'Result'];
const candidateCells = (c: SessionReport['candidates'][number]) => [
  c.ticketNumber,
  c.applicationNumber,
  c.attendance,
  c.knowledge ?? '',
  c.skills ?? '',
  c.result,
];

export function reportCsv(report: SessionReport): string {
  const rows = [...summary(report), [], CANDIDATE_COLUMNS, ...report.candidates.map(candidateCells)];
  // A BOM so that spreadsheet programs read the file as UTF-8.
  return `\ufeff${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

export async function reportXlsx(report: SessionReport): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const overview = workbook.addWorksheet('Report');
  for (const row of summary(report)) overview.addRow(row);
  overview.getColumn(1).width = 40;
  overview.getColumn(2).width = 80;
  const candidates = workbook.addWorksheet('Candidates');
  candidates.addRow(CANDIDATE_COLUMNS);
  for (const candidate of report.candidates) candidates.addRow(candidateCells(candidate));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function reportPdf(report: SessionReport): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `Appraisal session ${report.sessionId}` } });
  // The certificates' font: names and places are Chinese.
  doc.font(loadCjkFont().bytes);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve) => doc.on('end', resolve));
  doc.fontSize(16).text(`Appraisal session ${report.sessionId}: report`);
  doc.moveDown();
  doc.fontSize(10);
  for (const [label, value] of summary(report)) doc.text(`${label}: ${value}`);
  doc.moveDown();
  doc.text(CANDIDATE_COLUMNS.join('  |  '));
  for (const candidate of report.candidates) doc.text(candidateCells(candidate).join('  |  '));
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
