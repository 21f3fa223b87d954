/**
 * Step 1 of the pipeline: Node's request → the facts later steps read. REST keeps more of the request
 * as sent than HTTP APIs do (§0.3, §5.1): the path stays percent-encoded, header names keep the client's
 * casing, repeated headers and query parameters keep every value (`multiValue*`). Connection-level
 * headers are dropped; `X-Forwarded-For/-Port/-Proto` and `X-Amzn-Trace-Id` are added as the edge adds
 * them. Bodies over 10 MB → 413 before anything else.
 */
import { randomBytes, randomFillSync } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { parseQuery } from '../headers.js';
import { REQUEST_BODY_LIMIT, readRequestBody } from '../request-body.js';
import { PAYLOAD_TOO_LARGE, type RestResponse } from './http-response.js';

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
  /** The last value of one header, as `headers` holds it; `lower`: the lower-cased name. */
  header(lower: string): string | undefined;
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
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
let traceCounter = 0;
let traceSecond = Number.NaN;
let traceHead = '';

/** `Root=1-{epoch seconds hex}-{24 hex}` like the X-Ray trace ids API Gateway adds. */
function traceId(epochMs: number): string {
  traceCounter = (traceCounter + 1) >>> 0;
  // Everything up to the counter changes once a second; the counter is 8 hex digits by table.
  const second = Math.floor(epochMs / 1000);
  if (second !== traceSecond) {
    traceHead = `Root=1-${second.toString(16)}-${TRACE_PREFIX}`;
    traceSecond = second;
  }
  const c = traceCounter;
  return `${traceHead}${HEX[c >>> 24]}${HEX[(c >>> 16) & 255]}${HEX[(c >>> 8) & 255]}${HEX[c & 255]}`;
}

