/**
 * Redaction for everything the shared logger writes.
 *
 * It runs as the Logger's JSON replacer (see powertools.ts), so it applies to every log line — the
 * debug event dump, error stacks, and anything a handler logs by mistake — not only to the places we
 * remembered to sanitise. Two rules:
 *   1. by key: a sensitive key (header, query parameter, authorizer field) loses its whole value;
 *   2. by text: token-shaped text inside any string (a `Bearer …` credential, a JWT, `token=…` in a
 *      query string or URL) is replaced, wherever it appears.
 */

export const REDACTED = '[REDACTED]';

/**
 * Keys whose values are credentials, compared case-insensitively because REST keeps the client's
 * header casing (`Authorization`) while HTTP APIs lowercase it (`authorization`).
 * Any key containing "token" matches: `authorizationToken` (TOKEN authorizer input), `access_token`,
 * `id_token`, `refresh_token`, `X-Amz-Security-Token`, `token` itself…
 */
const SENSITIVE_KEY =
  /token|secret|password|^(authorization|proxy-authorization|cookie|cookies|set-cookie|x-api-key|api[-_]?key|identitysource|sec-websocket-protocol)$/i;

// `Bearer eyJ…`, `Basic dXNlcjpwYXNz`: keep the scheme (useful when debugging), drop the credential.
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[^\s",;]+/gi;
// A JWS/JWE anywhere in a string: base64url JSON header (`eyJ`) followed by dot-separated segments.
const JWT = /\beyJ[\w-]*\.[\w-]*(?:\.[\w-]*)*/g;
// `key=value` pairs in query strings, URLs and form bodies; the key decides (same rule as above).
const QUERY_PAIR = /(^|[?&#])([^=&?#\s]+)=([^&#\s"]*)/g;

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key);
}

/** Removes credentials from free text (query strings, URLs, error messages, stack traces). */
export function redactText(text: string): string {
  return text
    .replace(AUTH_SCHEME, `$1 ${REDACTED}`)
    .replace(JWT, REDACTED)
    .replace(QUERY_PAIR, (pair, separator: string, key: string) =>
      isSensitiveKey(safeDecode(key)) ? `${separator}${key}=${REDACTED}` : pair,
    );
}

/** `JSON.stringify` replacer: the Logger calls it for every key/value of every log line. */
export function redactionReplacer(key: string, value: unknown): unknown {
  if (key !== '' && isSensitiveKey(key) && value !== null && value !== undefined) return REDACTED;
  return typeof value === 'string' ? redactText(value) : value;
}

/** A redacted deep copy (JSON semantics), for places that are not a log line. */
export function redact(value: unknown): unknown {
  const json = JSON.stringify(value, redactionReplacer);
  return json === undefined ? undefined : JSON.parse(json);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
