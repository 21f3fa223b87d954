/**
 * The REST API gateway's listeners (same scheme as the HTTP API gateway, see ../README.md; both come from
 * ../listener.ts, which may be shared with the HTTP API gateway):
 *
 * - one **dedicated listener per API** (`apiPorts[apiId]`, default 0): `http://127.0.0.1:{port}/{stage}/…`
 *   whatever the Host — the plain URL for tests, scripts and `fetch`;
 * - one **shared listener** (`port`, default 0) that picks the API from `Host: {apiId}.execute-api.<anything>`
 *   (or `x-forwarded-host`, or the private-API header `x-apigw-api-id`); with a single API, requests naming
 *   none go to it.
 *
 * A Host naming a known API wins on either listener. REST APIs have no `$default` stage: the first path
 * segment is always the stage.
 *
 * Local admin routes, on every listener (not part of any API):
 * - `DELETE /_local/restapis/{apiId}/stages/{stage}/cache/data` → 202, FlushStageCache;
 * - `GET /_local/restapis/{apiId}/stages/{stage}/cache/stats` → 200 `{hits, misses, entries, bytes, flushes}`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { systemClock } from '../../clock.js';
import {
  type ApiEndpoint,
  type ApiStageEndpoint,
  apiEndpoint,
  type GatewayOptions,
  mountGateway,
  type RunningGateway,
} from '../listener.js';
import { createRequestIdGenerator } from '../request-id.js';
import { type CompiledApi, compileApi, RestApiConfigError, type RestApiGap } from './compile.js';
import type { RestApiConfig } from './config.js';
import { type GatewayEnv, handleRequest } from './pipeline.js';
import type { CacheStats } from './response-cache.js';
import { UsagePlanConfigError, type UsagePlanReports, UsagePlans } from './usage-plans.js';

/** Where it listens (`port`, `frontDoor`, `apiPorts`), the invoker, clock and logs: see ../listener.ts. */
export interface StartRestApiGatewayOptions extends GatewayOptions {
  readonly apis: readonly RestApiConfig[];
}

export type RestApiStageEndpoint = ApiStageEndpoint;
export type RestApiEndpoint = ApiEndpoint;

export interface RestApiGateway extends RunningGateway {
  /** Configured features that are not emulated, one per line to list at start. */
  readonly gaps: readonly RestApiGap[];
  /** FlushStageCache; throws for an unknown API or stage. */
  flushStageCache(apiId: string, stage: string): void;
  /** Hit/miss counters and size of a stage's cache (zeros without a cache cluster). */
  cacheStats(apiId: string, stage: string): CacheStats;
  /**
   * Usage plans and API keys as the management calls see them (GetUsage, UpdateUsage, GetApiKey; served by
   * management-api.ts): plans and keys merged across the APIs, usage per key and UTC day.
   */
  readonly usagePlans: UsagePlanReports;
}

const ADMIN_PREFIX = '/_local/restapis/';
const ADMIN = /^\/_local\/restapis\/([^/]+)\/stages\/([^/]+)\/cache\/(data|stats)\/?$/;
const NO_CACHE: CacheStats = { hits: 0, misses: 0, entries: 0, bytes: 0, flushes: 0 };

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export async function startRestApiGateway(options: StartRestApiGatewayOptions): Promise<RestApiGateway> {
  const clock = options.clock ?? systemClock;
  const compiled = new Map<string, CompiledApi>();
  for (const config of options.apis) {
    if (compiled.has(config.apiId)) throw new RestApiConfigError(`REST API ${config.apiId} is defined twice`);
    compiled.set(config.apiId, compileApi(config, { invoker: options.invoker, clock }));
  }
  for (const plan of options.apis.flatMap((a) => a.usagePlans ?? [])) {
    for (const { apiId, stage } of plan.apiStages) {
      const api = compiled.get(apiId);
      if (api !== undefined && !api.stages.has(stage)) {
        throw new RestApiConfigError(`usage plan ${plan.id}: REST API ${apiId} has no stage ${stage}`);
      }
    }
  }
  let usagePlans: UsagePlans;
  try {
    usagePlans = new UsagePlans(options.apis, clock);
  } catch (error) {
    if (error instanceof UsagePlanConfigError) throw new RestApiConfigError(error.message);
    throw error;
  }
  const env: GatewayEnv = {
    invoker: options.invoker,
    clock,
    extendedRequestIds: createRequestIdGenerator(clock),
    usagePlans,
    accessLog: options.accessLog,
    onError: options.onError ?? ((error) => console.error('[rest-api gateway] internal error:', error)),
  };
  const stageOf = (apiId: string, stage: string) => {
    const found = compiled.get(apiId)?.stages.get(stage);
    if (found === undefined) throw new Error(`no stage ${stage} in REST API ${apiId}`);
    return found;
  };
  const flushStageCache = (apiId: string, stage: string): void => {
    stageOf(apiId, stage).cache?.flush();
  };
  const cacheStats = (apiId: string, stage: string): CacheStats =>
    stageOf(apiId, stage).cache?.stats() ?? NO_CACHE;

  const admin = (req: IncomingMessage, res: ServerResponse, m: RegExpExecArray): void => {
    const apiId = decodeURIComponent(m[1] as string);
    const stage = decodeURIComponent(m[2] as string);
    if (compiled.get(apiId)?.stages.get(stage) === undefined) {
      json(res, 404, { message: 'Invalid stage identifier specified' });
    } else if (m[3] === 'data' && req.method === 'DELETE') {
      flushStageCache(apiId, stage);
      json(res, 202, undefined);
    } else if (m[3] === 'stats' && req.method === 'GET') {
      json(res, 200, cacheStats(apiId, stage));
    } else {
      json(res, 405, { message: 'Method Not Allowed' });
    }
  };

  /** Admin routes; other `/_local/restapis/` paths are not API paths either (no stage is named `_local`). */
  const adminRoute = (req: IncomingMessage, res: ServerResponse): void => {
    const m = ADMIN.exec((req.url ?? '').split('?')[0] as string);
    if (m) admin(req, res, m);
    else json(res, 404, { message: 'Not Found' });
  };

  const mounted = await mountGateway(options, {
    apiIds: [...compiled.keys()],
    handlerFor: (apiId) => {
      const api = apiId === undefined ? undefined : compiled.get(apiId);
      return (req, res) => handleRequest(api, req, res, env);
    },
    prefixes: [{ prefix: ADMIN_PREFIX, handler: adminRoute }],
  });
  const { door, close } = mounted;

  const endpoints = [...compiled.values()].map((api) => apiEndpoint(mounted, api, [...api.stages.keys()]));
  return {
    url: door.url,
    apis: endpoints,
    gaps: [...compiled.values()].flatMap((api) => api.gaps),
    endpoint(apiId) {
      const endpoint = endpoints.find((e) => e.apiId === apiId);
      if (endpoint === undefined) throw new Error(`no REST API ${apiId}`);
      return endpoint;
    },
    flushStageCache,
    cacheStats,
    usagePlans,
    close,
  };
}
