import type { Server } from 'node:http';
import { createServer } from 'node:net';

/** A running DynamoDB engine: an HTTP endpoint that speaks DynamoDB's JSON protocol. */
export interface EngineInstance {
  readonly url: string;
  /** Stops the engine and frees its port and files. Idempotent. */
  close(): Promise<void>;
}

/** Wraps an async close so that every call after the first gets the same promise. */
export function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => {
    closing ??= close();
    return closing;
  };
}

/** Resolves when the server listens on 127.0.0.1:port; rejects with a readable error otherwise. */
export function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(
              `DynamoDB: port ${port} on 127.0.0.1 is already in use (pass port 0 to pick a free one)`,
              { cause: err },
            )
          : err,
      );
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, '127.0.0.1');
  });
}

/** A port that was free a moment ago, for engines that cannot be told "port 0". */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
