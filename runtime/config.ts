/**
 * Configuration, read once from the environment into one typed object. Every setting has an embedded default so
 * that `npm start` runs with none; a bad value stops start-up with a sentence naming the variable, in the language of
 * the terminal's locale (`cliLanguage`), since the operator starting the process reads it there.
 */
import { isIP } from 'node:net';
import path from 'node:path';
import { loadClientConfigProfile, toClientOptions } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';
import type { TFunction } from 'i18next';
import { DEFAULT_RETENTION_DAYS } from '../activities/retention';
import { DEFAULT_LANGUAGE, type Language, translator } from '../i18n';
import { payloadKeysSetting, type PayloadKeys } from './encryption/keys';
import { PROJECT_ROOT } from './temporalServer';

export type CertificateNumberFormat = 'skill-level' | 'legacy';

export interface Config {
  dataDir: string;
  databaseFile: string;
  /** DATABASE_URL: PostgreSQL instead of the SQLite file (see `databaseTarget`). */
  databaseUrl?: string;
  /**
   * DEMO_PROVINCE: load the demo province (seed/demo-province.json), its accounts with a known password. On by default
   * on the embedded SQLite database only; a PostgreSQL database gets it when asked (DEMO_PROVINCE=true), never by default.
   */
  demoProvince: boolean;
  /** Set when the environment (or a Temporal config profile) names a cluster; otherwise we run the dev server. */
  temporal: { connection?: NativeConnectionOptions; namespace: string };
  devServer: { port: number; uiPort: number; dbFile: string };
  web: { port: number; host: string; publicUrl: string; trustProxy: TrustProxy };
  certificateNumberFormat: CertificateNumberFormat;
  policyFile?: string;
  occupationsFile?: string;
  /** The key folder: seal keys, and payload keys unless PAYLOAD_KEYS gives them (runtime/encryption/keys.ts). */
  sealKeyDir: string;
  /** PAYLOAD_KEYS: the keys that encrypt Temporal payloads, from a secret store rather than the key folder. */
  payloadKeys?: PayloadKeys;
  /** Email: without an SMTP URL, notices stay in the notification log that the app shows. */
  mail: MailConfig;
  /** PERSONAL_DATA_RETENTION_DAYS: how long a closed case keeps the candidate's personal data (runtime/retention.ts). */
  personalDataRetentionDays: number;
  /** SIGN_IN_LOCK_AFTER: failed sign-ins in a row that lock a name until an administrator unlocks it. */
  signInLockAfter: number;
  /** METRICS_TOKEN: what the operator's scraper presents at the web app's /metrics (without it, loopback only). */
  metricsToken?: string;
  /** WORKER_METRICS_ADDRESS: where a worker process serves the Temporal SDK's metrics (host:port); off without it. */
  workerMetricsAddress?: string;
  /** OpenTelemetry tracing (runtime/tracing.ts): off unless an OTLP endpoint is set. */
  tracing?: TracingConfig;
}

/**
 * Where spans go, as OpenTelemetry's own variables say: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is the traces URL itself,
 * OTEL_EXPORTER_OTLP_ENDPOINT the collector's base (`/v1/traces` is added). OTEL_SERVICE_NAME names the process;
 * without it the web app and the worker name themselves (`qualiflow-web`, `qualiflow-worker`).
 */
export interface TracingConfig {
  tracesUrl: string;
  serviceName?: string;
}

/**
 * TRUST_PROXY, as Express's `trust proxy` takes it: `false` (nobody: the default), the number of proxies in front
 * of the app, or the addresses and subnets of the trusted proxies (`loopback`, `linklocal` and `uniquelocal` name
 * Express's ranges).
 */
export type TrustProxy = false | number | string[];

export interface MailConfig {
  /** `smtp://` or `smtps://`, possibly with credentials: never log it whole. */
  smtpUrl?: string;
  from: string;
  /** Send attempts per notice before it is marked failed. */
  maxAttempts: number;
}

