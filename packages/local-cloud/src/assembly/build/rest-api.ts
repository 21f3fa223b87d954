import type {
  ApiKeyModel,
  ResolvedValue,
  RestApiModel,
  RestAuthorizerModel,
  RestGatewayResponseModel,
  RestIntegrationModel,
  RestMethodModel,
  RestMethodSettings,
  RestModelModel,
  RestResourceModel,
  RestStageModel,
  RestThrottle,
  UsagePlanModel,
} from '../model';
import { deterministicString, generatedName, MIXED_ALNUM } from '../physical-ids';
import { isPlainObject, type Json } from '../resolve/value';
import { attributeOf } from '../resource-types';
import {
  type BuildContext,
  bool,
  definedOnly,
  identity,
  keyOf,
  num,
  obj,
  objects,
  type ResourceRecord,
  recordsOfType,
  str,
  stringMap,
  strings,
  valueGap,
} from './context';
import { authorizerTarget, type FunctionIndex, integrationTarget } from './lambda-target';

/**
 * REST APIs (`AWS::ApiGateway::*`), built from CloudFormation semantics so any CDK app works:
 *
 * - resources get their full path by following `ParentId` up to the API's `RootResourceId`;
 * - methods inline their request validator and the Lambda function of an `AWS_PROXY` integration;
 * - stages come from `AWS::ApiGateway::Stage` and from Deployments with a `StageName` (whose
 *   `StageDescription` becomes the stage); `MethodSettings` are keyed like the gateway wants them;
 * - usage plans and API keys are account-level on AWS, so they are returned beside the APIs.
 *
 * Children of an API that is not in the assembly (or whose parent chain is broken) are reported.
 * Integration sub-properties that change behaviour and are not emulated are reported here, one line
 * each; what only the gateway can judge (VTL templates, IAM and Cognito authorization) is reported by
 * the gateway when the local cloud maps the model (cloud/rest-apis.ts).
 */
export interface RestApisBuild {
  readonly restApis: RestApiModel[];
  readonly usagePlans: UsagePlanModel[];
  readonly apiKeys: ApiKeyModel[];
}

interface MutableApi extends RestApiModel {
  resources: RestResourceModel[];
  authorizers: RestAuthorizerModel[];
  models: RestModelModel[];
  gatewayResponses: RestGatewayResponseModel[];
  stages: RestStageModel[];
}

const ROOT_RESOURCE = 'RootResourceId';
const DEFAULT_INTEGRATION_TIMEOUT_MS = 29_000;
const DEFAULT_AUTHORIZER_TTL_SECONDS = 300;

