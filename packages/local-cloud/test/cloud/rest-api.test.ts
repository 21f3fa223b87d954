/**
 * The whole local cloud on a hand-written (CDK-free) template with a REST API: a Lambda proxy method
 * behind an API key and a usage plan, a TOKEN authorizer, CDK's several-origin CORS preflight (a MOCK
 * integration with a VTL response template), a stage cache, and a function calling its own API by its
 * AWS URL.
 */
import path from 'node:path';
import { APIGatewayClient, GetApiKeyCommand, GetUsageCommand } from '@aws-sdk/client-api-gateway';
import { describe, expect, it } from 'vitest';
import type { Template } from '../../src/assembly/template';
import { flushCache } from '../../src/cli-flush-cache';
import { writeEndpointsFile } from '../../src/cloud';
import { tempDir } from '../assembly/helpers';
import { startedCloud } from './started-cloud';

const HANDLER = `
exports.handler = async (event) => {
  if (event.path === '/self') {
    const response = await fetch('https://' + event.requestContext.domainName + '/dev/items', {
      headers: { 'x-api-key': event.headers['x-self-key'] },
    });
    return { statusCode: 200, body: JSON.stringify({ status: response.status, body: await response.json() }) };
  }
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      path: event.path,
      stage: event.requestContext.stage,
      apiKeyId: event.requestContext.identity.apiKeyId,
      principal: event.requestContext.authorizer ? event.requestContext.authorizer.principalId : null,
    }),
  };
};`;

const AUTHORIZER = `
exports.handler = async (event) => {
  if (event.authorizationToken !== 'Bearer good') throw new Error('Unauthorized');
  return {
    principalId: 'alice',
    policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: event.methodArn }] },
  };
};`;

/** CDK's `addCorsPreflight` response template for `allowOrigins: [A, B]`. */
const ORIGIN_ECHO = [
  '#set($origin = $input.params().header.get("Origin"))',
  '#if($origin == "")',
  '  #set($origin = $input.params().header.get("origin"))',
  '#end',
  '#if($origin == "http://b.example")',
  '  #set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)',
  '#end',
].join('\n');

const api = { Ref: 'Api' };
const fnProps = (code: string) => ({
  Handler: 'index.handler',
  Runtime: 'nodejs22.x',
  Code: { ZipFile: code },
});
const proxy = {
  Type: 'AWS_PROXY',
  IntegrationHttpMethod: 'POST',
  Uri: {
    'Fn::Join': [
      '',
      [
        'arn:aws:apigateway:',
        { Ref: 'AWS::Region' },
        ':lambda:path/2015-03-31/functions/',
        { 'Fn::GetAtt': ['Fn', 'Arn'] },
        '/invocations',
      ],
    ],
  },
};
const method = (id: string, resource: string, verb: string, extra: Record<string, unknown>) => ({
  [id]: {
    Type: 'AWS::ApiGateway::Method',
    Properties: {
      RestApiId: api,
      ResourceId: { Ref: resource },
      HttpMethod: verb,
      AuthorizationType: 'NONE',
      ...extra,
    },
  },
});

