/**
 * One REST API request, top to bottom (§0.1):
 *
 *    1. parse              body > 10 MB → 413 (plain text, not customisable)
 *    2. stage              first path segment; unknown → 403 Forbidden
 *    3. route              resource tree + method; none → 403 Missing Authentication Token
 *    4. resource policy    pre-auth: an explicit Deny → 403 ACCESS_DENIED
 *    5. authorization      Lambda authorizer (TOKEN/REQUEST, result cache), policy evaluated against the
 *                          method ARN and combined with the resource policy → 401 / 403 / 500
 *    6. API key            + usage plan: key → 403 Forbidden; throttle → 429; quota → 429 Limit Exceeded
 *    7. throttling         stage / method settings → 429 Too Many Requests
 *    8. validation         request parameters, then body → 400
 *    9. cache lookup       per stage; `Cache-Control: max-age=0` per strategy; a hit skips 10–11
 *   10. integration        AWS_PROXY (payload 1.0) or MOCK; timeout → 504
 *   11. response mapping   Lambda proxy output → response; invalid → 502
 *   12. cache store
 *   13. gateway responses  every error of steps 2–11 → the API's gateway response for its type
 *
 * and on the way out: `x-amzn-RequestId`, `x-amz-apigw-id`, one access-log line.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../clock.js';
import { evaluatePolicy, type PolicyDecision } from '../iam-policy.js';
import type { LambdaInvoker } from '../invoker.js';
import type { RequestIdGenerator } from '../request-id.js';
import { AccessLogEntry } from './access-log.js';
import type { CompiledApi, CompiledStage } from './compile.js';
import { type Exchange, methodArn, type RequestState, responseContext } from './exchange.js';
import {
  apiConfigurationError,
  GatewayError,
  GatewayResponses,
  missingAuthenticationToken,
  throttled,
  unauthorized,
  unknownStage,
} from './gateway-responses.js';
import { RestResponse } from './http-response.js';
import { runIntegration } from './integration.js';
import { headerValue, newRequestId, type RequestIds, type RestRequest, readRequest } from './request.js';
import { combineDecisions } from './resource-policy.js';
import type { UsagePlans } from './usage-plans.js';

/** What every request of one gateway shares. */
export interface GatewayEnv {
  readonly invoker: LambdaInvoker;
  readonly clock: Clock;
  readonly extendedRequestIds: RequestIdGenerator;
  readonly usagePlans: UsagePlans;
  readonly accessLog: ((line: string) => void) | undefined;
  /** Called with errors the gateway itself threw (bugs), which it answers with 500. */
  readonly onError: (error: unknown) => void;
}

/** Responses for requests that reach no API (no deployment to customise them). */
const BUILT_IN = new GatewayResponses();

export async function handleRequest(
  api: CompiledApi | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  env: GatewayEnv,
): Promise<void> {
  const ids: RequestIds = { requestId: newRequestId(), extendedRequestId: env.extendedRequestIds() };
  const log = new AccessLogEntry(ids.requestId, ids.extendedRequestId, env.clock.now());
  let response: RestResponse;
  try {
    response = await run(api, req, ids, env, log);
  } catch (error) {
    env.onError(error);
    response = internalError();
  }
  try {
    send(res, response, ids);
  } catch (error) {
    env.onError(error);
    if (res.headersSent) res.destroy();
    else {
      response = internalError();
      send(res, response, ids);
    }
  }
  env.accessLog?.(log.format(response.status, response.body.length, response.error));
}

async function run(
  api: CompiledApi | undefined,
  req: IncomingMessage,
  ids: RequestIds,
  env: GatewayEnv,
  log: AccessLogEntry,
): Promise<RestResponse> {
  log.httpMethod = req.method ?? '-';
  log.protocol = `HTTP/${req.httpVersion}`;

  // 1. parse
  const request = await readRequest(req, ids, log.timeEpoch);
  if (request instanceof RestResponse) return request;
  log.ip = request.sourceIp;
  log.path = request.rawPath;
  if (api === undefined) {
    log.detail = 'no such API';
    return BUILT_IN.render(unknownStage(), emptyContext);
  }
  log.apiId = api.apiId;

  // 2. stage
  const staged = selectStage(api, request.rawPath);
  if (staged === undefined) return answer({ api, request }, unknownStage(), log);
  const { stage, path } = staged;
  log.stage = stage.name;

  // 3. route
  const match = api.resources.match(path);
  const method = match && (match.resource.methods.get(request.method) ?? match.resource.any);
  if (match === undefined || method === undefined) {
    return answer({ api, request, stage, path }, missingAuthenticationToken(), log);
  }
  log.resourcePath = method.resource.path;
  const x: Exchange = {
    api,
    request,
    stage,
    path,
    method,
    pathParameters: match.pathParameters,
    methodArn: methodArn(api, stage.name, request.method, path),
    authorizer: undefined,
    apiKey: undefined,
  };

  const result = await admitAndIntegrate(x, env, log);
  return result instanceof GatewayError ? answer(x, result, log) : result;
}

