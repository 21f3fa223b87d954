import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { methodSettingKey } from '../../src/assembly/build/rest-api';
import { type AssemblyModel, formatGap, loadAssembly } from '../../src/assembly/index';
import type { Template } from '../../src/assembly/template';
import { removeTempDirs, tempDir, writeAssembly } from './helpers';

afterAll(removeTempDirs);

async function load(template: Template, stackId = 'S'): Promise<AssemblyModel> {
  return loadAssembly({ dir: writeAssembly(tempDir(), { stacks: [{ id: stackId, template }] }) });
}

const fn = {
  Type: 'AWS::Lambda::Function',
  Properties: {
    FunctionName: 'list',
    Handler: 'index.handler',
    Runtime: 'nodejs22.x',
    Code: { ZipFile: 'x' },
  },
};
const uriOf = (logicalId: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:aws:apigateway:',
      { Ref: 'AWS::Region' },
      ':lambda:path/2015-03-31/functions/',
      { 'Fn::GetAtt': [logicalId, 'Arn'] },
      '/invocations',
    ],
  ],
});
const api = { Ref: 'Api' };
const root = { 'Fn::GetAtt': ['Api', 'RootResourceId'] };

/** A small API written by hand: nested resources, a root method, a Deployment-made stage, plans and keys. */
const small: Template = {
  Resources: {
    Fn: fn,
    Api: {
      Type: 'AWS::ApiGateway::RestApi',
      Properties: {
        Name: 'shop',
        ApiKeySourceType: 'HEADER',
        BinaryMediaTypes: ['image/png'],
        EndpointConfiguration: { Types: ['REGIONAL'] },
        Policy:
          '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"*"}]}',
        MinimumCompressionSize: 1024,
      },
    },
    Items: {
      Type: 'AWS::ApiGateway::Resource',
      Properties: { RestApiId: api, ParentId: root, PathPart: 'items' },
    },
    Item: {
      Type: 'AWS::ApiGateway::Resource',
      Properties: { RestApiId: api, ParentId: { Ref: 'Items' }, PathPart: '{id}' },
    },
    Orphan: {
      Type: 'AWS::ApiGateway::Resource',
      Properties: { RestApiId: api, ParentId: 'nothing', PathPart: 'lost' },
    },
    RootGet: {
      Type: 'AWS::ApiGateway::Method',
      Properties: {
        RestApiId: api,
        ResourceId: root,
        HttpMethod: 'get',
        AuthorizationType: 'NONE',
        Integration: { Type: 'MOCK', RequestTemplates: { 'application/json': '{"statusCode": 200}' } },
      },
    },
    ItemGet: {
      Type: 'AWS::ApiGateway::Method',
      Properties: {
        RestApiId: api,
        ResourceId: { Ref: 'Item' },
        HttpMethod: 'GET',
        AuthorizationType: 'CUSTOM',
        AuthorizerId: { Ref: 'Auth' },
        ApiKeyRequired: true,
        RequestParameters: { 'method.request.path.id': true, 'method.request.querystring.q': 'false' },
        RequestValidatorId: { Ref: 'Params' },
        RequestModels: { 'application/json': { Ref: 'ItemModel' } },
        Integration: {
          Type: 'AWS_PROXY',
          IntegrationHttpMethod: 'POST',
          Uri: uriOf('Fn'),
          TimeoutInMillis: 5000,
          CacheKeyParameters: ['method.request.path.id'],
          ContentHandling: 'CONVERT_TO_TEXT',
        },
      },
    },
    Params: {
      Type: 'AWS::ApiGateway::RequestValidator',
      Properties: { RestApiId: api, ValidateRequestParameters: true },
    },
    ItemModel: {
      Type: 'AWS::ApiGateway::Model',
      Properties: {
        RestApiId: api,
        Name: 'Item',
        ContentType: 'application/json',
        Schema: '{"type":"object"}',
      },
    },
    Auth: {
      Type: 'AWS::ApiGateway::Authorizer',
      Properties: {
        RestApiId: api,
        Name: 'tok',
        Type: 'TOKEN',
        AuthorizerUri: uriOf('Fn'),
        IdentitySource: 'method.request.header.Authorization',
      },
    },
    Missing: {
      Type: 'AWS::ApiGateway::GatewayResponse',
      Properties: {
        RestApiId: api,
        ResponseType: 'MISSING_AUTHENTICATION_TOKEN',
        StatusCode: 404,
        ResponseParameters: { 'gatewayresponse.header.X': "'y'" },
      },
    },
    Deployment: {
      Type: 'AWS::ApiGateway::Deployment',
      Properties: {
        RestApiId: api,
        StageName: 'prod',
        StageDescription: {
          CachingEnabled: true,
          CacheClusterEnabled: true,
          ThrottlingRateLimit: 50,
          Variables: { table: 'items' },
          MethodSettings: [{ ResourcePath: '/~1items~1{id}', HttpMethod: 'GET', CacheTtlInSeconds: 30 }],
          CanarySetting: { PercentTraffic: 10 },
        },
      },
    },
    Beta: {
      Type: 'AWS::ApiGateway::Stage',
      Properties: {
        RestApiId: api,
        StageName: 'beta',
        DeploymentId: { Ref: 'Deployment' },
        TracingEnabled: true,
        AccessLogSetting: { DestinationArn: 'arn:aws:logs:us-east-1:1:log-group:x' },
        MethodSettings: [
          { ResourcePath: '/*', HttpMethod: '*', ThrottlingBurstLimit: 9 },
          { ResourcePath: '/~1', HttpMethod: 'GET', CachingEnabled: false },
        ],
      },
    },
    Plan: {
      Type: 'AWS::ApiGateway::UsagePlan',
      Properties: {
        UsagePlanName: 'free',
        ApiStages: [
          { ApiId: api, Stage: 'beta', Throttle: { '/items/{id}/GET': { RateLimit: 1, BurstLimit: 2 } } },
          { ApiId: api, Stage: 'prod', Throttle: {} },
        ],
        Throttle: {},
        Quota: { Limit: 100, Period: 'WEEK', Offset: 3 },
      },
    },
    Key: { Type: 'AWS::ApiGateway::ApiKey', Properties: { Enabled: true } },
    GivenKey: {
      Type: 'AWS::ApiGateway::ApiKey',
      Properties: { Name: 'partner', Value: 'partner-key-0123456789abcdef' },
    },
    PlanKey: {
      Type: 'AWS::ApiGateway::UsagePlanKey',
      Properties: { KeyId: { Ref: 'Key' }, KeyType: 'API_KEY', UsagePlanId: { Ref: 'Plan' } },
    },
    Domain: { Type: 'AWS::ApiGateway::DomainName', Properties: { DomainName: 'api.example.com' } },
    Private: {
      Type: 'AWS::ApiGateway::RestApi',
      Properties: { Name: 'internal', EndpointConfiguration: { Types: ['PRIVATE'] } },
    },
  },
};

