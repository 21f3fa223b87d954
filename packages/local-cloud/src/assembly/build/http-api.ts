import type {
  CorsConfiguration,
  HttpApiModel,
  HttpAuthorizerModel,
  HttpIntegrationModel,
  HttpRouteModel,
  HttpStageModel,
  RouteSettings,
} from '../model';
import type { Json } from '../resolve/value';
import {
  type BuildContext,
  bool,
  definedOnly,
  identity,
  num,
  obj,
  type ResourceRecord,
  recordsOfType,
  str,
  stringMap,
  strings,
  valueGap,
  wholeResourceGap,
} from './context';
import { authorizerTarget, type FunctionIndex, integrationTarget } from './lambda-target';

const CHILD_TYPES = [
  'AWS::ApiGatewayV2::Route',
  'AWS::ApiGatewayV2::Integration',
  'AWS::ApiGatewayV2::Authorizer',
  'AWS::ApiGatewayV2::Stage',
] as const;

interface MutableApi extends HttpApiModel {
  routes: HttpRouteModel[];
  integrations: HttpIntegrationModel[];
  authorizers: HttpAuthorizerModel[];
  stages: HttpStageModel[];
}

/**
 * HTTP APIs (`AWS::ApiGatewayV2::Api` with `ProtocolType: HTTP`) and their routes, integrations,
 * authorizers and stages, matched by the resolved `ApiId`. WebSocket APIs are not modelled yet:
 * they and their children are reported as gaps (their resources stay in `model.resources`).
 */
export function buildHttpApis(ctx: BuildContext, functions: FunctionIndex): HttpApiModel[] {
  const apis = new Map<string, MutableApi>();
  const otherProtocols = new Map<string, string>();
  for (const record of recordsOfType(ctx, 'AWS::ApiGatewayV2::Api')) {
    const protocol = str(record.properties.ProtocolType) ?? '';
    if (protocol !== 'HTTP') {
      otherProtocols.set(record.ref, protocol);
      wholeResourceGap(
        ctx,
        record,
        'ProtocolType',
        protocol === 'WEBSOCKET'
          ? 'WebSocket APIs are not implemented yet'
          : `protocol ${protocol || '(none)'}`,
      );
      continue;
    }
    apis.set(record.ref, buildApi(record));
  }
  for (const type of CHILD_TYPES) {
    for (const record of recordsOfType(ctx, type)) {
      const apiId = str(record.properties.ApiId) ?? '';
      const api = apis.get(apiId);
      if (!api) {
        const protocol = otherProtocols.get(apiId);
        wholeResourceGap(
          ctx,
          record,
          'ApiId',
          protocol === 'WEBSOCKET'
            ? 'belongs to a WebSocket API, which is not implemented yet'
            : protocol !== undefined
              ? `belongs to a ${protocol || 'non-HTTP'} API`
              : `API ${apiId || '(none)'} is not part of this assembly`,
        );
        continue;
      }
      switch (type) {
        case 'AWS::ApiGatewayV2::Route':
          api.routes.push(buildRoute(record));
          break;
        case 'AWS::ApiGatewayV2::Integration':
          api.integrations.push(buildIntegration(record, ctx, functions));
          break;
        case 'AWS::ApiGatewayV2::Authorizer': {
          const authorizer = buildAuthorizer(record, ctx, functions);
          if (authorizer) api.authorizers.push(authorizer);
          break;
        }
        case 'AWS::ApiGatewayV2::Stage':
          api.stages.push(buildStage(record));
          break;
      }
    }
  }
  for (const api of apis.values()) checkReferences(api, ctx);
  return [...apis.values()];
}

function buildApi(record: ResourceRecord): MutableApi {
  const p = record.properties;
  const { env } = record.stack;
  return {
    ...identity(record),
    id: record.ref,
    name: str(p.Name) ?? record.logicalId,
    region: env.region,
    accountId: env.accountId,
    endpoint: `https://${record.ref}.execute-api.${env.region}.${env.urlSuffix}`,
    disableExecuteApiEndpoint: bool(p.DisableExecuteApiEndpoint) ?? false,
    cors: p.CorsConfiguration === undefined ? undefined : cors(p.CorsConfiguration),
    routes: [],
    integrations: [],
    authorizers: [],
    stages: [],
  };
}

function cors(value: Json): CorsConfiguration {
  const c = obj(value);
  return {
    allowOrigins: strings(c.AllowOrigins),
    allowMethods: strings(c.AllowMethods),
    allowHeaders: strings(c.AllowHeaders),
    exposeHeaders: strings(c.ExposeHeaders),
    allowCredentials: bool(c.AllowCredentials) ?? false,
    maxAgeSeconds: num(c.MaxAge),
  };
}

function buildRoute(record: ResourceRecord): HttpRouteModel {
  const p = record.properties;
  const routeKey = str(p.RouteKey) ?? '';
  const space = routeKey.indexOf(' ');
  const target = str(p.Target);
  const type = str(p.AuthorizationType);
  return {
    ...identity(record),
    id: record.ref,
    routeKey,
    method: routeKey === '$default' || space < 0 ? undefined : routeKey.slice(0, space),
    path: routeKey === '$default' || space < 0 ? undefined : routeKey.slice(space + 1),
    integrationId: target?.startsWith('integrations/') ? target.slice('integrations/'.length) : undefined,
    authorizationType: type === 'JWT' || type === 'CUSTOM' || type === 'AWS_IAM' ? type : 'NONE',
    authorizerId: str(p.AuthorizerId),
    authorizationScopes: strings(p.AuthorizationScopes),
    operationName: str(p.OperationName),
  };
}

