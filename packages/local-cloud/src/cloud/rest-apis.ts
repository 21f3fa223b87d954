/**
 * REST APIs of the model → the gateway's `RestApiConfig`s.
 *
 * Authorizers and `AWS_PROXY` integrations become the functions the Lambda runtime knows; usage plans and
 * API keys (account-level) go with the APIs whose stages they cover. Lambda permissions are not needed
 * locally (no IAM).
 *
 * The gateway refuses configurations AWS would refuse (a bad schema, regex or parameter source, method
 * settings for a method that does not exist, a key in two plans for one stage, …). None of that may stop
 * the local cloud: each API is checked as the gateway will check it, and what it refuses is left out
 * with a gap — the method, the gateway response, the stage, the plan or key, or (last resort) the API —
 * while the rest serves. What the gateway accepts but does not emulate (VTL, IAM or Cognito
 * authorization, HTTP integrations) is served (requests needing it get 500) and reported here too, so
 * every gap is listed before anything starts.
 */
import type {
  ApiKeyModel,
  Gap,
  ResourceIdentity,
  ResourceModel,
  RestApiModel,
  RestAuthorizerModel,
  RestMethodModel,
  RestStageModel,
  UsagePlanModel,
} from '../assembly';
import {
  type ApiKeyConfig,
  accessLogFormatError,
  checkRestApi,
  checkUsagePlans,
  compileRestAccessLogFormat,
  type GatewayResponseConfig,
  type GatewayResponseType,
  type JsonSchema,
  type MethodSettingConfig,
  type ResourcePolicyDocument,
  type RestApiConfig,
  type RestAuthorizerConfig,
  type RestIntegrationConfig,
  type RestMethodConfig,
  type RestResourceConfig,
  type RestStageConfig,
  type UsagePlanConfig,
} from '../gateway/rest-api';
import { serviceGap } from './gaps';

const T = {
  api: 'AWS::ApiGateway::RestApi',
  method: 'AWS::ApiGateway::Method',
  authorizer: 'AWS::ApiGateway::Authorizer',
  response: 'AWS::ApiGateway::GatewayResponse',
  stage: 'AWS::ApiGateway::Stage',
  plan: 'AWS::ApiGateway::UsagePlan',
  key: 'AWS::ApiGateway::ApiKey',
} as const;

export interface RestApiMapping {
  readonly apis: RestApiConfig[];
  readonly gaps: Gap[];
  /** The keys the gateway serves (values included: local demo keys), for the endpoints file. */
  readonly apiKeys: readonly ApiKeyModel[];
  /** The usage plans the gateway serves. */
  readonly usagePlans: readonly UsagePlanModel[];
}

/** What a method of the model turns into, or why it is not served. */
function mapIntegration(method: RestMethodModel): RestIntegrationConfig | string {
  const i = method.integration;
  const cache = {
    ...(i.cacheKeyParameters.length === 0 ? {} : { cacheKeyParameters: [...i.cacheKeyParameters] }),
    ...(i.cacheNamespace === undefined ? {} : { cacheNamespace: i.cacheNamespace }),
  };
  switch (i.type) {
    case 'AWS_PROXY':
      // Not a function (the loader reported it): nothing to invoke.
      if (i.target === undefined) return '';
      return { type: 'AWS_PROXY', functionName: i.target.functionName, timeoutMs: i.timeoutMs, ...cache };
    case 'MOCK':
      return {
        type: 'MOCK',
        requestTemplates: { ...i.requestTemplates },
        integrationResponses: i.integrationResponses.map((r) => ({
          statusCode: r.statusCode,
          ...(r.selectionPattern === undefined ? {} : { selectionPattern: r.selectionPattern }),
          responseParameters: { ...r.responseParameters },
          responseTemplates: { ...r.responseTemplates },
        })),
        ...cache,
      };
    case 'HTTP':
    case 'HTTP_PROXY':
    case 'AWS':
      // Served as AWS would be configured; the gateway reports it and answers 500.
      return { type: i.type, ...(i.uri === undefined ? {} : { uri: i.uri }), ...cache };
    default:
      return `integration type ${i.type || '(none)'} is not valid; not served`;
  }
}

