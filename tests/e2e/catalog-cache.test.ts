/**
 * The stage's response cache on the catalog reads (dev: product 60 s, list 10 s), per
 * reference/apigw-behaviour.md §1 and the stack's documented choices (apps/rest-api README, "Caching"):
 *
 * - a hit does not reach the function: a product changed behind the cache is still served in its old
 *   version (behaviour, any target) and, locally, the access log shows `cacheStatus: hit` with no
 *   integration and the stage's hit counter goes up;
 * - only declared cache-key parameters vary the entry (`category`, `limit`, `cursor`; `id`; `Origin` in
 *   dev); an undeclared query parameter shares it;
 * - an unauthorised `Cache-Control: max-age=0` is ignored with a warning header (SUCCEED_WITH_RESPONSE_HEADER);
 * - a stage flush empties the cache: the next read is a miss.
 *
 * The tests of this file run in order and share the cache; every test uses categories and products of its
 * own, so other files' traffic can only add to the counters, never change these answers.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { accessLogLine } from '../support/access-log';
import { type Answer, type CatalogClient, newProductInput, uniqueCategory } from '../support/catalog-client';
import { catalogReader, catalogWriter } from '../support/catalog-setup';
import { localStageCache } from '../support/catalog-target';

const target = inject('target');
const cache = localStageCache(target);

let writer: CatalogClient;
let reader: CatalogClient;

beforeAll(async () => {
  writer = await catalogWriter(target);
  reader = catalogReader(target, 'pro');
});

async function newProduct(category = uniqueCategory(), overrides: Record<string, unknown> = {}) {
  const created = await writer.create(newProductInput(category, overrides));
  expect(created.status).toBe(201);
  return created.body;
}

/** Locally, what the access log says about the request: answered from the cache, or by the function. */
async function expectServedBy(answer: Answer, by: 'cache' | 'function') {
  if (!target.local) return;
  const line = await accessLogLine(target, answer.requestId);
  if (by === 'cache') {
    expect(line.cacheStatus).toBe('hit');
    expect(line.integrationLatency).toBe('-');
    expect(line.integrationStatus).toBe('-');
  } else {
    expect(line.cacheStatus).toBe('miss');
    expect(line.integrationStatus).toBe(String(answer.status));
  }
}

