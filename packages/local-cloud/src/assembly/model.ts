/**
 * The typed model of a cloud assembly: what the local cloud's services consume.
 *
 * Plain, JSON-serializable data. Every intrinsic function is already resolved; every value that
 * CloudFormation would hand to a service as a string (names, ids, ARNs, URLs, environment variables,
 * outputs) is a string here. Values that point at AWS service endpoints (a Cognito issuer, an
 * `execute-api` URL) are kept exactly as AWS would produce them; the "endpoints" step that runs after
 * the services have started rewrites them to local URLs (see `endpoints` below and README.md).
 *
 * Conventions:
 * - `stack` is always the CloudFormation stack name (e.g. `dev-notes`), `logicalId` the template's key.
 * - `path` is the CDK construct path (`dev/notes/Fn/Resource`) when the template carries it.
 * - Cross references between model objects use physical ids (pool ids, api ids, function ARNs) and,
 *   where the target is part of the assembly, a {@link ResourceKey}.
 * - Durations are normalized to the unit in the property name (`timeoutSeconds`, `resultTtlSeconds`).
 */

/** A value after intrinsic resolution (what a deployed resource would have received). */
export type ResolvedValue =
  | string
  | number
  | boolean
  | null
  | readonly ResolvedValue[]
  | { readonly [key: string]: ResolvedValue };

/** Identifies one resource of the assembly. */
export interface ResourceKey {
  /** CloudFormation stack name, e.g. `dev-notes`. */
  readonly stack: string;
  /** Logical id in the stack's template. */
  readonly logicalId: string;
}

/** Common fields of every modelled resource. */
export interface ResourceIdentity extends ResourceKey {
  /** CDK construct path (`aws:cdk:path` metadata) when present. */
  readonly path?: string;
}

export interface AssemblyModel {
  /** Absolute path of the assembly directory that was given (`cdk.out`). */
  readonly rootDir: string;
  /** Absolute path of the (possibly nested, per-stage) assembly that was loaded. */
  readonly assemblyDir: string;
  /** The stage that was loaded (its display name, e.g. `dev`), undefined for top-level stacks. */
  readonly stage: string | undefined;
  /** Every stage (nested cloud assembly) of the root assembly, e.g. `['dev', 'prod']`. */
  readonly stages: readonly string[];
  /** Account id used for environment-agnostic stacks (default `000000000000`). */
  readonly accountId: string;
  /** Region used for environment-agnostic stacks (default `us-east-1`). */
  readonly region: string;
  /** Stacks in deployment order (a stack comes after every stack it depends on). */
  readonly stacks: readonly StackModel[];
  readonly functions: readonly FunctionModel[];
  readonly functionAliases: readonly FunctionAliasModel[];
  readonly layers: readonly LayerModel[];
  readonly tables: readonly TableModel[];
  readonly userPools: readonly UserPoolModel[];
  readonly httpApis: readonly HttpApiModel[];
  /** `AWS::ApiGateway::RestApi` with their resources, methods, authorizers, models and stages. */
  readonly restApis: readonly RestApiModel[];
  /** `AWS::ApiGateway::UsagePlan`: account-level, so not nested in an API (a plan may list several). */
  readonly usagePlans: readonly UsagePlanModel[];
  /** `AWS::ApiGateway::ApiKey` with the plans their `AWS::ApiGateway::UsagePlanKey`s attach them to. */
  readonly apiKeys: readonly ApiKeyModel[];
  /**
   * Every resource of every stack (except those whose `Condition` is false), with resolved
   * properties, whether modelled above or not. Services for types that have no typed model yet
   * (REST APIs, WebSocket APIs, …) start from here: see `resourcesOfType()`.
   */
  readonly resources: readonly ResourceModel[];
  /** AWS service endpoints that resolved values point at; the endpoints step rewrites them. */
  readonly endpoints: readonly AwsEndpoint[];
  /** What the local cloud does not implement (see Gap). Deduplicated, in stack/template order. */
  readonly gaps: readonly Gap[];
}

