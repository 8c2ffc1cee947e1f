/**
 * Settings as the configuration reads them: TRUST_PROXY (nobody by default, a number of proxies, or their addresses
 * and subnets), the retention period, the sign-in lock and tracing's OTLP endpoint. A bad value (`true` for
 * TRUST_PROXY included) stops start-up with a sentence naming the variable, in the terminal's language.
 */
import test from 'ava';
import { loadConfig } from '../../runtime/config';
import { CHINESE_TERMINAL, ENGLISH_TERMINAL } from '../helpers/terminal';

const trustProxyOf = (value: string | undefined) =>
  loadConfig({ ...ENGLISH_TERMINAL, ...(value !== undefined && { TRUST_PROXY: value }) }).web.trustProxy;

test('without TRUST_PROXY no proxy is trusted', (t) => {
  t.false(trustProxyOf(undefined));
  t.false(trustProxyOf(''));
  t.false(trustProxyOf('false'));
});

test('TRUST_PROXY takes a number of proxies, or their addresses and subnets', (t) => {
  t.is(trustProxyOf('1'), 1);
  t.deepEqual(trustProxyOf('loopback'), ['loopback']);
  t.deepEqual(trustProxyOf(' 10.0.0.5, 10.1.0.0/16 ,fd00::/8,uniquelocal'), [
    '10.0.0.5',
    '10.1.0.0/16',
    'fd00::/8',
    'uniquelocal',
  ]);
});

const refused = test.macro({
  exec(t, value: string) {
    const error = t.throws(() => trustProxyOf(value));
    t.is(
      error?.message,
      "TRUST_PROXY must be false, the number of proxies in front of the web app (1 to 10), or the proxies' " +
        `addresses and subnets separated by commas (loopback, 10.0.0.0/8, …), not "${value.trim()}".`,
    );
  },
  title: (_, value: string) => `TRUST_PROXY=${value} stops start-up with a sentence saying what it takes`,
});
for (const value of ['true', 'yes', '0', '11', '10.0.0.300', '10.0.0.0/33', 'proxy.example', 'loopback,']) {
  test(refused, value);
}

test('a Chinese terminal is told in Chinese', (t) => {
  const error = t.throws(() => loadConfig({ ...CHINESE_TERMINAL, TRUST_PROXY: 'true' }));
  t.is(
    error?.message,
    'TRUST_PROXY 只能是 false、Web 应用前代理的层数（1 到 10），或以逗号分隔的代理地址与网段（loopback、10.0.0.0/8 等），而不是“true”。',
  );
});

const retentionDaysOf = (value: string | undefined, terminal = ENGLISH_TERMINAL) =>
  loadConfig({ ...terminal, ...(value !== undefined && { PERSONAL_DATA_RETENTION_DAYS: value }) })
    .personalDataRetentionDays;

test('closed cases keep personal data three years unless PERSONAL_DATA_RETENTION_DAYS says otherwise', (t) => {
  t.is(retentionDaysOf(undefined), 1095);
  t.is(retentionDaysOf(''), 1095);
  t.is(retentionDaysOf('30'), 30);
  t.is(retentionDaysOf(' 3650 '), 3650);
});

const refusedDays = test.macro({
  exec(t, value: string) {
    const error = t.throws(() => retentionDaysOf(value));
    t.is(
      error?.message,
      `PERSONAL_DATA_RETENTION_DAYS must be a whole number of days from 1 to 36500, not "${value}".`,
    );
  },
  title: (_, value: string) =>
    `PERSONAL_DATA_RETENTION_DAYS=${value} stops start-up with a sentence saying what it takes`,
});
for (const value of ['0', '-5', '2.5', '1e3', '0x30', 'three years', '36501']) {
  test(refusedDays, value);
}

test('a Chinese terminal hears about a bad retention period in Chinese', (t) => {
  const error = t.throws(() => retentionDaysOf('forever', CHINESE_TERMINAL));
  t.is(error?.message, 'PERSONAL_DATA_RETENTION_DAYS 必须是 1 到 36500 之间的整数天数，而不是“forever”。');
});

test('a name locks after ten failed sign-ins unless SIGN_IN_LOCK_AFTER says otherwise', (t) => {
  t.is(loadConfig(ENGLISH_TERMINAL).signInLockAfter, 10);
  t.is(loadConfig({ ...ENGLISH_TERMINAL, SIGN_IN_LOCK_AFTER: '5' }).signInLockAfter, 5);
  for (const value of ['2', '101', '5.5', '1e1', 'never']) {
    t.is(
      t.throws(() => loadConfig({ ...ENGLISH_TERMINAL, SIGN_IN_LOCK_AFTER: value }))?.message,
      `SIGN_IN_LOCK_AFTER must be a whole number of failed sign-ins from 3 to 100, not "${value}".`,
    );
  }
  t.is(
    t.throws(() => loadConfig({ ...CHINESE_TERMINAL, SIGN_IN_LOCK_AFTER: '0' }))?.message,
    'SIGN_IN_LOCK_AFTER 必须是 3 到 100 之间的整数（连续登录失败次数），而不是“0”。',
  );
});

const tracingOf = (env: Record<string, string>, terminal = ENGLISH_TERMINAL) =>
  loadConfig({ ...terminal, ...env }).tracing;

test('tracing is off until an OTLP endpoint is set, and then sends to its /v1/traces', (t) => {
  t.is(tracingOf({}), undefined);
  t.is(tracingOf({ OTEL_EXPORTER_OTLP_ENDPOINT: ' ', OTEL_SERVICE_NAME: 'qualiflow-web-2' }), undefined);
  t.deepEqual(tracingOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }), {
    tracesUrl: 'http://collector:4318/v1/traces',
    serviceName: undefined,
  });
  t.deepEqual(
    tracingOf({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/otlp/v1/traces',
      OTEL_SERVICE_NAME: 'qualiflow-web-2',
    }),
    { tracesUrl: 'https://traces.example/otlp/v1/traces', serviceName: 'qualiflow-web-2' },
  );
});

const refusedEndpoint = test.macro({
  exec(t, name: string, value: string) {
    const error = t.throws(() => tracingOf({ [name]: value }));
    t.is(
      error?.message,
      `${name} must be the http:// or https:// address of an OpenTelemetry collector, like http://127.0.0.1:4318, ` +
        `not "${value}".`,
    );
  },
  title: (_, name: string, value: string) => `${name}=${value} stops start-up with a sentence saying what it takes`,
});
test(refusedEndpoint, 'OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318');
test(refusedEndpoint, 'OTEL_EXPORTER_OTLP_ENDPOINT', 'grpc://collector:4317');
test(refusedEndpoint, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'http://');

test('a Chinese terminal hears about a bad OTLP endpoint in Chinese', (t) => {
  const error = t.throws(() => tracingOf({ OTEL_EXPORTER_OTLP_ENDPOINT: '4318' }, CHINESE_TERMINAL));
  t.is(
    error?.message,
    'OTEL_EXPORTER_OTLP_ENDPOINT 应为 OpenTelemetry 收集器的 http:// 或 https:// 地址，例如 http://127.0.0.1:4318，而不是“4318”。',
  );
});
