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
import type { SessionPlan } from '../domain/sessionPlan';
import { openDatabase } from '../records/database';
import { helpers } from '../inbox-ui/viewHelpers';
import { databaseTarget, loadConfig } from '../runtime/config';
import { demoActor } from '../runtime/directory';
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
import { required as requiredArg, runCommand, UsageError } from './cli';

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
  if (!found) throw new UsageError(`--take-out ${given}: write <ticket>=return:<reason> or <ticket>=reject:<reason>.`);
  return { ticketNumber: found[1].trim(), decision: found[2] as msg.TakeOut['decision'], reason: found[3].trim() };
}
const [command, ...args] = positionals;

async function main(): Promise<void> {
  if (!command) {
    throw new UsageError(
      'Name a command: plan, show, approve, return, reject, revise, seat, seat-next, postpone, cancel, attend, close-check-in, score, import-scores.',
    );
  }
  const config = loadConfig();
  const temporal = await connectTemporal(config, { startServer: false });
  const db = await openDatabase(databaseTarget(config));
  try {
    const deps = { client: temporal.client, db };
    const update = async <Arg>(def: UpdateDefinition<msg.SessionView, [Arg]>, arg: Arg) =>
      print(await updateSession(temporal.client, sessionId(), def, arg));
    const decision = () => ({ taskId: required(args[1], 'a task id'), actor: actor() });
    switch (command) {
      case 'plan': {
        const user = actor();
        const stationId = values.station ?? user.groups.find((g) => /:(clerks|supervisors)$/.test(g))?.split(':')[0];
        const { sessionId: id, alreadyPlanned } = await planSession(deps, {
          actor: user,
          stationId: required(stationId, '--station <id>'),
          plan: readJson(args[0], 'a plan JSON file'),
        });
        console.log(
          alreadyPlanned
            ? `This plan was sent before: session ${id}; nothing was changed.`
            : `Planned session ${id}; the guidance center reviews it now. Follow it with: npm run session -- show ${id}`,
        );
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
          plan: readJson<SessionPlan>(args[2], 'a plan JSON file'),
          comment: values.comment,
        });
      case 'seat': {
        const entry = await seatCase(deps, {
          actor: actor(),
          sessionId: sessionId(),
          applicationNumber: required(args[1], 'an application number'),
        });
        return printSeat(sessionId(), entry);
      }
      case 'seat-next': {
        const { sessionId: id, entry } = await seatInNextSession(deps, {
          actor: actor(),
          applicationNumber: required(args[0], 'an application number'),
        });
        return printSeat(id, entry);
      }
      case 'postpone':
        return await update(msg.postponeSession, {
          actor: actor(),
          reason: values.reason ?? '',
          schedule: readJson(args[1], 'a schedule JSON file'),
        });
      case 'cancel':
        return await update(msg.cancelSession, { actor: actor(), reason: values.reason ?? '' });
      case 'attend': {
        const tickets = (list?: string) => (list ?? '').split(',').filter((ticket) => ticket.trim());
        const marks = [
          ...tickets(values.present).map((ticketNumber) => ({ ticketNumber: ticketNumber.trim(), present: true })),
          ...tickets(values.absent).map((ticketNumber) => ({ ticketNumber: ticketNumber.trim(), present: false })),
        ];
        if (marks.length === 0) throw new UsageError('Name tickets with --present T1,T2 and/or --absent T3.');
        return await update(msg.recordAttendance, { actor: actor(), marks });
      }
      case 'score': {
        const score = (value?: string) => (value === undefined ? undefined : Number(value));
        const row = {
          ticketNumber: required(args[1], 'a ticket number'),
          knowledge: score(values.knowledge),
          skills: score(values.skills),
        };
        return await update(msg.enterScores, { actor: actor(), rows: [row] });
      }
      case 'import-scores': {
        const view = await sessionState(temporal.client, sessionId());
        const preview = previewImport(view, await readScoreFile(readFileSync(required(args[1], 'a CSV or XLSX file'))));
        for (const { line, message } of preview.errors) console.log(`  row ${line}: ${message}`);
        if (!preview.valid) {
          const why = `${preview.errors.length} of ${preview.lines.length} rows cannot go on the sheet; nothing was written.`;
          throw new SessionRefused(RefusalType.InvalidInput, why);
        }
        if (!values.confirm) {
          console.log(`All ${preview.lines.length} rows can go on the sheet; run again with --confirm to write them.`);
          return;
        }
        return await update(msg.enterScores, { actor: actor(), rows: preview.lines.map(toRow) });
      }
      case 'close-check-in':
        return await update(msg.approvePlan, { ...decision(), comment: values.comment });
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } finally {
    await db.destroy();
    await temporal.close();
  }
}

