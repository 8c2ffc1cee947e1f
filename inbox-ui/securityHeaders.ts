/**
 * The headers every answer carries after the static assets: what a browser may do with a page, and what it may tell
 * other sites about it.
 *
 * The Content-Security-Policy allows only this site's own files: no inline script, style attribute or `<style>` block
 * runs (the styles are /assets/site.css, the inbox's script /assets/inbox.js), so markup injected into a page, were
 * escaping ever to fail, could neither run nor restyle it. Images may also be `data:` URLs, for a small picture drawn
 * into a page. Downloads (PDFs, spreadsheets: all sent as attachments) carry the same policy, which a file saved to
 * disk ignores; a PDF shown inline would need its own, as Chrome's viewer draws it with inline styles.
 *
 * Referrer-Policy `same-origin`: a link to another site (the Temporal Web UI, a mail client's) sends no Referer, so a
 * page's address never leaves the site with what it may hold (an administrator's search by name or ID number, an
 * application number); within the site the full address is still sent, as a person would expect of their own app.
 */
import type { RequestHandler } from 'express';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

export const securityHeaders: RequestHandler = (_req, res, next) => {
  // Pages are rendered per user; nothing of them belongs in a shared cache, nor in a frame on another site.
  res.set({
    'Cache-Control': 'no-store',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'Referrer-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
  });
  next();
};
