/**
 * An appraisal session's plan: which qualifications it examines, when and where each part is held, its rooms and
 * seats, its appraisal team and its registration cut-off (DOMAIN.md, Examination; seed sections 15 to 17: the station
 * organises candidates "in accordance with the prescribed time, place and method"). Pure rules, shared by the API
 * (to refuse a bad plan before anything starts) and the session workflow (which checks a revised plan again). A
 * mistake is a Message (`session:planCheck.*`), put into words where it is shown (domain/englishText.ts for English).
 */
import { isIsoDate } from './dates';
import { isLevel, type Level } from './levels';
import { type Message, message } from './messages';
import { type OccupationCatalogue, findOccupation } from './occupations';
import type { ExamPart } from './scores';
import { textMistake, textProblem } from './text';

/** When and where one part of the examination is held; instants are ISO strings. */
export interface PartSchedule {
  startsAt: string;
  endsAt: string;
  place: string;
}

export interface SessionSchedule {
  knowledge: PartSchedule;
  skills: PartSchedule;
  /** The last moment a candidate can be seated or moved in. */
  registrationClosesAt: string;
}

export interface Room {
  name: string;
  seats: number;
}

export interface Qualification {
  occupation: string;
  level: Level;
}

export interface SessionPlan extends SessionSchedule {
  qualifications: Qualification[];
  rooms: Room[];
  /** The appraisal team: user ids from the station's examiner group, at least two (four eyes on every sheet). */
  examiners: string[];
}

/** A seat of the session: a room and a number in it, counted from 1. */
export interface Seat {
  room: string;
  number: number;
}

export const MIN_EXAMINERS = 2;
export const MAX_SEATS_PER_ROOM = 500;
export const MAX_ROOMS = 100;
const MAX_ROOM_NAME = 100;
const MAX_PLACE = 200;

/** A plan's mistakes by field, each as a Message (`session:planCheck.*`) for the reader's language. */
export type PlanMistakes = Record<string, Message>;

const mistake = (key: string, values?: Record<string, string | number>): Message =>
  message(`session:planCheck.${key}`, values);

/**
 * The plan's mistakes, field by field (an empty object when it is sound). `now` is the moment the plan is made or
 * revised: its parts and its cut-off must lie ahead of it.
 */
export function planMistakes(plan: unknown, catalogue: OccupationCatalogue, now: Date): PlanMistakes {
  if (!plan || typeof plan !== 'object' || Array.isArray(plan)) return { plan: mistake('notAnObject') };
  const given = plan as Partial<Record<keyof SessionPlan, unknown>>;
  return {
    ...checkQualifications(given.qualifications, catalogue),
    ...scheduleMistakes(given, now),
    ...checkRooms(given.rooms),
    ...checkExaminers(given.examiners),
  };
}

/** A schedule's mistakes: both parts, and a cut-off before the first of them. Also used for a postponement. */
export function scheduleMistakes(given: Partial<Record<keyof SessionSchedule, unknown>>, now: Date): PlanMistakes {
  const errors: PlanMistakes = {};
  for (const part of ['knowledge', 'skills'] as const) {
    const error = checkPart(given[part], now);
    if (error) errors[part] = error;
  }
  const cutOff = instant(given.registrationClosesAt);
  if (cutOff === undefined) {
    errors.registrationClosesAt = mistake('cutOffNotInstant');
  } else if (cutOff <= now.getTime()) {
    errors.registrationClosesAt = mistake('cutOffPast');
  } else if (!errors.knowledge && !errors.skills) {
    const first = Math.min(...(['knowledge', 'skills'] as const).map((p) => Date.parse(startOf(given[p]))));
    if (cutOff > first) errors.registrationClosesAt = mistake('cutOffAfterStart');
  }
  return errors;
}

function checkPart(value: unknown, now: Date): Message | undefined {
  if (!value || typeof value !== 'object') return mistake('partMissing');
  const { startsAt, endsAt, place } = value as Record<string, unknown>;
  const start = instant(startsAt);
  const end = instant(endsAt);
  if (start === undefined) return mistake('startsAtNotInstant');
  if (end === undefined) return mistake('endsAtNotInstant');
  if (start <= now.getTime()) return mistake('startsAtPast');
  if (end <= start) return mistake('endsBeforeStart');
  if (typeof place !== 'string' || !place.trim()) return mistake('noPlace');
  if (place.length > MAX_PLACE) return mistake('placeTooLong', { max: MAX_PLACE });
  return textRefusal(place, 'place');
}

function checkQualifications(value: unknown, catalogue: OccupationCatalogue): PlanMistakes {
  if (!Array.isArray(value) || value.length === 0) return { qualifications: mistake('noQualifications') };
  const seen = new Set<string>();
  for (const [index, entry] of value.entries()) {
    const { occupation, level } = (entry ?? {}) as Record<string, unknown>;
    const where = `qualifications[${index}]`;
    if (typeof occupation !== 'string' || !findOccupation(occupation, catalogue)) {
      // The code as it was sent, quoted: it may be empty, or not text at all.
      return { [where]: mistake('unknownOccupation', { code: String(JSON.stringify(occupation)) }) };
    }
    if (!isLevel(level)) return { [where]: mistake('level') };
    const key = `${occupation}/${level}`;
    if (seen.has(key)) return { [where]: mistake('qualificationTwice', { occupation, level }) };
    seen.add(key);
  }
  return {};
}

