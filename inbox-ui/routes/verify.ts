/**
 * Public certificate verification: the page a certificate's QR code opens (/verify/<number>), the form where someone
 * holding a paper certificate types its number (/verify), and the same answer as JSON (/api/certificates/<number>).
 * Anyone may ask, so the answer never carries more than the masked name and ID number, never the revocation's reason
 * text, and every client address is held to a few lookups a minute so that the registry cannot be walked number by
 * number. Occupations, levels and the issuing institution are named in the reader's language.
 */
import { Router, type Response } from 'express';
import type { TFunction } from 'i18next';
import type { CertificateContent } from '../../activities/certificates';
import { verifySeal, type SealKeys } from '../../activities/seal';
import { certificateNumberMistake } from '../../domain/certificateNumber';
import { maskIdNumber, maskName } from '../../domain/masking';
import { isLevel, levelTitle, levelTitleZh } from '../../domain/levels';
import { findOccupation, occupationName, type OccupationCatalogue } from '../../domain/occupations';
import { DEFAULT_LANGUAGE, type Language, translator } from '../../i18n';
import type { Db } from '../../records/database';
import { findOrganisation } from '../../records/directory';
import { findCertificate } from '../../records/registry';
import { languageOf, tOf } from '../language';
import { messageText } from '../messageText';
import { rateLimit } from '../rateLimit';

export type VerificationStatus = 'valid' | 'revoked' | 'invalid-seal' | 'unknown';

export interface VerificationAnswer {
  status: VerificationStatus;
  number: string;
  holder?: { name: string; idNumber: string };
  /** The occupation's code as the certificate stores it; `occupationName` is its name in the reader's language. */
  occupation?: string;
  occupationName?: string;
  specialty?: string;
  level?: number;
  levelTitle?: string;
  levelTitleZh?: string;
  issuedOn?: string;
  /** The issuing institution's id; `issuerName` is its name in the directory. */
  issuer?: string;
  issuerName?: string;
  revokedAt?: string;
  revocationCategory?: string;
  signatureValid?: boolean;
  keyId?: string;
}

export interface VerifyDeps {
  db: Db;
  seal?: SealKeys;
  catalogue?: OccupationCatalogue;
}

export interface VerifyOptions {
  /** Lookups per client address per minute, both routes together. */
  lookupsPerMinute?: number;
  now?: () => number;
}

/** The HTTP status and either the answer or, for a malformed number, why it is not one. */
export interface VerificationOutcome {
  httpStatus: number;
  answer?: VerificationAnswer;
  error?: string;
}

/** Why the typed text is not a certificate number, in the reader's language; undefined when it is one. */
const numberProblem = (language: Language, raw: string): string | undefined => {
  const problem = certificateNumberMistake(raw);
  const t = translator(language);
  return problem && t('verify:notANumber', { problem: messageText(t, problem) });
};

/** What the public may know about the certificate with this number, or why the number cannot be looked up. */
export async function lookUpCertificate(
  db: Db,
  seal: SealKeys,
  raw: string,
  { language = DEFAULT_LANGUAGE, catalogue }: { language?: Language; catalogue?: OccupationCatalogue } = {},
): Promise<VerificationOutcome> {
  const problem = numberProblem(language, raw);
  if (problem) return { httpStatus: 400, error: problem };
  const number = raw.trim().toUpperCase();
  const entry = await findCertificate(db, number);
  // Numbered but not yet sealed is not issued: the public cannot tell it from a number never given out.
  if (!entry?.content || !entry.keyId || !entry.signature)
    return { httpStatus: 404, answer: { status: 'unknown', number } };
  const content = parseContent(entry.content);
  const signatureValid =
    verifySeal(seal, entry.content, { keyId: entry.keyId, signature: entry.signature }) && content?.number === number;
  const revoked = entry.status === 'revoked' ? entry.lastChange : undefined;
  const level = content?.level ?? entry.level;
  const occupation = content && findOccupation(content.occupation, catalogue);
  const issuer = content?.stationId ?? entry.stationId;
  return {
    httpStatus: 200,
    answer: {
      status: !signatureValid ? 'invalid-seal' : revoked ? 'revoked' : 'valid',
      number,
      holder: content && { name: maskName(content.holderName), idNumber: maskIdNumber(content.idNumber) },
      occupation: content?.occupation,
      // A certificate sealed before the catalogue knew its occupation shows what it stores.
      occupationName: occupation ? occupationName(occupation, language) : content?.occupation,
      specialty: content?.specialty,
      level,
      levelTitle: isLevel(level) ? levelTitle(level) : undefined,
      levelTitleZh: isLevel(level) ? levelTitleZh(level) : undefined,
      issuedOn: content?.issuedOn ?? entry.issuedOn,
      issuer,
      issuerName: issuer && ((await findOrganisation(db, issuer))?.name ?? issuer),
      revokedAt: revoked?.decided_at,
      revocationCategory: revoked ? (revoked.category ?? 'other') : undefined,
      signatureValid,
      keyId: entry.keyId,
    },
  };
}

