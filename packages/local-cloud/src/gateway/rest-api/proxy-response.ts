/**
 * Lambda proxy output → HTTP response, with the validation recorded against AWS (§5.2):
 *
 * - only `statusCode`, `headers`, `multiValueHeaders`, `body`, `isBase64Encoded` are allowed; any other key,
 *   a non-object result (a string, `null`), a non-numeric `statusCode` or a `multiValueHeaders` value that is
 *   not a list is invalid (→ 502 `Internal server error`);
 * - `statusCode` may be a numeric string; without one the status is 200;
 * - header values may be strings, numbers or booleans (`true` → `true`); `headers: null` is fine;
 * - `multiValueHeaders` and `headers` of the same name (any casing) are merged, the multi-value casing and
 *   values first — one header line per value, which clients read as `value1, value2`;
 * - `isBase64Encoded: true` decodes the body only when the request's `Accept` names a binary media type;
 *   otherwise the body is sent as it is, still base64 (recorded);
 * - `Content-Type: application/json` is added when the function sets none;
 * - `Connection`, `Content-Length`, `Date`, `Server` are remapped to `x-amzn-Remapped-*`;
 *   `Transfer-Encoding` is dropped (the gateway frames the body).
 *
 * Chosen where unverified: a `null` header value is skipped; a non-string `body` is invalid.
 */
import { validateHeaderName, validateHeaderValue } from 'node:http';
import { isBinaryMediaType } from './events.js';
import { findHeader, type HeaderPairs, RestResponse } from './http-response.js';

export class InvalidProxyResponse extends Error {}

const invalid = (why: string): never => {
  throw new InvalidProxyResponse(why);
};

const ALLOWED_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);
const REMAPPED: Readonly<Record<string, string>> = {
  connection: 'Connection',
  'content-length': 'Content-Length',
  date: 'Date',
  server: 'Server',
};
const DROPPED = new Set(['transfer-encoding']);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function statusOf(value: unknown): number {
  if (value === undefined || value === null) return 200;
  const status = typeof value === 'string' && /^\d{3}$/.test(value.trim()) ? Number(value) : value;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    return invalid(`statusCode ${JSON.stringify(value)} is not an HTTP status`);
  }
  return status;
}

function headerValue(name: string, value: unknown): string | undefined {
  if (value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return invalid(`header ${name} must be a string, number or boolean`);
}

/** The first media range of `Accept`, for the binary decision. */
function firstAccepted(accept: string | undefined): string | undefined {
  if (accept === undefined) return undefined;
  return accept.split(',')[0]?.trim();
}

export interface ProxyResponseOptions {
  readonly binaryMediaTypes: readonly string[];
  /** The request's `Accept` header. */
  readonly accept: string | undefined;
}

export function mapProxyResponse(result: unknown, options: ProxyResponseOptions): RestResponse {
  if (!isObject(result)) return invalid('the result is not a JSON object');
  for (const key of Object.keys(result)) if (!ALLOWED_KEYS.has(key)) invalid(`unexpected key ${key}`);
  const status = statusOf(result.statusCode);

  // lower-cased name → [name as first given, values]
  const merged = new Map<string, [string, string[]]>();
  const add = (name: string, value: string | undefined): void => {
    if (value === undefined) return;
    const lower = name.toLowerCase();
    const entry = merged.get(lower);
    if (entry === undefined) merged.set(lower, [name, [value]]);
    else entry[1].push(value);
  };
  const multi = result.multiValueHeaders;
  if (multi !== undefined && multi !== null) {
    if (!isObject(multi)) invalid('multiValueHeaders must be an object');
    for (const [name, values] of Object.entries(multi as Record<string, unknown>)) {
      if (values === null) continue;
      if (!Array.isArray(values)) invalid(`multiValueHeaders.${name} must be a list`);
      for (const v of values as unknown[]) add(name, headerValue(name, v));
    }
  }
  const single = result.headers;
  if (single !== undefined && single !== null) {
    if (!isObject(single)) invalid('headers must be an object');
    for (const [name, v] of Object.entries(single as Record<string, unknown>))
      add(name, headerValue(name, v));
  }

  const headers: HeaderPairs = [];
  for (const [lower, [name, values]] of merged) {
    if (DROPPED.has(lower)) continue;
    const remapped = REMAPPED[lower];
    const sent = remapped === undefined ? name : `x-amzn-Remapped-${remapped}`;
    try {
      validateHeaderName(sent);
      for (const value of values) validateHeaderValue(sent, value);
    } catch {
      invalid(`header ${JSON.stringify(name)} cannot be sent over HTTP`);
    }
    for (const value of values) headers.push([sent, value]);
  }
  if (findHeader(headers, 'content-type') === undefined) headers.push(['Content-Type', 'application/json']);

  const { body, isBase64Encoded } = result;
  if (body !== undefined && body !== null && typeof body !== 'string') invalid('body must be a string');
  let bytes: Buffer;
  if (typeof body !== 'string' || body === '') bytes = Buffer.alloc(0);
  else if (
    isBase64Encoded === true &&
    isBinaryMediaType(options.binaryMediaTypes, firstAccepted(options.accept))
  ) {
    bytes = Buffer.from(body, 'base64');
  } else bytes = Buffer.from(body, 'utf8');
  return new RestResponse(status, headers, bytes);
}
