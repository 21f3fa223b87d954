/** Hand-built model objects for the mapper tests: the defaults the loader would produce, overridable. */
import type {
  FunctionModel,
  HttpApiModel,
  HttpIntegrationModel,
  HttpRouteModel,
  HttpStageModel,
  TableModel,
  UserPoolClientModel,
  UserPoolModel,
} from '../../src/assembly';

export const REGION = 'eu-west-1';
export const ACCOUNT = '111122223333';
export const POOL_ID = 'eu-west-1_AbCdEf123';
export const ISSUER = `https://cognito-idp.${REGION}.amazonaws.com/${POOL_ID}`;
export const API_ID = 'a1b2c3d4e5';

export function fnModel(overrides: Partial<FunctionModel> = {}): FunctionModel {
  const name = overrides.name ?? 'dev-notes-ListFn-ABCDEF123456';
  return {
    stack: 'dev-notes',
    logicalId: 'ListFnA1B2C3D4',
    path: 'dev/notes/ListFn/Resource',
    name,
    arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`,
    region: REGION,
    accountId: ACCOUNT,
    handler: 'index.handler',
    runtime: 'nodejs22.x',
    code: { kind: 'directory', path: '/abs/cdk.out/asset.123', assetHash: '123' },
    environment: {},
    timeoutSeconds: 3,
    memoryMb: 128,
    ephemeralStorageMb: 512,
    reservedConcurrency: undefined,
    architecture: 'x86_64',
    layers: [],
    roleArn: undefined,
    logGroupName: `/aws/lambda/${name}`,
    logFormat: 'Text',
    applicationLogLevel: undefined,
    systemLogLevel: undefined,
    tracing: 'PassThrough',
    description: undefined,
    ...overrides,
  };
}

export function tableModel(overrides: Partial<TableModel> = {}): TableModel {
  return {
    stack: 'dev-notes',
    logicalId: 'NotesTable1234',
    type: 'AWS::DynamoDB::Table',
    name: 'dev-notes-NotesTable1234-XYZ',
    arn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/dev-notes-NotesTable1234-XYZ`,
    streamArn: undefined,
    keySchema: [{ attributeName: 'pk', keyType: 'HASH' }],
    attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }],
    globalSecondaryIndexes: [],
    localSecondaryIndexes: [],
    ttlAttribute: undefined,
    billingMode: 'PAY_PER_REQUEST',
    provisionedThroughput: undefined,
    streamViewType: undefined,
    deletionProtection: false,
    ...overrides,
  };
}

export function clientModel(overrides: Partial<UserPoolClientModel> = {}): UserPoolClientModel {
  return {
    stack: 'dev-shared',
    logicalId: 'PoolWebClient1234',
    path: 'dev/shared/Pool/WebClient/Resource',
    id: 'webclientid0000000000000001',
    name: 'web',
    secret: undefined,
    explicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    oauthFlows: [],
    oauthFlowsEnabled: false,
    oauthScopes: [],
    callbackUrls: [],
    logoutUrls: [],
    defaultRedirectUri: undefined,
    supportedIdentityProviders: ['COGNITO'],
    accessTokenValiditySeconds: 3600,
    idTokenValiditySeconds: 3600,
    refreshTokenValiditySeconds: 30 * 86_400,
    authSessionValidityMinutes: 3,
    preventUserExistenceErrors: false,
    enableTokenRevocation: true,
    readAttributes: undefined,
    writeAttributes: undefined,
    ...overrides,
  };
}

export function poolModel(overrides: Partial<UserPoolModel> = {}): UserPoolModel {
  const id = overrides.id ?? POOL_ID;
  return {
    stack: 'dev-shared',
    logicalId: 'Pool1234ABCD',
    path: 'dev/shared/Pool/Resource',
    id,
    name: 'dev-shared-Pool1234ABCD-XYZ',
    arn: `arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${id}`,
    region: REGION,
    providerName: `cognito-idp.${REGION}.amazonaws.com/${id}`,
    providerUrl: `https://cognito-idp.${REGION}.amazonaws.com/${id}`,
    usernameAttributes: [],
    aliasAttributes: [],
    usernameCaseSensitive: true,
    autoVerifiedAttributes: [],
    selfSignUpEnabled: true,
    passwordPolicy: {
      minimumLength: 8,
      requireLowercase: true,
      requireUppercase: true,
      requireNumbers: true,
      requireSymbols: true,
      temporaryPasswordValidityDays: 7,
    },
    mfa: 'OFF',
    enabledMfas: [],
    schema: [],
    accountRecovery: [],
    deletionProtection: false,
    lambdaTriggers: [],
    clients: [clientModel()],
    resourceServers: [],
    groups: [],
    domains: [],
    users: [],
    groupMemberships: [],
    ...overrides,
  };
}

export function routeModel(overrides: Partial<HttpRouteModel> = {}): HttpRouteModel {
  return {
    stack: 'dev-notes',
    logicalId: 'RouteGetNotes',
    id: 'route01',
    routeKey: 'GET /notes',
    method: 'GET',
    path: '/notes',
    integrationId: 'integ1',
    authorizationType: 'NONE',
    authorizerId: undefined,
    authorizationScopes: [],
    operationName: undefined,
    ...overrides,
  };
}

export function integrationModel(overrides: Partial<HttpIntegrationModel> = {}): HttpIntegrationModel {
  const functionName = 'dev-notes-ListFn-ABCDEF123456';
  const functionArn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${functionName}`;
  return {
    stack: 'dev-notes',
    logicalId: 'Integration1',
    id: 'integ1',
    type: 'AWS_PROXY',
    uri: functionArn,
    target: {
      functionArn,
      functionName,
      qualifier: undefined,
      function: { stack: 'dev-notes', logicalId: 'ListFnA1B2C3D4' },
    },
    payloadFormatVersion: '2.0',
    timeoutMs: 30_000,
    method: undefined,
    ...overrides,
  };
}

export function stageModel(overrides: Partial<HttpStageModel> = {}): HttpStageModel {
  return {
    stack: 'dev-notes',
    logicalId: 'DefaultStage',
    name: '$default',
    autoDeploy: true,
    defaultRouteSettings: {},
    routeSettings: {},
    stageVariables: {},
    accessLog: undefined,
    ...overrides,
  };
}

export function httpApiModel(overrides: Partial<HttpApiModel> = {}): HttpApiModel {
  return {
    stack: 'dev-notes',
    logicalId: 'Api1234',
    id: API_ID,
    name: 'dev-notes',
    region: REGION,
    accountId: ACCOUNT,
    endpoint: `https://${API_ID}.execute-api.${REGION}.amazonaws.com`,
    disableExecuteApiEndpoint: false,
    cors: undefined,
    routes: [routeModel()],
    integrations: [integrationModel()],
    authorizers: [],
    stages: [stageModel()],
    ...overrides,
  };
}
