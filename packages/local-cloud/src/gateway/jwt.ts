/**
 * JWT validation as API Gateway's JWT authorizer does it (developer guide, "Validating JWTs"):
 * 1. the token is a compact JWS; 2. its algorithm is RSA-based (RS256/384/512) and its `kid` names a key
 * in the issuer's JWKS, which verifies the signature; 3. `iss` equals the configured issuer; 4. `aud` — or
 * `client_id` only when `aud` is absent — matches a configured audience; 5. `exp` is after, `nbf` and
 * `iat` before now. Scope checks are the caller's (they depend on the route).
 *
 * Keys come from the issuer's OIDC discovery document (`{issuer}/.well-known/openid-configuration` →
 * `jwks_uri`), falling back to `{issuer}/.well-known/jwks.json` when there is no discovery document. Key
 * sets are cached per issuer (jose's remote JWKS cache: 5 minutes, refetch on an unknown `kid` at most
 * every 30 s); AWS's own cache duration is undocumented. Fetch timeouts are AWS's 1500 ms.
 *
 * Errors are typed ({@link JwtValidationError.reason}) so each gateway maps them to its own responses.
 */
import { type CompactVerifyGetKey, compactVerify, createRemoteJWKSet, errors, type RemoteJWKSet } from 'jose';
import type { Clock } from '../clock.js';

export type JwtFailureReason =
  | 'malformed'
  | 'segments'
  | 'algorithm'
  | 'key-not-found'
  | 'signature'
  | 'jwks-unavailable'
  | 'issuer'
  | 'audience'
  | 'expired'
  | 'not-yet-valid'
  | 'issued-in-future';

export class JwtValidationError extends Error {
  readonly reason: JwtFailureReason;

  constructor(reason: JwtFailureReason, message: string) {
    super(message);
    this.name = 'JwtValidationError';
    this.reason = reason;
  }
}

/** RSA PKCS#1 v1.5 signatures only, like API Gateway ("only RSA-based algorithms"). */
export const RSA_ALGORITHMS = ['RS256', 'RS384', 'RS512'];

const FETCH_TIMEOUT_MS = 1500;

/** Resolves and caches each issuer's key set. One per gateway, shared by its JWT authorizers. */
export class JwksRegistry {
  readonly #sets = new Map<string, Promise<RemoteJWKSet>>();
  readonly #cacheMaxAgeMs: number;

  constructor(options: { cacheMaxAgeMs?: number } = {}) {
    this.#cacheMaxAgeMs = options.cacheMaxAgeMs ?? 5 * 60_000;
  }

  /** A jose key resolver for tokens from `issuer`. */
  keyResolver(issuer: string): CompactVerifyGetKey {
    return async (header, token) => {
      const jwks = await this.#jwksFor(issuer);
      return jwks(header, token);
    };
  }

  #jwksFor(issuer: string): Promise<RemoteJWKSet> {
    let set = this.#sets.get(issuer);
    if (set === undefined) {
      set = this.#discover(issuer);
      this.#sets.set(issuer, set);
      // A failed discovery (issuer not up yet) is retried on the next request instead of being cached.
      set.catch(() => this.#sets.delete(issuer));
    }
    return set;
  }

  async #discover(issuer: string): Promise<RemoteJWKSet> {
    const base = issuer.endsWith('/') ? issuer.slice(0, -1) : issuer;
    let jwksUri = `${base}/.well-known/jwks.json`;
    const response = await fetch(`${base}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
    if (response.ok) {
      const document = (await response.json()) as { jwks_uri?: unknown };
      if (typeof document.jwks_uri !== 'string') {
        throw new Error(`OIDC discovery document of ${issuer} has no jwks_uri`);
      }
      jwksUri = document.jwks_uri;
    } else if (response.status !== 404) {
      throw new Error(`OIDC discovery of ${issuer} answered ${response.status}`);
    } else {
      await response.body?.cancel();
    }
    return createRemoteJWKSet(new URL(jwksUri), {
      timeoutDuration: FETCH_TIMEOUT_MS,
      cacheMaxAge: this.#cacheMaxAgeMs,
    });
  }
}

export interface JwtVerifierConfig {
  readonly issuer: string;
  readonly audience: readonly string[];
}

export type JwtClaims = Record<string, unknown>;

export class JwtVerifier {
  readonly #config: JwtVerifierConfig;
  readonly #clock: Clock;
  readonly #getKey: CompactVerifyGetKey;

  constructor(config: JwtVerifierConfig, registry: JwksRegistry, clock: Clock) {
    this.#config = config;
    this.#clock = clock;
    const resolve = registry.keyResolver(config.issuer);
    this.#getKey = (header, token) => {
      if (typeof header.kid !== 'string')
        throw new JwtValidationError('key-not-found', 'the token has no kid');
      return resolve(header, token);
    };
  }

  /** Resolves the token's claims, or rejects with a JwtValidationError. */
  async verify(token: string): Promise<JwtClaims> {
    if (token.split('.').length !== 3) {
      throw new JwtValidationError('segments', 'token contains an invalid number of segments');
    }
    let payload: Uint8Array;
    try {
      ({ payload } = await compactVerify(token, this.#getKey, { algorithms: RSA_ALGORITHMS }));
    } catch (error) {
      throw toValidationError(error);
    }
    let claims: unknown;
    try {
      claims = JSON.parse(new TextDecoder().decode(payload));
    } catch {
      throw new JwtValidationError('malformed', 'the token payload is not JSON');
    }
    if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
      throw new JwtValidationError('malformed', 'the token payload is not a JSON object');
    }
    this.#checkClaims(claims as JwtClaims);
    return claims as JwtClaims;
  }

  #checkClaims(claims: JwtClaims): void {
    if (claims.iss !== this.#config.issuer) {
      throw new JwtValidationError(
        'issuer',
        `iss ${JSON.stringify(claims.iss)} is not ${this.#config.issuer}`,
      );
    }
    const audiences = this.#config.audience;
    const aud = claims.aud;
    const audienceOk =
      aud !== undefined
        ? (Array.isArray(aud) ? aud : [aud]).some((a) => typeof a === 'string' && audiences.includes(a))
        : typeof claims.client_id === 'string' && audiences.includes(claims.client_id);
    if (!audienceOk)
      throw new JwtValidationError('audience', 'neither aud nor client_id is a configured audience');
    const now = this.#clock.now() / 1000;
    const exp = numericDate(claims, 'exp');
    if (exp !== undefined && exp <= now) throw new JwtValidationError('expired', 'exp is in the past');
    const nbf = numericDate(claims, 'nbf');
    if (nbf !== undefined && nbf > now) throw new JwtValidationError('not-yet-valid', 'nbf is in the future');
    const iat = numericDate(claims, 'iat');
    if (iat !== undefined && iat > now)
      throw new JwtValidationError('issued-in-future', 'iat is in the future');
  }
}

function numericDate(claims: JwtClaims, name: string): number | undefined {
  const value = claims[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new JwtValidationError('malformed', `${name} is not a NumericDate`);
  }
  return value;
}

function toValidationError(error: unknown): JwtValidationError {
  if (error instanceof JwtValidationError) return error;
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new JwtValidationError('algorithm', error.message);
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return new JwtValidationError('key-not-found', error.message);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new JwtValidationError('signature', error.message);
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JOSENotSupported) {
    return new JwtValidationError('malformed', error.message);
  }
  // Discovery or JWKS fetch failures (network, timeout, bad status, invalid JWKS).
  const message = error instanceof Error ? error.message : String(error);
  return new JwtValidationError('jwks-unavailable', `could not load the issuer's keys: ${message}`);
}