export function clientIp(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/** The path of the request line as received (not decoded), with its stage segment: `rawPath`. */
export function requestRawPath(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q === -1 ? url : url.slice(0, q);
  return rawPath.startsWith('/') ? rawPath : `/${rawPath}`;
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

/** Sets a header to one value; `lower` is `name` lower-cased; `keepName` keeps the casing the client used. */
function setOne(
  headers: Map<string, HeaderEntry>,
  lower: string,
  name: string,
  value: string,
  keepName = false,
): void {
  const existing = headers.get(lower);
  headers.set(lower, { name: keepName && existing !== undefined ? existing.name : name, values: [value] });
}

/** The last value of a header (case-insensitive), as REST's `headers` shows it. */
export function headerValue(request: RestRequest, name: string): string | undefined {
  return request.header(name.toLowerCase());
}

const NO_QUERY: ReadonlyArray<readonly [string, string]> = [];

/** `HTTP/1.1` (the usual one without building a string per request). */
export const protocolOf = (req: IncomingMessage): string =>
  req.httpVersion === '1.1' ? 'HTTP/1.1' : `HTTP/${req.httpVersion}`;

/** Headers whose value the gateway sets or replaces: read from the full map, never from the raw list. */
const REWRITTEN = new Set([
  'host',
  'x-forwarded-host',
  'x-forwarded-for',
  'x-forwarded-port',
  'x-forwarded-proto',
]);

/**
 * A request as the pipeline reads it. The header map (with what the gateway adds) is built on first use:
 * a cache hit reads two headers, which a scan of the raw list answers more cheaply than building the map.
 */
class ArrivedRequest implements RestRequest {
  readonly requestId: string;
  readonly extendedRequestId: string;
  readonly timeEpoch: number;
  readonly method: string;
  readonly rawPath: string;
  readonly rawQueryString: string;
  readonly queryPairs: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer | undefined;
  readonly sourceIp: string;
  readonly protocol: string;
  readonly #rawHeaders: readonly string[];
  readonly #localPort: number | undefined;
  #headers: Map<string, HeaderEntry> | undefined;
  #traceId: string | undefined;

  constructor(req: IncomingMessage, ids: RequestIds, timeEpoch: number, body: Buffer | undefined) {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q === -1 ? url : url.slice(0, q);
    this.requestId = ids.requestId;
    this.extendedRequestId = ids.extendedRequestId;
    this.timeEpoch = timeEpoch;
    this.method = req.method ?? 'GET';
    this.rawPath = rawPath.startsWith('/') ? rawPath : `/${rawPath}`;
    this.rawQueryString = q === -1 ? '' : url.slice(q + 1);
    this.queryPairs = q === -1 ? NO_QUERY : parseQuery(this.rawQueryString);
    this.body = body;
    this.sourceIp = clientIp(req);
    this.protocol = protocolOf(req);
    this.#rawHeaders = req.rawHeaders;
    this.#localPort = req.socket.localPort;
  }

  get headers(): ReadonlyMap<string, HeaderEntry> {
    this.#headers ??= this.#buildHeaders();
    return this.#headers;
  }

  get userAgent(): string | undefined {
    return this.header('user-agent');
  }

  header(lower: string): string | undefined {
    if (this.#headers === undefined) {
      if (lower === 'x-amzn-trace-id') return this.#trace();
      if (!REWRITTEN.has(lower))
        return DROPPED.has(lower) ? undefined : lastRawValue(this.#rawHeaders, lower);
    }
    const values = this.headers.get(lower)?.values;
    return values === undefined ? undefined : values[values.length - 1];
  }

  /** The client's `X-Amzn-Trace-Id`, else one generated once for this request. */
  #trace(): string {
    this.#traceId ??= lastRawValue(this.#rawHeaders, 'x-amzn-trace-id') ?? traceId(this.timeEpoch);
    return this.#traceId;
  }

  #buildHeaders(): Map<string, HeaderEntry> {
    const headers = collect(this.#rawHeaders);
    const { sourceIp } = this;
    const forwardedFor = headers.get('x-forwarded-for')?.values.join(', ');
    setOne(
      headers,
      'x-forwarded-for',
      'X-Forwarded-For',
      forwardedFor === undefined ? sourceIp : `${forwardedFor}, ${sourceIp}`,
    );
    // A function's call to the API's real https URL, redirected here by the worker's network rewrite, carries
    // the original host in x-forwarded-host: show the event what AWS would have shown.
    const forwardedHost = headers.get('x-forwarded-host')?.values[0];
    const host = headers.get('host')?.values[0];
    if (forwardedHost?.includes(EXECUTE_API) && !host?.includes(EXECUTE_API)) {
      headers.delete('x-forwarded-host');
      setOne(headers, 'host', 'Host', forwardedHost, true);
      setOne(headers, 'x-forwarded-port', 'X-Forwarded-Port', '443');
      setOne(headers, 'x-forwarded-proto', 'X-Forwarded-Proto', 'https');
    } else {
      setOne(headers, 'x-forwarded-port', 'X-Forwarded-Port', String(this.#localPort ?? ''));
      setOne(headers, 'x-forwarded-proto', 'X-Forwarded-Proto', 'http');
    }
    if (!headers.has('x-amzn-trace-id')) setOne(headers, 'x-amzn-trace-id', 'X-Amzn-Trace-Id', this.#trace());
    return headers;
  }
}

/** The last value of a header in Node's `rawHeaders` (name, value, …); `lower`: the lower-cased name. */
function lastRawValue(rawHeaders: readonly string[], lower: string): string | undefined {
  let found: string | undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    if (name.length === lower.length && name.toLowerCase() === lower) found = rawHeaders[i + 1];
  }
  return found;
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

/**
 * Random bytes for request ids, refilled every 1024 ids: `crypto.randomUUID()` refills every 128, and
 * that refill, cold code by the time it runs again, was most of its cost per request in a busy gateway.
 */
const ID_POOL = Buffer.alloc(16 * 1024);
let idOffset = ID_POOL.length;

const hex = (bytes: Buffer, i: number): string => HEX[bytes[i] as number] as string;

/** A random (version 4) UUID, as `crypto.randomUUID()` makes them. */
export function newRequestId(): string {
  if (idOffset === ID_POOL.length) {
    randomFillSync(ID_POOL);
    idOffset = 0;
  }
  const b = ID_POOL;
  const o = idOffset;
  idOffset += 16;
  const version = HEX[((b[o + 6] as number) & 0x0f) | 0x40] as string;
  const variant = HEX[((b[o + 8] as number) & 0x3f) | 0x80] as string;
  return `${hex(b, o)}${hex(b, o + 1)}${hex(b, o + 2)}${hex(b, o + 3)}-${hex(b, o + 4)}${hex(b, o + 5)}-${version}${hex(b, o + 7)}-${variant}${hex(b, o + 9)}-${hex(b, o + 10)}${hex(b, o + 11)}${hex(b, o + 12)}${hex(b, o + 13)}${hex(b, o + 14)}${hex(b, o + 15)}`;
}

/**
 * The request, or the 413 ({@link PAYLOAD_TOO_LARGE}) when the body is over the 10 MB limit: declared in
 * `Content-Length` (the body is not read), or found while reading. The rest of the upload is left unread;
 * the pipeline's `send` discards it after the answer (../request-body.ts). Synchronous without a body (a GET
 * is answered without waiting for a promise); a promise while a body is read.
 */
export function readRequest(
  req: IncomingMessage,
  ids: RequestIds,
  timeEpoch: number,
): RestRequest | RestResponse | Promise<RestRequest | RestResponse> {
  const headers = req.headers; // a getter: read once
  const length = headers['content-length'];
  if (length !== undefined && Number(length) > REQUEST_BODY_LIMIT) return PAYLOAD_TOO_LARGE;
  if ((length !== undefined && length !== '0') || headers['transfer-encoding'] !== undefined) {
    return readRequestBody(req).then((read) =>
      read === undefined
        ? PAYLOAD_TOO_LARGE
        : new ArrivedRequest(req, ids, timeEpoch, read.length > 0 ? read : undefined),
    );
  }
  return new ArrivedRequest(req, ids, timeEpoch, undefined);
}
