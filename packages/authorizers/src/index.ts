export {
  authorizeHttp,
  authorizeRequest,
  authorizeToken,
  type HttpAuthorizerInput,
  type RequestAuthorizerInput,
  type SimpleAllowResult,
} from './authorizers';
export {
  AuthorizerConfigError,
  AuthorizerError,
  type DenyReason,
  InsufficientAccessError,
  InvalidTokenError,
  JwksUnavailableError,
  MissingTokenError,
} from './errors';
export { checkCognitoClaims, type VerifiedToken } from './jwt/claims';
export {
  type AuthorizerConfig,
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  DEFAULT_QUERY_PARAMETER,
  type JwtConfig,
  parseAuthorizerConfig,
  parseJwtConfig,
  type TokenUse,
} from './jwt/config';
export { assertFetchableUrl, createFetchJwksFetcher, isLoopbackHost } from './jwt/fetcher';
export { ALLOWED_ALGORITHM, MAX_TOKEN_LENGTH } from './jwt/precheck';
export { createTokenVerifier, type TokenVerifier, type TokenVerifierOptions } from './jwt/verifier';
export {
  type DenialFields,
  type DenialLogger,
  denialFields,
  logDenial,
  orNotAuthorized,
  orUnauthorized,
  UNAUTHORIZED,
} from './outcome';
export {
  type AllowResult,
  type AuthorizerContext,
  allowPolicy,
  authorizerContext,
  policyDocument,
  stageWildcardResource,
} from './policy';
export { type AuthorizerRuntime, authorizerRuntime, resetAuthorizerRuntime } from './runtime';
export { parseBearerHeader, type RequestTokenSource, tokenFromRequest } from './token';