/**
 * The language of whoever reads the terminal: the command-line clients' output, and the configuration errors that stop
 * `npm start`, the worker or the web app. The POSIX locale decides, as for any other command: LC_ALL, then LC_MESSAGES,
 * then LANG (an empty one counts as unset); English for an `en` locale, otherwise Chinese, including C and POSIX.
 */
export function cliLanguage(env: NodeJS.ProcessEnv = process.env): Language {
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((value) => value) ?? '';
  return /^en/i.test(locale) ? 'en' : DEFAULT_LANGUAGE;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const t = translator(cliLanguage(env));
  const dataDir = path.resolve(PROJECT_ROOT, env.DATA_DIR ?? 'data');
  const profile = loadClientConfigProfile({ overrideEnvVars: onlyDefined(env) });
  const external = profile.address ? toClientOptions(profile) : undefined;
  const port = intSetting(env, t, 'PORT', 3000);
  const host = env.HOST ?? '127.0.0.1';
  const format = env.CERTIFICATE_NUMBER_FORMAT ?? 'skill-level';
  if (format !== 'skill-level' && format !== 'legacy') {
    throw new Error(t('cli:config.certificateNumberFormat', { value: format }));
  }
  return {
    dataDir,
    databaseFile: path.join(dataDir, 'qualiflow.db'),
    databaseUrl: databaseUrlSetting(env, t),
    demoProvince: demoProvinceSetting(env, t),
    temporal: {
      connection: external?.connectionOptions,
      namespace: external?.namespace ?? env.TEMPORAL_NAMESPACE ?? 'default',
    },
    devServer: {
      port: intSetting(env, t, 'TEMPORAL_DEV_PORT', 7233),
      uiPort: intSetting(env, t, 'TEMPORAL_UI_PORT', 8233),
      dbFile: path.join(dataDir, 'temporal.db'),
    },
    web: {
      port,
      host,
      publicUrl: (env.PUBLIC_URL ?? `http://${host}:${port}`).replace(/\/$/, ''),
      trustProxy: trustProxySetting(env, t),
    },
    certificateNumberFormat: format,
    policyFile: env.POLICY_FILE,
    occupationsFile: env.OCCUPATIONS_FILE,
    sealKeyDir: path.resolve(dataDir, env.SEAL_KEY_DIR ?? 'keys'),
    payloadKeys: payloadKeysSetting(env.PAYLOAD_KEYS, t),
    mail: mailSettings(env, t),
    // At most a century, so the cut-off stays a real date.
    personalDataRetentionDays: wholeNumberSetting(env, t, 'PERSONAL_DATA_RETENTION_DAYS', {
      min: 1,
      max: 36_500,
      fallback: DEFAULT_RETENTION_DAYS,
      key: 'personalDataRetentionDays',
    }),
    // At least 3, so that a few slips never need an administrator; at most 100: each failure past the first few
    // already waits (up to 15 minutes), so a higher lock only lets a guesser go on longer.
    signInLockAfter: wholeNumberSetting(env, t, 'SIGN_IN_LOCK_AFTER', {
      min: 3,
      max: 100,
      fallback: DEFAULT_SIGN_IN_LOCK_AFTER,
      key: 'signInLockAfter',
    }),
    metricsToken: metricsTokenSetting(env, t),
    workerMetricsAddress: listenAddressSetting(env, t, 'WORKER_METRICS_ADDRESS'),
    tracing: tracingSetting(env, t),
  };
}

function demoProvinceSetting(env: NodeJS.ProcessEnv, t: TFunction): boolean {
  const value = env.DEMO_PROVINCE?.trim().toLowerCase();
  if (value === undefined || value === '') return !env.DATABASE_URL;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new Error(t('cli:config.demoProvince', { value: env.DEMO_PROVINCE }));
}

/** An http(s) URL; the traces endpoint wins over the base one, as in every OpenTelemetry SDK. */
function tracingSetting(env: NodeJS.ProcessEnv, t: TFunction): TracingConfig | undefined {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  const name = traces ? 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' : 'OTEL_EXPORTER_OTLP_ENDPOINT';
  const raw = traces || base;
  if (!raw) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
    throw new Error(t('cli:config.otlpEndpoint', { name, value: raw }));
  }
  return {
    tracesUrl: traces ? raw : `${raw.replace(/\/+$/, '')}/v1/traces`,
    serviceName: env.OTEL_SERVICE_NAME?.trim() || undefined,
  };
}

