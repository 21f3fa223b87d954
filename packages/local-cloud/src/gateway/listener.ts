/**
 * The gateways' front door: one **shared listener** that serves every API — HTTP and REST alike — by the
 * API id the request names, plus one **dedicated listener per API**. See ../README.md, "URL scheme".
 *
 * A request names an API by
 * - `Host: {apiId}.execute-api.<anything>` — `http://{apiId}.execute-api.localhost:{port}/` works in
 *   browsers and curl, and a function calling its API's AWS URL reaches it once the worker's network
 *   rewrite points `*.execute-api.*.amazonaws.com` here;
 * - `x-forwarded-host` with the same shape (the rewrite sends it, since `fetch` cannot set `Host`);
 * - `x-apigw-api-id`, the private-API header.
 *
 * A request naming a mounted API goes to it on any listener; naming an unknown one gets `unknownApi`.
 * Naming none, it goes to the listener's own API (dedicated listeners) or, on the shared listener, to the
 * only mounted API if there is exactly one. Prefix routes (local admin routes) are checked first.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../clock.js';
import type { RunningService } from '../service.js';
import type { LambdaInvoker } from './invoker.js';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface FrontDoorOptions {
  /** Port of the shared listener. Default 0 (any free port). */
  readonly port?: number;
  /** Answers requests naming an API that is not mounted (or naming none when several are). */
  readonly unknownApi?: RequestHandler;
}

export interface DedicatedListener {
  /** e.g. `http://127.0.0.1:4010`. */
  readonly url: string;
  close(): Promise<void>;
}

const EXECUTE_API = '.execute-api.';

/** `abc123.execute-api.us-east-1.amazonaws.com[:443]` → `abc123`. */
function apiIdOfHost(host: string | undefined): string | undefined {
  if (host === undefined) return undefined;
  const i = host.indexOf(EXECUTE_API);
  return i > 0 ? host.slice(0, i).toLowerCase() : undefined;
}

const first = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

/** The API id a request names (Host, `x-forwarded-host`, `x-apigw-api-id`), if any. */
export function apiIdOfRequest(req: IncomingMessage): string | undefined {
  const headers = req.headers; // a getter: read once
  return (
    apiIdOfHost(headers.host) ??
    apiIdOfHost(first(headers['x-forwarded-host'])) ??
    first(headers['x-apigw-api-id'])?.toLowerCase()
  );
}

