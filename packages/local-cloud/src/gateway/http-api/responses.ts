/**
 * What the HTTP API sends back: the gateway's own error responses (`{"message":"..."}`, texts from the
 * developer guide) and the mapping of a Lambda proxy result to an HTTP response for payload 2.0
 * (structured or inferred) and 1.0.
 */

import { validateHeaderName, validateHeaderValue } from 'node:http';
import { PAYLOAD_TOO_LARGE_CONTENT_TYPE, PAYLOAD_TOO_LARGE_TEXT } from '../request-body.js';

export type HeaderValues = Record<string, string | string[]>;

export class GatewayResponse {
  readonly status: number;
  readonly headers: HeaderValues;
  /**
   * Text (sent as UTF-8) or bytes (a base64 body, decoded). Text stays a string on purpose: Node writes a
   * string body together with the headers in one `write`, while a Buffer takes the corked `writev` path —
   * measurably slower per request — and turning the handler's string into a Buffer first costs a copy.
   */
  readonly body: string | Buffer;
  /** The body's length in bytes (`content-length`, access logs). */
  readonly bodyLength: number;
  /** For the gateway's own errors: the message (`$context.error.message` in access logs). */
  readonly errorMessage: string | undefined;
  /** True for the gateway's preflight answer, whose CORS headers are final. */
  readonly corsFinal: boolean;
  /**
   * True for an answer sent while the request body may still be arriving (the 413): the pipeline sends it,
   * then reads and discards the rest of the body before closing (`../request-body.ts#endAfterRequestBody`).
   */
  readonly drainsRequest: boolean;

  constructor(
    status: number,
    headers: HeaderValues,
    body: string | Buffer,
    options: { errorMessage?: string; corsFinal?: boolean; drainsRequest?: boolean } = {},
  ) {
    this.status = status;
    this.headers = headers;
    this.body = body;
    this.bodyLength = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
    this.errorMessage = options.errorMessage;
    this.corsFinal = options.corsFinal ?? false;
    this.drainsRequest = options.drainsRequest ?? false;
  }
}

/** An authorizer said no: the response to send and, for the access log, why. */
export class AuthorizerFailure {
  readonly response: GatewayResponse;
  readonly error: string;

  constructor(response: GatewayResponse, error: string) {
    this.response = response;
    this.error = error;
  }
}

const JSON_TYPE = 'application/json';

/** `{"message":"Not Found"}` etc. Headers are copied per response, so callers may add to them. */
export function messageResponse(status: number, message: string, headers?: HeaderValues): GatewayResponse {
  return new GatewayResponse(
    status,
    { 'content-type': JSON_TYPE, ...headers },
    `{"message":${JSON.stringify(message)}}`,
    { errorMessage: message },
  );
}

export const notFound = (): GatewayResponse => messageResponse(404, 'Not Found');
export const unauthorized = (headers?: HeaderValues): GatewayResponse =>
  messageResponse(401, 'Unauthorized', headers);
export const forbidden = (headers?: HeaderValues): GatewayResponse =>
  messageResponse(403, 'Forbidden', headers);
export const tooManyRequests = (): GatewayResponse => messageResponse(429, 'Too Many Requests');
export const internalServerError = (): GatewayResponse => messageResponse(500, 'Internal Server Error');
export const serviceUnavailable = (): GatewayResponse => messageResponse(503, 'Service Unavailable');

/**
 * Lambda refused the event, over its 6 MB synchronous request limit (§2.4 REQUEST_TOO_LARGE): 413
 * `{"message":"Request Too Long"}` with `x-amzn-errortype: BadRequestException`. Recorded for REST APIs;
 * unverified for HTTP APIs, assumed the same (in the HTTP API's compact `{"message":…}` envelope).
 */
export const requestTooLong = (): GatewayResponse =>
  messageResponse(413, 'Request Too Long', { 'x-amzn-errortype': 'BadRequestException' });

/**
 * Payloads over 10 MB. The text and content type are the ones recorded for API Gateway's 10 MB limit
 * (§2.4 of the behaviour notes; seen on a REST API, assumed the same for HTTP APIs).
 */
export const payloadTooLarge = (): GatewayResponse =>
  new GatewayResponse(
    413,
    // The connection closes after the answer — once the rest of the upload has been read (see drainsRequest).
    { 'content-type': PAYLOAD_TOO_LARGE_CONTENT_TYPE, connection: 'close' },
    PAYLOAD_TOO_LARGE_TEXT,
    { errorMessage: 'Request Entity Too Large', drainsRequest: true },
  );

/** Thrown inside the mappers; the pipeline answers 500 and logs the reason as the integration error. */
export class InvalidIntegrationResponse extends Error {}

function invalid(why: string): never {
  throw new InvalidIntegrationResponse(why);
}

/** Headers an integration may not set: the gateway owns the connection and the body framing. */
const DROPPED_RESPONSE_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive']);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function statusCodeOf(value: unknown): number {
  const status = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    return invalid(`statusCode ${JSON.stringify(value)} is not a valid HTTP status`);
  }
  return status;
}

function headerValue(name: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return invalid(`header ${name} must be a string, number or boolean`);
}

