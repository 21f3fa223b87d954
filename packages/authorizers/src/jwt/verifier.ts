import { JwtVerifier } from 'aws-jwt-verify';
import {
  FetchError,
  JwkInvalidKtyError,
  JwkInvalidUseError,
  JwksValidationError,
  JwkValidationError,
  JwtExpiredError,
  JwtInvalidIssuerError,
  JwtInvalidSignatureAlgorithmError,
  JwtInvalidSignatureError,
  JwtNotBeforeError,
  JwtParseError,
  JwtWithoutValidKidError,
  KidNotFoundInJwksError,
  ParameterValidationError,
  WaitPeriodNotYetEndedJwkError,
} from 'aws-jwt-verify/error';
import type { Fetcher } from 'aws-jwt-verify/https';
import type { JwksCache } from 'aws-jwt-verify/jwk';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { AuthorizerConfigError, AuthorizerError, InvalidTokenError, JwksUnavailableError } from '../errors';
import { checkCognitoClaims, type VerifiedToken } from './claims';
import type { JwtConfig } from './config';
import { createFetchJwksFetcher } from './fetcher';
import { precheckToken } from './precheck';

/**
 * Verifies Cognito-shaped RS256 JWTs (access and/or id tokens) of one issuer.
 *
 * Build it once per container and keep it: it holds the JWKS cache (keys are fetched on first use and
 * again only when a token names an unknown `kid`, e.g. after key rotation; aws-jwt-verify's penalty box
 * then allows one refetch per 10 s) and the parsed public keys.
 */
export interface TokenVerifier {
  readonly config: JwtConfig;
  /** Resolves to the verified token, or rejects with an {@link AuthorizerError}. Never echoes the token. */
  verify(token: string): Promise<VerifiedToken>;
}

export interface TokenVerifierOptions {
  /** Defaults to a `SimpleJwksCache` over {@link createFetchJwksFetcher}. */
  jwksCache?: JwksCache;
  /** Used only when `jwksCache` is not given. */
  fetcher?: Fetcher;
}

type ErrorClass = abstract new (...args: never[]) => Error;
type InvalidReason = ConstructorParameters<typeof InvalidTokenError>[0];

/**
 * aws-jwt-verify error class → our reason. The class name is spelled out (not read from the error): the
 * library's errors all report `name` "Error", and minified bundles rename classes.
 */
const INVALID_TOKEN_ERRORS: readonly [ErrorClass, InvalidReason, string, string][] = [
  [JwtExpiredError, 'expired', 'token expired (exp)', 'JwtExpiredError'],
  [JwtNotBeforeError, 'not_yet_valid', 'token not yet valid (nbf)', 'JwtNotBeforeError'],
  [JwtInvalidIssuerError, 'invalid_issuer', 'token issuer is not accepted', 'JwtInvalidIssuerError'],
  [JwtInvalidSignatureError, 'invalid_signature', 'token signature invalid', 'JwtInvalidSignatureError'],
  [
    JwtInvalidSignatureAlgorithmError,
    'unsupported_algorithm',
    'token algorithm does not match the key',
    'JwtInvalidSignatureAlgorithmError',
  ],
  [JwtWithoutValidKidError, 'missing_kid', 'token header has no key id (kid)', 'JwtWithoutValidKidError'],
  [KidNotFoundInJwksError, 'unknown_kid', 'token key id (kid) is not in the JWKS', 'KidNotFoundInJwksError'],
  [
    WaitPeriodNotYetEndedJwkError,
    'unknown_kid',
    'token key id (kid) is not in the JWKS (refetch throttled)',
    'WaitPeriodNotYetEndedJwkError',
  ],
  [JwtParseError, 'malformed_token', 'token could not be parsed', 'JwtParseError'],
];

const UNUSABLE_JWKS_ERRORS: readonly ErrorClass[] = [
  JwkValidationError,
  JwkInvalidUseError,
  JwkInvalidKtyError,
  JwksValidationError,
];

/**
 * Translates aws-jwt-verify errors into ours. Only a class name travels on (as `detail`), never the
 * library's message: some quote decoded token text.
 */
export function translateVerifyError(error: unknown): AuthorizerError {
  if (error instanceof AuthorizerError) return error;
  for (const [type, reason, message, name] of INVALID_TOKEN_ERRORS) {
    if (error instanceof type) return new InvalidTokenError(reason, message, name);
  }
  if (UNUSABLE_JWKS_ERRORS.some((type) => error instanceof type)) {
    return new JwksUnavailableError('jwks_invalid', 'the JWKS or the selected key is not usable');
  }
  if (error instanceof FetchError) return new JwksUnavailableError('jwks_unavailable', 'JWKS fetch failed');
  if (error instanceof ParameterValidationError) {
    return new AuthorizerConfigError('aws-jwt-verify rejected the verifier configuration');
  }
  // Anything else (e.g. a crypto error on a hostile key/signature combination): fail closed.
  return new InvalidTokenError('unverifiable', 'token could not be verified', 'unexpected');
}

export function createTokenVerifier(config: JwtConfig, options: TokenVerifierOptions = {}): TokenVerifier {
  const jwksCache =
    options.jwksCache ?? new SimpleJwksCache({ fetcher: options.fetcher ?? createFetchJwksFetcher() });

  // JwtVerifier (formerly JwtRsaVerifier) accepts any issuer string, unlike CognitoJwtVerifier, which
  // insists on https://cognito-idp.<region>.amazonaws.com/<pool> — so the local cloud's http issuer works.
  // audience: null here because Cognito access tokens carry the client in client_id, not aud: we check
  // both ourselves (claims.ts).
  const verifier = JwtVerifier.create(
    {
      issuer: config.issuer,
      jwksUri: config.jwksUri,
      audience: null,
      graceSeconds: config.clockToleranceSeconds,
      customJwtCheck: ({ header, jwk }) => {
        // precheckToken already insisted on RS256; make sure the key is an RSA key as well.
        if (header.alg !== 'RS256' || jwk.kty !== 'RSA') {
          throw new InvalidTokenError('unsupported_algorithm', 'token must be RS256 with an RSA key');
        }
      },
    },
    { jwksCache },
  );

  return {
    config,
    async verify(token: string): Promise<VerifiedToken> {
      try {
        precheckToken(token);
        const payload = await verifier.verify(token);
        return checkCognitoClaims(payload, config);
      } catch (error) {
        throw translateVerifyError(error);
      }
    },
  };
}
