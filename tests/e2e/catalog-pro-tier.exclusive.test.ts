/**
 * The pro usage-plan tier's throttle (dev: 20 req/s, burst 40) on its key: a burst beyond the bucket gets
 * 429 Too Many Requests (reference/apigw-behaviour.md §2.1, Appendix A 3). Exclusive: every other catalog
 * read uses the pro key, and an empty bucket would throttle them too.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { CatalogClient, GatewayMessage } from '../support/catalog-client';
import { catalogReader, catalogWriter, createdProductId } from '../support/catalog-setup';

const target = inject('target');
const PRO = { rateLimit: 20, burstLimit: 40 };

let pro: CatalogClient;
let productId: string;

beforeAll(async () => {
  pro = catalogReader(target, 'pro', { retryThrottled: false });
  productId = await createdProductId(await catalogWriter(target));
});

describe('the pro tier', () => {
  it('throttles a burst beyond the bucket with 429 Too Many Requests', async () => {
    // 60 requests at once: 40 tokens in the bucket, and at 20 req/s about one more per 50 ms.
    const answers = await Promise.all(Array.from({ length: PRO.burstLimit + 20 }, () => pro.get(productId)));
    const served = answers.filter((a) => a.status === 200);
    const throttled = answers.filter((a) => a.status === 429);
    expect(served.length + throttled.length).toBe(answers.length);
    expect(served.length).toBeGreaterThanOrEqual(1);
    expect(throttled.length).toBeGreaterThanOrEqual(1);
    for (const answer of throttled)
      expect(answer.body).toEqual<GatewayMessage>({ message: 'Too Many Requests' });
  });
});
