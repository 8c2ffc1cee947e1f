/** Starts the HTTP server and gives back a close that waits for open requests. */
import type { Server } from 'node:http';
import type { Express } from 'express';

export interface Listening {
  server: Server;
  close(): Promise<void>;
}

export function listen(app: Express, { port, host }: { port: number; host: string }): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => {
      if (error) return reject(new Error(`Cannot listen on ${host}:${port}: ${error.message}`));
      resolve({
        server,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
          }),
      });
    });
  });
}
