/**
 * The pro usage-plan tier's daily quota on its key: once spent, a read gets 429 `{"message":"Limit Exceeded"}`
 * (reference/apigw-behaviour.md §2.2, Appendix A 3). The pro quota is 10 000 a DAY, too many to spend in a
 * test, so the test sets the key's remaining quota to 3 with UpdateUsage (the API Gateway control plane:
 * the local cloud's, or the real one for a deployed stage), reads 3 times, and the 4th read is refused.
 * `afterAll` gives the key the plan's whole limit back (read with GetUsagePlan).
 *
 * Exclusive: while its remaining quota is 3, every other file's pro reads would be refused (and spend it).
 * Against a deployed stage the credentials need `apigateway:GET` on the usage plan and `apigateway:PATCH`
 * on its key's usage. AWS applies quotas on a best-effort basis, so a deployed stage may let a request
 * through late (see tests/README.md).
 */
import {
  type APIGatewayClient,
  GetUsageCommand,
  GetUsagePlanCommand,
  UpdateUsageCommand,
} from '@aws-sdk/client-api-gateway';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiGatewayClient } from '../support/api-gateway';
import type { CatalogClient, GatewayMessage } from '../support/catalog-client';
import { catalogReader, catalogWriter, createdProductId } from '../support/catalog-setup';
import { output } from '../support/target';

const target = inject('target');
const PRO = { quota: 10_000, period: 'DAY' };
const LIMIT_EXCEEDED: GatewayMessage = { message: 'Limit Exceeded' };
const usagePlanId = output(target, 'rest-api', 'ProUsagePlanId');
const keyId = output(target, 'rest-api', 'ProApiKeyId');

let apigw: APIGatewayClient;
// Retries a `Too Many Requests` (earlier exclusive files drain the pro bucket), never a `Limit Exceeded`.
let pro: CatalogClient;
let productId: string;
/** The plan's quota limit, what the key gets back after the test. */
let limit: number | undefined;

const setRemaining = (remaining: number) =>
  apigw.send(
    new UpdateUsageCommand({
      usagePlanId,
      keyId,
      patchOperations: [{ op: 'replace', path: '/remaining', value: String(remaining) }],
    }),
  );

beforeAll(async () => {
  apigw = apiGatewayClient(target);
  pro = catalogReader(target, 'pro');
  productId = await createdProductId(await catalogWriter(target));
  limit = (await apigw.send(new GetUsagePlanCommand({ usagePlanId }))).quota?.limit;
});

afterAll(async () => {
  try {
    if (limit !== undefined) await setRemaining(limit);
  } finally {
    apigw?.destroy();
  }
});

describe('the pro tier’s quota', () => {
  it('is 10 000 requests a DAY (GetUsagePlan)', async () => {
    const plan = await apigw.send(new GetUsagePlanCommand({ usagePlanId }));
    expect(plan.quota).toMatchObject({ limit: PRO.quota, period: PRO.period });
  });

  it('answers 3 reads with 200 once UpdateUsage left 3 requests, and the 4th with 429 Limit Exceeded', async () => {
    const updated = await setRemaining(3);
    expect(updated.usagePlanId).toBe(usagePlanId);

    for (let i = 1; i <= 3; i++) {
      const answer = await pro.get(productId);
      expect(answer.status, `read ${i} of 3`).toBe(200);
    }
    const refused = await pro.call<GatewayMessage>('GET', `/products/${productId}`);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual(LIMIT_EXCEEDED);
    expect(refused.headers.get('x-amzn-errortype')).toBe('LimitExceededException');
  });

  // AWS reports usage with a delay; the local control plane reads the gateway's own counters.
  it.skipIf(target.kind !== 'local')('shows the key’s quota spent for today in GetUsage', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const usage = await apigw.send(
      new GetUsageCommand({ usagePlanId, keyId, startDate: today, endDate: today }),
    );
    const [[used, remaining] = []] = usage.items?.[keyId] ?? [];
    expect(remaining).toBe(0);
    expect(used).toBeGreaterThanOrEqual(3);
  });
});
