/**
 * The catalog handlers end to end below the gateway: real-shaped REST (payload 1.0) proxy events (TOKEN
 * authorizer context as strings) → handler bundle entry points → DynamoDB wire protocol (dynalite). The
 * handlers find DynamoDB the way they do in the local cloud: through AWS_ENDPOINT_URL_DYNAMODB, read by
 * the SDK itself.
 */
import { randomUUID } from 'node:crypto';
import type { LambdaAuthorizerContext, RestApiEvent } from '@serverless-reference/middleware';
import {
  fakeContext,
  type RestApiEventOptions,
  restApiEvent,
} from '@serverless-reference/middleware/testing';
import { type Answer, answerOf } from '@serverless-reference/test-support/handler';
import { captureStdout } from '@serverless-reference/test-support/stdout';
import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { productIdForSku } from '../src/domain/ids';
import { createProductsTable, type LocalDynamoDB, startDynalite } from './support/dynamodb';
import { MACHINE_CLIENT_ID, machineContext, userContext } from './support/writers';

type Handler = (event: RestApiEvent, context: Context) => Promise<APIGatewayProxyResult>;
const handlers = {} as Record<'create' | 'list' | 'get' | 'update' | 'delete', Handler>;
let local: LocalDynamoDB;

const ORIGINS = ['http://localhost:5173', 'http://localhost:3000'];

beforeAll(async () => {
  local = await startDynalite();
  const env = {
    ...local.env,
    TABLE_NAME: await createProductsTable(local),
    POWERTOOLS_SERVICE_NAME: 'catalog',
    POWERTOOLS_METRICS_NAMESPACE: 'ServerlessReference/test',
    CORS_ALLOWED_ORIGINS: ORIGINS.join(','),
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  // Imported after the environment is set, as Lambda would load the bundles.
  handlers.create = (await import('../src/handlers/create-product')).handler;
  handlers.list = (await import('../src/handlers/list-products')).handler;
  handlers.get = (await import('../src/handlers/get-product')).handler;
  handlers.update = (await import('../src/handlers/update-product')).handler;
  handlers.delete = (await import('../src/handlers/delete-product')).handler;
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await local?.stop();
});

/** What the functions print (JSON logs, EMF), kept out of the test output and available to assertions. */
const stdout = captureStdout();

async function call(name: keyof typeof handlers, request: RestApiEventOptions): Promise<Answer> {
  return answerOf(
    await handlers[name](restApiEvent({ stage: 'dev', ...request }), fakeContext(`dev-rest-api-${name}`)),
  );
}

const ADMIN = userContext('0a1b2c3d-0000-4000-8000-000000000001', ['admins']);
const MACHINE = machineContext('notes/export catalog/write');
const SHOPPER = userContext('0a1b2c3d-0000-4000-8000-000000000002');

const sku = () => `SKU-${randomUUID().slice(0, 8).toUpperCase()}`;
const category = () => `cat-${randomUUID().slice(0, 8)}`;
const product = (overrides: Record<string, unknown> = {}) => ({
  sku: sku(),
  name: 'Watering can',
  category: 'garden',
  priceCents: 1999,
  currency: 'EUR',
  ...overrides,
});

const create = (
  authorizer: LambdaAuthorizerContext | undefined,
  body: unknown,
  headers?: Record<string, string>,
) =>
  call('create', {
    method: 'POST',
    resource: '/products',
    body,
    ...(authorizer ? { authorizer } : {}),
    ...(headers ? { headers } : {}),
  });
const get = (id: string, headers?: Record<string, string>) =>
  call('get', { resource: '/products/{id}', pathParameters: { id }, ...(headers ? { headers } : {}) });
const list = (query: Record<string, string>) => call('list', { resource: '/products', query });
const update = (authorizer: LambdaAuthorizerContext, id: string, body: unknown, ifMatch?: string) =>
  call('update', {
    method: 'PATCH',
    resource: '/products/{id}',
    pathParameters: { id },
    body,
    authorizer,
    ...(ifMatch === undefined ? {} : { headers: { 'If-Match': ifMatch } }),
  });
const remove = (authorizer: LambdaAuthorizerContext, id: string, ifMatch?: string) =>
  call('delete', {
    method: 'DELETE',
    resource: '/products/{id}',
    pathParameters: { id },
    authorizer,
    ...(ifMatch === undefined ? {} : { headers: { 'If-Match': ifMatch } }),
  });

async function created(overrides: Record<string, unknown> = {}) {
  const answer = await create(ADMIN, product(overrides));
  expect(answer.status).toBe(201);
  return answer.body as { id: string; sku: string; version: number; name: string };
}

describe('POST /products', () => {
  it('201 with the product, Location under the stage, ETag; server fields set by the server', async () => {
    const given = product({ description: 'ten litres', stock: 4, tags: ['outdoor'] });
    const answer = await create(ADMIN, given, { Origin: 'http://localhost:3000' });

    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({
      ...given,
      id: productIdForSku(given.sku),
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      updatedAt: answer.body.createdAt,
      version: 1,
    });
    expect(answer.headers).toMatchObject({
      'Content-Type': 'application/json',
      Location: `/dev/products/${answer.body.id}`,
      ETag: '"1"',
      'Access-Control-Allow-Origin': 'http://localhost:3000',
      'Access-Control-Expose-Headers': 'ETag, Location',
    });
    expect((await get(answer.body.id)).body).toEqual(answer.body);
  });

  it('machine token with catalog/write may write too; the audit log names the writer', async () => {
    const answer = await create(MACHINE, product());
    expect(answer.status).toBe(201);
    expect(stdout.logged('Product created').at(-1)).toMatchObject({
      productId: answer.body.id,
      writer: { sub: MACHINE_CLIENT_ID, clientId: MACHINE_CLIENT_ID, via: 'scope' },
    });
  });

  it('the same request again is answered 200 with the same product (idempotent); other values → 409', async () => {
    const given = product();
    const first = await create(ADMIN, given);
    const again = await create(MACHINE, given);
    expect(again).toMatchObject({ status: 200, headers: { Location: first.headers.Location, ETag: '"1"' } });
    expect(again.body).toEqual(first.body);

    const conflict = await create(ADMIN, { ...given, priceCents: 1 });
    expect(conflict).toMatchObject({
      status: 409,
      body: { message: `A product with SKU ${given.sku} already exists`, id: first.body.id },
    });
  });

  it('403 for a valid token without catalog/write or admins, and nothing is created', async () => {
    const given = product();
    for (const authorizer of [SHOPPER, machineContext('notes/export')]) {
      expect(await create(authorizer, given)).toMatchObject({
        status: 403,
        body: {
          message: 'Writing the catalog requires the catalog/write scope or membership in the admins group',
        },
      });
    }
    expect((await get(productIdForSku(given.sku))).status).toBe(404);
  });

  it('401 when the event has no authorizer context (a route that lost its authorizer)', async () => {
    expect(await create(undefined, product())).toMatchObject({
      status: 401,
      body: { message: 'Unauthorized' },
    });
  });

  it('400 naming server fields in the body (no mass assignment), and creates nothing', async () => {
    const given = { ...product(), id: productIdForSku('X-Y-Z'), version: 7, createdAt: 'then' };
    const answer = await create(ADMIN, given);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      message: 'Invalid request',
      errors: [{ in: 'body', path: '', message: expect.stringMatching(/"id".*"version".*"createdAt"/) }],
    });
    expect((await get(productIdForSku(given.sku))).status).toBe(404);
  });

  it('400 listing every invalid field; 400 for bad JSON; 415 for another media type', async () => {
    const invalid = await create(ADMIN, { ...product(), sku: 'lower', priceCents: -1, currency: 'XXX' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e: { in: string; path: string }) => `${e.in}:${e.path}`)).toEqual([
      'body:sku',
      'body:priceCents',
      'body:currency',
    ]);
    expect((await create(ADMIN, '{"sku":')).body).toEqual({ message: 'Request body is not valid JSON' });
    expect((await create(ADMIN, 'sku=X', { 'Content-Type': 'text/plain' })).status).toBe(415);
  });
});