// ---------------------------------------------------------------------------------------------
// Stacks

export interface StackModel {
  /** CloudFormation stack name, e.g. `dev-notes`. */
  readonly name: string;
  /** Artifact id in the manifest, e.g. `devnotes2A64DE24`. */
  readonly artifactId: string;
  /** Construct path of the stack, e.g. `dev/notes`. */
  readonly displayName: string;
  /** Absolute path of the template file. */
  readonly templateFile: string;
  /** `arn:aws:cloudformation:<region>:<account>:stack/<name>/<uuid>` (deterministic). */
  readonly stackId: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly urlSuffix: string;
  /** Names of the stacks this one depends on (manifest dependencies). */
  readonly dependsOn: readonly string[];
  /** Stack outputs whose condition holds, resolved. */
  readonly outputs: readonly OutputModel[];
}

export interface OutputModel {
  /** Output key in the template. */
  readonly name: string;
  /** Resolved value; lists are joined with `,` as CloudFormation does. */
  readonly value: string;
  readonly exportName?: string;
  readonly description?: string;
}

// ---------------------------------------------------------------------------------------------
// Generic resources

/**
 * How the local cloud treats a resource type:
 * - `modelled`: turned into a typed model above (unimplemented properties are reported as gaps);
 * - `no-op`: understood and intentionally without local effect (IAM, log groups, Lambda
 *   permissions, CDK metadata, …) — never a gap;
 * - `unsupported`: not implemented — reported as a gap.
 */
export type SupportLevel = 'modelled' | 'no-op' | 'unsupported';

export interface ResourceModel extends ResourceIdentity {
  /** CloudFormation type, e.g. `AWS::SQS::Queue`. */
  readonly type: string;
  readonly support: SupportLevel;
  /** What `Ref` returns for this resource (a name, id or ARN depending on the type). */
  readonly physicalId: string;
  /** Resolved `Properties` (`AWS::NoValue` removed). */
  readonly properties: { readonly [name: string]: ResolvedValue };
  readonly dependsOn: readonly string[];
  /** Template `Metadata` as written (not resolved). */
  readonly metadata: { readonly [key: string]: ResolvedValue };
}

// ---------------------------------------------------------------------------------------------
// Lambda

export interface FunctionModel extends ResourceIdentity {
  /** Physical function name (`FunctionName`, or CloudFormation-like `<stack>-<logicalId>-<SUFFIX>`). */
  readonly name: string;
  /** Unqualified ARN, `arn:aws:lambda:<region>:<account>:function:<name>`. */
  readonly arn: string;
  readonly region: string;
  readonly accountId: string;
  /** e.g. `index.handler`. */
  readonly handler: string;
  /** e.g. `nodejs22.x`. */
  readonly runtime: string;
  readonly code: FunctionCode;
  /** `Environment.Variables`, every value a string. */
  readonly environment: { readonly [name: string]: string };
  /** Default 3. */
  readonly timeoutSeconds: number;
  /** Default 128. */
  readonly memoryMb: number;
  /** Default 512. */
  readonly ephemeralStorageMb: number;
  /** `ReservedConcurrentExecutions`; undefined = unreserved. */
  readonly reservedConcurrency: number | undefined;
  readonly architecture: 'x86_64' | 'arm64';
  /** Layers in the order Lambda extracts them. */
  readonly layers: readonly FunctionLayer[];
  /** Execution role ARN (informational: IAM is not enforced locally). */
  readonly roleArn: string | undefined;
  /** `LoggingConfig.LogGroup` or `/aws/lambda/<name>`. */
  readonly logGroupName: string;
  readonly logFormat: 'Text' | 'JSON';
  readonly applicationLogLevel: string | undefined;
  readonly systemLogLevel: string | undefined;
  /** `TracingConfig.Mode`, default `PassThrough`. */
  readonly tracing: 'Active' | 'PassThrough';
  readonly description: string | undefined;
}