describe('REST API model', () => {
  it('joins resources into full paths, methods with their validator, model names and Lambda targets', async () => {
    const model = await load(small);
    const restApi = model.restApis.find((a) => a.name === 'shop');
    expect(restApi).toMatchObject({
      name: 'shop',
      apiKeySource: 'HEADER',
      binaryMediaTypes: ['image/png'],
      endpointTypes: ['REGIONAL'],
      policy: { Statement: [{ Effect: 'Allow' }] },
    });
    expect(restApi?.endpoint).toBe(`https://${restApi?.id}.execute-api.us-east-1.amazonaws.com`);
    expect(restApi?.resources.map((r) => [r.path, r.methods.map((m) => m.httpMethod)])).toEqual([
      ['/', ['GET']],
      ['/items', []],
      ['/items/{id}', ['GET']],
    ]);
    const itemGet = restApi?.resources[2]?.methods[0];
    expect(itemGet).toMatchObject({
      logicalId: 'ItemGet',
      authorizationType: 'CUSTOM',
      authorizerId: restApi?.authorizers[0]?.id,
      apiKeyRequired: true,
      requestParameters: { 'method.request.path.id': true, 'method.request.querystring.q': false },
      requestValidator: { validateRequestBody: false, validateRequestParameters: true },
      requestModels: { 'application/json': 'Item' },
      integration: {
        type: 'AWS_PROXY',
        timeoutMs: 5000,
        cacheKeyParameters: ['method.request.path.id'],
        target: { functionName: 'list', function: { stack: 'S', logicalId: 'Fn' } },
      },
    });
    expect(restApi?.models).toMatchObject([{ name: 'Item', schema: { type: 'object' } }]);
    expect(restApi?.authorizers).toMatchObject([
      { name: 'tok', type: 'TOKEN', resultTtlSeconds: 300, target: { functionName: 'list' } },
    ]);
    expect(restApi?.gatewayResponses).toMatchObject([
      {
        responseType: 'MISSING_AUTHENTICATION_TOKEN',
        statusCode: '404',
        responseParameters: { 'gatewayresponse.header.X': "'y'" },
      },
    ]);
  });

  it('reads stages from Stage resources and from a Deployment’s StageDescription', async () => {
    const restApi = (await load(small)).restApis.find((a) => a.name === 'shop');
    const byName = Object.fromEntries((restApi?.stages ?? []).map((s) => [s.name, s]));
    expect(byName.prod).toMatchObject({
      logicalId: 'Deployment',
      cacheClusterEnabled: true,
      variables: { table: 'items' },
      methodSettings: {
        '*/*': { cachingEnabled: true, throttlingRateLimit: 50 },
        '/items/{id}/GET': { cacheTtlSeconds: 30 },
      },
    });
    expect(byName.beta).toMatchObject({
      deploymentId: byName.prod?.deploymentId,
      cacheClusterEnabled: false,
      methodSettings: { '*/*': { throttlingBurstLimit: 9 }, '//GET': { cachingEnabled: false } },
    });
  });

  it('returns usage plans and API keys beside the APIs; generated key values are stable', async () => {
    const model = await load(small);
    const again = await load(small);
    const apiId = model.restApis.find((a) => a.name === 'shop')?.id;
    expect(model.usagePlans).toMatchObject([
      {
        name: 'free',
        throttle: undefined,
        quota: { limit: 100, period: 'WEEK', offset: 3 },
        apiStages: [
          { apiId, stage: 'beta', throttle: { '/items/{id}/GET': { rateLimit: 1, burstLimit: 2 } } },
          { apiId, stage: 'prod', throttle: {} },
        ],
      },
    ]);
    const [key, given] = model.apiKeys;
    expect(key).toMatchObject({ enabled: true, generated: true, usagePlanIds: [model.usagePlans[0]?.id] });
    expect(key?.value).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(key?.value).toBe(again.apiKeys[0]?.value);
    expect(given).toMatchObject({
      name: 'partner',
      value: 'partner-key-0123456789abcdef',
      generated: false,
      enabled: false, // CloudFormation's default
      usagePlanIds: [],
    });
  });

  it('reports what is not emulated, one line each, and nothing for what is', async () => {
    const gaps = (await load(small)).gaps.map(formatGap).filter((g) => g.includes('AWS::ApiGateway'));
    const hit = (logicalId: string, text: string) =>
      expect(gaps.filter((g) => g.includes(`/${logicalId} `) && g.includes(text))).toHaveLength(1);
    hit('Api', 'MinimumCompressionSize');
    hit('Orphan', 'ParentId');
    hit('ItemGet', 'Integration.ContentHandling');
    hit('Deployment', 'CanarySetting');
    hit('Domain', 'custom domains');
    hit('Private', 'without a VPC endpoint');
    expect(gaps.some((g) => g.includes('TracingEnabled') || g.includes('AccessLogSetting'))).toBe(false);
    expect(gaps).toHaveLength(6);
  });

  it('encodes method setting keys as the gateway expects', () => {
    expect(methodSettingKey('/*', '*')).toBe('*/*');
    expect(methodSettingKey('/~1products~1{id}', 'get')).toBe('/products/{id}/GET');
    expect(methodSettingKey('/~1', 'GET')).toBe('//GET');
  });
});

