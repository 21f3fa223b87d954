/**
 * Start-up work: validate a RestApiConfig and turn it into what the request path reads — the resource
 * tree, methods with their authorization, validation, cache key and integration, stages with per-method
 * throttling buckets, cache settings and response cache, authorizers, the resource policy and the
 * gateway responses. A configuration AWS would reject throws RestApiConfigError; a valid feature the
 * gateway does not emulate becomes a gap (listed at start; requests that need it fail with 500).
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../../clock.js';
import type { LambdaInvoker } from '../invoker.js';
import { type ThrottleLimits, TokenBucket } from '../token-bucket.js';
import { accessLogFormatError, compileRestAccessLogFormat, type RestAccessLogFormat } from './access-log.js';
import { RestLambdaAuthorizer } from './authorizer.js';
import type {
  MethodSettingConfig,
  RestApiConfig,
  RestMethodConfig,
  RestStageConfig,
  UnauthorizedCacheControlHeaderStrategy,
} from './config.js';
import type { Exchange } from './exchange.js';
import { GatewayResponses } from './gateway-responses.js';
import { type CompiledIntegration, compileIntegration } from './integration.js';
import { SchemaCompiler } from './json-schema.js';
import { headerValue } from './request.js';
import { ResourcePolicy } from './resource-policy.js';
import { parseResourcePath, ResourceTree } from './resources.js';
import { cacheCapacityBytes, ResponseCache } from './response-cache.js';
import { throttleLimits } from './usage-plans.js';
import { RequestValidation } from './validation.js';

export class RestApiConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestApiConfigError';
  }
}

/** A configured feature the gateway does not emulate. */
export interface RestApiGap {
  readonly apiId: string;
  /** `GET /products/{id}`, `authorizer cognito`, `resource policy`, … */
  readonly subject: string;
  readonly message: string;
}

export type MethodAuthorization =
  | { readonly kind: 'none' }
  | { readonly kind: 'custom'; readonly authorizer: RestLambdaAuthorizer }
  /** Requests without a SigV4 `Authorization` get 403 Missing Authentication Token, as on AWS. */
  | { readonly kind: 'iam' }
  /** Requests without the token header get 401, as on AWS; others cannot be verified locally. */
  | { readonly kind: 'cognito'; readonly tokenHeader: string };

export interface CacheSettings {
  /** Enabled by `*\/*` only: GET requests only. */
  readonly getOnly: boolean;
  readonly ttlMs: number;
  readonly requireAuthorization: boolean;
  readonly strategy: UnauthorizedCacheControlHeaderStrategy;
}

export interface CompiledResource {
  readonly id: string;
  readonly path: string;
  readonly methods: ReadonlyMap<string, CompiledMethod>;
  readonly any: CompiledMethod | undefined;
}

export interface CompiledMethod {
  /** Position in the API's method list; indexes per-stage state. */
  readonly index: number;
  readonly resource: CompiledResource;
  readonly httpMethod: string;
  /** `{resourcePath}/{httpMethod}`: the key of method settings and usage-plan method throttles. */
  readonly key: string;
  readonly authorization: MethodAuthorization;
  readonly apiKeyRequired: boolean;
  readonly validation: RequestValidation | undefined;
  readonly integration: CompiledIntegration;
  /** The declared cache key parameters, read from a request. */
  readonly cacheKey: ReadonlyArray<(x: Exchange) => string>;
  readonly cacheNamespace: string;
  /** `{httpMethod}\0{cacheNamespace}`: the cache key's start for requests with the method's own verb. */
  readonly cacheKeyPrefix: string;
}

export interface CompiledStage {
  readonly name: string;
  readonly deploymentId: string;
  /** Undefined when the stage has none (the event then shows `null`). */
  readonly variables: Readonly<Record<string, string>> | undefined;
  /** Per method index; undefined: not throttled by the stage. */
  readonly buckets: ReadonlyArray<TokenBucket | undefined>;
  /** Per method index; undefined: not cached. */
  readonly caching: ReadonlyArray<CacheSettings | undefined>;
  /** Undefined when the stage has no cache cluster. */
  readonly cache: ResponseCache | undefined;
  /** The declared access-log format; undefined: the gateway's own line. */
  readonly accessLog: RestAccessLogFormat | undefined;
}

export interface CompiledApi {
  readonly apiId: string;
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  /** `{apiId}.execute-api.{region}.amazonaws.com`. */
  readonly domainName: string;
  readonly resources: ResourceTree<CompiledResource>;
  readonly methods: readonly CompiledMethod[];
  readonly stages: ReadonlyMap<string, CompiledStage>;
  readonly apiKeySource: 'HEADER' | 'AUTHORIZER';
  readonly binaryMediaTypes: readonly string[];
  readonly policy: ResourcePolicy | undefined;
  readonly gatewayResponses: GatewayResponses;
  readonly gaps: readonly RestApiGap[];
}