/**
 * Where a function's (or layer's) code is on this machine.
 * - `directory`: an unpacked asset directory (`cdk.out/asset.<hash>/`), ready to import from;
 * - `zip`: a zip file asset (`cdk.out/asset.<hash>.zip`) that must be extracted first;
 * - `inline`: `Code.ZipFile` source text; AWS stores it as `index.js` (Node.js), so a handler
 *   `index.handler` refers to it.
 */
export type FunctionCode =
  | { readonly kind: 'directory'; readonly path: string; readonly assetHash: string | undefined }
  | { readonly kind: 'zip'; readonly path: string; readonly assetHash: string | undefined }
  | { readonly kind: 'inline'; readonly source: string }
  /** The code is not available locally (S3 object outside the assembly, container image…); a gap says why. */
  | { readonly kind: 'unavailable'; readonly reason: string };

export interface FunctionLayer {
  /** Layer version ARN as referenced by the function. */
  readonly arn: string;
  /** The layer's model when it is part of the assembly. */
  readonly layer: ResourceKey | undefined;
}

export interface LayerModel extends ResourceIdentity {
  readonly name: string;
  /** `arn:aws:lambda:<region>:<account>:layer:<name>:1`. */
  readonly arn: string;
  readonly code: FunctionCode;
  readonly compatibleRuntimes: readonly string[];
}

export interface FunctionAliasModel extends ResourceIdentity {
  readonly name: string;
  /** `<function arn>:<alias name>`. */
  readonly arn: string;
  /** The function when it is part of the assembly. */
  readonly function: ResourceKey | undefined;
  readonly functionName: string;
  /** Version the alias points at (resolved `FunctionVersion`). */
  readonly functionVersion: string;
}

/**
 * The Lambda function an integration, authorizer or trigger calls, parsed from a function ARN or an
 * `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function arn>/invocations` URI.
 */
export interface LambdaTarget {
  /** Unqualified function ARN. */
  readonly functionArn: string;
  readonly functionName: string;
  /** Version or alias name after the function name, if any. */
  readonly qualifier: string | undefined;
  /** The function's model when it is part of the assembly. */
  readonly function: ResourceKey | undefined;
}

// ---------------------------------------------------------------------------------------------
// DynamoDB

export interface TableModel extends ResourceIdentity {
  /** `AWS::DynamoDB::Table` or `AWS::DynamoDB::GlobalTable` (CDK `TableV2`). */
  readonly type: 'AWS::DynamoDB::Table' | 'AWS::DynamoDB::GlobalTable';
  readonly name: string;
  /** `arn:aws:dynamodb:<region>:<account>:table/<name>`. */
  readonly arn: string;
  /** Set when a stream is enabled: `<arn>/stream/<timestamp>`. */
  readonly streamArn: string | undefined;
  readonly keySchema: readonly KeySchemaElement[];
  readonly attributeDefinitions: readonly AttributeDefinition[];
  readonly globalSecondaryIndexes: readonly SecondaryIndex[];
  readonly localSecondaryIndexes: readonly SecondaryIndex[];
  /** `TimeToLiveSpecification.AttributeName` when enabled. */
  readonly ttlAttribute: string | undefined;
  readonly billingMode: 'PAY_PER_REQUEST' | 'PROVISIONED';
  readonly provisionedThroughput: ProvisionedThroughput | undefined;
  readonly streamViewType: 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY' | undefined;
  readonly deletionProtection: boolean;
}

export interface KeySchemaElement {
  readonly attributeName: string;
  readonly keyType: 'HASH' | 'RANGE';
}

export interface AttributeDefinition {
  readonly attributeName: string;
  readonly attributeType: 'S' | 'N' | 'B';
}

export interface SecondaryIndex {
  readonly indexName: string;
  readonly keySchema: readonly KeySchemaElement[];
  readonly projectionType: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  readonly nonKeyAttributes: readonly string[];
  readonly provisionedThroughput: ProvisionedThroughput | undefined;
}

export interface ProvisionedThroughput {
  readonly readCapacityUnits: number;
  readonly writeCapacityUnits: number;
}

// ---------------------------------------------------------------------------------------------
// Cognito

