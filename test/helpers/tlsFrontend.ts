/**
 * A TLS frontend for the dev server. `temporal server start-dev` listens in plain text and has no TLS options, yet
 * the product's TLS settings (TEMPORAL_TLS_*, read by @temporalio/envconfig) must be tried against a server that
 * really speaks TLS and really asks for a client certificate, as a production cluster behind mutual TLS does. So the
 * tests put a small loopback terminator in front of it: it completes the TLS handshake with the client, requiring a
 * certificate signed by its own throwaway CA, and then pipes the decrypted bytes to the dev server's plain port.
 *
 * The certificates come from the `openssl` command (scripts/test-prerequisites.sh installs it): Node can make keys
 * but not certificates, and a test package for that would be one more dependency for four tests.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createServer, type TLSSocket } from 'node:tls';

/** Files, as the TEMPORAL_TLS_*_PATH settings name them. */
export interface TestCertificates {
  /** The CA that signed the server's and the client's certificates; the frontend trusts clients it signed. */
  caCert: string;
  /** A CA of its own that signed nothing here: a client trusting only it must refuse the server. */
  otherCaCert: string;
  /** The server's: valid for 127.0.0.1 and localhost, nothing else. */
  serverCert: string;
  serverKey: string;
  /** The client's, with the common name `CLIENT_NAME`. */
  clientCert: string;
  clientKey: string;
  /** Removes the folder with all of them. */
  remove(): void;
}

export const CLIENT_NAME = 'qualiflow-worker';

/**
 * Extensions as a strict verifier wants them: the Rust core's (rustls/webpki) refuses a CA without CA:TRUE, a leaf
 * that is a CA, or a server certificate whose names are only in the common name.
 */
const OPENSSL_CONFIG = `
[req]
distinguished_name = dn
[dn]
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
authorityKeyIdentifier = keyid
[client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
`;

/** A fresh CA, server and client certificate in a temporary folder; ECDSA P-256, which openssl makes in milliseconds. */
export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'qualiflow-tls-'));
  writeFileSync(path.join(dir, 'openssl.cnf'), OPENSSL_CONFIG);
  // Run in the folder, so the commands name their files without the folder's path (which may hold spaces).
  const openssl = (command: string) =>
    execFileSync('openssl', command.split(' '), { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const key = (name: string) => openssl(`genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ${name}.key`);
  const authority = (name: string) => {
    key(name);
    openssl(
      `req -x509 -new -key ${name}.key -subj /CN=${name} -days 2 -config openssl.cnf -extensions ca -out ${name}.pem`,
    );
  };
  const signed = (name: string, ca: string, commonName: string) => {
    key(name);
    openssl(`req -new -key ${name}.key -subj /CN=${commonName} -config openssl.cnf -out ${name}.csr`);
    const serial = `0x${randomBytes(8).toString('hex')}`;
    openssl(
      `x509 -req -in ${name}.csr -CA ${ca}.pem -CAkey ${ca}.key -set_serial ${serial} -days 2` +
        ` -extfile openssl.cnf -extensions ${name} -out ${name}.pem`,
    );
  };
  authority('qualiflow-test-ca');
  authority('another-ca');
  // The section of openssl.cnf with each certificate's extensions has the certificate's name.
  signed('server', 'qualiflow-test-ca', 'localhost');
  signed('client', 'qualiflow-test-ca', CLIENT_NAME);
  const file = (name: string) => path.join(dir, name);
  return {
    caCert: file('qualiflow-test-ca.pem'),
    otherCaCert: file('another-ca.pem'),
    serverCert: file('server.pem'),
    serverKey: file('server.key'),
    clientCert: file('client.pem'),
    clientKey: file('client.key'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface Handshake {
  /** The common name of the certificate the client presented. */
  clientName: string;
  /**
   * The server name the client asked for (SNI): TEMPORAL_TLS_SERVER_NAME when set, else the address's host (which
   * the client's grpc-js sends even when it is an IP address, and the worker's Rust core then leaves out).
   */
  serverName?: string;
}

export interface TlsFrontend {
  /** `127.0.0.1:<port>`, for TEMPORAL_ADDRESS. */
  address: string;
  /** Each completed handshake, in order. */
  handshakes: Handshake[];
  /** Why each refused handshake failed, as Node's TLS reports it (e.g. `ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE`). */
  refusals: string[];
  stop(): Promise<void>;
}

/**
 * Serves TLS on a loopback port and pipes each connection to `upstream` (the dev server's plain `host:port`).
 * Mutual TLS: a client without a certificate from `certificates.caCert` is refused during the handshake. gRPC runs
 * over HTTP/2, which TLS clients ask for through ALPN; the Rust core's client gives up on a server that does not
 * agree to `h2`.
 */
export async function startTlsFrontend(upstream: string, certificates: TestCertificates): Promise<TlsFrontend> {
  const [upstreamHost, upstreamPort] = upstream.split(':');
  const handshakes: Handshake[] = [];
  const refusals: string[] = [];
  const open = new Set<Socket>();
  const track = (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  };
  const server = createServer(
    {
      key: readFileSync(certificates.serverKey),
      cert: readFileSync(certificates.serverCert),
      ca: readFileSync(certificates.caCert),
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: ['h2'],
    },
    (client: TLSSocket) => {
      handshakes.push({
        clientName: String(client.getPeerCertificate().subject?.CN),
        serverName: client.servername || undefined,
      });
      const backend = connect(Number(upstreamPort), upstreamHost);
      track(client);
      track(backend);
      // Either side going away ends the other; the errors are the ordinary ends of a proxied connection.
      client.on('error', () => backend.destroy());
      backend.on('error', () => client.destroy());
      client.pipe(backend).pipe(client);
    },
  );
  server.on('tlsClientError', (error: NodeJS.ErrnoException, socket) => {
    refusals.push(error.code ?? error.message);
    socket.destroy();
  });
  server.on('connection', track);
  // Port 0: the kernel picks a free port and we hold it from that moment, so nothing else can take it meanwhile.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  return {
    address: `127.0.0.1:${port}`,
    handshakes,
    refusals,
    stop: () =>
      new Promise<void>((resolve) => {
        // close() waits for open connections; the clients' are long-lived HTTP/2 ones, so end them.
        server.close(() => resolve());
        for (const socket of open) socket.destroy();
      }),
  };
}