function mapMethod(
  method: RestMethodModel,
  authorizers: ReadonlyMap<string, RestAuthorizerConfig>,
  models: ReadonlySet<string>,
  gaps: Gap[],
): RestMethodConfig | undefined {
  const integration = mapIntegration(method);
  if (typeof integration === 'string') {
    if (integration !== '') gaps.push(serviceGap(method, T.method, 'Integration.Type', integration));
    return undefined;
  }
  const needsAuthorizer =
    method.authorizationType === 'CUSTOM' || method.authorizationType === 'COGNITO_USER_POOLS';
  if (needsAuthorizer && !authorizers.has(method.authorizerId ?? '')) {
    const message = `authorizer ${method.authorizerId ?? '(none)'} cannot run; the method is not served`;
    gaps.push(serviceGap(method, T.method, 'AuthorizerId', message));
    return undefined;
  }
  const requestModels = Object.entries(method.requestModels).filter(([type, name]) => {
    if (models.has(name)) return true;
    gaps.push(
      serviceGap(method, T.method, 'RequestModels', `model ${name} (${type}) is not a model of the API`),
    );
    return false;
  });
  return {
    httpMethod: method.httpMethod,
    authorizationType: method.authorizationType,
    ...(needsAuthorizer ? { authorizerId: method.authorizerId } : {}),
    apiKeyRequired: method.apiKeyRequired,
    requestParameters: { ...method.requestParameters },
    ...(method.requestValidator === undefined ? {} : { requestValidator: { ...method.requestValidator } }),
    ...(requestModels.length === 0 ? {} : { requestModels: Object.fromEntries(requestModels) }),
    integration,
  };
}

function mapAuthorizer(authorizer: RestAuthorizerModel): RestAuthorizerConfig | undefined {
  const common = {
    id: authorizer.id,
    name: authorizer.name,
    ...(authorizer.identitySource === undefined ? {} : { identitySource: authorizer.identitySource }),
    resultTtlSeconds: authorizer.resultTtlSeconds,
  };
  if (authorizer.type === 'COGNITO_USER_POOLS') {
    // The gateway reports it (requests without a token get the real 401, others 500).
    return { ...common, type: 'COGNITO_USER_POOLS', providerArns: [...authorizer.providerArns] };
  }
  if (authorizer.target === undefined) return undefined; // the loader reported it
  return {
    ...common,
    type: authorizer.type,
    functionName: authorizer.target.functionName,
    ...(authorizer.identityValidationExpression === undefined
      ? {}
      : { identityValidationExpression: authorizer.identityValidationExpression }),
  };
}

/**
 * The stage's `AccessLogSetting.Format` (a Deployment's `StageDescription.AccessLogSetting` for the stage it
 * creates), read from the resolved resource: the typed stage model does not carry it.
 */
function accessLogFormatOf(stage: RestStageModel, resources: readonly ResourceModel[]): string | undefined {
  const record = resources.find((r) => r.stack === stage.stack && r.logicalId === stage.logicalId);
  const props = record?.properties;
  const holder = record?.type === 'AWS::ApiGateway::Deployment' ? props?.StageDescription : props;
  const setting = (holder as { AccessLogSetting?: { Format?: unknown } } | undefined)?.AccessLogSetting;
  return typeof setting?.Format === 'string' && setting.Format !== '' ? setting.Format : undefined;
}

