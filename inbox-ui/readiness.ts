/**
 * `/readyz`: whether this web server can do its work now, for a load balancer or an orchestrator to decide whether to
 * send it requests. Both the application database and Temporal must answer, each within a couple of seconds; the
 * answer says which one did not. (`/healthz` says only that the process runs.)
 */
import type { RequestHandler } from 'express';
import { sql } from 'kysely';
import type { AppDeps } from './app';

const WITHIN_MS = 2_000;

type Check = 'ok' | 'unreachable';

export function readiness({ db, client }: Pick<AppDeps, 'db' | 'client'>): RequestHandler {
  return async (_req, res) => {
    const [database, temporal] = await Promise.all([
      answers(() => sql`select 1`.execute(db)),
      answers(() => client.connection.workflowService.getSystemInfo({})),
    ]);
    const ready = database === 'ok' && temporal === 'ok';
    res
      .status(ready ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({ ready, database, temporal });
  };
}

async function answers(probe: () => Promise<unknown>): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('no answer in time')), WITHIN_MS);
  });
  try {
    await Promise.race([probe(), late]);
    return 'ok';
  } catch {
    return 'unreachable';
  } finally {
    clearTimeout(timer);
  }
}
