import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/clock.js';
import { type RestApiGateway, startRestApiGateway } from '../../../src/gateway/rest-api/index.js';
import { API_ID, FakeInvoker, failed, lambda, method, ok, resource, restApi, send } from './helpers.js';

const clock = new ManualClock();
let counter = 0;
const invoker = new FakeInvoker()
  .on('fn', () => ok({ statusCode: 200, headers: { 'x-backend': 'yes' }, body: `n${++counter}` }))
  .on('missing', () => ok({ statusCode: 404, body: `gone${++counter}` }))
  .on('big', () => ok({ statusCode: 200, body: 'x'.repeat(1_048_577) }))
  .on('broken', () => failed('error', 'Error', 'boom'))
  .on('auth', (event) =>
    event.authorizationToken === 'yes'
      ? ok({
          principalId: 'u',
          policyDocument: { Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: '*' }] },
        })
      : ok({
          principalId: 'u',
          policyDocument: { Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: '*' }] },
        }),
  );
let gateway: RestApiGateway;
let base: string;

const get = (fn: string, cacheKeyParameters: string[] = []) => ({
  httpMethod: 'GET',
  integration: lambda(fn, { cacheKeyParameters }),
});

beforeAll(async () => {
  const cached = { cachingEnabled: true };
  gateway = await startRestApiGateway({
    invoker,
    clock,
    apis: [
      restApi({
        resources: [
          resource('/products', get('fn', ['method.request.querystring.category']), method('POST', 'fn')),
          resource('/products/{id}', get('fn', ['method.request.path.id', 'method.request.header.X-Tenant'])),
          resource('/proxy/{proxy+}', get('fn')),
          resource('/ttl0', get('fn')),
          resource('/open', get('fn')),
          resource('/strict', get('fn')),
          resource('/warn', get('fn')),
          resource('/silent', get('fn')),
          resource('/posts', method('POST', 'fn')),
          resource('/missing', get('missing')),
          resource('/big', get('big')),
          resource('/broken', get('broken')),
          resource('/guarded', {
            ...get('fn'),
            authorizationType: 'CUSTOM',
            authorizerId: 'auth',
          }),
        ],
        authorizers: [
          {
            id: 'auth',
            type: 'TOKEN',
            functionName: 'auth',
            identitySource: 'method.request.header.Authorization',
            resultTtlSeconds: 0,
          },
        ],
        stages: [
          {
            name: 'prod',
            cacheClusterEnabled: true,
            cacheClusterSize: '0.5',
            methodSettings: {
              '*/*': { cachingEnabled: true, cacheTtlSeconds: 300 },
              '/ttl0/GET': { cacheTtlSeconds: 0 },
              '/open/GET': { requireAuthorizationForCacheControl: false },
              '/strict/GET': { unauthorizedCacheControlHeaderStrategy: 'FAIL_WITH_403' },
              '/silent/GET': { unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITHOUT_RESPONSE_HEADER' },
              '/posts/POST': cached,
            },
          },
          { name: 'nocache', methodSettings: { '*/*': { cachingEnabled: true } } },
        ],
      }),
    ],
  });
  base = `${gateway.endpoint(API_ID).url}/prod`;
});
afterAll(() => gateway.close());
beforeEach(() => {
  invoker.reset();
  gateway.flushStageCache(API_ID, 'prod');
});

const body = async (path: string, headers: Array<[string, string]> = [], methodName = 'GET') =>
  (await send(`${base}${path}`, { method: methodName, headers })).text;

describe('response cache (Appendix A.4)', () => {
  it('serves the second GET from the cache without invoking the backend', async () => {
    const before = gateway.cacheStats(API_ID, 'prod');
    const first = await send(`${base}/products`);
    const second = await send(`${base}/products`);
    expect(second.text).toBe(first.text);
    expect(second.status).toBe(200);
    expect(second.headers['x-backend']).toBe('yes');
    expect(invoker.callsTo('fn')).toHaveLength(1);
    const after = gateway.cacheStats(API_ID, 'prod');
    expect(after.hits - before.hits).toBe(1);
    expect(after.misses - before.misses).toBe(1);
    // No cache header of API Gateway's own; each response has its own request id.
    expect(second.headers).not.toHaveProperty('x-cache');
    expect(second.headers['x-amzn-requestid']).not.toBe(first.headers['x-amzn-requestid']);
  });

  it('does not cache POST when caching comes from */*, but does with a method setting of its own', async () => {
    expect(await body('/products', [], 'POST')).not.toBe(await body('/products', [], 'POST'));
    expect(await body('/posts', [], 'POST')).toBe(await body('/posts', [], 'POST'));
  });

  it('keys by declared parameters only', async () => {
    const a = await body('/products?category=books&department=A');
    expect(await body('/products?category=books&department=B')).toBe(a);
    expect(await body('/products?category=games&department=A')).not.toBe(a);
    expect(await body('/products')).not.toBe(a);
    const one = await body('/products/1', [['X-Tenant', 't1']]);
    expect(await body('/products/1', [['x-tenant', 't1']])).toBe(one);
    expect(await body('/products/2', [['X-Tenant', 't1']])).not.toBe(one);
    expect(await body('/products/1', [['X-Tenant', 't2']])).not.toBe(one);
  });

  it('shares one entry across all proxied paths when no key parameter is declared', async () => {
    expect(await body('/proxy/a/b')).toBe(await body('/proxy/c'));
  });

  it('expires entries after the TTL and does not cache with TTL 0', async () => {
    const first = await body('/products');
    clock.advance(299_999);
    expect(await body('/products')).toBe(first);
    clock.advance(1);
    expect(await body('/products')).not.toBe(first);
    expect(await body('/ttl0')).not.toBe(await body('/ttl0'));
  });

  it('caches non-200 integration responses, but neither failures nor bodies over 1 MB', async () => {
    const missing = await send(`${base}/missing`);
    expect(missing.status).toBe(404);
    expect((await send(`${base}/missing`)).text).toBe(missing.text);
    await send(`${base}/big`);
    await send(`${base}/big`);
    expect(invoker.callsTo('big')).toHaveLength(2);
    await send(`${base}/broken`);
    expect((await send(`${base}/broken`)).status).toBe(502);
    expect(invoker.callsTo('broken')).toHaveLength(2);
  });

  it('does not cache on a stage without a cache cluster', async () => {
    const nocache = `${gateway.endpoint(API_ID).url}/nocache/products`;
    expect((await send(nocache)).text).not.toBe((await send(nocache)).text);
  });

  it('still runs the authorizer on a cache hit', async () => {
    const first = await body('/guarded', [['Authorization', 'yes']]);
    expect(await body('/guarded', [['Authorization', 'yes']])).toBe(first);
    expect(invoker.callsTo('auth')).toHaveLength(2);
    const denied = await send(`${base}/guarded`, { headers: [['Authorization', 'no']] });
    expect(denied.status).toBe(403);
  });
});

describe('Cache-Control: max-age=0', () => {
  const maxAge0: [string, string] = ['Cache-Control', 'max-age=0'];

  it('refreshes the entry when no authorization is required', async () => {
    const first = await body('/open');
    const refreshed = await body('/open', [maxAge0]);
    expect(refreshed).not.toBe(first);
    expect(await body('/open')).toBe(refreshed);
  });

  it('FAIL_WITH_403: answers 403 without invoking', async () => {
    await body('/strict');
    const response = await send(`${base}/strict`, { headers: [maxAge0] });
    expect(response.status).toBe(403);
    expect(response.text).toBe('{"message":"Unauthorized"}');
    expect(invoker.callsTo('fn')).toHaveLength(1);
  });

  it('SUCCEED_WITH_RESPONSE_HEADER (the default): serves from the cache and adds a Warning header', async () => {
    const first = await body('/warn');
    const response = await send(`${base}/warn`, { headers: [['cache-control', 'no-cache, max-age=0']] });
    expect(response.text).toBe(first);
    expect(response.headers.warning).toMatch(/^199 /);
    expect(invoker.callsTo('fn')).toHaveLength(1);
  });

  it('SUCCEED_WITHOUT_RESPONSE_HEADER: serves from the cache silently', async () => {
    const first = await body('/silent');
    const response = await send(`${base}/silent`, { headers: [maxAge0] });
    expect(response.text).toBe(first);
    expect(response.headers).not.toHaveProperty('warning');
    // max-age=10 is not an invalidation request.
    expect(await body('/open', [['Cache-Control', 'max-age=10']])).toBe(await body('/open'));
  });
});

describe('FlushStageCache', () => {
  it('answers DELETE /_local/restapis/{id}/stages/{stage}/cache/data with 202, after which the next call misses', async () => {
    const first = await body('/products');
    expect(await body('/products')).toBe(first);
    const flush = await send(
      `${gateway.endpoint(API_ID).url}/_local/restapis/${API_ID}/stages/prod/cache/data`,
      {
        method: 'DELETE',
      },
    );
    expect(flush.status).toBe(202);
    expect(flush.text).toBe('');
    expect(await body('/products')).not.toBe(first);
    const stats = await send(`${gateway.url}/_local/restapis/${API_ID}/stages/prod/cache/stats`);
    expect(stats.json()).toMatchObject({ entries: 1, flushes: expect.any(Number) });
    const unknown = await send(`${gateway.url}/_local/restapis/${API_ID}/stages/nope/cache/data`, {
      method: 'DELETE',
    });
    expect(unknown.status).toBe(404);
    expect(() => gateway.flushStageCache(API_ID, 'nope')).toThrow(/no stage nope/);
  });
});