function mapStage(
  stage: RestStageModel,
  methodKeys: ReadonlySet<string>,
  templateResources: readonly ResourceModel[],
  gaps: Gap[],
): RestStageConfig {
  const methodSettings: Record<string, MethodSettingConfig> = {};
  for (const [key, settings] of Object.entries(stage.methodSettings)) {
    if (key !== '*/*' && !methodKeys.has(key)) {
      gaps.push(
        serviceGap(
          stage,
          T.stage,
          'MethodSettings',
          `settings for ${key}, which is not a served method, are ignored`,
        ),
      );
      continue;
    }
    methodSettings[key] = { ...settings };
  }
  let format = accessLogFormatOf(stage, templateResources);
  const formatError =
    format === undefined ? undefined : accessLogFormatError(compileRestAccessLogFormat(format));
  if (formatError !== undefined) {
    // The stage serves with the gateway's own access-log line.
    gaps.push(serviceGap(stage, T.stage, 'AccessLogSetting', `not used: ${formatError}`));
    format = undefined;
  }
  return {
    name: stage.name,
    ...(stage.deploymentId === undefined ? {} : { deploymentId: stage.deploymentId }),
    variables: { ...stage.variables },
    cacheClusterEnabled: stage.cacheClusterEnabled,
    ...(stage.cacheClusterSize === undefined ? {} : { cacheClusterSize: stage.cacheClusterSize }),
    methodSettings,
    ...(format === undefined ? {} : { accessLogSetting: { format } }),
  };
}

/** One API without usage plans and keys, and whatever of it the gateway refuses left out. */
function mapApi(
  api: RestApiModel,
  templateResources: readonly ResourceModel[],
  gaps: Gap[],
): RestApiConfig | undefined {
  if (api.stages.length === 0) {
    gaps.push(serviceGap(api, T.api, undefined, 'the API has no stage, so it is not reachable (as on AWS)'));
    return undefined;
  }
  const authorizers = new Map<string, RestAuthorizerConfig>();
  for (const authorizer of api.authorizers) {
    const mapped = mapAuthorizer(authorizer);
    if (mapped !== undefined) authorizers.set(mapped.id, mapped);
  }
  const models = new Map<string, JsonSchema>(api.models.map((m) => [m.name, m.schema as JsonSchema]));
  const identities = new Map<string, ResourceIdentity>(); // "VERB /path" → method
  const resources: RestResourceConfig[] = api.resources.map((resource) => ({
    path: resource.path,
    id: resource.id,
    methods: resource.methods.flatMap((method) => {
      const mapped = mapMethod(method, authorizers, new Set(models.keys()), gaps);
      if (mapped === undefined) return [];
      identities.set(`${method.httpMethod} ${resource.path}`, method);
      return [mapped];
    }),
  }));
  const gatewayResponses: GatewayResponseConfig[] = api.gatewayResponses.map((r) => ({
    type: r.responseType as GatewayResponseType,
    ...(r.statusCode === undefined ? {} : { statusCode: r.statusCode }),
    responseParameters: { ...r.responseParameters },
    responseTemplates: { ...r.responseTemplates },
  }));
  const methodKeys = new Set(
    resources.flatMap((r) => r.methods.map((m) => `${r.path}/${m.httpMethod.toUpperCase()}`)),
  );
  let config: RestApiConfig = {
    apiId: api.id,
    name: api.name,
    region: api.region,
    accountId: api.accountId,
    resources,
    models: Object.fromEntries(models),
    authorizers: [...authorizers.values()],
    apiKeySource: api.apiKeySource,
    binaryMediaTypes: [...api.binaryMediaTypes],
    ...(api.policy === undefined ? {} : { policy: api.policy as unknown as ResourcePolicyDocument }),
    gatewayResponses,
    stages: api.stages.map((stage) => mapStage(stage, methodKeys, templateResources, gaps)),
  };

  let check = checkRestApi(config);
  if (!check.ok) config = leaveOutRefused(config, api, identities, gaps);
  check = checkRestApi(config);
  if (!check.ok) {
    gaps.push(serviceGap(api, T.api, undefined, `not served: ${check.error}`));
    return undefined;
  }
  for (const gap of check.gaps) {
    const method = identities.get(gap.subject);
    const authorizer = api.authorizers.find((a) => gap.subject === `authorizer ${a.id}`);
    const where = method ?? authorizer ?? api;
    const type = method ? T.method : authorizer ? T.authorizer : T.api;
    gaps.push(serviceGap(where, type, undefined, method ? gap.message : `${gap.subject}: ${gap.message}`));
  }
  return config;
}

