import test from 'ava';
import { checkSheetLines } from '../../domain/scoreSheet';
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
  const seats = { sessionId: 'S', present: new Set(['T1', 'T2']), absent: new Set(['T3']) };
  const errors = checkSheetLines(
    [
      { ticketNumber: 'T1', knowledge: 80, skills: 70 },
      { ticketNumber: 'T1', knowledge: 80 },
      { ticketNumber: 'T3', skills: 60 },
      { ticketNumber: 'T9', skills: 60 },
      { ticketNumber: 'T2' },
      { ticketNumber: 'T2', skills: 79.95 },
      null,
    ],
    seats,
  );
  t.deepEqual(Object.fromEntries(errors), {
    1: 'ticket T1 is on the sheet twice.',
    2: 'ticket T3 was marked absent; an absent candidate has no scores.',
    3: 'ticket T9 holds no seat in session S.',
    4: 'ticket T2: give a knowledge score, a skills score, or both (or a reason to disqualify).',
    5: 'ticket T2 is on the sheet twice.',
    6: 'ticketNumber: name a ticket.',
  });
});
