import type { SupportLevel } from './model';

/**
 * The gap rules: which resource types and properties the local cloud implements.
 *
 * - A type listed in {@link MODELLED_TYPES} becomes part of the typed model. Each of its
 *   properties is either `implemented` (read into the model and honoured by a service), `noEffect`
 *   (accepted silently because it changes nothing observable in a local run: tags, descriptions,
 *   encryption at rest, backups…) or — anything else — reported as an `unsupported-property` gap.
 * - A type listed in {@link NO_OP_TYPES} is understood and intentionally does nothing locally.
 * - Every other type is an `unsupported-resource-type` gap.
 *
 * When a service starts honouring a property, move it to `implemented` here (and read it into the
 * model); that is the single place that decides what the start-up gap report says.
 */
export interface TypeSupport {
  readonly implemented: readonly string[];
  readonly noEffect?: readonly string[];
  /** Extra words for the gap line of specific properties. */
  readonly notes?: { readonly [property: string]: string };
}

export const MODELLED_TYPES: { readonly [type: string]: TypeSupport } = {
  'AWS::Lambda::Function': {
    implemented: [
      'Architectures',
      'Code',
      'Description',
      'Environment',
      'EphemeralStorage',
      'FunctionName',
      'Handler',
      'Layers',
      'LoggingConfig',
      'MemorySize',
      'PackageType',
      'ReservedConcurrentExecutions',
      'Role',
      'Runtime',
      'Timeout',
    ],
    // TracingConfig is read into the model (`tracing`) but changes nothing locally: PassThrough is silent,
    // Mode Active is an `unsupported-value` gap per function (build/lambda.ts).
    noEffect: [
      'CodeSigningConfigArn',
      'KmsKeyArn',
      'RecursiveLoop',
      'RuntimeManagementConfig',
      'SnapStart',
      'Tags',
      'TracingConfig',
    ],
    notes: {
      VpcConfig: 'functions run on this machine’s network',
      DeadLetterConfig: 'asynchronous invocations are not emulated',
      FileSystemConfigs: 'no EFS locally',
    },
  },
  'AWS::Lambda::LayerVersion': {
    implemented: ['CompatibleArchitectures', 'CompatibleRuntimes', 'Content', 'LayerName'],
    noEffect: ['Description', 'LicenseInfo'],
  },
  'AWS::Lambda::Alias': {
    implemented: ['FunctionName', 'FunctionVersion', 'Name'],
    noEffect: ['Description', 'ProvisionedConcurrencyConfig'],
    notes: { RoutingConfig: 'weighted alias traffic is not split yet; the alias runs the current code' },
  },
  'AWS::DynamoDB::Table': {
    implemented: [
      'AttributeDefinitions',
      'BillingMode',
      'DeletionProtectionEnabled',
      'GlobalSecondaryIndexes',
      'KeySchema',
      'LocalSecondaryIndexes',
      'ProvisionedThroughput',
      'StreamSpecification',
      'TableName',
      'TimeToLiveSpecification',
    ],
    noEffect: [
      'ContributorInsightsSpecification',
      'OnDemandThroughput',
      'PointInTimeRecoverySpecification',
      'ResourcePolicy',
      'SSESpecification',
      'TableClass',
      'Tags',
      'WarmThroughput',
    ],
    notes: { ImportSourceSpecification: 'the table starts empty' },
  },
  'AWS::DynamoDB::GlobalTable': {
    implemented: [
      'AttributeDefinitions',
      'BillingMode',
      'GlobalSecondaryIndexes',
      'KeySchema',
      'LocalSecondaryIndexes',
      'Replicas',
      'StreamSpecification',
      'TableName',
      'TimeToLiveSpecification',
      'WriteProvisionedThroughputSettings',
    ],
    noEffect: [
      'GlobalTableWitnesses',
      'MultiRegionConsistency',
      'SSESpecification',
      'WarmThroughput',
      'WriteOnDemandThroughputSettings',
    ],
  },
  'AWS::Cognito::UserPool': {
    implemented: [
      'AccountRecoverySetting',
      'AdminCreateUserConfig',
      'AliasAttributes',
      'AutoVerifiedAttributes',
      'DeletionProtection',
      'EnabledMfas',
      'MfaConfiguration',
      'Policies',
      'Schema',
      'UsernameAttributes',
      'UsernameConfiguration',
      'UserPoolName',
    ],
    noEffect: [
      'EmailAuthenticationMessage',
      'EmailAuthenticationSubject',
      'EmailConfiguration',
      'EmailVerificationMessage',
      'EmailVerificationSubject',
      'SmsAuthenticationMessage',
      'SmsConfiguration',
      'SmsVerificationMessage',
      'UserPoolTags',
      'UserPoolTier',
      'VerificationMessageTemplate',
    ],
    notes: { LambdaConfig: 'triggers are noted in the model (lambdaTriggers) but not invoked' },
  },
  'AWS::Cognito::UserPoolClient': {
    implemented: [
      'AccessTokenValidity',
      'AllowedOAuthFlows',
      'AllowedOAuthFlowsUserPoolClient',
      'AllowedOAuthScopes',
      'AuthSessionValidity',
      'CallbackURLs',
      'ClientName',
      'DefaultRedirectURI',
      'EnableTokenRevocation',
      'ExplicitAuthFlows',
      'GenerateSecret',
      'IdTokenValidity',
      'LogoutURLs',
      'PreventUserExistenceErrors',
      'ReadAttributes',
      'RefreshTokenValidity',
      'SupportedIdentityProviders',
      'TokenValidityUnits',
      'UserPoolId',
      'WriteAttributes',
    ],
    noEffect: ['AnalyticsConfiguration', 'EnablePropagateAdditionalUserContextData'],
  },
  'AWS::Cognito::UserPoolResourceServer': {
    implemented: ['Identifier', 'Name', 'Scopes', 'UserPoolId'],
  },
  'AWS::Cognito::UserPoolGroup': {
    implemented: ['Description', 'GroupName', 'Precedence', 'RoleArn', 'UserPoolId'],
  },
  'AWS::Cognito::UserPoolDomain': {
    implemented: ['CustomDomainConfig', 'Domain', 'UserPoolId'],
    noEffect: ['ManagedLoginVersion'],
  },
  'AWS::Cognito::UserPoolUser': {
    implemented: ['MessageAction', 'UserAttributes', 'UserPoolId', 'Username'],
    noEffect: ['ClientMetadata', 'DesiredDeliveryMediums', 'ForceAliasCreation', 'ValidationData'],
  },
  'AWS::Cognito::UserPoolUserToGroupAttachment': {
    implemented: ['GroupName', 'Username', 'UserPoolId'],
  },
  'AWS::ApiGatewayV2::Api': {
    implemented: ['CorsConfiguration', 'Description', 'DisableExecuteApiEndpoint', 'Name', 'ProtocolType'],
    noEffect: ['DisableSchemaValidation', 'FailOnWarnings', 'IpAddressType', 'Tags', 'Version'],
    notes: {
      Body: 'OpenAPI import is not read; define routes with constructs',
      BodyS3Location: 'OpenAPI import is not read; define routes with constructs',
      Target: 'quick create is not implemented',
      RouteKey: 'quick create is not implemented',
    },
  },
  'AWS::ApiGatewayV2::Route': {
    implemented: [
      'ApiId',
      'AuthorizationScopes',
      'AuthorizationType',
      'AuthorizerId',
      'OperationName',
      'RouteKey',
      'Target',
    ],
  },
  'AWS::ApiGatewayV2::Integration': {
    implemented: [
      'ApiId',
      'ConnectionType',
      'Description',
      'IntegrationMethod',
      'IntegrationType',
      'IntegrationUri',
      'PayloadFormatVersion',
      'TimeoutInMillis',
    ],
    noEffect: ['CredentialsArn'],
  },
  'AWS::ApiGatewayV2::Authorizer': {
    implemented: [
      'ApiId',
      'AuthorizerPayloadFormatVersion',
      'AuthorizerResultTtlInSeconds',
      'AuthorizerType',
      'AuthorizerUri',
      'EnableSimpleResponses',
      'IdentitySource',
      'JwtConfiguration',
      'Name',
    ],
    noEffect: ['AuthorizerCredentialsArn'],
  },
  'AWS::ApiGatewayV2::Stage': {
    implemented: [
      'AccessLogSettings',
      'ApiId',
      'AutoDeploy',
      'DefaultRouteSettings',
      'Description',
      'RouteSettings',
      'StageName',
      'StageVariables',
    ],
    noEffect: ['AccessPolicyId', 'DeploymentId', 'Tags'],
  },
  'AWS::ApiGateway::RestApi': {
    implemented: [
      'ApiKeySourceType',
      'BinaryMediaTypes',
      'DisableExecuteApiEndpoint',
      'EndpointConfiguration',
      'Name',
      'Policy',
    ],
    noEffect: ['Description', 'FailOnWarnings', 'Tags'],
    notes: {
      Body: 'OpenAPI import is not read; define resources and methods with constructs',
      BodyS3Location: 'OpenAPI import is not read; define resources and methods with constructs',
      CloneFrom: 'cloning an API is not implemented',
      MinimumCompressionSize: 'responses are not compressed locally',
    },
  },
  'AWS::ApiGateway::Resource': { implemented: ['ParentId', 'PathPart', 'RestApiId'] },
  'AWS::ApiGateway::Method': {
    implemented: [
      'ApiKeyRequired',
      'AuthorizationScopes',
      'AuthorizationType',
      'AuthorizerId',
      'HttpMethod',
      'Integration',
      'RequestModels',
      'RequestParameters',
      'RequestValidatorId',
      'ResourceId',
      'RestApiId',
    ],
    // Method responses declare what integration responses may map; the local MOCK maps what it is given.
    noEffect: ['MethodResponses', 'OperationName'],
  },
  'AWS::ApiGateway::Deployment': {
    implemented: ['RestApiId', 'StageDescription', 'StageName'],
    noEffect: ['Description'],
    notes: {
      DeploymentCanarySettings: 'canary deployments are not emulated: every request gets the current API',
    },
  },
  'AWS::ApiGateway::Stage': {
    implemented: [
      'CacheClusterEnabled',
      'CacheClusterSize',
      'DeploymentId',
      'MethodSettings',
      'RestApiId',
      'StageName',
      'Variables',
    ],
    // The access log's format is read by src/cloud/rest-apis.ts (the gateway prints it to stdout, not to the
    // destination); a trace id is always sent but no X-Ray, no client certificate (HTTP integrations are
    // not emulated), documentation is not served.
    noEffect: [
      'AccessLogSetting',
      'ClientCertificateId',
      'Description',
      'DocumentationVersion',
      'Tags',
      'TracingEnabled',
    ],
    notes: { CanarySetting: 'canary settings are not emulated: every request gets the current API' },
  },
  'AWS::ApiGateway::Authorizer': {
    implemented: [
      'AuthorizerResultTtlInSeconds',
      'AuthorizerUri',
      'IdentitySource',
      'IdentityValidationExpression',
      'Name',
      'ProviderARNs',
      'RestApiId',
      'Type',
    ],
    noEffect: ['AuthType', 'AuthorizerCredentials'],
  },
  'AWS::ApiGateway::Model': {
    implemented: ['ContentType', 'Name', 'RestApiId', 'Schema'],
    noEffect: ['Description'],
  },
  'AWS::ApiGateway::RequestValidator': {
    implemented: ['Name', 'RestApiId', 'ValidateRequestBody', 'ValidateRequestParameters'],
  },
  'AWS::ApiGateway::GatewayResponse': {
    implemented: ['ResponseParameters', 'ResponseTemplates', 'ResponseType', 'RestApiId', 'StatusCode'],
  },
  'AWS::ApiGateway::UsagePlan': {
    implemented: ['ApiStages', 'Quota', 'Throttle', 'UsagePlanName'],
    noEffect: ['Description', 'Tags'],
  },
  'AWS::ApiGateway::UsagePlanKey': { implemented: ['KeyId', 'KeyType', 'UsagePlanId'] },
  'AWS::ApiGateway::ApiKey': {
    implemented: ['Enabled', 'Name', 'StageKeys', 'Value'],
    noEffect: ['CustomerId', 'Description', 'GenerateDistinctId', 'Tags'],
  },
};

