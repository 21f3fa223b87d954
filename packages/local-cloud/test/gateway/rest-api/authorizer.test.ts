import {
  APIGatewayProxyEventSchema,
  APIGatewayRequestAuthorizerEventSchema,
  APIGatewayTokenAuthorizerEventSchema,
} from '@aws-lambda-powertools/parser/schemas';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/clock.js';
import type { InvokeOutcome } from '../../../src/gateway/invoker.js';
import { type RestApiGateway, startRestApiGateway } from '../../../src/gateway/rest-api/index.js';
import { API_ID, FakeInvoker, failed, method, ok, resource, restApi, send } from './helpers.js';

const ARN_PREFIX = `arn:aws:execute-api:eu-west-1:123456789012:${API_ID}`;
const clock = new ManualClock();

const policy = (
  effect: 'Allow' | 'Deny',
  resourceArn: string,
  extra: Record<string, unknown> = {},
): InvokeOutcome =>
  ok({
    principalId: 'user',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resourceArn }],
    },
    ...extra,
  });

/** The TOKEN authorizer answers by token. */
const tokenAuthorizer = (event: Record<string, unknown>): InvokeOutcome => {
  const token = event.authorizationToken as string;
  const arn = event.methodArn as string;
  switch (token) {
    case 'Bearer allow':
      // A policy for this method ARN only: cached, it does not cover other methods.
      return policy('Allow', arn, { context: { tenantId: 'tenant-1', n: 1, admin: true } });
    case 'Bearer all':
      return policy('Allow', `${ARN_PREFIX}/prod/*`);
    case 'Bearer deny':
      return policy('Deny', arn);
    case 'Bearer elsewhere':
      return policy('Allow', `${ARN_PREFIX}/prod/GET/somewhere-else`);
    case 'Bearer unauthorized':
      return failed('error', 'Error', 'Unauthorized');
    case 'Bearer malformed':
      return ok({ statusCode: 200, body: 'allowed' });
    case 'Bearer object-context':
      return policy('Allow', arn, { context: { nested: { a: 1 } } });
    default:
      return failed('error', 'Error', 'Invalid token');
  }
};

const invoker = new FakeInvoker()
  .on('token-auth', tokenAuthorizer)
  .on('request-auth', (event) =>
    policy('Allow', `${ARN_PREFIX}/*`, {
      context: { who: (event.headers as Record<string, string>)['X-Token'] },
    }),
  )
  .on('uncached-auth', () => policy('Allow', `${ARN_PREFIX}/*`))
  .on('fn', () => ok({ statusCode: 200, body: 'ok' }));
let gateway: RestApiGateway;
let base: string;

const custom = (authorizerId: string) => ({ authorizationType: 'CUSTOM' as const, authorizerId });

beforeAll(async () => {
  gateway = await startRestApiGateway({
    invoker,
    clock,
    apis: [
      restApi({
        resources: [
          resource(
            '/lambda-token',
            method('GET', 'fn', custom('token')),
            method('POST', 'fn', custom('token')),
          ),
          resource('/lambda-request/{id}', method('GET', 'fn', custom('request'))),
          resource('/uncached', method('GET', 'fn', custom('uncached'))),
        ],
        authorizers: [
          {
            id: 'token',
            type: 'TOKEN',
            functionName: 'token-auth',
            identitySource: 'method.request.header.Authorization',
            identityValidationExpression: 'Bearer [-a-z]+',
          },
          {
            id: 'request',
            type: 'REQUEST',
            functionName: 'request-auth',
            identitySource:
              'method.request.header.X-Token, method.request.querystring.tenant, stageVariables.realm',
            resultTtlSeconds: 60,
          },
          {
            id: 'uncached',
            type: 'REQUEST',
            functionName: 'uncached-auth',
            identitySource: 'method.request.header.X-Token',
            resultTtlSeconds: 0,
          },
        ],
        stages: [{ name: 'prod', variables: { realm: 'shop' } }],
      }),
    ],
  });
  base = gateway.endpoint(API_ID).url;
});
afterAll(() => gateway.close());
beforeEach(() => {
  invoker.reset();
  // Each test starts with an empty authorizer cache.
  clock.advance(3_600_000);
});

