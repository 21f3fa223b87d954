/**
 * HTTP APIs of the model → the gateway's `HttpApiConfig`s.
 *
 * Each route is joined with its integration (`Target: integrations/<id>`) and the integration's Lambda
 * target becomes the function the gateway invokes. JWT authorizer issuers go through `rewrite`, so an
 * issuer of a user pool in the assembly becomes the local identity provider's issuer for that pool.
 *
 * The gateway refuses configurations it cannot run, so what cannot run is left out here instead, and the
 * rest of the API still serves: a route whose integration is not a Lambda proxy or whose authorization is
 * IAM (the loader has reported both), a route whose authorizer cannot run (reported here), an API without
 * a stage (unreachable on AWS too). A route whose function is outside the assembly stays: requests to it
 * fail with 500 and the reason in the access log, as they would on AWS.
 */
import type {
  CorsConfiguration,
  Gap,
  HttpApiModel,
  HttpAuthorizerModel,
  HttpRouteModel,
  HttpStageModel,
  ResourceKey,
  RouteSettings,
} from '../assembly';
import {
  type CorsConfig,
  compileHttpAccessLogFormat,
  type HttpApiConfig,
  type HttpAuthorizerConfig,
  type HttpRouteConfig,
  type HttpStageConfig,
  httpAccessLogFormatError,
  type RouteAuthorization,
  type ThrottleSettings,
} from '../gateway/http-api';
import { serviceGap } from './gaps';

const API = 'AWS::ApiGatewayV2::Api';
const ROUTE = 'AWS::ApiGatewayV2::Route';
const AUTHORIZER = 'AWS::ApiGatewayV2::Authorizer';
const STAGE = 'AWS::ApiGatewayV2::Stage';

export interface HttpApiMappingOptions {
  /** Applied to JWT issuers (AWS URLs → local ones). Default: unchanged. */
  readonly rewrite?: (value: string) => string;
  /**
   * Issuers of the assembly's user pools, as AWS writes them (`https://cognito-idp.<region>.amazonaws.com/<poolId>`);
   * a JWT authorizer trusting another issuer is reported. Default: not checked.
   */
  readonly knownIssuers?: ReadonlySet<string>;
}

function throttle(settings: RouteSettings): ThrottleSettings | undefined {
  const { throttlingRateLimit: rateLimit, throttlingBurstLimit: burstLimit } = settings;
  if (rateLimit === undefined && burstLimit === undefined) return undefined;
  return {
    ...(rateLimit === undefined ? {} : { rateLimit }),
    ...(burstLimit === undefined ? {} : { burstLimit }),
  };
}

function cors(config: CorsConfiguration): CorsConfig {
  return {
    allowOrigins: [...config.allowOrigins],
    allowMethods: [...config.allowMethods],
    allowHeaders: [...config.allowHeaders],
    exposeHeaders: [...config.exposeHeaders],
    allowCredentials: config.allowCredentials,
    ...(config.maxAgeSeconds === undefined ? {} : { maxAge: config.maxAgeSeconds }),
  };
}