const template: Template = {
  Resources: {
    Fn: { Type: 'AWS::Lambda::Function', Properties: fnProps(HANDLER) },
    AuthFn: { Type: 'AWS::Lambda::Function', Properties: fnProps(AUTHORIZER) },
    Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'itest-rest' } },
    Items: {
      Type: 'AWS::ApiGateway::Resource',
      Properties: {
        RestApiId: api,
        ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] },
        PathPart: 'items',
      },
    },
    Self: {
      Type: 'AWS::ApiGateway::Resource',
      Properties: { RestApiId: api, ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] }, PathPart: 'self' },
    },
    ...method('ItemsGet', 'Items', 'GET', { ApiKeyRequired: true, Integration: proxy }),
    ...method('ItemsPost', 'Items', 'POST', {
      AuthorizationType: 'CUSTOM',
      AuthorizerId: { Ref: 'Auth' },
      Integration: proxy,
    }),
    ...method('ItemsOptions', 'Items', 'OPTIONS', {
      Integration: {
        Type: 'MOCK',
        RequestTemplates: { 'application/json': '{ statusCode: 200 }' },
        IntegrationResponses: [
          {
            StatusCode: '204',
            ResponseParameters: {
              'method.response.header.Access-Control-Allow-Origin': "'http://a.example'",
              'method.response.header.Access-Control-Allow-Methods': "'GET,POST'",
              'method.response.header.Vary': "'Origin'",
            },
            ResponseTemplates: { 'application/json': ORIGIN_ECHO },
          },
        ],
      },
    }),
    ...method('SelfGet', 'Self', 'GET', { Integration: proxy }),
    Auth: {
      Type: 'AWS::ApiGateway::Authorizer',
      Properties: {
        RestApiId: api,
        Name: 'token',
        Type: 'TOKEN',
        IdentitySource: 'method.request.header.Authorization',
        AuthorizerUri: {
          'Fn::Join': [
            '',
            [
              'arn:aws:apigateway:',
              { Ref: 'AWS::Region' },
              ':lambda:path/2015-03-31/functions/',
              { 'Fn::GetAtt': ['AuthFn', 'Arn'] },
              '/invocations',
            ],
          ],
        },
      },
    },
    Deployment: {
      Type: 'AWS::ApiGateway::Deployment',
      DependsOn: ['ItemsGet', 'ItemsPost', 'ItemsOptions', 'SelfGet'],
      Properties: { RestApiId: api },
    },
    Stage: {
      Type: 'AWS::ApiGateway::Stage',
      Properties: {
        RestApiId: api,
        StageName: 'dev',
        DeploymentId: { Ref: 'Deployment' },
        CacheClusterEnabled: true,
        MethodSettings: [
          { ResourcePath: '/~1items', HttpMethod: 'GET', CachingEnabled: true, CacheTtlInSeconds: 60 },
        ],
      },
    },
    Plan: {
      Type: 'AWS::ApiGateway::UsagePlan',
      Properties: {
        UsagePlanName: 'free',
        ApiStages: [{ ApiId: api, Stage: { Ref: 'Stage' }, Throttle: {} }],
        Throttle: { RateLimit: 100, BurstLimit: 200 },
        Quota: { Limit: 1000, Period: 'DAY' },
      },
    },
    Key: { Type: 'AWS::ApiGateway::ApiKey', Properties: { Enabled: true } },
    PlanKey: {
      Type: 'AWS::ApiGateway::UsagePlanKey',
      Properties: { KeyId: { Ref: 'Key' }, KeyType: 'API_KEY', UsagePlanId: { Ref: 'Plan' } },
    },
  },
  Outputs: {
    ApiUrl: {
      Value: {
        'Fn::Join': [
          '',
          [
            'https://',
            api,
            '.execute-api.',
            { Ref: 'AWS::Region' },
            '.',
            { Ref: 'AWS::URLSuffix' },
            '/',
            { Ref: 'Stage' },
            '/',
          ],
        ],
      },
    },
    KeyId: { Value: { Ref: 'Key' } },
  },
};

const { cloud, lines } = startedCloud('itest-rest', template);

const restApi = () => {
  const found = cloud().endpoints.apis.find((a) => a.kind === 'rest');
  if (found === undefined) throw new Error('no REST API in the endpoints file');
  return found;
};
const keyValue = () => cloud().endpoints.apiKeys[0]?.value ?? '';

