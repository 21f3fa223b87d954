import { InvalidTokenError } from '../errors';

/**
 * Checks on the raw token that run before any key lookup or signature work: cheap, and they keep
 * oversized or exotic input away from JSON parsing, JWKS fetching and crypto.
 */

/**
 * Upper bound for a token. Cognito tokens are 1–4 KB; API Gateway caps a REST request's headers near 10 KB.
 * Larger input is refused before it is decoded.
 */
export const MAX_TOKEN_LENGTH = 10_240;

/** JWS compact serialisation, base64url without padding: exactly three parts, the signature non-empty. */
const JWS_COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** The only algorithm Cognito signs with, and the only one we accept (no `none`, no HS*, no EC). */
export const ALLOWED_ALGORITHM = 'RS256';

function decodeSegment(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Throws {@link InvalidTokenError} unless `token` looks like an RS256 JWS with a `kid` and no `crit`. */
export function precheckToken(token: string): void {
  if (token.length > MAX_TOKEN_LENGTH) {
    throw new InvalidTokenError('token_too_large', `token longer than ${MAX_TOKEN_LENGTH} characters`);
  }
  if (!JWS_COMPACT.test(token)) {
    throw new InvalidTokenError('malformed_token', 'token is not a signed JWT in compact form');
  }
  const header = decodeSegment(token.slice(0, token.indexOf('.')));
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new InvalidTokenError('malformed_token', 'token header is not a JSON object');
  }
  const fields = header as Record<string, unknown>;
  if (fields.alg !== ALLOWED_ALGORITHM) {
    throw new InvalidTokenError('unsupported_algorithm', `token algorithm is not ${ALLOWED_ALGORITHM}`);
  }
  // RFC 7515 §4.1.11: a recipient that does not understand every listed extension must reject the token.
  // We understand none (Cognito never sets `crit`).
  if ('crit' in fields) {
    throw new InvalidTokenError('unsupported_header', 'token header has critical extensions (crit)');
  }
  if (typeof fields.kid !== 'string' || fields.kid.length === 0) {
    throw new InvalidTokenError('missing_kid', 'token header has no key id (kid)');
  }
}