/** Steps 4–12 for a routed request. */
async function admitAndIntegrate(
  x: Exchange,
  env: GatewayEnv,
  log: AccessLogEntry,
): Promise<RestResponse | GatewayError> {
  // 4. resource policy, pre-auth: an explicit Deny ends the request before any authorizer runs
  const policyDecision = x.api.policy?.evaluate({
    arn: x.methodArn,
    sourceIp: x.request.sourceIp,
    userAgent: x.request.userAgent,
    referer: headerValue(x.request, 'referer'),
    secureTransport: headerValue(x.request, 'x-forwarded-proto') === 'https',
    now: env.clock.now(),
  });
  if (policyDecision === 'explicit-deny') return accessDenied(x, 'explicit-deny', 'policy');

  // 5. authorization
  const denied = await authorize(x, policyDecision, log);
  if (denied !== undefined) return denied;

  // 6. API key + usage plan (throttle, quota)
  if (x.method.apiKeyRequired) {
    const value =
      x.api.apiKeySource === 'HEADER'
        ? headerValue(x.request, 'x-api-key')
        : x.authorizer?.usageIdentifierKey;
    const admitted = env.usagePlans.admit(value, x.api.apiId, x.stage.name, x.method.key);
    if (admitted instanceof GatewayError) return admitted;
    x.apiKey = admitted;
    log.apiKeyId = admitted.id;
  }

  // 7. stage / method throttling
  const bucket = x.stage.buckets[x.method.index];
  if (bucket !== undefined && !bucket.tryTake()) {
    return throttled(`stage ${x.stage.name} throttle for ${x.method.key}`);
  }

  // 8. request validation
  const invalid = x.method.validation?.validate(x);
  if (invalid !== undefined) return invalid;

  // 9. cache lookup
  const lookup = lookupCache(x, log);
  if (lookup instanceof GatewayError) return lookup;
  if (lookup.hit !== undefined) return withExtras(lookup.hit, x, lookup.warning);

  // 10–11. integration and response mapping
  const response = await runIntegration(x, env.invoker, log);
  if (response instanceof GatewayError) return response;

  // 12. cache store
  if (lookup.key !== undefined) x.stage.cache?.set(lookup.key, response, lookup.ttlMs);
  return withExtras(response, x, lookup.warning);
}

async function authorize(
  x: Exchange,
  policyDecision: PolicyDecision | undefined,
  log: AccessLogEntry,
): Promise<GatewayError | undefined> {
  const authorization = x.method.authorization;
  let authorizerDecision: PolicyDecision | undefined;
  switch (authorization.kind) {
    case 'iam':
      // Unsigned requests to IAM methods get 403 Missing Authentication Token on AWS; signatures are not checked.
      return isSigned(x.request)
        ? apiConfigurationError('AWS_IAM authorization is not emulated')
        : missingAuthenticationToken();
    case 'cognito':
      return headerValue(x.request, authorization.tokenHeader)
        ? apiConfigurationError('COGNITO_USER_POOLS authorization is not emulated')
        : unauthorized('no token');
    case 'custom': {
      const outcome = await authorization.authorizer.authorize(x);
      if (outcome instanceof GatewayError) {
        log.authorizerError = outcome.options.detail ?? outcome.type;
        return outcome;
      }
      const { verdict } = outcome;
      x.authorizer = {
        principalId: verdict.principalId,
        context: verdict.context,
        usageIdentifierKey: verdict.usageIdentifierKey,
        latencyMs: outcome.latencyMs,
      };
      log.authorizerLatency = String(outcome.latencyMs);
      log.authorizerPrincipalId = verdict.principalId;
      // A cached policy is re-evaluated against this request's method ARN (§3.2).
      authorizerDecision = evaluatePolicy(verdict.statements, x.methodArn);
      break;
    }
    case 'none':
      break;
  }
  const { decision, by } = combineDecisions(policyDecision, authorizerDecision);
  if (decision === 'allow') return undefined;
  if (by === 'authorizer') log.authorizerError = `the authorizer's policy: ${decision}`;
  return accessDenied(x, decision, by);
}

/** ACCESS_DENIED texts (§2.4, §3.4, §9.1); the body key is `Message` (gateway-responses.ts). */
function accessDenied(x: Exchange, decision: PolicyDecision, by: 'policy' | 'authorizer'): GatewayError {
  const explicit = decision === 'explicit-deny';
  const message =
    by === 'authorizer'
      ? `User is not authorized to access this resource${explicit ? ' with an explicit deny' : ''}`
      : `User: anonymous is not authorized to perform: execute-api:Invoke on resource: ${x.methodArn}${explicit ? ' with an explicit deny' : ''}`;
  return new GatewayError('ACCESS_DENIED', message, { detail: `${by}: ${decision}` });
}

