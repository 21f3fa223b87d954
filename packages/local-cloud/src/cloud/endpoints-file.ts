/**
 * The endpoints file: what a running local cloud serves, as JSON for scripts and tests
 * (`.local-cloud/endpoints.json` by default). The documented fields are a contract — fields may be
 * added, never renamed. Written atomically (a reader polling for the file never sees half of it) and
 * removed when the local cloud stops.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AssemblyModel } from '../assembly';
import type { HttpApiEndpoint } from '../gateway/http-api';
import type { RestApiEndpoint } from '../gateway/rest-api';
import type { DemoUser, SeedUser } from '../identity';
import type { RestApiMapping } from './rest-apis';

export interface EndpointsFile {
  /** The stage that was loaded (`dev`), null for an app without stages. */
  stage: string | null;
  region: string;
  accountId: string;
  /** Absolute path of the (per-stage) assembly that runs. */
  assemblyDir: string;
  /** APIs served locally. */
  apis: Array<{
    kind: 'http' | 'rest' | 'websocket';
    stack: string;
    logicalId: string;
    apiId: string;
    name: string;
    /** Base URL of the API's default stage (`$default`, else its first stage), e.g. `http://127.0.0.1:4010/`. */
    url: string;
    stages: Array<{
      name: string;
      url: string;
      hostUrl: string;
      /** REST stages with a cache cluster: GET → `{hits, misses, entries, bytes, flushes}`. */
      cacheStatsUrl?: string;
      /** REST stages with a cache cluster: DELETE → 202, flushes the stage cache (FlushStageCache). */
      cacheFlushUrl?: string;
    }>;
    /** The same API on the gateway's shared listener, chosen by Host (`http://<apiId>.execute-api.localhost:PORT/`). */
    hostUrl: string;
    /** Where AWS would serve it. */
    awsUrl: string;
  }>;
  /**
   * REST APIs' keys with their values — local demo keys (generated, stable across restarts, when the template
   * has no `Value`), never real ones. `id` is the key's `Ref` (what an output like `FreeApiKeyId` holds).
   */
  apiKeys: Array<{
    id: string;
    stack: string;
    logicalId: string;
    name: string;
    value: string;
    enabled: boolean;
    /** `Ref`s of the served usage plans the key is in. */
    usagePlanIds: string[];
  }>;
  /** REST APIs' usage plans. `id` is the plan's `Ref`. */
  usagePlans: Array<{
    id: string;
    stack: string;
    logicalId: string;
    name: string;
    throttle?: { rateLimit?: number; burstLimit?: number };
    quota?: { limit: number; period: 'DAY' | 'WEEK' | 'MONTH'; offset?: number };
  }>;
  /**
   * The API Gateway control plane's management calls on REST APIs (GetUsagePlan, GetUsage, UpdateUsage,
   * FlushStageCache, GetApiKey): `endpoint` is for the SDK's `endpoint` option (`@aws-sdk/client-api-gateway`).
   */
  apiGateway: { endpoint: string };
  /** Stack name → output key → value, AWS URLs of local services rewritten to local ones. */
  outputs: Record<string, Record<string, string>>;
  cognito: {
    /** For the SDK's `endpoint` option (the Cognito JSON API). */
    endpoint: string;
    userPools: Array<{
      id: string;
      name: string;
      stack: string;
      logicalId: string;
      issuer: string;
      jwksUri: string;
      tokenEndpoint: string;
      oauthBaseUrl: string;
      clients: Array<{ id: string; name: string; logicalId: string; secret?: string }>;
    }>;
  };
  /** Seeded users — local demo credentials, never real ones. */
  demoUsers: Array<{
    poolId: string;
    /** What to sign in with (the email in email-as-username pools). */
    username: string;
    password: string;
    email?: string;
    groups: string[];
    sub: string;
  }>;
  dynamodb: {
    endpoint: string;
    engine: string;
    tables: Array<{ stack: string; logicalId: string; name: string }>;
  };
  functions: Array<{
    stack: string;
    logicalId: string;
    name: string;
    arn: string;
    /** Why the function cannot run locally; absent when it can. */
    unavailable?: string;
  }>;
  /** One line per thing the local cloud does not implement for this assembly. */
  gaps: string[];
  /** Process id of the local cloud that wrote the file. */
  pid: number;
}

export interface EndpointsFileInput {
  readonly model: AssemblyModel;
  readonly rewrite: (value: string) => string;
  /** The HTTP APIs the gateway serves. */
  readonly httpApis: readonly HttpApiEndpoint[];
  /** The REST APIs the gateway serves. */
  readonly restApis: readonly RestApiEndpoint[];
  /** What the REST API gateway was given (cache clusters, usage plans, keys). */
  readonly restMapping: Pick<RestApiMapping, 'apis' | 'apiKeys' | 'usagePlans'>;
  readonly identity: {
    readonly url: string;
    issuerFor(poolId: string): string;
    jwksUriFor(poolId: string): string;
    tokenEndpointFor(poolId: string): string;
    oauthBaseUrlFor(poolId: string): string;
    demoUsers(): DemoUser[];
  };
  readonly seedUsers: readonly SeedUser[];
  readonly dynamoDb: { readonly endpoint: string; readonly engine: string };
  /** The API Gateway control plane's URL (management-api.ts). */
  readonly apiGateway: { readonly url: string };
  readonly unavailableFunctions: ReadonlyMap<string, string>;
  readonly gaps: readonly string[];
}

