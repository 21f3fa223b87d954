/**
 * REST Lambda authorizers, TOKEN and REQUEST (§3.1–3.4).
 *
 * 1. Identity: TOKEN reads one header; it must be present and non-empty and match
 *    `identityValidationExpression` (whole-token match), else 401 without invoking. REQUEST reads its
 *    identity sources (headers, query strings, stage variables, `$context`); when caching is on (TTL > 0)
 *    a missing or empty one → 401 without invoking (API reference: required only when caching).
 * 2. Cache: the whole output (policy, principal, context, usageIdentifierKey), keyed by the token or by
 *    all identity values, TTL `resultTtlSeconds` (default 300) by the Clock. The pipeline re-evaluates the
 *    cached policy against each request's method ARN.
 * 3. Invoke: failing with exactly `Unauthorized` → 401; any other failure, a timeout or malformed output
 *    (no object, no string `principalId`, an unparsable `policyDocument`, a context value that is an object
 *    or list) → 500 `{"message":null}` AUTHORIZER_CONFIGURATION_ERROR. Failures are not cached.
 */
import type { Clock } from '../../clock.js';
import { PolicyFormatError, parsePolicyDocument } from '../iam-policy.js';
import { GATEWAY_TIMEOUT, invokeWithDeadline, type LambdaInvoker } from '../invoker.js';
import { TtlCache } from '../ttl-cache.js';
import type { RestAuthorizerConfig } from './config.js';
import { buildRequestAuthorizerEvent, buildTokenAuthorizerEvent } from './events.js';
import { contextVariable, type Exchange } from './exchange.js';
import { authorizerConfigurationError, type GatewayError, unauthorized } from './gateway-responses.js';
import { headerValue, queryValue } from './request.js';

export type PolicyStatements = ReturnType<typeof parsePolicyDocument>;

/** An authorizer's output, as cached. */
export interface AuthorizerVerdict {
  readonly principalId: string;
  readonly statements: PolicyStatements;
  readonly context: Readonly<Record<string, string | number | boolean>> | null;
  readonly usageIdentifierKey: string | undefined;
}

export interface AuthorizerDecision {
  readonly verdict: AuthorizerVerdict;
  /** 0 when served from the cache. */
  readonly latencyMs: number;
  readonly cached: boolean;
}

type IdentityReader = (x: Exchange) => string | undefined;

const nonEmpty = (value: string | undefined): string | undefined => (value === '' ? undefined : value);

/** REST identity sources: `method.request.header.X`, `method.request.querystring.x`, `stageVariables.x`, `context.x`. */
export function compileIdentitySource(expression: string): IdentityReader {
  const source = expression.trim();
  const header = /^method\.request\.header\.(.+)$/.exec(source);
  if (header) {
    const name = header[1] as string;
    return (x) => nonEmpty(headerValue(x.request, name));
  }
  const query = /^method\.request\.querystring\.(.+)$/.exec(source);
  if (query) {
    const name = query[1] as string;
    return (x) => nonEmpty(queryValue(x.request, name));
  }
  const stageVariable = /^stageVariables\.(.+)$/.exec(source);
  if (stageVariable) {
    const name = stageVariable[1] as string;
    return (x) => nonEmpty(x.stage.variables?.[name]);
  }
  const context = /^context\.(.+)$/.exec(source);
  if (context) {
    const name = context[1] as string;
    return (x) => nonEmpty(contextVariable(x, name));
  }
  throw new Error(`identity source ${JSON.stringify(source)} is not supported (path parameters cannot be)`);
}

class MalformedOutput extends Error {}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function parseOutput(result: unknown): AuthorizerVerdict {
  if (!isObject(result)) throw new MalformedOutput('the output is not a JSON object');
  const { principalId, policyDocument, context, usageIdentifierKey } = result;
  if (typeof principalId !== 'string') throw new MalformedOutput('principalId must be a string');
  const statements = parsePolicyDocument(policyDocument);
  let parsedContext: Record<string, string | number | boolean> | null = null;
  if (context !== undefined && context !== null) {
    if (!isObject(context)) throw new MalformedOutput('context must be an object');
    parsedContext = {};
    for (const [key, value] of Object.entries(context)) {
      if (value === null || value === undefined) continue;
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        throw new MalformedOutput(`context.${key} must be a string, number or boolean`);
      }
      parsedContext[key] = value;
    }
  }
  if (
    usageIdentifierKey !== undefined &&
    usageIdentifierKey !== null &&
    typeof usageIdentifierKey !== 'string'
  ) {
    throw new MalformedOutput('usageIdentifierKey must be a string');
  }
  return {
    principalId,
    statements,
    context: parsedContext,
    usageIdentifierKey: typeof usageIdentifierKey === 'string' ? usageIdentifierKey : undefined,
  };
}

const DEFAULT_TTL_SECONDS = 300;
const DEFAULT_TIMEOUT_MS = 10_000;

