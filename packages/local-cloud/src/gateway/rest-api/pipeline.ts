/**
 * One REST API request, top to bottom (§0.1):
 *
 *    1. parse              body > 10 MB → 413 (plain text, not customisable; sent at once, ended once
 *                          the rest of the upload is discarded)
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
import { endAfterRequestBody, REQUEST_BODY_LIMIT } from '../request-body.js';
import type { RequestIdGenerator } from '../request-id.js';
import { AccessLogEntry } from './access-log.js';
import type { AuthorizerDecision } from './authorizer.js';
import type { CompiledApi, CompiledStage } from './compile.js';
import { type Exchange, type RequestState, RoutedExchange, responseContext } from './exchange.js';
import {
  apiConfigurationError,
  GatewayError,
  GatewayResponses,
  missingAuthenticationToken,
  throttled,
  unauthorized,
  unknownStage,
} from './gateway-responses.js';
import { PAYLOAD_TOO_LARGE, RestResponse } from './http-response.js';
import { runIntegration } from './integration.js';
import {
  clientIp,
  headerValue,
  newRequestId,
  protocolOf,
  type RequestIds,
  type RestRequest,
  readRequest,
  requestRawPath,
} from './request.js';
import { combineDecisions } from './resource-policy.js';
import type { CachedResponse } from './response-cache.js';
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

/** Without an access log, every request writes to this one entry, which nothing reads. */
const UNLOGGED = new AccessLogEntry('-', '-', 0);

/** A step's result: a value when the step completed synchronously, else a promise of it. */
type Step<T> = T | Promise<T>;

/**
 * Answers one request. The pipeline goes asynchronous only where it must wait (a request body, an
 * authorizer or integration call): a cache hit, a throttled or refused request is answered within the
 * request event, without a promise per step (see README.md, "Performance").
 */
export function handleRequest(
  api: CompiledApi | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  env: GatewayEnv,
): void {
  const now = env.clock.now();
  const ids: RequestIds = { requestId: newRequestId(), extendedRequestId: env.extendedRequestIds(now) };
  const log =
    env.accessLog === undefined ? UNLOGGED : new AccessLogEntry(ids.requestId, ids.extendedRequestId, now);
  let response: Step<RestResponse>;
  try {
    response = run(api, req, ids, now, env, log);
  } catch (error) {
    response = failed(error, env);
  }
  if (response instanceof Promise) {
    response.then(
      (r) => finish(res, r, ids, env, log),
      (error: unknown) => finish(res, failed(error, env), ids, env, log),
    );
  } else {
    finish(res, response, ids, env, log);
  }
}

/** An error the gateway threw itself: reported, answered with 500. */
function failed(error: unknown, env: GatewayEnv): RestResponse {
  env.onError(error);
  return internalError();
}

function finish(
  res: ServerResponse,
  response: RestResponse,
  ids: RequestIds,
  env: GatewayEnv,
  log: AccessLogEntry,
): void {
  let sent = response;
  try {
    send(res, sent, ids);
  } catch (error) {
    env.onError(error);
    if (res.headersSent) res.destroy();
    else {
      sent = internalError();
      send(res, sent, ids);
    }
  }
  env.accessLog?.(log.format(sent.status, sent.body.length, sent.error));
}

function run(
  api: CompiledApi | undefined,
  req: IncomingMessage,
  ids: RequestIds,
  now: number,
  env: GatewayEnv,
  log: AccessLogEntry,
): Step<RestResponse> {
  log.httpMethod = req.method ?? '-';
  log.protocol = protocolOf(req);

  // 1. parse (each step continues at once when the previous one completed synchronously: no closure)
  const request = readRequest(req, ids, now);
  if (request instanceof Promise) {
    return request.then((r) =>
      r instanceof RestResponse ? refused(api, req, r, log) : routeRequest(api, r, env, log),
    );
  }
  return request instanceof RestResponse
    ? refused(api, req, request, log)
    : routeRequest(api, request, env, log);
}

/**
 * The 413 for a body over 10 MB, answered before the request is parsed or routed (the edge answers it):
 * its log line still names what is known — the caller, the path, the API and the stage, in the stage's
 * declared format — but no resource.
 */
function refused(
  api: CompiledApi | undefined,
  req: IncomingMessage,
  response: RestResponse,
  log: AccessLogEntry,
): RestResponse {
  if (log === UNLOGGED) return response;
  const rawPath = requestRawPath(req);
  log.ip = clientIp(req);
  log.path = rawPath;
  log.request = { userAgent: req.headers['user-agent'] };
  log.detail = `request body over ${REQUEST_BODY_LIMIT} bytes`;
  if (api === undefined) return response;
  log.apiId = api.apiId;
  const staged = selectStage(api, rawPath);
  if (staged !== undefined) {
    log.stage = staged.stage.name;
    log.declared = staged.stage.accessLog;
  }
  return response;
}

