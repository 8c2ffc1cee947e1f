/**
 * Admission tickets (准考证) as the station prints them: one A5 page per seated candidate, with the ticket number,
 * the candidate's name and ID number (checked at the door), the qualification, the room and seat, and both parts'
 * times and places. One candidate's ticket, or a whole session's in seat order as one file for the printer.
 */
import PDFDocument from 'pdfkit';
import { useCjkFont } from '../activities/cjkFont';
import { isLevel, levelTitle, levelTitleZh } from '../domain/levels';
import { message } from '../domain/messages';
import { findOccupation, type OccupationCatalogue } from '../domain/occupations';
import type { PartSchedule } from '../domain/sessionPlan';
import { formatDateTime } from '../i18n';
import type { Db } from '../records/database';
import { type Actor, RefusalType } from '../workflows/definitions';
import type { SessionView } from '../workflows/sessionDefinitions';
import { checkInList, SessionRefused } from './sessions';

/** Who prints tickets: those who see the candidates in full on the check-in list (the station, administrators). */
export async function admissionTicketsPdf(
  db: Db,
  actor: Actor,
  view: SessionView,
  catalogue: OccupationCatalogue,
  ticketNumber?: string,
): Promise<Buffer> {
  const { rows } = await checkInList(db, actor, view);
  const chosen = ticketNumber === undefined ? rows : rows.filter((row) => row.ticketNumber === ticketNumber);
  if (ticketNumber !== undefined && chosen.length === 0) {
    throw new SessionRefused(
      RefusalType.NotFound,
      message('session:refused.noTicket', { sessionId: view.sessionId, ticket: ticketNumber }),
    );
  }
  if (chosen.length === 0) {
    throw new SessionRefused(
      RefusalType.Conflict,
      message('session:refused.nobodySeated', { sessionId: view.sessionId }),
    );
  }
  const doc = new PDFDocument({
    size: 'A5',
    margin: 40,
    autoFirstPage: false,
    // Dated by the session's plan, not by the clock, so the same tickets download as the same bytes every time.
    info: { Title: `Admission tickets ${view.sessionId}`, CreationDate: new Date(view.plan.registrationClosesAt) },
  });
  // The certificates' font, parsed once per process: names and titles are Chinese.
  useCjkFont(doc, 'text');
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve) => doc.on('end', resolve));
  for (const row of chosen) {
    doc.addPage();
    doc.font('text');
    doc.fontSize(18).text('职业技能鉴定准考证', { align: 'center' });
    doc.fontSize(11).text('Admission ticket, vocational skill appraisal', { align: 'center' });
    doc.moveDown();
    const found = findOccupation(row.occupation, catalogue);
    const occupation = found ? `${found.nameZh} ${found.name}` : row.occupation;
    const level = isLevel(row.level) ? `${levelTitleZh(row.level)} / ${levelTitle(row.level)}` : String(row.level);
    const lines: [string, string][] = [
      ['准考证号 Ticket', row.ticketNumber],
      ['姓名 Name', row.candidate.name ?? '(not on record)'],
      ['证件号码 ID number', row.candidate.idNumber ?? '(not on record)'],
      ['职业 Occupation', occupation],
      ['等级 Level', level],
      ['考场 Room / seat', `${row.room}，座位 ${row.seat}`],
      ['理论知识 Knowledge part', part(view.plan.knowledge)],
      ['操作技能 Skills part', part(view.plan.skills)],
      ['鉴定批次 Session', `${view.sessionId} (${view.stationId})`],
      ['申请编号 Application', row.applicationNumber],
    ];
    doc.fontSize(11);
    for (const [label, value] of lines) {
      doc.text(`${label}: ${value}`);
      doc.moveDown(0.3);
    }
    doc.moveDown();
    doc
      .fontSize(9)
      .text('Bring this ticket and the ID document named on it to both parts. Times are China time (UTC+8).');
  }
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

function part(schedule: PartSchedule): string {
  const [fromDay, fromTime] = formatDateTime(schedule.startsAt, 'zh-CN').split(' ');
  const [toDay, toTime] = formatDateTime(schedule.endsAt, 'zh-CN').split(' ');
  const to = toDay === fromDay ? toTime : `${toDay} ${toTime}`;
  return `${fromDay} ${fromTime} 至 ${to}（北京时间），${schedule.place}`;
}