export class RestLambdaAuthorizer {
  readonly id: string;
  readonly type: 'TOKEN' | 'REQUEST';
  readonly #functionName: string;
  readonly #invoker: LambdaInvoker;
  readonly #sources: readonly IdentityReader[];
  readonly #validation: RegExp | undefined;
  readonly #ttlMs: number;
  readonly #timeoutMs: number;
  readonly #cache: TtlCache<AuthorizerVerdict>;

  /** Throws on an invalid configuration. */
  constructor(config: RestAuthorizerConfig, deps: { invoker: LambdaInvoker; clock: Clock }) {
    if (config.type !== 'TOKEN' && config.type !== 'REQUEST')
      throw new Error(`type ${config.type} is not a Lambda authorizer`);
    if (config.functionName === undefined || config.functionName === '')
      throw new Error('functionName is required');
    this.id = config.id;
    this.type = config.type;
    this.#functionName = config.functionName;
    this.#invoker = deps.invoker;
    const ttlSeconds = config.resultTtlSeconds ?? DEFAULT_TTL_SECONDS;
    if (!(Number.isInteger(ttlSeconds) && ttlSeconds >= 0 && ttlSeconds <= 3600)) {
      throw new Error('resultTtlSeconds must be an integer between 0 and 3600');
    }
    this.#ttlMs = ttlSeconds * 1000;
    this.#timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const sources = (config.identitySource ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    if (config.type === 'TOKEN') {
      if (sources.length !== 1 || !/^method\.request\.header\.[^.]+$/.test(sources[0] as string)) {
        throw new Error('a TOKEN authorizer needs exactly one identity source method.request.header.<name>');
      }
      if (config.identityValidationExpression !== undefined && config.identityValidationExpression !== '') {
        try {
          this.#validation = new RegExp(`^(?:${config.identityValidationExpression})$`);
        } catch {
          throw new Error(
            `identityValidationExpression ${JSON.stringify(config.identityValidationExpression)} is not a valid regex`,
          );
        }
      }
    } else {
      if (this.#ttlMs > 0 && sources.length === 0) {
        throw new Error('a REQUEST authorizer with caching (resultTtlSeconds > 0) needs identity sources');
      }
      if (config.identityValidationExpression !== undefined) {
        throw new Error('identityValidationExpression applies to TOKEN authorizers only');
      }
    }
    this.#sources = sources.map(compileIdentitySource);
    this.#cache = new TtlCache(deps.clock);
  }

  /** Synchronous up to the invocation: a cached result or a missing identity needs no promise. */
  authorize(x: Exchange): AuthorizerDecision | GatewayError | Promise<AuthorizerDecision | GatewayError> {
    let cacheKey: string;
    let token = '';
    if (this.type === 'TOKEN') {
      const value = (this.#sources[0] as IdentityReader)(x);
      if (value === undefined) return unauthorized('the identity source is missing or empty');
      if (this.#validation !== undefined && !this.#validation.test(value)) {
        return unauthorized('the token does not match identityValidationExpression');
      }
      token = value;
      cacheKey = token;
    } else {
      const values: string[] = [];
      for (const source of this.#sources) {
        const value = source(x);
        if (value === undefined) {
          if (this.#ttlMs > 0) return unauthorized('an identity source is missing or empty');
          values.push('');
        } else {
          values.push(value);
        }
      }
      cacheKey = values.join('\u0000');
    }

    if (this.#ttlMs > 0) {
      const cached = this.#cache.get(cacheKey);
      if (cached !== undefined) return { verdict: cached, latencyMs: 0, cached: true };
    }
    return this.#invoke(x, cacheKey, token);
  }

  async #invoke(x: Exchange, cacheKey: string, token: string): Promise<AuthorizerDecision | GatewayError> {
    const event =
      this.type === 'TOKEN' ? buildTokenAuthorizerEvent(x, token) : buildRequestAuthorizerEvent(x);
    const started = performance.now();
    const outcome = await invokeWithDeadline(
      this.#invoker,
      this.#functionName,
      event,
      x.request.requestId,
      this.#timeoutMs,
    );
    const latencyMs = Math.round(performance.now() - started);
    if (outcome === GATEWAY_TIMEOUT) {
      return authorizerConfigurationError(`the authorizer timed out after ${this.#timeoutMs} ms`);
    }
    if (!outcome.ok) {
      if (outcome.kind === 'error' && outcome.errorMessage === 'Unauthorized') {
        return unauthorized('the authorizer failed with Unauthorized');
      }
      return authorizerConfigurationError(
        `the authorizer failed: ${outcome.errorType}: ${outcome.errorMessage}`,
      );
    }
    let verdict: AuthorizerVerdict;
    try {
      verdict = parseOutput(outcome.result);
    } catch (error) {
      if (!(error instanceof MalformedOutput || error instanceof PolicyFormatError)) throw error;
      return authorizerConfigurationError(`Could not parse the authorizer output: ${error.message}`);
    }
    if (this.#ttlMs > 0) this.#cache.set(cacheKey, verdict, this.#ttlMs);
    return { verdict, latencyMs, cached: false };
  }
}
