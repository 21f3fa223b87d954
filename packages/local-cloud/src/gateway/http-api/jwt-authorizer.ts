/**
 * The HTTP API JWT authorizer: token from the identity source (bare or `Bearer <token>`), validated by the
 * shared JwtVerifier, then the route's scopes (any one of them must be in the token's `scope` or `scp`).
 *
 * Responses: missing token → 401 `{"message":"Unauthorized"}`; invalid token → 401 with
 * `www-authenticate: Bearer scope="<route scopes>" error="invalid_token" error_description="<why>"`;
 * no matching scope → 403 `{"message":"Forbidden"}`. Only some texts are known from AWS (marked below);
 * the others, the 403 and the absent header on a missing token are this emulator's choices (unverified).
 *
 * Claims reach the integration as strings, the way API Gateway renders them (a Go-style `fmt` of each
 * value): numbers and booleans as text, arrays as `[a b c]`, objects as JSON text (unverified), null
 * claims left out (unverified).
 */
import type { Clock } from '../../clock.js';
import { type JwksRegistry, type JwtFailureReason, JwtValidationError, JwtVerifier } from '../jwt.js';
import type { Exchange } from './compile.js';
import type { JwtAuthorizerConfig } from './config.js';
import type { Authorization } from './events.js';
import { compileIdentitySource, type IdentitySource } from './identity-source.js';
import { AuthorizerFailure, forbidden, unauthorized } from './responses.js';

const DESCRIPTIONS: Readonly<Record<JwtFailureReason, string>> = {
  audience: 'the token does not have a valid audience', // developer guide
  expired: 'the token has expired', // seen in a real AWS response
  segments: 'token contains an invalid number of segments', // seen in a real AWS response
  malformed: 'the token is malformed', // unverified
  algorithm: 'the token is signed with an unsupported algorithm', // unverified
  'key-not-found': "the token's key id is not in the issuer's JWKS", // unverified
  signature: 'the token has an invalid signature', // unverified
  'jwks-unavailable': "unable to retrieve the issuer's JWKS", // unverified
  issuer: 'the token does not have a valid issuer', // unverified
  'not-yet-valid': 'the token is not valid yet', // unverified
  'issued-in-future': 'the token was issued in the future', // unverified
};

/** A claim value as API Gateway passes it on; undefined drops the claim. */
function claimString(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    return `[${value.map((v) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v))).join(' ')}]`;
  }
  return JSON.stringify(value);
}

export function stringifyClaims(claims: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    const text = claimString(value);
    if (text !== undefined) out[name] = text;
  }
  return out;
}

/** The token's scopes from `scope` (space-separated) and `scp` (list or space-separated). */
function tokenScopes(claims: Readonly<Record<string, unknown>>): Set<string> {
  const scopes = new Set<string>();
  for (const value of [claims.scope, claims.scp]) {
    const list = typeof value === 'string' ? value.split(/\s+/) : Array.isArray(value) ? value : [];
    for (const scope of list) if (typeof scope === 'string' && scope !== '') scopes.add(scope);
  }
  return scopes;
}

const BEARER = /^bearer\s+/i;

export class JwtAuthorizer {
  readonly id: string;
  readonly #verifier: JwtVerifier;
  readonly #source: IdentitySource;

  constructor(config: JwtAuthorizerConfig, jwks: JwksRegistry, clock: Clock) {
    this.id = config.id;
    if (config.identitySource.length !== 1)
      throw new Error('a JWT authorizer takes exactly one identity source');
    if (!/^https?:\/\/./.test(config.issuer))
      throw new Error(`issuer ${config.issuer} is not an http(s) URL`);
    if (config.audience.length === 0) throw new Error('a JWT authorizer needs at least one audience');
    this.#source = compileIdentitySource(config.identitySource[0] as string);
    this.#verifier = new JwtVerifier({ issuer: config.issuer, audience: config.audience }, jwks, clock);
  }

  async authorize(x: Exchange, routeScopes: readonly string[]): Promise<Authorization | AuthorizerFailure> {
    const value = this.#source(x);
    if (value === undefined) return new AuthorizerFailure(unauthorized(), 'missing identity source');
    const scopeAttribute = `scope="${routeScopes.join(' ')}"`;
    let claims: Record<string, unknown>;
    try {
      claims = await this.#verifier.verify(value.replace(BEARER, ''));
    } catch (error) {
      if (!(error instanceof JwtValidationError)) throw error;
      const description = DESCRIPTIONS[error.reason];
      return new AuthorizerFailure(
        unauthorized({
          'www-authenticate': `Bearer ${scopeAttribute} error="invalid_token" error_description="${description}"`,
        }),
        `${description} (${error.message})`,
      );
    }
    let scopes: string[] | null = null;
    if (routeScopes.length > 0) {
      const granted = tokenScopes(claims);
      scopes = routeScopes.filter((scope) => granted.has(scope));
      if (scopes.length === 0) {
        return new AuthorizerFailure(
          forbidden({
            'www-authenticate': `Bearer ${scopeAttribute} error="insufficient_scope" error_description="the token does not have a required scope"`,
          }),
          'the token does not have a required scope',
        );
      }
    }
    return { kind: 'jwt', claims: stringifyClaims(claims), scopes };
  }
}