function print(view: msg.SessionView): void {
  const { plan } = view;
  console.log(`Session ${view.sessionId} of ${view.stationId}: ${view.stage}${view.closed ? ' (closed)' : ''}`);
  if (view.outcome?.reason) console.log(`  reason: ${view.outcome.reason}`);
  console.log(`  examines: ${plan.qualifications.map((q) => `${q.occupation} level ${q.level}`).join(', ')}`);
  for (const [name, part] of [
    ['knowledge', plan.knowledge],
    ['skills', plan.skills],
  ] as const) {
    console.log(`  ${name}: ${chinaTime(part.startsAt)} to ${chinaTime(part.endsAt)}, ${part.place}`);
  }
  console.log(`  registration closes: ${chinaTime(plan.registrationClosesAt)}`);
  const seated = view.roster.filter((entry) => !entry.released);
  const seats = plan.rooms.reduce((sum, room) => sum + room.seats, 0);
  console.log(`  seated: ${seated.length} of ${seats} (${plan.rooms.map((r) => `${r.name} ${r.seats}`).join(', ')})`);
  for (const task of view.tasks.filter((t) => t.status === TaskStatus.Open)) {
    console.log(`  open task ${task.id} for ${task.candidateGroup}, due ${chinaTime(task.dueAt)}`);
  }
  if (view.checkIn) {
    const { present, absent, closedBy, closedAt } = view.checkIn;
    console.log(`  check-in closed by ${closedBy} at ${chinaTime(closedAt)}: ${present} present, ${absent} absent`);
  }
  if (view.sheet) {
    const lines = Object.keys(view.sheet.rows).length;
    const where = view.sheet.checked
      ? `checked by ${view.sheet.checked.by}`
      : view.sheet.submittedBy
        ? `submitted by ${view.sheet.submittedBy}, being checked`
        : 'being entered';
    console.log(`  score sheet: ${where}; ${lines} lines`);
  }
  if (view.results) {
    const { expected, lines, decisions, late } = view.results;
    console.log(
      `  results batch: ${lines.length} of ${expected} who passed joined; ${late.length} went up on their own`,
    );
    for (const d of decisions)
      console.log(`    ${d.kind}: ${d.decision} by ${d.by}${d.comment ? `: ${d.comment}` : ''}`);
    for (const line of lines.filter((l) => l.takenOut || l.certificateNumber)) {
      const standing = line.takenOut
        ? `${line.takenOut.decision} at ${line.takenOut.kind}: ${line.takenOut.comment}`
        : `certificate ${line.certificateNumber}`;
      console.log(`    ${line.ticketNumber}  ${line.applicationNumber}  ${standing}`);
    }
  }
  const mark = (entry: msg.RosterEntry) =>
    entry.attendance ? (entry.attendance.present ? '  present' : '  absent') : '';
  for (const entry of seated.slice(0, 50)) {
    console.log(
      `    ${entry.ticketNumber}  ${entry.seat.room} #${entry.seat.number}  ${entry.applicationNumber}${mark(entry)}`,
    );
  }
  if (seated.length > 50) console.log(`    … and ${seated.length - 50} more`);
  console.log('  history (times in China time, UTC+8):');
  for (const event of view.history.slice(-10)) {
    console.log(
      `    ${helpers.chinaTime(event.at)} ${event.type}${event.by ? ` by ${event.by}` : ''}${event.comment ? `: ${event.comment}` : ''}`,
    );
  }
}

const chinaTime = (iso: string) => `${helpers.chinaTime(iso)} UTC+8`;

function printSeat(sessionId: string, entry: msg.RosterEntry): void {
  console.log(
    `Seated ${entry.applicationNumber} in session ${sessionId}: ${entry.seat.room}, seat ${entry.seat.number}, ` +
      `admission ticket ${entry.ticketNumber}.`,
  );
}

function readJson<T>(file: string | undefined, what: string): T {
  const name = required(file, what);
  try {
    return JSON.parse(readFileSync(name, 'utf8')) as T;
  } catch (error) {
    throw new UsageError(`${name} is not readable JSON: ${(error as Error).message}`);
  }
}

function sessionId(): string {
  return required(args[0], 'a session id');
}

function actor() {
  return demoActor(required(values.as, '--as <user>'));
}

function required(value: string | undefined, what: string): string {
  return requiredArg(command, value, what);
}

runCommand(main);
