/**
 * Public certificate verification: the page a certificate's QR code opens (/verify/<number>) and the same answer as
 * JSON (/api/certificates/<number>). Anyone may ask, so the answer never carries more than the masked name and ID
 * number, never the revocation's reason text, and every client address is held to a few lookups a minute so that
 * the registry cannot be walked number by number.
 */
import { Router, type Response } from 'express';
import type { CertificateContent } from '../../activities/certificates';
import { verifySeal, type SealKeys } from '../../activities/seal';
import { checkCertificateNumber } from '../../domain/certificateNumber';
import { maskIdNumber, maskName } from '../../domain/masking';
import { isLevel, levelTitle, levelTitleZh } from '../../domain/levels';
import type { Db } from '../../records/database';
import { findCertificate } from '../../records/registry';
import { rateLimit } from '../rateLimit';

export type VerificationStatus = 'valid' | 'revoked' | 'invalid-seal' | 'unknown';

export interface VerificationAnswer {
  status: VerificationStatus;
  number: string;
  holder?: { name: string; idNumber: string };
  occupation?: string;
  specialty?: string;
  level?: number;
  levelTitle?: string;
  levelTitleZh?: string;
  issuedOn?: string;
  issuer?: string;
  revokedAt?: string;
  revocationCategory?: string;
  signatureValid?: boolean;
  keyId?: string;
}

export interface VerifyDeps {
  db: Db;
  seal?: SealKeys;
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

/** What the public may know about the certificate with this number, or why the number cannot be looked up. */
export async function lookUpCertificate(db: Db, seal: SealKeys, raw: string): Promise<VerificationOutcome> {
  const problem = checkCertificateNumber(raw);
  if (problem) return { httpStatus: 400, error: `Not a certificate number: ${problem}.` };
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
  return {
    httpStatus: 200,
    answer: {
      status: !signatureValid ? 'invalid-seal' : revoked ? 'revoked' : 'valid',
      number,
      holder: content && { name: maskName(content.holderName), idNumber: maskIdNumber(content.idNumber) },
      occupation: content?.occupation,
      specialty: content?.specialty,
      level,
      levelTitle: isLevel(level) ? levelTitle(level) : undefined,
      levelTitleZh: isLevel(level) ? levelTitleZh(level) : undefined,
      issuedOn: content?.issuedOn ?? entry.issuedOn,
      issuer: content?.stationId ?? entry.stationId,
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

const NOT_CONFIGURED = 'Certificate verification is not configured on this server: it has no seal keys.';

export function verifyRouter({ db, seal }: VerifyDeps, options: VerifyOptions = {}): Router {
  const router = Router();
  const perMinute = options.lookupsPerMinute ?? 30;
  const limit = (reply: (res: Response, message: string) => void) =>
    rateLimit({ limit: perMinute, perMs: 60_000, now: options.now, what: 'certificate lookups', reply });
  // One bucket per address across both routes: the page and the API are the same lookup.
  const limiter = limit((res, message) =>
    res.req.originalUrl.startsWith('/api/')
      ? res.json({ error: message })
      : res.render('error', { title: 'Too many lookups', message }),
  );
  const noStore = (res: Response) => {
    // A status can change (revocation), and the answers should not end up in search engines.
    res.set('Cache-Control', 'no-store').set('X-Robots-Tag', 'noindex');
  };

  router.get('/api/certificates/:number', limiter, async (req, res) => {
    noStore(res);
    if (!seal) return void res.status(503).json({ error: NOT_CONFIGURED });
    const outcome = await lookUpCertificate(db, seal, String(req.params.number));
    res.status(outcome.httpStatus).json(outcome.answer ?? { error: outcome.error });
  });

  router.get('/verify/:number', limiter, async (req, res) => {
    noStore(res);
    if (!seal)
      return void res.status(503).render('error', { title: 'Verification unavailable', message: NOT_CONFIGURED });
    const raw = String(req.params.number);
    const outcome = await lookUpCertificate(db, seal, raw);
    res.status(outcome.httpStatus).render('verify', viewModel(raw, outcome));
  });
  return router;
}

const HEADLINES: Record<VerificationStatus, string> = {
  valid: 'Valid certificate',
  revoked: 'Revoked certificate',
  'invalid-seal': 'Seal check failed',
  unknown: 'Unknown certificate',
};

function viewModel(raw: string, outcome: VerificationOutcome) {
  const { answer } = outcome;
  if (!answer) return { title: 'Not a certificate number', number: raw.slice(0, 40), error: outcome.error };
  return {
    title: `${HEADLINES[answer.status]} ${answer.number}`,
    headline: HEADLINES[answer.status],
    answer,
    valid: answer.status === 'valid',
    revoked: answer.status === 'revoked',
    invalidSeal: answer.status === 'invalid-seal',
    unknown: answer.status === 'unknown',
  };
}
