/**
 * What a response-cache hit still goes through (the hit path is short-cut for speed, see the REST gateway
 * README's "Performance"): the authorizer, API key, usage-plan quota and stage throttling run before it,
 * it gets the headers of a fresh response with its own ids, and it is access-logged.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/clock.js';
import { type RestApiGateway, startRestApiGateway } from '../../../src/gateway/rest-api/index.js';
import { API_ID, FakeInvoker, headerNames, lambda, ok, resource, restApi, send } from './helpers.js';

const clock = new ManualClock(Date.UTC(2026, 0, 1, 0, 0, 0));
let counter = 0;
const invoker = new FakeInvoker()
  .on('fn', () =>
    ok({
      statusCode: 201,
      multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] },
      headers: { 'X-Backend': 'yes', 'Content-Type': 'text/plain' },
      body: `n${++counter}`,
    }),
  )
  .on('auth', (event) =>
    ok({
      principalId: 'u',
      policyDocument: {
        Statement: [
          {
            Action: 'execute-api:Invoke',
            Effect: event.authorizationToken === 'deny' ? 'Deny' : 'Allow',
            Resource: '*',
          },
        ],
      },
    }),
  );
const KEY = 'hitkey0123456789abcdefgh';
const lines: string[] = [];
let gateway: RestApiGateway;
let base: string;

const get = (extra: Record<string, unknown> = {}) => ({
  httpMethod: 'GET',
  integration: lambda('fn'),
  ...extra,
});

beforeAll(async () => {
  gateway = await startRestApiGateway({
    invoker,
    clock,
    accessLog: (line) => lines.push(line),
    apis: [
      restApi({
        resources: [
          resource('/plain', get()),
          resource('/keyed', get({ apiKeyRequired: true })),
          resource('/throttled', get()),
          resource('/guarded', get({ authorizationType: 'CUSTOM', authorizerId: 'auth' })),
        ],
        authorizers: [
          {
            id: 'auth',
            type: 'TOKEN',
            functionName: 'auth',
            identitySource: 'method.request.header.Authorization',
          },
        ],
        stages: [
          {
            name: 'prod',
            cacheClusterEnabled: true,
            methodSettings: {
              '*/*': { cachingEnabled: true },
              '/throttled/GET': { throttlingRateLimit: 1, throttlingBurstLimit: 2 },
            },
          },
        ],
        usagePlans: [
          {
            id: 'quota-plan',
            apiStages: [{ apiId: API_ID, stage: 'prod' }],
            quota: { limit: 3, period: 'DAY' },
          },
        ],
        apiKeys: [{ id: 'hit-key', value: KEY, planIds: ['quota-plan'] }],
      }),
    ],
  });
  base = `${gateway.endpoint(API_ID).url}/prod`;
});
afterAll(() => gateway.close());
beforeEach(() => {
  invoker.reset();
  lines.length = 0;
});

describe('a response-cache hit', () => {
  it('has the headers of the fresh response, in the same order, with ids of its own', async () => {
    const fresh = await send(`${base}/plain`);
    const hit = await send(`${base}/plain`);
    expect(invoker.callsTo('fn')).toHaveLength(1);
    expect(hit.status).toBe(201);
    expect(hit.text).toBe(fresh.text);
    expect(headerNames(hit)).toEqual(headerNames(fresh));
    expect(headerNames(hit)).toEqual([
      'Set-Cookie',
      'Set-Cookie',
      'X-Backend',
      'Content-Type',
      'X-Amzn-Trace-Id',
      'x-amzn-RequestId',
      'x-amz-apigw-id',
      'Content-Length',
      'Date',
      'Connection',
    ]);
    expect(hit.header('set-cookie')).toEqual(['a=1', 'b=2']);
    for (const name of ['x-amzn-requestid', 'x-amz-apigw-id', 'x-amzn-trace-id']) {
      expect(hit.headers[name]).not.toBe(fresh.headers[name]);
    }
    expect(hit.headers['x-amzn-requestid']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(hit.headers['x-amz-apigw-id']).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    // The trace id the function saw is the one the response carries.
    const event = invoker.lastEvent('fn') as { headers: Record<string, string> };
    expect(event.headers['X-Amzn-Trace-Id']).toBe(fresh.headers['x-amzn-trace-id']);
    expect(hit.headers['x-amzn-trace-id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    const traced = await send(`${base}/plain`, { headers: [['X-Amzn-Trace-Id', 'Root=1-abc-def']] });
    expect(traced.headers['x-amzn-trace-id']).toBe('Root=1-abc-def');
  });

  it('is access-logged as a hit, with its status and length', async () => {
    await send(`${base}/plain`);
    const hit = await send(`${base}/plain`);
    const line = JSON.parse(lines.at(-1) as string) as Record<string, string>;
    expect(line).toMatchObject({
      requestId: hit.headers['x-amzn-requestid'],
      extendedRequestId: hit.headers['x-amz-apigw-id'],
      status: '201',
      responseLength: String(hit.body.length),
      resourcePath: '/plain',
      cacheStatus: 'hit',
      integrationStatus: '-',
    });
  });

  it('requires the API key and uses the quota', async () => {
    const headers: Array<[string, string]> = [['x-api-key', KEY]];
    const first = await send(`${base}/keyed`, { headers });
    expect((await send(`${base}/keyed`, { headers })).text).toBe(first.text);
    expect((await send(`${base}/keyed`)).status).toBe(403);
    expect((await send(`${base}/keyed`, { headers })).status).toBe(201);
    const over = await send(`${base}/keyed`, { headers });
    expect(over.status).toBe(429);
    expect(over.text).toBe('{"message":"Limit Exceeded"}');
    expect(invoker.callsTo('fn')).toHaveLength(1);
    expect(JSON.parse(lines.at(-4) as string)).toMatchObject({ apiKeyId: 'hit-key', cacheStatus: 'hit' });
  });

  it('is throttled by the stage settings', async () => {
    await send(`${base}/throttled`);
    expect((await send(`${base}/throttled`)).status).toBe(201);
    const throttled = await send(`${base}/throttled`);
    expect(throttled.status).toBe(429);
    expect(throttled.text).toBe('{"message":"Too Many Requests"}');
    clock.advance(1000);
    expect((await send(`${base}/throttled`)).status).toBe(201);
    expect(invoker.callsTo('fn')).toHaveLength(1);
  });

  it('with a cached authorizer result invokes nothing, and a denied token still gets 403', async () => {
    const allow: Array<[string, string]> = [['Authorization', 'allow']];
    const first = await send(`${base}/guarded`, { headers: allow });
    expect((await send(`${base}/guarded`, { headers: allow })).text).toBe(first.text);
    expect(invoker.callsTo('auth')).toHaveLength(1);
    expect(invoker.callsTo('fn')).toHaveLength(1);
    const denied = await send(`${base}/guarded`, { headers: [['Authorization', 'deny']] });
    expect(denied.status).toBe(403);
    expect(JSON.parse(lines.at(-1) as string)).toMatchObject({ cacheStatus: '-', status: '403' });
  });
});
