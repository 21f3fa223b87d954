// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation `${…}` syntax in plain strings
import { afterAll, describe, expect, it } from 'vitest';
import { type AssemblyModel, formatGap, loadAssembly } from '../../src/assembly/index';
import type { Template } from '../../src/assembly/template';
import { removeTempDirs, tempDir, writeAssembly } from './helpers';

afterAll(removeTempDirs);

async function load(
  stacks: { id: string; template: Template; dependencies?: string[] }[],
): Promise<AssemblyModel> {
  return loadAssembly({ dir: writeAssembly(tempDir(), { stacks }) });
}

const fnProps = { Handler: 'index.handler', Runtime: 'nodejs22.x', Code: { ZipFile: 'x' } };

describe('Lambda', () => {
  it('reads defaults, logging, tracing, aliases; container images are gaps', async () => {
    const model = await load([
      {
        id: 'S',
        template: {
          Resources: {
            Fn: {
              Type: 'AWS::Lambda::Function',
              Properties: {
                ...fnProps,
                FunctionName: 'fn',
                LoggingConfig: { LogFormat: 'JSON', LogGroup: '/custom', ApplicationLogLevel: 'DEBUG' },
                TracingConfig: { Mode: 'Active' },
                EphemeralStorage: { Size: 1024 },
                Environment: { Variables: { N: 1, B: true } },
              },
            },
            Version: { Type: 'AWS::Lambda::Version', Properties: { FunctionName: { Ref: 'Fn' } } },
            Live: {
              Type: 'AWS::Lambda::Alias',
              Properties: {
                FunctionName: { Ref: 'Fn' },
                FunctionVersion: { 'Fn::GetAtt': ['Version', 'Version'] },
                Name: 'live',
                RoutingConfig: { AdditionalVersionWeights: [] },
              },
            },
            Image: {
              Type: 'AWS::Lambda::Function',
              Properties: { PackageType: 'Image', Code: { ImageUri: 'repo:tag' } },
            },
            // PassThrough (Lambda's default) changes nothing: no gap.
            Quiet: {
              Type: 'AWS::Lambda::Function',
              Properties: { ...fnProps, TracingConfig: { Mode: 'PassThrough' } },
            },
          },
        },
      },
    ]);
    expect(model.functions[0]).toMatchObject({
      name: 'fn',
      timeoutSeconds: 3,
      memoryMb: 128,
      ephemeralStorageMb: 1024,
      architecture: 'x86_64',
      logFormat: 'JSON',
      logGroupName: '/custom',
      applicationLogLevel: 'DEBUG',
      tracing: 'Active',
      environment: { N: '1', B: 'true' },
      reservedConcurrency: undefined,
    });
    expect(model.functionAliases).toEqual([
      expect.objectContaining({
        name: 'live',
        arn: 'arn:aws:lambda:us-east-1:000000000000:function:fn:live',
        function: { stack: 'S', logicalId: 'Fn' },
        functionName: 'fn',
        functionVersion: '1',
      }),
    ]);
    expect(model.functions[1]?.code).toEqual({
      kind: 'unavailable',
      reason: 'container image functions do not run locally',
    });
    expect(model.gaps.map(formatGap)).toEqual([
      // Active tracing has no local effect beyond a trace id: reported, once for the function.
      'UNSUPPORTED  S/Fn  AWS::Lambda::Function.Properties.TracingConfig (X-Ray tracing mode Active: locally each invocation gets a generated trace id in _X_AMZN_TRACE_ID; no segments are sent)',
      'UNSUPPORTED  S/Live  AWS::Lambda::Alias.Properties.RoutingConfig (ignored: weighted alias traffic is not split yet; the alias runs the current code)',
      'UNSUPPORTED  S/Image  AWS::Lambda::Function.Properties.PackageType (container image functions do not run locally)',
    ]);
  });
});

