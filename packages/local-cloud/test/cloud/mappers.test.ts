import { describe, expect, it } from 'vitest';
import { formatGap } from '../../src/assembly';
import { mapFunctions, serviceEnvironment } from '../../src/cloud/functions';
import { mapHttpApi, mapHttpApis } from '../../src/cloud/http-apis';
import { mapTable } from '../../src/cloud/tables';
import { mapUserPool, mapUserPools, validityAmount } from '../../src/cloud/user-pools';
import {
  API_ID,
  clientModel,
  fnModel,
  httpApiModel,
  ISSUER,
  integrationModel,
  POOL_ID,
  poolModel,
  routeModel,
  stageModel,
  tableModel,
} from './fixtures';

const toLocal = (value: string) => value.replace(ISSUER, `http://127.0.0.1:4001/${POOL_ID}`);

describe('mapFunctions', () => {
  it('maps a directory asset function with its settings and the template environment, rewritten', () => {
    const fn = fnModel({
      environment: { TABLE_NAME: 'notes', JWT_ISSUER: ISSUER },
      timeoutSeconds: 10,
      memoryMb: 512,
      reservedConcurrency: 2,
    });
    const { functions, unavailable, gaps } = mapFunctions([fn], { rewrite: toLocal });
    expect(functions).toEqual([
      {
        name: fn.name,
        arn: fn.arn,
        handler: 'index.handler',
        codeDir: '/abs/cdk.out/asset.123',
        runtime: 'nodejs22.x',
        environment: { TABLE_NAME: 'notes', JWT_ISSUER: `http://127.0.0.1:4001/${POOL_ID}` },
        timeoutSeconds: 10,
        memoryMb: 512,
        reservedConcurrency: 2,
        region: fn.region,
        accountId: fn.accountId,
      },
    ]);
    expect(unavailable.size).toBe(0);
    expect(gaps).toEqual([]);
  });

  it("sets the variables Lambda sets for a JSON log format and an application log level, and reports the format's gap", () => {
    const fn = fnModel({ logFormat: 'JSON', applicationLogLevel: 'DEBUG', environment: { A: 'b' } });
    const { functions, gaps } = mapFunctions([fn]);
    expect(functions[0]?.environment).toEqual({
      A: 'b',
      AWS_LAMBDA_LOG_FORMAT: 'JSON',
      AWS_LAMBDA_LOG_LEVEL: 'DEBUG',
    });
    expect(gaps.map(formatGap)).toEqual([
      'UNSUPPORTED  dev-notes/ListFnA1B2C3D4  AWS::Lambda::Function.Properties.LoggingConfig ' +
        '(log format JSON: console.* and START/END/REPORT lines stay text locally, unfiltered by level)',
    ]);
  });

  it('runs a directory asset from the directory codeDirFor names (its source, when watching)', () => {
    const { functions } = mapFunctions([fnModel()], {
      codeDirFor: (dir) => (dir === '/abs/cdk.out/asset.123' ? '/abs/app/dist/list' : undefined),
    });
    expect(functions[0]?.codeDir).toBe('/abs/app/dist/list');
  });

  it('runs inline code from the folder it was written to; without one it cannot run', () => {
    const inline = fnModel({ name: 'inline-fn', code: { kind: 'inline', source: 'exports.handler=1' } });
    const written = mapFunctions([inline], { inlineCodeDirs: new Map([['inline-fn', '/tmp/inline-1']]) });
    expect(written.functions[0]?.codeDir).toBe('/tmp/inline-1');
    const missing = mapFunctions([inline]);
    expect(missing.functions).toEqual([]);
    expect(missing.unavailable.get('inline-fn')).toMatch(/inline code/);
  });

  it('lists zip assets and unavailable code as functions that cannot run, with a gap for zips only', () => {
    const zip = fnModel({ name: 'zip-fn', code: { kind: 'zip', path: '/abs/asset.9.zip', assetHash: '9' } });
    const gone = fnModel({
      name: 'gone-fn',
      code: { kind: 'unavailable', reason: 'S3 object outside the assembly' },
    });
    const { functions, unavailable, gaps } = mapFunctions([zip, gone]);
    expect(functions).toEqual([]);
    expect(unavailable.get('zip-fn')).toMatch(/zip file assets are not extracted/);
    expect(unavailable.get('gone-fn')).toBe(
      'its code is not available locally: S3 object outside the assembly',
    );
    expect(gaps.map((gap) => gap.property)).toEqual(['Properties.Code']);
  });

  it('reports layers, which are not mounted locally', () => {
    const { functions, gaps } = mapFunctions([
      fnModel({ layers: [{ arn: 'arn:layer:1', layer: undefined }] }),
    ]);
    expect(functions).toHaveLength(1);
    expect(gaps.map((gap) => gap.property)).toEqual(['Properties.Layers']);
  });

  it('gives every function the local service endpoints and credentials DynamoDB Local accepts', () => {
    expect(
      serviceEnvironment({
        dynamoDb: 'http://127.0.0.1:4002',
        cognito: 'http://127.0.0.1:4001',
        apiGateway: 'http://127.0.0.1:4003',
      }),
    ).toEqual({
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:4002',
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: 'http://127.0.0.1:4001',
      AWS_ENDPOINT_URL_API_GATEWAY: 'http://127.0.0.1:4003',
      AWS_ACCESS_KEY_ID: 'LOCALCLOUD',
      AWS_SECRET_ACCESS_KEY: 'localcloudsecret',
    });
  });
});

