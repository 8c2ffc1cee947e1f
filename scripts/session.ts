/**
 * `npm run session -- <command>`: appraisal sessions from a terminal.
 *
 *   plan <plan.json> --as <user> [--station <id>]      checks the plan, then starts the session (center review)
 *   show <session id>                                  its stage, plan, tasks, roster and history
 *   approve <session id> <task> --as <user> [--comment text]
 *   return|reject <session id> <task> --as <user> --reason text
 *   revise <session id> <task> <plan.json> --as <user> [--comment text]
 *   seat <session id> <application number> --as <user> seat a case (or move it here before its cut-off)
 *   seat-next <application number> --as <user>        seat a case in the soonest fitting session with a free seat
 *   postpone <session id> <schedule.json> --as <user> --reason text
 *   cancel <session id> --as <user> --reason text
 *   attend <session id> --as <user> [--present T1,T2] [--absent T3]   mark the check-in list by ticket number
 *   close-check-in <session id> <task> --as <user>   close the list once every seat is marked; absentees are told
 *   score <session id> <ticket> --as <user> [--knowledge N] [--skills N]   a line of the score sheet
 *   import-scores <session id> <file.csv|xlsx> --as <user> [--confirm]   preview a sheet file; --confirm writes it
 *   (the sheet is submitted with `approve <id> <session-score-entry task>`, checked by another examiner with
 *   `approve` or `return` on the session-score-check task)
 *   approve <session id> <results task> --as <user> [--take-out T3=reject:why ...]   approve a results batch at a
 *   level, taking single candidates out (returned or rejected, each with why); `return` sends the whole batch down
 *
 * A plan file holds what POST /api/sessions takes (examples/session-plan.json). Users are the demo province's
 * (runtime/directory.ts). Connects like the worker: TEMPORAL_ADDRESS or the local dev server `npm start` runs.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { UpdateDefinition } from '@temporalio/common';
import { message } from '../domain/messages';
import type { SessionPlan } from '../domain/sessionPlan';
import { openDatabase } from '../records/database';
import { sessionStageLabel, sessionTaskLabel, taskLabel } from '../inbox-ui/labels';
import { messageText } from '../inbox-ui/messageText';
import { databaseTarget, loadConfig } from '../runtime/config';
import {
  planSession,
  seatCase,
  seatInNextSession,
  SessionRefused,
  sessionState,
  updateSession,
} from '../runtime/sessions';
import { previewImport, readScoreFile, toRow } from '../runtime/scoreImport';
import { connectTemporal } from '../runtime/temporal';
import { RefusalType, TaskStatus } from '../workflows/definitions';
import * as msg from '../workflows/sessionDefinitions';
import {
  demoUser,
  list,
  printHistory,
  qualificationName,
  required as requiredArg,
  runCommand,
  t,
  time,
  UsageError,
} from './cli';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    as: { type: 'string' },
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

async function main(): Promise<void> {
  if (!command) throw new UsageError(t('cli:nameCommand', { commands: list(COMMANDS) }));
  const config = loadConfig();
  const temporal = await connectTemporal(config, { startServer: false });
  const db = await openDatabase(databaseTarget(config));
  try {
    const deps = { client: temporal.client, db };
    const update = async <Arg>(def: UpdateDefinition<msg.SessionView, [Arg]>, arg: Arg) =>
      print(await updateSession(temporal.client, sessionId(), def, arg));
    const decision = () => ({ taskId: required(args[1], t('cli:what.taskId')), actor: actor() });
    switch (command) {
      case 'plan': {
        const user = actor();
        const stationId = values.station ?? user.groups.find((g) => /:(clerks|supervisors)$/.test(g))?.split(':')[0];
        const { sessionId: id, alreadyPlanned } = await planSession(deps, {
          actor: user,
          stationId: required(stationId, t('cli:what.station')),
          plan: readJson(args[0], t('cli:what.planFile')),
        });
        console.log(alreadyPlanned ? t('cli:session.planSentBefore', { id }) : t('cli:session.planned', { id }));
        return;
      }
      case 'show':
        return print(await sessionState(temporal.client, sessionId()));
      case 'approve':
        return await update(msg.approvePlan, {
          ...decision(),
          comment: values.comment,
          ...(values['take-out'] && { takeOut: values['take-out'].map(takeOutOf) }),
        });
      case 'return':
        return await update(msg.returnPlan, { ...decision(), comment: values.reason ?? '' });
      case 'reject':
        return await update(msg.rejectPlan, { ...decision(), comment: values.reason ?? '' });
      case 'revise':
        return await update(msg.revisePlan, {
          ...decision(),
          plan: readJson<SessionPlan>(args[2], t('cli:what.planFile')),
          comment: values.comment,
        });
      case 'seat': {
        const entry = await seatCase(deps, {
          actor: actor(),
          sessionId: sessionId(),
          applicationNumber: required(args[1], t('cli:what.applicationNumber')),
        });
        return printSeat(sessionId(), entry);
      }
      case 'seat-next': {
        const { sessionId: id, entry } = await seatInNextSession(deps, {
          actor: actor(),
          applicationNumber: required(args[0], t('cli:what.applicationNumber')),
        });
        return printSeat(id, entry);
      }
      case 'postpone':
        return await update(msg.postponeSession, {
          actor: actor(),
          reason: values.reason ?? '',
          schedule: readJson(args[1], t('cli:what.scheduleFile')),
        });
      case 'cancel':
        return await update(msg.cancelSession, { actor: actor(), reason: values.reason ?? '' });
      case 'attend': {
        const tickets = (list?: string) => (list ?? '').split(',').filter((ticket) => ticket.trim());
        const marks = [
          ...tickets(values.present).map((ticketNumber) => ({ ticketNumber: ticketNumber.trim(), present: true })),
          ...tickets(values.absent).map((ticketNumber) => ({ ticketNumber: ticketNumber.trim(), present: false })),
        ];
        if (marks.length === 0) throw new UsageError(t('cli:session.attendUsage'));
        return await update(msg.recordAttendance, { actor: actor(), marks });
      }
      case 'score': {
        const score = (value?: string) => (value === undefined ? undefined : Number(value));
        const row = {
          ticketNumber: required(args[1], t('cli:what.ticketNumber')),
          knowledge: score(values.knowledge),
          skills: score(values.skills),
        };
        return await update(msg.enterScores, { actor: actor(), rows: [row] });
      }
      case 'import-scores': {
        const view = await sessionState(temporal.client, sessionId());
        const file = readFileSync(required(args[1], t('cli:what.scoreFile')));
        const preview = previewImport(view, await readScoreFile(file));
        for (const { line, said } of preview.errors) {
          console.log(t('cli:session.importRow', { line, message: messageText(t, said) }));
        }
        if (!preview.valid) {
          const why = message('cli:session.importRefused', {
            errors: preview.errors.length,
            count: preview.lines.length,
          });
          throw new SessionRefused(RefusalType.InvalidInput, why);
        }
        if (!values.confirm) {
          console.log(t('cli:session.importPreview', { count: preview.lines.length }));
          return;
        }
        return await update(msg.enterScores, { actor: actor(), rows: preview.lines.map(toRow) });
      }
      case 'close-check-in':
        return await update(msg.approvePlan, { ...decision(), comment: values.comment });
      default:
        throw new UsageError(t('cli:unknownCommand', { command }));
    }
  } finally {
    await db.destroy();
    await temporal.close();
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

function actor() {
  return demoUser(required(values.as, t('cli:what.asUser')));
}

function required(value: string | undefined, what: string): string {
  return requiredArg(command, value, what);
}

runCommand(main);