describe('DynamoDB', () => {
  it('reads provisioned tables and checks key attributes; a global table needs a replica here', async () => {
    const model = await load([
      {
        id: 'S',
        template: {
          Resources: {
            Prov: {
              Type: 'AWS::DynamoDB::Table',
              Properties: {
                TableName: 'prov',
                KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
                AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'B' }],
                ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: '2' },
                LocalSecondaryIndexes: [
                  {
                    IndexName: 'lsi',
                    KeySchema: [
                      { AttributeName: 'id', KeyType: 'HASH' },
                      { AttributeName: 'missing', KeyType: 'RANGE' },
                    ],
                    Projection: { ProjectionType: 'KEYS_ONLY' },
                  },
                ],
                TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: false },
                DeletionProtectionEnabled: true,
              },
            },
            Global: {
              Type: 'AWS::DynamoDB::GlobalTable',
              Properties: {
                KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
                AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
                Replicas: [{ Region: 'eu-west-1' }],
              },
            },
          },
        },
      },
    ]);
    expect(model.tables[0]).toMatchObject({
      name: 'prov',
      billingMode: 'PROVISIONED',
      provisionedThroughput: { readCapacityUnits: 5, writeCapacityUnits: 2 },
      attributeDefinitions: [{ attributeName: 'id', attributeType: 'B' }],
      localSecondaryIndexes: [expect.objectContaining({ indexName: 'lsi', projectionType: 'KEYS_ONLY' })],
      ttlAttribute: undefined,
      deletionProtection: true,
      streamViewType: undefined,
    });
    expect(model.tables[1]).toMatchObject({
      type: 'AWS::DynamoDB::GlobalTable',
      name: expect.stringMatching(/^S-Global-[A-Z0-9]{12}$/),
      billingMode: 'PROVISIONED',
      provisionedThroughput: { readCapacityUnits: 5, writeCapacityUnits: 5 },
    });
    expect(model.gaps.map(formatGap)).toEqual([
      'UNSUPPORTED  S/Prov  AWS::DynamoDB::Table.Properties.AttributeDefinitions (key attribute missing is not defined)',
      'UNSUPPORTED  S/Global  AWS::DynamoDB::GlobalTable.Properties.Replicas (no replica in us-east-1; the local table uses the table definition)',
    ]);
  });
});