const call = (path: string, token?: string, methodName = 'GET', headers: Array<[string, string]> = []) =>
  send(`${base}/prod${path}`, {
    method: methodName,
    headers: token === undefined ? headers : [['Authorization', token], ...headers],
  });

describe('TOKEN authorizer outcomes (Appendix A.5)', () => {
  it('sends the TOKEN event and passes principalId, context and integrationLatency to the integration', async () => {
    const response = await call('/lambda-token', 'Bearer allow', 'POST');
    expect(response.status).toBe(200);
    const event = invoker.lastEvent('token-auth');
    expect(APIGatewayTokenAuthorizerEventSchema.safeParse(event).success).toBe(true);
    expect(event).toEqual({
      type: 'TOKEN',
      methodArn: `${ARN_PREFIX}/prod/POST/lambda-token`,
      authorizationToken: 'Bearer allow',
    });
    const proxy = invoker.lastEvent('fn') as { requestContext: { authorizer: Record<string, unknown> } };
    expect(APIGatewayProxyEventSchema.safeParse(proxy).success).toBe(true);
    const { authorizer } = proxy.requestContext;
    // As captured: {principalId, integrationLatency, ...context}, context values as strings.
    expect(Object.keys(authorizer)).toEqual(['principalId', 'integrationLatency', 'tenantId', 'n', 'admin']);
    expect(authorizer).toMatchObject({ principalId: 'user', tenantId: 'tenant-1', n: '1', admin: 'true' });
    expect(typeof authorizer.integrationLatency).toBe('number');
  });

  it('answers 401 without invoking when the token header is missing or empty', async () => {
    for (const response of [await call('/lambda-token'), await call('/lambda-token', '')]) {
      expect(response.status).toBe(401);
      expect(response.text).toBe('{"message":"Unauthorized"}');
      expect(response.headers['x-amzn-errortype']).toBe('UnauthorizedException');
    }
    expect(invoker.calls).toHaveLength(0);
  });

  it('answers 401 without invoking when the token does not match identityValidationExpression', async () => {
    const response = await call('/lambda-token', 'Basic abc');
    expect(response.status).toBe(401);
    expect(response.text).toBe('{"message":"Unauthorized"}');
    // The whole token must match, not a part of it.
    expect((await call('/lambda-token', 'Bearer allow!')).status).toBe(401);
    expect(invoker.calls).toHaveLength(0);
  });

  it('answers 401 when the authorizer fails with exactly "Unauthorized"', async () => {
    const response = await call('/lambda-token', 'Bearer unauthorized');
    expect(response.status).toBe(401);
    expect(response.text).toBe('{"message":"Unauthorized"}');
    expect(invoker.callsTo('fn')).toHaveLength(0);
  });

  it('answers 500 {"message":null} AuthorizerConfigurationException for other failures and malformed output', async () => {
    for (const token of ['Bearer boom', 'Bearer malformed', 'Bearer object-context']) {
      const response = await call('/lambda-token', token);
      expect(response.status, token).toBe(500);
      expect(response.text).toBe('{"message":null}');
      expect(response.headers['x-amzn-errortype']).toBe('AuthorizerConfigurationException');
    }
    expect(invoker.callsTo('fn')).toHaveLength(0);
  });

  it('answers 403 {"Message":…explicit deny} for a Deny', async () => {
    const response = await call('/lambda-token', 'Bearer deny');
    expect(response.status).toBe(403);
    expect(response.text).toBe(
      '{"Message":"User is not authorized to access this resource with an explicit deny"}',
    );
    expect(response.headers['x-amzn-errortype']).toBe('AccessDeniedException');
    expect(invoker.callsTo('fn')).toHaveLength(0);
  });

  it('answers 403 {"Message":"User is not authorized to access this resource"} when no statement allows the ARN', async () => {
    const response = await call('/lambda-token', 'Bearer elsewhere');
    expect(response.status).toBe(403);
    expect(response.text).toBe('{"Message":"User is not authorized to access this resource"}');
  });
});

