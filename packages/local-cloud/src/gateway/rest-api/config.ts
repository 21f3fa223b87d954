/**
 * What the REST API (v1) gateway runs: plain data, one object per `AWS::ApiGateway::RestApi` with its
 * resources, methods, authorizers, models, gateway responses, stages, usage plans and API keys. A
 * CloudFormation mapper fills these in; the gateway never reads a template. Names follow the
 * `AWS::ApiGateway::*` properties (and the API's own field names) they come from.
 *
 * Usage plans and API keys are account-level on AWS (a plan may list stages of several APIs): the gateway
 * merges them by `id` across all the APIs it serves, so a plan listed under two APIs is one plan with one
 * quota and one throttle per key.
 */

/** `AWS::ApiGateway::RestApi`. */
export interface RestApiConfig {
  /** `Ref` of the API, e.g. `a1b2c3d4e5`: in hostnames, ARNs and `requestContext.apiId`. */
  readonly apiId: string;
  readonly name?: string;
  /** For `domainName` and ARNs. Default `us-east-1`. */
  readonly region?: string;
  /** For `requestContext.accountId` and ARNs. Default `123456789012`. */
  readonly accountId?: string;
  /**
   * Every resource that has methods, by full path (`/`, `/products`, `/products/{id}`, `/{proxy+}`).
   * Intermediate resources without methods may be left out.
   */
  readonly resources: readonly RestResourceConfig[];
  /** `AWS::ApiGateway::Model` by name: JSON schema draft-04 (`Schema`). */
  readonly models?: Readonly<Record<string, JsonSchema>>;
  readonly authorizers?: readonly RestAuthorizerConfig[];
  /** `ApiKeySourceType`. Default `HEADER` (the `x-api-key` header). */
  readonly apiKeySource?: 'HEADER' | 'AUTHORIZER';
  /** `BinaryMediaTypes`, e.g. `image/png`, `*\/*`. */
  readonly binaryMediaTypes?: readonly string[];
  /** `Policy`: the resource policy. `execute-api:/…` shorthand resources are expanded. */
  readonly policy?: ResourcePolicyDocument;
  /** `AWS::ApiGateway::GatewayResponse` of this API. */
  readonly gatewayResponses?: readonly GatewayResponseConfig[];
  /** `AWS::ApiGateway::Stage` (with its deployment). At least one. */
  readonly stages: readonly RestStageConfig[];
  /** `AWS::ApiGateway::UsagePlan` (merged by id across APIs). */
  readonly usagePlans?: readonly UsagePlanConfig[];
  /** `AWS::ApiGateway::ApiKey` joined with its `AWS::ApiGateway::UsagePlanKey`s (merged by id across APIs). */
  readonly apiKeys?: readonly ApiKeyConfig[];
}

/** `AWS::ApiGateway::Resource` with its `AWS::ApiGateway::Method`s. */
export interface RestResourceConfig {
  /** Full path: `/`, `/products/{id}`, `/{proxy+}`. */
  readonly path: string;
  /** `Ref` of the resource (`requestContext.resourceId`). Default: derived from the path. */
  readonly id?: string;
  readonly methods: readonly RestMethodConfig[];
}

export type AuthorizationType = 'NONE' | 'CUSTOM' | 'COGNITO_USER_POOLS' | 'AWS_IAM';

/** `AWS::ApiGateway::Method`. */
export interface RestMethodConfig {
  /** `GET`, `POST`, …, or `ANY`. */
  readonly httpMethod: string;
  /** Default `NONE`. `COGNITO_USER_POOLS` and `AWS_IAM` are not emulated (reported as gaps). */
  readonly authorizationType?: AuthorizationType;
  /** Required for `CUSTOM` and `COGNITO_USER_POOLS`. */
  readonly authorizerId?: string;
  readonly apiKeyRequired?: boolean;
  /**
   * `RequestParameters`: `method.request.{querystring|header|path|multivaluequerystring|multivalueheader}.name`
   * → required. Checked when the validator validates parameters.
   */
  readonly requestParameters?: Readonly<Record<string, boolean>>;
  /** The method's `AWS::ApiGateway::RequestValidator`. */
  readonly requestValidator?: RequestValidatorConfig;
  /** `RequestModels`: content type (or `$default`) → model name. */
  readonly requestModels?: Readonly<Record<string, string>>;
  readonly integration: RestIntegrationConfig;
}

export interface RequestValidatorConfig {
  readonly validateRequestBody?: boolean;
  readonly validateRequestParameters?: boolean;
}

export type RestIntegrationConfig =
  | LambdaProxyIntegrationConfig
  | MockIntegrationConfig
  | OtherIntegrationConfig;

