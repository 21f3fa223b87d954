import { InvalidTokenError, MissingTokenError } from './errors';
import { MAX_TOKEN_LENGTH } from './jwt/precheck';

/**
 * Finding the bearer token in an authorizer event. Nothing here verifies anything; it only decides which
 * single string to hand to the verifier, and refuses when there is none or more than one.
 */

type StringMap = Readonly<Record<string, string | undefined>> | null | undefined;
type MultiMap = Readonly<Record<string, readonly string[] | undefined>> | null | undefined;

/** RFC 6750 §2.1: `Bearer` (any case), one or more spaces, one token without whitespace. */
const BEARER = /^Bearer +(\S+)$/i;

/**
 * Extracts the token from an `Authorization` header value (`Bearer <jwt>`).
 * A bare token without the scheme is refused: the header must say what it carries.
 */
export function parseBearerHeader(value: string | undefined | null): string {
  if (value === undefined || value === null || value.trim() === '') {
    throw new MissingTokenError('missing_token', 'no Authorization header');
  }
  // Before any regex work: a header this long cannot carry an acceptable token.
  if (value.length > MAX_TOKEN_LENGTH + 16) {
    throw new InvalidTokenError('token_too_large', `token longer than ${MAX_TOKEN_LENGTH} characters`);
  }
  const scheme = value.trim().split(/\s+/, 1)[0] ?? '';
  if (scheme.toLowerCase() !== 'bearer') {
    throw new MissingTokenError('unsupported_scheme', 'Authorization scheme is not Bearer');
  }
  const match = BEARER.exec(value);
  if (!match?.[1]) {
    throw new MissingTokenError('malformed_authorization', 'Authorization is not "Bearer <token>"');
  }
  return match[1];
}

/** All values of a header, matching the name case-insensitively, from both maps (deduplicated). */
function headerValues(name: string, headers: StringMap, multiValueHeaders: MultiMap): string[] {
  const wanted = name.toLowerCase();
  const values = new Set<string>();
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) values.add(value);
  }
  for (const [key, list] of Object.entries(multiValueHeaders ?? {})) {
    if (key.toLowerCase() === wanted) for (const value of list ?? []) values.add(value);
  }
  return [...values];
}

/** All values of a query parameter (names are case-sensitive, as in API Gateway), deduplicated. */
function queryValues(name: string, query: StringMap, multiValueQuery: MultiMap): string[] {
  const values = new Set<string>();
  const single = query?.[name];
  if (single !== undefined) values.add(single);
  for (const value of multiValueQuery?.[name] ?? []) values.add(value);
  return [...values];
}

export interface RequestTokenSource {
  headers?: StringMap;
  multiValueHeaders?: MultiMap;
  queryStringParameters?: StringMap;
  multiValueQueryStringParameters?: MultiMap;
}

/**
 * The token of a REQUEST-style event: the `Authorization` header (`Bearer <jwt>`, name matched in any
 * case) if the request has one, else the query-string parameter `queryParameter` (the bare JWT; the way a
 * browser authenticates a WebSocket `$connect`, since it cannot set headers there).
 *
 * A present header always wins and is never second-guessed with the query string. Two different values
 * for the same source are refused (`ambiguous_token`) rather than picking one.
 */
export function tokenFromRequest(source: RequestTokenSource, queryParameter: string): string {
  const headers = headerValues('authorization', source.headers, source.multiValueHeaders);
  if (headers.length > 1) {
    throw new MissingTokenError('ambiguous_token', 'more than one Authorization header');
  }
  if (headers.length === 1) return parseBearerHeader(headers[0]);

  const fromQuery = queryValues(
    queryParameter,
    source.queryStringParameters,
    source.multiValueQueryStringParameters,
  );
  if (fromQuery.length > 1) {
    throw new MissingTokenError('ambiguous_token', 'more than one token query parameter');
  }
  const token = fromQuery[0];
  if (token === undefined || token.trim() === '') {
    throw new MissingTokenError('missing_token', 'no Authorization header and no token query parameter');
  }
  return token;
}
