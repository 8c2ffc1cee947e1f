/**
 * The pages' own scripts (inbox-ui/assets/), as files rather than inline, so that a Content-Security-Policy of
 * `script-src 'self'` needs no exception. Each is linked with its content's hash in the URL (`/assets/inbox.js?v=…`),
 * so a browser may keep it for a year and still fetches the new file the moment a release changes it. Templates read
 * the links as `@root.assets.<name>` (`inbox.js` → `assets.inbox`).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';

const ASSETS = path.join(import.meta.dirname, 'assets');

/** Serves /assets/ and puts each file's versioned link where templates find it. Before anything sets no-store. */
export function serveAssets(app: Express): void {
  app.locals.assets = assetLinks();
  app.use(
    '/assets',
    express.static(ASSETS, {
      immutable: true,
      maxAge: '365d',
      index: false,
      redirect: false,
      // Scripts are run only as the type they are served as.
      setHeaders: (res) => res.set('X-Content-Type-Options', 'nosniff'),
    }),
  );
}

/** `{ inbox: '/assets/inbox.js?v=<12 hex digits of its SHA-256>' }`: read once, when the app is built. */
export function assetLinks(): Record<string, string> {
  return Object.fromEntries(
    readdirSync(ASSETS).map((file) => {
      const hash = createHash('sha256')
        .update(readFileSync(path.join(ASSETS, file)))
        .digest('hex');
      return [path.parse(file).name, `/assets/${file}?v=${hash.slice(0, 12)}`];
    }),
  );
}
