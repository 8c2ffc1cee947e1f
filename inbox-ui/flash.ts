/**
 * What a page says after a POST redirected to it (post, redirect, get): what the person just did, or why it did not
 * happen and what they had typed, so the form can show it again. The payload waits in the database
 * (records/flashes.ts), bound to the browser that posted; the cookie carries only its id. Read once, then gone.
 */
import type { Request, Response } from 'express';
import type { Db } from '../records/database';
import { FLASH_MINUTES, putFlash, takeFlashPayload } from '../records/flashes';
import { clearCookie, FLASH_COOKIE, readCookie, setCookie } from './auth/cookies';

export interface Flash {
  kind: 'ok' | 'error';
  message: string;
  /** Bulk actions: a line per item. */
  items?: { ok: boolean; text: string }[];
  /** Which form on the page the message is about (a task's id, when a page has several forms). */
  about?: string;
  /** What the person typed into the refused form, by field name. */
  typed?: Record<string, string>;
  /** The refused form's messages, by field name. */
  fields?: Record<string, string>;
}

/** The database the app was built with (createApp puts it in app.locals). */
const dbOf = (req: Request): Db => req.app.locals.db as Db;

/** The browser's binding (its session, or its visitor id before sign-in), which loadSession has set. */
const bindingOf = (res: Response): string | undefined => res.locals.csrfBinding as string | undefined;

export async function setFlash(res: Response, req: Request, flash: Flash): Promise<void> {
  const binding = bindingOf(res);
  if (!binding) return;
  const id = await putFlash(dbOf(req), binding, flash);
  setCookie(req, res, FLASH_COOKIE, id, { maxAgeSeconds: FLASH_MINUTES * 60 });
}

export async function takeFlash(req: Request, res: Response): Promise<Flash | undefined> {
  const id = readCookie(req, FLASH_COOKIE);
  const binding = bindingOf(res);
  if (!id) return undefined;
  clearCookie(res, FLASH_COOKIE);
  if (!binding) return undefined;
  const flash = (await takeFlashPayload(dbOf(req), id, binding)) as Flash | undefined;
  return typeof flash?.message === 'string' ? flash : undefined;
}

/**
 * A preview's content kept on the server until it is confirmed (an organisation file's rows), rather than sent back
 * by the confirming form: a large file fits no form, and what is confirmed is exactly what was previewed. Bound to the
 * browser, kept for `minutes`, taken once: a second click on the same confirmation finds nothing.
 */
export async function keepForConfirmation(res: Response, req: Request, payload: unknown, minutes: number) {
  const binding = bindingOf(res);
  return binding ? putFlash(dbOf(req), binding, payload, new Date(), minutes) : undefined;
}

export async function takeForConfirmation(req: Request, res: Response, id: unknown): Promise<unknown> {
  const binding = bindingOf(res);
  if (!binding || typeof id !== 'string' || id === '') return undefined;
  return takeFlashPayload(dbOf(req), id, binding);
}

/** Only plain text fields of a posted form, to keep in a flash: never the CSRF token, nor a password. */
export function typedFields(body: unknown, names?: readonly string[]): Record<string, string> {
  const typed: Record<string, string> = {};
  if (typeof body !== 'object' || body === null) return typed;
  for (const [name, value] of Object.entries(body)) {
    if (name === '_csrf' || /password/i.test(name) || typeof value !== 'string') continue;
    if (!names || names.includes(name)) typed[name] = value;
  }
  return typed;
}