export function buildRestApis(ctx: BuildContext, functions: FunctionIndex): RestApisBuild {
  const apis = new Map<string, MutableApi>();
  const rootIds = new Map<string, string>();
  for (const record of recordsOfType(ctx, 'AWS::ApiGateway::RestApi')) {
    const api = buildApi(record, ctx);
    apis.set(api.id, api);
    rootIds.set(api.id, String(attributeOf(record.stack.handle(record.logicalId), ROOT_RESOURCE)));
  }
  /** The API a child names by `RestApiId`, or a gap. */
  const apiOf = (record: ResourceRecord, property = 'RestApiId'): MutableApi | undefined => {
    const apiId = str(record.properties[property]) ?? '';
    const api = apis.get(apiId);
    if (!api) valueGap(ctx, record, property, `REST API ${apiId || '(none)'} is not part of this assembly`);
    return api;
  };

  const validators = new Map<string, { validateRequestBody: boolean; validateRequestParameters: boolean }>();
  for (const record of recordsOfType(ctx, 'AWS::ApiGateway::RequestValidator')) {
    if (!apiOf(record)) continue;
    validators.set(record.ref, {
      validateRequestBody: bool(record.properties.ValidateRequestBody) ?? false,
      validateRequestParameters: bool(record.properties.ValidateRequestParameters) ?? false,
    });
  }
  for (const record of recordsOfType(ctx, 'AWS::ApiGateway::Model')) {
    apiOf(record)?.models.push(buildModel(record, ctx));
  }
  for (const record of recordsOfType(ctx, 'AWS::ApiGateway::Authorizer')) {
    const api = apiOf(record);
    const authorizer = api && buildAuthorizer(record, ctx, functions);
    if (authorizer) api?.authorizers.push(authorizer);
  }
  for (const record of recordsOfType(ctx, 'AWS::ApiGateway::GatewayResponse')) {
    apiOf(record)?.gatewayResponses.push(buildGatewayResponse(record));
  }

  // Resources: full paths through ParentId chains.
  const resourceRecords = recordsOfType(ctx, 'AWS::ApiGateway::Resource').filter((r) => apiOf(r));
  const byRef = new Map(resourceRecords.map((r) => [r.ref, r]));
  const paths = new Map<string, string | null>(); // resource ref → path (null: broken chain)
  const pathOf = (record: ResourceRecord, seen: Set<string>): string | null => {
    const known = paths.get(record.ref);
    if (known !== undefined) return known;
    const apiId = str(record.properties.RestApiId) ?? '';
    const parentId = str(record.properties.ParentId) ?? '';
    const part = str(record.properties.PathPart) ?? '';
    let parentPath: string | null;
    if (parentId === rootIds.get(apiId)) parentPath = '';
    else {
      const parent = byRef.get(parentId);
      if (!parent || seen.has(parentId) || str(parent.properties.RestApiId) !== apiId) parentPath = null;
      else parentPath = pathOf(parent, new Set([...seen, record.ref]));
    }
    const path = parentPath === null || part === '' ? null : `${parentPath}/${part}`;
    paths.set(record.ref, path);
    return path;
  };
  const resourcesById = new Map<string, RestResourceModel & { methods: RestMethodModel[] }>();
  for (const api of apis.values()) {
    const root = { id: rootIds.get(api.id) ?? '', path: '/', resource: undefined, methods: [] };
    api.resources.push(root);
    resourcesById.set(`${api.id}\0${root.id}`, root);
  }
  for (const record of resourceRecords) {
    const path = pathOf(record, new Set());
    const api = apis.get(str(record.properties.RestApiId) ?? '');
    if (path === null || !api) {
      valueGap(ctx, record, 'ParentId', 'its parent is not a resource of the same API (not served)');
      continue;
    }
    const resource = { id: record.ref, path, resource: keyOf(record), methods: [] };
    api.resources.push(resource);
    resourcesById.set(`${api.id}\0${record.ref}`, resource);
  }
  for (const api of apis.values()) api.resources.sort((a, b) => a.path.localeCompare(b.path));

  for (const record of recordsOfType(ctx, 'AWS::ApiGateway::Method')) {
    const api = apiOf(record);
    if (!api) continue;
    const resourceId = str(record.properties.ResourceId) ?? '';
    const resource = resourcesById.get(`${api.id}\0${resourceId}`);
    if (!resource) {
      valueGap(ctx, record, 'ResourceId', `resource ${resourceId || '(none)'} is not served (see above)`);
      continue;
    }
    resource.methods.push(buildMethod(record, ctx, functions, validators, api));
  }

  for (const record of recordsOfType(ctx, 'AWS::ApiGateway::Stage')) {
    apiOf(record)?.stages.push(buildStage(record, record.properties, ctx));
  }
  for (const record of recordsOfType(ctx, 'AWS::ApiGateway::Deployment')) {
    const api = apiOf(record);
    const stageName = str(record.properties.StageName);
    if (!api || stageName === undefined) continue;
    const description = obj(record.properties.StageDescription);
    if (isPlainObject(description.CanarySetting)) {
      valueGap(ctx, record, 'StageDescription.CanarySetting', 'canary settings are not emulated');
    }
    api.stages.push(
      buildStage(
        record,
        { ...description, StageName: stageName, DeploymentId: record.ref },
        ctx,
        description,
      ),
    );
  }

  const usagePlans = recordsOfType(ctx, 'AWS::ApiGateway::UsagePlan').map((r) => buildUsagePlan(r));
  const apiKeys = buildApiKeys(ctx);
  return { restApis: [...apis.values()], usagePlans, apiKeys };
}

function buildApi(record: ResourceRecord, ctx: BuildContext): MutableApi {
  const p = record.properties;
  const { env } = record.stack;
  const source = str(p.ApiKeySourceType);
  if (bool(p.DisableExecuteApiEndpoint) === true) {
    valueGap(ctx, record, 'DisableExecuteApiEndpoint', 'the local execute-api URLs serve the API anyway');
  }
  const endpointTypes = strings(obj(p.EndpointConfiguration).Types);
  if (endpointTypes.includes('PRIVATE')) {
    valueGap(
      ctx,
      record,
      'EndpointConfiguration',
      'a PRIVATE API is served on local URLs, without a VPC endpoint',
    );
  }
  return {
    ...identity(record),
    id: record.ref,
    name: str(p.Name) ?? record.logicalId,
    region: env.region,
    accountId: env.accountId,
    endpoint: `https://${record.ref}.execute-api.${env.region}.${env.urlSuffix}`,
    apiKeySource: source === 'AUTHORIZER' ? 'AUTHORIZER' : 'HEADER',
    binaryMediaTypes: strings(p.BinaryMediaTypes),
    policy: jsonDocument(p.Policy),
    endpointTypes,
    disableExecuteApiEndpoint: bool(p.DisableExecuteApiEndpoint) ?? false,
    resources: [],
    authorizers: [],
    models: [],
    gatewayResponses: [],
    stages: [],
  };
}