function checkRooms(value: unknown): PlanMistakes {
  if (!Array.isArray(value) || value.length === 0) return { rooms: mistake('noRooms') };
  if (value.length > MAX_ROOMS) return { rooms: mistake('tooManyRooms', { max: MAX_ROOMS }) };
  const names = new Set<string>();
  for (const [index, room] of value.entries()) {
    const { name, seats } = (room ?? {}) as Record<string, unknown>;
    const where = `rooms[${index}]`;
    if (typeof name !== 'string' || !name.trim() || name.length > MAX_ROOM_NAME) {
      return { [where]: mistake('roomName', { max: MAX_ROOM_NAME }) };
    }
    const refusal = textRefusal(name, 'room');
    if (refusal) return { [where]: refusal };
    if (names.has(name.trim())) return { [where]: mistake('roomTwice', { room: name.trim() }) };
    names.add(name.trim());
    if (!Number.isInteger(seats) || (seats as number) < 1 || (seats as number) > MAX_SEATS_PER_ROOM) {
      return { [where]: mistake('seats', { max: MAX_SEATS_PER_ROOM }) };
    }
  }
  return {};
}

/**
 * A name or place that no person means to write (domain/text.ts). Only refused, never changed: the session's
 * validators run this again on a revised plan, and the edge that takes the plan in normalises it (NFC) first.
 */
function textRefusal(value: string, field: string): Message | undefined {
  const problem = textProblem(value);
  return problem && textMistake(problem, field);
}

function checkExaminers(value: unknown): PlanMistakes {
  if (!Array.isArray(value) || value.some((id) => typeof id !== 'string' || !id.trim())) {
    return { examiners: mistake('examinerIds') };
  }
  if (new Set(value).size !== value.length) return { examiners: mistake('examinerTwice') };
  if (value.length < MIN_EXAMINERS) return { examiners: mistake('tooFewExaminers', { min: MIN_EXAMINERS }) };
  return {};
}

/** The plan as stored: names trimmed, nothing but the known fields. Call after `planMistakes` found nothing. */
export function cleanPlan(plan: SessionPlan): SessionPlan {
  return {
    qualifications: plan.qualifications.map(({ occupation, level }) => ({ occupation, level })),
    ...cleanSchedule(plan),
    rooms: plan.rooms.map(({ name, seats }) => ({ name: name.trim(), seats })),
    examiners: plan.examiners.map((id) => id.trim()),
  };
}

/** Instants in one form (UTC ISO), so comparisons and displays agree whatever offset was typed. */
export function cleanSchedule(schedule: SessionSchedule): SessionSchedule {
  const part = ({ startsAt, endsAt, place }: PartSchedule) => ({
    startsAt: new Date(startsAt).toISOString(),
    endsAt: new Date(endsAt).toISOString(),
    place: place.trim(),
  });
  return {
    knowledge: part(schedule.knowledge),
    skills: part(schedule.skills),
    registrationClosesAt: new Date(schedule.registrationClosesAt).toISOString(),
  };
}

export function examines(plan: SessionPlan, occupation: string, level: Level): boolean {
  return plan.qualifications.some((q) => q.occupation === occupation && q.level === level);
}

export function capacityOf(plan: SessionPlan): number {
  return plan.rooms.reduce((sum, room) => sum + room.seats, 0);
}

/** The first free seat, room by room in the plan's order; undefined when every seat is taken. */
export function firstFreeSeat(rooms: readonly Room[], taken: readonly Seat[]): Seat | undefined {
  const used = new Set(taken.map((seat) => `${seat.room}#${seat.number}`));
  for (const room of rooms) {
    for (let number = 1; number <= room.seats; number++) {
      if (!used.has(`${room.name}#${number}`)) return { room: room.name, number };
    }
  }
  return undefined;
}

/** When a part begins: scores and disqualifications for it are refused before then. */
export const partStarts = (schedule: SessionSchedule, part: ExamPart): number => Date.parse(schedule[part].startsAt);

/** The moment the examination begins: the earlier of the two parts. */
export const examBegins = (schedule: SessionSchedule): number =>
  Math.min(partStarts(schedule, 'knowledge'), partStarts(schedule, 'skills'));

/** The moment the examination is over: the later of the two parts' ends. */
export const examEnds = (schedule: SessionSchedule): number =>
  Math.max(Date.parse(schedule.knowledge.endsAt), Date.parse(schedule.skills.endsAt));

function instant(value: unknown): number | undefined {
  // A date and time with an offset or Z: a bare date or a local time would depend on the server's zone.
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    return undefined;
  }
  // Date.parse rolls 30 February over into March; a date that is not on the calendar is a typing mistake.
  if (!isIsoDate(value.slice(0, 10))) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function startOf(part: unknown): string {
  return (part as PartSchedule).startsAt;
}