export interface CompileDeps {
  readonly invoker: LambdaInvoker;
  readonly clock: Clock;
}

const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;
const HTTP_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY']);
const CACHE_KEY_PARAMETER =
  /^method\.request\.(querystring|header|path|multivaluequerystring|multivalueheader)\.(.+)$/;
const STRATEGIES = new Set([
  'FAIL_WITH_403',
  'SUCCEED_WITH_RESPONSE_HEADER',
  'SUCCEED_WITHOUT_RESPONSE_HEADER',
]);

/** A stable 6-character id like AWS's resource and deployment ids. */
function shortId(...parts: string[]): string {
  const hash = createHash('sha256').update(parts.join('\0')).digest();
  let id = '';
  for (let i = 0; i < 6; i++) id += '0123456789abcdefghijklmnopqrstuvwxyz'[(hash[i] as number) % 36];
  return id;
}

/** A declared cache key parameter → the text it adds to the key (missing ≠ empty). */
function compileCacheKeyParameter(expression: string): (x: Exchange) => string {
  const m = CACHE_KEY_PARAMETER.exec(expression);
  if (!m)
    throw new Error(
      `cache key parameter ${expression} is not method.request.{querystring|header|path}.<name>`,
    );
  const location = m[1] as string;
  const name = m[2] as string;
  const show = (value: string | undefined): string =>
    value === undefined ? `${expression}\u0001` : `${expression}=${value}`;
  switch (location) {
    case 'header':
      return (x) => show(headerValue(x.request, name));
    case 'multivalueheader':
      return (x) => show(x.request.headers.get(name.toLowerCase())?.values.join('\u0002'));
    case 'querystring':
      return (x) => {
        let value: string | undefined;
        for (const [n, v] of x.request.queryPairs) if (n === name) value = v;
        return show(value);
      };
    case 'multivaluequerystring':
      return (x) => {
        const values = x.request.queryPairs.filter(([n]) => n === name).map(([, v]) => v);
        return show(values.length === 0 ? undefined : values.join('\u0002'));
      };
    default:
      return (x) => show(x.pathParameters?.[name]);
  }
}

/** `*\/*` or `/path/VERB`; CloudFormation's `~1` encoding of `/` is accepted too. */
function normaliseSettingKey(key: string): string {
  return key.startsWith('~1') ? key.replaceAll('~1', '/') : key;
}

function methodSettings(
  stage: RestStageConfig,
  key: string,
): { star: MethodSettingConfig; own: MethodSettingConfig } {
  let star: MethodSettingConfig = {};
  let own: MethodSettingConfig = {};
  for (const [raw, settings] of Object.entries(stage.methodSettings ?? {})) {
    const normalised = normaliseSettingKey(raw);
    if (normalised === '*/*') star = settings;
    else if (normalised === key) own = settings;
  }
  return { star, own };
}

function stageThrottle(
  stage: RestStageConfig,
  star: MethodSettingConfig,
  own: MethodSettingConfig,
): ThrottleLimits | undefined {
  return throttleLimits({
    rateLimit: own.throttlingRateLimit ?? star.throttlingRateLimit ?? stage.throttle?.rateLimit,
    burstLimit: own.throttlingBurstLimit ?? star.throttlingBurstLimit ?? stage.throttle?.burstLimit,
  });
}

function cacheSettings(
  stage: RestStageConfig,
  star: MethodSettingConfig,
  own: MethodSettingConfig,
  fail: (message: string) => never,
): CacheSettings | undefined {
  if (stage.cacheClusterEnabled !== true) return undefined;
  const enabled = own.cachingEnabled ?? star.cachingEnabled ?? false;
  if (!enabled) return undefined;
  const ttlSeconds = own.cacheTtlSeconds ?? star.cacheTtlSeconds ?? 300;
  if (!(Number.isInteger(ttlSeconds) && ttlSeconds >= 0 && ttlSeconds <= 3600)) {
    fail('cacheTtlSeconds must be an integer between 0 and 3600');
  }
  if (ttlSeconds === 0) return undefined;
  const strategy =
    own.unauthorizedCacheControlHeaderStrategy ??
    star.unauthorizedCacheControlHeaderStrategy ??
    'SUCCEED_WITH_RESPONSE_HEADER';
  if (!STRATEGIES.has(strategy)) fail(`unauthorizedCacheControlHeaderStrategy ${strategy} is not valid`);
  return {
    getOnly: own.cachingEnabled === undefined,
    ttlMs: ttlSeconds * 1000,
    requireAuthorization:
      own.requireAuthorizationForCacheControl ?? star.requireAuthorizationForCacheControl ?? true,
    strategy,
  };
}

