import { randomBytes } from 'node:crypto';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';
import dynalite from 'dynalite';
import { type EngineInstance, listen, once } from './engine.js';

/**
 * The operations dynalite 4.0.0 implements (its `validOperations`; a test checks this against the
 * installed package). Everything else in the DynamoDB API is answered by the gap handler below.
 */
export const DYNALITE_OPERATIONS: ReadonlySet<string> = new Set([
  'BatchGetItem',
  'BatchWriteItem',
  'CreateTable',
  'DeleteItem',
  'DeleteTable',
  'DescribeTable',
  'DescribeTimeToLive',
  'GetItem',
  'ListTables',
  'ListTagsOfResource',
  'PutItem',
  'Query',
  'Scan',
  'TagResource',
  'UntagResource',
  'UpdateItem',
  'UpdateTable',
]);

const TARGET_PREFIXES = new Set(['DynamoDB_20120810', 'DynamoDB_20111205']);

/** The operation named by an `X-Amz-Target` header when dynalite does not implement it. */
export function unsupportedOperation(target: string | undefined): string | undefined {
  const [prefix, operation, ...rest] = (target ?? '').split('.');
  if (rest.length || !prefix || !operation || !TARGET_PREFIXES.has(prefix)) return undefined;
  return DYNALITE_OPERATIONS.has(operation) ? undefined : operation;
}

export function unsupportedOperationMessage(operation: string): string {
  return (
    `${operation} is not implemented by dynalite 4.0.0, the local cloud's default DynamoDB engine. ` +
    `Start the local cloud with the DynamoDB Local engine (engine 'dynamodb-local') to use it; ` +
    'see packages/local-cloud/src/dynamodb/README.md.'
  );
}

/** Same status and error type dynalite (and DynamoDB) send for an unknown operation, plus a message. */
function answerUnsupported(req: IncomingMessage, res: ServerResponse, operation: string): void {
  const body = JSON.stringify({
    __type: 'com.amazon.coral.service#UnknownOperationException',
    message: unsupportedOperationMessage(operation),
  });
  const contentType = (req.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.0')
    ? 'application/x-amz-json-1.0'
    : 'application/json';
  res.writeHead(400, {
    'x-amzn-RequestId': randomBytes(39).toString('base64url').toUpperCase().slice(0, 52),
    'x-amz-crc32': String(crc32(body)),
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

/**
 * Puts a thin layer in front of dynalite's own request listener, in the same server (no proxy, no extra
 * hop): operations dynalite lacks get an UnknownOperationException that says so, and a client that drops a
 * request half-way no longer crashes the process (dynalite throws from the request's `error` listener).
 */
function guardRequests(server: Server, onUnsupported: (operation: string) => void): void {
  const handlers = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const target = req.headers['x-amz-target'];
    const operation = unsupportedOperation(Array.isArray(target) ? target[0] : target);
    if (operation) {
      onUnsupported(operation);
      answerUnsupported(req, res, operation);
      return;
    }
    for (const handler of handlers) handler(req, res);
    // dynalite's listener rethrows request errors ("aborted"); without listeners Node emits none.
    req.removeAllListeners('error');
  });
}

export interface StartDynaliteOptions {
  readonly port: number;
  /** LevelDB directory; absent = in memory. */
  readonly dataDir?: string;
  readonly log: (line: string) => void;
}

/** How long close waits for requests in flight before it cuts their connections. */
const CLOSE_GRACE_MS = 200;

export async function startDynalite(options: StartDynaliteOptions): Promise<EngineInstance> {
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.dataDir ? { path: options.dataDir } : {}),
  });
  const reported = new Set<string>();
  guardRequests(server, (operation) => {
    if (reported.has(operation)) return;
    reported.add(operation);
    options.log(
      `DynamoDB: a client called ${operation}, which dynalite does not implement (UnknownOperationException)`,
    );
  });

  const closeServer = () =>
    new Promise<void>((resolve, reject) => {
      const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
      cut.unref();
      server.close((err) => {
        clearTimeout(cut);
        if (err) reject(err);
        else resolve();
      });
      server.closeIdleConnections();
    });

  let port: number;
  try {
    port = await listen(server, options.port);
  } catch (err) {
    // dynalite only closes its store from a listening server; listen on a free port just to close it.
    await listen(server, 0)
      .then(closeServer)
      .catch(() => undefined);
    throw err;
  }
  return { url: `http://127.0.0.1:${port}`, close: once(closeServer) };
}
