import { APIGatewayRequestAuthorizerEventV2Schema } from '@aws-lambda-powertools/parser/schemas';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { type HttpApiGateway, startHttpApiGateway } from '../../src/gateway/http-api/index.js';
import type { InvokeOutcome } from '../../src/gateway/invoker.js';
import { api, FakeInvoker, failed, ok, route, send } from './helpers.js';

const clock = new ManualClock();
/** The simple authorizer allows the token `allow`, denies anything else, with a context. */
const simple = (event: Record<string, unknown>): InvokeOutcome => {
  const [token] = event.identitySource as string[];
  return ok({ isAuthorized: token === 'allow', context: { user: 'u-1', roles: ['a', 'b'], n: 1 } });
};
let policyAnswer: () => InvokeOutcome;
const invoker = new FakeInvoker()
  .on('simple-auth', simple)
  .on('policy-auth', () => policyAnswer())
  .on('v1-auth', (event) =>
    ok({
      principalId: 'p-1',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: event.methodArn }],
      },
      context: { tenant: 't-9', admin: true },
    }),
  )
  .on('notes', () => ok({ statusCode: 200, body: 'ok' }));
let gateway: HttpApiGateway;
let base: string;

const custom = (authorizerId: string) => ({ authorization: { type: 'CUSTOM' as const, authorizerId } });

beforeAll(async () => {
  gateway = await startHttpApiGateway({
    invoker,
    clock,
    apis: [
      api({
        routes: [
          route('GET /notes', 'notes', custom('simple')),
          route('POST /notes', 'notes', custom('simple')),
          route('GET /policy/{id}', 'notes', custom('policy')),
          route('DELETE /policy/{id}', 'notes', custom('policy')),
          {
            routeKey: 'GET /legacy',
            integration: { type: 'AWS_PROXY', functionName: 'notes', payloadFormatVersion: '1.0' },
            ...custom('v1'),
          },
        ],
        authorizers: [
          {
            id: 'simple',
            type: 'REQUEST',
            functionName: 'simple-auth',
            payloadFormatVersion: '2.0',
            enableSimpleResponses: true,
            resultTtlSeconds: 300,
            identitySource: ['$request.header.Authorization', '$request.querystring.tenant'],
          },
          {
            id: 'policy',
            type: 'REQUEST',
            functionName: 'policy-auth',
            payloadFormatVersion: '2.0',
            resultTtlSeconds: 60,
            identitySource: ['$request.header.Authorization'],
          },
          {
            id: 'v1',
            type: 'REQUEST',
            functionName: 'v1-auth',
            payloadFormatVersion: '1.0',
            identitySource: ['$request.header.Authorization', '$context.routeKey'],
          },
        ],
      }),
    ],
  });
  base = gateway.endpoint('abc123def4').url;
});
afterAll(() => gateway.close());
beforeEach(() => {
  invoker.calls.length = 0;
});

const call = (path: string, token?: string, method = 'GET') =>
  send(`${base}${path}`, { method, headers: token === undefined ? [] : [['Authorization', token]] });

describe('Lambda authorizer, simple responses', () => {
  it('sends the 2.0 REQUEST event and passes the context to the integration', async () => {
    const response = await call('/notes?tenant=t1', 'allow');
    expect(response.status).toBe(200);
    const event = invoker.lastEvent('simple-auth');
    expect(APIGatewayRequestAuthorizerEventV2Schema.safeParse(event).success).toBe(true);
    expect(event).toMatchObject({
      version: '2.0',
      type: 'REQUEST',
      routeArn: 'arn:aws:execute-api:eu-west-1:123456789012:abc123def4/$default/GET/notes',
      identitySource: ['allow', 't1'],
      routeKey: 'GET /notes',
      rawPath: '/notes',
      rawQueryString: 'tenant=t1',
      queryStringParameters: { tenant: 't1' },
    });
    expect(event).not.toHaveProperty('body');
    const integration = invoker.lastEvent('notes') as { requestContext: { authorizer: unknown } };
    expect(integration.requestContext.authorizer).toEqual({
      lambda: { user: 'u-1', roles: ['a', 'b'], n: 1 },
    });
  });

  it('answers 403 {"message":"Forbidden"} for isAuthorized false', async () => {
    const response = await call('/notes?tenant=t1', 'deny');
    expect(response.status).toBe(403);
    expect(response.text).toBe('{"message":"Forbidden"}');
    expect(invoker.callsTo('notes')).toHaveLength(0);
  });

  it('answers 401 without invoking when an identity source is missing or empty', async () => {
    for (const [path, token] of [
      ['/notes', 'allow'],
      ['/notes?tenant=t1', undefined],
      ['/notes?tenant=', 'allow'],
    ] as const) {
      const response = await call(path, token);
      expect(response.status).toBe(401);
      expect(response.text).toBe('{"message":"Unauthorized"}');
    }
    expect(invoker.calls).toHaveLength(0);
  });

  it('caches the result by identity values for the TTL, across routes, by the gateway clock', async () => {
    expect((await call('/notes?tenant=cache', 'allow')).status).toBe(200);
    expect((await call('/notes?tenant=cache', 'allow', 'POST')).status).toBe(200);
    expect(invoker.callsTo('simple-auth')).toHaveLength(1);
    expect((await call('/notes?tenant=other', 'allow')).status).toBe(200);
    expect(invoker.callsTo('simple-auth')).toHaveLength(2);
    clock.advance(299_000);
    await call('/notes?tenant=cache', 'allow');
    expect(invoker.callsTo('simple-auth')).toHaveLength(2);
    clock.advance(1_000);
    await call('/notes?tenant=cache', 'allow');
    expect(invoker.callsTo('simple-auth')).toHaveLength(3);
    // Denials are cached too.
    await call('/notes?tenant=cache', 'deny');
    await call('/notes?tenant=cache', 'deny');
    expect(invoker.callsTo('simple-auth')).toHaveLength(4);
  });
});