export interface UserPoolModel extends ResourceIdentity {
  /** `<region>_<9 alnum>`, deterministic. */
  readonly id: string;
  readonly name: string;
  /** `arn:aws:cognito-idp:<region>:<account>:userpool/<id>`. */
  readonly arn: string;
  readonly region: string;
  /** `cognito-idp.<region>.amazonaws.com/<id>` (GetAtt ProviderName). */
  readonly providerName: string;
  /** Token issuer as AWS sets it: `https://cognito-idp.<region>.amazonaws.com/<id>` (GetAtt ProviderURL). */
  readonly providerUrl: string;
  /** `UsernameAttributes`: users sign in with these instead of a username. */
  readonly usernameAttributes: readonly ('email' | 'phone_number')[];
  /** `AliasAttributes`: users may sign in with these as well as their username. */
  readonly aliasAttributes: readonly ('email' | 'phone_number' | 'preferred_username')[];
  /** `UsernameConfiguration.CaseSensitive`; true when absent (the Cognito API default). */
  readonly usernameCaseSensitive: boolean;
  readonly autoVerifiedAttributes: readonly ('email' | 'phone_number')[];
  /** `!AdminCreateUserConfig.AllowAdminCreateUserOnly`. */
  readonly selfSignUpEnabled: boolean;
  readonly passwordPolicy: PasswordPolicy;
  readonly mfa: 'OFF' | 'ON' | 'OPTIONAL';
  readonly enabledMfas: readonly string[];
  /** Custom and overridden standard attributes from `Schema`. */
  readonly schema: readonly UserPoolAttribute[];
  /** `AccountRecoverySetting.RecoveryMechanisms`, by priority. */
  readonly accountRecovery: readonly string[];
  readonly deletionProtection: boolean;
  /** `LambdaConfig`, noted (a gap until the identity provider invokes triggers). */
  readonly lambdaTriggers: readonly UserPoolTrigger[];
  readonly clients: readonly UserPoolClientModel[];
  readonly resourceServers: readonly ResourceServerModel[];
  readonly groups: readonly UserPoolGroupModel[];
  readonly domains: readonly UserPoolDomainModel[];
  /** `AWS::Cognito::UserPoolUser` resources. */
  readonly users: readonly UserPoolUserModel[];
  /** `AWS::Cognito::UserPoolUserToGroupAttachment` resources. */
  readonly groupMemberships: readonly { readonly groupName: string; readonly username: string }[];
}

export interface PasswordPolicy {
  readonly minimumLength: number;
  readonly requireLowercase: boolean;
  readonly requireUppercase: boolean;
  readonly requireNumbers: boolean;
  readonly requireSymbols: boolean;
  readonly temporaryPasswordValidityDays: number;
}

export interface UserPoolAttribute {
  /** As in the template: `email`, or `custom:tenant` is written `tenant` with `custom` true. */
  readonly name: string;
  readonly custom: boolean;
  readonly dataType: 'String' | 'Number' | 'DateTime' | 'Boolean';
  readonly mutable: boolean;
  readonly required: boolean;
  readonly developerOnly: boolean;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minValue?: number;
  readonly maxValue?: number;
}

export interface UserPoolTrigger {
  /** `LambdaConfig` key, e.g. `PreSignUp`, `PreTokenGeneration`. */
  readonly trigger: string;
  readonly target: LambdaTarget | undefined;
  /** Raw resolved value (ARN or, for `PreTokenGenerationConfig`, an object). */
  readonly value: ResolvedValue;
}