describe('mapTable', () => {
  it('maps keys, indexes, billing, TTL and streams to CreateTable shapes', () => {
    const table = tableModel({
      keySchema: [
        { attributeName: 'pk', keyType: 'HASH' },
        { attributeName: 'sk', keyType: 'RANGE' },
      ],
      attributeDefinitions: [
        { attributeName: 'pk', attributeType: 'S' },
        { attributeName: 'sk', attributeType: 'N' },
        { attributeName: 'owner', attributeType: 'S' },
      ],
      globalSecondaryIndexes: [
        {
          indexName: 'byOwner',
          keySchema: [{ attributeName: 'owner', keyType: 'HASH' }],
          projectionType: 'INCLUDE',
          nonKeyAttributes: ['title'],
          provisionedThroughput: { readCapacityUnits: 2, writeCapacityUnits: 1 },
        },
      ],
      localSecondaryIndexes: [
        {
          indexName: 'bySk',
          keySchema: [
            { attributeName: 'pk', keyType: 'HASH' },
            { attributeName: 'owner', keyType: 'RANGE' },
          ],
          projectionType: 'KEYS_ONLY',
          nonKeyAttributes: [],
          provisionedThroughput: undefined,
        },
      ],
      billingMode: 'PROVISIONED',
      provisionedThroughput: { readCapacityUnits: 5, writeCapacityUnits: 5 },
      ttlAttribute: 'expiresAt',
      streamViewType: 'NEW_IMAGE',
    });
    expect(mapTable(table)).toEqual({
      tableName: table.name,
      keySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      attributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
        { AttributeName: 'owner', AttributeType: 'S' },
      ],
      globalSecondaryIndexes: [
        {
          IndexName: 'byOwner',
          KeySchema: [{ AttributeName: 'owner', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['title'] },
          ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 1 },
        },
      ],
      localSecondaryIndexes: [
        {
          IndexName: 'bySk',
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'owner', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
      billingMode: 'PROVISIONED',
      provisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      timeToLiveAttribute: 'expiresAt',
      streamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    });
  });

  it('leaves out what an on-demand table without TTL or stream does not have', () => {
    const mapped = mapTable(tableModel());
    expect(mapped).not.toHaveProperty('provisionedThroughput');
    expect(mapped).not.toHaveProperty('timeToLiveAttribute');
    expect(mapped).not.toHaveProperty('streamSpecification');
  });
});

describe('mapUserPool', () => {
  it('maps the pool, its clients, resource servers, groups, domain and template users with their groups', () => {
    const pool = poolModel({
      usernameAttributes: ['email'],
      autoVerifiedAttributes: ['email'],
      usernameCaseSensitive: false,
      selfSignUpEnabled: false,
      clients: [
        clientModel({
          id: 'machineclient00000000000001',
          name: 'machine',
          secret: 'deterministic-secret',
          explicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
          oauthFlows: ['client_credentials'],
          oauthFlowsEnabled: true,
          oauthScopes: ['notes/export'],
          accessTokenValiditySeconds: 300,
          idTokenValiditySeconds: 7200,
          refreshTokenValiditySeconds: 86_400,
          preventUserExistenceErrors: true,
        }),
      ],
      resourceServers: [
        {
          stack: 's',
          logicalId: 'Rs',
          identifier: 'notes',
          name: 'Notes',
          scopes: [{ name: 'export', description: 'x' }],
        },
      ],
      groups: [
        {
          stack: 's',
          logicalId: 'G',
          name: 'admins',
          description: 'Admins',
          precedence: 0,
          roleArn: undefined,
        },
      ],
      domains: [
        {
          stack: 's',
          logicalId: 'D',
          domain: 'notes-dev',
          custom: false,
          url: 'https://notes-dev.auth.eu-west-1.amazoncognito.com',
        },
      ],
      users: [
        {
          stack: 's',
          logicalId: 'U',
          username: 'ops',
          attributes: { email: 'ops@example.com' },
          messageAction: undefined,
        },
      ],
      groupMemberships: [{ groupName: 'admins', username: 'ops' }],
    });
    expect(mapUserPool(pool)).toEqual({
      id: POOL_ID,
      name: pool.name,
      region: 'eu-west-1',
      usernameAttributes: ['email'],
      aliasAttributes: [],
      autoVerifiedAttributes: ['email'],
      passwordPolicy: pool.passwordPolicy,
      selfSignUpEnabled: false,
      usernameCaseSensitive: false,
      clients: [
        {
          clientId: 'machineclient00000000000001',
          clientName: 'machine',
          clientSecret: 'deterministic-secret',
          generateSecret: true,
          explicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
          allowedOAuthFlows: ['client_credentials'],
          allowedOAuthScopes: ['notes/export'],
          allowedOAuthFlowsUserPoolClient: true,
          callbackUrls: [],
          logoutUrls: [],
          supportedIdentityProviders: ['COGNITO'],
          accessTokenValidity: 5,
          idTokenValidity: 2,
          refreshTokenValidity: 1,
          tokenValidityUnits: { accessToken: 'minutes', idToken: 'hours', refreshToken: 'days' },
          preventUserExistenceErrors: 'ENABLED',
        },
      ],
      resourceServers: [
        { identifier: 'notes', name: 'Notes', scopes: [{ name: 'export', description: 'x' }] },
      ],
      groups: [{ name: 'admins', precedence: 0, description: 'Admins' }],
      users: [{ username: 'ops', attributes: { email: 'ops@example.com' }, groups: ['admins'] }],
      domain: 'notes-dev',
    });
  });

  it('expresses token validity in the largest exact unit', () => {
    expect(validityAmount(3600)).toEqual({ amount: 1, unit: 'hours' });
    expect(validityAmount(30 * 86_400)).toEqual({ amount: 30, unit: 'days' });
    expect(validityAmount(90)).toEqual({ amount: 90, unit: 'seconds' });
  });

  it('reports SRP and custom auth (also as Cognito default flows), MFA, federation, implicit grant and attribute permissions', () => {
    const pool = poolModel({
      mfa: 'OPTIONAL',
      clients: [
        clientModel({
          logicalId: 'Srp',
          explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH'],
        }),
        clientModel({ logicalId: 'Defaults', id: 'c2', explicitAuthFlows: [] }),
        clientModel({
          logicalId: 'Federated',
          id: 'c3',
          oauthFlows: ['implicit'],
          supportedIdentityProviders: ['COGNITO', 'Google'],
          readAttributes: ['email'],
        }),
      ],
    });
    const { gaps } = mapUserPools([pool]);
    expect(gaps.map((gap) => `${gap.logicalId} ${gap.property} ${gap.message}`)).toEqual([
      'Pool1234ABCD Properties.MfaConfiguration MFA OPTIONAL: sign-in never asks for a second factor locally',
      'Srp Properties.ExplicitAuthFlows ALLOW_USER_SRP_AUTH: SRP sign-in is not implemented locally (USER_PASSWORD_AUTH and refresh are)',
      'Defaults Properties.ExplicitAuthFlows ALLOW_USER_SRP_AUTH: SRP sign-in is not implemented locally (USER_PASSWORD_AUTH and refresh are)',
      'Defaults Properties.ExplicitAuthFlows ALLOW_CUSTOM_AUTH: custom authentication (Lambda challenges) is not implemented locally (USER_PASSWORD_AUTH and refresh are)',
      'Federated Properties.AllowedOAuthFlows the implicit grant is not implemented locally',
      'Federated Properties.SupportedIdentityProviders federated sign-in (Google) is not implemented locally',
      'Federated Properties.ReadAttributes per-client attribute permissions are not enforced locally',
    ]);
  });

  it('reports nothing for a pool the local identity provider fully covers', () => {
    expect(mapUserPools([poolModel()]).gaps).toEqual([]);
  });
});

describe('mapHttpApi', () => {
  const jwtAuthorizer = {
    stack: 'dev-notes',
    logicalId: 'JwtAuth',
    kind: 'JWT' as const,
    id: 'auth01',
    name: 'cognito',
    identitySource: ['$request.header.Authorization'],
    issuer: ISSUER,
    audience: ['webclientid0000000000000001'],
  };

  it('joins routes with their integrations, rewrites JWT issuers and keeps route scopes', () => {
    const api = httpApiModel({
      routes: [
        routeModel(),
        routeModel({
          logicalId: 'RouteExport',
          routeKey: 'GET /export',
          authorizationType: 'JWT',
          authorizerId: 'auth01',
          authorizationScopes: ['notes/export'],
        }),
      ],
      integrations: [integrationModel({ payloadFormatVersion: '1.0', timeoutMs: 5000 })],
      authorizers: [jwtAuthorizer],
      cors: {
        allowOrigins: ['http://localhost:5173'],
        allowMethods: ['GET'],
        allowHeaders: ['authorization'],
        exposeHeaders: [],
        allowCredentials: false,
        maxAgeSeconds: 600,
      },
    });
    const { api: mapped, gaps } = mapHttpApi(api, { rewrite: toLocal });
    expect(gaps).toEqual([]);
    expect(mapped).toEqual({
      apiId: API_ID,
      name: 'dev-notes',
      region: 'eu-west-1',
      accountId: api.accountId,
      routes: [
        {
          routeKey: 'GET /notes',
          integration: {
            type: 'AWS_PROXY',
            functionName: 'dev-notes-ListFn-ABCDEF123456',
            payloadFormatVersion: '1.0',
            timeoutMs: 5000,
          },
          authorization: { type: 'NONE' },
        },
        {
          routeKey: 'GET /export',
          integration: {
            type: 'AWS_PROXY',
            functionName: 'dev-notes-ListFn-ABCDEF123456',
            payloadFormatVersion: '1.0',
            timeoutMs: 5000,
          },
          authorization: { type: 'JWT', authorizerId: 'auth01', scopes: ['notes/export'] },
        },
      ],
      authorizers: [
        {
          id: 'auth01',
          name: 'cognito',
          type: 'JWT',
          identitySource: ['$request.header.Authorization'],
          issuer: `http://127.0.0.1:4001/${POOL_ID}`,
          audience: ['webclientid0000000000000001'],
        },
      ],
      stages: [{ name: '$default', stageVariables: {} }],
      cors: {
        allowOrigins: ['http://localhost:5173'],
        allowMethods: ['GET'],
        allowHeaders: ['authorization'],
        exposeHeaders: [],
        allowCredentials: false,
        maxAge: 600,
      },
    });
  });

  it('maps Lambda REQUEST authorizers to their function', () => {
    const fnArn = 'arn:aws:lambda:eu-west-1:111122223333:function:authz';
    const api = httpApiModel({
      routes: [routeModel({ authorizationType: 'CUSTOM', authorizerId: 'lam01' })],
      authorizers: [
        {
          stack: 'dev-notes',
          logicalId: 'LambdaAuth',
          kind: 'REQUEST',
          id: 'lam01',
          name: 'lambda',
          identitySource: ['$request.header.Authorization'],
          uri: fnArn,
          target: { functionArn: fnArn, functionName: 'authz', qualifier: undefined, function: undefined },
          payloadFormatVersion: '2.0',
          enableSimpleResponses: true,
          resultTtlSeconds: 300,
        },
      ],
    });
    const { api: mapped } = mapHttpApi(api);
    expect(mapped?.routes[0]?.authorization).toEqual({ type: 'CUSTOM', authorizerId: 'lam01' });
    expect(mapped?.authorizers).toEqual([
      {
        id: 'lam01',
        name: 'lambda',
        type: 'REQUEST',
        identitySource: ['$request.header.Authorization'],
        functionName: 'authz',
        payloadFormatVersion: '2.0',
        enableSimpleResponses: true,
        resultTtlSeconds: 300,
      },
    ]);
  });

  it('maps stage throttling, route settings of served routes only, and stage variables', () => {
    const api = httpApiModel({
      stages: [
        stageModel({
          name: 'dev',
          defaultRouteSettings: {
            throttlingRateLimit: 100,
            throttlingBurstLimit: 200,
            detailedMetricsEnabled: true,
          },
          routeSettings: {
            'GET /notes': { throttlingBurstLimit: 5 },
            'GET /gone': { throttlingRateLimit: 1 },
            'POST /notes': { detailedMetricsEnabled: true },
          },
          stageVariables: { table: 'notes' },
        }),
      ],
    });
    expect(mapHttpApi(api).api?.stages).toEqual([
      {
        name: 'dev',
        stageVariables: { table: 'notes' },
        throttle: { rateLimit: 100, burstLimit: 200 },
        routeSettings: { 'GET /notes': { burstLimit: 5 } },
      },
    ]);
  });

  it("passes a stage's declared access-log format on; one AWS would refuse is left out with a gap", () => {
    const destinationArn = 'arn:aws:logs:us-east-1:123456789012:log-group:notes-access';
    const format = '{"requestId":"$context.requestId","status":"$context.status"}';
    const api = httpApiModel({
      stages: [
        stageModel({ name: 'dev', logicalId: 'Dev', accessLog: { destinationArn, format } }),
        stageModel({
          name: 'noid',
          logicalId: 'NoId',
          accessLog: { destinationArn, format: '{"ip":"$context.identity.sourceIp"}' },
        }),
        stageModel({ name: 'noformat', logicalId: 'NoFormat', accessLog: { destinationArn, format: '' } }),
        stageModel({ name: 'plain', logicalId: 'Plain' }),
      ],
    });
    const { api: mapped, gaps } = mapHttpApi(api);
    expect(mapped?.stages.map((stage) => [stage.name, stage.accessLogSettings])).toEqual([
      ['dev', { format, destinationArn }],
      ['noid', undefined],
      ['noformat', undefined],
      ['plain', undefined],
    ]);
    expect(gaps.map(formatGap)).toEqual([
      'UNSUPPORTED  dev-notes/NoId  AWS::ApiGatewayV2::Stage.Properties.AccessLogSettings (not used: the access log format must contain $context.requestId or $context.extendedRequestId)',
      'UNSUPPORTED  dev-notes/NoFormat  AWS::ApiGatewayV2::Stage.Properties.AccessLogSettings (not used: it has no Format)',
    ]);
  });

  it('leaves out what the gateway cannot run and keeps the rest of the API serving', () => {
    const api = httpApiModel({
      routes: [
        routeModel(),
        routeModel({ logicalId: 'Iam', routeKey: 'GET /iam', authorizationType: 'AWS_IAM' }),
        routeModel({ logicalId: 'Http', routeKey: 'GET /proxy', integrationId: 'http1' }),
        routeModel({ logicalId: 'NoTarget', routeKey: 'GET /none', integrationId: undefined }),
        routeModel({
          logicalId: 'BadAuth',
          routeKey: 'GET /bad',
          authorizationType: 'JWT',
          authorizerId: 'broken',
        }),
        routeModel({
          logicalId: 'Mixed',
          routeKey: 'GET /mixed',
          authorizationType: 'CUSTOM',
          authorizerId: 'auth01',
        }),
      ],
      integrations: [
        integrationModel(),
        integrationModel({ id: 'http1', type: 'HTTP_PROXY', uri: 'https://example.com', target: undefined }),
      ],
      authorizers: [
        { ...jwtAuthorizer, id: 'broken', logicalId: 'Broken', issuer: '<<unresolved Fn::ImportValue>>' },
        jwtAuthorizer,
      ],
    });
    const { api: mapped, gaps } = mapHttpApi(api);
    expect(mapped?.routes.map((route) => route.routeKey)).toEqual(['GET /notes']);
    expect(mapped?.authorizers?.map((a) => a.id)).toEqual(['auth01']);
    expect(gaps.map(formatGap)).toEqual([
      'UNSUPPORTED  dev-notes/Broken  AWS::ApiGatewayV2::Authorizer.Properties.JwtConfiguration (issuer "<<unresolved Fn::ImportValue>>" is not a URL)',
      'UNSUPPORTED  dev-notes/NoTarget  AWS::ApiGatewayV2::Route.Properties.Target (GET /none has no integration; not served)',
      'UNSUPPORTED  dev-notes/BadAuth  AWS::ApiGatewayV2::Route.Properties.AuthorizerId (GET /bad is not served: its JWT authorizer cognito has no usable issuer)',
      'UNSUPPORTED  dev-notes/Mixed  AWS::ApiGatewayV2::Route.Properties.AuthorizationType (GET /mixed is not served: authorization type CUSTOM cannot use a JWT authorizer)',
    ]);
  });

  it('reports a JWT issuer that is not a user pool of the assembly', () => {
    const api = httpApiModel({
      routes: [routeModel({ authorizationType: 'JWT', authorizerId: 'auth01' })],
      authorizers: [{ ...jwtAuthorizer, issuer: 'https://login.example.com/' }],
    });
    const { api: mapped, gaps } = mapHttpApi(api, { knownIssuers: new Set([ISSUER]) });
    expect(mapped?.routes).toHaveLength(1);
    expect(gaps.map((gap) => gap.message)).toEqual([
      'issuer https://login.example.com/ is not a user pool of this assembly; its keys are fetched from there (needs network)',
    ]);
    expect(
      mapHttpApi(httpApiModel({ authorizers: [jwtAuthorizer] }), { knownIssuers: new Set([ISSUER]) }).gaps,
    ).toEqual([]);
  });

  it('does not serve an API without a stage, as AWS cannot either', () => {
    const { apis, gaps } = mapHttpApis([httpApiModel({ stages: [] })]);
    expect(apis).toEqual([]);
    expect(gaps.map((gap) => gap.message)).toEqual([
      'the API has no stage, so it is not reachable (as on AWS)',
    ]);
  });
});
