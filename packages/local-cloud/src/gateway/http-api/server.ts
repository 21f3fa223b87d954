/**
 * The HTTP API gateway's listeners (see ../README.md, "URL scheme"; both come from ../listener.ts, which
 * may be shared with the REST API gateway):
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
import { systemClock } from '../../clock.js';
import { JwksRegistry } from '../jwt.js';
import {
  type ApiEndpoint,
  type ApiStageEndpoint,
  apiEndpoint,
  type GatewayOptions,
  mountGateway,
  type RunningGateway,
} from '../listener.js';
import { createRequestIdGenerator } from '../request-id.js';
import { type CompiledApi, compileApi } from './compile.js';
import type { HttpApiConfig } from './config.js';
import { type GatewayEnv, handleRequest } from './pipeline.js';

/** Where it listens (`port`, `frontDoor`, `apiPorts`), the invoker, clock and logs: see ../listener.ts. */
export interface StartHttpApiGatewayOptions extends GatewayOptions {
  readonly apis: readonly HttpApiConfig[];
}

export type HttpApiStageEndpoint = ApiStageEndpoint;
export type HttpApiEndpoint = ApiEndpoint;

export type HttpApiGateway = RunningGateway;

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
  const mounted = await mountGateway(options, {
    apiIds: [...compiled.keys()],
    handlerFor: (apiId) => {
      const api = apiId === undefined ? undefined : compiled.get(apiId);
      return (req, res) => void handleRequest(api, req, res, env);
    },
  });
  const { door, close } = mounted;

  const endpoints = [...compiled.values()].map((api) => apiEndpoint(mounted, api, api.stageNames));
  return {
    url: door.url,
    apis: endpoints,
    endpoint(apiId) {
      const endpoint = endpoints.find((e) => e.apiId === apiId);
      if (endpoint === undefined) throw new Error(`no HTTP API ${apiId}`);
      return endpoint;
    },
    close,
  };
}
