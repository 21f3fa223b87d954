/**
 * Step 1 of the pipeline: turn Node's request into the facts every later step reads — the decoded path
 * (HTTP APIs deliver `rawPath` percent-decoded), the raw query and its parameters, lower-cased
 * comma-joined headers plus the headers API Gateway adds (`x-forwarded-*`, `x-amzn-trace-id`), cookies,
 * and the body, at most 10 MB.
 */

import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { collectHeaders, parseQuery, safeDecode } from '../headers.js';
import { REQUEST_BODY_LIMIT, readRequestBody } from '../request-body.js';
import { type GatewayResponse, payloadTooLarge } from './responses.js';

export interface IncomingHttpRequest {
  readonly requestId: string;
  /** Epoch ms from the gateway's Clock. */
  readonly timeEpoch: number;
  readonly method: string;
  /** Percent-decoded path, including any stage prefix. */
  readonly path: string;
  readonly rawQueryString: string;
  /** Decoded query parameters in order. */
  readonly queryPairs: ReadonlyArray<readonly [string, string]>;
  /** Repeated names joined with `,`; undefined without a query. */
  readonly query: Readonly<Record<string, string>> | undefined;
  /** Lower-cased names, repeats joined with `,`, without `cookie`; includes the gateway-added headers. */
  readonly headers: Readonly<Record<string, string>>;
  readonly cookieHeaders: readonly string[] | undefined;
  /** Node's `rawHeaders`, for payload 1.0's `multiValueHeaders`. */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer | undefined;
  readonly sourceIp: string;
  readonly userAgent: string;
  readonly protocol: string;
  readonly origin: string | undefined;
}

const EXECUTE_API = '.execute-api.';
const TRACE_PREFIX = randomBytes(8).toString('hex');
let traceCounter = 0;
/** `Root=1-{epoch seconds hex}-{prefix}` of the current second: requests mostly share it. */
let traceSecond = Number.NaN;
let traceHead = '';

/** `Root=1-{epoch seconds hex}-{24 hex}` like the X-Ray trace ids API Gateway adds. */
function traceId(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second !== traceSecond) {
    traceSecond = second;
    traceHead = `Root=1-${second.toString(16)}-${TRACE_PREFIX}`;
  }
  traceCounter = (traceCounter + 1) >>> 0;
  return traceHead + traceCounter.toString(16).padStart(8, '0');
}

export function clientIp(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/** The percent-decoded path of the request line (what `path` holds), with its stage prefix. */
export function requestPath(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return decodedPath(q === -1 ? url : url.slice(0, q));
}

function decodedPath(rawPath: string): string {
  return safeDecode(rawPath.startsWith('/') ? rawPath : `/${rawPath}`);
}

/**
 * The request, or a 413 response when the body is over the 10 MB limit. Synchronous for a request without
 * a body (most of them: no promise, no await on the hot path); a promise when the body has to be read.
 */
export function readRequest(
  req: IncomingMessage,
  requestId: string,
  timeEpoch: number,
): IncomingHttpRequest | GatewayResponse | Promise<IncomingHttpRequest | GatewayResponse> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const { headers, cookieHeaders } = collectHeaders(req.rawHeaders);

  const length = headers['content-length'];
  // The body is not read: after the 413 the pipeline discards it (../request-body.ts#endAfterRequestBody).
  if (length !== undefined && Number(length) > REQUEST_BODY_LIMIT) return payloadTooLarge();
  if ((length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined) {
    return readRequestBody(req).then((read) => {
      if (read === undefined) return payloadTooLarge();
      const body = read.length > 0 ? read : undefined;
      return complete(req, requestId, timeEpoch, url, q, headers, cookieHeaders, body);
    });
  }
  return complete(req, requestId, timeEpoch, url, q, headers, cookieHeaders, undefined);
}

/** The rest of the request, once the body is known (the parameters are readRequest's locals). */
function complete(
  req: IncomingMessage,
  requestId: string,
  timeEpoch: number,
  url: string,
  q: number,
  headers: Record<string, string>,
  cookieHeaders: string[] | undefined,
  body: Buffer | undefined,
): IncomingHttpRequest {
  const rawPath = q === -1 ? url : url.slice(0, q);
  const rawQueryString = q === -1 ? '' : url.slice(q + 1);
  const sourceIp = clientIp(req);
  const forwarded = headers['x-forwarded-for'];
  headers['x-forwarded-for'] = forwarded === undefined ? sourceIp : `${forwarded}, ${sourceIp}`;
  // A function's call to the API's real https URL, redirected here by the worker's network rewrite, carries
  // the original host in x-forwarded-host: give the event the headers AWS would have shown.
  const forwardedHost = headers['x-forwarded-host'];
  if (forwardedHost?.includes(EXECUTE_API) && !headers.host?.includes(EXECUTE_API)) {
    headers.host = forwardedHost;
    delete headers['x-forwarded-host'];
    headers['x-forwarded-port'] = '443';
    headers['x-forwarded-proto'] = 'https';
  } else {
    headers['x-forwarded-port'] = String(req.socket.localPort ?? '');
    headers['x-forwarded-proto'] = 'http';
  }
  headers['x-amzn-trace-id'] ??= traceId(timeEpoch);

  const queryPairs = parseQuery(rawQueryString);
  let query: Record<string, string> | undefined;
  for (const [name, value] of queryPairs) {
    query ??= {};
    const previous = query[name];
    query[name] = previous === undefined ? value : `${previous},${value}`;
  }

  return {
    requestId,
    timeEpoch,
    method: req.method ?? 'GET',
    path: decodedPath(rawPath),
    rawQueryString,
    queryPairs,
    query,
    headers,
    cookieHeaders,
    rawHeaders: req.rawHeaders,
    body,
    sourceIp,
    userAgent: headers['user-agent'] ?? '',
    protocol: `HTTP/${req.httpVersion}`,
    origin: headers.origin,
  };
}