/** A route's `path` is its URL path, not a construct path: keep it out of the gap. */
function routeKeyOf(route: HttpRouteModel): ResourceKey {
  return { stack: route.stack, logicalId: route.logicalId };
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** The authorizer as the gateway runs it, or why it cannot run. */
function mapAuthorizer(
  authorizer: HttpAuthorizerModel,
  options: HttpApiMappingOptions,
  gaps: Gap[],
): HttpAuthorizerConfig | string {
  const base = { id: authorizer.id, name: authorizer.name, identitySource: [...authorizer.identitySource] };
  if (authorizer.kind === 'JWT') {
    const issuer = options.rewrite?.(authorizer.issuer) ?? authorizer.issuer;
    if (!isHttpUrl(issuer)) {
      gaps.push(
        serviceGap(
          authorizer,
          AUTHORIZER,
          'JwtConfiguration',
          `issuer ${JSON.stringify(issuer)} is not a URL`,
        ),
      );
      return `its JWT authorizer ${authorizer.name} has no usable issuer`;
    }
    if (
      options.knownIssuers !== undefined &&
      !options.knownIssuers.has(authorizer.issuer.replace(/\/+$/, ''))
    ) {
      gaps.push(
        serviceGap(
          authorizer,
          AUTHORIZER,
          'JwtConfiguration',
          `issuer ${authorizer.issuer} is not a user pool of this assembly; its keys are fetched from there (needs network)`,
        ),
      );
    }
    return { ...base, type: 'JWT', issuer, audience: [...authorizer.audience] };
  }
  if (authorizer.target === undefined) {
    return `its Lambda authorizer ${authorizer.name} does not name a function`; // the loader reported it
  }
  return {
    ...base,
    type: 'REQUEST',
    functionName: authorizer.target.functionName,
    payloadFormatVersion: authorizer.payloadFormatVersion,
    enableSimpleResponses: authorizer.enableSimpleResponses,
    resultTtlSeconds: authorizer.resultTtlSeconds,
  };
}

/**
 * The stage's `AccessLogSettings` as the gateway prints them, or undefined (the gateway's own line): a
 * format AWS would refuse is left out with a gap.
 */
function accessLogSettings(stage: HttpStageModel, gaps: Gap[]): HttpStageConfig['accessLogSettings'] {
  const declared = stage.accessLog;
  if (declared === undefined) return undefined;
  const { format, destinationArn } = declared;
  const error =
    format === '' ? 'it has no Format' : httpAccessLogFormatError(compileHttpAccessLogFormat(format));
  if (error !== undefined) {
    gaps.push(serviceGap(stage, STAGE, 'AccessLogSettings', `not used: ${error}`));
    return undefined;
  }
  return { format, destinationArn };
}

/** The route's authorization as the gateway runs it, or undefined when the route cannot be served. */
function routeAuthorization(
  route: HttpRouteModel,
  authorizerTypes: ReadonlyMap<string, HttpAuthorizerConfig['type']>,
  brokenAuthorizers: ReadonlyMap<string, string>,
  gaps: Gap[],
): RouteAuthorization | undefined {
  const { authorizationType: type, routeKey } = route;
  if (type === 'NONE') return { type: 'NONE' };
  if (type === 'AWS_IAM') return undefined; // the loader reported it
  const authorizerId = route.authorizerId ?? '';
  const broken = brokenAuthorizers.get(authorizerId);
  if (broken !== undefined) {
    gaps.push(serviceGap(routeKeyOf(route), ROUTE, 'AuthorizerId', `${routeKey} is not served: ${broken}`));
    return undefined;
  }
  const authorizerType = authorizerTypes.get(authorizerId);
  if (authorizerType === undefined) return undefined; // unknown authorizer: the loader reported it
  if ((authorizerType === 'JWT') !== (type === 'JWT')) {
    const message = `${routeKey} is not served: authorization type ${type} cannot use a ${authorizerType} authorizer`;
    gaps.push(serviceGap(routeKeyOf(route), ROUTE, 'AuthorizationType', message));
    return undefined;
  }
  return type === 'JWT'
    ? { type: 'JWT', authorizerId, scopes: [...route.authorizationScopes] }
    : { type: 'CUSTOM', authorizerId };
}

export function mapHttpApi(
  api: HttpApiModel,
  options: HttpApiMappingOptions = {},
): { api: HttpApiConfig | undefined; gaps: Gap[] } {
  const gaps: Gap[] = [];
  if (api.stages.length === 0) {
    gaps.push(serviceGap(api, API, undefined, 'the API has no stage, so it is not reachable (as on AWS)'));
    return { api: undefined, gaps };
  }

  const authorizers: HttpAuthorizerConfig[] = [];
  const brokenAuthorizers = new Map<string, string>();
  for (const authorizer of api.authorizers) {
    const mapped = mapAuthorizer(authorizer, options, gaps);
    if (typeof mapped === 'string') brokenAuthorizers.set(authorizer.id, mapped);
    else authorizers.push(mapped);
  }
  const authorizerTypes = new Map(authorizers.map((a) => [a.id, a.type]));
  const integrations = new Map(api.integrations.map((i) => [i.id, i]));

  const routes: HttpRouteConfig[] = [];
  for (const route of api.routes) {
    const integration = route.integrationId === undefined ? undefined : integrations.get(route.integrationId);
    if (integration === undefined) {
      if (route.integrationId === undefined) {
        gaps.push(
          serviceGap(routeKeyOf(route), ROUTE, 'Target', `${route.routeKey} has no integration; not served`),
        );
      }
      continue; // an integration of another API: the loader reported it
    }
    // Not a Lambda proxy integration: the loader reported it.
    if (integration.type !== 'AWS_PROXY' || integration.target === undefined) continue;

    const authorization = routeAuthorization(route, authorizerTypes, brokenAuthorizers, gaps);
    if (authorization === undefined) continue;
    routes.push({
      routeKey: route.routeKey,
      integration: {
        type: 'AWS_PROXY',
        functionName: integration.target.functionName,
        payloadFormatVersion: integration.payloadFormatVersion,
        timeoutMs: integration.timeoutMs,
      },
      authorization,
    });
  }

  const routeKeys = new Set(routes.map((r) => r.routeKey));
  const stages: HttpStageConfig[] = api.stages.map((stage) => {
    const defaults = throttle(stage.defaultRouteSettings);
    const perRoute = Object.entries(stage.routeSettings).flatMap(([routeKey, settings]) => {
      const limits = throttle(settings);
      return limits !== undefined && routeKeys.has(routeKey) ? [[routeKey, limits] as const] : [];
    });
    const accessLog = accessLogSettings(stage, gaps);
    return {
      name: stage.name,
      stageVariables: { ...stage.stageVariables },
      ...(defaults === undefined ? {} : { throttle: defaults }),
      ...(perRoute.length === 0 ? {} : { routeSettings: Object.fromEntries(perRoute) }),
      ...(accessLog === undefined ? {} : { accessLogSettings: accessLog }),
    };
  });

  return {
    api: {
      apiId: api.id,
      name: api.name,
      region: api.region,
      accountId: api.accountId,
      routes,
      authorizers,
      stages,
      ...(api.cors === undefined ? {} : { cors: cors(api.cors) }),
    },
    gaps,
  };
}

export function mapHttpApis(
  apis: readonly HttpApiModel[],
  options: HttpApiMappingOptions = {},
): { apis: HttpApiConfig[]; gaps: Gap[] } {
  const mapped = apis.map((api) => mapHttpApi(api, options));
  return {
    apis: mapped.flatMap((m) => (m.api === undefined ? [] : [m.api])),
    gaps: mapped.flatMap((m) => m.gaps),
  };
}
