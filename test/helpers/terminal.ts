/**
 * The locale a command-line test gives its child process. The commands speak the language of the POSIX locale
 * (scripts/cli.ts cliLanguage), and LC_ALL and LC_MESSAGES outrank LANG, so a test empties them rather than inherit
 * whatever the machine running the tests has set. Only LANG names the language: an LC_ALL naming a locale that is not
 * installed makes bash warn on every start.
 */
export const ENGLISH_TERMINAL = { LANG: 'en_US.UTF-8', LC_ALL: '', LC_MESSAGES: '' };
export const CHINESE_TERMINAL = { LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '' };