describe('GET /products/{id}', () => {
  it('200 with the ETag and CORS for the caller’s allowed origin; 404 for an unknown product', async () => {
    const p = await created();
    expect(await get(p.id, { Origin: 'http://localhost:5173' })).toMatchObject({
      status: 200,
      headers: { ETag: '"1"', 'Access-Control-Allow-Origin': 'http://localhost:5173', Vary: 'Origin' },
      body: { id: p.id, sku: p.sku },
    });
    expect(await get(productIdForSku('NEVER-MADE'))).toMatchObject({
      status: 404,
      body: { message: 'Product not found' },
    });
  });

  it('the answer does not depend on who asks: no authorizer needed, an authorizer context changes nothing', async () => {
    const p = await created();
    const anonymous = await get(p.id);
    const withIdentity = await call('get', {
      resource: '/products/{id}',
      pathParameters: { id: p.id },
      authorizer: ADMIN,
    });
    expect(withIdentity).toEqual(anonymous);
  });

  it('400 for an id that is not a product id', async () => {
    const answer = await get('not-a-uuid');
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([{ in: 'path', path: 'id', message: expect.any(String) }]);
  });
});

describe('GET /products', () => {
  it('pages one category by name with an opaque cursor, default limit 20', async () => {
    const cat = category();
    for (const name of ['delta', 'Alpha', 'charlie', 'bravo', 'echo']) await created({ name, category: cat });
    await created({ name: 'aardvark', category: category() });

    const first = await list({ category: cat, limit: '2' });
    expect(first).toMatchObject({ status: 200, body: { category: cat, nextCursor: expect.any(String) } });
    const second = await list({ category: cat, limit: '2', cursor: first.body.nextCursor });
    const third = await list({ category: cat, limit: '2', cursor: second.body.nextCursor });
    expect(third.body.nextCursor).toBeNull();
    const pages = [first, second, third].map((page) => page.body.items.map((p: { name: string }) => p.name));
    expect(pages).toEqual([['Alpha', 'bravo'], ['charlie', 'delta'], ['echo']]);

    const all = await list({ category: cat });
    expect(all.body.items).toHaveLength(5);
    expect(all.body.nextCursor).toBeNull();
  });

  it('parameters outside the cache key are ignored, never rejected', async () => {
    const cat = category();
    await created({ category: cat });
    const plain = await list({ category: cat });
    expect(await list({ category: cat, utm_source: 'newsletter' })).toEqual(plain);
  });

  it('400 without a category, with the field named', async () => {
    const answer = await list({});
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([{ in: 'query', path: 'category', message: expect.any(String) }]);
  });

  it('400 for a tampered cursor', async () => {
    const forged = Buffer.from(JSON.stringify({ pk: 'PRODUCT#x', sk: 'PRODUCT' })).toString('base64url');
    for (const cursor of [forged, 'not a cursor', `${forged}AAAA`]) {
      const answer = await list({ category: 'garden', cursor });
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([{ in: 'query', path: 'cursor', message: expect.any(String) }]);
    }
  });

  it.each(['0', '101', 'ten', '2.5'])('400 for limit=%s (1–100)', async (limit) => {
    const answer = await list({ category: 'garden', limit });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([{ in: 'query', path: 'limit', message: expect.any(String) }]);
  });
});

