import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, WebSocketApi, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration, WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AssemblyModel, formatGap, loadAssembly } from '../../src/assembly/index';
import { removeTempDirs, tempDir } from './helpers';

afterAll(removeTempDirs);

/**
 * An environment-agnostic app as `cdk synth` writes it with today's recommended flags: weak
 * cross-stack references (`Fn::GetStackOutput`), asset metadata, CDK-managed log groups, and the
 * CDKMetadata resource guarded by a region condition. No Stage: top-level stacks.
 */
let outdir: string;
let model: AssemblyModel;

beforeAll(async () => {
  const codeDir = tempDir('agnostic-code-');
  writeFileSync(join(codeDir, 'index.js'), 'exports.handler = async () => ({ isAuthorized: true });\n');
  outdir = tempDir('cdk-out-');
  const app = new App({
    outdir,
    builtinCloudFormationValidation: false,
    analyticsReporting: true,
    context: {
      'aws:cdk:enable-asset-metadata': true,
      '@aws-cdk/core:defaultCrossStackReferences': 'weak',
      '@aws-cdk/aws-lambda:useCdkManagedLogGroup': true,
    },
  });
  const shared = new Stack(app, 'chat-shared');
  const pool = new cognito.UserPool(shared, 'Pool');
  const client = pool.addClient('Web', { authFlows: { userPassword: true } });
  const layer = new lambda.LayerVersion(shared, 'Deps', {
    code: lambda.Code.fromAsset(codeDir),
    compatibleRuntimes: [lambda.Runtime.NODEJS_22_X],
  });
  const table = new dynamodb.TableV2(shared, 'Messages', {
    partitionKey: { name: 'room', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'ts', type: dynamodb.AttributeType.NUMBER },
    timeToLiveAttribute: 'ttl',
    dynamoStream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
    globalSecondaryIndexes: [
      {
        indexName: 'byUser',
        partitionKey: { name: 'user', type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.KEYS_ONLY,
      },
    ],
  });

  const api = new Stack(app, 'chat-api');
  const handler = new lambda.Function(api, 'Handler', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromAsset(codeDir),
    layers: [layer],
    architecture: lambda.Architecture.ARM_64,
    reservedConcurrentExecutions: 5,
    loggingFormat: lambda.LoggingFormat.JSON,
    environment: { POOL_ID: pool.userPoolId, CLIENT_ID: client.userPoolClientId, TABLE: table.tableName },
  });
  (handler.node.defaultChild as lambda.CfnFunction).addPropertyOverride('VpcConfig', {
    SubnetIds: ['subnet-0123456789abcdef0'],
    SecurityGroupIds: ['sg-0123456789abcdef0'],
  });
  const authorizerFn = new lambda.Function(api, 'Authorizer', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromAsset(codeDir),
  });
  const http = new HttpApi(api, 'Http', { createDefaultStage: false });
  new HttpStage(api, 'Prod', {
    httpApi: http,
    stageName: 'prod',
    autoDeploy: true,
    throttle: { rateLimit: 10, burstLimit: 5 },
  });
  http.addRoutes({
    path: '/rooms/{room}',
    methods: [HttpMethod.ANY],
    integration: new HttpLambdaIntegration('Rooms', handler),
    authorizer: new HttpLambdaAuthorizer('Custom', authorizerFn, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      resultsCacheTtl: Duration.minutes(1),
      identitySource: ['$request.header.Authorization', '$request.querystring.room'],
    }),
  });
  const ws = new WebSocketApi(api, 'Ws', {
    connectRouteOptions: { integration: new WebSocketLambdaIntegration('Connect', handler) },
  });
  new WebSocketStage(api, 'WsStage', { webSocketApi: ws, stageName: 'dev', autoDeploy: true });
  const rest = new apigateway.RestApi(api, 'Rest');
  rest.root.addResource('items').addMethod('GET', new apigateway.LambdaIntegration(handler));
  new CfnOutput(api, 'HttpUrl', { value: http.apiEndpoint });
  new CfnOutput(api, 'Issuer', { value: pool.userPoolProviderUrl });
  app.synth();
  model = await loadAssembly({ dir: outdir, region: 'eu-central-1', accountId: '123456789012' });
}, 60_000);

