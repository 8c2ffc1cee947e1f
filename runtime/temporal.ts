/**
 * Connects the worker and the web app to Temporal: the cluster the environment names, or else the embedded dev
 * server. `npm start` may start that server itself; the separate `npm run worker` / `npm run web` processes only
 * connect, so several of them can share one server or cluster.
 */
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { NativeConnection } from '@temporalio/worker';
import { translator } from '../i18n';
import { cliLanguage, type Config } from './config';
import { encryptedDataConverter } from './encryption/dataConverter';
import { loadPayloadKeyFiles, type PayloadKeys } from './encryption/keys';
import { registerSearchAttributes } from './searchAttributes';
import { startDevServer, type RunningServer } from './temporalServer';
import type { Tracing } from './tracing';

export interface TemporalLink {
  connection: Connection;
  nativeConnection: NativeConnection;
  client: Client;
  namespace: string;
  /** What a worker in this process encodes and decodes with: the client's encryption, with the same keys. */
  dataConverter: DataConverter;
  /** The Web UI where administrators can open a case's workflow. */
  uiUrl: string;
  devServer?: RunningServer;
  close(): Promise<void>;
}

export async function connectTemporal(
  config: Config,
  { startServer, tracing }: { startServer: boolean; tracing?: Tracing },
): Promise<TemporalLink> {
  const { namespace } = config.temporal;
  let devServer: RunningServer | undefined;
  const keys = payloadKeysOf(config);
  let options = config.temporal.connection;
  if (!options) {
    const address = `127.0.0.1:${config.devServer.port}`;
    if (startServer) {
      devServer = await startDevServer({
        dbFile: config.devServer.dbFile,
        port: config.devServer.port,
        uiPort: config.devServer.uiPort,
        uiCodecEndpoint: `${config.web.publicUrl}/codec`,
        logFile: `${config.dataDir}/temporal-server.log`,
      });
    }
    options = { address };
  }
  try {
    const nativeConnection = await NativeConnection.connect(options);
    const connection = await Connection.connect({
      address: options.address,
      tls: options.tls,
      apiKey: options.apiKey,
      metadata: options.metadata,
    });
    await registerSearchAttributes(connection, namespace);
    const dataConverter = encryptedDataConverter(keys);
    const client = new Client({ connection, namespace, dataConverter, interceptors: clientInterceptors(tracing) });
    const uiUrl = devServer?.uiUrl ?? process.env.TEMPORAL_UI_URL ?? `http://127.0.0.1:${config.devServer.uiPort}`;
    return {
      connection,
      nativeConnection,
      client,
      namespace,
      dataConverter,
      uiUrl,
      devServer,
      async close() {
        await connection.close();
        await nativeConnection.close();
        await devServer?.stop();
      },
    };
  } catch (error) {
    await devServer?.stop();
    throw new Error(`Could not reach Temporal at ${options.address}: ${(error as Error).message}`);
  }
}

/**
 * With tracing, each start, signal, query and Update gets a span, a child of whatever is active (the web request's),
 * and carries it in Temporal's trace header to the workflow.
 */
export function clientInterceptors(tracing: Tracing | undefined) {
  return tracing && { workflow: [new OpenTelemetryWorkflowClientInterceptor({ tracer: tracing.tracer })] };
}

/** PAYLOAD_KEYS when set, else the key folder's files (the first start makes one). */
export function payloadKeysOf(config: Pick<Config, 'payloadKeys' | 'sealKeyDir'>): PayloadKeys {
  return config.payloadKeys ?? loadPayloadKeyFiles(config.sealKeyDir, translator(cliLanguage()));
}