describe('PATCH /products/{id}', () => {
  it('200 with the new version and ETag when If-Match is the current ETag', async () => {
    const p = await created({ stock: 3 });
    const answer = await update(MACHINE, p.id, { priceCents: 2499, stock: null }, '"1"');
    expect(answer).toMatchObject({
      status: 200,
      headers: { ETag: '"2"' },
      body: { id: p.id, sku: p.sku, priceCents: 2499, version: 2 },
    });
    expect(answer.body).not.toHaveProperty('stock');
  });

  it('428 without If-Match; 412 with a stale one (body names the current version); * overwrites', async () => {
    const p = await created();
    expect((await update(ADMIN, p.id, { name: 'a' })).status).toBe(428);
    expect((await update(ADMIN, p.id, { name: 'b' }, '"1"')).status).toBe(200);
    expect(await update(ADMIN, p.id, { name: 'c' }, '"1"')).toMatchObject({
      status: 412,
      body: { currentVersion: 2 },
    });
    expect((await get(p.id)).body.name).toBe('b');
    expect(await update(ADMIN, p.id, { name: 'd' }, '*')).toMatchObject({
      status: 200,
      body: { version: 3 },
    });
  });

  it('403 for a shopper, 404 for an unknown product', async () => {
    const p = await created();
    expect((await update(SHOPPER, p.id, { name: 'pwned' }, '"1"')).status).toBe(403);
    expect((await get(p.id)).body).toMatchObject({ name: 'Watering can', version: 1 });
    expect((await update(ADMIN, productIdForSku('GHOST'), { name: 'x' }, '*')).status).toBe(404);
  });

  it('400 for an empty patch, the SKU or a server field, or a malformed If-Match', async () => {
    const p = await created();
    expect((await update(ADMIN, p.id, {}, '"1"')).status).toBe(400);
    expect((await update(ADMIN, p.id, { sku: 'OTHER-SKU' }, '"1"')).status).toBe(400);
    expect((await update(ADMIN, p.id, { version: 5 }, '"1"')).status).toBe(400);
    for (const ifMatch of ['W/"1"', '1', '"1", "2"']) {
      expect(await update(ADMIN, p.id, { name: 'x' }, ifMatch)).toMatchObject({
        status: 400,
        body: { message: expect.stringContaining('If-Match') },
      });
    }
    expect((await get(p.id)).body.version).toBe(1);
  });
});

describe('DELETE /products/{id}', () => {
  it('204 with an empty body, then 404 for GET and for a second DELETE', async () => {
    const p = await created();
    expect(await remove(ADMIN, p.id)).toMatchObject({ status: 204, body: undefined });
    expect((await get(p.id)).status).toBe(404);
    expect((await remove(ADMIN, p.id)).status).toBe(404);
  });

  it('403 for a shopper (the product survives); 412 for a stale If-Match', async () => {
    const p = await created();
    await update(ADMIN, p.id, { name: 'v2' }, '"1"');
    expect((await remove(SHOPPER, p.id)).status).toBe(403);
    expect((await remove(ADMIN, p.id, '"1"')).status).toBe(412);
    expect((await get(p.id)).status).toBe(200);
    expect((await remove(ADMIN, p.id, '"2"')).status).toBe(204);
  });
});