describe('Cognito', () => {
  it('attaches clients, groups, users and memberships from other stacks by pool id', async () => {
    const model = await load([
      {
        id: 'Auth',
        template: {
          Resources: {
            Pool: {
              Type: 'AWS::Cognito::UserPool',
              Properties: {
                UserPoolName: 'users',
                AliasAttributes: ['email', 'preferred_username'],
                UsernameConfiguration: { CaseSensitive: false },
                MfaConfiguration: 'OPTIONAL',
                EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
                DeletionProtection: 'ACTIVE',
                Schema: [{ Name: 'email', AttributeDataType: 'String', Required: true }],
                LambdaConfig: { PreSignUp: { 'Fn::GetAtt': ['Trigger', 'Arn'] } },
              },
            },
            Trigger: { Type: 'AWS::Lambda::Function', Properties: fnProps },
          },
          Outputs: { PoolId: { Value: { Ref: 'Pool' }, Export: { Name: 'PoolId' } } },
        },
      },
      {
        id: 'App',
        dependencies: ['Auth'],
        template: {
          Resources: {
            Client: {
              Type: 'AWS::Cognito::UserPoolClient',
              Properties: {
                UserPoolId: { 'Fn::ImportValue': 'PoolId' },
                ClientName: 'app',
                AccessTokenValidity: 2,
                IdTokenValidity: 15,
                RefreshTokenValidity: 60,
                TokenValidityUnits: { IdToken: 'minutes', RefreshToken: 'minutes' },
                EnableTokenRevocation: false,
                AuthSessionValidity: 10,
                ReadAttributes: ['email'],
              },
            },
            Group: {
              Type: 'AWS::Cognito::UserPoolGroup',
              Properties: { UserPoolId: { 'Fn::ImportValue': 'PoolId' } },
            },
            Alice: {
              Type: 'AWS::Cognito::UserPoolUser',
              Properties: {
                UserPoolId: { 'Fn::ImportValue': 'PoolId' },
                Username: 'alice',
                UserAttributes: [{ Name: 'email', Value: 'alice@example.com' }],
                MessageAction: 'SUPPRESS',
              },
            },
            Membership: {
              Type: 'AWS::Cognito::UserPoolUserToGroupAttachment',
              Properties: {
                UserPoolId: { 'Fn::ImportValue': 'PoolId' },
                GroupName: { Ref: 'Group' },
                Username: { Ref: 'Alice' },
              },
            },
            Stray: {
              Type: 'AWS::Cognito::UserPoolClient',
              Properties: { UserPoolId: 'us-east-1_elsewhere' },
            },
          },
        },
      },
    ]);
    const pool = model.userPools[0];
    expect(pool).toMatchObject({
      name: 'users',
      aliasAttributes: ['email', 'preferred_username'],
      usernameCaseSensitive: false,
      mfa: 'OPTIONAL',
      enabledMfas: ['SOFTWARE_TOKEN_MFA'],
      deletionProtection: true,
      selfSignUpEnabled: true,
      schema: [expect.objectContaining({ name: 'email', custom: false, required: true, mutable: true })],
      lambdaTriggers: [
        expect.objectContaining({
          trigger: 'PreSignUp',
          target: expect.objectContaining({ function: { stack: 'Auth', logicalId: 'Trigger' } }),
        }),
      ],
    });
    expect(pool?.clients).toEqual([
      expect.objectContaining({
        stack: 'App',
        name: 'app',
        accessTokenValiditySeconds: 7200,
        idTokenValiditySeconds: 900,
        refreshTokenValiditySeconds: 3600,
        enableTokenRevocation: false,
        authSessionValidityMinutes: 10,
        readAttributes: ['email'],
        writeAttributes: undefined,
        secret: undefined,
      }),
    ]);
    const groupName = pool?.groups[0]?.name;
    expect(groupName).toMatch(/^App-Group-[A-Z0-9]{12}$/);
    expect(pool?.users).toEqual([
      expect.objectContaining({
        username: 'alice',
        attributes: { email: 'alice@example.com' },
        messageAction: 'SUPPRESS',
      }),
    ]);
    expect(pool?.groupMemberships).toEqual([{ groupName, username: 'alice' }]);
    expect(model.gaps.map(formatGap)).toEqual([
      'UNSUPPORTED  Auth/Pool  AWS::Cognito::UserPool.Properties.LambdaConfig (ignored: triggers are noted in the model (lambdaTriggers) but not invoked)',
      'UNSUPPORTED  App/Stray  AWS::Cognito::UserPoolClient.Properties.UserPoolId (user pool us-east-1_elsewhere is not part of this assembly)',
    ]);
  });
});

