import test from 'ava';
import { message } from '../../domain/messages';
import { DEFAULT_CATALOGUE } from '../../domain/occupations';
import { planMistakes } from '../../domain/sessionPlan';
import { nfcStrings, readableText, textProblem, typedText } from '../../domain/text';
import { translator } from '../../i18n';
import { messageText } from '../../inbox-ui/messageText';
import { checkReport } from '../../workflows/investigationDefinitions';

const refused = test.macro({
  exec(t, value: string, problem: string) {
    t.deepEqual(readableText(value), { problem });
  },
  title: (provided, value: string, problem: string) => provided ?? `${JSON.stringify(value)} is refused: ${problem}`,
});

test(refused, 'Zhang\u0000San', 'control');
test(refused, 'bell\u0007', 'control');
test(refused, 'abc\u202edcba', 'bidi');
test(refused, '\u2067名字\u2069', 'bidi');
test(refused, 'half \ud800 a pair', 'surrogate');
test(refused, '\udc00', 'surrogate');
test(refused, '\u200b\u200b', 'invisible');
test(refused, '\u2060 \u200d', 'invisible');

test('ordinary text in any script, with line breaks and tabs, passes trimmed', (t) => {
  t.deepEqual(readableText('  张三：材料齐全。\nSecond line\twith a tab  '), {
    text: '张三：材料齐全。\nSecond line\twith a tab',
  });
  t.deepEqual(readableText('emoji 👍 is a pair, not a lone surrogate'), {
    text: 'emoji 👍 is a pair, not a lone surrogate',
  });
});

test('text is normalised to NFC, so the same words are stored and searched as the same code points', (t) => {
  const decomposed = 'Le\u0301a';
  t.deepEqual(readableText(decomposed), { text: 'L\u00e9a' });
});

test('blank text is left to the caller (a required field says so in its own words)', (t) => {
  t.deepEqual(readableText('   '), { text: '' });
});

test('the check alone changes nothing and says the same problems, for validators that must not normalise', (t) => {
  t.is(textProblem('Zhang\u0000San'), 'control');
  t.is(textProblem('abc\u202edcba'), 'bidi');
  t.is(textProblem('\ud800'), 'surrogate');
  t.is(textProblem('\u200b'), 'invisible');
  t.is(textProblem('Le\u0301a'), undefined, 'decomposed text is text; intake composes it');
  t.is(textProblem('   '), undefined, 'blank is for the caller');
});

/** The refusal of a field's text, which the test expects. */
function refusalOf(value: string, field: string) {
  const checked = typedText(value, field);
  if (!('mistake' in checked)) throw new Error(`${JSON.stringify(value)} was accepted`);
  return checked.mistake;
}

test('a refused field is named in both languages', (t) => {
  const said = refusalOf('Zhang\u0000San', 'name');
  t.deepEqual(said, message('refusals:text.control', { field: 'name' }));
  t.is(messageText(translator('en'), said), 'name: contains control characters, which text cannot hold.');
  t.is(messageText(translator('zh-CN'), said), '姓名含有控制字符，文字中不能有这类字符。');
  t.is(messageText(translator('zh-CN'), refusalOf('\u200b\u200d', 'reason')), '理由只含有不可见字符。');
  t.is(messageText(translator('zh-CN'), refusalOf('\u202e1', 'q')), '搜索内容含有改变文字方向的字符。');
  t.is(
    messageText(translator('en'), refusalOf('\udc00', 'place')),
    'place: contains a broken character (half of a pair).',
  );
});

test('every string of a request body is composed (NFC), and nothing else in it changes', (t) => {
  t.deepEqual(nfcStrings({ place: 'Salle Le\u0301a', rooms: [{ name: 'Caf\u0065\u0301', seats: 30 }], ok: true }), {
    place: 'Salle L\u00e9a',
    rooms: [{ name: 'Caf\u00e9', seats: 30 }],
    ok: true,
  });
});

test("a session plan's place and room names are refused for text no one types, naming the field", (t) => {
  const part = { startsAt: '2027-03-10T09:00:00+08:00', endsAt: '2027-03-10T11:00:00+08:00', place: 'Hall\u202e 1' };
  const plan = {
    qualifications: [{ occupation: 'baker', level: 5 }],
    knowledge: part,
    skills: { ...part, startsAt: '2027-03-11T09:00:00+08:00', endsAt: '2027-03-11T11:00:00+08:00', place: 'Hall 2' },
    registrationClosesAt: '2027-03-01T17:00:00+08:00',
    rooms: [{ name: '\u200b', seats: 30 }],
    examiners: ['chen.examiner', 'ma.examiner'],
  };
  t.deepEqual(planMistakes(plan, DEFAULT_CATALOGUE, new Date('2027-02-01T00:00:00Z')), {
    knowledge: message('refusals:text.bidi', { field: 'place' }),
    'rooms[0]': message('refusals:text.invisible', { field: 'room' }),
  });
});

test("a disciplinary report's reporter and description are refused for text no one types", (t) => {
  const errors = checkReport({
    reporter: 'Anon\u0000',
    category: 'cheating',
    description: 'Answers passed round in\ud800 room 101 during the exam.',
    reportedAt: '2027-03-10T09:00:00+08:00',
  });
  t.deepEqual(errors, {
    reporter: message('refusals:text.control', { field: 'reporter' }),
    description: message('refusals:text.surrogate', { field: 'description' }),
  });
});