export interface UserPoolClientModel extends ResourceIdentity {
  /** 26 lowercase alphanumerics, deterministic. */
  readonly id: string;
  readonly name: string;
  /** Deterministic 51-character secret when `GenerateSecret` is true. */
  readonly secret: string | undefined;
  readonly explicitAuthFlows: readonly string[];
  /** `AllowedOAuthFlows`: `code`, `implicit`, `client_credentials`. */
  readonly oauthFlows: readonly string[];
  readonly oauthFlowsEnabled: boolean;
  /** `AllowedOAuthScopes`, e.g. `openid`, `notes/read`. */
  readonly oauthScopes: readonly string[];
  readonly callbackUrls: readonly string[];
  readonly logoutUrls: readonly string[];
  readonly defaultRedirectUri: string | undefined;
  readonly supportedIdentityProviders: readonly string[];
  /** Token lifetimes in seconds (AWS defaults: 3600 / 3600 / 30 days). */
  readonly accessTokenValiditySeconds: number;
  readonly idTokenValiditySeconds: number;
  readonly refreshTokenValiditySeconds: number;
  /** `AuthSessionValidity` in minutes (default 3). */
  readonly authSessionValidityMinutes: number;
  /** `PreventUserExistenceErrors === 'ENABLED'`; false when absent (`LEGACY`, the API default). */
  readonly preventUserExistenceErrors: boolean;
  readonly enableTokenRevocation: boolean;
  /** undefined = all attributes. */
  readonly readAttributes: readonly string[] | undefined;
  readonly writeAttributes: readonly string[] | undefined;
}

export interface ResourceServerModel extends ResourceIdentity {
  readonly identifier: string;
  readonly name: string;
  readonly scopes: readonly { readonly name: string; readonly description: string }[];
}

export interface UserPoolGroupModel extends ResourceIdentity {
  readonly name: string;
  readonly description: string | undefined;
  readonly precedence: number | undefined;
  readonly roleArn: string | undefined;
}

export interface UserPoolDomainModel extends ResourceIdentity {
  /** Prefix (`notes-dev` → `notes-dev.auth.<region>.amazoncognito.com`) or a custom domain. */
  readonly domain: string;
  readonly custom: boolean;
  /** The hosted domain as AWS would serve it. */
  readonly url: string;
}

export interface UserPoolUserModel extends ResourceIdentity {
  readonly username: string;
  readonly attributes: { readonly [name: string]: string };
  readonly messageAction: string | undefined;
}

// ---------------------------------------------------------------------------------------------
// API Gateway v2 — HTTP APIs

export interface HttpApiModel extends ResourceIdentity {
  /** 10 lowercase alphanumerics, deterministic. */
  readonly id: string;
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  /** `https://<id>.execute-api.<region>.amazonaws.com` (GetAtt ApiEndpoint). */
  readonly endpoint: string;
  readonly disableExecuteApiEndpoint: boolean;
  readonly cors: CorsConfiguration | undefined;
  readonly routes: readonly HttpRouteModel[];
  readonly integrations: readonly HttpIntegrationModel[];
  readonly authorizers: readonly HttpAuthorizerModel[];
  readonly stages: readonly HttpStageModel[];
}

export interface CorsConfiguration {
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly allowCredentials: boolean;
  readonly maxAgeSeconds: number | undefined;
}

export interface HttpRouteModel extends ResourceIdentity {
  readonly id: string;
  /** As written: `GET /notes/{id}`, `ANY /{proxy+}`, `$default`. */
  readonly routeKey: string;
  /** `GET`, …, `ANY`; undefined for `$default`. */
  readonly method: string | undefined;
  /** `/notes/{id}`; undefined for `$default`. */
  readonly path: string | undefined;
  /** From `Target: integrations/<id>`. */
  readonly integrationId: string | undefined;
  readonly authorizationType: 'NONE' | 'JWT' | 'CUSTOM' | 'AWS_IAM';
  readonly authorizerId: string | undefined;
  readonly authorizationScopes: readonly string[];
  readonly operationName: string | undefined;
}

export interface HttpIntegrationModel extends ResourceIdentity {
  readonly id: string;
  /** `AWS_PROXY` (Lambda) is implemented; others are reported as gaps. */
  readonly type: string;
  readonly uri: string | undefined;
  /** The Lambda function for `AWS_PROXY` integrations. */
  readonly target: LambdaTarget | undefined;
  readonly payloadFormatVersion: '1.0' | '2.0';
  /** Default 30000. */
  readonly timeoutMs: number;
  readonly method: string | undefined;
}

