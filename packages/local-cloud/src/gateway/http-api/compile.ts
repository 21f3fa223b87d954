/**
 * Start-up work: validate an HttpApiConfig and turn it into the structures the request path reads —
 * a route trie, stages by name with their throttling buckets, authorizer objects, the CORS policy.
 * Anything the gateway cannot emulate or a config that AWS would reject fails here, loudly.
 */
import type { Clock } from '../../clock.js';
import type { LambdaInvoker } from '../invoker.js';
import type { JwksRegistry } from '../jwt.js';
import { TokenBucket } from '../token-bucket.js';
import {
  compileHttpAccessLogFormat,
  type HttpAccessLogFormat,
  httpAccessLogFormatError,
} from './access-log.js';
import type { HttpApiConfig, HttpStageConfig, RouteAuthorization, ThrottleSettings } from './config.js';
import { CorsPolicy } from './cors.js';
import { JwtAuthorizer } from './jwt-authorizer.js';
import { LambdaAuthorizer } from './lambda-authorizer.js';
import type { IncomingHttpRequest } from './request.js';
import { HttpApiConfigError, parseRouteKey, RouteTable, type RouteTemplate } from './routes.js';

export interface CompiledRoute {
  readonly routeKey: string;
  readonly template: RouteTemplate | null;
  /** Position in the API's route list; indexes per-stage state such as throttling buckets. */
  readonly index: number;
  readonly functionName: string;
  readonly payloadFormatVersion: '1.0' | '2.0';
  readonly timeoutMs: number;
  readonly authorizer: JwtAuthorizer | LambdaAuthorizer | undefined;
  /** JWT `AuthorizationScopes` (empty: no scope check). */
  readonly scopes: readonly string[];
}

export interface CompiledStage {
  readonly name: string;
  /** `/dev` for a named stage, `''` for `$default`. */
  readonly prefix: string;
  readonly stageVariables: Readonly<Record<string, string>> | undefined;
  /** Per route index; undefined: not throttled. */
  readonly buckets: ReadonlyArray<TokenBucket | undefined>;
  /** The declared access-log format; undefined: the gateway's own line. */
  readonly accessLog: HttpAccessLogFormat | undefined;
}

export interface CompiledApi {
  readonly apiId: string;
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  /** `{apiId}.execute-api.{region}.amazonaws.com`, as in `requestContext.domainName`. */
  readonly domainName: string;
  readonly routes: RouteTable<CompiledRoute>;
  /** Named stages by name. */
  readonly namedStages: ReadonlyMap<string, CompiledStage>;
  readonly defaultStage: CompiledStage | undefined;
  readonly stageNames: readonly string[];
  readonly cors: CorsPolicy | undefined;
}

/** One request once its stage and route are known: what authorizers and event builders read. */
export interface Exchange {
  readonly api: CompiledApi;
  readonly request: IncomingHttpRequest;
  readonly stage: CompiledStage;
  /** The request path without the stage prefix (what routes match against). */
  readonly routePath: string;
  readonly route: CompiledRoute;
  readonly pathParameters: Readonly<Record<string, string>> | undefined;
}

export interface CompileDeps {
  readonly invoker: LambdaInvoker;
  readonly clock: Clock;
  readonly jwks: JwksRegistry;
}

const ACCOUNT_DEFAULT: Required<ThrottleSettings> = { rateLimit: 10_000, burstLimit: 5_000 };
const MAX_INTEGRATION_TIMEOUT_MS = 30_000;
const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;

