/**
 * An appraisal session's report, as the station files it and the guidance center reads it: the session's plan, its
 * figures (domain/sessionReport.ts), the station's opinion of the appraisal team's work, and each candidate's line by
 * ticket (no names: the report travels further than the check-in list). Shown as JSON and exported as CSV, XLSX and
 * PDF, all four from the same object so they never disagree, in the reader's language (the `report` catalogue; Chinese
 * unless asked otherwise).
 */
import PDFDocument from 'pdfkit';
import ExcelJS from 'exceljs';
import type { TFunction } from 'i18next';
import { useCjkFont } from '../activities/cjkFont';
import { levelTitle, levelTitleZh } from '../domain/levels';
import { DEFAULT_CATALOGUE, findOccupation, occupationName, type OccupationCatalogue } from '../domain/occupations';
import { type ReportFigures, reportFigures } from '../domain/sessionReport';
import { examOutcome } from '../domain/scores';
import { DEFAULT_LANGUAGE, formatDateTime, type Language, translator } from '../i18n';
import type { SessionView } from '../workflows/sessionDefinitions';
import { sheetState, type SheetState } from './sessions';

/**
 * The report in one language: its words (qualifications, the parts' times and places, attendance, results) are
 * written in it; `stage` and `sheet` stay codes, for programs reading the JSON.
 */
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

export function sessionReport(
  view: SessionView,
  language: Language = DEFAULT_LANGUAGE,
  catalogue: OccupationCatalogue = DEFAULT_CATALOGUE,
): SessionReport {
  const t = translator(language);
  const seated = view.roster.filter((entry) => !entry.released);
  const lines = view.sheet?.rows ?? {};
  const { plan } = view;
  const part = (p: typeof plan.knowledge) =>
    t('report:part', {
      from: formatDateTime(p.startsAt, language),
      to: formatDateTime(p.endsAt, language),
      place: p.place,
    });
  const attendance = (present: boolean | undefined) =>
    present === undefined
      ? t('report:attendance.unmarked')
      : present
        ? t('report:attendance.present')
        : t('report:attendance.absent');
  return {
    sessionId: view.sessionId,
    stationId: view.stationId,
    stage: view.stage,
    qualifications: plan.qualifications.map(({ occupation, level }) => {
      const known = findOccupation(occupation, catalogue);
      return t('report:qualification', {
        occupation: known ? occupationName(known, language) : occupation,
        level: language === 'en' ? levelTitle(level) : levelTitleZh(level),
      });
    }),
    knowledge: part(plan.knowledge),
    skills: part(plan.skills),
    team: plan.examiners,
    sheet: sheetState(view),
    figures: reportFigures(seated, lines),
    evaluation: view.evaluation,
    candidates: seated.map((entry) => {
      const { knowledge, skills, disqualified } = lines[entry.ticketNumber] ?? {};
      const scored = !disqualified && typeof knowledge === 'number' && typeof skills === 'number';
      return {
        ticketNumber: entry.ticketNumber,
        applicationNumber: entry.applicationNumber,
        attendance: attendance(entry.attendance?.present),
        knowledge,
        skills,
        result: disqualified
          ? t('report:disqualified', { reason: disqualified })
          : scored
            ? t(`report:grade.${examOutcome({ knowledge, skills }).grade}`)
            : '',
      };
    }),
  };
}

/** The report's summary as label and value pairs, in the order every export shows them. */
function summary(report: SessionReport, t: TFunction): [string, string | number][] {
  const { figures: f } = report;
  const rate = (value: number | null) => (value === null ? '' : `${value}%`);
  return [
    [t('report:summary.session'), report.sessionId],
    [t('report:summary.station'), report.stationId],
    [t('report:summary.qualifications'), report.qualifications.join(t('report:listSeparator'))],
    [t('report:summary.knowledge'), report.knowledge],
    [t('report:summary.skills'), report.skills],
    [t('report:summary.team'), report.team.join(t('report:nameSeparator'))],
    [t('report:summary.sheet'), t(`report:sheet.${report.sheet}`, { defaultValue: report.sheet })],
    [t('report:summary.seated'), f.seated],
    [t('report:summary.present'), f.present],
    [t('report:summary.absent'), f.absent],
    [t('report:summary.unmarked'), f.unmarked],
    [t('report:summary.disqualified'), f.disqualified],
    [
      t('report:summary.knowledgeRates'),
      `${f.parts.knowledge.sat} / ${f.parts.knowledge.passed} / ${rate(f.parts.knowledge.passRate)}`,
    ],
    [
      t('report:summary.skillsRates'),
      `${f.parts.skills.sat} / ${f.parts.skills.passed} / ${rate(f.parts.skills.passRate)}`,
    ],
    [t('report:summary.bothRates'), `${f.scored} / ${f.passedBoth} / ${rate(f.passRate)}`],
    [t('report:summary.grades'), `${f.grades.excellent} / ${f.grades.good} / ${f.grades.pass} / ${f.grades.fail}`],
    [
      t('report:summary.opinion'),
      report.evaluation ? t('report:opinionBy', { opinion: report.evaluation.opinion, by: report.evaluation.by }) : '',
    ],
  ];
}

const candidateColumns = (t: TFunction) => [
  t('report:column.ticket'),
  t('report:column.application'),
  t('report:column.attendance'),
  t('report:column.knowledge'),
  t('report:column.skills'),
  t('report:column.result'),
];
const candidateCells = (c: SessionReport['candidates'][number]) => [
  c.ticketNumber,
  c.applicationNumber,
  c.attendance,
  c.knowledge ?? '',
  c.skills ?? '',
  c.result,
];

/** The exports take the language the report was made in: its labels and its words then agree. */
export function reportCsv(report: SessionReport, language: Language = DEFAULT_LANGUAGE): string {
  const t = translator(language);
  const rows = [...summary(report, t), [], candidateColumns(t), ...report.candidates.map(candidateCells)];
  // A BOM so that spreadsheet programs read the file as UTF-8.
  return `\ufeff${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

export async function reportXlsx(report: SessionReport, language: Language = DEFAULT_LANGUAGE): Promise<Buffer> {
  const t = translator(language);
  const workbook = new ExcelJS.Workbook();
  const overview = workbook.addWorksheet(t('report:worksheet.report'));
  for (const row of summary(report, t)) overview.addRow(row);
  overview.getColumn(1).width = 40;
  overview.getColumn(2).width = 80;
  const candidates = workbook.addWorksheet(t('report:worksheet.candidates'));
  candidates.addRow(candidateColumns(t));
  for (const candidate of report.candidates) candidates.addRow(candidateCells(candidate));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function reportPdf(report: SessionReport, language: Language = DEFAULT_LANGUAGE): Promise<Buffer> {
  const t = translator(language);
  const title = t('report:title', { sessionId: report.sessionId });
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: title } });
  // The certificates' font: the labels, names and places are Chinese.
  useCjkFont(doc, 'text');
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve) => doc.on('end', resolve));
  doc.fontSize(16).text(t('report:heading', { sessionId: report.sessionId }));
  doc.moveDown();
  doc.fontSize(10);
  for (const [label, value] of summary(report, t)) doc.text(t('report:summaryLine', { label, value }));
  doc.moveDown();
  doc.fontSize(12).text(t('report:candidatesHeading'));
  doc.fontSize(10);
  doc.text(candidateColumns(t).join('  |  '));
  for (const candidate of report.candidates) doc.text(candidateCells(candidate).join('  |  '));
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
