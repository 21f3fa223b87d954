/**
 * Explicit responses. A handler returns either a plain value (→ 200 with that value as JSON, or 204 when
 * it returns nothing) or one of these when it needs another status or headers. The factories turn an
 * `HttpResponse` into the protocol's result shape (REST, HTTP API, WebSocket).
 */

export type ResponseHeaders = Readonly<Record<string, string>>;

/**
 * A class rather than a `{ statusCode, body }` literal: a domain object that happens to have a
 * `statusCode` field must still be serialised as data, so explicit responses are recognised by type.
 */
export class HttpResponse {
  readonly statusCode: number;
  /** Already serialised; `undefined` means no body. */
  readonly body: string | undefined;
  readonly headers: ResponseHeaders;

  constructor(statusCode: number, body: string | undefined, headers: ResponseHeaders = {}) {
    this.statusCode = statusCode;
    this.body = body;
    this.headers = headers;
  }
}

/** A JSON response: `json(201, note, { Location: `/notes/${note.id}` })`. */
export function json(statusCode: number, body: unknown, headers: ResponseHeaders = {}): HttpResponse {
  return new HttpResponse(
    statusCode,
    JSON.stringify(body),
    withDefault(headers, 'Content-Type', 'application/json'),
  );
}

/** 204 No Content (e.g. after a DELETE). */
export function noContent(headers: ResponseHeaders = {}): HttpResponse {
  return new HttpResponse(204, undefined, headers);
}

/** What a handler returned → a response: explicit responses pass through, `undefined` → 204, data → 200 JSON. */
export function toHttpResponse(value: unknown): HttpResponse {
  if (value instanceof HttpResponse) return value;
  if (value === undefined) return noContent();
  return json(200, value);
}

// Header names are case-insensitive: a caller's `content-type` must replace our default, not duplicate it.
function withDefault(headers: ResponseHeaders, name: string, value: string): ResponseHeaders {
  const lower = name.toLowerCase();
  return Object.keys(headers).some((key) => key.toLowerCase() === lower)
    ? headers
    : { [name]: value, ...headers };
}
