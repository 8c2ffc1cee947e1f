/**
 * Importing a score sheet through the JSON API, as an examiner uploads the file the team kept: a file with mistakes
 * is previewed with each bad row named and refused whole on confirmation; the corrected file, as XLSX, goes on the
 * sheet at once, a disqualification with it. Then the session's report, as JSON and in its three exports.
 */
import ExcelJS from 'exceljs';
import { PDFParse } from 'pdf-parse';
import { SessionTaskKind } from '../../workflows/sessionDefinitions';
import { skipTo } from '../helpers/cases';
import { testWithHarness } from '../helpers/harnessTests';
import { apiAs, startWeb, type WebApp } from '../helpers/web';
import { UNLIMITED_SIGN_IN } from '../inbox/fixtures';
import { approveBatch, checkedInSession, waitForSessionTask } from './helpers';

const test = testWithHarness({ flavour: 'time-skipping', policy: { appraisalSessions: true } });

let web: WebApp;
test.serial.before(async (t) => {
  web = await startWeb(t.context, { signInLimits: UNLIMITED_SIGN_IN });
});
test.after.always(async () => {
  await web?.close();
});

async function upload(user: string, sessionId: string, file: Buffer | string, confirm = false, language = 'en') {
  const { token } = await apiAs(web.base, user);
  const response = await fetch(`${web.base}/api/sessions/${sessionId}/scores/import${confirm ? '?confirm=true' : ''}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', 'accept-language': language },
    body: file,
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, body: (await response.json()) as any };
}

test.serial(
  'a sheet with mistakes names each bad row and writes nothing; the corrected XLSX goes on whole',
  async (t) => {
    const h = t.context;
    const { planned, sessionId, seated } = await checkedInSession(h, 3, [2]);
    const [first, second, absent] = seated.map((s) => s.ticket);
    await skipTo(h, Date.parse(planned.skills.endsAt), 1000);
    await waitForSessionTask(h, sessionId, SessionTaskKind.ScoreEntry);

    const mistaken = [
      '准考证号,理论知识,操作技能',
      `${first},80,75`,
      'STATION-A-2099-S999-0001,70,70',
      `${absent},60,60`,
      `${second},101,70`,
      `${first},80,75`,
      '',
    ].join('\r\n');
    const preview = await upload('chen.examiner', sessionId, `\ufeff${mistaken}`);
    t.is(preview.status, 200);
    t.false(preview.body.valid);
    t.deepEqual(preview.body.errors, [
      {
        line: 3,
        message: `ticket STATION-A-2099-S999-0001 holds no seat in session ${sessionId}.`,
        code: 'session:sheetLine.noSeat',
      },
      {
        line: 4,
        message: `ticket ${absent} was marked absent; an absent candidate has no scores.`,
        code: 'session:sheetLine.absent',
      },
      {
        line: 5,
        message: `ticket ${second}: knowledge must be between 0 and 100.`,
        code: 'session:sheetLine.score.outOfRange',
      },
      { line: 6, message: `ticket ${first} is on the sheet twice.`, code: 'session:sheetLine.twice' },
    ]);
    t.like(preview.body.lines[0], { line: 2, ticketNumber: first, knowledge: 80, skills: 75 });
    t.is(preview.body.lines[3].error, `ticket ${second}: knowledge must be between 0 and 100.`);
    const previewInChinese = await upload('chen.examiner', sessionId, mistaken, false, 'zh-CN');
    t.deepEqual(
      previewInChinese.body.errors.map((error: { message: string }) => error.message),
      [
        `准考证号 STATION-A-2099-S999-0001 在鉴定批次 ${sessionId} 中没有考位。`,
        `准考证号 ${absent} 已记为缺考；缺考考生没有成绩。`,
        `准考证号 ${second}：理论知识考试成绩须在 0 到 100 之间。`,
        `准考证号 ${first} 在成绩登记表中重复出现。`,
      ],
    );

    const refused = await upload('chen.examiner', sessionId, mistaken, true);
    t.is(refused.status, 422);
    t.regex(refused.body.error, /4 of 5 rows cannot go on the sheet; nothing was written/);
    t.deepEqual(Object.keys(refused.body.errors), ['row 3', 'row 4', 'row 5', 'row 6']);
    const inChinese = await upload('chen.examiner', sessionId, mistaken, true, 'zh-CN');
    t.is(inChinese.body.error, '5 行中有 4 行无法登记；未写入任何成绩。');
    t.is(inChinese.body.errors['row 6'], `准考证号 ${first} 在成绩登记表中重复出现。`);
    const clerk = await apiAs(web.base, 'chen.examiner');
    const untouched = await clerk.get(`/api/sessions/${sessionId}/score-sheet`);
    t.is(untouched.body.state, 'entry');
    t.true(untouched.body.rows.every((row: { knowledge?: number }) => row.knowledge === undefined));

    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Scores');
    sheet.addRow(['Ticket', 'Knowledge', 'Skills', '取消资格']);
    sheet.addRow([first, 80, 75]);
    sheet.addRow([second, null, null, 'Copied from a neighbour.']);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    t.is((await upload('wu.center-reviewer', sessionId, xlsx, true)).status, 403, 'only the appraisal team enters');
    const accepted = await upload('chen.examiner', sessionId, xlsx, true);
    t.is(accepted.status, 200);
    t.is(accepted.body.entered, 2);
    const entered = await clerk.get(`/api/sessions/${sessionId}/score-sheet`);
    t.deepEqual(
      entered.body.rows.map(
        (row: {
          ticketNumber: string;
          knowledge: number;
          skills: number;
          disqualified?: string;
          enteredBy: string;
        }) => [row.ticketNumber, row.knowledge, row.skills, row.disqualified, row.enteredBy],
      ),
      [
        [first, 80, 75, undefined, 'chen.examiner'],
        [second, undefined, undefined, 'Copied from a neighbour.', 'chen.examiner'],
      ],
    );

    const unreadable = await upload('chen.examiner', sessionId, 'ticket;points\nA;1\n');
    t.is(unreadable.status, 422);
    t.regex(unreadable.body.error, /The header row lacks a column for ticketNumber .*knowledge .*skills/);
  },
);

test.serial(
  'the report counts who came and passed, carries the station’s opinion, and exports the same figures',
  async (t) => {
    const h = t.context;
    const { planned, sessionId, seated } = await checkedInSession(h, 3, [2]);
    const [first, second] = seated.map((s) => s.ticket);
    await skipTo(h, Date.parse(planned.skills.endsAt), 1000);
    const entry = await waitForSessionTask(h, sessionId, SessionTaskKind.ScoreEntry);
    const chen = await apiAs(web.base, 'chen.examiner');
    const ma = await apiAs(web.base, 'ma.examiner');
    const clerk = await apiAs(web.base, 'sun.clerk');
    await chen.post(`/api/sessions/${sessionId}/scores`, {
      rows: [
        { ticketNumber: first, knowledge: 96, skills: 81 },
        { ticketNumber: second, knowledge: 55, skills: 70 },
      ],
    });
    t.is((await chen.post(`/api/sessions/${sessionId}/tasks/${entry.id}/approve`, {})).status, 200);
    const check = await waitForSessionTask(h, sessionId, SessionTaskKind.ScoreCheck);
    t.is((await ma.post(`/api/sessions/${sessionId}/tasks/${check.id}/approve`, {})).status, 200);

    await approveBatch(h, sessionId);
    const report = await waitForSessionTask(h, sessionId, SessionTaskKind.Report);
    const bare = await clerk.post(`/api/sessions/${sessionId}/tasks/${report.id}/approve`, {});
    t.is(bare.status, 422);
    t.regex(bare.body.error, /opinion/);
    const opinion = '考评组纪律严明，评分认真。';
    const filed = await clerk.post(`/api/sessions/${sessionId}/tasks/${report.id}/approve`, { comment: opinion });
    t.is(filed.status, 200);

    const json = (await clerk.get(`/api/sessions/${sessionId}/report`)).body;
    t.like(json.figures, {
      seated: 3,
      present: 2,
      absent: 1,
      unmarked: 0,
      parts: { knowledge: { sat: 2, passed: 1, passRate: 50 }, skills: { sat: 2, passed: 2, passRate: 100 } },
      scored: 2,
      passedBoth: 1,
      passRate: 50,
      grades: { excellent: 0, good: 1, pass: 0, fail: 1 },
    });
    t.like(json, { sheet: 'checked', evaluation: { opinion, by: 'sun.clerk' } });
    const center = await apiAs(web.base, 'wu.center-reviewer');
    t.is((await center.get(`/api/sessions/${sessionId}/report`)).body.figures.present, 2, 'the center reads it too');

    const { token } = clerk;
    const download = async (format: string) => {
      const response = await fetch(`${web.base}/api/sessions/${sessionId}/report?format=${format}`, {
        headers: { authorization: `Bearer ${token}`, 'accept-language': 'en' },
      });
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        body: Buffer.from(await response.arrayBuffer()),
      };
    };
    const csv = await download('csv');
    t.regex(csv.type ?? '', /^text\/csv/);
    const text = csv.body.toString('utf8');
    t.regex(text, /^\ufeffSession,/);
    t.regex(text, /Knowledge: sat \/ passed \/ pass rate,2 \/ 1 \/ 50%/);
    t.true(text.includes(`${first},`) && text.includes(opinion));

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await download('xlsx')).body as unknown as ArrayBuffer);
    const rows = workbook.getWorksheet('Report')!.getSheetValues().slice(1) as unknown[][];
    t.true(rows.some((row) => row[1] === 'Absent' && row[2] === 1));
    t.is(workbook.getWorksheet('Candidates')!.rowCount, 4);

    const pdf = await download('pdf');
    t.is(pdf.type, 'application/pdf');
    const parser = new PDFParse({ data: pdf.body });
    const pdfText = (await parser.getText()).text;
    await parser.destroy();
    t.regex(pdfText, /Both parts: scored \/ passed \/ pass rate: 2 \/ 1 \/ 50%/);
    t.is((await download('docx')).status, 422);
  },
);
