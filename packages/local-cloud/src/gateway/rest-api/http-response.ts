/**
 * The response the REST gateway sends: a status, headers as ordered `[name, value]` pairs (REST keeps the
 * casing an integration chose and may repeat a name, e.g. `Set-Cookie`), and a body. Small helpers keep
 * header names case-insensitive without losing their casing.
 */
import { PAYLOAD_TOO_LARGE_CONTENT_TYPE, PAYLOAD_TOO_LARGE_TEXT } from '../request-body.js';

export type HeaderPairs = Array<[string, string]>;

export class RestResponse {
  readonly status: number;
  readonly headers: HeaderPairs;
  readonly body: Buffer;
  /** For gateway errors: `$context.error.message` and `responseType`, for the access log. */
  readonly error: { readonly message: string | null; readonly responseType: string } | undefined;

  constructor(
    status: number,
    headers: HeaderPairs,
    body: Buffer,
    error?: { readonly message: string | null; readonly responseType: string },
  ) {
    this.status = status;
    this.headers = headers;
    this.body = body;
    this.error = error;
  }
}

export function findHeader(headers: HeaderPairs, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [n, v] of headers) if (n.toLowerCase() === lower) return v;
  return undefined;
}

/** Replaces every header of that name (any casing) with one line. */
export function setHeader(headers: HeaderPairs, name: string, value: string): void {
  removeHeader(headers, name);
  headers.push([name, value]);
}

export function removeHeader(headers: HeaderPairs, name: string): void {
  const lower = name.toLowerCase();
  for (let i = headers.length - 1; i >= 0; i--) {
    if ((headers[i] as [string, string])[0].toLowerCase() === lower) headers.splice(i, 1);
  }
}

/**
 * The answer to a body over 10 MB (../request-body.ts): sent before anything else, as plain text, and not
 * customisable (§2.4, REQUEST_TOO_LARGE; the text and content type are the ones recorded from the edge).
 * One instance, never changed: `send` recognises it by identity (no flag on every response) and ends it
 * only once the rest of the upload has been read and discarded; the connection then closes.
 */
export const PAYLOAD_TOO_LARGE = new RestResponse(
  413,
  [
    ['Content-Type', PAYLOAD_TOO_LARGE_CONTENT_TYPE],
    ['Connection', 'close'],
  ],
  Buffer.from(PAYLOAD_TOO_LARGE_TEXT),
  { message: 'Request Entity Too Large', responseType: 'REQUEST_TOO_LARGE' },
);