describe('a REST API in the local cloud', () => {
  it('starts without gaps and lists the API, its stage cache, plan and key in the endpoints file', () => {
    // Only the DynamoDB engine's notes (this app has no table, they are printed anyway).
    expect(lines.filter((l) => l.startsWith('  ') && !l.includes('DynamoDB (dynalite)'))).toEqual([]);
    const entry = restApi();
    expect(entry).toMatchObject({ name: 'itest-rest', stack: 'itest-rest', logicalId: 'Api' });
    expect(entry.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/dev\/$/);
    expect(entry.stages).toEqual([
      expect.objectContaining({
        name: 'dev',
        url: entry.url,
        cacheStatsUrl: expect.stringMatching(/\/_local\/restapis\/[a-z0-9]+\/stages\/dev\/cache\/stats$/),
        cacheFlushUrl: expect.stringMatching(/\/_local\/restapis\/[a-z0-9]+\/stages\/dev\/cache\/data$/),
      }),
    ]);
    const outputs = cloud().endpoints.outputs['itest-rest'];
    expect(outputs?.ApiUrl).toBe(entry.url);
    expect(cloud().endpoints.apiKeys).toEqual([
      expect.objectContaining({
        id: outputs?.KeyId,
        logicalId: 'Key',
        enabled: true,
        usagePlanIds: [cloud().endpoints.usagePlans[0]?.id],
      }),
    ]);
    expect(cloud().endpoints.usagePlans).toEqual([
      expect.objectContaining({
        name: 'free',
        throttle: { rateLimit: 100, burstLimit: 200 },
        quota: { limit: 1000, period: 'DAY' },
      }),
    ]);
  });

  it('answers 403 without an API key and 200 with the printed one, and caches the answer', async () => {
    const url = `${restApi().url}items`;
    const missing = await fetch(url);
    expect(missing.status).toBe(403);
    expect(await missing.json()).toEqual({ message: 'Forbidden' });
    const first = await fetch(url, { headers: { 'x-api-key': keyValue() } });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({
      path: '/items',
      stage: 'dev',
      apiKeyId: cloud().endpoints.apiKeys[0]?.id,
    });
    await fetch(url, { headers: { 'x-api-key': keyValue() } });
    const stage = restApi().stages[0];
    const stats = (await (await fetch(stage?.cacheStatsUrl ?? '')).json()) as {
      hits: number;
      misses: number;
    };
    expect(stats).toMatchObject({ hits: 1, misses: 1 });
    expect((await fetch(stage?.cacheFlushUrl ?? '', { method: 'DELETE' })).status).toBe(202);
  });

  it('runs the TOKEN authorizer: 401 without a token, the function with one', async () => {
    const url = `${restApi().url}items`;
    const none = await fetch(url, { method: 'POST', body: '{}' });
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ message: 'Unauthorized' });
    const allowed = await fetch(url, {
      method: 'POST',
      body: '{}',
      headers: { Authorization: 'Bearer good' },
    });
    expect(allowed.status).toBe(200);
    expect(await allowed.json()).toMatchObject({ principal: 'alice' });
  });

  it('answers the MOCK preflight, echoing an allowed second origin through the VTL template', async () => {
    const url = `${restApi().url}items`;
    const other = await fetch(url, { method: 'OPTIONS', headers: { Origin: 'http://b.example' } });
    expect(other.status).toBe(204);
    expect(other.headers.get('access-control-allow-origin')).toBe('http://b.example');
    expect(other.headers.get('access-control-allow-methods')).toBe('GET,POST');
    const unknown = await fetch(url, { method: 'OPTIONS', headers: { Origin: 'http://evil.example' } });
    expect(unknown.headers.get('access-control-allow-origin')).toBe('http://a.example');
  });

  it('serves the API on the shared port by Host, where a function calling its AWS URL lands', async () => {
    const entry = restApi();
    const self = await fetch(`${entry.url.replace(/dev\/$/, '')}dev/self`, {
      headers: { 'x-self-key': keyValue() },
    });
    expect(self.status).toBe(200);
    expect(await self.json()).toMatchObject({ status: 200, body: { path: '/items' } });
    expect(entry.hostUrl).toMatch(new RegExp(`^http://${entry.apiId}\\.execute-api\\.localhost:\\d+/dev/$`));
  });

  it('flushes a stage cache from the command line through the endpoints file', async () => {
    const file = path.join(tempDir('rest-it-endpoints-'), 'endpoints.json');
    await writeEndpointsFile(file, cloud().endpoints);
    const out: string[] = [];
    const io = { out: (line: string) => out.push(line), err: (line: string) => out.push(line) };
    const before = (await (await fetch(restApi().stages[0]?.cacheStatsUrl ?? '')).json()) as {
      flushes: number;
    };
    expect(
      await flushCache(['--api', 'itest-rest', '--stage', 'dev', '--endpoints-file', file], '/', io),
    ).toBe(0);
    expect(out).toEqual([`flushed the cache of itest-rest (${restApi().apiId}) stage dev`]);
    const after = (await (await fetch(restApi().stages[0]?.cacheStatsUrl ?? '')).json()) as {
      flushes: number;
    };
    expect(after.flushes).toBe(before.flushes + 1);
    expect(await flushCache(['--api', 'nope', '--endpoints-file', file], '/', io)).toBe(1);
    expect(out.at(-1)).toContain('no REST API nope');
  });

  it('serves the management calls to the SDK at the endpoints file’s apiGateway endpoint', async () => {
    const client = new APIGatewayClient({
      region: 'us-east-1',
      endpoint: cloud().endpoints.apiGateway.endpoint,
      credentials: { accessKeyId: 'LOCALCLOUD', secretAccessKey: 'localcloudsecret' },
    });
    const [key] = cloud().endpoints.apiKeys;
    const [plan] = cloud().endpoints.usagePlans;
    const described = await client.send(new GetApiKeyCommand({ apiKey: key?.id, includeValue: true }));
    expect(described).toMatchObject({ id: key?.id, value: keyValue(), enabled: true });
    const today = new Date().toISOString().slice(0, 10);
    const usage = await client.send(
      new GetUsageCommand({ usagePlanId: plan?.id, keyId: key?.id, startDate: today, endDate: today }),
    );
    // Earlier tests read with the key: the day's count is theirs (exactly which depends on their order).
    const [[used, remaining] = []] = usage.items?.[key?.id ?? ''] ?? [];
    expect(used).toBeGreaterThan(0);
    expect((used ?? 0) + (remaining ?? 0)).toBe(1000);
    client.destroy();
  });
});