export function compileApi(config: HttpApiConfig, deps: CompileDeps): CompiledApi {
  const fail = (message: string): never => {
    throw new HttpApiConfigError(`HTTP API ${config.apiId}: ${message}`);
  };
  if (!/^[a-z0-9]+$/.test(config.apiId)) fail('apiId must be lower-case letters and digits');
  const region = config.region ?? 'us-east-1';
  const accountId = config.accountId ?? '123456789012';

  const authorizers = new Map<string, JwtAuthorizer | LambdaAuthorizer>();
  for (const authorizer of config.authorizers ?? []) {
    if (authorizers.has(authorizer.id)) fail(`duplicate authorizer id ${authorizer.id}`);
    try {
      authorizers.set(
        authorizer.id,
        authorizer.type === 'JWT'
          ? new JwtAuthorizer(authorizer, deps.jwks, deps.clock)
          : new LambdaAuthorizer(authorizer, deps),
      );
    } catch (error) {
      fail(`authorizer ${authorizer.id}: ${(error as Error).message}`);
    }
  }

  const routes = new RouteTable<CompiledRoute>();
  const routeList = config.routes.map((route, index): CompiledRoute => {
    const { integration } = route;
    if (integration.type !== 'AWS_PROXY')
      fail(`route ${route.routeKey}: only AWS_PROXY integrations run locally`);
    if (integration.payloadFormatVersion !== '1.0' && integration.payloadFormatVersion !== '2.0') {
      fail(`route ${route.routeKey}: payloadFormatVersion must be 1.0 or 2.0`);
    }
    const timeoutMs = integration.timeoutMs ?? MAX_INTEGRATION_TIMEOUT_MS;
    if (!(timeoutMs >= 50 && timeoutMs <= MAX_INTEGRATION_TIMEOUT_MS)) {
      fail(`route ${route.routeKey}: timeoutMs must be between 50 and 30000`);
    }
    const { authorizer, scopes } = resolveAuthorization(route.authorization, authorizers, (m) =>
      fail(`route ${route.routeKey}: ${m}`),
    );
    let template: RouteTemplate | null = null;
    try {
      template = parseRouteKey(route.routeKey);
    } catch (error) {
      fail((error as Error).message);
    }
    const compiled: CompiledRoute = {
      routeKey: route.routeKey,
      template,
      index,
      functionName: integration.functionName,
      payloadFormatVersion: integration.payloadFormatVersion,
      timeoutMs,
      authorizer,
      scopes,
    };
    try {
      routes.add(compiled);
    } catch (error) {
      fail((error as Error).message);
    }
    return compiled;
  });

  if (config.stages.length === 0) fail('an HTTP API needs at least one stage to be reachable');
  const namedStages = new Map<string, CompiledStage>();
  let defaultStage: CompiledStage | undefined;
  for (const stage of config.stages) {
    const isDefault = stage.name === '$default';
    if (!isDefault && !STAGE_NAME.test(stage.name))
      fail(`stage name ${JSON.stringify(stage.name)} is invalid`);
    if (isDefault ? defaultStage !== undefined : namedStages.has(stage.name))
      fail(`duplicate stage ${stage.name}`);
    for (const key of Object.keys(stage.routeSettings ?? {})) {
      if (!routeList.some((r) => r.routeKey === key))
        fail(`stage ${stage.name}: routeSettings for unknown route ${key}`);
    }
    const accessLog =
      stage.accessLogSettings === undefined
        ? undefined
        : compileHttpAccessLogFormat(stage.accessLogSettings.format);
    const formatError = accessLog === undefined ? undefined : httpAccessLogFormatError(accessLog);
    if (formatError !== undefined) fail(`stage ${stage.name}: ${formatError}`);
    const compiled: CompiledStage = {
      name: stage.name,
      prefix: isDefault ? '' : `/${stage.name}`,
      stageVariables:
        stage.stageVariables && Object.keys(stage.stageVariables).length > 0
          ? { ...stage.stageVariables }
          : undefined,
      buckets: routeList.map((route) => bucketFor(stage, route.routeKey, deps.clock)),
      accessLog,
    };
    if (isDefault) defaultStage = compiled;
    else namedStages.set(stage.name, compiled);
  }

  return {
    apiId: config.apiId,
    name: config.name ?? config.apiId,
    region,
    accountId,
    domainName: `${config.apiId}.execute-api.${region}.amazonaws.com`,
    routes,
    namedStages,
    defaultStage,
    stageNames: config.stages.map((s) => s.name),
    cors: config.cors ? new CorsPolicy(config.cors) : undefined,
  };
}

function resolveAuthorization(
  authorization: RouteAuthorization | undefined,
  authorizers: ReadonlyMap<string, JwtAuthorizer | LambdaAuthorizer>,
  fail: (message: string) => never,
): { authorizer: JwtAuthorizer | LambdaAuthorizer | undefined; scopes: readonly string[] } {
  if (authorization === undefined || authorization.type === 'NONE')
    return { authorizer: undefined, scopes: [] };
  if (authorization.type !== 'JWT' && authorization.type !== 'CUSTOM') {
    return fail(`authorization type ${(authorization as { type: string }).type} is not supported locally`);
  }
  const authorizer = authorizers.get(authorization.authorizerId);
  if (authorizer === undefined) return fail(`unknown authorizer ${authorization.authorizerId}`);
  const expected = authorization.type === 'JWT' ? JwtAuthorizer : LambdaAuthorizer;
  if (!(authorizer instanceof expected)) {
    return fail(
      `authorizer ${authorization.authorizerId} cannot serve authorization type ${authorization.type}`,
    );
  }
  return { authorizer, scopes: authorization.type === 'JWT' ? [...(authorization.scopes ?? [])] : [] };
}

function bucketFor(stage: HttpStageConfig, routeKey: string, clock: Clock): TokenBucket | undefined {
  const route = stage.routeSettings?.[routeKey];
  const rateLimit = route?.rateLimit ?? stage.throttle?.rateLimit;
  const burstLimit = route?.burstLimit ?? stage.throttle?.burstLimit;
  if (rateLimit === undefined && burstLimit === undefined) return undefined;
  return new TokenBucket(
    {
      rateLimit: rateLimit ?? ACCOUNT_DEFAULT.rateLimit,
      burstLimit: burstLimit ?? ACCOUNT_DEFAULT.burstLimit,
    },
    clock,
  );
}

/** Picks the stage from the path: an explicit stage prefix, else `$default`. */
export function selectStage(
  api: CompiledApi,
  path: string,
): { stage: CompiledStage; routePath: string } | undefined {
  if (api.namedStages.size > 0) {
    const end = path.indexOf('/', 1);
    const first = end === -1 ? path.slice(1) : path.slice(1, end);
    const stage = api.namedStages.get(first);
    if (stage !== undefined) return { stage, routePath: end === -1 ? '/' : path.slice(end) };
  }
  return api.defaultStage === undefined ? undefined : { stage: api.defaultStage, routePath: path };
}
