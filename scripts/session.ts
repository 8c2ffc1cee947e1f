/**
 * `npm run session -- <command>`: appraisal sessions from a terminal, as the person who logged in.
 *
 *   login --user <id> | logout                         as for `npm run case` (the token is shared)
 *   plan <plan.json> [--station <id>]                  checks the plan, then starts the session (center review)
 *   show <session id>                                  its stage, plan, tasks, roster and history
 *   approve <session id> <task> [--comment text]
 *   return|reject <session id> <task> --reason text
 *   revise <session id> <task> <plan.json> [--comment text]
 *   seat <session id> <application number>            seat a case (or move it here before its cut-off)
 *   seat-next <application number>                    seat a case in the soonest fitting session with a free seat
 *   postpone <session id> <schedule.json> --reason text
 *   cancel <session id> --reason text
 *   attend <session id> [--present T1,T2] [--absent T3]   mark the check-in list by ticket number
 *   close-check-in <session id> <task>                close the list once every seat is marked; absentees are told
 *   score <session id> <ticket> [--knowledge N] [--skills N]   a line of the score sheet
 *   import-scores <session id> <file.csv|xlsx> [--confirm]   preview a sheet file; --confirm writes it
 *   (the sheet is submitted with `approve <id> <session-score-entry task>`, checked by another examiner with
 *   `approve` or `return` on the session-score-check task)
 *   approve <session id> <results task> [--take-out T3=reject:why ...]   approve a results batch at a level, taking
 *   single candidates out (returned or rejected, each with why); `return` sends the whole batch down
 *
 * A plan file holds what POST /api/sessions takes (examples/session-plan.json). Every command goes through the web
 * app's JSON API with your token (scripts/apiClient.ts), so it may do and see what you may in the web app.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { sessionStageLabel, sessionTaskLabel, taskLabel } from '../inbox-ui/labels';
import { TaskStatus } from '../workflows/definitions';
import type * as msg from '../workflows/sessionDefinitions';
import { accountCommand, refuseAs, signedInApi } from './apiClient';
import { list, printHistory, qualificationName, required as requiredArg, runCommand, t, time, UsageError } from './cli';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    // Refused with what to do instead (apiClient.ts refuseAs); declared so that it is not an unknown option.
    as: { type: 'string' },
    user: { type: 'string' },
    station: { type: 'string' },
    comment: { type: 'string' },
    reason: { type: 'string' },
    present: { type: 'string' },
    absent: { type: 'string' },
    knowledge: { type: 'string' },
    confirm: { type: 'boolean' },
    skills: { type: 'string' },
    'take-out': { type: 'string', multiple: true },
  },
});

/** `--take-out T3=reject:why` (or `=return:why`): a candidate taken out of a results batch as the level approves it. */
function takeOutOf(given: string): msg.TakeOut {
  const found = /^([^=]+)=(return|reject):(.+)$/s.exec(given);
  if (!found) throw new UsageError(t('cli:session.takeOutUsage', { given }));
  return { ticketNumber: found[1].trim(), decision: found[2] as msg.TakeOut['decision'], reason: found[3].trim() };
}
const [command, ...args] = positionals;
const COMMANDS = [
  'login',
  'logout',
  'plan',
  'show',
  'approve',
  'return',
  'reject',
  'revise',
  'seat',
  'seat-next',
  'postpone',
  'cancel',
  'attend',
  'close-check-in',
  'score',
  'import-scores',
];

/** An import's preview as the API words it (inbox-ui/routes/sessions.ts previewInWords). */
interface ImportPreview {
  valid: boolean;
  lines: unknown[];
  errors: { line: number; message: string }[];
}

