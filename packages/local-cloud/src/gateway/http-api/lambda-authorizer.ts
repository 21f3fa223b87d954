/**
 * HTTP API Lambda (REQUEST) authorizers, payload 1.0 or 2.0.
 *
 * 1. Every identity source must be present, else 401 `{"message":"Unauthorized"}` without invoking.
 * 2. With a TTL, the result is cached by the identity-source values, shared by all routes using the
 *    authorizer (add `$context.routeKey` to the sources to cache per route). Policies are cached whole and
 *    re-evaluated against each request's route ARN.
 * 3. The function returns a simple response (`{isAuthorized, context}`, 2.0 with simple responses) or an
 *    IAM policy (`{principalId, policyDocument, context}`).
 * 4. Allowed → the context reaches the integration (`requestContext.authorizer.lambda` in 2.0).
 *    `isAuthorized: false`, or a policy that does not allow the route → 403 `{"message":"Forbidden"}`
 *    (widely reported; not in the 2023 guide). An invoke failure or a malformed response → 500
 *    `{"message":"Internal Server Error"}` (developer guide). A function failing with exactly
 *    `Unauthorized` → 401, as REST APIs do (unverified for HTTP APIs).
 */
import type { Clock } from '../../clock.js';
import { evaluatePolicy, PolicyFormatError, parsePolicyDocument } from '../iam-policy.js';
import { GATEWAY_TIMEOUT, invokeWithDeadline, type LambdaInvoker } from '../invoker.js';
import { TtlCache } from '../ttl-cache.js';
import type { Exchange } from './compile.js';
import type { LambdaAuthorizerConfig } from './config.js';
import { type Authorization, buildAuthorizerEventV1, buildAuthorizerEventV2, routeArn } from './events.js';
import { compileIdentitySource, type IdentitySource } from './identity-source.js';
import { AuthorizerFailure, forbidden, internalServerError, unauthorized } from './responses.js';

type Verdict =
  | { readonly kind: 'simple'; readonly allow: boolean; readonly context: Record<string, unknown> | null }
  | {
      readonly kind: 'policy';
      readonly statements: ReturnType<typeof parsePolicyDocument>;
      readonly context: Record<string, unknown> | null;
      readonly principalId: string | undefined;
    };

class MalformedResponse extends Error {}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function contextOf(result: Record<string, unknown>): Record<string, unknown> | null {
  const context = result.context;
  if (context === undefined || context === null) return null;
  if (!isObject(context)) throw new MalformedResponse('context must be an object');
  return context;
}

const DEFAULT_TIMEOUT_MS = 10_000;

export class LambdaAuthorizer {
  readonly id: string;
  readonly #config: LambdaAuthorizerConfig;
  readonly #invoker: LambdaInvoker;
  readonly #sources: readonly IdentitySource[];
  readonly #ttlMs: number;
  readonly #simple: boolean;
  readonly #cache: TtlCache<Verdict>;

  constructor(config: LambdaAuthorizerConfig, deps: { invoker: LambdaInvoker; clock: Clock }) {
    this.id = config.id;
    this.#config = config;
    this.#invoker = deps.invoker;
    if (config.payloadFormatVersion !== '1.0' && config.payloadFormatVersion !== '2.0') {
      throw new Error('payloadFormatVersion must be 1.0 or 2.0');
    }
    this.#simple = config.enableSimpleResponses === true;
    if (this.#simple && config.payloadFormatVersion !== '2.0') {
      throw new Error('simple responses need payload format version 2.0');
    }
    const ttlSeconds = config.resultTtlSeconds ?? 0;
    if (!(ttlSeconds >= 0 && ttlSeconds <= 3600))
      throw new Error('resultTtlSeconds must be between 0 and 3600');
    this.#ttlMs = ttlSeconds * 1000;
    this.#sources = (config.identitySource ?? []).map(compileIdentitySource);
    if (this.#ttlMs > 0 && this.#sources.length === 0) {
      throw new Error('caching (resultTtlSeconds > 0) needs at least one identity source');
    }
    this.#cache = new TtlCache(deps.clock);
  }

  async authorize(x: Exchange): Promise<Authorization | AuthorizerFailure> {
    const values: string[] = [];
    for (const source of this.#sources) {
      const value = source(x);
      if (value === undefined) return new AuthorizerFailure(unauthorized(), 'missing identity source');
      values.push(value);
    }
    const cacheKey = this.#ttlMs > 0 ? values.join('\u0000') : undefined;
    let verdict = cacheKey === undefined ? undefined : this.#cache.get(cacheKey);
    let latencyMs = 0;
    if (verdict === undefined) {
      const started = performance.now();
      const invoked = await this.#invoke(x, values.length > 0 ? values : null);
      latencyMs = Math.round(performance.now() - started);
      if (invoked instanceof AuthorizerFailure) return invoked;
      verdict = invoked;
      if (cacheKey !== undefined) this.#cache.set(cacheKey, verdict, this.#ttlMs);
    }
    const allowed =
      verdict.kind === 'simple' ? verdict.allow : evaluatePolicy(verdict.statements, routeArn(x)) === 'allow';
    if (!allowed) return new AuthorizerFailure(forbidden(), 'the authorizer denied the request');
    return {
      kind: 'lambda',
      context: verdict.context,
      principalId: verdict.kind === 'policy' ? verdict.principalId : undefined,
      latencyMs,
    };
  }

  async #invoke(x: Exchange, identitySource: string[] | null): Promise<Verdict | AuthorizerFailure> {
    const v2 = this.#config.payloadFormatVersion === '2.0';
    const event = v2 ? buildAuthorizerEventV2(x, identitySource) : buildAuthorizerEventV1(x, identitySource);
    const outcome = await invokeWithDeadline(
      this.#invoker,
      this.#config.functionName,
      event,
      x.request.requestId,
      this.#config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    );
    if (outcome === GATEWAY_TIMEOUT) {
      return new AuthorizerFailure(internalServerError(), 'the authorizer timed out');
    }
    if (!outcome.ok) {
      if (outcome.kind === 'error' && outcome.errorMessage === 'Unauthorized') {
        return new AuthorizerFailure(unauthorized(), 'the authorizer failed with Unauthorized');
      }
      return new AuthorizerFailure(
        internalServerError(),
        `the authorizer failed: ${outcome.errorType}: ${outcome.errorMessage}`,
      );
    }
    try {
      return this.#verdict(outcome.result);
    } catch (error) {
      if (!(error instanceof MalformedResponse || error instanceof PolicyFormatError)) throw error;
      return new AuthorizerFailure(internalServerError(), `invalid authorizer response: ${error.message}`);
    }
  }

  #verdict(result: unknown): Verdict {
    if (!isObject(result)) throw new MalformedResponse('the response must be a JSON object');
    if (this.#simple) {
      if (typeof result.isAuthorized !== 'boolean')
        throw new MalformedResponse('isAuthorized must be a boolean');
      return { kind: 'simple', allow: result.isAuthorized, context: contextOf(result) };
    }
    const { principalId } = result;
    if (principalId !== undefined && typeof principalId !== 'string') {
      throw new MalformedResponse('principalId must be a string');
    }
    return {
      kind: 'policy',
      statements: parsePolicyDocument(result.policyDocument),
      context: contextOf(result),
      principalId,
    };
  }
}
