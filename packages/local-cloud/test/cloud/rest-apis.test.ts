import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type AssemblyModel, formatGap, loadAssembly } from '../../src/assembly';
import type { Template } from '../../src/assembly/template';
import { mapRestApis } from '../../src/cloud/rest-apis';
import { checkRestApi, checkUsagePlans } from '../../src/gateway/rest-api';
import { removeTempDirs, tempDir, writeAssembly } from '../assembly/helpers';

afterAll(removeTempDirs);

async function load(template: Template, stackId = 'S'): Promise<AssemblyModel> {
  return loadAssembly({ dir: writeAssembly(tempDir(), { stacks: [{ id: stackId, template }] }) });
}

const api = { Ref: 'Api' };
const root = { 'Fn::GetAtt': ['Api', 'RootResourceId'] };
const mock = (template = '{"statusCode": 200}') => ({
  Type: 'MOCK',
  RequestTemplates: { 'application/json': template },
  IntegrationResponses: [{ StatusCode: '200' }],
});
const method = (logicalId: string, verb: string, extra: Record<string, unknown> = {}) => ({
  [logicalId]: {
    Type: 'AWS::ApiGateway::Method',
    Properties: {
      RestApiId: api,
      ResourceId: { Ref: 'Things' },
      HttpMethod: verb,
      AuthorizationType: 'NONE',
      Integration: mock(),
      ...extra,
    },
  },
});

/** One API with a part the gateway refuses of each kind, and one thing it serves but does not emulate. */
const refused: Template = {
  Resources: {
    Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'things' } },
    Things: {
      Type: 'AWS::ApiGateway::Resource',
      Properties: { RestApiId: api, ParentId: root, PathPart: 'things' },
    },
    ...method('Fine', 'GET', { ApiKeyRequired: true }),
    ...method('BadSchema', 'POST', {
      RequestModels: { 'application/json': { Ref: 'Broken' } },
      RequestValidatorId: { Ref: 'Body' },
    }),
    ...method('Vtl', 'PUT', {
      Integration: {
        ...mock(),
        IntegrationResponses: [
          { StatusCode: '200', ResponseTemplates: { 'application/json': '$input.json("$.nope")' } },
        ],
      },
    }),
    Body: {
      Type: 'AWS::ApiGateway::RequestValidator',
      Properties: { RestApiId: api, ValidateRequestBody: true },
    },
    Broken: {
      Type: 'AWS::ApiGateway::Model',
      Properties: {
        RestApiId: api,
        Name: 'Broken',
        Schema: { type: 'object', properties: { a: { type: 'string', pattern: '(' } } },
      },
    },
    Odd: {
      Type: 'AWS::ApiGateway::GatewayResponse',
      Properties: { RestApiId: api, ResponseType: 'NOT_A_TYPE' },
    },
    Deployment: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: api } },
    Good: {
      Type: 'AWS::ApiGateway::Stage',
      Properties: {
        RestApiId: api,
        StageName: 'good',
        DeploymentId: { Ref: 'Deployment' },
        MethodSettings: [{ ResourcePath: '/~1nowhere', HttpMethod: 'GET', ThrottlingRateLimit: 1 }],
      },
    },
    Bad: {
      Type: 'AWS::ApiGateway::Stage',
      Properties: {
        RestApiId: api,
        StageName: 'bad',
        DeploymentId: { Ref: 'Deployment' },
        CacheClusterEnabled: true,
        MethodSettings: [
          { ResourcePath: '/*', HttpMethod: '*', CachingEnabled: true, CacheTtlInSeconds: 9999 },
        ],
      },
    },
    Plan: {
      Type: 'AWS::ApiGateway::UsagePlan',
      Properties: {
        ApiStages: [
          { ApiId: api, Stage: 'good' },
          { ApiId: api, Stage: 'bad' },
        ],
        Throttle: { RateLimit: 5, BurstLimit: 10 },
      },
    },
    Key: {
      Type: 'AWS::ApiGateway::ApiKey',
      Properties: {
        Enabled: true,
        StageKeys: [
          { RestApiId: api, StageName: 'good' },
          { RestApiId: api, StageName: 'other' },
        ],
      },
    },
    Short: { Type: 'AWS::ApiGateway::ApiKey', Properties: { Enabled: true, Value: 'too-short' } },
    KeyInPlan: {
      Type: 'AWS::ApiGateway::UsagePlanKey',
      Properties: { KeyId: { Ref: 'Key' }, KeyType: 'API_KEY', UsagePlanId: { Ref: 'Plan' } },
    },
  },
};

