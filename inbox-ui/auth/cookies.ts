/** Reading and writing the few cookies the inbox uses, without a dependency for it. */
import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'qf_session';
/** A random id for a browser that is not signed in, so the sign-in form's CSRF token has something to bind to. */
export const VISITOR_COOKIE = 'qf_visitor';
export const FLASH_COOKIE = 'qf_flash';
/** A visitor's chosen language; a signed-in person's is kept on the account. */
export const LANGUAGE_COOKIE = 'qf_lang';

export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * HttpOnly so page scripts cannot read it; SameSite=Lax so other sites cannot post with it, while a reminder's link
 * opened from a mail client still arrives signed in; Secure when the app is served over HTTPS. Behind a TLS proxy the
 * app itself speaks plain HTTP: `req.secure` then believes the proxy's X-Forwarded-Proto only when TRUST_PROXY names
 * that proxy, so a client cannot claim HTTPS for itself and a proxied HTTPS visit still gets Secure cookies.
 */
export function setCookie(
  req: Request,
  res: Response,
  name: string,
  value: string,
  { maxAgeSeconds }: { maxAgeSeconds?: number } = {},
): void {
  res.cookie(name, value, {
    httpOnly: true,
    sameSite: 'lax',
    secure: req.secure,
    path: '/',
    ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds * 1000 } : {}),
  });
}

export function clearCookie(res: Response, name: string): void {
  res.clearCookie(name, { path: '/' });
}
