import test from 'ava';
import { message } from '../../domain/messages';
import { englishText } from '../../domain/englishText';
import { sheetLineMistakes } from '../../domain/scoreSheet';
import { reportFigures } from '../../domain/sessionReport';

const seat = (ticketNumber: string, present?: boolean) => ({
  ticketNumber,
  attendance: present === undefined ? undefined : { present },
});

test('the report counts seats by their marks, and pass rates over those who sat each part', (t) => {
  const figures = reportFigures([seat('T1', true), seat('T2', true), seat('T3', true), seat('T4', false), seat('T5')], {
    T1: { knowledge: 96, skills: 95 },
    T2: { knowledge: 59.5, skills: 80 },
    T3: { knowledge: 70 },
  });
  t.like(figures, { seated: 5, present: 3, absent: 1, unmarked: 1, scored: 2, passedBoth: 1, passRate: 50 });
  t.deepEqual(figures.parts, {
    knowledge: { sat: 3, passed: 2, passRate: 66.7 },
    skills: { sat: 2, passed: 2, passRate: 100 },
  });
  t.deepEqual(figures.grades, { excellent: 1, good: 0, pass: 0, fail: 1 });
});

test('a session nobody sat has no pass rates rather than rates of zero', (t) => {
  const figures = reportFigures([seat('T1', false)], {});
  t.is(figures.passRate, null);
  t.is(figures.parts.knowledge.passRate, null);
  t.is(figures.absent, 1);
});

test('sheet lines are refused one by one with their reasons', (t) => {
  const seats = {
    sessionId: 'S',
    present: new Set(['T1', 'T2', 'T4']),
    absent: new Set(['T3']),
    resitParts: new Map([['T4', 'skills' as const]]),
  };
  const lines = [
    { ticketNumber: 'T1', knowledge: 80, skills: 70 },
    { ticketNumber: 'T1', knowledge: 80 },
    { ticketNumber: 'T3', skills: 60 },
    { ticketNumber: 'T9', skills: 60 },
    { ticketNumber: 'T2' },
    { ticketNumber: 'T2', skills: 79.95 },
    null,
    { ticketNumber: 'T4', knowledge: 70 },
  ];
  const line = (key: string, values?: Record<string, string | number>) => message(`session:sheetLine.${key}`, values);
  t.deepEqual(Object.fromEntries(sheetLineMistakes(lines, seats)), {
    1: line('twice', { ticket: 'T1' }),
    2: line('absent', { ticket: 'T3' }),
    3: line('noSeat', { ticket: 'T9', sessionId: 'S' }),
    4: line('noScore', { ticket: 'T2' }),
    5: line('twice', { ticket: 'T2' }),
    6: line('noTicket'),
    7: line('resitOnly', { ticket: 'T4', resitPart: 'skills', part: 'knowledge' }),
  });
  const scores = sheetLineMistakes(
    [
      { ticketNumber: 'T1', knowledge: '80' },
      { ticketNumber: 'T2', skills: 101 },
    ],
    seats,
  );
  t.deepEqual(scores.get(0), line('score.notANumber', { ticket: 'T1', part: 'knowledge' }));
  t.deepEqual(scores.get(1), line('score.outOfRange', { ticket: 'T2', part: 'skills' }));
});

test('in English a bad line reads as the English catalogue says it', (t) => {
  const seats = { sessionId: 'S', present: new Set(['T1']), absent: new Set(['T3']) };
  const errors = sheetLineMistakes(
    [
      { ticketNumber: 'T3', skills: 60 },
      { ticketNumber: 'T1', skills: 79.95 },
    ],
    seats,
  );
  t.deepEqual(Object.fromEntries([...errors].map(([index, said]) => [index, englishText(said)])), {
    0: 'ticket T3 was marked absent; an absent candidate has no scores.',
    1: 'ticket T1: skills may have at most one decimal place.',
  });
});