describe('HTTP APIs', () => {
  it('reads stages and routes; reports what the gateway cannot do', async () => {
    const model = await load([
      {
        id: 'S',
        template: {
          Resources: {
            Fn: { Type: 'AWS::Lambda::Function', Properties: { ...fnProps, FunctionName: 'fn' } },
            Api: {
              Type: 'AWS::ApiGatewayV2::Api',
              Properties: { Name: 'api', ProtocolType: 'HTTP', DisableExecuteApiEndpoint: true },
            },
            Lambda: {
              Type: 'AWS::ApiGatewayV2::Integration',
              Properties: {
                ApiId: { Ref: 'Api' },
                IntegrationType: 'AWS_PROXY',
                IntegrationUri: {
                  'Fn::Sub':
                    'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}:live/invocations',
                },
                TimeoutInMillis: 5000,
              },
            },
            Proxy: {
              Type: 'AWS::ApiGatewayV2::Integration',
              Properties: {
                ApiId: { Ref: 'Api' },
                IntegrationType: 'HTTP_PROXY',
                IntegrationUri: 'https://example.com',
                IntegrationMethod: 'ANY',
              },
            },
            Elsewhere: {
              Type: 'AWS::ApiGatewayV2::Integration',
              Properties: {
                ApiId: { Ref: 'Api' },
                IntegrationType: 'AWS_PROXY',
                IntegrationUri: 'arn:aws:lambda:us-east-1:111111111111:function:other',
                PayloadFormatVersion: '2.0',
              },
            },
            Default: {
              Type: 'AWS::ApiGatewayV2::Route',
              Properties: {
                ApiId: { Ref: 'Api' },
                RouteKey: '$default',
                Target: { 'Fn::Sub': 'integrations/${Lambda}' },
              },
            },
            Iam: {
              Type: 'AWS::ApiGatewayV2::Route',
              Properties: {
                ApiId: { Ref: 'Api' },
                RouteKey: 'GET /iam',
                AuthorizationType: 'AWS_IAM',
                Target: { 'Fn::Join': ['/', ['integrations', { Ref: 'Lambda' }]] },
              },
            },
            NoAuthorizer: {
              Type: 'AWS::ApiGatewayV2::Route',
              Properties: {
                ApiId: { Ref: 'Api' },
                RouteKey: 'GET /jwt',
                AuthorizationType: 'JWT',
                AuthorizerId: 'nope',
              },
            },
            Stage: {
              Type: 'AWS::ApiGatewayV2::Stage',
              Properties: {
                ApiId: { Ref: 'Api' },
                StageName: 'v1',
                StageVariables: { mode: 'test' },
                RouteSettings: {
                  'GET /iam': {
                    ThrottlingRateLimit: 1,
                    ThrottlingBurstLimit: 2,
                    DetailedMetricsEnabled: true,
                  },
                },
                AccessLogSettings: {
                  DestinationArn: 'arn:aws:logs:us-east-1:000000000000:log-group:access',
                  Format: '$context.requestId',
                },
              },
            },
          },
        },
      },
    ]);
    const api = model.httpApis[0];
    expect(api?.disableExecuteApiEndpoint).toBe(true);
    expect(api?.integrations[0]).toMatchObject({
      type: 'AWS_PROXY',
      timeoutMs: 5000,
      payloadFormatVersion: '1.0',
      target: { functionName: 'fn', qualifier: 'live', function: { stack: 'S', logicalId: 'Fn' } },
    });
    expect(api?.routes[0]).toMatchObject({
      routeKey: '$default',
      method: undefined,
      path: undefined,
      integrationId: api?.integrations[0]?.id,
    });
    expect(api?.routes[1]?.integrationId).toBe(api?.integrations[0]?.id);
    expect(api?.stages[0]).toMatchObject({
      name: 'v1',
      autoDeploy: false,
      stageVariables: { mode: 'test' },
      routeSettings: {
        'GET /iam': { throttlingRateLimit: 1, throttlingBurstLimit: 2, detailedMetricsEnabled: true },
      },
      accessLog: {
        destinationArn: 'arn:aws:logs:us-east-1:000000000000:log-group:access',
        format: '$context.requestId',
      },
    });
    expect(model.gaps.map(formatGap)).toEqual([
      'UNSUPPORTED  S/Proxy  AWS::ApiGatewayV2::Integration.Properties.IntegrationType (integration type HTTP_PROXY: only AWS_PROXY (Lambda) is implemented)',
      'UNSUPPORTED  S/Elsewhere  AWS::ApiGatewayV2::Integration.Properties.IntegrationUri (function arn:aws:lambda:us-east-1:111111111111:function:other is not part of this assembly)',
      'UNSUPPORTED  S/Iam  AWS::ApiGatewayV2::Route.Properties.AuthorizationType (IAM authorization (SigV4) is not implemented)',
      'UNSUPPORTED  S/NoAuthorizer  AWS::ApiGatewayV2::Route.Properties.AuthorizerId (authorizer nope is not an authorizer of API ' +
        `${api?.id})`,
    ]);
  });
});