export type HttpAuthorizerModel = HttpJwtAuthorizerModel | HttpLambdaAuthorizerModel;

export interface HttpJwtAuthorizerModel extends ResourceIdentity {
  readonly kind: 'JWT';
  readonly id: string;
  readonly name: string;
  /** e.g. `['$request.header.Authorization']`. */
  readonly identitySource: readonly string[];
  /** As resolved, e.g. `https://cognito-idp.<region>.amazonaws.com/<poolId>` (rewritten later). */
  readonly issuer: string;
  readonly audience: readonly string[];
}

export interface HttpLambdaAuthorizerModel extends ResourceIdentity {
  readonly kind: 'REQUEST';
  readonly id: string;
  readonly name: string;
  readonly identitySource: readonly string[];
  readonly uri: string;
  readonly target: LambdaTarget | undefined;
  readonly payloadFormatVersion: '1.0' | '2.0';
  readonly enableSimpleResponses: boolean;
  /** `AuthorizerResultTtlInSeconds`, default 0 (no caching). */
  readonly resultTtlSeconds: number;
}

export interface HttpStageModel extends ResourceIdentity {
  /** `$default` or a name. */
  readonly name: string;
  readonly autoDeploy: boolean;
  readonly defaultRouteSettings: RouteSettings;
  /** By route key. */
  readonly routeSettings: { readonly [routeKey: string]: RouteSettings };
  readonly stageVariables: { readonly [name: string]: string };
  readonly accessLog: { readonly destinationArn: string; readonly format: string } | undefined;
}

export interface RouteSettings {
  readonly throttlingBurstLimit?: number;
  readonly throttlingRateLimit?: number;
  readonly detailedMetricsEnabled?: boolean;
}

// ---------------------------------------------------------------------------------------------
// API Gateway v1 — REST APIs

export interface RestApiModel extends ResourceIdentity {
  /** 10 lowercase alphanumerics, deterministic (`Ref`). */
  readonly id: string;
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  /** `https://<id>.execute-api.<region>.amazonaws.com` (stages are path prefixes). */
  readonly endpoint: string;
  /** `ApiKeySourceType`, default `HEADER`. */
  readonly apiKeySource: 'HEADER' | 'AUTHORIZER';
  readonly binaryMediaTypes: readonly string[];
  /** `Policy` (a JSON document; a string policy is parsed). */
  readonly policy: ResolvedValue | undefined;
  /** `EndpointConfiguration.Types`: `EDGE` (the API default), `REGIONAL`, `PRIVATE`. */
  readonly endpointTypes: readonly string[];
  readonly disableExecuteApiEndpoint: boolean;
  /** The root (`/`) and every `AWS::ApiGateway::Resource`, with full paths, parents first. */
  readonly resources: readonly RestResourceModel[];
  readonly authorizers: readonly RestAuthorizerModel[];
  readonly models: readonly RestModelModel[];
  readonly gatewayResponses: readonly RestGatewayResponseModel[];
  /** `AWS::ApiGateway::Stage`s and the stages Deployments create (`StageName` + `StageDescription`). */
  readonly stages: readonly RestStageModel[];
}

export interface RestResourceModel {
  /** `Ref` of the resource (the API's `RootResourceId` for the root). */
  readonly id: string;
  /** Full path: `/`, `/products/{id}`, `/{proxy+}`. */
  readonly path: string;
  /** The `AWS::ApiGateway::Resource`; undefined for the root. */
  readonly resource: ResourceKey | undefined;
  readonly methods: readonly RestMethodModel[];
}

export interface RestMethodModel extends ResourceIdentity {
  /** `GET`, …, `ANY`. */
  readonly httpMethod: string;
  readonly authorizationType: 'NONE' | 'CUSTOM' | 'COGNITO_USER_POOLS' | 'AWS_IAM';
  /** `Ref` of the authorizer. */
  readonly authorizerId: string | undefined;
  readonly authorizationScopes: readonly string[];
  readonly apiKeyRequired: boolean;
  /** `method.request.{querystring|header|path}.name` → required. */
  readonly requestParameters: { readonly [parameter: string]: boolean };
  /** Content type → model **name**. */
  readonly requestModels: { readonly [contentType: string]: string };
  /** The `RequestValidatorId`'s flags, inlined. */
  readonly requestValidator:
    | { readonly validateRequestBody: boolean; readonly validateRequestParameters: boolean }
    | undefined;
  readonly integration: RestIntegrationModel;
}