/** Steps 2–3, then the rest for a routed request. */
function routeRequest(
  api: CompiledApi | undefined,
  request: RestRequest,
  env: GatewayEnv,
  log: AccessLogEntry,
): Step<RestResponse> {
  log.ip = request.sourceIp;
  log.path = request.rawPath;
  // Only a real entry keeps the request (for variables read late, like the user agent): the shared
  // unlogged one must not hold on to the last request and its body.
  if (log !== UNLOGGED) log.request = request;
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
  log.declared = stage.accessLog;

  // 3. route
  const match = api.resources.match(path);
  const method = match && (match.resource.methods.get(request.method) ?? match.resource.any);
  if (match === undefined || method === undefined) {
    return answer({ api, request, stage, path }, missingAuthenticationToken(), log);
  }
  log.resourcePath = method.resource.path;
  const x: Exchange = new RoutedExchange(api, request, stage, path, method, match.pathParameters);

  const result = admitAndIntegrate(x, env, log);
  return result instanceof Promise
    ? result.then((r) => answerErrors(x, r, log))
    : answerErrors(x, result, log);
}

const answerErrors = (x: Exchange, result: RestResponse | GatewayError, log: AccessLogEntry): RestResponse =>
  result instanceof GatewayError ? answer(x, result, log) : result;

/** Steps 4–12 for a routed request. */
function admitAndIntegrate(
  x: Exchange,
  env: GatewayEnv,
  log: AccessLogEntry,
): Step<RestResponse | GatewayError> {
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
  const denied = authorize(x, policyDecision, log);
  if (denied instanceof Promise) return denied.then((d) => d ?? admitted(x, env, log));
  return denied ?? admitted(x, env, log);
}

/** Steps 6–12, once authorized. */
function admitted(x: Exchange, env: GatewayEnv, log: AccessLogEntry): Step<RestResponse | GatewayError> {
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
  return integrate(x, env, log, lookup);
}

async function integrate(
  x: Exchange,
  env: GatewayEnv,
  log: AccessLogEntry,
  lookup: CacheLookup,
): Promise<RestResponse | GatewayError> {
  const response = await runIntegration(x, env.invoker, log);
  if (response instanceof GatewayError) return response;

  // 12. cache store
  if (lookup.key !== undefined) x.stage.cache?.set(lookup.key, response, lookup.ttlMs);
  return withExtras(response, x, lookup.warning);
}

function authorize(
  x: Exchange,
  policyDecision: PolicyDecision | undefined,
  log: AccessLogEntry,
): Step<GatewayError | undefined> {
  const authorization = x.method.authorization;
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
      const outcome = authorization.authorizer.authorize(x);
      return outcome instanceof Promise
        ? outcome.then((o) => authorized(x, policyDecision, o, log))
        : authorized(x, policyDecision, outcome, log);
    }
    case 'none':
      return decide(x, policyDecision, undefined, log);
  }
}

/** A Lambda authorizer's outcome: its error, or its policy combined with the resource policy's decision. */
function authorized(
  x: Exchange,
  policyDecision: PolicyDecision | undefined,
  outcome: AuthorizerDecision | GatewayError,
  log: AccessLogEntry,
): GatewayError | undefined {
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
  return decide(x, policyDecision, evaluatePolicy(verdict.statements, x.methodArn), log);
}

/** Table A: the resource policy's and the authorizer's decisions combined. */
function decide(
  x: Exchange,
  policyDecision: PolicyDecision | undefined,
  authorizerDecision: PolicyDecision | undefined,
  log: AccessLogEntry,
): GatewayError | undefined {
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
  readonly hit: CachedResponse | undefined;
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
  // The method's own verb reuses a precomputed string (and its hash) when no parameter is declared.
  let key =
    x.request.method === x.method.httpMethod
      ? x.method.cacheKeyPrefix
      : `${x.request.method}\u0000${x.method.cacheNamespace}`;
  for (const part of x.method.cacheKey) key += `\u0000${part(x)}`;

  let refresh = false;
  let warning: string | undefined;
  const cacheControl = headerValue(x.request, 'cache-control');
  if (cacheControl !== undefined && MAX_AGE_ZERO.test(cacheControl)) {
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
      // withExtras copies the stored headers: the entry is never changed.
      return { key: undefined, hit, warning, ttlMs: 0 };
    }
  }
  cache.misses++;
  log.cacheStatus = 'miss';
  return { key, hit: undefined, warning, ttlMs: settings.ttlMs };
}

/** Headers API Gateway adds to integration responses (fresh or cached), on a copy of the response. */
function withExtras(
  response: CachedResponse | RestResponse,
  x: Exchange,
  warning: string | undefined,
): RestResponse {
  const headers = response.headers.slice();
  const trace = headerValue(x.request, 'x-amzn-trace-id');
  if (trace !== undefined) headers.push(['X-Amzn-Trace-Id', trace]);
  if (warning !== undefined) headers.push(['Warning', warning]);
  return new RestResponse(
    response.status,
    headers,
    response.body,
    response instanceof RestResponse ? response.error : undefined,
  );
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
  if (response === PAYLOAD_TOO_LARGE) {
    // Sent now; the response ends (and the connection closes) once the rest of the upload is discarded:
    // closing while the client still writes would cost it the answer (EPIPE).
    res.write(body);
    endAfterRequestBody(res.req, res);
  } else res.end(body);
}
