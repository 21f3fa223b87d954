/**
 * One HTTP API request, top to bottom:
 *
 *   parse (10 MB body limit → 413) → stage (prefix or `$default`, else 404) → route (else the CORS
 *   preflight answer, else 404) → authorizer (JWT or Lambda) → throttling (429) → Lambda proxy integration
 *   (payload 1.0 / 2.0; timeout → 503, failure → 500) → response mapping (invalid → 500)
 *
 * and on the way out: CORS headers, `apigw-requestid`, one access-log line.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../clock.js';
import { DEADLINE_EXCEEDED, GATEWAY_TIMEOUT, invokeWithDeadline, type LambdaInvoker } from '../invoker.js';
import { endAfterRequestBody } from '../request-body.js';
import type { RequestIdGenerator } from '../request-id.js';
import { AccessLogEntry } from './access-log.js';
import { type CompiledApi, type Exchange, selectStage } from './compile.js';
import { CorsPolicy } from './cors.js';
import { type Authorization, buildEventV1, buildEventV2 } from './events.js';
import { clientIp, readRequest, requestPath } from './request.js';
import {
  AuthorizerFailure,
  GatewayResponse,
  InvalidIntegrationResponse,
  internalServerError,
  mapResponseV1,
  mapResponseV2,
  notFound,
  requestTooLong,
  serviceUnavailable,
  tooManyRequests,
} from './responses.js';

/** What every request of one gateway shares. */
export interface GatewayEnv {
  readonly invoker: LambdaInvoker;
  readonly clock: Clock;
  readonly requestIds: RequestIdGenerator;
  readonly accessLog: ((line: string) => void) | undefined;
  /** Called with errors the gateway itself threw (bugs), which it answers with 500. */
  readonly onError: (error: unknown) => void;
}

/** Without an access log, every request writes to this one entry, which nothing reads. */
const UNLOGGED = new AccessLogEntry('-', 0);

export async function handleRequest(
  api: CompiledApi | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  env: GatewayEnv,
): Promise<void> {
  const requestId = env.requestIds();
  const now = env.clock.now();
  const log = env.accessLog === undefined ? UNLOGGED : new AccessLogEntry(requestId, now);
  let response: GatewayResponse;
  try {
    response = await run(api, req, requestId, now, env, log);
  } catch (error) {
    env.onError(error);
    response = internalServerError();
  }
  if (api?.cors !== undefined && !response.corsFinal) api.cors.apply(response.headers, req.headers.origin);
  try {
    send(req, res, response, requestId);
  } catch (error) {
    env.onError(error);
    if (res.headersSent) res.destroy();
    else {
      response = internalServerError();
      send(req, res, response, requestId);
    }
  }
  env.accessLog?.(log.format(response.status, response.bodyLength, response.errorMessage));
}

async function run(
  api: CompiledApi | undefined,
  req: IncomingMessage,
  requestId: string,
  now: number,
  env: GatewayEnv,
  log: AccessLogEntry,
): Promise<GatewayResponse> {
  log.httpMethod = req.method ?? '-';
  log.protocol = `HTTP/${req.httpVersion}`;
  const read = readRequest(req, requestId, now);
  const request = read instanceof Promise ? await read : read; // no await (a microtask) without a body
  if (request instanceof GatewayResponse) {
    // The 413, answered before the request is parsed: the log still names what is known.
    if (env.accessLog !== undefined) logUnparsed(api, req, log);
    return request;
  }
  log.ip = request.sourceIp;
  log.path = request.path;
  if (api === undefined) return notFound();
  log.apiId = api.apiId;
  log.api = api;

  const staged = selectStage(api, request.path);
  if (staged === undefined) return notFound();
  log.stage = staged.stage.name;
  // The stage's declared format, and what it may read lazily (the user agent).
  log.declared = staged.stage.accessLog;
  log.request = request;

  const match = api.routes.match(request.method, staged.routePath);
  if (match === undefined) {
    if (
      api.cors !== undefined &&
      request.origin !== undefined &&
      CorsPolicy.isPreflight(request.method, request.headers)
    ) {
      return api.cors.preflight(request.origin);
    }
    return notFound();
  }
  const { route } = match;
  log.routeKey = route.routeKey;
  const exchange: Exchange = {
    api,
    request,
    stage: staged.stage,
    routePath: staged.routePath,
    route,
    pathParameters: match.pathParameters,
  };

  let auth: Authorization | undefined;
  if (route.authorizer !== undefined) {
    const result = await route.authorizer.authorize(exchange, route.scopes);
    if (result instanceof AuthorizerFailure) {
      log.authorizerError = result.error;
      return result.response;
    }
    auth = result;
    log.auth = auth;
    if (auth.kind === 'lambda') log.authorizerLatency = String(auth.latencyMs);
  }

  const bucket = staged.stage.buckets[route.index];
  if (bucket !== undefined && !bucket.tryTake()) return tooManyRequests();

  return await integrate(exchange, auth, env, log); // `return await`: one microtask, not three
}