/** A policy or schema: CloudFormation accepts an object or a JSON string. */
function jsonDocument(value: Json | undefined): ResolvedValue | undefined {
  if (typeof value !== 'string') return value ?? undefined;
  try {
    return JSON.parse(value) as ResolvedValue;
  } catch {
    return value;
  }
}

function buildModel(record: ResourceRecord, ctx: BuildContext): RestModelModel {
  const schema = jsonDocument(record.properties.Schema);
  if (record.properties.Schema !== undefined && !isPlainObject(schema)) {
    valueGap(ctx, record, 'Schema', 'the schema is not a JSON object; requests are validated against {}');
  }
  return {
    ...identity(record),
    name: record.ref,
    contentType: str(record.properties.ContentType),
    schema: isPlainObject(schema) ? (schema as { readonly [key: string]: ResolvedValue }) : {},
  };
}

function buildAuthorizer(
  record: ResourceRecord,
  ctx: BuildContext,
  functions: FunctionIndex,
): RestAuthorizerModel | undefined {
  const p = record.properties;
  const type = str(p.Type);
  if (type !== 'TOKEN' && type !== 'REQUEST' && type !== 'COGNITO_USER_POOLS') {
    valueGap(ctx, record, 'Type', `authorizer type ${type ?? '(none)'} is not valid`);
    return undefined;
  }
  const uri = str(p.AuthorizerUri);
  const target =
    type === 'COGNITO_USER_POOLS'
      ? uri === undefined
        ? undefined
        : functions.target(uri)
      : authorizerTarget(ctx, record, uri, functions);
  return {
    ...identity(record),
    id: record.ref,
    name: str(p.Name) ?? record.logicalId,
    type,
    uri,
    target,
    identitySource: str(p.IdentitySource),
    identityValidationExpression: str(p.IdentityValidationExpression),
    resultTtlSeconds: num(p.AuthorizerResultTtlInSeconds) ?? DEFAULT_AUTHORIZER_TTL_SECONDS,
    providerArns: strings(p.ProviderARNs),
  };
}

function buildGatewayResponse(record: ResourceRecord): RestGatewayResponseModel {
  const p = record.properties;
  return {
    ...identity(record),
    responseType: str(p.ResponseType) ?? '',
    statusCode: str(p.StatusCode),
    responseParameters: stringMap(p.ResponseParameters),
    responseTemplates: stringMap(p.ResponseTemplates),
  };
}

/** Integration sub-properties read into the model, and those that are accepted without effect. */
const INTEGRATION_READ = new Set([
  'Type',
  'Uri',
  'TimeoutInMillis',
  'CacheKeyParameters',
  'CacheNamespace',
  'RequestTemplates',
  'IntegrationResponses',
  // Lambda proxy integrations are always invoked with POST; credentials are IAM, not enforced locally.
  'IntegrationHttpMethod',
  'Credentials',
]);
const INTEGRATION_NOTES: Record<string, string> = {
  RequestParameters: 'request parameter mapping into the integration is not emulated',
  ContentHandling: 'content handling conversions are not emulated',
  ConnectionType: 'VPC links are not emulated',
  ConnectionId: 'VPC links are not emulated',
};

function buildMethod(
  record: ResourceRecord,
  ctx: BuildContext,
  functions: FunctionIndex,
  validators: ReadonlyMap<string, { validateRequestBody: boolean; validateRequestParameters: boolean }>,
  api: RestApiModel,
): RestMethodModel {
  const p = record.properties;
  const type = str(p.AuthorizationType) ?? 'NONE';
  const validatorId = str(p.RequestValidatorId);
  const requestValidator = validatorId === undefined ? undefined : validators.get(validatorId);
  if (validatorId !== undefined && !requestValidator) {
    valueGap(
      ctx,
      record,
      'RequestValidatorId',
      `validator ${validatorId} is not a validator of API ${api.id}`,
    );
  }
  const requestParameters: Record<string, boolean> = {};
  for (const [name, required] of Object.entries(obj(p.RequestParameters))) {
    requestParameters[name] = bool(required) ?? false;
  }
  return {
    ...identity(record),
    httpMethod: (str(p.HttpMethod) ?? '').toUpperCase(),
    authorizationType:
      type === 'CUSTOM' || type === 'COGNITO_USER_POOLS' || type === 'AWS_IAM' ? type : 'NONE',
    authorizerId: str(p.AuthorizerId),
    authorizationScopes: strings(p.AuthorizationScopes),
    apiKeyRequired: bool(p.ApiKeyRequired) ?? false,
    requestParameters,
    requestModels: stringMap(p.RequestModels),
    requestValidator,
    integration: buildIntegration(record, ctx, functions),
  };
}