export interface RestIntegrationModel {
  /** `AWS_PROXY`, `MOCK`, `AWS`, `HTTP`, `HTTP_PROXY` (or `''` when missing). */
  readonly type: string;
  readonly uri: string | undefined;
  /** The Lambda function for `AWS_PROXY` integrations. */
  readonly target: LambdaTarget | undefined;
  /** `TimeoutInMillis`, default 29000. */
  readonly timeoutMs: number;
  readonly cacheKeyParameters: readonly string[];
  readonly cacheNamespace: string | undefined;
  readonly requestTemplates: { readonly [contentType: string]: string };
  readonly integrationResponses: readonly RestIntegrationResponseModel[];
}

export interface RestIntegrationResponseModel {
  readonly statusCode: string;
  readonly selectionPattern: string | undefined;
  readonly responseParameters: { readonly [parameter: string]: string };
  readonly responseTemplates: { readonly [contentType: string]: string };
}

export interface RestAuthorizerModel extends ResourceIdentity {
  /** `Ref` of the authorizer (what methods' `AuthorizerId` holds). */
  readonly id: string;
  readonly name: string;
  readonly type: 'TOKEN' | 'REQUEST' | 'COGNITO_USER_POOLS';
  readonly uri: string | undefined;
  readonly target: LambdaTarget | undefined;
  readonly identitySource: string | undefined;
  readonly identityValidationExpression: string | undefined;
  /** `AuthorizerResultTtlInSeconds`, default 300. */
  readonly resultTtlSeconds: number;
  readonly providerArns: readonly string[];
}

export interface RestModelModel extends ResourceIdentity {
  readonly name: string;
  readonly contentType: string | undefined;
  /** The JSON schema (a string `Schema` is parsed). */
  readonly schema: { readonly [key: string]: ResolvedValue };
}

export interface RestGatewayResponseModel extends ResourceIdentity {
  readonly responseType: string;
  readonly statusCode: string | undefined;
  readonly responseParameters: { readonly [parameter: string]: string };
  readonly responseTemplates: { readonly [contentType: string]: string };
}

export interface RestStageModel extends ResourceIdentity {
  readonly name: string;
  readonly deploymentId: string | undefined;
  readonly variables: { readonly [name: string]: string };
  readonly cacheClusterEnabled: boolean;
  readonly cacheClusterSize: string | undefined;
  /**
   * `MethodSettings` keyed `*\/*` or `{resourcePath}/{httpMethod}` with the path decoded (`~1` → `/`):
   * `/products/GET`, `//GET` for the root. A Deployment's `StageDescription` top-level caching and
   * throttling fields are folded into `*\/*`.
   */
  readonly methodSettings: { readonly [key: string]: RestMethodSettings };
}

export interface RestMethodSettings {
  readonly cachingEnabled?: boolean;
  readonly cacheTtlSeconds?: number;
  readonly cacheDataEncrypted?: boolean;
  readonly throttlingRateLimit?: number;
  readonly throttlingBurstLimit?: number;
}

export interface RestThrottle {
  readonly rateLimit?: number;
  readonly burstLimit?: number;
}

export interface UsagePlanModel extends ResourceIdentity {
  /** `Ref` of the plan. */
  readonly id: string;
  readonly name: string;
  readonly apiStages: readonly {
    readonly apiId: string;
    readonly stage: string;
    /** Per-method throttles keyed `/path/VERB` (`//GET` for the root); empty when `Throttle: {}`. */
    readonly throttle: { readonly [method: string]: RestThrottle };
  }[];
  /** Undefined when absent or empty. */
  readonly throttle: RestThrottle | undefined;
  readonly quota:
    | { readonly limit: number; readonly offset?: number; readonly period: 'DAY' | 'WEEK' | 'MONTH' }
    | undefined;
}