/** Understood, and intentionally without local effect. */
export const NO_OP_TYPES: { readonly [type: string]: string } = {
  'AWS::CDK::Metadata': 'CDK usage metadata',
  'AWS::IAM::Role': 'IAM is not enforced locally',
  'AWS::IAM::Policy': 'IAM is not enforced locally',
  'AWS::IAM::ManagedPolicy': 'IAM is not enforced locally',
  'AWS::IAM::RolePolicy': 'IAM is not enforced locally',
  'AWS::Lambda::Permission': 'resource policies are not enforced locally',
  'AWS::Lambda::Version': 'a version runs the function’s current code',
  'AWS::Logs::LogGroup': 'logs go to the local console',
  'AWS::ApiGatewayV2::Deployment': 'the local gateway always serves the current routes',
  'AWS::ApiGateway::Account': 'account-wide CloudWatch role setting',
  'AWS::ApiGateway::DocumentationPart': 'API documentation is not served locally',
  'AWS::ApiGateway::DocumentationVersion': 'API documentation is not served locally',
  'Custom::LogRetention': 'log retention does not apply to the local console',
};

/** How the local cloud treats a resource type (see {@link SupportLevel}). */
export function supportLevel(type: string): SupportLevel {
  if (Object.hasOwn(MODELLED_TYPES, type)) return 'modelled';
  if (Object.hasOwn(NO_OP_TYPES, type)) return 'no-op';
  return 'unsupported';
}

/** Properties of a modelled resource that the local cloud does not implement, with their notes. */
export function unsupportedProperties(
  type: string,
  propertyNames: readonly string[],
): { property: string; note: string | undefined }[] {
  const support = MODELLED_TYPES[type];
  if (!support) return [];
  return propertyNames
    .filter((name) => !support.implemented.includes(name) && !support.noEffect?.includes(name))
    .map((property) => ({ property, note: support.notes?.[property] }));
}
