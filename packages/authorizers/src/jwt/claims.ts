import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { InsufficientAccessError, InvalidTokenError } from '../errors';
import type { JwtConfig } from './config';

/**
 * Cognito-specific claim checks, run after aws-jwt-verify has checked the signature, `exp`, `nbf` and
 * `iss`. The library leaves these to us: it accepts a token without `exp`, never looks at `iat`, knows
 * `aud` but not Cognito's `client_id`, and (in the generic verifier) nothing about `token_use` or groups.
 */

/** What a verified token says about its caller. */
export interface VerifiedToken {
  readonly sub: string;
  /** `username` (access) or `cognito:username` (id); '' for client-credentials tokens, which have none. */
  readonly username: string;
  readonly tokenUse: 'access' | 'id';
  /** The app client the token was issued to: `client_id` (access) or `aud` (id). */
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly groups: readonly string[];
  readonly issuer: string;
  /** `exp`, seconds since the epoch. */
  readonly expiresAt: number;
  /** All verified claims, as issued. */
  readonly claims: Readonly<JwtPayload>;
}

function optionalString(payload: JwtPayload, name: string): string | undefined {
  const value = payload[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new InvalidTokenError('invalid_claim', `claim ${name} is not a string`);
  }
  return value;
}

function requiredString(payload: JwtPayload, name: string): string {
  const value = optionalString(payload, name);
  if (value === undefined || value.length === 0) {
    throw new InvalidTokenError('missing_claim', `claim ${name} is missing`);
  }
  return value;
}

function requiredNumber(payload: JwtPayload, name: string): number {
  const value = payload[name];
  if (value === undefined) {
    throw new InvalidTokenError('missing_claim', `claim ${name} is missing`);
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidTokenError('invalid_claim', `claim ${name} is not a number`);
  }
  return value;
}

function groupsOf(payload: JwtPayload): string[] {
  const value = payload['cognito:groups'];
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((group) => typeof group !== 'string')) {
    throw new InvalidTokenError('invalid_claim', 'claim cognito:groups is not an array of strings');
  }
  return value as string[];
}

function audienceOf(payload: JwtPayload): string[] {
  const aud = payload.aud;
  if (aud === undefined) return [];
  return typeof aud === 'string' ? [aud] : aud;
}

/**
 * Checks the claims of a token whose signature, `exp`, `nbf` and `iss` are already verified, and returns
 * what the authorizers need. Throws {@link InvalidTokenError} or {@link InsufficientAccessError}.
 */
export function checkCognitoClaims(
  payload: JwtPayload,
  config: JwtConfig,
  nowSeconds: number = Date.now() / 1000,
): VerifiedToken {
  const expiresAt = requiredNumber(payload, 'exp');
  const issuedAt = requiredNumber(payload, 'iat');
  // API Gateway's JWT authorizer requires iat before now; aws-jwt-verify does not check iat at all.
  if (issuedAt > nowSeconds + config.clockToleranceSeconds) {
    throw new InvalidTokenError('issued_in_future', 'token issued in the future (iat)');
  }
  const sub = requiredString(payload, 'sub');

  const tokenUse = payload.token_use;
  if (tokenUse !== 'access' && tokenUse !== 'id') {
    throw new InvalidTokenError('invalid_token_use', 'token_use is neither access nor id');
  }
  if (config.tokenUse !== 'any' && tokenUse !== config.tokenUse) {
    throw new InvalidTokenError('invalid_token_use', `token_use is not ${config.tokenUse}`);
  }

  // Cognito puts the app client in client_id (access) or aud (id): check the one this kind carries.
  let clientId: string;
  if (tokenUse === 'access') {
    clientId = requiredString(payload, 'client_id');
    if (!config.audience.includes(clientId)) {
      throw new InvalidTokenError('invalid_audience', 'client_id is not an accepted app client');
    }
  } else {
    const audiences = audienceOf(payload);
    const match = audiences.find((aud) => config.audience.includes(aud));
    if (match === undefined) {
      throw new InvalidTokenError(
        audiences.length === 0 ? 'missing_claim' : 'invalid_audience',
        'aud is not an accepted app client',
      );
    }
    clientId = match;
  }

  const scopeClaim = optionalString(payload, 'scope') ?? '';
  const scopes = scopeClaim.split(' ').filter((scope) => scope.length > 0);
  if (config.requiredScopes.length > 0 && !config.requiredScopes.some((scope) => scopes.includes(scope))) {
    throw new InsufficientAccessError('insufficient_scope', 'token has none of the required scopes');
  }

  const groups = groupsOf(payload);
  if (config.requiredGroups.length > 0 && !config.requiredGroups.some((group) => groups.includes(group))) {
    throw new InsufficientAccessError('missing_group', 'token is in none of the required groups');
  }

  const username = optionalString(payload, tokenUse === 'access' ? 'username' : 'cognito:username') ?? '';

  return {
    sub,
    username,
    tokenUse,
    clientId,
    scopes,
    groups,
    issuer: requiredString(payload, 'iss'),
    expiresAt,
    claims: payload,
  };
}
