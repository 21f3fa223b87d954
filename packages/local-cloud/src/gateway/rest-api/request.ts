/**
 * Step 1 of the pipeline: Node's request → the facts later steps read. REST keeps more of the request
 * as sent than HTTP APIs do (§0.3, §5.1): the path stays percent-encoded, header names keep the client's
 * casing, repeated headers and query parameters keep every value (`multiValue*`). Connection-level
 * headers are dropped; `X-Forwarded-For/-Port/-Proto` and `X-Amzn-Trace-Id` are added as the edge adds
 * them. Bodies over 10 MB → 413 before anything else.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { parseQuery } from '../headers.js';
import { payloadTooLarge, REQUEST_BODY_LIMIT, type RestResponse } from './http-response.js';

/** One request header: the casing first seen, every value in order. */
export interface HeaderEntry {
  readonly name: string;
  readonly values: string[];
}

export interface RestRequest {
  /** `requestContext.requestId` / `x-amzn-RequestId`: a UUID, as on REST APIs. */
  readonly requestId: string;
  /** `extendedRequestId` / `x-amz-apigw-id`, e.g. `ZhDrKF5dDoEEHfA=`. */
  readonly extendedRequestId: string;
  /** Epoch ms from the gateway's Clock. */
  readonly timeEpoch: number;
  readonly method: string;
  /** As received (not decoded), including the stage segment. */
  readonly rawPath: string;
  readonly rawQueryString: string;
  /** Decoded query parameters in order. */
  readonly queryPairs: ReadonlyArray<readonly [string, string]>;
  /** Lower-cased name → entry, in arrival order; includes the headers the gateway adds. */
  readonly headers: ReadonlyMap<string, HeaderEntry>;
  readonly body: Buffer | undefined;
  readonly sourceIp: string;
  /** `User-Agent`, or undefined. */
  readonly userAgent: string | undefined;
  readonly protocol: string;
}

/**
 * Headers API Gateway never forwards (connection-level, and what LocalStack lists as dropped from REST
 * requests). `Content-Length` is kept here: the REQUEST authorizer event shows it, the proxy event does not.
 */
const DROPPED = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
  'max-forwards',
  'proxy-authenticate',
  'content-md5',
  'server',
  'www-authenticate',
  '__proto__',
]);

/** The edge capitalises these whatever the client sent (LocalStack, from CloudFront's behaviour). */
const CAPITALISED: Readonly<Record<string, string>> = {
  authorization: 'Authorization',
  'user-agent': 'User-Agent',
};

const EXECUTE_API = '.execute-api.';
const TRACE_PREFIX = randomBytes(8).toString('hex');
let traceCounter = 0;

/** `Root=1-{epoch seconds hex}-{24 hex}` like the X-Ray trace ids API Gateway adds. */
function traceId(epochMs: number): string {
  traceCounter = (traceCounter + 1) >>> 0;
  return `Root=1-${Math.floor(epochMs / 1000).toString(16)}-${TRACE_PREFIX}${traceCounter.toString(16).padStart(8, '0')}`;
}

function clientIp(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > REQUEST_BODY_LIMIT) {
        req.off('data', onData);
        req.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

function collect(rawHeaders: readonly string[]): Map<string, HeaderEntry> {
  const headers = new Map<string, HeaderEntry>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const raw = rawHeaders[i] as string;
    const lower = raw.toLowerCase();
    if (DROPPED.has(lower)) continue;
    const value = rawHeaders[i + 1] as string;
    const entry = headers.get(lower);
    if (entry === undefined) headers.set(lower, { name: CAPITALISED[lower] ?? raw, values: [value] });
    else entry.values.push(value);
  }
  return headers;
}

/** Sets a header to one value; `keepName` keeps the casing the client used. */
function setOne(headers: Map<string, HeaderEntry>, name: string, value: string, keepName = false): void {
  const lower = name.toLowerCase();
  const existing = headers.get(lower);
  headers.set(lower, { name: keepName && existing !== undefined ? existing.name : name, values: [value] });
}

/** The last value of a header (case-insensitive), as REST's `headers` shows it. */
export function headerValue(request: RestRequest, name: string): string | undefined {
  const values = request.headers.get(name.toLowerCase())?.values;
  return values === undefined ? undefined : values[values.length - 1];
}

/** The last value of a query parameter (case-sensitive), as REST's `queryStringParameters` shows it. */
export function queryValue(request: RestRequest, name: string): string | undefined {
  let found: string | undefined;
  for (const [n, v] of request.queryPairs) if (n === name) found = v;
  return found;
}

export interface RequestIds {
  readonly requestId: string;
  readonly extendedRequestId: string;
}

export const newRequestId = (): string => randomUUID();

/**
 * The request, or a 413 response when the body is over the 10 MB limit. Synchronous without a body (a
 * GET is answered without waiting for a promise); a promise while a body is read.
 */
export function readRequest(
  req: IncomingMessage,
  ids: RequestIds,
  timeEpoch: number,
): RestRequest | RestResponse | Promise<RestRequest | RestResponse> {
  const length = req.headers['content-length'];
  if (length !== undefined && Number(length) > REQUEST_BODY_LIMIT) {
    req.resume(); // let the client finish sending; the response closes the connection
    return payloadTooLarge();
  }
  if ((length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined) {
    return readBody(req).then((read) =>
      read === undefined
        ? payloadTooLarge()
        : toRestRequest(req, ids, timeEpoch, read.length > 0 ? read : undefined),
    );
  }
  return toRestRequest(req, ids, timeEpoch, undefined);
}

function toRestRequest(
  req: IncomingMessage,
  ids: RequestIds,
  timeEpoch: number,
  body: Buffer | undefined,
): RestRequest {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q === -1 ? url : url.slice(0, q);
  const rawQueryString = q === -1 ? '' : url.slice(q + 1);
  const headers = collect(req.rawHeaders);

  const sourceIp = clientIp(req);
  const forwardedFor = headers.get('x-forwarded-for')?.values.join(', ');
  setOne(headers, 'X-Forwarded-For', forwardedFor === undefined ? sourceIp : `${forwardedFor}, ${sourceIp}`);
  // A function's call to the API's real https URL, redirected here by the worker's network rewrite, carries
  // the original host in x-forwarded-host: show the event what AWS would have shown.
  const forwardedHost = headers.get('x-forwarded-host')?.values[0];
  const host = headers.get('host')?.values[0];
  if (forwardedHost?.includes(EXECUTE_API) && !host?.includes(EXECUTE_API)) {
    headers.delete('x-forwarded-host');
    setOne(headers, 'Host', forwardedHost, true);
    setOne(headers, 'X-Forwarded-Port', '443');
    setOne(headers, 'X-Forwarded-Proto', 'https');
  } else {
    setOne(headers, 'X-Forwarded-Port', String(req.socket.localPort ?? ''));
    setOne(headers, 'X-Forwarded-Proto', 'http');
  }
  if (!headers.has('x-amzn-trace-id')) setOne(headers, 'X-Amzn-Trace-Id', traceId(timeEpoch));

  const userAgent = headers.get('user-agent')?.values;
  return {
    requestId: ids.requestId,
    extendedRequestId: ids.extendedRequestId,
    timeEpoch,
    method: req.method ?? 'GET',
    rawPath: rawPath.startsWith('/') ? rawPath : `/${rawPath}`,
    rawQueryString,
    queryPairs: parseQuery(rawQueryString),
    headers,
    body,
    sourceIp,
    userAgent: userAgent === undefined ? undefined : userAgent[userAgent.length - 1],
    protocol: `HTTP/${req.httpVersion}`,
  };
}
