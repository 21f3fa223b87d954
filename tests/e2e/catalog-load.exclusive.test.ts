/**
 * Load at ten times the limits for 20 s: reads with the pro key at ≥ 10× the pro plan's rate (20 req/s)
 * and creates with a machine token at ≥ 10× the write throttle (10 req/s), at the same time. Every answer
 * must be a success or a 429 — no 5xx, no dropped connection — and afterwards every acknowledged create
 * (201) must be in the table, read back through the API, and no refused one (429 wrote nothing). Creates
 * still in flight when the load stopped have no answer; they may be either.
 *
 * Exclusive: it empties the pro key's bucket and the stage's write throttle for everyone.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { CatalogClient, newProductInput, uniqueCategory } from '../support/catalog-client';
import { apiKeyValue, catalogApiUrl } from '../support/catalog-target';
import { machineToken } from '../support/cognito';
import { type LoadAnswer, runLoad, tally } from '../support/load';

const target = inject('target');
const apiUrl = catalogApiUrl(target);

const SECONDS = 20;
const PRO_RATE = 20;
const WRITE_THROTTLE_RATE = 10;
// 12×, not 10×: autocannon's rate is a ceiling; on a busy machine it may fall a little short of it.
const READ_RATE = 12 * PRO_RATE;
const WRITE_RATE = 12 * WRITE_THROTTLE_RATE;
/** 429 texts: the throttles, and the pro quota (10 000 a day) should a deployed stage's day be spent. */
const THROTTLE_MESSAGES = ['Too Many Requests', 'Limit Exceeded'];

let proKey: string;
let token: string;
let reader: CatalogClient;
let readId: string;

beforeAll(async () => {
  proKey = apiKeyValue(target, 'pro');
  token = await machineToken(target, ['catalog/write']);
  reader = new CatalogClient(apiUrl, { apiKey: proKey });
  const created = await reader.as({ token }).create(newProductInput(uniqueCategory()));
  expect(created.status).toBe(201);
  readId = created.body.id;
});

/** Every product of a category (SKUs), page by page (100 at a time), waiting out the pro key's throttle. */
async function listAll(category: string): Promise<string[]> {
  const skus: string[] = [];
  let cursor: string | null = null;
  do {
    const answer = await reader.list({ category, limit: 100, ...(cursor ? { cursor } : {}) });
    if (answer.status === 429) {
      await sleep(500);
      continue;
    }
    expect(answer.status).toBe(200);
    skus.push(...answer.body.items.map((p) => p.sku));
    cursor = answer.body.nextCursor;
  } while (cursor !== null);
  return skus;
}

const json = (answer: LoadAnswer): unknown => JSON.parse(answer.body);

describe('the catalog under load', () => {
  it(`answers ${READ_RATE} reads/s and ${WRITE_RATE} creates/s for ${SECONDS} s with only 200/201/429, and keeps every acknowledged create`, async () => {
    const category = uniqueCategory();
    const [reads, writes] = await runLoad(
      [
        {
          name: 'reads',
          url: new URL(`products/${readId}`, apiUrl).toString(),
          ratePerSecond: READ_RATE,
          connections: 100,
          method: 'GET',
          headers: { 'x-api-key': proKey },
        },
        {
          name: 'creates',
          url: new URL('products', apiUrl).toString(),
          ratePerSecond: WRITE_RATE,
          connections: 60,
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: () => JSON.stringify(newProductInput(category)),
        },
      ],
      SECONDS,
    );
    if (reads === undefined || writes === undefined) throw new Error('runLoad lost a stream');

    const readStatuses = tally(reads.answers.map((a) => a.status));
    const writeStatuses = tally(writes.answers.map((a) => a.status));
    console.log(
      `load: reads ${reads.achievedRate.toFixed(0)}/s ${JSON.stringify(readStatuses)}, ` +
        `creates ${writes.achievedRate.toFixed(0)}/s ${JSON.stringify(writeStatuses)}, ` +
        `connection errors ${reads.errors + writes.errors}, timeouts ${reads.timeouts + writes.timeouts}`,
    );

    expect({ errors: reads.errors + writes.errors, timeouts: reads.timeouts + writes.timeouts }).toEqual({
      errors: 0,
      timeouts: 0,
    });
    expect(reads.achievedRate).toBeGreaterThanOrEqual(10 * PRO_RATE);
    expect(writes.achievedRate).toBeGreaterThanOrEqual(10 * WRITE_THROTTLE_RATE);
    expect(Object.keys(readStatuses).sort()).toEqual(['200', '429']);
    expect(Object.keys(writeStatuses).sort()).toEqual(['201', '429']);
    for (const answer of [...reads.answers, ...writes.answers].filter((a) => a.status === 429)) {
      expect(THROTTLE_MESSAGES).toContain((json(answer) as { message: string }).message);
    }

    // The index behind the listing is eventually consistent on AWS: give it a moment (and the bucket a refill).
    await sleep(2_000);
    const skuOf = (request: string | undefined) => (JSON.parse(request ?? '{}') as { sku?: string }).sku;
    const acknowledged = writes.answers.filter((a) => a.status === 201).map((a) => skuOf(a.request));
    const refused = new Set(writes.answers.filter((a) => a.status === 429).map((a) => skuOf(a.request)));
    const inFlightAtTheEnd = new Set(writes.unanswered.map(skuOf));
    expect(inFlightAtTheEnd.size).toBeLessThanOrEqual(60);
    const stored = await listAll(category);
    // Every acknowledged create is stored; nothing refused is; the rest were unanswered when the run ended.
    expect(stored).toEqual(expect.arrayContaining(acknowledged));
    expect(stored.filter((sku) => refused.has(sku))).toEqual([]);
    expect(stored.filter((sku) => !acknowledged.includes(sku) && !inFlightAtTheEnd.has(sku))).toEqual([]);
  }, 60_000);
});
