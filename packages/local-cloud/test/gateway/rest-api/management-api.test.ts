/**
 * The local API Gateway control plane (management-api.ts) through the unmodified AWS SDK client:
 * GetUsage, UpdateUsage, FlushStageCache and GetApiKey, with the control plane's errors raised as the SDK's
 * own exception classes.
 */
import {
  APIGatewayClient,
  BadRequestException,
  FlushStageCacheCommand,
  GetApiKeyCommand,
  GetRestApisCommand,
  GetUsageCommand,
  GetUsagePlanCommand,
  NotFoundException,
  UpdateUsageCommand,
} from '@aws-sdk/client-api-gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/clock.js';
import {
  type ManagementApi,
  type RestApiGateway,
  startManagementApi,
  startRestApiGateway,
} from '../../../src/gateway/rest-api/index.js';
import { API_ID, FakeInvoker, method, ok, resource, restApi, send } from './helpers.js';

const START = Date.UTC(2026, 2, 16, 9, 0, 0); // a Monday
const clock = new ManualClock(START);
const invoker = new FakeInvoker().on('fn', () => ok({ statusCode: 200, body: 'ok' }));

const KEY = {
  daily: 'dailykey0123456789abcdef',
  other: 'otherkey0123456789abcdef',
  weekly: 'weeklykey0123456789abcde',
  open: 'openkey0123456789abcdefg',
};

let gateway: RestApiGateway;
let management: ManagementApi;
let client: APIGatewayClient;

