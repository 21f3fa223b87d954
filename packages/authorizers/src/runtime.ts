import { type AuthorizerConfig, type Env, parseAuthorizerConfig } from './jwt/config';
import { createTokenVerifier, type TokenVerifier } from './jwt/verifier';

/**
 * The container-wide authorizer state: configuration read from the environment and ONE verifier, whose
 * JWKS cache must outlive the invocation (rebuilding it per call would refetch the keys on every request).
 *
 * Built lazily on the first invocation rather than at import, so that a configuration error surfaces as a
 * logged denial of that request (not as a failed cold start), and tests can set the environment first.
 * A failed build is not cached: the next invocation tries again.
 */
export interface AuthorizerRuntime {
  readonly config: AuthorizerConfig;
  readonly verifier: TokenVerifier;
}

let runtime: AuthorizerRuntime | undefined;

export function authorizerRuntime(env: Env = process.env): AuthorizerRuntime {
  if (!runtime) {
    const config = parseAuthorizerConfig(env);
    runtime = { config, verifier: createTokenVerifier(config.jwt) };
  }
  return runtime;
}

/** Forget the container-wide state (tests only: a real container never changes its environment). */
export function resetAuthorizerRuntime(): void {
  runtime = undefined;
}
