import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/clock.js';
import {
  type RestApiConfig,
  type RestApiGateway,
  startRestApiGateway,
} from '../../../src/gateway/rest-api/index.js';
import { periodStart } from '../../../src/gateway/rest-api/usage-plans.js';
import { API_ID, FakeInvoker, method, ok, resource, restApi, send } from './helpers.js';

const clock = new ManualClock(Date.UTC(2026, 0, 1, 0, 0, 0));
const invoker = new FakeInvoker()
  .on('fn', () => ok({ statusCode: 200, body: 'ok' }))
  .on('key-auth', (event) =>
    ok({
      principalId: 'partner',
      policyDocument: { Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: '*' }] },
      ...(event.authorizationToken === 'none' ? {} : { usageIdentifierKey: event.authorizationToken }),
    }),
  );
let gateway: RestApiGateway;
let base: string;
let authorizerBase: string;

const KEY = {
  plain: 'plainkey0123456789abcdef',
  disabled: 'disabledkey0123456789abc',
  devOnly: 'devonlykey0123456789abcd',
  throttled: 'throttledkey0123456789ab',
  quota: 'quotakey0123456789abcdef',
  offset: 'offsetkey0123456789abcde',
  method: 'methodkey0123456789abcde',
  partner: 'partnerkey0123456789abcd',
};
const keyed = { apiKeyRequired: true };

const AUTHORIZER_API = 'authkeys12';

beforeAll(async () => {
  const apis: RestApiConfig[] = [
    restApi({
      resources: [
        resource('/keyed', method('GET', 'fn', keyed)),
        resource('/limited', method('GET', 'fn', keyed)),
        resource('/free', method('GET', 'fn')),
        resource('/throttled', method('GET', 'fn')),
      ],
      stages: [
        {
          name: 'prod',
          methodSettings: { '/throttled/GET': { throttlingRateLimit: 1, throttlingBurstLimit: 2 } },
        },
        { name: 'dev', throttle: { rateLimit: 1, burstLimit: 1 } },
      ],
      usagePlans: [
        { id: 'open', apiStages: [{ apiId: API_ID, stage: 'prod' }] },
        { id: 'dev-plan', apiStages: [{ apiId: API_ID, stage: 'dev' }] },
        {
          id: 'throttle-plan',
          apiStages: [{ apiId: API_ID, stage: 'prod' }],
          throttle: { rateLimit: 1, burstLimit: 1 },
        },
        {
          id: 'quota-plan',
          apiStages: [{ apiId: API_ID, stage: 'prod' }],
          quota: { limit: 3, period: 'DAY' },
        },
        {
          id: 'offset-plan',
          apiStages: [{ apiId: API_ID, stage: 'prod' }],
          quota: { limit: 3, offset: 2, period: 'DAY' },
        },
        {
          id: 'method-plan',
          apiStages: [
            { apiId: API_ID, stage: 'prod', throttle: { '/limited/GET': { rateLimit: 1, burstLimit: 1 } } },
          ],
        },
      ],
      apiKeys: [
        { id: 'k-plain', value: KEY.plain, planIds: ['open'] },
        { id: 'k-disabled', value: KEY.disabled, enabled: false, planIds: ['open'] },
        { id: 'k-dev', value: KEY.devOnly, planIds: ['dev-plan'] },
        { id: 'k-throttled', value: KEY.throttled, planIds: ['throttle-plan'] },
        { id: 'k-quota', value: KEY.quota, planIds: ['quota-plan'] },
        { id: 'k-offset', value: KEY.offset, planIds: ['offset-plan'] },
        { id: 'k-method', value: KEY.method, planIds: ['method-plan'] },
      ],
    }),
    restApi({
      apiId: AUTHORIZER_API,
      apiKeySource: 'AUTHORIZER',
      resources: [
        resource(
          '/partner',
          method('GET', 'fn', { ...keyed, authorizationType: 'CUSTOM', authorizerId: 'keys' }),
        ),
      ],
      authorizers: [
        {
          id: 'keys',
          type: 'TOKEN',
          functionName: 'key-auth',
          identitySource: 'method.request.header.Authorization',
          resultTtlSeconds: 0,
        },
      ],
      // The same plan listed under a second API: merged by id (plans and keys are account-wide).
      usagePlans: [{ id: 'partner-plan', apiStages: [{ apiId: AUTHORIZER_API, stage: 'prod' }] }],
      apiKeys: [{ id: 'k-partner', value: KEY.partner, planIds: ['partner-plan'] }],
    }),
  ];
  gateway = await startRestApiGateway({ invoker, clock, apis });
  base = `${gateway.endpoint(API_ID).url}/prod`;
  authorizerBase = `${gateway.endpoint(AUTHORIZER_API).url}/prod`;
});
afterAll(() => gateway.close());
beforeEach(() => invoker.reset());