describe('our catalog stack (dev)', () => {
  const template = JSON.parse(
    readFileSync(join(__dirname, 'fixtures', 'dev-rest-api.template.json'), 'utf8'),
  ) as Template;

  it('is modelled whole, with no REST API gap', async () => {
    const model = await load(template, 'dev-rest-api');
    const [restApi] = model.restApis;
    expect(
      restApi?.resources.map((r) => `${r.path} ${r.methods.map((m) => m.httpMethod).join(',')}`),
    ).toEqual(['/ ', '/health GET', '/products OPTIONS,GET,POST', '/products/{id} OPTIONS,GET,PATCH,DELETE']);
    expect(restApi?.stages.map((s) => s.name)).toEqual(['dev']);
    expect(restApi?.stages[0]?.methodSettings['/products/{id}/GET']).toMatchObject({
      cachingEnabled: true,
      cacheTtlSeconds: 60,
    });
    expect(model.usagePlans.map((p) => [p.name, p.throttle, p.quota])).toEqual([
      ['dev-catalog-free', { rateLimit: 2, burstLimit: 5 }, { limit: 100, period: 'DAY' }],
      ['dev-catalog-pro', { rateLimit: 20, burstLimit: 40 }, { limit: 10000, period: 'DAY' }],
    ]);
    expect(model.apiKeys.map((k) => [k.logicalId, k.enabled, k.usagePlanIds.length])).toEqual([
      ['FreeApiKeyFAD32B8B', true, 1],
      ['ProApiKeyFC332EB7', true, 1],
    ]);
    expect(model.gaps.filter((g) => g.type.startsWith('AWS::ApiGateway')).map(formatGap)).toEqual([]);
  });
});