function buildIntegration(
  record: ResourceRecord,
  ctx: BuildContext,
  functions: FunctionIndex,
): RestIntegrationModel {
  const integration = obj(record.properties.Integration);
  const type = str(integration.Type) ?? '';
  const uri = str(integration.Uri);
  const target =
    type === 'AWS_PROXY' ? integrationTarget(ctx, record, 'Integration.Uri', uri, functions) : undefined;
  for (const [name, value] of Object.entries(integration)) {
    if (INTEGRATION_READ.has(name)) continue;
    if (name === 'PassthroughBehavior' && str(value) === 'WHEN_NO_MATCH') continue; // the default
    if (name === 'ConnectionType' && str(value) === 'INTERNET') continue;
    valueGap(ctx, record, `Integration.${name}`, INTEGRATION_NOTES[name] ?? 'not emulated');
  }
  const responses = objects(integration.IntegrationResponses).map((response) => {
    if (response.ContentHandling !== undefined) {
      valueGap(ctx, record, 'Integration.IntegrationResponses.ContentHandling', 'not emulated');
    }
    return {
      statusCode: str(response.StatusCode) ?? '',
      selectionPattern: str(response.SelectionPattern),
      responseParameters: stringMap(response.ResponseParameters),
      responseTemplates: stringMap(response.ResponseTemplates),
    };
  });
  return {
    type,
    uri,
    target,
    timeoutMs: num(integration.TimeoutInMillis) ?? DEFAULT_INTEGRATION_TIMEOUT_MS,
    cacheKeyParameters: strings(integration.CacheKeyParameters),
    cacheNamespace: str(integration.CacheNamespace),
    requestTemplates: stringMap(integration.RequestTemplates),
    integrationResponses: responses,
  };
}

/**
 * `MethodSetting.ResourcePath` + `HttpMethod` → the gateway's key. CloudFormation writes the path with
 * `/` encoded as `~1` after a leading `/` (`/~1products~1{id}`, `/~1` for the root) and `/*` with `*`
 * for every method.
 */
export function methodSettingKey(resourcePath: string, httpMethod: string): string {
  if (resourcePath === '/*' && httpMethod === '*') return '*/*';
  const encoded = resourcePath.startsWith('/') ? resourcePath.slice(1) : resourcePath;
  const path = encoded.replaceAll('~1', '/').replaceAll('~0', '~');
  return `${path.startsWith('/') ? path : `/${path}`}/${httpMethod.toUpperCase()}`;
}

function methodSetting(settings: Record<string, Json>): RestMethodSettings {
  return definedOnly({
    cachingEnabled: bool(settings.CachingEnabled),
    cacheTtlSeconds: num(settings.CacheTtlInSeconds),
    cacheDataEncrypted: bool(settings.CacheDataEncrypted),
    throttlingRateLimit: num(settings.ThrottlingRateLimit),
    throttlingBurstLimit: num(settings.ThrottlingBurstLimit),
  });
}

/**
 * A stage from `AWS::ApiGateway::Stage` properties, or from a Deployment's `StageDescription` (whose
 * top-level `CachingEnabled`, `CacheTtlInSeconds`, `Throttling*` apply to every method: `*\/*`).
 */