interface IntegrationCommon {
  /**
   * `CacheKeyParameters`: `method.request.{querystring|header|path|multivaluequerystring|multivalueheader}.name`,
   * added to the response-cache key.
   */
  readonly cacheKeyParameters?: readonly string[];
  /** `CacheNamespace`: methods sharing a namespace share cache entries. Default: the resource. */
  readonly cacheNamespace?: string;
}

/** `Type: AWS_PROXY` to a Lambda function. */
export interface LambdaProxyIntegrationConfig extends IntegrationCommon {
  readonly type: 'AWS_PROXY';
  /** Name the Lambda invoker knows the function by. */
  readonly functionName: string;
  /** `TimeoutInMillis`: 50–300000 (29 s unless raised by a quota increase). Default 29000. */
  readonly timeoutMs?: number;
}

/**
 * `Type: MOCK`. Emulated: the `statusCode` of the rendered request template, integration responses chosen
 * by `selectionPattern`, response parameters (`'literal'`, `method.request.*`, `stageVariables.*`,
 * `context.*`) and response templates, rendered by the VTL subset (vtl.ts). Templates outside the subset
 * are reported as gaps.
 */
export interface MockIntegrationConfig extends IntegrationCommon {
  readonly type: 'MOCK';
  /** Content type → template, e.g. `{"application/json": "{ statusCode: 200 }"}`. */
  readonly requestTemplates?: Readonly<Record<string, string>>;
  readonly integrationResponses?: readonly MockIntegrationResponseConfig[];
}

export interface MockIntegrationResponseConfig {
  readonly statusCode: string | number;
  /** Regex matched against the request template's status code. Absent: the default response. */
  readonly selectionPattern?: string;
  /** `method.response.header.X` → `'literal'`, `method.request.header.Y`, `stageVariables.z`, `context.w`. */
  readonly responseParameters?: Readonly<Record<string, string>>;
  /** Content type → template (the VTL subset of vtl.ts). */
  readonly responseTemplates?: Readonly<Record<string, string>>;
}

/** HTTP, HTTP_PROXY and AWS (service) integrations are not emulated: listed as gaps, answered with 500. */
export interface OtherIntegrationConfig extends IntegrationCommon {
  readonly type: 'HTTP' | 'HTTP_PROXY' | 'AWS';
  readonly uri?: string;
}

/** `AWS::ApiGateway::Authorizer`. */
export interface RestAuthorizerConfig {
  readonly id: string;
  readonly name?: string;
  /** `COGNITO_USER_POOLS` is not emulated (a gap). */
  readonly type: 'TOKEN' | 'REQUEST' | 'COGNITO_USER_POOLS';
  /** TOKEN / REQUEST: the Lambda function (from `AuthorizerUri`). */
  readonly functionName?: string;
  /**
   * TOKEN: one `method.request.header.Name`. REQUEST: comma-separated `method.request.header.Name`,
   * `method.request.querystring.name`, `stageVariables.name`, `context.name` (required when caching).
   */
  readonly identitySource?: string;
  /** TOKEN only: regex the token must match, else 401 without invoking. */
  readonly identityValidationExpression?: string;
  /** `AuthorizerResultTtlInSeconds`, 0–3600. Default 300. */
  readonly resultTtlSeconds?: number;
  /** How long the gateway waits for the authorizer. Default 10000 (not documented by AWS). */
  readonly timeoutMs?: number;
  /** COGNITO_USER_POOLS: `ProviderARNs`. */
  readonly providerArns?: readonly string[];
}

/** `AWS::ApiGateway::Stage`. */
export interface RestStageConfig {
  /** Alphanumeric, `-` and `_`, at most 128 characters; the first path segment. */
  readonly name: string;
  /** `requestContext.deploymentId`. Default: derived from the API and stage. */
  readonly deploymentId?: string;
  /** `Variables`: the stage variables. */
  readonly variables?: Readonly<Record<string, string>>;
  readonly cacheClusterEnabled?: boolean;
  /** `CacheClusterSize` in GB: bounds the cache's memory. Default `0.5`. */
  readonly cacheClusterSize?: string;
  /** Default method throttling (what `*\/*` `MethodSettings` hold on AWS); `methodSettings` win. */
  readonly throttle?: ThrottleSettings;
  /**
   * `AccessLogSetting`: each request's access-log line in `format` (`$context` variables; must name
   * `$context.requestId` or `$context.extendedRequestId`, as AWS requires). Without it the gateway writes
   * its own JSON line. The destination is not used: lines go to the gateway's `accessLog` callback.
   */
  readonly accessLogSetting?: { readonly format: string; readonly destinationArn?: string };
  /**
   * `MethodSettings`, keyed `*\/*` (every method) or `{resourcePath}/{httpMethod}` (`/products/{id}/GET`,
   * `//GET` for the root). A specific key wins field by field over `*\/*`.
   */
  readonly methodSettings?: Readonly<Record<string, MethodSettingConfig>>;
}