describe('an environment-agnostic app with weak references', () => {
  it('loads the top-level stacks with the given region and account', () => {
    expect(model.stage).toBeUndefined();
    expect(model.stacks.map((s) => [s.name, s.region, s.accountId])).toEqual([
      ['chat-shared', 'eu-central-1', '123456789012'],
      ['chat-api', 'eu-central-1', '123456789012'],
    ]);
    expect(model.stacks[1]?.stackId).toMatch(
      /^arn:aws:cloudformation:eu-central-1:123456789012:stack\/chat-api\/[0-9a-f-]{36}$/,
    );
  });

  it('resolves Fn::GetStackOutput references and layers across stacks', () => {
    const pool = model.userPools[0];
    const handler = model.functions.find((f) => f.logicalId.startsWith('Handler'));
    const layer = model.layers[0];
    if (!pool || !handler || !layer) throw new Error('missing');
    expect(pool.id).toMatch(/^eu-central-1_/);
    expect(handler.environment).toEqual({
      POOL_ID: pool.id,
      CLIENT_ID: pool.clients[0]?.id,
      TABLE: model.tables[0]?.name,
    });
    expect(handler).toMatchObject({
      architecture: 'arm64',
      reservedConcurrency: 5,
      logFormat: 'JSON',
      layers: [{ arn: layer.arn, layer: { stack: 'chat-shared', logicalId: layer.logicalId } }],
    });
    expect(layer.code).toMatchObject({ kind: 'directory' });
    expect(layer.arn).toMatch(/^arn:aws:lambda:eu-central-1:123456789012:layer:.+:1$/);
    const issuer = model.stacks[1]?.outputs.find((o) => o.name === 'Issuer');
    expect(issuer?.value).toBe(pool.providerUrl);
  });

  it('models a TableV2 (AWS::DynamoDB::GlobalTable) from the replica in this region', () => {
    expect(model.tables).toEqual([
      expect.objectContaining({
        type: 'AWS::DynamoDB::GlobalTable',
        stack: 'chat-shared',
        ttlAttribute: 'ttl',
        streamViewType: 'NEW_AND_OLD_IMAGES',
        billingMode: 'PAY_PER_REQUEST',
        keySchema: [
          { attributeName: 'room', keyType: 'HASH' },
          { attributeName: 'ts', keyType: 'RANGE' },
        ],
        globalSecondaryIndexes: [
          expect.objectContaining({ indexName: 'byUser', projectionType: 'KEYS_ONLY' }),
        ],
      }),
    ]);
    expect(model.tables[0]?.streamArn).toMatch(/\/stream\//);
  });

  it('models a REQUEST authorizer and stage throttling', () => {
    const http = model.httpApis[0];
    const authorizerFn = model.functions.find((f) => f.logicalId.startsWith('Authorizer'));
    if (!http || !authorizerFn) throw new Error('missing');
    expect(http.authorizers).toEqual([
      expect.objectContaining({
        kind: 'REQUEST',
        payloadFormatVersion: '2.0',
        enableSimpleResponses: true,
        resultTtlSeconds: 60,
        identitySource: ['$request.header.Authorization', '$request.querystring.room'],
        target: expect.objectContaining({
          functionName: authorizerFn.name,
          function: { stack: 'chat-api', logicalId: authorizerFn.logicalId },
        }),
      }),
    ]);
    expect(http.routes).toEqual([
      expect.objectContaining({
        routeKey: 'ANY /rooms/{room}',
        method: 'ANY',
        path: '/rooms/{room}',
        authorizationType: 'CUSTOM',
      }),
    ]);
    expect(http.stages).toEqual([
      expect.objectContaining({
        name: 'prod',
        defaultRouteSettings: { throttlingBurstLimit: 5, throttlingRateLimit: 10 },
      }),
    ]);
  });

  it('reports the VPC config and the WebSocket API as gaps, nothing unresolved', () => {
    const lines = model.gaps.map(formatGap);
    const handler = model.functions.find((f) => f.logicalId.startsWith('Handler'));
    expect(lines).toContain(
      `UNSUPPORTED  chat-api/${handler?.logicalId}  AWS::Lambda::Function.Properties.VpcConfig (ignored: functions run on this machine’s network)`,
    );
    const ws = model.resources.find(
      (r) => r.type === 'AWS::ApiGatewayV2::Api' && r.properties.ProtocolType === 'WEBSOCKET',
    );
    expect(lines).toContain(
      `UNSUPPORTED  chat-api/${ws?.logicalId}  AWS::ApiGatewayV2::Api.Properties.ProtocolType (WebSocket APIs are not implemented yet)`,
    );
    expect(
      model.gaps
        .filter((g) => g.message.includes('belongs to a WebSocket API'))
        .map((g) => g.type)
        .sort(),
    ).toEqual(['AWS::ApiGatewayV2::Integration', 'AWS::ApiGatewayV2::Route', 'AWS::ApiGatewayV2::Stage']);
    // CDK's RestApi (with its CloudWatch role, deployment and stage) is modelled whole.
    expect(model.gaps.filter((g) => g.type.startsWith('AWS::ApiGateway::')).map(formatGap)).toEqual([]);
    expect(model.gaps.filter((g) => g.kind === 'unresolved' || g.kind === 'unsupported-attribute')).toEqual(
      [],
    );
    // Only the WebSocket API and the VPC config: nothing else is missing.
    expect(
      model.gaps.filter((g) => !g.message.includes('WebSocket') && g.property !== 'Properties.VpcConfig'),
    ).toEqual([]);
  });

  it('models the REST API and keeps the WebSocket API as a generic resource, with their endpoints', () => {
    const protocols = model.endpoints
      .filter((e) => e.kind === 'execute-api')
      .map((e) => e.kind === 'execute-api' && e.protocol);
    expect(protocols.sort()).toEqual(['HTTP', 'REST', 'WEBSOCKET']);
    const rest = model.resources.find((r) => r.type === 'AWS::ApiGateway::RestApi');
    const method = model.resources.find((r) => r.type === 'AWS::ApiGateway::Method');
    expect(rest?.support).toBe('modelled');
    expect(method?.properties).toMatchObject({ HttpMethod: 'GET', RestApiId: rest?.physicalId });
    expect(model.restApis[0]?.resources.map((r) => [r.path, r.methods.map((m) => m.httpMethod)])).toEqual([
      ['/', []],
      ['/items', ['GET']],
    ]);
    expect(model.restApis[0]?.stages.map((s) => s.name)).toEqual(['prod']);
  });

  it('evaluates the CDKMetadata region condition', async () => {
    expect(model.resources.filter((r) => r.type === 'AWS::CDK::Metadata')).toHaveLength(2);
    const elsewhere = await loadAssembly({ dir: outdir, region: 'xx-local-1' });
    expect(elsewhere.resources.filter((r) => r.type === 'AWS::CDK::Metadata')).toEqual([]);
    expect(elsewhere.userPools[0]?.id).toMatch(/^xx-local-1_/);
  });
});
