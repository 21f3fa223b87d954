import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InvokeOutcome } from '../../../src/gateway/invoker.js';
import { type RestApiGateway, startRestApiGateway } from '../../../src/gateway/rest-api/index.js';
import { combineDecisions, ResourcePolicy } from '../../../src/gateway/rest-api/resource-policy.js';
import { API_ID, FakeInvoker, method, ok, resource, restApi, send } from './helpers.js';

const ARN = `arn:aws:execute-api:eu-west-1:123456789012:${API_ID}`;
const api = { region: 'eu-west-1', accountId: '123456789012', apiId: API_ID };
const request = (path: string, extra: Partial<Parameters<ResourcePolicy['evaluate']>[0]> = {}) => ({
  arn: `${ARN}/prod/${path}`,
  sourceIp: '203.0.113.7',
  userAgent: 'curl/8',
  referer: undefined,
  secureTransport: true,
  now: Date.UTC(2026, 0, 1),
  ...extra,
});

describe('ResourcePolicy', () => {
  it('needs an explicit Allow; an explicit Deny wins; shorthand resources expand to the API ARN', () => {
    const policy = new ResourcePolicy(
      {
        Statement: [
          { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
          {
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 'execute-api:*',
            Resource: 'execute-api:/*/DELETE/*',
          },
        ],
      },
      api,
    );
    expect(policy.evaluate(request('GET/products'))).toBe('allow');
    expect(policy.evaluate(request('DELETE/products/1'))).toBe('explicit-deny');
    const narrow = new ResourcePolicy(
      {
        Statement: {
          Effect: 'Allow',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: `${ARN}/prod/GET/products`,
        },
      },
      api,
    );
    expect(narrow.evaluate(request('GET/products'))).toBe('allow');
    expect(narrow.evaluate(request('GET/products/1'))).toBe('implicit-deny');
  });

  it('evaluates aws:SourceIp with IpAddress / NotIpAddress (IPv4 and IPv6 CIDRs)', () => {
    const policy = new ResourcePolicy(
      {
        Statement: [
          { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
          {
            Effect: 'Deny',
            Principal: '*',
            Action: 'execute-api:Invoke',
            Resource: 'execute-api:/*',
            Condition: { NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/32', '127.0.0.1'] } },
          },
        ],
      },
      api,
    );
    expect(policy.evaluate(request('GET/x'))).toBe('allow');
    expect(policy.evaluate(request('GET/x', { sourceIp: '2001:db8::1' }))).toBe('allow');
    expect(policy.evaluate(request('GET/x', { sourceIp: '198.51.100.1' }))).toBe('explicit-deny');
  });

  it('evaluates string, bool, date and numeric conditions, with IfExists', () => {
    const allowIf = (Condition: Record<string, Record<string, string | string[]>>) =>
      new ResourcePolicy(
        { Statement: { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*', Condition } },
        api,
      );
    expect(allowIf({ StringLike: { 'aws:UserAgent': 'curl/*' } }).evaluate(request('GET/x'))).toBe('allow');
    expect(allowIf({ StringEquals: { 'aws:Referer': 'x' } }).evaluate(request('GET/x'))).toBe(
      'implicit-deny',
    );
    expect(allowIf({ StringEqualsIfExists: { 'aws:Referer': 'x' } }).evaluate(request('GET/x'))).toBe(
      'allow',
    );
    expect(allowIf({ Bool: { 'aws:SecureTransport': 'false' } }).evaluate(request('GET/x'))).toBe(
      'implicit-deny',
    );
    expect(
      allowIf({ DateLessThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' } }).evaluate(request('GET/x')),
    ).toBe('allow');
    expect(
      allowIf({ NumericGreaterThan: { 'aws:EpochTime': '1900000000' } }).evaluate(request('GET/x')),
    ).toBe('implicit-deny');
  });

  it('never applies statements for IAM principals to the anonymous caller', () => {
    const policy = new ResourcePolicy(
      {
        Statement: {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::123456789012:root' },
          Action: '*',
          Resource: '*',
        },
      },
      api,
    );
    expect(policy.evaluate(request('GET/x'))).toBe('implicit-deny');
  });

  it('fails closed on what it cannot evaluate, and says so', () => {
    const policy = new ResourcePolicy(
      {
        Statement: [
          {
            Sid: 'vpc',
            Effect: 'Allow',
            Principal: '*',
            Action: '*',
            Resource: '*',
            Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } },
          },
          {
            Sid: 'org',
            Effect: 'Deny',
            Principal: '*',
            Action: '*',
            Resource: '*',
            Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } },
          },
        ],
      },
      api,
    );
    expect(policy.gaps).toEqual([
      'resource policy vpc: condition key aws:SourceVpce is not evaluated locally (never allows)',
      'resource policy org: condition key aws:PrincipalOrgID is not evaluated locally (always denies)',
    ]);
    expect(policy.evaluate(request('GET/x'))).toBe('explicit-deny');
  });

  it('combines with a Lambda authorizer by Table A', () => {
    expect(combineDecisions('allow', 'allow').decision).toBe('allow');
    expect(combineDecisions('allow', 'implicit-deny').decision).toBe('allow');
    expect(combineDecisions('implicit-deny', 'allow').decision).toBe('allow');
    expect(combineDecisions('implicit-deny', 'implicit-deny')).toEqual({
      decision: 'implicit-deny',
      by: 'authorizer',
    });
    expect(combineDecisions('allow', 'explicit-deny')).toEqual({
      decision: 'explicit-deny',
      by: 'authorizer',
    });
    expect(combineDecisions(undefined, undefined).decision).toBe('allow');
    expect(combineDecisions('implicit-deny', undefined)).toEqual({ decision: 'implicit-deny', by: 'policy' });
  });
});

describe('resource policy in the pipeline (§9.1)', () => {
  const authorizerAnswer: { current: () => InvokeOutcome } = { current: () => ok({}) };
  const invoker = new FakeInvoker()
    .on('fn', () => ok({ statusCode: 200, body: 'ok' }))
    .on('auth', () => authorizerAnswer.current());
  let gateway: RestApiGateway;
  let base: string;
  const authorizerPolicy = (effect: string, resourceArn: string) => () =>
    ok({
      principalId: 'u',
      policyDocument: {
        Statement: [{ Effect: effect, Action: 'execute-api:Invoke', Resource: resourceArn }],
      },
    });

  beforeAll(async () => {
    gateway = await startRestApiGateway({
      invoker,
      apis: [
        restApi({
          policy: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: '*',
                Action: 'execute-api:Invoke',
                Resource: 'execute-api:/prod/GET/public',
              },
              {
                Effect: 'Deny',
                Principal: '*',
                Action: 'execute-api:Invoke',
                Resource: 'execute-api:/prod/*/blocked',
              },
            ],
          },
          resources: [
            resource('/public', method('GET', 'fn')),
            resource('/private', method('GET', 'fn')),
            resource('/blocked', method('GET', 'fn', { authorizationType: 'CUSTOM', authorizerId: 'a' })),
            resource('/authorized', method('GET', 'fn', { authorizationType: 'CUSTOM', authorizerId: 'a' })),
          ],
          authorizers: [
            {
              id: 'a',
              type: 'TOKEN',
              functionName: 'auth',
              identitySource: 'method.request.header.Authorization',
              resultTtlSeconds: 0,
            },
          ],
        }),
      ],
    });
    base = `${gateway.endpoint(API_ID).url}/prod`;
  });
  afterAll(() => gateway.close());
  beforeEach(() => invoker.reset());

  it('allows what the policy allows and denies the rest as anonymous (implicit deny)', async () => {
    expect((await send(`${base}/public`)).status).toBe(200);
    const response = await send(`${base}/private`);
    expect(response.status).toBe(403);
    expect(response.text).toBe(
      `{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke on resource: ${ARN}/prod/GET/private"}`,
    );
    expect(response.headers['x-amzn-errortype']).toBe('AccessDeniedException');
  });

  it('rejects an explicit Deny before calling the authorizer', async () => {
    const response = await send(`${base}/blocked`, { headers: [['Authorization', 't']] });
    expect(response.status).toBe(403);
    expect(response.text).toBe(
      `{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke on resource: ${ARN}/prod/GET/blocked with an explicit deny"}`,
    );
    expect(invoker.callsTo('auth')).toHaveLength(0);
  });

  it('lets an authorizer Allow through where the policy is silent, and its Deny win', async () => {
    authorizerAnswer.current = authorizerPolicy('Allow', '*');
    expect((await send(`${base}/authorized`, { headers: [['Authorization', 't']] })).status).toBe(200);
    authorizerAnswer.current = authorizerPolicy('Deny', '*');
    const denied = await send(`${base}/authorized`, { headers: [['Authorization', 't']] });
    expect(denied.text).toBe(
      '{"Message":"User is not authorized to access this resource with an explicit deny"}',
    );
    authorizerAnswer.current = authorizerPolicy('Allow', `${ARN}/prod/GET/elsewhere`);
    const silent = await send(`${base}/authorized`, { headers: [['Authorization', 't']] });
    expect(silent.status).toBe(403);
    expect(silent.text).toBe('{"Message":"User is not authorized to access this resource"}');
  });
});
