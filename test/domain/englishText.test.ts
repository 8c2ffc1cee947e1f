/**
 * A Message in English without i18next, as the session workflow's refusals and the English fields beside a Message
 * need it: the English catalogue's entry, its values put in as they are, the plural its count asks for.
 */
import test from 'ava';
import { englishText } from '../../domain/englishText';
import { message } from '../../domain/messages';
import { translator } from '../../i18n';

test('a message reads as its English catalogue entry, with its values put in as codes', (t) => {
  const said = message('session:sheetLine.noSeat', { ticket: 'T9', sessionId: 'S-1' });
  t.is(englishText(said), 'ticket T9 holds no seat in session S-1.');
  t.is(englishText(said), translator('en')(said.key, said.values));
});

test('a count chooses the singular or the plural entry, as i18next would', (t) => {
  const worked = (count: number) =>
    englishText(message('case:eligibility.evidence.yearsWorked', { count, occupation: 'baker' }));
  t.is(worked(1), '1 year worked in baker');
  t.is(worked(0), '0 years worked in baker');
  t.is(worked(7.4), '7.4 years worked in baker');
});

test('a key no catalogue here has reads as the key, never as nothing', (t) => {
  t.is(englishText(message('session:no.such.key')), 'session:no.such.key');
  t.is(englishText(message('elsewhere:key')), 'elsewhere:key');
});

test('an instant is written in China time, as the catalogue’s “(China time)” promises', (t) => {
  const said = message('refusals:seat.registrationClosed', { sessionId: 'S-1', closesAt: '2026-03-01T16:30:00.000Z' });
  t.is(englishText(said), 'Registration for session S-1 closed at 2026-03-02 00:30 (China time).');
  t.is(
    englishText(message('refusals:seat.full', { sessionId: '2026-03-01', capacity: 3 })),
    'Session 2026-03-01 is full: all 3 seats are taken.',
  );
});

test('a refusal reads in English with codes where the edge shows names', (t) => {
  const said = message('refusals:task.claimedByOther', { task: 'station-review', assignee: 'li.station-reviewer' });
  t.is(englishText(said), 'Task station-review is claimed by li.station-reviewer; only they may decide it.');
});
