/**
 * The codec endpoint for the Temporal Web UI (the Codec Server protocol: POST `<endpoint>/decode` with
 * `{ payloads: [{ metadata, data }] }`, base64 throughout). Temporal keeps only ciphertext; this is how an
 * administrator reads a case's input and history there. It answers only a signed-in administrator, in the UI's
 * origin only (the browser sends the session cookie when the UI's codec setting "Include cross-origin credentials" is
 * on), and every decode is written to the audit chain: who, when, in which namespace, how many payloads.
 *
 * There is no `/encode`: the Web UI may read cases but never write to them (signals and updates with made-up actors
 * are what the JSON API's authorization exists to stop).
 */
import { randomUUID } from 'node:crypto';
import type { Payload } from '@temporalio/common';
import express, { Router, type RequestHandler, type Response } from 'express';
import { appendAudit } from '../../records/audit';
import { UnknownPayloadKeyError } from '../../runtime/encryption/codec';
import type { AppDeps } from '../app';
import { isAdministrator } from '../auth/access';
import { authOf, loadSession } from '../auth/session';
import { chooseLanguage, readerTOf } from '../language';

/** One Web UI page asks for a history's payloads in a few calls; a batch far above that is not the UI. */
const MAX_PAYLOADS = 2_000;

export function codecRouter(deps: AppDeps): Router {
  const router = Router();
  const uiOrigin = originOf(deps.temporalUiUrl);

  // CORS for the UI's origin alone, with credentials: the preflight carries no cookie, so it is answered for anyone.
  const cors: RequestHandler = (req, res, next) => {
    res.vary('Origin');
    if (uiOrigin && req.get('origin') === uiOrigin) {
      res.set('Access-Control-Allow-Origin', uiOrigin);
      res.set('Access-Control-Allow-Credentials', 'true');
    }
    next();
  };
  router.options('/decode', cors, (req, res) => {
    if (uiOrigin && req.get('origin') === uiOrigin) {
      res.set('Access-Control-Allow-Methods', 'POST');
      res.set('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization');
      res.set('Access-Control-Max-Age', '600');
    }
    res.status(204).end();
  });

  router.post(
    '/decode',
    cors,
    loadSession(deps.db),
    chooseLanguage,
    (req, res, next) =>
      readJson(req, res, (error?: unknown) => (error ? refuse(res, 400, 'badBody', { max: MAX_PAYLOADS }) : next())),
    async (req, res) => {
      // A page on another origin may send a form to this address, but it is never a JSON request from the UI: the
      // JSON content type forces a preflight, which only the UI's origin passes.
      const origin = req.get('origin');
      if (origin !== undefined && (!uiOrigin || origin !== uiOrigin)) return refuse(res, 403, 'otherOrigin');
      const auth = authOf(res);
      if (!auth) return refuse(res, 401, 'signIn');
      if (!isAdministrator(auth.user)) return refuse(res, 403, 'administratorsOnly');
      if (!req.is('application/json')) return refuse(res, 415, 'jsonOnly');
      const payloads = payloadsIn(req.body);
      if (payloads === undefined) return refuse(res, 400, 'badBody', { max: MAX_PAYLOADS });

      let decoded = payloads;
      try {
        for (const codec of [...deps.client.options.loadedDataConverter.payloadCodecs].reverse())
          decoded = await codec.decode(decoded);
      } catch (error) {
        if (error instanceof UnknownPayloadKeyError) return refuse(res, 422, 'unknownKey', { keyId: error.keyId });
        return refuse(res, 422, 'undecryptable');
      }
      await appendAudit(
        deps.db,
        {
          at: new Date().toISOString(),
          actor: auth.user.id,
          action: 'payloads-decoded',
          workflowId: 'temporal-web-ui',
          details: { namespace: req.get('x-namespace') ?? null, payloads: payloads.length },
        },
        `payloads-decoded:${randomUUID()}`,
      );
      res.json({ payloads: decoded.map(toJson) });
    },
  );
  return router;
}

/** The UI's origin; none (so no CORS for anyone) when the app is told no usable address. */
function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

const readJson = express.json({ limit: '8mb' });

function refuse(res: Response, status: number, key: string, values?: Record<string, unknown>): void {
  res.status(status).json({ error: readerTOf(res)(`admin:codec.${key}`, values) });
}

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

/** The request's payloads, or undefined when the body is not the protocol's shape. */
function payloadsIn(body: unknown): Payload[] | undefined {
  const list = (body as { payloads?: unknown } | undefined)?.payloads;
  if (!Array.isArray(list) || list.length > MAX_PAYLOADS) return undefined;
  const payloads: Payload[] = [];
  for (const item of list as JsonPayload[]) {
    if (!item || typeof item !== 'object') return undefined;
    const metadata: Record<string, Uint8Array> = {};
    for (const [key, value] of Object.entries(item.metadata ?? {})) {
      const bytes = base64(value);
      if (!bytes) return undefined;
      metadata[key] = bytes;
    }
    const data = item.data === undefined ? new Uint8Array() : base64(item.data);
    if (!data) return undefined;
    payloads.push({ metadata, data });
  }
  return payloads;
}

function base64(value: unknown): Uint8Array | undefined {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) return undefined;
  return Buffer.from(value, 'base64');
}

function toJson(payload: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(
      Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
    ),
    data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
  };
}
