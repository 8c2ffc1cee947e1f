/**
 * A session's plan is checked field by field, each mistake said as a catalogue key with its values (the client and
 * the pages put it into the reader's language; the session workflow's refusal also keeps it in English).
 */
import test from 'ava';
import { type Message, message } from '../../domain/messages';
import { DEFAULT_CATALOGUE } from '../../domain/occupations';
import { englishText } from '../../domain/englishText';
import { planMistakes, scheduleMistakes, type SessionPlan } from '../../domain/sessionPlan';

const NOW = new Date('2027-02-01T00:00:00Z');

const plan = (): SessionPlan => ({
  qualifications: [{ occupation: 'baker', level: 5 }],
  knowledge: { startsAt: '2027-03-10T09:00:00+08:00', endsAt: '2027-03-10T11:00:00+08:00', place: 'Hall 1' },
  skills: { startsAt: '2027-03-11T09:00:00+08:00', endsAt: '2027-03-11T12:00:00+08:00', place: 'Workshop 2' },
  registrationClosesAt: '2027-03-01T17:00:00+08:00',
  rooms: [{ name: 'Room 101', seats: 30 }],
  examiners: ['chen.examiner', 'ma.examiner'],
});

const check = (key: string, values?: Record<string, string | number>) => message(`session:planCheck.${key}`, values);

test('a sound plan has no mistakes', (t) => {
  t.deepEqual(planMistakes(plan(), DEFAULT_CATALOGUE, NOW), {});
});

test('a plan with mistakes is answered field by field, each with its key and values', (t) => {
  const mistaken = {
    ...plan(),
    qualifications: [
      { occupation: 'baker', level: 5 },
      { occupation: 'baker', level: 5 },
    ],
    knowledge: { ...plan().knowledge, endsAt: plan().knowledge.startsAt },
    skills: { ...plan().skills, place: 'x'.repeat(201) },
    registrationClosesAt: '2027-01-01T17:00:00+08:00',
    rooms: [
      { name: 'Room 101', seats: 30 },
      { name: ' Room 101 ', seats: 10 },
    ],
    examiners: ['chen.examiner'],
  };
  t.deepEqual(planMistakes(mistaken, DEFAULT_CATALOGUE, NOW), {
    'qualifications[1]': check('qualificationTwice', { occupation: 'baker', level: 5 }),
    knowledge: check('endsBeforeStart'),
    skills: check('placeTooLong', { max: 200 }),
    registrationClosesAt: check('cutOffPast'),
    'rooms[1]': check('roomTwice', { room: 'Room 101' }),
    examiners: check('tooFewExaminers', { min: 2 }),
  });
  t.deepEqual(planMistakes([], DEFAULT_CATALOGUE, NOW), { plan: check('notAnObject') });
  t.deepEqual(
    planMistakes({ ...plan(), qualifications: [{ occupation: 'astronaut', level: 5 }] }, DEFAULT_CATALOGUE, NOW),
    {
      'qualifications[0]': check('unknownOccupation', { code: '"astronaut"' }),
    },
  );
});

test('in English a mistake reads as the English catalogue says it, its values put in', (t) => {
  const late = { ...plan(), registrationClosesAt: '2027-03-10T10:00:00+08:00', examiners: ['chen.examiner'] };
  const inEnglish = (mistakes: Record<string, Message>) =>
    Object.fromEntries(Object.entries(mistakes).map(([field, said]) => [field, englishText(said)]));
  t.deepEqual(inEnglish(planMistakes(late, DEFAULT_CATALOGUE, NOW)), {
    registrationClosesAt: 'must be no later than the start of the first part.',
    examiners: 'an appraisal team has at least 2 examiners (one enters, another checks).',
  });
  t.deepEqual(inEnglish(scheduleMistakes({ ...plan(), knowledge: undefined }, NOW)), {
    knowledge: 'give startsAt, endsAt and place.',
  });
});