const withKey = (path: string, key?: string, name = 'x-api-key') =>
  send(`${base}${path}`, { headers: key === undefined ? [] : [[name, key]] });

const expectForbidden = (response: Awaited<ReturnType<typeof send>>) => {
  expect(response.status).toBe(403);
  expect(response.text).toBe('{"message":"Forbidden"}');
  expect(response.headers['x-amzn-errortype']).toBe('ForbiddenException');
};

describe('API keys (Appendix A.2)', () => {
  it('answers 403 Forbidden for a missing, unknown or disabled key and a key in no plan for the stage', async () => {
    expectForbidden(await withKey('/keyed'));
    expectForbidden(await withKey('/keyed', ''));
    expectForbidden(await withKey('/keyed', 'nosuchkey0123456789abcdef'));
    expectForbidden(await withKey('/keyed', KEY.disabled));
    expectForbidden(await withKey('/keyed', KEY.devOnly));
    expect(invoker.calls).toHaveLength(0);
  });

  it('admits a valid key of a plan attached to the stage and shows it in requestContext.identity', async () => {
    const response = await withKey('/keyed', KEY.plain, 'X-API-Key');
    expect(response.status).toBe(200);
    const event = invoker.lastEvent('fn') as { requestContext: { identity: Record<string, unknown> } };
    expect(event.requestContext.identity).toMatchObject({ apiKey: KEY.plain, apiKeyId: 'k-plain' });
    // The dev-only key works on dev.
    const dev = await send(`${gateway.endpoint(API_ID).url}/dev/keyed`, {
      headers: [['x-api-key', KEY.devOnly]],
    });
    expect(dev.status).toBe(200);
  });

  it('does not check or report a key on methods that do not require one', async () => {
    expect((await withKey('/free', 'garbage')).status).toBe(200);
    const event = invoker.lastEvent('fn') as { requestContext: { identity: Record<string, unknown> } };
    expect(event.requestContext.identity).not.toHaveProperty('apiKey');
  });

  it('takes the key from the authorizer with apiKeySource AUTHORIZER, after authorizing', async () => {
    const response = await send(`${authorizerBase}/partner`, { headers: [['Authorization', KEY.partner]] });
    expect(response.status).toBe(200);
    const event = invoker.lastEvent('fn') as { requestContext: { identity: Record<string, unknown> } };
    expect(event.requestContext.identity).toMatchObject({ apiKey: KEY.partner, apiKeyId: 'k-partner' });
    // x-api-key plays no part; an authorizer that returns no key → 403.
    expectForbidden(
      await send(`${authorizerBase}/partner`, {
        headers: [
          ['Authorization', 'none'],
          ['x-api-key', KEY.partner],
        ],
      }),
    );
    // The authorizer runs first: no token → 401, not 403.
    expect((await send(`${authorizerBase}/partner`)).status).toBe(401);
  });
});