function buildStage(
  record: ResourceRecord,
  p: Record<string, Json>,
  ctx: BuildContext,
  stageDescription?: Record<string, Json>,
): RestStageModel {
  const methodSettings: Record<string, RestMethodSettings> = {};
  if (stageDescription !== undefined) {
    const star = methodSetting(stageDescription);
    if (Object.keys(star).length > 0) methodSettings['*/*'] = star;
  }
  for (const settings of objects(p.MethodSettings)) {
    const key = methodSettingKey(str(settings.ResourcePath) ?? '/*', str(settings.HttpMethod) ?? '*');
    methodSettings[key] = { ...methodSettings[key], ...methodSetting(settings) };
  }
  if (stageDescription !== undefined) {
    const known = new Set([
      'CacheClusterEnabled',
      'CacheClusterSize',
      'CacheDataEncrypted',
      'CacheTtlInSeconds',
      'CachingEnabled',
      'MethodSettings',
      'ThrottlingBurstLimit',
      'ThrottlingRateLimit',
      'Variables',
      // The access log's format is read from the resolved resource by src/cloud/rest-apis.ts.
      'AccessLogSetting',
      // No local effect, as for AWS::ApiGateway::Stage.
      'CanarySetting', // reported by the caller
      'ClientCertificateId',
      'DataTraceEnabled',
      'Description',
      'DocumentationVersion',
      'LoggingLevel',
      'MetricsEnabled',
      'Tags',
      'TracingEnabled',
      'StageName',
      'DeploymentId',
    ]);
    for (const name of Object.keys(stageDescription)) {
      if (!known.has(name)) valueGap(ctx, record, `StageDescription.${name}`, 'not emulated');
    }
  }
  return {
    ...identity(record),
    name: str(p.StageName) ?? record.ref,
    deploymentId: str(p.DeploymentId),
    variables: stringMap(p.Variables),
    cacheClusterEnabled: bool(p.CacheClusterEnabled) ?? false,
    cacheClusterSize: str(p.CacheClusterSize),
    methodSettings,
  };
}

function throttleOf(value: Json | undefined): RestThrottle | undefined {
  const t = obj(value);
  const throttle = definedOnly({ rateLimit: num(t.RateLimit), burstLimit: num(t.BurstLimit) });
  return Object.keys(throttle).length === 0 ? undefined : throttle;
}

function buildUsagePlan(record: ResourceRecord): UsagePlanModel {
  const p = record.properties;
  const quota = obj(p.Quota);
  const limit = num(quota.Limit);
  const period = str(quota.Period);
  const offset = num(quota.Offset);
  return {
    ...identity(record),
    id: record.ref,
    name: str(p.UsagePlanName) ?? record.logicalId,
    apiStages: objects(p.ApiStages).map((stage) => {
      const throttle: Record<string, RestThrottle> = {};
      for (const [method, limits] of Object.entries(obj(stage.Throttle))) {
        const t = throttleOf(limits);
        if (t !== undefined) throttle[method] = t;
      }
      return { apiId: str(stage.ApiId) ?? '', stage: str(stage.Stage) ?? '', throttle };
    }),
    throttle: throttleOf(p.Throttle),
    quota:
      limit === undefined || (period !== 'DAY' && period !== 'WEEK' && period !== 'MONTH')
        ? undefined
        : { limit, period, ...(offset === undefined ? {} : { offset }) },
  };
}

/** Generated key values: long enough for AWS's 20-character minimum, and the same on every start. */
const GENERATED_KEY_LENGTH = 40;

function buildApiKeys(ctx: BuildContext): ApiKeyModel[] {
  const plansOfKey = new Map<string, string[]>();
  for (const record of recordsOfType(ctx, 'AWS::ApiGateway::UsagePlanKey')) {
    const keyType = str(record.properties.KeyType);
    if (keyType !== 'API_KEY') {
      valueGap(ctx, record, 'KeyType', `key type ${keyType ?? '(none)'} is not valid`);
      continue;
    }
    const keyId = str(record.properties.KeyId) ?? '';
    const planId = str(record.properties.UsagePlanId) ?? '';
    plansOfKey.set(keyId, [...(plansOfKey.get(keyId) ?? []), planId]);
  }
  return recordsOfType(ctx, 'AWS::ApiGateway::ApiKey').map((record) => {
    const p = record.properties;
    const given = str(p.Value);
    const { seed } = record.stack.handle(record.logicalId);
    return {
      ...identity(record),
      id: record.ref,
      name:
        str(p.Name) ?? generatedName(seed, record.stack.env.stackName, record.logicalId, { maxLength: 128 }),
      value: given ?? deterministicString(seed, 'api-key-value', MIXED_ALNUM, GENERATED_KEY_LENGTH),
      generated: given === undefined,
      enabled: bool(p.Enabled) ?? false,
      usagePlanIds: plansOfKey.get(record.ref) ?? [],
      stageKeys: objects(p.StageKeys).map((k) => ({
        restApiId: str(k.RestApiId) ?? '',
        stageName: str(k.StageName) ?? '',
      })),
    };
  });
}