export type UnauthorizedCacheControlHeaderStrategy =
  | 'FAIL_WITH_403'
  | 'SUCCEED_WITH_RESPONSE_HEADER'
  | 'SUCCEED_WITHOUT_RESPONSE_HEADER';

/** One `MethodSetting`. */
export interface MethodSettingConfig {
  /** Needs `cacheClusterEnabled`. Under `*\/*` it enables GET methods only. Default false. */
  readonly cachingEnabled?: boolean;
  /** 0–3600, default 300; 0 disables caching. */
  readonly cacheTtlSeconds?: number;
  readonly cacheDataEncrypted?: boolean;
  /** Default true (what `GetStage` shows for stages created from templates). */
  readonly requireAuthorizationForCacheControl?: boolean;
  /** Default `SUCCEED_WITH_RESPONSE_HEADER`. */
  readonly unauthorizedCacheControlHeaderStrategy?: UnauthorizedCacheControlHeaderStrategy;
  readonly throttlingRateLimit?: number;
  readonly throttlingBurstLimit?: number;
}

/**
 * `rateLimit` (requests per second) / `burstLimit` (bucket size). When only one is set the other takes
 * the account default (10000 rps / 5000).
 */
export interface ThrottleSettings {
  readonly rateLimit?: number;
  readonly burstLimit?: number;
}

/** `AWS::ApiGateway::UsagePlan`. */
export interface UsagePlanConfig {
  readonly id: string;
  readonly name?: string;
  readonly apiStages: readonly UsagePlanApiStage[];
  /** Per key, across all the plan's stages. */
  readonly throttle?: ThrottleSettings;
  /** Per key, across all the plan's stages. */
  readonly quota?: QuotaSettings;
}

export interface UsagePlanApiStage {
  readonly apiId: string;
  readonly stage: string;
  /** Per-method throttles, keyed `{resourcePath}/{httpMethod}` (`/products/GET`, `//GET`). */
  readonly throttle?: Readonly<Record<string, ThrottleSettings>>;
}

export interface QuotaSettings {
  readonly limit: number;
  /** Requests subtracted from the limit in the initial period. Default 0. */
  readonly offset?: number;
  readonly period: 'DAY' | 'WEEK' | 'MONTH';
}

/** `AWS::ApiGateway::ApiKey` with the plans it is attached to. */
export interface ApiKeyConfig {
  readonly id: string;
  readonly name?: string;
  /** 20–128 characters (AWS generates one when the template has none: the mapper must supply it). */
  readonly value: string;
  /** Default true. */
  readonly enabled?: boolean;
  readonly planIds: readonly string[];
  /** `StageKeys` (legacy) as `restApiId/stageName`: what GetApiKey lists; a key works through its plans. */
  readonly stageKeys?: readonly string[];
}

export type GatewayResponseType =
  | 'ACCESS_DENIED'
  | 'API_CONFIGURATION_ERROR'
  | 'AUTHORIZER_CONFIGURATION_ERROR'
  | 'AUTHORIZER_FAILURE'
  | 'BAD_REQUEST_PARAMETERS'
  | 'BAD_REQUEST_BODY'
  | 'DEFAULT_4XX'
  | 'DEFAULT_5XX'
  | 'EXPIRED_TOKEN'
  | 'INTEGRATION_FAILURE'
  | 'INTEGRATION_TIMEOUT'
  | 'INVALID_API_KEY'
  | 'INVALID_SIGNATURE'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'QUOTA_EXCEEDED'
  | 'REQUEST_TOO_LARGE'
  | 'RESOURCE_NOT_FOUND'
  | 'THROTTLED'
  | 'UNAUTHORIZED'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'WAF_FILTERED';

/** `AWS::ApiGateway::GatewayResponse`. */
export interface GatewayResponseConfig {
  readonly type: GatewayResponseType;
  readonly statusCode?: string | number;
  /**
   * `gatewayresponse.header.Name` → `'literal'`, `method.request.header.X`, `method.request.querystring.x`,
   * `method.request.path.x`, `stageVariables.x` or `context.x`.
   */
  readonly responseParameters?: Readonly<Record<string, string>>;
  /** Content type → template; `$context.*`, `$stageVariables.*` and `$input.params()` are not VTL here. */
  readonly responseTemplates?: Readonly<Record<string, string>>;
}

/** A JSON schema (draft-04), as in a model's `Schema`. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** The API's resource policy, as written in the template's `Policy`. */
export interface ResourcePolicyDocument {
  readonly Version?: string;
  readonly Statement: ResourcePolicyStatement | readonly ResourcePolicyStatement[];
}

export interface ResourcePolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: '*' | Readonly<Record<string, string | readonly string[]>>;
  readonly NotPrincipal?: '*' | Readonly<Record<string, string | readonly string[]>>;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  /** Operator → condition key → value(s). */
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}