function buildIntegration(
  record: ResourceRecord,
  ctx: BuildContext,
  functions: FunctionIndex,
): HttpIntegrationModel {
  const p = record.properties;
  const type = str(p.IntegrationType) ?? '';
  const uri = str(p.IntegrationUri);
  const target =
    type === 'AWS_PROXY' ? integrationTarget(ctx, record, 'IntegrationUri', uri, functions) : undefined;
  if (type !== 'AWS_PROXY') {
    valueGap(
      ctx,
      record,
      'IntegrationType',
      `integration type ${type || '(none)'}: only AWS_PROXY (Lambda) is implemented`,
    );
  }
  if (str(p.ConnectionType) === 'VPC_LINK')
    valueGap(ctx, record, 'ConnectionType', 'VPC links are not implemented');
  return {
    ...identity(record),
    id: record.ref,
    type,
    uri,
    target,
    payloadFormatVersion: str(p.PayloadFormatVersion) === '2.0' ? '2.0' : '1.0',
    timeoutMs: num(p.TimeoutInMillis) ?? 30000,
    method: str(p.IntegrationMethod),
  };
}

function buildAuthorizer(
  record: ResourceRecord,
  ctx: BuildContext,
  functions: FunctionIndex,
): HttpAuthorizerModel | undefined {
  const p = record.properties;
  const type = str(p.AuthorizerType);
  const base = {
    ...identity(record),
    id: record.ref,
    name: str(p.Name) ?? record.logicalId,
    identitySource: strings(p.IdentitySource),
  };
  if (type === 'JWT') {
    const jwt = obj(p.JwtConfiguration);
    return { kind: 'JWT', ...base, issuer: str(jwt.Issuer) ?? '', audience: strings(jwt.Audience) };
  }
  if (type === 'REQUEST') {
    const uri = str(p.AuthorizerUri) ?? '';
    const target = authorizerTarget(ctx, record, uri, functions);
    return {
      kind: 'REQUEST',
      ...base,
      uri,
      target,
      payloadFormatVersion: str(p.AuthorizerPayloadFormatVersion) === '1.0' ? '1.0' : '2.0',
      enableSimpleResponses: bool(p.EnableSimpleResponses) ?? false,
      resultTtlSeconds: num(p.AuthorizerResultTtlInSeconds) ?? 0,
    };
  }
  valueGap(ctx, record, 'AuthorizerType', `authorizer type ${type ?? '(none)'} is not implemented`);
  return undefined;
}

function routeSettings(value: Json | undefined): RouteSettings {
  const s = obj(value);
  return definedOnly({
    throttlingBurstLimit: num(s.ThrottlingBurstLimit),
    throttlingRateLimit: num(s.ThrottlingRateLimit),
    detailedMetricsEnabled: bool(s.DetailedMetricsEnabled),
  });
}

function buildStage(record: ResourceRecord): HttpStageModel {
  const p = record.properties;
  const accessLog = obj(p.AccessLogSettings);
  const destinationArn = str(accessLog.DestinationArn);
  return {
    ...identity(record),
    name: record.ref,
    autoDeploy: bool(p.AutoDeploy) ?? false,
    defaultRouteSettings: routeSettings(p.DefaultRouteSettings),
    routeSettings: Object.fromEntries(
      Object.entries(obj(p.RouteSettings)).map(([routeKey, settings]) => [routeKey, routeSettings(settings)]),
    ),
    stageVariables: stringMap(p.StageVariables),
    accessLog:
      destinationArn === undefined ? undefined : { destinationArn, format: str(accessLog.Format) ?? '' },
  };
}

/** Routes must point at integrations and authorizers of their own API. */
function checkReferences(api: MutableApi, ctx: BuildContext): void {
  const integrations = new Set(api.integrations.map((i) => i.id));
  const authorizers = new Map(api.authorizers.map((a) => [a.id, a]));
  const records = new Map(ctx.records.map((r) => [`${r.stack.env.stackName}\0${r.logicalId}`, r]));
  for (const route of api.routes) {
    const record = records.get(`${route.stack}\0${route.logicalId}`);
    if (!record) continue;
    if (route.integrationId !== undefined && !integrations.has(route.integrationId)) {
      valueGap(
        ctx,
        record,
        'Target',
        `integration ${route.integrationId} is not an integration of API ${api.id}`,
      );
    }
    if (route.authorizationType === 'JWT' || route.authorizationType === 'CUSTOM') {
      const authorizer = route.authorizerId === undefined ? undefined : authorizers.get(route.authorizerId);
      if (!authorizer) {
        valueGap(
          ctx,
          record,
          'AuthorizerId',
          `authorizer ${route.authorizerId ?? '(none)'} is not an authorizer of API ${api.id}`,
        );
      }
    }
    if (route.authorizationType === 'AWS_IAM') {
      valueGap(ctx, record, 'AuthorizationType', 'IAM authorization (SigV4) is not implemented');
    }
  }
}
