/**
 * PostgreSQL for the tests: the private cluster that `bash scripts/postgres.sh` starts (npm test runs it first), and
 * a fresh database per test file. Without a cluster the tests fail and say how to start one: the data layer is
 * meant to be tested on both dialects, so PostgreSQL is never skipped quietly.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { PROJECT_ROOT } from '../../runtime/temporalServer';

const URL_FILE = path.join(PROJECT_ROOT, 'test-output', 'postgres-url');

/** The cluster's maintenance database URL: QUALIFLOW_TEST_POSTGRES_URL, else the one scripts/postgres.sh wrote. */
export function postgresUrl(): string {
  const fromEnv = process.env.QUALIFLOW_TEST_POSTGRES_URL;
  if (fromEnv) return fromEnv;
  if (!existsSync(URL_FILE)) {
    throw new Error(
      `PostgreSQL is not available for the tests: ${URL_FILE} does not exist. ` +
        'Run `bash scripts/postgres.sh` (npm test does) or set QUALIFLOW_TEST_POSTGRES_URL.',
    );
  }
  return readFileSync(URL_FILE, 'utf8').trim();
}

let counter = 0;

/**
 * Creates an empty database with a unique name on the test cluster and returns its URL, with `drop` to remove it
 * once its connections are closed.
 */
export async function createTestDatabase(label: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = postgresUrl();
  // Unique part first: PostgreSQL cuts names at 63 bytes.
  const name = `qf_${process.pid}_${Date.now()}_${++counter}_${label.replace(/\W+/g, '_').toLowerCase()}`.slice(0, 63);
  await withAdmin(admin, (client) => client.query(`create database "${name}"`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // Not `with (force)`: pg's pool.end() returns before the server's backends have exited, and PostgreSQL waits
    // (up to 5 s) for them; forcing would kill them mid-exit and hand the closed pool an error.
    drop: async () => {
      await withAdmin(admin, (client) => client.query(`drop database if exists "${name}"`));
    },
  };
}

async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL at ${url} is not answering (${(error as Error).message}). ` +
        'Start the test cluster with `bash scripts/postgres.sh` (npm test does).',
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
