/**
 * The REST API gateway's listeners (same scheme as the HTTP API gateway, see ../README.md):
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
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, systemClock } from '../../clock.js';
import type { RunningService } from '../../service.js';
import type { LambdaInvoker } from '../invoker.js';
import { createRequestIdGenerator } from '../request-id.js';
import { type CompiledApi, compileApi, RestApiConfigError, type RestApiGap } from './compile.js';
import type { RestApiConfig } from './config.js';
import { type GatewayEnv, handleRequest } from './pipeline.js';
import type { CacheStats } from './response-cache.js';
import { UsagePlanConfigError, UsagePlans } from './usage-plans.js';

export interface StartRestApiGatewayOptions {
  readonly apis: readonly RestApiConfig[];
  readonly invoker: LambdaInvoker;
  /** Port of the shared, Host-routed listener. Default 0 (any free port). */
  readonly port?: number;
  /** Port of each API's dedicated listener, by apiId. Default 0. */
  readonly apiPorts?: Readonly<Record<string, number>>;
  /** Drives TTLs, quotas, token buckets and timestamps. Default: the system clock. */
  readonly clock?: Clock;
  /** Receives one JSON access-log line per request. Default: no access log. */
  readonly accessLog?: (line: string) => void;
  /** Receives internal errors (answered with 500). Default: printed to stderr. */
  readonly onError?: (error: unknown) => void;
}

export interface RestApiStageEndpoint {
  readonly stage: string;
  /** On the API's dedicated listener, e.g. `http://127.0.0.1:41234/dev`. */
  readonly url: string;
  /** On the shared listener, e.g. `http://a1b2c3.execute-api.localhost:40000/dev`. */
  readonly hostUrl: string;
}

export interface RestApiEndpoint {
  readonly apiId: string;
  readonly name: string;
  /** Base URL of the dedicated listener, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Base URL on the shared listener, by Host. */
  readonly hostUrl: string;
  /** The URL AWS would give the API (`https://{apiId}.execute-api.{region}.amazonaws.com`). */
  readonly awsUrl: string;
  readonly stages: readonly RestApiStageEndpoint[];
}

export interface RestApiGateway extends RunningService {
  /** The shared listener, e.g. `http://127.0.0.1:40000`. */
  readonly url: string;
  readonly apis: readonly RestApiEndpoint[];
  /** Configured features that are not emulated, one per line to list at start. */
  readonly gaps: readonly RestApiGap[];
  /** The endpoint of one API; throws for an unknown apiId. */
  endpoint(apiId: string): RestApiEndpoint;
  /** FlushStageCache; throws for an unknown API or stage. */
  flushStageCache(apiId: string, stage: string): void;
  /** Hit/miss counters and size of a stage's cache (zeros without a cache cluster). */
  cacheStats(apiId: string, stage: string): CacheStats;
}

const EXECUTE_API = '.execute-api.';
const ADMIN = /^\/_local\/restapis\/([^/]+)\/stages\/([^/]+)\/cache\/(data|stats)\/?$/;
const NO_CACHE: CacheStats = { hits: 0, misses: 0, entries: 0, bytes: 0, flushes: 0 };

/** `abc123.execute-api.us-east-1.amazonaws.com[:443]` → `abc123`. */
function apiIdOfHost(host: string | undefined): string | undefined {
  if (host === undefined) return undefined;
  const i = host.indexOf(EXECUTE_API);
  return i > 0 ? host.slice(0, i).toLowerCase() : undefined;
}

const first = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

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
  const soleApi = compiled.size === 1 ? [...compiled.values()][0] : undefined;

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

  /** The API a request names (Host, x-forwarded-host, x-apigw-api-id); otherwise the listener's own. */
  const handlerFor = (own: CompiledApi | undefined) => (req: IncomingMessage, res: ServerResponse) => {
    const m = req.url?.startsWith('/_local/') ? ADMIN.exec(req.url.split('?')[0] as string) : null;
    if (m) {
      admin(req, res, m);
      return;
    }
    const named =
      apiIdOfHost(req.headers.host) ??
      apiIdOfHost(first(req.headers['x-forwarded-host'])) ??
      first(req.headers['x-apigw-api-id'])?.toLowerCase();
    const api = named === undefined ? own : compiled.get(named);
    void handleRequest(api, req, res, env);
  };

  const servers: Server[] = [];
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= Promise.all(servers.map(closeServer)).then(() => undefined);
    return closing;
  };

  try {
    const shared = createServer({ keepAliveTimeout: 5_000 }, handlerFor(soleApi));
    servers.push(shared);
    const sharedPort = await listen(shared, options.port ?? 0);
    const endpoints: RestApiEndpoint[] = [];
    for (const api of compiled.values()) {
      const server = createServer({ keepAliveTimeout: 5_000 }, handlerFor(api));
      servers.push(server);
      const port = await listen(server, options.apiPorts?.[api.apiId] ?? 0);
      const url = `http://127.0.0.1:${port}`;
      const hostUrl = `http://${api.apiId}.execute-api.localhost:${sharedPort}`;
      endpoints.push({
        apiId: api.apiId,
        name: api.name,
        url,
        hostUrl,
        awsUrl: `https://${api.domainName}`,
        stages: [...api.stages.keys()].map((stage) => ({
          stage,
          url: `${url}/${stage}`,
          hostUrl: `${hostUrl}/${stage}`,
        })),
      });
    }
    return {
      url: `http://127.0.0.1:${sharedPort}`,
      apis: endpoints,
      gaps: [...compiled.values()].flatMap((api) => api.gaps),
      endpoint(apiId) {
        const endpoint = endpoints.find((e) => e.apiId === apiId);
        if (endpoint === undefined) throw new Error(`no REST API ${apiId}`);
        return endpoint;
      },
      flushStageCache,
      cacheStats,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