describe('mapRestApis', () => {
  it('maps our catalog stack with no gap, keys in their plans, settings by method', async () => {
    const template = JSON.parse(
      readFileSync(join(__dirname, '..', 'assembly', 'fixtures', 'dev-rest-api.template.json'), 'utf8'),
    ) as Template;
    const model = await load(template, 'dev-rest-api');
    const mapping = mapRestApis(model);
    expect(mapping.gaps.map(formatGap)).toEqual([]);
    const [config] = mapping.apis;
    expect(config?.resources.map((r) => r.path)).toEqual(['/', '/health', '/products', '/products/{id}']);
    const list = config?.resources[2]?.methods.find((m) => m.httpMethod === 'GET');
    expect(list).toMatchObject({
      apiKeyRequired: true,
      requestValidator: { validateRequestParameters: true },
      integration: { type: 'AWS_PROXY', functionName: expect.stringContaining('ListProductsFunction') },
    });
    expect(config?.stages[0]?.methodSettings?.['/products/GET']).toMatchObject({ cacheTtlSeconds: 10 });
    expect(config?.usagePlans?.map((p) => [p.name, p.throttle, p.quota])).toEqual([
      ['dev-catalog-free', { rateLimit: 2, burstLimit: 5 }, { limit: 100, period: 'DAY' }],
      ['dev-catalog-pro', { rateLimit: 20, burstLimit: 40 }, { limit: 10000, period: 'DAY' }],
    ]);
    expect(config?.apiKeys?.map((k) => k.planIds.length)).toEqual([1, 1]);
    expect(mapping.apiKeys.map((k) => k.value)).toEqual(config?.apiKeys?.map((k) => k.value));
    expect(checkRestApi(config as NonNullable<typeof config>).ok).toBe(true);
    expect(checkUsagePlans(mapping.apis)).toBeUndefined();
  });

  it('leaves out what the gateway refuses, with one gap each, and serves the rest', async () => {
    const model = await load(refused);
    const mapping = mapRestApis(model);
    const gaps = mapping.gaps.map(formatGap);
    const about = (logicalId: string) => gaps.filter((g) => g.includes(`S/${logicalId} `));
    expect(about('BadSchema')).toEqual([expect.stringContaining('not served')]);
    expect(about('Vtl')).toEqual([expect.stringContaining('VTL')]);
    expect(about('Odd')).toEqual([expect.stringContaining('unknown gateway response type NOT_A_TYPE')]);
    expect(about('Good')).toEqual([expect.stringContaining('/nowhere/GET')]);
    expect(about('Bad')).toEqual([expect.stringContaining('cacheTtlSeconds')]);
    expect(about('Plan')).toEqual([expect.stringContaining('stage bad')]);
    expect(about('Short')).toEqual([expect.stringContaining('20 to 128')]);
    expect(about('Fine')).toEqual([]);
    // The stage its plan covers is not reported, the other one is.
    expect(about('Key')).toEqual([expect.stringMatching(/StageKeys \(ignored for [a-z0-9]+\/other: /)]);

    const [config] = mapping.apis;
    expect(config?.resources[1]?.methods.map((m) => m.httpMethod)).toEqual(['GET', 'PUT']);
    expect(config?.stages.map((s) => s.name)).toEqual(['good']);
    expect(config?.gatewayResponses).toEqual([]);
    expect(config?.usagePlans?.[0]?.apiStages.map((s) => s.stage)).toEqual(['good']);
    expect(mapping.apiKeys.map((k) => k.logicalId)).toEqual(['Key']);
    expect(checkUsagePlans(mapping.apis)).toBeUndefined();
  });

  it("gives each stage its AccessLogSetting's format; a format AWS refuses is left out with a gap", async () => {
    const format = '{"requestId":"$context.requestId","status":"$context.status"}';
    const model = await load({
      Resources: {
        Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'logged' } },
        Things: {
          Type: 'AWS::ApiGateway::Resource',
          Properties: { RestApiId: api, ParentId: root, PathPart: 'things' },
        },
        ...method('Get', 'GET'),
        // A Deployment's own stage, described by StageDescription.
        Deployment: {
          Type: 'AWS::ApiGateway::Deployment',
          Properties: {
            RestApiId: api,
            StageName: 'first',
            StageDescription: { AccessLogSetting: { DestinationArn: 'arn:aws:logs:x', Format: format } },
          },
        },
        Logged: {
          Type: 'AWS::ApiGateway::Stage',
          Properties: {
            RestApiId: api,
            StageName: 'logged',
            DeploymentId: { Ref: 'Deployment' },
            AccessLogSetting: { DestinationArn: 'arn:aws:logs:x', Format: format },
          },
        },
        NoRequestId: {
          Type: 'AWS::ApiGateway::Stage',
          Properties: {
            RestApiId: api,
            StageName: 'noid',
            DeploymentId: { Ref: 'Deployment' },
            AccessLogSetting: { DestinationArn: 'arn:aws:logs:x', Format: '$context.status' },
          },
        },
        Plain: {
          Type: 'AWS::ApiGateway::Stage',
          Properties: { RestApiId: api, StageName: 'plain', DeploymentId: { Ref: 'Deployment' } },
        },
      },
    });
    const mapping = mapRestApis(model);
    expect(mapping.gaps.map(formatGap)).toEqual([
      expect.stringMatching(
        /S\/NoRequestId {2}AWS::ApiGateway::Stage\.Properties\.AccessLogSetting .*must contain \$context\.requestId/,
      ),
    ]);
    const stages = mapping.apis[0]?.stages ?? [];
    expect(stages.map((s) => [s.name, s.accessLogSetting?.format])).toEqual([
      ['logged', format],
      ['noid', undefined],
      ['plain', undefined],
      ['first', format],
    ]);
  });

  it('does not serve an API without a stage', async () => {
    const model = await load({ Resources: { Api: { Type: 'AWS::ApiGateway::RestApi', Properties: {} } } });
    const mapping = mapRestApis(model);
    expect(mapping.apis).toEqual([]);
    expect(mapping.gaps.map(formatGap)).toEqual([expect.stringContaining('has no stage')]);
  });
});
