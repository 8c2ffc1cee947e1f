/**
 * The command line speaks the language of the terminal's locale, Chinese unless the locale is English: the clients'
 * messages, and the configuration errors that stop start-up.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import { ID_TYPES } from '../../domain/idNumber';
import { Grade } from '../../domain/scores';
import { type Language, translator } from '../../i18n';
import { loadConfig } from '../../runtime/config';
import { PROJECT_ROOT } from '../../runtime/temporalServer';
import { cliLanguage } from '../../scripts/cli';
import { InvestigationStage, ReportCategory } from '../../workflows/investigationDefinitions';
import { CHINESE_TERMINAL, ENGLISH_TERMINAL } from '../helpers/terminal';

const languageOf = test.macro({
  exec(t, env: NodeJS.ProcessEnv, expected: Language) {
    t.is(cliLanguage(env), expected);
  },
  title: (_, env: NodeJS.ProcessEnv, expected: string) => `${JSON.stringify(env)} reads ${expected}`,
});

test(languageOf, {}, 'zh-CN');
test(languageOf, { LANG: 'en_US.UTF-8' }, 'en');
test(languageOf, { LANG: 'en' }, 'en');
test(languageOf, { LANG: 'zh_CN.UTF-8' }, 'zh-CN');
test(languageOf, { LANG: 'zh_TW.UTF-8' }, 'zh-CN');
test(languageOf, { LANG: 'C.UTF-8' }, 'zh-CN');
test(languageOf, { LANG: 'POSIX' }, 'zh-CN');
test(languageOf, { LANG: 'de_DE.UTF-8' }, 'zh-CN');
test(languageOf, { LC_ALL: 'zh_CN.UTF-8', LC_MESSAGES: 'en_GB.UTF-8', LANG: 'en_US.UTF-8' }, 'zh-CN');
test(languageOf, { LC_MESSAGES: 'en_GB.UTF-8', LANG: 'zh_CN.UTF-8' }, 'en');
test(languageOf, { LC_ALL: '', LC_MESSAGES: '', LANG: 'en_US.UTF-8' }, 'en');

test('a bad setting is one sentence naming the variable, in the terminal’s language', (t) => {
  const refusal = (env: NodeJS.ProcessEnv) => t.throws(() => loadConfig(env))?.message;
  t.is(refusal({ PORT: '70000' }), 'PORT 必须是 0 到 65535 之间的端口号，而不是“70000”。');
  t.is(refusal({ PORT: '70000', LANG: 'en_US.UTF-8' }), 'PORT must be a port number, not "70000".');
  t.is(
    refusal({ CERTIFICATE_NUMBER_FORMAT: 'old' }),
    'CERTIFICATE_NUMBER_FORMAT 只能是 skill-level 或 legacy，而不是“old”。',
  );
  t.is(refusal({ MAIL_MAX_ATTEMPTS: 'none' }), 'MAIL_MAX_ATTEMPTS 必须是不小于 1 的整数，而不是“none”。');
  const database = refusal({ DATABASE_URL: 'mysql://root:hunter2@db/qualiflow' });
  t.regex(database ?? '', /^DATABASE_URL 的格式应为 postgres:\/\//);
  t.false(database?.includes('hunter2'), 'a password in the setting is never repeated');
  t.regex(refusal({ SMTP_URL: 'mail.example:25', LC_ALL: 'zh_CN.UTF-8' }) ?? '', /^SMTP_URL 的格式应为 smtp:\/\//);
});

test('every code the commands print by name has its words in both languages', (t) => {
  const words = (key: string) => (['zh-CN', 'en'] as const).map((language) => translator(language)(key));
  const keys = [
    ...Object.values(InvestigationStage).map((stage) => `cli:investigate.stage.${stage}`),
    ...Object.values(ReportCategory).map((category) => `cli:investigate.category.${category}`),
    ...ID_TYPES.map((idType) => `cli:verify.idType.${idType}`),
    ...Object.values(Grade).map((grade) => `report:grade.${grade}`),
    ...['not-open', 'entry', 'check', 'checked'].map((state) => `report:sheet.${state}`),
  ];
  const missing = keys.filter((key) => words(key).some((text) => text === key.split(':')[1] || text === key));
  t.deepEqual(missing, []);
});

const exec = promisify(execFile);

/** A client run with no command at all: it answers before connecting to anything. */
async function withoutCommand(script: string, locale: Record<string, string>) {
  const failed = await exec(process.execPath, ['--import=tsx', path.join(PROJECT_ROOT, 'scripts', script)], {
    env: { ...process.env, ...locale },
  }).then(
    () => undefined,
    (error: { code: number; stderr: string }) => error,
  );
  return { code: failed?.code, stderr: failed?.stderr.trim() };
}

test('a client run without a command names the commands, in Chinese by default and in English when asked', async (t) => {
  t.deepEqual(await withoutCommand('investigate.ts', CHINESE_TERMINAL), {
    code: 1,
    stderr: '请指定命令：login、logout、report、decide、appeal、show。',
  });
  t.deepEqual(await withoutCommand('investigate.ts', { LANG: '', LC_ALL: '', LC_MESSAGES: '' }), {
    code: 1,
    stderr: '请指定命令：login、logout、report、decide、appeal、show。',
  });
  t.deepEqual(await withoutCommand('investigate.ts', ENGLISH_TERMINAL), {
    code: 1,
    stderr: 'Name a command: login, logout, report, decide, appeal, show.',
  });
  const session = await withoutCommand('session.ts', CHINESE_TERMINAL);
  t.regex(session.stderr ?? '', /^请指定命令：login、logout、plan、show、approve、.*、import-scores。$/);
});
