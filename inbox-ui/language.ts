/**
 * Which language a page is rendered in, and the switch on every page. A signed-in person's own choice (stored on the
 * account) comes first, then a visitor's choice (a cookie), then the browser's Accept-Language, then Chinese.
 * `res.locals.lang` and `res.locals.t` carry the answer to the views and the routes.
 */
import { Router, type RequestHandler, type Response } from 'express';
import type { TFunction } from 'i18next';
import { isLanguage, type Language, languageFromHeader, LANGUAGES, translator } from '../i18n';
import type { Db } from '../records/database';
import { setLanguage } from '../records/directory';
import { LANGUAGE_COOKIE, readCookie, setCookie } from './auth/cookies';
import { authOf } from './auth/session';
import { HttpError } from './temporalErrors';

export const languageOf = (res: Response): Language => (res.locals.lang as Language | undefined) ?? 'zh-CN';
export const tOf = (res: Response): TFunction => translator(languageOf(res));

/** The reader's words, also for an error met before chooseLanguage ran: then the browser's Accept-Language decides. */
export const readerTOf = (res: Response): TFunction =>
  res.locals.lang ? tOf(res) : translator(languageFromHeader(res.req.get('accept-language')));

export const chooseLanguage: RequestHandler = (req, res, next) => {
  const chosen = authOf(res)?.user.language ?? readCookie(req, LANGUAGE_COOKIE);
  const lang = isLanguage(chosen) ? chosen : languageFromHeader(req.get('accept-language'));
  res.locals.lang = lang;
  // The switch offers the other language, named in itself.
  res.locals.otherLanguage = LANGUAGES.find((other) => other !== lang);
  res.locals.here = req.originalUrl;
  next();
};

/** A path on this site to go back to, never another site's address ('//evil.example', '/\evil.example'). */
export const localPath = (value: unknown, fallback = '/'): string =>
  typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : fallback;

export function languageRouter({ db }: { db: Db }): Router {
  const router = Router();
  router.post('/language', async (req, res) => {
    const language: unknown = req.body?.language;
    if (!isLanguage(language)) {
      const message = tOf(res)('common:language.unknown', { languages: LANGUAGES.join(', ') });
      throw new HttpError(422, message, { fields: { language: message } });
    }
    const auth = authOf(res);
    if (auth) await setLanguage(db, auth.user.id, language);
    setCookie(req, res, LANGUAGE_COOKIE, language, { maxAgeSeconds: 365 * 24 * 3600 });
    res.redirect(303, localPath(req.body?.back));
  });
  return router;
}
