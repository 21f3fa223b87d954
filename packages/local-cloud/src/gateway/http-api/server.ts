/**
 * The HTTP API gateway's listeners (see ../README.md, "URL scheme"):
 *
 * - one **shared listener** (`port`, default 0) that picks the API from the `Host` header
 *   `{apiId}.execute-api.<anything>` — so `http://{apiId}.execute-api.localhost:{port}/` works in browsers
 *   and curl, and a function calling its API's real URL reaches it once the worker's network rewrite points
 *   `*.execute-api.*.amazonaws.com` here (the rewrite's `x-forwarded-host` is honoured too, since `fetch`
 *   cannot set `Host`). With a single API, requests naming no API go to it;
 * - one **dedicated listener per API** (`apiPorts[apiId]`, default 0) serving that API at
 *   `http://127.0.0.1:{port}/` whatever the Host — the plain URL for tests, scripts and `fetch`.
 *
 * Named stages are path prefixes on both: `/{stage}/…`; `$default` is the root.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, systemClock } from '../../clock.js';
import type { RunningService } from '../../service.js';
import type { LambdaInvoker } from '../invoker.js';
import { JwksRegistry } from '../jwt.js';
import { createRequestIdGenerator } from '../request-id.js';
import { type CompiledApi, compileApi } from './compile.js';
import type { HttpApiConfig } from './config.js';
import { type GatewayEnv, handleRequest } from './pipeline.js';

export interface StartHttpApiGatewayOptions {
  readonly apis: readonly HttpApiConfig[];
  readonly invoker: LambdaInvoker;
  /** Port of the shared, Host-routed listener. Default 0 (any free port). */
  readonly port?: number;
  /** Port of each API's dedicated listener, by apiId. Default 0. */
  readonly apiPorts?: Readonly<Record<string, number>>;
  readonly clock?: Clock;
  /** Receives one JSON access-log line per request. Default: no access log. */
  readonly accessLog?: (line: string) => void;
  /** Receives internal errors (answered with 500). Default: printed to stderr. */
  readonly onError?: (error: unknown) => void;
}

export interface HttpApiStageEndpoint {
  readonly stage: string;
  /** On the API's dedicated listener, e.g. `http://127.0.0.1:41234/dev`. */
  readonly url: string;
  /** On the shared listener, e.g. `http://a1b2c3.execute-api.localhost:40000/dev`. */
  readonly hostUrl: string;
}

export interface HttpApiEndpoint {
  readonly apiId: string;
  readonly name: string;
  /** Base URL of the dedicated listener, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Base URL on the shared listener, by Host. */
  readonly hostUrl: string;
  /** The URL AWS would give the API (`https://{apiId}.execute-api.{region}.amazonaws.com`). */
  readonly awsUrl: string;
  readonly stages: readonly HttpApiStageEndpoint[];
}

export interface HttpApiGateway extends RunningService {
  /** The shared listener, e.g. `http://127.0.0.1:40000`. */
  readonly url: string;
  readonly apis: readonly HttpApiEndpoint[];
  /** The endpoint of one API; throws for an unknown apiId. */
  endpoint(apiId: string): HttpApiEndpoint;
}

const EXECUTE_API = '.execute-api.';

/** `abc123.execute-api.us-east-1.amazonaws.com[:443]` → `abc123`. */
function apiIdOfHost(host: string | undefined): string | undefined {
  if (host === undefined) return undefined;
  const i = host.indexOf(EXECUTE_API);
  return i > 0 ? host.slice(0, i).toLowerCase() : undefined;
}

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

export async function startHttpApiGateway(options: StartHttpApiGatewayOptions): Promise<HttpApiGateway> {
  const clock = options.clock ?? systemClock;
  const jwks = new JwksRegistry();
  const compiled = new Map<string, CompiledApi>();
  for (const config of options.apis) {
    if (compiled.has(config.apiId)) throw new Error(`HTTP API ${config.apiId} is defined twice`);
    compiled.set(config.apiId, compileApi(config, { invoker: options.invoker, clock, jwks }));
  }
  const env: GatewayEnv = {
    invoker: options.invoker,
    clock,
    requestIds: createRequestIdGenerator(clock),
    accessLog: options.accessLog,
    onError: options.onError ?? ((error) => console.error('[http-api gateway] internal error:', error)),
  };
  const soleApi = compiled.size === 1 ? [...compiled.values()][0] : undefined;

  /** The API a request names by Host (or x-forwarded-host); otherwise the listener's own. */
  const handlerFor = (own: CompiledApi | undefined) => (req: IncomingMessage, res: ServerResponse) => {
    const forwarded = req.headers['x-forwarded-host'];
    const named =
      apiIdOfHost(req.headers.host) ?? apiIdOfHost(Array.isArray(forwarded) ? forwarded[0] : forwarded);
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
    const endpoints: HttpApiEndpoint[] = [];
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
        stages: api.stageNames.map((stage) => {
          const suffix = stage === '$default' ? '' : `/${stage}`;
          return { stage, url: `${url}${suffix}`, hostUrl: `${hostUrl}${suffix}` };
        }),
      });
    }
    return {
      url: `http://127.0.0.1:${sharedPort}`,
      apis: endpoints,
      endpoint(apiId) {
        const endpoint = endpoints.find((e) => e.apiId === apiId);
        if (endpoint === undefined) throw new Error(`no HTTP API ${apiId}`);
        return endpoint;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
