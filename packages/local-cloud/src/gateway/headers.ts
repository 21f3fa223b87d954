/**
 * Request header and query string helpers shared by the gateways. They read Node's `rawHeaders` (name,
 * value, name, value, …) instead of `req.headers`, because Node silently drops duplicates of some headers
 * (`authorization`, `user-agent`, …) and joins others with `, ` while API Gateway joins with `,`.
 */

/** Connection-level headers that API Gateway never forwards to an integration. */
export const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

export interface CollectedHeaders {
  /** Lower-cased names; repeated headers joined with `,` (HTTP API payload 2.0 style). No `cookie`. */
  readonly headers: Record<string, string>;
  /** The `cookie` header values, in order (undefined when there is none). */
  readonly cookieHeaders: string[] | undefined;
}

/** One pass over `rawHeaders`: lower-cases names, joins repeats with `,`, sets `cookie` aside. */
export function collectHeaders(rawHeaders: readonly string[]): CollectedHeaders {
  const headers: Record<string, string> = {};
  let cookieHeaders: string[] | undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    const value = rawHeaders[i + 1] as string;
    if (name === 'cookie') {
      if (cookieHeaders === undefined) cookieHeaders = [value];
      else cookieHeaders.push(value);
      continue;
    }
    if (HOP_BY_HOP.has(name) || name === '__proto__') continue;
    const previous = headers[name];
    headers[name] = previous === undefined ? value : `${previous},${value}`;
  }
  return { headers, cookieHeaders };
}

/** `Cookie: a=1; b=2` headers → `['a=1', 'b=2']` (HTTP API's `cookies` field). */
export function splitCookies(cookieHeaders: readonly string[]): string[] {
  const cookies: string[] = [];
  for (const header of cookieHeaders) {
    for (const part of header.split(';')) {
      const cookie = part.trim();
      if (cookie !== '') cookies.push(cookie);
    }
  }
  return cookies;
}

/** Percent-decodes; a malformed escape leaves the input as it was (AWS's handling is undocumented). */
export function safeDecode(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Splits a raw query string into decoded `[name, value]` pairs, in order. `+` stays `+` (only `%xx` is
 * decoded; unverified against AWS). A parameter without `=` has the value `''`.
 */
export function parseQuery(rawQuery: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  if (rawQuery === '') return pairs;
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = safeDecode(eq === -1 ? part : part.slice(0, eq));
    if (name === '__proto__') continue;
    pairs.push([name, eq === -1 ? '' : safeDecode(part.slice(eq + 1))]);
  }
  return pairs;
}

/** `Content-Type` without parameters, lower-cased: `Application/JSON; charset=utf-8` → `application/json`. */
export function mediaType(contentType: string | undefined): string {
  if (contentType === undefined) return '';
  const semi = contentType.indexOf(';');
  return (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
}
