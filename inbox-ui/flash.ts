/**
 * One message carried across a redirect (post, redirect, get), in a short-lived cookie: what the person just did, or
 * why it did not happen. Read once, then cleared.
 */
import type { Request, Response } from 'express';
import { clearCookie, FLASH_COOKIE, readCookie, setCookie } from './auth/cookies';

export interface Flash {
  kind: 'ok' | 'error';
  message: string;
  /** Bulk actions: a line per item. */
  items?: { ok: boolean; text: string }[];
}

export function setFlash(res: Response, req: Request, flash: Flash): void {
  setCookie(req, res, FLASH_COOKIE, JSON.stringify(flash), { maxAgeSeconds: 60 });
}

export function takeFlash(req: Request, res: Response): Flash | undefined {
  const raw = readCookie(req, FLASH_COOKIE);
  if (!raw) return undefined;
  clearCookie(res, FLASH_COOKIE);
  try {
    const flash = JSON.parse(raw) as Flash;
    return typeof flash.message === 'string' ? flash : undefined;
  } catch {
    return undefined;
  }
}