/**
 * Header names already validated. Handlers send the same few names on every response, so the name check
 * (a regular expression per header, before Node checks it again in `writeHead`) runs once per name. Bounded:
 * emptied when full, in case a handler invents names.
 */
const validHeaderNames = new Set<string>();
const VALID_HEADER_NAMES_MAX = 1024;

/** Adds a header, case-insensitively replacing an earlier one (the later definition wins). */
function setHeader(
  headers: HeaderValues,
  names: Map<string, string>,
  name: string,
  value: string | string[],
): void {
  const lower = name.toLowerCase();
  if (DROPPED_RESPONSE_HEADERS.has(lower)) return;
  try {
    if (!validHeaderNames.has(name)) {
      validateHeaderName(name);
      if (validHeaderNames.size >= VALID_HEADER_NAMES_MAX) validHeaderNames.clear();
      validHeaderNames.add(name);
    }
    if (typeof value === 'string') validateHeaderValue(name, value);
    else for (const v of value) validateHeaderValue(name, v);
  } catch {
    invalid(`header ${JSON.stringify(name)} cannot be sent over HTTP`);
  }
  const previous = names.get(lower);
  if (previous !== undefined && previous !== name) delete headers[previous];
  names.set(lower, name);
  headers[name] = value;
}

function bodyOf(body: unknown, isBase64Encoded: unknown): string | Buffer {
  if (body === undefined || body === null) return '';
  if (typeof body !== 'string') return invalid('body must be a string');
  return isBase64Encoded === true ? Buffer.from(body, 'base64') : body;
}

/**
 * Payload 2.0. A JSON object with a `statusCode` is a structured response (`statusCode`, `headers`,
 * `cookies`, `body`, `isBase64Encoded`; other keys such as `multiValueHeaders` are ignored). Anything else
 * is inferred: status 200, `content-type: application/json`, the body being the returned string as is,
 * or the JSON of any other value (`null` when the handler returned nothing — unverified).
 */
export function mapResponseV2(result: unknown): GatewayResponse {
  if (!isObject(result) || !('statusCode' in result)) {
    const body = typeof result === 'string' ? result : JSON.stringify(result ?? null);
    return new GatewayResponse(200, { 'content-type': JSON_TYPE }, body);
  }
  const status = statusCodeOf(result.statusCode);
  const headers: HeaderValues = {};
  const names = new Map<string, string>();
  const resultHeaders = result.headers;
  if (resultHeaders !== undefined && resultHeaders !== null) {
    if (!isObject(resultHeaders)) invalid('headers must be an object');
    for (const name of Object.keys(resultHeaders)) {
      setHeader(headers, names, name, headerValue(name, resultHeaders[name]));
    }
  }
  const cookies = result.cookies;
  if (cookies !== undefined && cookies !== null) {
    if (!Array.isArray(cookies) || !cookies.every((c) => typeof c === 'string')) {
      invalid('cookies must be a list of strings');
    }
    if (cookies.length > 0) {
      // Each cookie becomes its own set-cookie line, after any set-cookie from `headers`.
      const name = names.get('set-cookie') ?? 'set-cookie';
      const earlier = headers[name];
      headers[name] = earlier === undefined ? cookies : [...[earlier].flat(), ...cookies];
      names.set('set-cookie', name);
    }
  }
  return new GatewayResponse(status, headers, bodyOf(result.body, result.isBase64Encoded));
}

const V1_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

/**
 * Payload 1.0: the REST proxy format. Validation follows what REST APIs were recorded doing (a missing
 * `statusCode` means 200, a numeric string is accepted, unknown keys are invalid); unverified for HTTP APIs.
 * `multiValueHeaders` values are sent as separate header lines, followed by a `headers` value of the same
 * name (the multi-value casing wins). A base64 body is decoded (HTTP APIs have no binary media types).
 */
export function mapResponseV1(result: unknown): GatewayResponse {
  if (!isObject(result)) return invalid('the result must be a JSON object');
  for (const key of Object.keys(result)) if (!V1_KEYS.has(key)) invalid(`unexpected key ${key}`);
  const status = result.statusCode === undefined ? 200 : statusCodeOf(result.statusCode);
  const headers: HeaderValues = {};
  const names = new Map<string, string>();
  const multi = result.multiValueHeaders;
  if (multi !== undefined && multi !== null) {
    if (!isObject(multi)) invalid('multiValueHeaders must be an object');
    for (const [name, values] of Object.entries(multi)) {
      if (!Array.isArray(values)) invalid(`multiValueHeaders.${name} must be a list`);
      setHeader(
        headers,
        names,
        name,
        values.map((v: unknown) => headerValue(name, v)),
      );
    }
  }
  if (result.headers !== undefined && result.headers !== null) {
    if (!isObject(result.headers)) invalid('headers must be an object');
    for (const [name, raw] of Object.entries(result.headers)) {
      const value = headerValue(name, raw);
      const existingName = names.get(name.toLowerCase());
      const existing = existingName === undefined ? undefined : headers[existingName];
      if (existingName !== undefined && Array.isArray(existing)) existing.push(value);
      else setHeader(headers, names, name, value);
    }
  }
  return new GatewayResponse(status, headers, bodyOf(result.body, result.isBase64Encoded));
}
