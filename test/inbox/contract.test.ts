/**
 * The contract layer (inbox-ui/contract/): one zod declaration both reads a request and describes it. A form's text
 * and a JSON body are held to the same fields; a refusal names each field in the reader's language; the document
 * shows what the server enforces.
 */
import test from 'ava';
import { z } from 'zod';
import { HttpError } from '../../inbox-ui/temporalErrors';
import { readForm, readJson } from '../../inbox-ui/contract/read';
import { choice, number, optional, optionalText, text, wholeNumber } from '../../inbox-ui/contract/fields';
import { openApiDocumentOf } from '../../inbox-ui/contract/document';
import { answer } from '../../inbox-ui/contract/operation';
import { translator } from '../../i18n';

const Scores = z.object({
  knowledge: optional(number(0, 100)),
  level: optional(wholeNumber(1, 5)),
  view: optional(choice(['mine', 'all'])),
  reason: text(20),
  comment: optionalText(10),
});

const refusal = (run: () => unknown): Record<string, string> => {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpError && error.status === 422) return error.fields ?? {};
    throw error;
  }
  throw new Error('accepted');
};

test('a form is read as the schema types its fields: decimals become numbers, blanks are absent', async (t) => {
  const en = translator('en');
  const read = readForm(Scores, { knowledge: '82.5', level: '3', view: '', reason: '  Café\u0301 ', comment: '' }, en);
  t.deepEqual(read, {
    knowledge: 82.5,
    level: 3,
    view: undefined,
    reason: 'Café́'.normalize('NFC'),
    comment: undefined,
  });
});

test('a number has one spelling: 0x3, 3e0, a space or Infinity is refused at its field', async (t) => {
  const en = translator('en');
  for (const level of ['0x3', '3e0', ' 3', 'Infinity', '03', '2.5']) {
    t.deepEqual(
      refusal(() => readForm(Scores, { level, reason: 'x' }, en)),
      {
        level: 'must be a whole number from 1 to 5',
      },
    );
  }
});

test('JSON is held to the types the document states: a number sent as text is refused', async (t) => {
  const en = translator('en');
  t.deepEqual(
    refusal(() => readJson(Scores, { knowledge: '82', reason: 'x' }, en)),
    {
      knowledge: 'must be a number from 0 to 100',
    },
  );
  t.is(readJson(Scores, { knowledge: 82, reason: 'x', comment: null }, en).knowledge, 82);
});

test('every refused field gets its own message, in the reader language', async (t) => {
  const zh = translator('zh-CN');
  const fields = refusal(() =>
    readJson(Scores, { knowledge: 101, view: 'theirs', reason: ' \u200b ', comment: 'x'.repeat(11) }, zh),
  );
  t.deepEqual(Object.keys(fields).sort(), ['comment', 'knowledge', 'reason', 'view']);
  t.is(fields.knowledge, '必须是 0 到 100 之间的数字');
  t.is(fields.comment, '不能超过 10 个字符');
  t.regex(fields.view, /mine, all/);
});

test('text no person means to write is refused naming the problem', async (t) => {
  const en = translator('en');
  const fields = refusal(() => readJson(Scores, { reason: 'a\u202eb' }, en));
  t.truthy(fields.reason);
  t.not(fields.reason, 'is not valid');
  t.truthy(refusal(() => readJson(Scores, { reason: 'a\ud800' }, en)).reason);
});

test('the document shows the input a client sends, and query blanks as allowEmptyValue', (t) => {
  const document = openApiDocumentOf(
    [
      {
        method: 'get',
        path: '/api/things',
        summary: 'Things',
        tags: ['Things'],
        query: z.object({ level: optional(wholeNumber(1, 5)) }),
        answers: { 200: answer('Things.') },
      },
      {
        method: 'post',
        path: '/api/things',
        summary: 'A thing',
        tags: ['Things'],
        body: Scores,
        answers: { 200: answer('The thing.') },
      },
    ],
    { title: 'test', version: '1' },
  );
  const get = document.paths['/api/things'].get as { parameters: object[] };
  t.deepEqual(get.parameters, [
    {
      name: 'level',
      in: 'query',
      required: false,
      schema: { type: 'integer', minimum: 1, maximum: 5 },
      allowEmptyValue: true,
    },
  ]);
  const post = document.paths['/api/things'].post as {
    requestBody: {
      content: {
        'application/json': { schema: { required: string[]; properties: Record<string, { maxLength?: number }> } };
      };
    };
    responses: Record<string, unknown>;
  };
  const body = post.requestBody.content['application/json'].schema;
  t.deepEqual(body.required, ['reason']);
  t.is(body.properties.reason.maxLength, 20);
  t.truthy(post.responses['400'], 'a body that cannot be read is answered 400, and documented');
});