export function compileApi(config: RestApiConfig, deps: CompileDeps): CompiledApi {
  const fail = (message: string): never => {
    throw new RestApiConfigError(`REST API ${config.apiId}: ${message}`);
  };
  const attempt = <T>(where: string, fn: () => T): T => {
    try {
      return fn();
    } catch (error) {
      if (error instanceof RestApiConfigError) throw error;
      return fail(`${where}: ${(error as Error).message}`);
    }
  };
  if (!/^[a-z0-9]+$/.test(config.apiId)) fail('apiId must be lower-case letters and digits');
  const region = config.region ?? 'us-east-1';
  const accountId = config.accountId ?? '123456789012';
  const gaps: RestApiGap[] = [];
  const gap = (subject: string, message: string): void => {
    gaps.push({ apiId: config.apiId, subject, message });
  };

  const authorizers = new Map<string, RestLambdaAuthorizer>();
  const cognito = new Map<string, string>();
  for (const authorizer of config.authorizers ?? []) {
    if (authorizers.has(authorizer.id) || cognito.has(authorizer.id))
      fail(`duplicate authorizer ${authorizer.id}`);
    if (authorizer.type === 'COGNITO_USER_POOLS') {
      const header = /^method\.request\.header\.(.+)$/.exec(
        authorizer.identitySource ?? 'method.request.header.Authorization',
      );
      cognito.set(authorizer.id, header?.[1] ?? 'Authorization');
      gap(
        `authorizer ${authorizer.id}`,
        'COGNITO_USER_POOLS authorizers are not emulated (requests with a token get 500)',
      );
      continue;
    }
    authorizers.set(
      authorizer.id,
      attempt(`authorizer ${authorizer.id}`, () => new RestLambdaAuthorizer(authorizer, deps)),
    );
  }

  const schemas = new SchemaCompiler(config.models ?? {});
  const resources = new ResourceTree<CompiledResource>();
  const methods: CompiledMethod[] = [];
  const resourcePaths = new Set<string>();
  for (const resourceConfig of config.resources) {
    const { path } = resourceConfig;
    if (resourcePaths.has(path)) fail(`duplicate resource ${path}`);
    resourcePaths.add(path);
    const resource: {
      id: string;
      path: string;
      methods: Map<string, CompiledMethod>;
      any: CompiledMethod | undefined;
    } = {
      id: resourceConfig.id ?? shortId(config.apiId, path),
      path,
      methods: new Map(),
      any: undefined,
    };
    for (const methodConfig of resourceConfig.methods) {
      const httpMethod = methodConfig.httpMethod.toUpperCase();
      const subject = `${httpMethod} ${path}`;
      if (!HTTP_METHODS.has(httpMethod)) fail(`${subject}: unknown HTTP method`);
      if (resource.methods.has(httpMethod) || (httpMethod === 'ANY' && resource.any !== undefined)) {
        fail(`duplicate method ${subject}`);
      }
      const method = attempt(subject, () =>
        compileMethod(methodConfig, httpMethod, resource, methods.length, {
          authorizers,
          cognito,
          schemas,
          gap: (message) => gap(subject, message),
        }),
      );
      methods.push(method);
      if (httpMethod === 'ANY') resource.any = method;
      else resource.methods.set(httpMethod, method);
    }
    // Only resources with methods take part in routing (see resources.ts); the others are just checked.
    if (resourceConfig.methods.length > 0) attempt(`resource ${path}`, () => resources.add(path, resource));
    else attempt(`resource ${path}`, () => parseResourcePath(path));
  }

  if (config.stages.length === 0) fail('a REST API needs at least one stage to be reachable');
  const methodKeys = new Set(methods.map((m) => m.key));
  const stages = new Map<string, CompiledStage>();
  for (const stage of config.stages) {
    if (!STAGE_NAME.test(stage.name)) fail(`stage name ${JSON.stringify(stage.name)} is invalid`);
    if (stages.has(stage.name)) fail(`duplicate stage ${stage.name}`);
    for (const key of Object.keys(stage.methodSettings ?? {})) {
      const normalised = normaliseSettingKey(key);
      if (normalised !== '*/*' && !methodKeys.has(normalised)) {
        fail(`stage ${stage.name}: method settings for unknown method ${key}`);
      }
    }
    const stageFail = (message: string): never => fail(`stage ${stage.name}: ${message}`);
    const perMethod = methods.map((method) => methodSettings(stage, method.key));
    const buckets = perMethod.map(({ star, own }) => {
      const limits = stageThrottle(stage, star, own);
      return limits === undefined ? undefined : new TokenBucket(limits, deps.clock);
    });
    const caching = perMethod.map(({ star, own }) => cacheSettings(stage, star, own, stageFail));
    const variables =
      stage.variables !== undefined && Object.keys(stage.variables).length > 0
        ? { ...stage.variables }
        : undefined;
    const accessLog =
      stage.accessLogSetting === undefined
        ? undefined
        : compileRestAccessLogFormat(stage.accessLogSetting.format);
    const formatError = accessLog === undefined ? undefined : accessLogFormatError(accessLog);
    if (formatError !== undefined) stageFail(formatError);
    stages.set(stage.name, {
      name: stage.name,
      deploymentId: stage.deploymentId ?? shortId(config.apiId, 'deployment', stage.name),
      variables,
      buckets,
      caching,
      cache:
        stage.cacheClusterEnabled === true
          ? new ResponseCache(
              deps.clock,
              attempt(`stage ${stage.name}`, () => cacheCapacityBytes(stage.cacheClusterSize)),
            )
          : undefined,
      accessLog,
    });
  }

  let policy: ResourcePolicy | undefined;
  if (config.policy !== undefined) {
    policy = attempt(
      'resource policy',
      () =>
        new ResourcePolicy(config.policy as NonNullable<RestApiConfig['policy']>, {
          region,
          accountId,
          apiId: config.apiId,
        }),
    );
    for (const message of policy.gaps) gap('resource policy', message);
  }
  const apiKeySource = config.apiKeySource ?? 'HEADER';
  if (apiKeySource !== 'HEADER' && apiKeySource !== 'AUTHORIZER')
    fail('apiKeySource must be HEADER or AUTHORIZER');

  return {
    apiId: config.apiId,
    name: config.name ?? config.apiId,
    region,
    accountId,
    domainName: `${config.apiId}.execute-api.${region}.amazonaws.com`,
    resources,
    methods,
    stages,
    apiKeySource,
    binaryMediaTypes: [...(config.binaryMediaTypes ?? [])],
    policy,
    gatewayResponses: attempt('gateway responses', () => new GatewayResponses(config.gatewayResponses)),
    gaps,
  };
}