async function main(): Promise<void> {
  if (!command) throw new UsageError(t('cli:nameCommand', { commands: list(COMMANDS) }));
  refuseAs(values.as);
  if (await accountCommand(command, values)) return;
  if (!COMMANDS.includes(command)) throw new UsageError(t('cli:unknownCommand', { command }));
  const api = signedInApi();
  const session = () => `/api/sessions/${encodeURIComponent(sessionId())}`;
  const post = async (to: string, body: unknown) => print(await api.post<msg.SessionView>(`${session()}${to}`, body));
  const onTask = (action: string, body: Record<string, unknown>) =>
    post(`/tasks/${encodeURIComponent(required(args[1], t('cli:what.taskId')))}/${action}`, body);
  switch (command) {
    case 'plan': {
      const plan = readJson<Record<string, unknown>>(args[0], t('cli:what.planFile'));
      const { sessionId: id, alreadyPlanned } = await api.post<{ sessionId: string; alreadyPlanned: boolean }>(
        '/api/sessions',
        { ...plan, ...(values.station && { stationId: values.station }) },
      );
      console.log(alreadyPlanned ? t('cli:session.planSentBefore', { id }) : t('cli:session.planned', { id }));
      return;
    }
    case 'show':
      return print(await api.get<msg.SessionView>(session()));
    case 'approve':
      return await onTask('approve', {
        comment: values.comment,
        ...(values['take-out'] && { takeOut: values['take-out'].map(takeOutOf) }),
      });
    case 'return':
    case 'reject':
      return await onTask(command, { reason: values.reason ?? '' });
    case 'close-check-in':
      return await onTask('approve', { comment: values.comment });
    case 'revise':
      return await post('/plan', {
        ...readJson<Record<string, unknown>>(args[2], t('cli:what.planFile')),
        taskId: required(args[1], t('cli:what.taskId')),
        comment: values.comment,
      });
    case 'seat': {
      const applicationNumber = required(args[1], t('cli:what.applicationNumber'));
      const entry = await api.post<msg.RosterEntry>(`${session()}/seats`, { applicationNumber });
      return printSeat(sessionId(), entry);
    }
    case 'seat-next': {
      const applicationNumber = required(args[0], t('cli:what.applicationNumber'));
      const { sessionId: id, entry } = await api.post<{ sessionId: string; entry: msg.RosterEntry }>(
        '/api/sessions/seats/next',
        { applicationNumber },
      );
      return printSeat(id, entry);
    }
    case 'postpone':
      return await post('/postpone', {
        ...readJson<Record<string, unknown>>(args[1], t('cli:what.scheduleFile')),
        reason: values.reason ?? '',
      });
    case 'cancel':
      return await post('/cancel', { reason: values.reason ?? '' });
    case 'attend': {
      const tickets = (list?: string) => (list ?? '').split(',').filter((ticket) => ticket.trim());
      const marks = [
        ...tickets(values.present).map((ticketNumber) => ({ ticketNumber: ticketNumber.trim(), present: true })),
        ...tickets(values.absent).map((ticketNumber) => ({ ticketNumber: ticketNumber.trim(), present: false })),
      ];
      if (marks.length === 0) throw new UsageError(t('cli:session.attendUsage'));
      return await post('/attendance', { marks });
    }
    case 'score': {
      const score = (value?: string) => (value === undefined ? undefined : Number(value));
      const row = {
        ticketNumber: required(args[1], t('cli:what.ticketNumber')),
        knowledge: score(values.knowledge),
        skills: score(values.skills),
      };
      return await post('/scores', { rows: [row] });
    }
    case 'import-scores': {
      const file = readFileSync(required(args[1], t('cli:what.scoreFile')));
      // The API reads the file as the web's import does: a preview first; with confirm, every row or none.
      const preview = await api.postBytes<ImportPreview & { entered?: number }>(
        `${session()}/scores/import`,
        file,
        values.confirm ? { confirm: 'true' } : undefined,
      );
      for (const { line, message } of preview.errors) console.log(t('cli:session.importRow', { line, message }));
      if (!preview.valid) {
        const refused = t('cli:session.importRefused', { errors: preview.errors.length, count: preview.lines.length });
        throw new UsageError(t('cli:refused.because', { reason: refused }));
      }
      if (!values.confirm) {
        console.log(t('cli:session.importPreview', { count: preview.lines.length }));
        return;
      }
      return print(await api.get<msg.SessionView>(session()));
    }
  }
}