/** Long enough not to be guessed; the value is never repeated in the refusal. */
function metricsTokenSetting(env: NodeJS.ProcessEnv, t: TFunction): string | undefined {
  const token = env.METRICS_TOKEN?.trim();
  if (!token) return undefined;
  if (token.length < 24 || /\s/.test(token)) throw new Error(t('cli:config.metricsToken'));
  return token;
}

/** `host:port`, as the SDK's exporter binds it: an IP address (IPv6 in brackets) and a port. */
function listenAddressSetting(env: NodeJS.ProcessEnv, t: TFunction, name: string): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(raw);
  const host = match?.[1].replace(/^\[|\]$/g, '');
  if (!match || isIP(host!) === 0 || Number(match[2]) > 65535) {
    throw new Error(t('cli:config.listenAddress', { name, value: raw }));
  }
  return raw;
}

export const DEFAULT_SIGN_IN_LOCK_AFTER = 10;

/**
 * A whole number in decimal digits within its bounds, or the default when unset: `1e3` or `0x30` is a typing slip,
 * not a number. A value outside is refused with the setting's own sentence (`cli:config.<key>`).
 */
function wholeNumberSetting(
  env: NodeJS.ProcessEnv,
  t: TFunction,
  name: string,
  { min, max, fallback, key }: { min: number; max: number; fallback: number; key: string },
): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new Error(t(`cli:config.${key}`, { value: raw }));
  }
  return Number(raw);
}

function mailSettings(env: NodeJS.ProcessEnv, t: TFunction): MailConfig {
  const smtpUrl = env.SMTP_URL || undefined;
  // The value is never repeated: it may hold a password.
  if (smtpUrl && !/^smtps?:\/\/[^/]/i.test(smtpUrl)) throw new Error(t('cli:config.smtpUrl'));
  const attempts = env.MAIL_MAX_ATTEMPTS ? Number(env.MAIL_MAX_ATTEMPTS) : 5;
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new Error(t('cli:config.mailMaxAttempts', { value: env.MAIL_MAX_ATTEMPTS }));
  }
  return { smtpUrl, from: env.MAIL_FROM || 'Qualiflow <no-reply@qualiflow.example>', maxAttempts: attempts };
}

/** What records/database.ts's openDatabase opens: DATABASE_URL when set, else the SQLite file under DATA_DIR. */
export function databaseTarget(config: Pick<Config, 'databaseFile' | 'databaseUrl'>): string {
  return config.databaseUrl ?? config.databaseFile;
}

function databaseUrlSetting(env: NodeJS.ProcessEnv, t: TFunction): string | undefined {
  const url = env.DATABASE_URL || undefined;
  if (url && !/^postgres(ql)?:\/\/[^/]/i.test(url)) throw new Error(t('cli:config.databaseUrl'));
  return url;
}

const PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * Which hops' forwarded headers to believe. `true` is refused: it would take the client's address from whatever
 * X-Forwarded-For the client sent, and a guesser would pick a new address for every sign-in attempt.
 */
export function trustProxySetting(env: NodeJS.ProcessEnv, t: TFunction): TrustProxy {
  const raw = env.TRUST_PROXY?.trim();
  if (!raw || raw === 'false') return false;
  if (/^\d+$/.test(raw) && Number(raw) >= 1 && Number(raw) <= 10) return Number(raw);
  const entries = raw.split(',').map((entry) => entry.trim());
  if (entries.every(isProxyAddress)) return entries;
  throw new Error(t('cli:config.trustProxy', { value: raw }));
}

/** `loopback`, an IP address, or a subnet as address/prefix length. */
function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGES.has(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d+$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128);
}

function intSetting(env: NodeJS.ProcessEnv, t: TFunction, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535)
    throw new Error(t('cli:config.port', { name, value: raw }));
  return value;
}

function onlyDefined(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