/**
 * The API minus each part the gateway refuses on its own: methods (checked one by one in an otherwise
 * empty API), gateway responses, stages. A refused policy is not dropped: serving an API without its
 * resource policy would open what the template closes, so the whole API is refused instead.
 */
function leaveOutRefused(
  config: RestApiConfig,
  api: RestApiModel,
  identities: ReadonlyMap<string, ResourceIdentity>,
  gaps: Gap[],
): RestApiConfig {
  const bare: RestApiConfig = {
    ...config,
    resources: [],
    gatewayResponses: [],
    stages: [{ name: 'check' }],
    policy: undefined,
  };
  const resources = config.resources.map((resource) => ({
    ...resource,
    methods: resource.methods.filter((method) => {
      const check = checkRestApi({ ...bare, resources: [{ ...resource, methods: [method] }] });
      if (check.ok) return true;
      const identity = identities.get(`${method.httpMethod} ${resource.path}`) ?? api;
      gaps.push(serviceGap(identity, T.method, undefined, `not served: ${check.error}`));
      return false;
    }),
  }));
  const gatewayResponses = (config.gatewayResponses ?? []).filter((response) => {
    const check = checkRestApi({ ...bare, gatewayResponses: [response] });
    if (check.ok) return true;
    const model = api.gatewayResponses.find((r) => r.responseType === response.type) ?? api;
    gaps.push(serviceGap(model, T.response, undefined, `not used: ${check.error}`));
    return false;
  });
  const methodKeys = new Set(
    resources.flatMap((r) => r.methods.map((m) => `${r.path}/${m.httpMethod.toUpperCase()}`)),
  );
  const stages = config.stages.flatMap((stage) => {
    // Settings of methods left out just above go with them.
    const methodSettings = Object.fromEntries(
      Object.entries(stage.methodSettings ?? {}).filter(([key]) => key === '*/*' || methodKeys.has(key)),
    );
    const kept = { ...stage, methodSettings };
    const check = checkRestApi({ ...bare, resources, stages: [kept] });
    if (check.ok) return [kept];
    const model = api.stages.find((s) => s.name === stage.name) ?? api;
    gaps.push(serviceGap(model, T.stage, undefined, `not served: ${check.error}`));
    return [];
  });
  return { ...config, resources, gatewayResponses, stages };
}

