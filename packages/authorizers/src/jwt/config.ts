import { AuthorizerConfigError } from '../errors';
import { assertFetchableUrl } from './fetcher';

/** Which Cognito token a verifier accepts. `any` = access or id (never anything else). */
export type TokenUse = 'access' | 'id' | 'any';

export interface JwtConfig {
  /** Exact `iss` value, e.g. `https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123`. */
  readonly issuer: string;
  /** Where the signing keys are published; https, or http on a loopback host (local cloud). */
  readonly jwksUri: string;
  /** App client ids; matched against `client_id` (access tokens) or `aud` (id tokens). Never empty. */
  readonly audience: readonly string[];
  readonly tokenUse: TokenUse;
  /** Any-of: the token's `scope` must contain at least one. Empty = no scope requirement. */
  readonly requiredScopes: readonly string[];
  /** Any-of: the token's `cognito:groups` must contain at least one. Empty = no group requirement. */
  readonly requiredGroups: readonly string[];
  /** Leeway for `exp`, `nbf` and `iat` against the local clock. */
  readonly clockToleranceSeconds: number;
}

/** Configuration of the REQUEST / HTTP authorizers: the JWT settings plus where else a token may be. */
export interface AuthorizerConfig {
  readonly jwt: JwtConfig;
  /** Query-string parameter that may carry the token (WebSocket `$connect`); case-sensitive. */
  readonly queryParameter: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** Clock skew between the issuer and this function; `iat` is floored to whole seconds as well. */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 5;
export const DEFAULT_QUERY_PARAMETER = 'token';

const TOKEN_USES: readonly TokenUse[] = ['access', 'id', 'any'];

function list(value: string | undefined): string[] {
  return [...new Set((value ?? '').split(/[\s,]+/).filter((item) => item.length > 0))];
}

function nonEmpty(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/**
 * Reads the JWT settings from environment variables. Throws {@link AuthorizerConfigError} naming the
 * variable at fault; the error never echoes a value.
 *
 * - `JWT_ISSUER` (required): exact `iss`; an absolute http(s) URL.
 * - `JWT_JWKS_URI`: default `${JWT_ISSUER}/.well-known/jwks.json` (Cognito's layout, and the local cloud's).
 * - `JWT_AUDIENCE` (required): comma/space separated app client ids.
 * - `JWT_TOKEN_USE`: `access` (default) | `id` | `any`.
 * - `JWT_REQUIRED_SCOPES`, `JWT_REQUIRED_GROUPS`: comma/space separated, any-of.
 */
export function parseJwtConfig(env: Env = process.env): JwtConfig {
  const issuer = nonEmpty(env, 'JWT_ISSUER');
  if (!issuer) {
    throw new AuthorizerConfigError('JWT_ISSUER is required');
  }
  let issuerUrl: URL;
  try {
    issuerUrl = new URL(issuer);
  } catch {
    throw new AuthorizerConfigError('JWT_ISSUER must be an absolute URL');
  }
  if (issuerUrl.protocol !== 'https:' && issuerUrl.protocol !== 'http:') {
    throw new AuthorizerConfigError('JWT_ISSUER must be an http(s) URL');
  }

  const jwksUri = nonEmpty(env, 'JWT_JWKS_URI') ?? `${issuer.replace(/\/+$/, '')}/.well-known/jwks.json`;
  try {
    assertFetchableUrl(jwksUri);
  } catch (error) {
    const why = error instanceof Error ? error.message : 'invalid URL';
    throw new AuthorizerConfigError(`JWT_JWKS_URI (or the default derived from JWT_ISSUER): ${why}`);
  }

  // Required on purpose: without it, a token minted for ANY app client of the user pool would pass.
  const audience = list(env.JWT_AUDIENCE);
  if (audience.length === 0) {
    throw new AuthorizerConfigError('JWT_AUDIENCE is required (comma-separated app client ids)');
  }

  const tokenUse = (nonEmpty(env, 'JWT_TOKEN_USE') ?? 'access') as TokenUse;
  if (!TOKEN_USES.includes(tokenUse)) {
    throw new AuthorizerConfigError('JWT_TOKEN_USE must be one of access, id, any');
  }

  return {
    issuer,
    jwksUri,
    audience,
    tokenUse,
    requiredScopes: list(env.JWT_REQUIRED_SCOPES),
    requiredGroups: list(env.JWT_REQUIRED_GROUPS),
    clockToleranceSeconds: DEFAULT_CLOCK_TOLERANCE_SECONDS,
  };
}

/** {@link parseJwtConfig} plus `JWT_QUERY_PARAMETER` (default `token`). */
export function parseAuthorizerConfig(env: Env = process.env): AuthorizerConfig {
  const queryParameter = nonEmpty(env, 'JWT_QUERY_PARAMETER') ?? DEFAULT_QUERY_PARAMETER;
  return { jwt: parseJwtConfig(env), queryParameter };
}