/** Default answer for an unknown API: the HTTP API gateway's 404 (unverified: AWS has no such host). */
const NOT_FOUND: RequestHandler = (_req, res) => {
  const body = '{"message":"Not Found"}';
  res.writeHead(404, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
};

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

export class FrontDoor implements RunningService {
  readonly #apis = new Map<string, RequestHandler>();
  readonly #prefixes: { prefix: string; handler: RequestHandler }[] = [];
  readonly #servers = new Set<Server>();
  readonly #unknownApi: RequestHandler;
  #closing: Promise<void> | undefined;
  /** The shared listener, e.g. `http://127.0.0.1:4000`. */
  url = '';
  port = 0;

  private constructor(options: FrontDoorOptions) {
    this.#unknownApi = options.unknownApi ?? NOT_FOUND;
  }

  static async start(options: FrontDoorOptions = {}): Promise<FrontDoor> {
    const door = new FrontDoor(options);
    door.port = await door.#listen(options.port ?? 0, undefined);
    door.url = `http://127.0.0.1:${door.port}`;
    return door;
  }

  /** Where an API is served on the shared listener: `http://{apiId}.execute-api.localhost:{port}`. */
  hostUrl(apiId: string): string {
    return `http://${apiId}.execute-api.localhost:${this.port}`;
  }

  mount(apiId: string, handler: RequestHandler): void {
    const id = apiId.toLowerCase();
    if (this.#apis.has(id)) throw new Error(`API ${apiId} is served twice`);
    this.#apis.set(id, handler);
  }

  unmount(apiId: string): void {
    this.#apis.delete(apiId.toLowerCase());
  }

  /** Requests whose path starts with `prefix` go to `handler` on every listener. Returns the removal. */
  mountPrefix(prefix: string, handler: RequestHandler): () => void {
    const entry = { prefix, handler };
    this.#prefixes.push(entry);
    return () => {
      const i = this.#prefixes.indexOf(entry);
      if (i >= 0) this.#prefixes.splice(i, 1);
    };
  }

  /** A listener serving `apiId` whatever the Host (unless it names another API). */
  async listenDedicated(apiId: string, port = 0): Promise<DedicatedListener> {
    let server: Server | undefined;
    const actual = await this.#listen(port, apiId.toLowerCase(), (s) => {
      server = s;
    });
    return {
      url: `http://127.0.0.1:${actual}`,
      close: async () => {
        if (server === undefined || !this.#servers.delete(server)) return;
        await closeServer(server);
      },
    };
  }

  /** Closes the shared listener and every dedicated one still open. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= Promise.all([...this.#servers].map(closeServer)).then(() => undefined);
    return this.#closing;
  }

  #route(own: string | undefined): RequestHandler {
    return (req, res) => {
      const url = req.url;
      if (url !== undefined) {
        for (const p of this.#prefixes) if (url.startsWith(p.prefix)) return p.handler(req, res);
      }
      const named = apiIdOfRequest(req);
      let handler: RequestHandler | undefined;
      if (named !== undefined) handler = this.#apis.get(named);
      else if (own !== undefined) handler = this.#apis.get(own);
      else if (this.#apis.size === 1) handler = this.#apis.values().next().value;
      (handler ?? this.#unknownApi)(req, res);
    };
  }

  async #listen(port: number, own: string | undefined, created?: (server: Server) => void): Promise<number> {
    const server = createServer({ keepAliveTimeout: 5_000 }, this.#route(own));
    this.#servers.add(server);
    created?.(server);
    try {
      return await listen(server, port);
    } catch (error) {
      this.#servers.delete(server);
      throw error;
    }
  }
}

/** Where a gateway listens: the options both gateways take. */
export interface GatewayListenOptions {
  /**
   * A front door shared with other gateways (the local cloud serves HTTP and REST APIs on one port).
   * Default: the gateway opens its own on `port`, and closes it on `close()`.
   */
  readonly frontDoor?: FrontDoor;
  /** Port of the shared, Host-routed listener. Default 0 (any free port). Ignored with `frontDoor`. */
  readonly port?: number;
  /** Port of each API's dedicated listener, by apiId. Default 0. */
  readonly apiPorts?: Readonly<Record<string, number>>;
}

export interface GatewayRoutes {
  readonly apiIds: readonly string[];
  /** The handler of one API; `undefined`: of an unknown API (on a front door the gateway opens itself). */
  readonly handlerFor: (apiId: string | undefined) => RequestHandler;
  /** Prefix routes (local admin routes), on every listener. */
  readonly prefixes?: readonly { readonly prefix: string; readonly handler: RequestHandler }[];
}

export interface MountedGateway {
  readonly door: FrontDoor;
  /** The dedicated listener's URL of each API, by id. */
  readonly dedicatedUrls: ReadonlyMap<string, string>;
  /** Unmounts the gateway's APIs and routes, closes their dedicated listeners (and its own door). */
  close(): Promise<void>;
}

/** What both gateways do to be served: mount their APIs on a front door and open their dedicated ports. */
export async function mountGateway(
  options: GatewayListenOptions,
  routes: GatewayRoutes,
): Promise<MountedGateway> {
  const ownDoor = options.frontDoor === undefined;
  const door =
    options.frontDoor ??
    (await FrontDoor.start({ port: options.port ?? 0, unknownApi: routes.handlerFor(undefined) }));
  const removals = (routes.prefixes ?? []).map((p) => door.mountPrefix(p.prefix, p.handler));
  const dedicated: DedicatedListener[] = [];
  const mounted: string[] = [];
  const dedicatedUrls = new Map<string, string>();
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      for (const remove of removals) remove();
      for (const apiId of mounted) door.unmount(apiId);
      await Promise.all(dedicated.map((listener) => listener.close()));
      if (ownDoor) await door.close();
    })();
    return closing;
  };
  try {
    for (const apiId of routes.apiIds) {
      door.mount(apiId, routes.handlerFor(apiId));
      mounted.push(apiId);
      const listener = await door.listenDedicated(apiId, options.apiPorts?.[apiId] ?? 0);
      dedicated.push(listener);
      dedicatedUrls.set(apiId, listener.url);
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { door, dedicatedUrls, close };
}

export interface ApiStageEndpoint {
  readonly stage: string;
  /** On the API's dedicated listener, e.g. `http://127.0.0.1:41234/dev`. */
  readonly url: string;
  /** On the shared listener, e.g. `http://a1b2c3.execute-api.localhost:40000/dev`. */
  readonly hostUrl: string;
}

export interface ApiEndpoint {
  readonly apiId: string;
  readonly name: string;
  /** Base URL of the dedicated listener, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Base URL on the shared listener, by Host. */
  readonly hostUrl: string;
  /** The URL AWS would give the API (`https://{apiId}.execute-api.{region}.amazonaws.com`). */
  readonly awsUrl: string;
  readonly stages: readonly ApiStageEndpoint[];
}

/** Where a mounted API is served; stages are path prefixes, `$default` (HTTP APIs) the root. */
export function apiEndpoint(
  mounted: MountedGateway,
  api: { readonly apiId: string; readonly name: string; readonly domainName: string },
  stages: readonly string[],
): ApiEndpoint {
  const url = mounted.dedicatedUrls.get(api.apiId);
  if (url === undefined) throw new Error(`API ${api.apiId} is not mounted`);
  const hostUrl = mounted.door.hostUrl(api.apiId);
  return {
    apiId: api.apiId,
    name: api.name,
    url,
    hostUrl,
    awsUrl: `https://${api.domainName}`,
    stages: stages.map((stage) => {
      const suffix = stage === '$default' ? '' : `/${stage}`;
      return { stage, url: `${url}${suffix}`, hostUrl: `${hostUrl}${suffix}` };
    }),
  };
}

/** What both gateways take besides their APIs: where they listen, whom they invoke, time and logs. */
export interface GatewayOptions extends GatewayListenOptions {
  readonly invoker: LambdaInvoker;
  /** Drives TTLs, quotas, token buckets and timestamps. Default: the system clock. */
  readonly clock?: Clock;
  /** Receives one JSON access-log line per request. Default: no access log. */
  readonly accessLog?: (line: string) => void;
  /** Receives internal errors (answered with 500). Default: printed to stderr. */
  readonly onError?: (error: unknown) => void;
}

/** What both gateways are once started. */
export interface RunningGateway extends RunningService {
  /** The shared listener, e.g. `http://127.0.0.1:40000`. */
  readonly url: string;
  readonly apis: readonly ApiEndpoint[];
  /** The endpoint of one API; throws for an unknown apiId. */
  endpoint(apiId: string): ApiEndpoint;
}
