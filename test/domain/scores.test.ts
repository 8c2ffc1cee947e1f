import test from 'ava';
import {
  afterResit,
  DEFAULT_RESIT_WINDOW_DAYS,
  examOutcome,
  Grade,
  gradeOf,
  resitDeadline,
  scoreProblem,
  type ScoreProblem,
} from '../../domain/scores';

const band = test.macro({
  exec(t, score: number, grade: Grade) {
    t.is(gradeOf(score), grade);
  },
  title: (provided, score: number, grade: Grade) => provided ?? `a score of ${score} is graded ${grade}`,
});

test(band, 0, Grade.Fail);
test(band, 59, Grade.Fail);
test(band, 59.9, Grade.Fail);
test(band, 60, Grade.Pass);
test(band, 79.9, Grade.Pass);
test(band, 80, Grade.Good);
test(band, 94.9, Grade.Good);
test(band, 95, Grade.Excellent);
test(band, 100, Grade.Excellent);

const scoreError = test.macro({
  exec(t, value: unknown, problem: ScoreProblem | undefined) {
    t.is(scoreProblem(value), problem);
  },
  title: (provided, value: unknown, problem: ScoreProblem | undefined) =>
    provided ??
    `the score ${JSON.stringify(value) ?? String(value)} is ${problem === undefined ? 'accepted' : `refused: ${problem}`}`,
});

test(scoreError, 0, undefined);
test(scoreError, 100, undefined);
test(scoreError, 79.9, undefined);
test(scoreError, 94.9, undefined);
test(scoreError, '80', 'notANumber');
test(scoreError, null, 'notANumber');
test('NaN is not a score', scoreError, Number.NaN, 'notANumber');
test(scoreError, -0.5, 'outOfRange');
test(scoreError, 100.5, 'outOfRange');
test('infinity is not a score', scoreError, Number.POSITIVE_INFINITY, 'outOfRange');
test(scoreError, 79.95, 'tooPrecise');
test(scoreError, 60.01, 'tooPrecise');

test('both parts at 60 or more pass with the grade of the weaker part', (t) => {
  t.deepEqual(examOutcome({ knowledge: 96, skills: 81 }), {
    passed: true,
    grade: Grade.Good,
    failedParts: [],
    resitAllowed: false,
  });
  t.is(examOutcome({ knowledge: 95, skills: 99.5 }).grade, Grade.Excellent);
  t.is(examOutcome({ knowledge: 60, skills: 60 }).grade, Grade.Pass);
});

test('a candidate who failed only the skills part may re-sit it', (t) => {
  t.deepEqual(examOutcome({ knowledge: 88, skills: 59.9 }), {
    passed: false,
    grade: Grade.Fail,
    failedParts: ['skills'],
    resitAllowed: true,
  });
});

test('a candidate who failed only the knowledge part may re-sit it', (t) => {
  const outcome = examOutcome({ knowledge: 40, skills: 70 });
  t.deepEqual(outcome.failedParts, ['knowledge']);
  t.true(outcome.resitAllowed);
});

test('a candidate who failed both parts may not re-sit', (t) => {
  t.deepEqual(examOutcome({ knowledge: 50, skills: 0 }), {
    passed: false,
    grade: Grade.Fail,
    failedParts: ['knowledge', 'skills'],
    resitAllowed: false,
  });
});

test('a re-sit replaces only the re-sat part', (t) => {
  const first = { knowledge: 85, skills: 52 };
  const after = afterResit(first, 'skills', 71);
  t.deepEqual(after, { knowledge: 85, skills: 71 });
  t.deepEqual(first, { knowledge: 85, skills: 52 }, 'the first scores are not changed');
  t.deepEqual(examOutcome(after), { passed: true, grade: Grade.Pass, failedParts: [], resitAllowed: false });
});

test('a re-sit score outside 0 to 100 is refused', (t) => {
  const error = t.throws(() => afterResit({ knowledge: 85, skills: 52 }, 'skills', 101), { instanceOf: RangeError });
  t.is(error.message, 're-sit score 101 is not a valid score (outOfRange)');
});

test('the re-sit deadline counts calendar days from the exam, across a year end and a leap day', (t) => {
  t.is(resitDeadline('2026-05-20', DEFAULT_RESIT_WINDOW_DAYS), '2027-05-20');
  t.is(resitDeadline('2027-03-01', 365), '2028-02-29');
  t.is(resitDeadline('2026-12-20', 30), '2027-01-19');
  t.is(resitDeadline('2026-12-20', 0), '2026-12-20');
});

test('the re-sit deadline refuses a date that does not exist and a negative window', (t) => {
  t.throws(() => resitDeadline('2026-02-30', 365), { instanceOf: RangeError, message: /2026-02-30/ });
  t.throws(() => resitDeadline('2026-02-01', -1), { instanceOf: RangeError, message: /got -1/ });
});
