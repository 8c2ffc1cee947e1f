/**
 * Importing a score sheet through the JSON API, as an examiner uploads the file the team kept: a file with mistakes
 * is previewed with each bad row named and refused whole on confirmation; the corrected file, as XLSX, goes on the
 * sheet at once.
 */
import ExcelJS from 'exceljs';
import { SessionTaskKind } from '../../workflows/sessionDefinitions';
import { skipTo } from '../helpers/cases';
import { testWithHarness } from '../helpers/harnessTests';
import { apiAs, startWeb, type WebApp } from '../helpers/web';
import { UNLIMITED_SIGN_IN } from '../inbox/fixtures';
import { checkedInSession, waitForSessionTask } from './helpers';

const test = testWithHarness({ flavour: 'time-skipping', policy: { appraisalSessions: true } });

let web: WebApp;
test.serial.before(async (t) => {
  web = await startWeb(t.context, { signInLimits: UNLIMITED_SIGN_IN });
});
test.after.always(async () => {
  await web?.close();
});

async function upload(user: string, sessionId: string, file: Buffer | string, confirm = false) {
  const { token } = await apiAs(web.base, user);
  const response = await fetch(`${web.base}/api/sessions/${sessionId}/scores/import${confirm ? '?confirm=true' : ''}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
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
      { line: 3, message: `ticket STATION-A-2099-S999-0001 holds no seat in session ${sessionId}.` },
      { line: 4, message: `ticket ${absent} was marked absent; an absent candidate has no scores.` },
      { line: 5, message: `ticket ${second}: knowledge must be between 0 and 100.` },
      { line: 6, message: `ticket ${first} is on the sheet twice.` },
    ]);
    t.like(preview.body.lines[0], { line: 2, ticketNumber: first, knowledge: 80, skills: 75 });

    const refused = await upload('chen.examiner', sessionId, mistaken, true);
    t.is(refused.status, 422);
    t.regex(refused.body.error, /4 of 5 rows cannot go on the sheet; nothing was written/);
    t.deepEqual(Object.keys(refused.body.errors), ['row 3', 'row 4', 'row 5', 'row 6']);
    const clerk = await apiAs(web.base, 'chen.examiner');
    const untouched = await clerk.get(`/api/sessions/${sessionId}/score-sheet`);
    t.is(untouched.body.state, 'entry');
    t.true(untouched.body.rows.every((row: { knowledge?: number }) => row.knowledge === undefined));

    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Scores');
    sheet.addRow(['Ticket', 'Knowledge', 'Skills']);
    sheet.addRow([first, 80, 75]);
    sheet.addRow([second, 90.5, 88]);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    t.is((await upload('wu.center-reviewer', sessionId, xlsx, true)).status, 403, 'only the appraisal team enters');
    const accepted = await upload('chen.examiner', sessionId, xlsx, true);
    t.is(accepted.status, 200);
    t.is(accepted.body.entered, 2);
    const entered = await clerk.get(`/api/sessions/${sessionId}/score-sheet`);
    t.deepEqual(
      entered.body.rows.map((row: { ticketNumber: string; knowledge: number; skills: number; enteredBy: string }) => [
        row.ticketNumber,
        row.knowledge,
        row.skills,
        row.enteredBy,
      ]),
      [
        [first, 80, 75, 'chen.examiner'],
        [second, 90.5, 88, 'chen.examiner'],
      ],
    );

    const unreadable = await upload('chen.examiner', sessionId, 'ticket;points\nA;1\n');
    t.is(unreadable.status, 422);
    t.regex(unreadable.body.error, /The header row lacks a column for ticketNumber .*knowledge .*skills/);
  },
);