describe('GET /products/{id} from the cache', () => {
  it('answers a hit without invoking the function: a change behind the cache stays unseen', async () => {
    const product = await newProduct();
    const hitsBefore = (await cache?.stats())?.hits;

    const first = await reader.get(product.id);
    expect(first.status).toBe(200);
    expect(first.body).toEqual(product);
    await expectServedBy(first, 'function');

    const second = await reader.get(product.id);
    expect(second.body).toEqual(product);
    await expectServedBy(second, 'cache');
    if (cache && hitsBefore !== undefined) expect((await cache.stats()).hits).toBeGreaterThan(hitsBefore);

    const updated = await writer.update(product.id, { priceCents: 2999 }, '"1"');
    expect(updated.status).toBe(200);
    expect(updated.body.version).toBe(2);

    // Within the 60 s TTL the function would answer version 2; the cache still has version 1.
    const third = await reader.get(product.id);
    expect(third.status).toBe(200);
    expect(third.body).toMatchObject({ version: 1, priceCents: 1999 });
    expect(third.headers.get('etag')).toBe('"1"');
    await expectServedBy(third, 'cache');
  });

  it('shares the entry across undeclared query parameters and keys it by the declared path id', async () => {
    const [a, b] = [await newProduct(), await newProduct()];
    expect((await reader.get(a.id)).status).toBe(200);
    await writer.update(a.id, { name: 'Renamed behind the cache' }, '*');

    const undeclared = await reader.get(a.id, { query: '?utm_source=newsletter&v=2' });
    expect(undeclared.body).toMatchObject({ id: a.id, version: 1 });
    await expectServedBy(undeclared, 'cache');

    // method.request.path.id is declared: another id is another entry, never a's answer.
    const other = await reader.get(b.id);
    expect(other.body).toEqual(b);
    await expectServedBy(other, 'function');
  });

  it('keys dev answers by Origin: each allowed site gets its own Access-Control-Allow-Origin', async () => {
    const product = await newProduct();
    const fromWebApp = await reader.get(product.id, { headers: { origin: 'http://localhost:5173' } });
    expect(fromWebApp.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const fromOther = await reader.get(product.id, { headers: { origin: 'http://localhost:3000' } });
    expect(fromOther.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    await expectServedBy(fromOther, 'function');
  });

  it('ignores an unauthorised Cache-Control: max-age=0 and says so in a warning header', async () => {
    const product = await newProduct();
    expect((await reader.get(product.id)).status).toBe(200);
    await writer.update(product.id, { priceCents: 4999 }, '"1"');

    // Only an IAM principal with execute-api:InvalidateCache may refresh an entry; an API key is not one.
    const refresh = await reader.get(product.id, { headers: { 'cache-control': 'max-age=0' } });
    expect(refresh.status).toBe(200);
    expect(refresh.body).toMatchObject({ version: 1, priceCents: 1999 });
    expect(refresh.headers.get('warning')).toMatch(/\S/);
    await expectServedBy(refresh, 'cache');
  });
});

describe('GET /products from the cache', () => {
  it('varies entries by category, limit and cursor, and not by an undeclared parameter', async () => {
    const category = uniqueCategory();
    // Names decide the order (by name); the product added later sorts first, so it changes page one.
    await newProduct(category, { name: 'Beta' });
    await newProduct(category, { name: 'Gamma' });
    const page = await reader.list({ category, limit: 2 });
    expect(page.status).toBe(200);
    expect(page.body.items.map((p) => p.name)).toEqual(['Beta', 'Gamma']);
    expect(page.body.nextCursor).toBeNull();
    await expectServedBy(page, 'function');

    await newProduct(category, { name: 'Alpha' });

    // Same declared values, plus an undeclared one: the cached page, without Alpha.
    const undeclared = await reader.list({ category, limit: 2, utm_source: 'newsletter' });
    expect(undeclared.body).toEqual(page.body);
    await expectServedBy(undeclared, 'cache');

    // Another limit is another entry: the function answers, and sees Alpha.
    const wider = await reader.list({ category, limit: 3 });
    expect(wider.body.items.map((p) => p.name)).toEqual(['Alpha', 'Beta', 'Gamma']);
    await expectServedBy(wider, 'function');

    // Another cursor is another entry: page two of limit 1 is not page one.
    const first = await reader.list({ category, limit: 1 });
    expect(first.body.items.map((p) => p.name)).toEqual(['Alpha']);
    const cursor = first.body.nextCursor;
    expect(cursor).toEqual(expect.any(String));
    const second = await reader.list({ category, limit: 1, cursor: cursor ?? '' });
    expect(second.body.items.map((p) => p.name)).toEqual(['Beta']);
    await expectServedBy(second, 'function');

    // Another category is another entry.
    const elsewhere = await reader.list({ category: uniqueCategory(), limit: 2 });
    expect(elsewhere.body.items).toEqual([]);
    await expectServedBy(elsewhere, 'function');
  });
});

describe('flushing the stage cache', () => {
  // FlushStageCache needs apigateway:DELETE on the stage (an operator's call, not the suite's); the
  // local cloud offers it as an admin URL. Against a deployed stage this is reported as skipped.
  it.skipIf(cache === undefined)('answers 202 to a flush, and the next read is a miss', async () => {
    const product = await newProduct();
    expect((await reader.get(product.id)).status).toBe(200);
    await writer.update(product.id, { priceCents: 5999 }, '"1"');
    expect((await reader.get(product.id)).body.version).toBe(1);

    const flushesBefore = (await cache?.stats())?.flushes ?? 0;
    expect(await cache?.flush()).toBe(202);
    expect((await cache?.stats())?.flushes).toBe(flushesBefore + 1);

    const afterFlush = await reader.get(product.id);
    expect(afterFlush.body).toMatchObject({ version: 2, priceCents: 5999 });
    await expectServedBy(afterFlush, 'function');
  });
});