const slash = (url: string) => (url.endsWith('/') ? url : `${url}/`);

export function buildEndpointsFile(input: EndpointsFileInput): EndpointsFile {
  const { model, identity } = input;
  const httpServed = new Map(input.httpApis.map((api) => [api.apiId, api]));
  const restServed = new Map(input.restApis.map((api) => [api.apiId, api]));
  const cached = new Set(
    input.restMapping.apis.flatMap((api) =>
      api.stages.filter((s) => s.cacheClusterEnabled === true).map((s) => `${api.apiId}/${s.name}`),
    ),
  );
  const entry = (
    kind: 'http' | 'rest',
    api: { stack: string; logicalId: string; id: string; name: string },
    endpoint: HttpApiEndpoint | RestApiEndpoint,
  ): EndpointsFile['apis'][number] => {
    const stages = endpoint.stages.map((s) => {
      // Admin routes are served on every listener; the API's own is the plain one.
      const admin = `${endpoint.url}/_local/restapis/${api.id}/stages/${encodeURIComponent(s.stage)}/cache`;
      return {
        name: s.stage,
        url: slash(s.url),
        hostUrl: slash(s.hostUrl),
        ...(kind === 'rest' && cached.has(`${api.id}/${s.stage}`)
          ? { cacheStatsUrl: `${admin}/stats`, cacheFlushUrl: `${admin}/data` }
          : {}),
      };
    });
    const main = stages.find((s) => s.name === '$default') ?? stages[0];
    return {
      kind,
      stack: api.stack,
      logicalId: api.logicalId,
      apiId: api.id,
      name: api.name,
      url: main?.url ?? slash(endpoint.url),
      stages,
      hostUrl: main?.hostUrl ?? slash(endpoint.hostUrl),
      awsUrl: slash(endpoint.awsUrl),
    };
  };
  return {
    stage: model.stage ?? null,
    region: model.region,
    accountId: model.accountId,
    assemblyDir: model.assemblyDir,
    apis: [
      ...model.httpApis.flatMap((api) => {
        const endpoint = httpServed.get(api.id);
        return endpoint === undefined ? [] : [entry('http', api, endpoint)];
      }),
      ...model.restApis.flatMap((api) => {
        const endpoint = restServed.get(api.id);
        return endpoint === undefined ? [] : [entry('rest', api, endpoint)];
      }),
    ],
    apiKeys: input.restMapping.apiKeys.map((key) => ({
      id: key.id,
      stack: key.stack,
      logicalId: key.logicalId,
      name: key.name,
      value: key.value,
      enabled: key.enabled,
      usagePlanIds: [...key.usagePlanIds],
    })),
    usagePlans: input.restMapping.usagePlans.map((plan) => ({
      id: plan.id,
      stack: plan.stack,
      logicalId: plan.logicalId,
      name: plan.name,
      ...(plan.throttle === undefined ? {} : { throttle: { ...plan.throttle } }),
      ...(plan.quota === undefined ? {} : { quota: { ...plan.quota } }),
    })),
    apiGateway: { endpoint: input.apiGateway.url },
    outputs: Object.fromEntries(
      model.stacks.map((stack) => [
        stack.name,
        Object.fromEntries(stack.outputs.map((output) => [output.name, input.rewrite(output.value)])),
      ]),
    ),
    cognito: {
      endpoint: identity.url,
      userPools: model.userPools.map((pool) => ({
        id: pool.id,
        name: pool.name,
        stack: pool.stack,
        logicalId: pool.logicalId,
        issuer: identity.issuerFor(pool.id),
        jwksUri: identity.jwksUriFor(pool.id),
        tokenEndpoint: identity.tokenEndpointFor(pool.id),
        oauthBaseUrl: identity.oauthBaseUrlFor(pool.id),
        clients: pool.clients.map((client) => ({
          id: client.id,
          name: client.name,
          logicalId: client.logicalId,
          ...(client.secret === undefined ? {} : { secret: client.secret }),
        })),
      })),
    },
    demoUsers: identity.demoUsers().map((user) => {
      const seed = input.seedUsers.find((s) => s.poolId === user.poolId && s.username === user.signInName);
      return {
        poolId: user.poolId,
        username: user.signInName,
        password: user.password,
        ...(seed?.email === undefined ? {} : { email: seed.email }),
        groups: [...user.groups],
        sub: user.sub,
      };
    }),
    dynamodb: {
      endpoint: input.dynamoDb.endpoint,
      engine: input.dynamoDb.engine,
      tables: model.tables.map((t) => ({ stack: t.stack, logicalId: t.logicalId, name: t.name })),
    },
    functions: model.functions.map((fn) => {
      const unavailable = input.unavailableFunctions.get(fn.name);
      return {
        stack: fn.stack,
        logicalId: fn.logicalId,
        name: fn.name,
        arn: fn.arn,
        ...(unavailable === undefined ? {} : { unavailable }),
      };
    }),
    gaps: [...input.gaps],
    pid: process.pid,
  };
}

/** Writes the file atomically (temp file + rename), creating its folder. */
export async function writeEndpointsFile(file: string, endpoints: EndpointsFile): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  await writeFile(partial, `${JSON.stringify(endpoints, null, 2)}\n`);
  await rename(partial, file);
}

export async function removeEndpointsFile(file: string): Promise<void> {
  await rm(file, { force: true });
}