function parseContent(text: string): CertificateContent | undefined {
  try {
    const value = JSON.parse(text) as Partial<CertificateContent>;
    return typeof value.holderName === 'string' && typeof value.idNumber === 'string'
      ? (value as CertificateContent)
      : undefined;
  } catch {
    return undefined;
  }
}

export function verifyRouter({ db, seal, catalogue }: VerifyDeps, options: VerifyOptions = {}): Router {
  const router = Router();
  const perMinute = options.lookupsPerMinute ?? 30;
  // One bucket per address across both routes: the page and the API are the same lookup. The limiter has set
  // Retry-After when it replies, and the reply says it again in the reader's language.
  const limiter = rateLimit(db, 'verify', {
    limit: perMinute,
    perMs: 60_000,
    now: options.now,
    tooMany: 'verify:tooMany',
    reply: (res, said) => {
      const t = tOf(res);
      const message = messageText(t, said);
      if (res.req.originalUrl.startsWith('/api/')) res.json({ error: message });
      else res.render('error', { title: t('verify:tooManyTitle'), message });
    },
  });
  const noStore = (res: Response) => {
    // A status can change (revocation), and the answers should not end up in search engines.
    res.set('Cache-Control', 'no-store').set('X-Robots-Tag', 'noindex');
  };
  const lookUp = (res: Response, keys: SealKeys, raw: string) =>
    lookUpCertificate(db, keys, raw, { language: languageOf(res), catalogue });

  router.get('/api/certificates/:number', limiter, async (req, res) => {
    noStore(res);
    if (!seal) return void res.status(503).json({ error: tOf(res)('verify:notConfigured') });
    const outcome = await lookUp(res, seal, String(req.params.number));
    res.status(outcome.httpStatus).json(outcome.answer ?? { error: outcome.error });
  });

  // The form submits with GET, so the answer's address is the certificate's own (/verify/<number>), as its QR code's.
  // Typing a number is not a lookup: the page it leads to counts.
  router.get('/verify', (req, res) => {
    noStore(res);
    const t = tOf(res);
    const typed = typeof req.query.number === 'string' ? req.query.number : undefined;
    if (typed === undefined) return void res.render('verify', { title: t('verify:form.title'), form: true });
    // People copy a number in groups, as it is printed ('Y000 1230 ...').
    const number = typed.replace(/\s+/g, '').toUpperCase();
    const problem = number === '' ? t('verify:form.empty') : numberProblem(languageOf(res), number);
    if (problem) {
      return void res
        .status(400)
        .render('verify', { title: t('verify:form.title'), form: true, typed: typed.slice(0, 40), problem });
    }
    res.redirect(303, `/verify/${encodeURIComponent(number)}`);
  });

  router.get('/verify/:number', limiter, async (req, res) => {
    noStore(res);
    const t = tOf(res);
    if (!seal) {
      return void res
        .status(503)
        .render('error', { title: t('verify:unavailableTitle'), message: t('verify:notConfigured') });
    }
    const raw = String(req.params.number);
    const outcome = await lookUp(res, seal, raw);
    res.status(outcome.httpStatus).render('verify', viewModel(t, languageOf(res), raw, outcome));
  });
  return router;
}

function viewModel(t: TFunction, language: Language, raw: string, outcome: VerificationOutcome) {
  const { answer } = outcome;
  // A malformed number: the form again, with what was typed, to correct it.
  if (!answer) return { title: t('verify:notANumberTitle'), typed: raw.slice(0, 40), error: outcome.error };
  const headline = t(`verify:headline.${answer.status}`);
  const { level, revocationCategory } = answer;
  return {
    title: `${headline} ${answer.number}`,
    headline,
    answer,
    levelName: isLevel(level) ? (language === 'zh-CN' ? levelTitleZh(level) : levelTitle(level)) : undefined,
    category: revocationCategory && t(`verify:category.${revocationCategory}`, { defaultValue: revocationCategory }),
    valid: answer.status === 'valid',
    revoked: answer.status === 'revoked',
    invalidSeal: answer.status === 'invalid-seal',
    unknown: answer.status === 'unknown',
  };
}