interface MethodDeps {
  readonly authorizers: ReadonlyMap<string, RestLambdaAuthorizer>;
  readonly cognito: ReadonlyMap<string, string>;
  readonly schemas: SchemaCompiler;
  readonly gap: (message: string) => void;
}

function compileMethod(
  config: RestMethodConfig,
  httpMethod: string,
  resource: CompiledResource,
  index: number,
  deps: MethodDeps,
): CompiledMethod {
  let authorization: MethodAuthorization;
  const type = config.authorizationType ?? 'NONE';
  switch (type) {
    case 'NONE':
      authorization = { kind: 'none' };
      break;
    case 'CUSTOM': {
      const authorizer = deps.authorizers.get(config.authorizerId ?? '');
      if (authorizer === undefined) throw new Error(`unknown Lambda authorizer ${config.authorizerId}`);
      authorization = { kind: 'custom', authorizer };
      break;
    }
    case 'COGNITO_USER_POOLS': {
      const tokenHeader = deps.cognito.get(config.authorizerId ?? '');
      if (tokenHeader === undefined) throw new Error(`unknown Cognito authorizer ${config.authorizerId}`);
      authorization = { kind: 'cognito', tokenHeader };
      deps.gap('COGNITO_USER_POOLS authorization is not emulated (requests with a token get 500)');
      break;
    }
    case 'AWS_IAM':
      authorization = { kind: 'iam' };
      deps.gap('AWS_IAM authorization is not emulated (signed requests get 500)');
      break;
    default:
      throw new Error(`authorizationType ${type as string} is not valid`);
  }
  const integration = compileIntegration(config.integration);
  if (integration.kind === 'unsupported') deps.gap(`${integration.reason} (requests get 500)`);
  return {
    index,
    resource,
    httpMethod,
    key: `${resource.path}/${httpMethod}`,
    authorization,
    apiKeyRequired: config.apiKeyRequired === true,
    validation: RequestValidation.compile(config, deps.schemas),
    integration,
    cacheKey: (config.integration.cacheKeyParameters ?? []).map(compileCacheKeyParameter),
    cacheNamespace: config.integration.cacheNamespace ?? resource.id,
    cacheKeyPrefix: `${httpMethod}\u0000${config.integration.cacheNamespace ?? resource.id}`,
  };
}