beforeAll(async () => {
  gateway = await startRestApiGateway({
    invoker,
    clock,
    apis: [
      restApi({
        resources: [resource('/keyed', method('GET', 'fn', { apiKeyRequired: true }))],
        stages: [
          { name: 'prod', cacheClusterEnabled: true, methodSettings: { '*/*': { cachingEnabled: false } } },
          { name: 'beta' },
          { name: 'dev' },
        ],
        usagePlans: [
          { id: 'daily', apiStages: [{ apiId: API_ID, stage: 'prod' }], quota: { limit: 3, period: 'DAY' } },
          {
            id: 'weekly',
            apiStages: [{ apiId: API_ID, stage: 'beta' }],
            quota: { limit: 5, period: 'WEEK' },
          },
          {
            id: 'open',
            name: 'open plan',
            apiStages: [
              { apiId: API_ID, stage: 'dev', throttle: { '/keyed/GET': { rateLimit: 1, burstLimit: 2 } } },
            ],
            throttle: { rateLimit: 10, burstLimit: 20 },
          },
        ],
        apiKeys: [
          {
            id: 'k-daily',
            name: 'daily consumer',
            value: KEY.daily,
            planIds: ['daily'],
            stageKeys: [`${API_ID}/prod`],
          },
          { id: 'k-other', value: KEY.other, enabled: false, planIds: ['daily'] },
          { id: 'k-weekly', value: KEY.weekly, planIds: ['weekly'] },
          { id: 'k-open', value: KEY.open, planIds: ['open'] },
        ],
      }),
    ],
  });
  management = await startManagementApi({ gateway, clock });
  client = new APIGatewayClient({
    region: 'eu-west-1',
    endpoint: management.url,
    // Signatures are not checked, but the SDK signs every call.
    credentials: { accessKeyId: 'LOCALCLOUD', secretAccessKey: 'localcloudsecret' },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  client.destroy();
  await management.close();
  await gateway.close();
});

const read = async (stage: string, key: string) =>
  (await send(`${gateway.endpoint(API_ID).url}/${stage}/keyed`, { headers: [['x-api-key', key]] })).status;

const day = (offset: number) => new Date(START + offset * 86_400_000).toISOString().slice(0, 10);

/** The error the SDK raised for `promise`. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('GetUsage', () => {
  it('reports [used, remaining] per key of the plan and per UTC day; a day without requests has the whole quota', async () => {
    clock.set(START);
    expect(await read('prod', KEY.daily)).toBe(200);
    expect(await read('prod', KEY.daily)).toBe(200);
    clock.set(START + 86_400_000);
    expect(await read('prod', KEY.daily)).toBe(200);

    const usage = await client.send(
      new GetUsageCommand({ usagePlanId: 'daily', startDate: day(-1), endDate: day(1) }),
    );
    expect(usage.usagePlanId).toBe('daily');
    expect(usage.startDate).toBe(day(-1));
    expect(usage.endDate).toBe(day(1));
    expect(usage.items).toEqual({
      'k-daily': [
        [0, 3],
        [2, 1],
        [1, 2],
      ],
      'k-other': [
        [0, 3],
        [0, 3],
        [0, 3],
      ],
    });

    const one = await client.send(
      new GetUsageCommand({ usagePlanId: 'daily', keyId: 'k-daily', startDate: day(0), endDate: day(0) }),
    );
    expect(one.items).toEqual({ 'k-daily': [[2, 1]] });
  });

  it('carries the remaining quota over the days of a WEEK period, and stops at today', async () => {
    clock.set(START); // Monday
    expect(await read('beta', KEY.weekly)).toBe(200);
    clock.set(START + 2 * 86_400_000); // Wednesday
    expect(await read('beta', KEY.weekly)).toBe(200);
    expect(await read('beta', KEY.weekly)).toBe(200);

    const usage = await client.send(
      new GetUsageCommand({ usagePlanId: 'weekly', startDate: day(0), endDate: day(6) }),
    );
    expect(usage.endDate).toBe(day(6));
    expect(usage.items).toEqual({
      'k-weekly': [
        [1, 4],
        [0, 4],
        [2, 2],
      ],
    });
  });

  it('raises NotFoundException for an unknown plan and BadRequestException for a bad date', async () => {
    const unknown = await failure(
      client.send(new GetUsageCommand({ usagePlanId: 'nope', startDate: day(0), endDate: day(0) })),
    );
    expect(unknown).toBeInstanceOf(NotFoundException);
    expect(unknown.message).toBe('Invalid Usage Plan ID specified');

    for (const [startDate, endDate] of [
      ['2026-13-01', day(0)],
      [day(1), day(0)],
    ]) {
      const bad = await failure(
        client.send(new GetUsageCommand({ usagePlanId: 'daily', startDate, endDate })),
      );
      expect(bad).toBeInstanceOf(BadRequestException);
    }
  });
});

describe('UpdateUsage', () => {
  const setRemaining = (usagePlanId: string, keyId: string, value: string) =>
    client.send(
      new UpdateUsageCommand({
        usagePlanId,
        keyId,
        patchOperations: [{ op: 'replace', path: '/remaining', value }],
      }),
    );

  it('sets the remaining quota of the current period; the gateway admits that many, then 429 Limit Exceeded, and the next period starts whole', async () => {
    clock.set(START + 5 * 86_400_000 + 3_600_000);
    expect(await read('prod', KEY.daily)).toBe(200);

    const usage = await setRemaining('daily', 'k-daily', '2');
    expect(usage).toMatchObject({
      usagePlanId: 'daily',
      startDate: day(5),
      endDate: day(5),
      items: { 'k-daily': [[1, 2]] },
    });
    expect(await read('prod', KEY.daily)).toBe(200);
    expect(await read('prod', KEY.daily)).toBe(200);
    const over = await send(`${gateway.endpoint(API_ID).url}/prod/keyed`, {
      headers: [['x-api-key', KEY.daily]],
    });
    expect(over.status).toBe(429);
    expect(over.text).toBe('{"message":"Limit Exceeded"}');

    // More than the plan's limit: a temporary extension.
    await setRemaining('daily', 'k-daily', '5');
    for (let i = 0; i < 5; i++) expect(await read('prod', KEY.daily)).toBe(200);
    expect(await read('prod', KEY.daily)).toBe(429);
    const today = await client.send(
      new GetUsageCommand({ usagePlanId: 'daily', keyId: 'k-daily', startDate: day(5), endDate: day(5) }),
    );
    expect(today.items).toEqual({ 'k-daily': [[8, 0]] });

    clock.set(START + 6 * 86_400_000);
    for (let i = 0; i < 3; i++) expect(await read('prod', KEY.daily)).toBe(200);
    expect(await read('prod', KEY.daily)).toBe(429);
  });

  it('raises NotFoundException for an unknown plan, an unknown key and a key of another plan', async () => {
    for (const [planId, keyId, message] of [
      ['nope', 'k-daily', 'Invalid Usage Plan ID specified'],
      ['daily', 'nope', 'Invalid API Key identifier specified'],
      ['daily', 'k-weekly', 'Invalid Usage Plan Key identifier specified'],
    ] as const) {
      const error = await failure(setRemaining(planId, keyId, '1'));
      expect(error).toBeInstanceOf(NotFoundException);
      expect(error.message).toBe(message);
    }
  });

  it('raises BadRequestException for another operation, a value that is not a count, and a plan without a quota', async () => {
    const other = await failure(
      client.send(
        new UpdateUsageCommand({
          usagePlanId: 'daily',
          keyId: 'k-daily',
          patchOperations: [{ op: 'replace', path: '/quota/limit', value: '1' }],
        }),
      ),
    );
    expect(other).toBeInstanceOf(BadRequestException);
    expect(other.message).toContain('/quota/limit');
    expect(await failure(setRemaining('daily', 'k-daily', '-1'))).toBeInstanceOf(BadRequestException);
    expect(await failure(setRemaining('daily', 'k-daily', 'many'))).toBeInstanceOf(BadRequestException);
    const open = await failure(setRemaining('open', 'k-open', '1'));
    expect(open).toBeInstanceOf(BadRequestException);
    expect(open.message).toBe('Usage plan open has no quota');
  });
});

describe('FlushStageCache', () => {
  it("answers 202 and flushes the stage's cache", async () => {
    const before = gateway.cacheStats(API_ID, 'prod').flushes;
    const answer = await client.send(new FlushStageCacheCommand({ restApiId: API_ID, stageName: 'prod' }));
    expect(answer.$metadata.httpStatusCode).toBe(202);
    expect(gateway.cacheStats(API_ID, 'prod').flushes).toBe(before + 1);
  });

  it('raises NotFoundException for an unknown API or stage', async () => {
    const api = await failure(
      client.send(new FlushStageCacheCommand({ restApiId: 'nope', stageName: 'prod' })),
    );
    expect(api).toBeInstanceOf(NotFoundException);
    expect(api.message).toBe('Invalid API identifier specified');
    const stage = await failure(
      client.send(new FlushStageCacheCommand({ restApiId: API_ID, stageName: 'nope' })),
    );
    expect(stage).toBeInstanceOf(NotFoundException);
    expect(stage.message).toBe('Invalid stage identifier specified');
  });
});

describe('GetApiKey', () => {
  it('describes a key, with its value only when includeValue is set', async () => {
    const key = await client.send(new GetApiKeyCommand({ apiKey: 'k-daily', includeValue: true }));
    expect(key).toMatchObject({
      id: 'k-daily',
      name: 'daily consumer',
      value: KEY.daily,
      enabled: true,
      stageKeys: [`${API_ID}/prod`],
    });
    expect(key.createdDate).toEqual(new Date(START));

    const hidden = await client.send(new GetApiKeyCommand({ apiKey: 'k-other' }));
    expect(hidden.value).toBeUndefined();
    expect(hidden).toMatchObject({ id: 'k-other', enabled: false, stageKeys: [] });
  });

  it('raises NotFoundException for an unknown key', async () => {
    const error = await failure(client.send(new GetApiKeyCommand({ apiKey: 'nope' })));
    expect(error).toBeInstanceOf(NotFoundException);
    expect(error.message).toBe('Invalid API Key identifier specified');
  });
});

describe('GetUsagePlan', () => {
  it("describes a plan's stages, throttle and quota", async () => {
    const plan = await client.send(new GetUsagePlanCommand({ usagePlanId: 'weekly' }));
    expect(plan).toMatchObject({
      id: 'weekly',
      apiStages: [{ apiId: API_ID, stage: 'beta' }],
      quota: { limit: 5, offset: 0, period: 'WEEK' },
    });
    expect(plan.throttle).toBeUndefined();
    expect(await client.send(new GetUsagePlanCommand({ usagePlanId: 'open' }))).toMatchObject({
      name: 'open plan',
      apiStages: [
        { apiId: API_ID, stage: 'dev', throttle: { '/keyed/GET': { rateLimit: 1, burstLimit: 2 } } },
      ],
      throttle: { rateLimit: 10, burstLimit: 20 },
    });
    const unknown = await failure(client.send(new GetUsagePlanCommand({ usagePlanId: 'nope' })));
    expect(unknown).toBeInstanceOf(NotFoundException);
  });
});

it('answers a call it does not serve with 501 NotImplementedException', async () => {
  const error = await failure(client.send(new GetRestApisCommand({})));
  expect(error.name).toBe('NotImplementedException');
  expect((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(501);
  expect(error.message).toContain('GET /restapis');
});