async function integrate(
  x: Exchange,
  auth: Authorization | undefined,
  env: GatewayEnv,
  log: AccessLogEntry,
): Promise<GatewayResponse> {
  const { route } = x;
  const v2 = route.payloadFormatVersion === '2.0';
  const event = v2 ? buildEventV2(x, auth) : buildEventV1(x, auth);
  const started = performance.now();
  const outcome = await invokeWithDeadline(
    env.invoker,
    route.functionName,
    event,
    x.request.requestId,
    route.timeoutMs,
  );
  log.integrationLatency = String(Math.round(performance.now() - started));

  // The integration timeout (HTTP API's, at most 30 s) → 503. A function that hits its own timeout is a
  // failed invocation like any other → 500 (Lambda reports "Task timed out" as a function error).
  if (outcome === GATEWAY_TIMEOUT || (!outcome.ok && outcome.errorType === DEADLINE_EXCEEDED)) {
    log.integrationErrorMessage = `integration timed out after ${route.timeoutMs} ms`;
    return serviceUnavailable();
  }
  if (!outcome.ok) {
    log.integrationErrorMessage = `${outcome.errorType}: ${outcome.errorMessage}`;
    // An event over Lambda's 6 MB request limit: Lambda's 413 comes back as API Gateway's own 413 (§2.4).
    if (outcome.kind === 'request-too-large') {
      log.integrationStatus = '413';
      return requestTooLong();
    }
    // Lambda throttling (429) also surfaces as 500: proxy integrations cannot pass Lambda's status on
    // (recorded for REST APIs; assumed for HTTP APIs). A response over 6 MB (`response-too-large`) is a failed
    // invocation like any other → 500 (§5.4).
    log.integrationStatus = outcome.kind === 'throttled' ? '429' : '200';
    return internalServerError();
  }
  log.integrationStatus = '200';
  try {
    return v2 ? mapResponseV2(outcome.result) : mapResponseV1(outcome.result);
  } catch (error) {
    if (!(error instanceof InvalidIntegrationResponse)) throw error;
    log.integrationErrorMessage = `invalid Lambda response: ${error.message}`;
    return internalServerError();
  }
}

/** What the log of a request answered before it was parsed (the 413) can name: caller, path, API, stage. */
function logUnparsed(api: CompiledApi | undefined, req: IncomingMessage, log: AccessLogEntry): void {
  const path = requestPath(req);
  log.ip = clientIp(req);
  log.path = path;
  log.request = { userAgent: req.headers['user-agent'] ?? '' };
  if (api === undefined) return;
  log.apiId = api.apiId;
  log.api = api;
  const stage = selectStage(api, path)?.stage;
  if (stage === undefined) return;
  log.stage = stage.name;
  log.declared = stage.accessLog;
}

function send(req: IncomingMessage, res: ServerResponse, response: GatewayResponse, requestId: string): void {
  const { headers, status, body } = response;
  headers['apigw-requestid'] = requestId;
  if (status !== 204 && status !== 304) headers['content-length'] = String(response.bodyLength);
  res.writeHead(status, headers);
  if (response.drainsRequest) {
    res.write(body); // sent now; the response ends (and the connection closes) after the upload
    endAfterRequestBody(req, res);
  } else res.end(body);
}