describe('usage plan throttling and quotas (Appendix A.3)', () => {
  it('throttles per key with the plan limits: a burst of 5 at rate 1 / burst 1 → 429 Too Many Requests', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await withKey('/keyed', KEY.throttled);
      statuses.push(response.status);
      if (response.status === 429) {
        expect(response.text).toBe('{"message":"Too Many Requests"}');
        expect(response.headers['x-amzn-errortype']).toBe('TooManyRequestsException');
      }
    }
    expect(statuses).toEqual([200, 429, 429, 429, 429]);
    expect(invoker.callsTo('fn')).toHaveLength(1);
    clock.advance(1_000);
    expect((await withKey('/keyed', KEY.throttled)).status).toBe(200);
  });

  it('answers the request after the quota with 429 Limit Exceeded, and admits again the next UTC day', async () => {
    clock.set(Date.UTC(2026, 0, 5, 12, 0, 0));
    for (let i = 0; i < 3; i++) expect((await withKey('/keyed', KEY.quota)).status).toBe(200);
    const over = await withKey('/keyed', KEY.quota);
    expect(over.status).toBe(429);
    expect(over.text).toBe('{"message":"Limit Exceeded"}');
    expect(over.headers['x-amzn-errortype']).toBe('LimitExceededException');
    clock.set(Date.UTC(2026, 0, 5, 23, 59, 59));
    expect((await withKey('/keyed', KEY.quota)).status).toBe(429);
    clock.set(Date.UTC(2026, 0, 6, 0, 0, 0));
    expect((await withKey('/keyed', KEY.quota)).status).toBe(200);
  });

  it('subtracts the offset from the limit in the initial period only', async () => {
    clock.set(Date.UTC(2026, 0, 1, 18, 0, 0)); // the day the gateway started
    expect((await withKey('/keyed', KEY.offset)).status).toBe(200);
    expect((await withKey('/keyed', KEY.offset)).status).toBe(429);
    clock.set(Date.UTC(2026, 0, 2, 9, 0, 0));
    for (let i = 0; i < 3; i++) expect((await withKey('/keyed', KEY.offset)).status).toBe(200);
    expect((await withKey('/keyed', KEY.offset)).status).toBe(429);
  });

  it("applies a plan's per-method throttle to that method only", async () => {
    expect((await withKey('/limited', KEY.method)).status).toBe(200);
    expect((await withKey('/limited', KEY.method)).status).toBe(429);
    for (let i = 0; i < 3; i++) expect((await withKey('/keyed', KEY.method)).status).toBe(200);
  });

  it('computes UTC calendar periods (DAY from midnight, WEEK from Monday, MONTH from the 1st)', () => {
    const wednesday = Date.UTC(2026, 2, 18, 15, 30);
    expect(periodStart('DAY', wednesday)).toBe(Date.UTC(2026, 2, 18));
    expect(periodStart('WEEK', wednesday)).toBe(Date.UTC(2026, 2, 16));
    expect(periodStart('WEEK', Date.UTC(2026, 2, 22, 23))).toBe(Date.UTC(2026, 2, 16)); // Sunday
    expect(periodStart('MONTH', wednesday)).toBe(Date.UTC(2026, 2, 1));
  });
});

describe('stage and method throttling', () => {
  it('throttles a method by its method settings (rate 1, burst 2)', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await send(`${base}/throttled`)).status);
    expect(statuses).toEqual([200, 200, 429]);
    clock.advance(1_000);
    expect((await send(`${base}/throttled`)).status).toBe(200);
  });

  it("applies the stage's default throttle to each method separately", async () => {
    const dev = `${gateway.endpoint(API_ID).url}/dev`;
    expect((await send(`${dev}/free`)).status).toBe(200);
    const throttled = await send(`${dev}/free`);
    expect(throttled.status).toBe(429);
    expect(throttled.text).toBe('{"message":"Too Many Requests"}');
    expect((await send(`${dev}/throttled`)).status).toBe(200);
  });
});

describe('usage plan configuration', () => {
  const start = (extra: Partial<RestApiConfig>) =>
    startRestApiGateway({
      invoker,
      apis: [restApi({ resources: [resource('/a', method('GET', 'fn'))], ...extra })],
    });

  it('rejects invalid keys and plans', async () => {
    const plan = { id: 'p', apiStages: [{ apiId: API_ID, stage: 'prod' }] };
    await expect(
      start({ usagePlans: [plan], apiKeys: [{ id: 'k', value: 'short', planIds: ['p'] }] }),
    ).rejects.toThrow(/20 to 128 characters/);
    await expect(
      start({ usagePlans: [plan], apiKeys: [{ id: 'k', value: KEY.plain, planIds: ['nope'] }] }),
    ).rejects.toThrow(/unknown usage plan nope/);
    await expect(
      start({
        usagePlans: [plan, { ...plan, id: 'q' }],
        apiKeys: [{ id: 'k', value: KEY.plain, planIds: ['p', 'q'] }],
      }),
    ).rejects.toThrow(/one plan per stage/);
    await expect(
      start({ usagePlans: [{ id: 'p', apiStages: [{ apiId: API_ID, stage: 'nostage' }] }] }),
    ).rejects.toThrow(/has no stage nostage/);
    await expect(
      start({ usagePlans: [{ ...plan, quota: { limit: 1, period: 'YEAR' as 'DAY' } }] }),
    ).rejects.toThrow(/quota period/);
  });
});