function print(view: msg.SessionView): void {
  const { plan } = view;
  const heading = { id: view.sessionId, station: view.stationId, stage: sessionStageLabel(t, view.stage) };
  console.log(view.closed ? t('cli:session.headingClosed', heading) : t('cli:session.heading', heading));
  if (view.outcome?.reason) console.log(t('cli:reason', { reason: view.outcome.reason }));
  console.log(t('cli:timesNote'));
  const qualifications = plan.qualifications.map((q) => qualificationName(q.occupation, q.level));
  console.log(
    t('cli:session.examines', { qualifications: qualifications.join(t('cli:session.qualificationSeparator')) }),
  );
  const part = (p: typeof plan.knowledge) => ({ from: time(p.startsAt), to: time(p.endsAt), place: p.place });
  console.log(t('cli:session.knowledge', part(plan.knowledge)));
  console.log(t('cli:session.skills', part(plan.skills)));
  console.log(t('cli:session.registrationCloses', { at: time(plan.registrationClosesAt) }));
  const seated = view.roster.filter((entry) => !entry.released);
  const seats = plan.rooms.reduce((sum, room) => sum + room.seats, 0);
  const rooms = list(plan.rooms.map((room) => t('cli:session.room', { room: room.name, count: room.seats })));
  console.log(t('cli:session.seated', { seated: seated.length, seats, rooms }));
  for (const task of view.tasks.filter((open) => open.status === TaskStatus.Open)) {
    const kind = sessionTaskLabel(t, task.kind);
    console.log(t('cli:openTask', { id: task.id, kind, group: task.candidateGroup, due: time(task.dueAt) }));
  }
  if (view.checkIn) {
    const { present, absent, closedBy, closedAt } = view.checkIn;
    console.log(t('cli:session.checkInClosed', { by: closedBy, at: time(closedAt), present, absent }));
  }
  if (view.sheet) {
    const state = view.sheet.checked
      ? t('cli:session.sheetChecked', { by: view.sheet.checked.by })
      : view.sheet.submittedBy
        ? t('cli:session.sheetSubmitted', { by: view.sheet.submittedBy })
        : t('cli:session.sheetEntry');
    console.log(t('cli:session.sheet', { state, count: Object.keys(view.sheet.rows).length }));
  }
  if (view.results) {
    const { expected, lines, decisions, late } = view.results;
    console.log(t('cli:session.results', { joined: lines.length, expected, late: late.length }));
    for (const d of decisions) {
      const decided = { level: taskLabel(t, d.kind), decision: decisionWord(d.decision), by: d.by };
      console.log(
        d.comment
          ? t('cli:session.decisionWithComment', { ...decided, comment: d.comment })
          : t('cli:session.decision', decided),
      );
    }
    for (const line of lines.filter((l) => l.takenOut || l.certificateNumber)) {
      const standing = line.takenOut
        ? t('cli:session.takenOut', {
            decision: decisionWord(line.takenOut.decision),
            level: taskLabel(t, line.takenOut.kind),
            comment: line.takenOut.comment,
          })
        : t('cli:session.certificate', { number: line.certificateNumber });
      console.log(`    ${line.ticketNumber}  ${line.applicationNumber}  ${standing}`);
    }
  }
  const mark = (entry: msg.RosterEntry) =>
    entry.attendance ? (entry.attendance.present ? t('cli:session.present') : t('cli:session.absent')) : '';
  for (const entry of seated.slice(0, 50)) {
    const { ticketNumber: ticket, seat, applicationNumber: application } = entry;
    console.log(t('cli:session.rosterLine', { ticket, room: seat.room, seat: seat.number, application }) + mark(entry));
  }
  if (seated.length > 50) console.log(t('cli:session.more', { more: seated.length - 50 }));
  printHistory(view.history, 10);
}

/** What a level did with a results batch or a candidate in it. */
function decisionWord(decision: 'approve' | 'return' | 'reject'): string {
  return {
    approve: t('cli:session.decided.approve'),
    return: t('cli:session.decided.return'),
    reject: t('cli:session.decided.reject'),
  }[decision];
}

function printSeat(sessionId: string, entry: msg.RosterEntry): void {
  const { applicationNumber: application, seat, ticketNumber: ticket } = entry;
  console.log(
    t('cli:session.seatedCase', { application, session: sessionId, room: seat.room, seat: seat.number, ticket }),
  );
}

function readJson<T>(file: string | undefined, what: string): T {
  const name = required(file, what);
  try {
    return JSON.parse(readFileSync(name, 'utf8')) as T;
  } catch (error) {
    throw new UsageError(t('cli:notJson', { file: name, message: (error as Error).message }));
  }
}

function sessionId(): string {
  return required(args[0], t('cli:what.sessionId'));
}

function required(value: string | undefined, what: string): string {
  return requiredArg(command, value, what);
}

runCommand(main);