/** Usage plans limited to the served APIs and stages; keys limited to those plans. */
function mapPlansAndKeys(
  apis: readonly RestApiConfig[],
  model: { readonly usagePlans: readonly UsagePlanModel[]; readonly apiKeys: readonly ApiKeyModel[] },
  gaps: Gap[],
): {
  plans: UsagePlanModel[];
  planConfigs: UsagePlanConfig[];
  keys: ApiKeyModel[];
  keyConfigs: ApiKeyConfig[];
} {
  const served = new Map(apis.map((api) => [api.apiId, new Set(api.stages.map((s) => s.name))]));
  const plans: UsagePlanModel[] = [];
  const planConfigs: UsagePlanConfig[] = [];
  for (const plan of model.usagePlans) {
    const apiStages = plan.apiStages.filter((s) => {
      if (served.get(s.apiId)?.has(s.stage)) return true;
      gaps.push(
        serviceGap(plan, T.plan, 'ApiStages', `stage ${s.stage} of REST API ${s.apiId} is not served`),
      );
      return false;
    });
    const config: UsagePlanConfig = {
      id: plan.id,
      name: plan.name,
      apiStages: apiStages.map((s) => ({ apiId: s.apiId, stage: s.stage, throttle: { ...s.throttle } })),
      ...(plan.throttle === undefined ? {} : { throttle: { ...plan.throttle } }),
      ...(plan.quota === undefined ? {} : { quota: { ...plan.quota } }),
    };
    const error = checkUsagePlans([{ apiId: 'check', resources: [], stages: [], usagePlans: [config] }]);
    if (error !== undefined) {
      gaps.push(serviceGap(plan, T.plan, undefined, `not served: ${error}`));
      continue;
    }
    plans.push(plan);
    planConfigs.push(config);
  }
  const planStages = new Map(planConfigs.map((p) => [p.id, p.apiStages.map((s) => `${s.apiId}/${s.stage}`)]));
  const keys: ApiKeyModel[] = [];
  const keyConfigs: ApiKeyConfig[] = [];
  const values = new Set<string>();
  for (const key of model.apiKeys) {
    if (key.value.length < 20 || key.value.length > 128 || values.has(key.value)) {
      const why = values.has(key.value)
        ? 'another key has the same value'
        : 'the value must be 20 to 128 characters';
      gaps.push(serviceGap(key, T.key, 'Value', `not served: ${why}`));
      continue;
    }
    values.add(key.value);
    const covered = new Set<string>();
    const planIds = key.usagePlanIds.filter((id) => {
      const stages = planStages.get(id);
      if (stages === undefined) return false; // not served: reported with the plan
      if (stages.some((s) => covered.has(s))) {
        gaps.push(
          serviceGap(
            key,
            T.key,
            undefined,
            `left out of usage plan ${id}: another of its plans covers the same stage`,
          ),
        );
        return false;
      }
      for (const s of stages) covered.add(s);
      return true;
    });
    // Unverified: stage keys predate usage plans; a key is accepted on a stage through a plan only. CDK's
    // `addApiKey` writes them next to the plan's, so only a stage no plan of the key covers is reported.
    const uncovered = key.stageKeys.filter((k) => !covered.has(`${k.restApiId}/${k.stageName}`));
    if (uncovered.length > 0) {
      const stages = uncovered.map((k) => `${k.restApiId}/${k.stageName}`).join(', ');
      gaps.push(
        serviceGap(
          key,
          T.key,
          'StageKeys',
          `ignored for ${stages}: a key works on a stage through a usage plan`,
        ),
      );
    }
    keys.push({ ...key, usagePlanIds: planIds });
    keyConfigs.push({
      id: key.id,
      name: key.name,
      value: key.value,
      enabled: key.enabled,
      planIds,
      // What GetApiKey lists (management-api.ts); the key works through its plans only.
      stageKeys: key.stageKeys.map((k) => `${k.restApiId}/${k.stageName}`),
    });
  }
  return { plans, planConfigs, keys, keyConfigs };
}

export function mapRestApis(model: {
  readonly restApis: readonly RestApiModel[];
  readonly usagePlans: readonly UsagePlanModel[];
  readonly apiKeys: readonly ApiKeyModel[];
  /** The resolved resources, where stages' access-log formats are read. */
  readonly resources?: readonly ResourceModel[];
}): RestApiMapping {
  const gaps: Gap[] = [];
  const apis = model.restApis.flatMap((api) => mapApi(api, model.resources ?? [], gaps) ?? []);
  const { plans, planConfigs, keys, keyConfigs } = mapPlansAndKeys(apis, model, gaps);
  // Plans and keys are merged by id across APIs in the gateway: the first API carries them all.
  const [first, ...rest] = apis;
  const withPlans =
    first === undefined ? [] : [{ ...first, usagePlans: planConfigs, apiKeys: keyConfigs }, ...rest];
  const error = checkUsagePlans(withPlans);
  if (error !== undefined) {
    // Not expected after the checks above; keeps the APIs up without plans (keyed methods then answer 403).
    for (const plan of plans) gaps.push(serviceGap(plan, T.plan, undefined, `not served: ${error}`));
    return { apis, gaps, apiKeys: [], usagePlans: [] };
  }
  return { apis: withPlans, gaps, apiKeys: keys, usagePlans: plans };
}