describe('authorizer result cache', () => {
  it('does not invoke the authorizer again within the TTL (default 300 s), and does after it', async () => {
    expect((await call('/lambda-token', 'Bearer all')).status).toBe(200);
    expect((await call('/lambda-token', 'Bearer all', 'POST')).status).toBe(200);
    expect(invoker.callsTo('token-auth')).toHaveLength(1);
    const cached = invoker.lastEvent('fn') as {
      requestContext: { authorizer: { integrationLatency: number } };
    };
    expect(cached.requestContext.authorizer.integrationLatency).toBe(0);
    clock.advance(299_000);
    await call('/lambda-token', 'Bearer all');
    expect(invoker.callsTo('token-auth')).toHaveLength(1);
    clock.advance(1_000);
    await call('/lambda-token', 'Bearer all');
    expect(invoker.callsTo('token-auth')).toHaveLength(2);
  });

  it('re-evaluates a cached policy against each method ARN', async () => {
    // The policy names GET /lambda-token only; POST with the same token is served from the cache and denied.
    expect((await call('/lambda-token', 'Bearer allow', 'GET')).status).toBe(200);
    const post = await call('/lambda-token', 'Bearer allow', 'POST');
    expect(post.status).toBe(403);
    expect(post.text).toBe('{"Message":"User is not authorized to access this resource"}');
    expect(invoker.callsTo('token-auth')).toHaveLength(1);
  });

  it('does not cache failures', async () => {
    await call('/lambda-token', 'Bearer unauthorized');
    await call('/lambda-token', 'Bearer unauthorized');
    expect(invoker.callsTo('token-auth')).toHaveLength(2);
  });
});

describe('REQUEST authorizer', () => {
  const requestCall = (path: string, token?: string) =>
    send(`${base}/prod${path}`, { headers: token === undefined ? [] : [['X-Token', token]] });

  it("sends the REQUEST event (Powertools' schema, {} for empty maps) and caches by all identity values", async () => {
    const response = await requestCall('/lambda-request/7?tenant=t1', 'abc');
    expect(response.status).toBe(200);
    const event = invoker.lastEvent('request-auth');
    const parsed = APIGatewayRequestAuthorizerEventSchema.safeParse(event);
    expect(parsed.error).toBeUndefined();
    expect(event).toMatchObject({
      type: 'REQUEST',
      methodArn: `${ARN_PREFIX}/prod/GET/lambda-request/7`,
      resource: '/lambda-request/{id}',
      path: '/lambda-request/7',
      httpMethod: 'GET',
      queryStringParameters: { tenant: 't1' },
      multiValueQueryStringParameters: { tenant: ['t1'] },
      pathParameters: { id: '7' },
      stageVariables: { realm: 'shop' },
      requestContext: { path: '/prod/lambda-request/7', stage: 'prod', resourcePath: '/lambda-request/{id}' },
    });
    expect((event.headers as Record<string, string>)['X-Token']).toBe('abc');
    expect(event).not.toHaveProperty('body');
    expect(event.requestContext).not.toHaveProperty('authorizer');

    await requestCall('/lambda-request/8?tenant=t1', 'abc');
    expect(invoker.callsTo('request-auth')).toHaveLength(1);
    await requestCall('/lambda-request/8?tenant=t2', 'abc');
    expect(invoker.callsTo('request-auth')).toHaveLength(2);
    const proxy = invoker.lastEvent('fn') as { requestContext: { authorizer: Record<string, unknown> } };
    expect(proxy.requestContext.authorizer).toMatchObject({ principalId: 'user', who: 'abc' });
  });

  it('answers 401 without invoking when an identity source is missing and caching is on', async () => {
    expect((await requestCall('/lambda-request/7', 'abc')).status).toBe(401);
    expect((await requestCall('/lambda-request/7?tenant=t1')).status).toBe(401);
    expect(invoker.calls).toHaveLength(0);
  });

  it('invokes without checking identity sources when caching is off', async () => {
    expect((await requestCall('/uncached')).status).toBe(200);
    expect((await requestCall('/uncached')).status).toBe(200);
    expect(invoker.callsTo('uncached-auth')).toHaveLength(2);
    const event = invoker.lastEvent('uncached-auth');
    expect(event.queryStringParameters).toEqual({});
    expect(event.pathParameters).toEqual({});
  });
});