export interface ApiKeyModel extends ResourceIdentity {
  /** `Ref` of the key (`APIKeyId`), e.g. what a `FreeApiKeyId` output holds. */
  readonly id: string;
  /** `Name`, or CloudFormation-like `<stack>-<logicalId>-<SUFFIX>`. */
  readonly name: string;
  /**
   * `Value`; when the template has none (the usual case: AWS generates it), a 40-character value
   * derived from the stack, logical id and id seed — the same on every start, so scripts and tests can
   * keep using it across restarts. Local demo keys, shown to the local user.
   */
  readonly value: string;
  readonly generated: boolean;
  /** `Enabled`; CloudFormation's default is false. */
  readonly enabled: boolean;
  /** `Ref`s of the plans its `UsagePlanKey`s attach it to. */
  readonly usagePlanIds: readonly string[];
  /** `StageKeys` (legacy): `{restApiId, stageName}`. */
  readonly stageKeys: readonly { readonly restApiId: string; readonly stageName: string }[];
}

// ---------------------------------------------------------------------------------------------
// Endpoints

/**
 * An AWS endpoint that resolved values point at. After the services have started, the endpoints
 * step replaces `url` (a prefix of strings in function environments, outputs, authorizer issuers)
 * with the local service's URL, e.g. `https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc`
 * → `http://127.0.0.1:<port>/us-east-1_Abc`.
 */
export type AwsEndpoint =
  | {
      readonly kind: 'cognito-idp';
      /** The pool's issuer, `https://cognito-idp.<region>.amazonaws.com/<poolId>`. */
      readonly url: string;
      readonly poolId: string;
      readonly region: string;
    }
  | {
      readonly kind: 'execute-api';
      /** `https://<apiId>.execute-api.<region>.amazonaws.com` (plus `/<stage>` in URLs that use it). */
      readonly url: string;
      readonly apiId: string;
      readonly region: string;
      readonly protocol: 'HTTP' | 'WEBSOCKET' | 'REST';
    }
  | {
      readonly kind: 'cognito-domain';
      /** `https://<prefix>.auth.<region>.amazoncognito.com`. */
      readonly url: string;
      readonly poolId: string;
      readonly region: string;
    };

// ---------------------------------------------------------------------------------------------
// Gaps

export type GapKind =
  /** A resource type the local cloud does not implement. */
  | 'unsupported-resource-type'
  /** A property of a modelled type that the local cloud ignores. */
  | 'unsupported-property'
  /** A property value the local cloud cannot honour (e.g. a non-Node.js runtime, a WebSocket API). */
  | 'unsupported-value'
  /**
   * `Fn::GetAtt` of an attribute the local cloud does not know, or `Ref` / `Fn::GetAtt` of a resource type
   * it does not know (one gap for that resource); a placeholder was used.
   */
  | 'unsupported-attribute'
  /** An intrinsic that could not be resolved (`Fn::Cidr`, unknown export, SSM parameter…). */
  | 'unresolved';

export interface Gap {
  readonly kind: GapKind;
  readonly stack: string;
  /**
   * Logical id of the resource; for an output or a condition its name (type `Output` /
   * `Condition`); `Transform` for a template transform (type `AWS::CloudFormation::Template`).
   */
  readonly logicalId: string;
  readonly type: string;
  /** e.g. `Properties.VpcConfig`, `Fn::GetAtt.Foo`. */
  readonly property?: string;
  /** CDK construct path when known. */
  readonly path?: string;
  /** One line, e.g. `ignored` or `Fn::Cidr is not supported`. */
  readonly message: string;
}

/** The resources of one type, e.g. `resourcesOfType(model, 'AWS::ApiGateway::RestApi')`. */
export function resourcesOfType(model: Pick<AssemblyModel, 'resources'>, type: string): ResourceModel[] {
  return model.resources.filter((r) => r.type === type);
}
