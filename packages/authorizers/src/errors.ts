/**
 * Typed errors of the authorizers package.
 *
 * Everything this package throws on purpose is an {@link AuthorizerError}; callers branch on the class
 * (what kind of failure) and log the {@link AuthorizerError.reason} (a stable, machine-readable code).
 *
 * Messages are fixed texts chosen here. They never contain the token, nor any part of it: errors end up in
 * logs, and a bearer token in a log is a credential in a log. The errors of aws-jwt-verify are translated,
 * never wrapped as `cause` (a JSON parse error there quotes the decoded token text).
 *
 * ```
 * AuthorizerError
 * ├── MissingTokenError        the request carries no usable bearer token          (client: 401)
 * ├── InvalidTokenError        the token is malformed, forged, expired or not ours (client: 401)
 * ├── InsufficientAccessError  the token is valid but lacks a required scope/group (client: 401 or 403)
 * ├── JwksUnavailableError     the signing keys could not be fetched or parsed     (server side)
 * └── AuthorizerConfigError    the environment configuration is unusable            (server side)
 * ```
 */

export type MissingTokenReason =
  | 'missing_token'
  | 'unsupported_scheme'
  | 'malformed_authorization'
  | 'ambiguous_token';

export type InvalidTokenReason =
  | 'token_too_large'
  | 'malformed_token'
  | 'unsupported_algorithm'
  | 'unsupported_header'
  | 'missing_kid'
  | 'unknown_kid'
  | 'invalid_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'issued_in_future'
  | 'invalid_issuer'
  | 'invalid_audience'
  | 'invalid_token_use'
  | 'missing_claim'
  | 'invalid_claim'
  | 'unverifiable';

export type InsufficientAccessReason = 'insufficient_scope' | 'missing_group';

export type JwksUnavailableReason = 'jwks_unavailable' | 'jwks_invalid';

export type ConfigReason = 'invalid_config';

export type DenyReason =
  | MissingTokenReason
  | InvalidTokenReason
  | InsufficientAccessReason
  | JwksUnavailableReason
  | ConfigReason;

/** Base class: every failure this package reports on purpose, with its kind of reason. */
export abstract class AuthorizerError<Reason extends DenyReason = DenyReason> extends Error {
  /** Stable code for logs and metrics. */
  readonly reason: Reason;
  /** True when the fault is on our side (keys unreachable, bad configuration), not the caller's. */
  abstract readonly serverFault: boolean;
  constructor(reason: Reason, message: string) {
    super(message);
    this.reason = reason;
  }
}

/** The request carries no usable bearer token (absent, wrong scheme, two of them …). */
export class MissingTokenError extends AuthorizerError<MissingTokenReason> {
  override readonly name = 'MissingTokenError';
  readonly serverFault = false;
}

/** The token is malformed, its signature or algorithm is wrong, or one of its claims is unacceptable. */
export class InvalidTokenError extends AuthorizerError<InvalidTokenReason> {
  override readonly name = 'InvalidTokenError';
  readonly serverFault = false;
  /** Class name of the underlying aws-jwt-verify error, for logs (never its message). */
  readonly detail: string | undefined;
  constructor(reason: InvalidTokenReason, message: string, detail?: string) {
    super(reason, message);
    this.detail = detail;
  }
}

/** The token is genuine and current, but lacks every required scope or every required group. */
export class InsufficientAccessError extends AuthorizerError<InsufficientAccessReason> {
  override readonly name = 'InsufficientAccessError';
  readonly serverFault = false;
}

/** The JWKS could not be fetched (network, status, timeout, size) or is not a usable key set. */
export class JwksUnavailableError extends AuthorizerError<JwksUnavailableReason> {
  override readonly name = 'JwksUnavailableError';
  readonly serverFault = true;
}

/** The environment variables do not describe a usable verifier. */
export class AuthorizerConfigError extends AuthorizerError<ConfigReason> {
  override readonly name = 'AuthorizerConfigError';
  readonly serverFault = true;
  constructor(message: string) {
    super('invalid_config', message);
  }
}