const isSigned = (request: RestRequest): boolean =>
  headerValue(request, 'authorization')?.startsWith('AWS4-HMAC-SHA256') === true ||
  request.queryPairs.some(([name]) => name === 'X-Amz-Signature');

const MAX_AGE_ZERO = /(?:^|,)\s*max-age\s*=\s*0\s*(?:,|$)/i;
/** The warning added when a `max-age=0` request may not invalidate (text unverified). */
const CACHE_CONTROL_WARNING =
  '199 - "Cache-Control: max-age=0 ignored: not authorized to invalidate the cache"';

interface CacheLookup {
  /** Set when the response is to be stored. */
  readonly key: string | undefined;
  readonly hit: RestResponse | undefined;
  /** `Warning` header value (SUCCEED_WITH_RESPONSE_HEADER). */
  readonly warning: string | undefined;
  readonly ttlMs: number;
}

const NOT_CACHED: CacheLookup = { key: undefined, hit: undefined, warning: undefined, ttlMs: 0 };

/**
 * §1.3–1.5: cached methods (GET only when enabled by `*\/*`), key = stage + verb + namespace (default
 * the resource) + declared cache key parameters. `Cache-Control: max-age=0` refreshes the entry when no
 * authorization is required; otherwise (nobody holds `execute-api:InvalidateCache` locally) the strategy
 * decides: 403, ignore with a `Warning` header, or ignore silently.
 */
function lookupCache(x: Exchange, log: AccessLogEntry): CacheLookup | GatewayError {
  const settings = x.stage.caching[x.method.index];
  const cache = x.stage.cache;
  if (settings === undefined || cache === undefined) return NOT_CACHED;
  if (settings.getOnly && x.request.method !== 'GET') return NOT_CACHED;
  let key = `${x.request.method}\u0000${x.method.cacheNamespace}`;
  for (const part of x.method.cacheKey) key += `\u0000${part(x)}`;

  let refresh = false;
  let warning: string | undefined;
  if (MAX_AGE_ZERO.test(headerValue(x.request, 'cache-control') ?? '')) {
    if (!settings.requireAuthorization) refresh = true;
    else if (settings.strategy === 'FAIL_WITH_403') {
      return new GatewayError('UNAUTHORIZED', 'Unauthorized', {
        status: 403,
        detail: 'Cache-Control: max-age=0 without permission to invalidate the cache (FAIL_WITH_403)',
      });
    } else if (settings.strategy === 'SUCCEED_WITH_RESPONSE_HEADER') warning = CACHE_CONTROL_WARNING;
  }
  if (!refresh) {
    const hit = cache.get(key);
    if (hit !== undefined) {
      cache.hits++;
      log.cacheStatus = 'hit';
      return {
        key: undefined,
        hit: new RestResponse(hit.status, [...hit.headers], hit.body),
        warning,
        ttlMs: 0,
      };
    }
  }
  cache.misses++;
  log.cacheStatus = 'miss';
  return { key, hit: undefined, warning, ttlMs: settings.ttlMs };
}

/** Headers API Gateway adds to integration responses (fresh or cached). */
function withExtras(response: RestResponse, x: Exchange, warning: string | undefined): RestResponse {
  const headers = [...response.headers];
  const trace = headerValue(x.request, 'x-amzn-trace-id');
  if (trace !== undefined) headers.push(['X-Amzn-Trace-Id', trace]);
  if (warning !== undefined) headers.push(['Warning', warning]);
  return new RestResponse(response.status, headers, response.body, response.error);
}

/** Step 13: the API's gateway response for an error. */
function answer(state: RequestState, error: GatewayError, log: AccessLogEntry): RestResponse {
  log.detail = error.options.detail ?? '-';
  return state.api.gatewayResponses.render(error, responseContext(state));
}

function selectStage(api: CompiledApi, rawPath: string): { stage: CompiledStage; path: string } | undefined {
  const end = rawPath.indexOf('/', 1);
  const name = end === -1 ? rawPath.slice(1) : rawPath.slice(1, end);
  const stage = api.stages.get(name);
  if (stage === undefined) return undefined;
  return { stage, path: end === -1 ? '/' : rawPath.slice(end) };
}

const emptyContext = {
  context: () => undefined,
  stageVariable: () => undefined,
  requestParameter: () => undefined,
};

const internalError = (): RestResponse =>
  BUILT_IN.render(new GatewayError('DEFAULT_5XX', 'Internal server error', { builtIn: true }), emptyContext);

function send(res: ServerResponse, response: RestResponse, ids: RequestIds): void {
  const { status, body } = response;
  const flat: string[] = [];
  for (const [name, value] of response.headers) flat.push(name, value);
  flat.push('x-amzn-RequestId', ids.requestId, 'x-amz-apigw-id', ids.extendedRequestId);
  if (status !== 204 && status !== 304) flat.push('Content-Length', String(body.length));
  res.writeHead(status, flat);
  res.end(body);
}
