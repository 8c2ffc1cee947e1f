/**
 * A Message's values as the reader reads them: a day the workflow kept as `2027-03-01` is written the way the reader
 * writes dates, as instants are, in either language.
 */
import test from 'ava';
import { message } from '../../domain/messages';
import { translator } from '../../i18n';
import { messageText } from '../../inbox-ui/messageText';

test('a deadline is a day in the reader’s words, not an ISO date', (t) => {
  const said = message('case:said.resitWindowClosed', { part: 'skills', deadline: '2027-03-01' });
  t.regex(messageText(translator('zh-CN'), said), /2027年3月1日/);
  t.regex(messageText(translator('en'), said), /closed on 1 Mar 2027\./);
  t.false(messageText(translator('zh-CN'), said).includes('2027-03-01'));
});