describe('Lambda authorizer, IAM policy responses', () => {
  const policy = (effect: string, resource: string) =>
    ok({
      principalId: 'user-7',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }],
      },
      context: { plan: 'pro' },
    });

  it('evaluates the cached policy against each route ARN', async () => {
    policyAnswer = () =>
      policy('Allow', 'arn:aws:execute-api:eu-west-1:123456789012:abc123def4/$default/GET/*');
    expect((await call('/policy/1', 'p-token')).status).toBe(200);
    expect(invoker.lastEvent('notes')).toMatchObject({
      requestContext: { authorizer: { lambda: { plan: 'pro' } } },
    });
    const denied = await call('/policy/1', 'p-token', 'DELETE');
    expect(denied.status).toBe(403);
    expect(invoker.callsTo('policy-auth')).toHaveLength(1);
  });

  it('answers 403 for an explicit Deny', async () => {
    policyAnswer = () => policy('Deny', '*');
    expect((await call('/policy/2', 'deny-token')).status).toBe(403);
  });

  it('answers 500 {"message":"Internal Server Error"} for failures and malformed responses', async () => {
    const answers: InvokeOutcome[] = [
      failed('error', 'Error', 'database down'),
      failed('crash', 'Runtime.ExitError'),
      ok({ statusCode: 401, body: 'nope' }),
      ok({ principalId: 'x', policyDocument: { Statement: [{ Effect: 'Allow' }] } }),
      ok(null),
    ];
    for (const [i, answer] of answers.entries()) {
      policyAnswer = () => answer;
      const response = await call('/policy/3', `bad-${i}`);
      expect(response.status, JSON.stringify(answer)).toBe(500);
      expect(response.text).toBe('{"message":"Internal Server Error"}');
    }
    expect(invoker.callsTo('notes')).toHaveLength(0);
  });

  it('answers 401 when the authorizer fails with exactly "Unauthorized"', async () => {
    policyAnswer = () => failed('error', 'Error', 'Unauthorized');
    expect((await call('/policy/4', 'unauth-token')).status).toBe(401);
  });
});

describe('Lambda authorizer, payload 1.0', () => {
  it('sends the 1.0 event with joined identity values and passes a stringified context', async () => {
    expect((await call('/legacy', 'tok')).status).toBe(200);
    expect(invoker.lastEvent('v1-auth')).toMatchObject({
      version: '1.0',
      type: 'REQUEST',
      methodArn: 'arn:aws:execute-api:eu-west-1:123456789012:abc123def4/$default/GET/legacy',
      identitySource: 'tok,GET /legacy',
      authorizationToken: 'tok,GET /legacy',
      resource: '/legacy',
      httpMethod: 'GET',
    });
    const event = invoker.lastEvent('notes') as { requestContext: { authorizer: Record<string, unknown> } };
    expect(event.requestContext.authorizer).toMatchObject({
      tenant: 't-9',
      admin: 'true',
      principalId: 'p-1',
    });
    expect(typeof event.requestContext.authorizer.integrationLatency).toBe('number');
  });
});

describe('Lambda authorizer configuration', () => {
  it('rejects caching without identity sources and simple responses with payload 1.0', async () => {
    const start = (authorizer: Record<string, unknown>) =>
      startHttpApiGateway({
        invoker,
        apis: [
          api({
            routes: [route('GET /x', 'notes', custom('a'))],
            authorizers: [
              { id: 'a', type: 'REQUEST', functionName: 'f', payloadFormatVersion: '2.0', ...authorizer },
            ],
          }),
        ],
      });
    await expect(start({ resultTtlSeconds: 300, identitySource: [] })).rejects.toThrow(
      /needs at least one identity source/,
    );
    await expect(start({ payloadFormatVersion: '1.0', enableSimpleResponses: true })).rejects.toThrow(
      /simple responses/,
    );
    await expect(start({ identitySource: ['$request.path.id'] })).rejects.toThrow(
      /not a supported selection expression/,
    );
  });
});
