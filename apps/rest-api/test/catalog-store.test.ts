/** The catalog domain against a real DynamoDB wire protocol (dynalite): CRUD, idempotent create, paging, concurrency. */
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { readAllPages } from '@serverless-reference/test-support/paging';
import { rejection } from '@serverless-reference/test-support/rejection';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogStore } from '../src/domain/catalog-store';
import { decodeCursor, encodeCursor } from '../src/domain/cursor';
import { ProductNotFound, SkuAlreadyExists, VersionMismatch } from '../src/domain/errors';
import { productIdForSku } from '../src/domain/ids';
import type { Product, ProductInput } from '../src/domain/product';
import { productKey } from '../src/domain/table';
import { createProductsTable, type LocalDynamoDB, startDynalite } from './support/dynamodb';

let local: LocalDynamoDB;
let tableName: string;

beforeAll(async () => {
  local = await startDynalite();
  tableName = await createProductsTable(local);
});
afterAll(async () => {
  await local?.stop();
});

const newStore = (options: Partial<ConstructorParameters<typeof CatalogStore>[0]> = {}) =>
  new CatalogStore({ db: local.db, tableName, ...options });

/** A fresh SKU and category per test: tests never see each other's products. */
const uniq = () => randomUUID().slice(0, 8).toUpperCase();
const newCategory = () => `cat-${uniq().toLowerCase()}`;
const input = (overrides: Partial<ProductInput> = {}): ProductInput => ({
  sku: `SKU-${uniq()}`,
  name: 'Watering can',
  description: '10 litres',
  category: 'garden',
  priceCents: 1999,
  currency: 'EUR',
  tags: ['outdoor'],
  ...overrides,
});

async function rawItem(id: string) {
  const { Item } = await local.db.send(
    new GetCommand({
      TableName: tableName,
      Key: { pk: productKey(id), sk: 'PRODUCT' },
      ConsistentRead: true,
    }),
  );
  return Item;
}

describe('create', () => {
  it('stores the product under its SKU-derived id, with server-set timestamps, version 1 and index keys', async () => {
    const now = new Date('2026-03-01T10:00:00.000Z');
    const given = input({ name: 'Watering Can', stock: 12 });
    const { product, created } = await newStore({ now: () => now }).create(given);

    expect(created).toBe(true);
    expect(product).toEqual({
      id: productIdForSku(given.sku),
      sku: given.sku,
      name: 'Watering Can',
      description: '10 litres',
      category: 'garden',
      priceCents: 1999,
      currency: 'EUR',
      stock: 12,
      tags: ['outdoor'],
      createdAt: '2026-03-01T10:00:00.000Z',
      updatedAt: '2026-03-01T10:00:00.000Z',
      version: 1,
    });
    expect(await rawItem(product.id)).toEqual({
      ...product,
      pk: `PRODUCT#${product.id}`,
      sk: 'PRODUCT',
      gsi1pk: 'CATEGORY#garden',
      gsi1sk: `watering can\u001f${product.id}`,
    });
  });

  it('copies only client-writable fields, whatever else the object carries', async () => {
    const smuggled = {
      ...input(),
      id: '00000000-0000-5000-8000-000000000000',
      version: 99,
      createdAt: '1970-01-01T00:00:00.000Z',
      pk: 'PRODUCT#other',
      gsi1pk: 'CATEGORY#other',
      admin: true,
    } as ProductInput;
    const { product } = await newStore().create(smuggled);

    expect(product.id).toBe(productIdForSku(smuggled.sku));
    expect(product).toMatchObject({ version: 1 });
    expect(product.createdAt).not.toBe('1970-01-01T00:00:00.000Z');
    const item = await rawItem(product.id);
    expect(item).toMatchObject({ pk: `PRODUCT#${product.id}`, gsi1pk: 'CATEGORY#garden', version: 1 });
    expect(item).not.toHaveProperty('admin');
  });

  it('is idempotent: the same request again returns the stored product and writes nothing', async () => {
    let clock = new Date('2026-03-01T10:00:00.000Z');
    const store = newStore({ now: () => clock });
    const given = input();
    const first = await store.create(given);

    clock = new Date('2026-03-01T10:05:00.000Z');
    const again = await store.create({ ...given, tags: [...given.tags] });
    expect(again).toEqual({ product: first.product, created: false });
    expect((await rawItem(first.product.id))?.createdAt).toBe('2026-03-01T10:00:00.000Z');
  });

  it('never overwrites: the same SKU with other values is SkuAlreadyExists (409) naming the id', async () => {
    const store = newStore();
    const given = input({ priceCents: 1000 });
    const { product } = await store.create(given);

    const error = await rejection(store.create({ ...given, priceCents: 1 }));
    expect(error).toBeInstanceOf(SkuAlreadyExists);
    expect(error).toMatchObject({ statusCode: 409, details: { id: product.id } });
    expect((await store.get(product.id)).priceCents).toBe(1000);
  });

  it('concurrent identical creates make one product; every caller gets it', async () => {
    const store = newStore();
    const given = input();
    const results = await Promise.all(Array.from({ length: 5 }, () => store.create(given)));

    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => JSON.stringify(r.product))).size).toBe(1);
  });

  it('a SKU deleted and created again gets its id back, at version 1', async () => {
    const store = newStore();
    const given = input();
    const { product } = await store.create(given);
    await store.update(product.id, { priceCents: 5 }, 1);
    await store.delete(product.id);

    const again = await store.create(given);
    expect(again).toMatchObject({ created: true, product: { id: product.id, version: 1, priceCents: 1999 } });
  });
});

describe('get', () => {
  it('returns the product; an unknown id is ProductNotFound (404)', async () => {
    const store = newStore();
    const { product } = await store.create(input());
    expect(await store.get(product.id)).toEqual(product);

    const error = await rejection(store.get(productIdForSku('NEVER-CREATED')));
    expect(error).toBeInstanceOf(ProductNotFound);
    expect(error).toMatchObject({ statusCode: 404, message: 'Product not found' });
  });
});

describe('listByCategory', () => {
  const readAll = (store: CatalogStore, category: string, limit: number): Promise<Product[][]> =>
    readAllPages(decodeCursor, (cursor) => store.listByCategory(category, { limit, cursor }));

  it('pages through one category sorted by name, case-insensitively; a prefix sorts first', async () => {
    const store = newStore();
    const category = newCategory();
    const names = ['widget pro', 'Widget', 'apple', 'Zebra', 'widget!', 'banana', 'Widget Pro Max'];
    for (const name of names) await store.create(input({ name, category }));
    await store.create(input({ name: 'elsewhere', category: newCategory() }));

    const pages = await readAll(store, category, 3);
    expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
    expect(pages.flat().map((p) => p.name)).toEqual([
      'apple',
      'banana',
      'Widget',
      'widget pro',
      'Widget Pro Max',
      'widget!',
      'Zebra',
    ]);
  });

  it('does not end with an empty page when the count is a multiple of the limit', async () => {
    const store = newStore();
    const category = newCategory();
    for (let i = 0; i < 6; i++) await store.create(input({ name: `item ${i}`, category }));
    expect((await readAll(store, category, 3)).map((page) => page.length)).toEqual([3, 3]);
    expect((await readAll(store, category, 6)).map((page) => page.length)).toEqual([6]);
  });

  it('an unknown category is one empty page', async () => {
    const category = newCategory();
    expect(await newStore().listByCategory(category, { limit: 20 })).toEqual({
      category,
      items: [],
      nextCursor: null,
    });
  });

  it('two products with the same name both appear, ordered by id', async () => {
    const store = newStore();
    const category = newCategory();
    const a = await store.create(input({ name: 'Twin', category }));
    const b = await store.create(input({ name: 'twin', category }));
    const pages = await readAll(store, category, 1);
    expect(pages.flat().map((p) => p.id)).toEqual([a.product.id, b.product.id].sort());
  });

  it('a cursor is a position only: used on another category it pages that category', async () => {
    const store = newStore();
    const [mine, other] = [newCategory(), newCategory()];
    for (const name of ['a', 'c']) await store.create(input({ name, category: mine }));
    for (const name of ['b', 'd']) await store.create(input({ name, category: other }));

    const first = await store.listByCategory(mine, { limit: 1 });
    const cursor = decodeCursor(first.nextCursor ?? '');
    expect(cursor).toMatchObject({ name: 'a' });
    const elsewhere = await store.listByCategory(other, { limit: 10, cursor });
    expect(elsewhere.items.map((p) => p.name)).toEqual(['b', 'd']);
    // A forged position that matches no product still works as a position.
    const forged = decodeCursor(encodeCursor({ name: 'c', id: productIdForSku('NOBODY') }));
    expect(
      (await store.listByCategory(other, { limit: 10, cursor: forged })).items.map((p) => p.name),
    ).toEqual(['d']);
  });

  it('follows renames and category changes (the index keys are updated with the fields)', async () => {
    const store = newStore();
    const [from, to] = [newCategory(), newCategory()];
    const { product } = await store.create(input({ name: 'zzz', category: from }));
    await store.create(input({ name: 'mmm', category: from }));

    await store.update(product.id, { name: 'aaa' }, 1);
    expect((await store.listByCategory(from, { limit: 10 })).items.map((p) => p.name)).toEqual([
      'aaa',
      'mmm',
    ]);
    await store.update(product.id, { category: to }, 2);
    expect((await store.listByCategory(from, { limit: 10 })).items.map((p) => p.name)).toEqual(['mmm']);
    expect((await store.listByCategory(to, { limit: 10 })).items.map((p) => p.id)).toEqual([product.id]);
  });
});

describe('update', () => {
  it('changes only the given fields, bumps the version and updatedAt, keeps createdAt and the SKU', async () => {
    let clock = new Date('2026-03-01T10:00:00.000Z');
    const store = newStore({ now: () => clock });
    const { product } = await store.create(input());

    clock = new Date('2026-03-01T11:00:00.000Z');
    const updated = await store.update(product.id, { priceCents: 2499, tags: ['sale'] }, 1);
    expect(updated).toEqual({
      ...product,
      priceCents: 2499,
      tags: ['sale'],
      updatedAt: '2026-03-01T11:00:00.000Z',
      version: 2,
    });
    expect(await store.get(product.id)).toEqual(updated);
  });

  it('stock: null removes stock tracking; a number sets it again', async () => {
    const store = newStore();
    const { product } = await store.create(input({ stock: 3 }));
    const untracked = await store.update(product.id, { stock: null });
    expect(untracked).not.toHaveProperty('stock');
    expect(await rawItem(product.id)).not.toHaveProperty('stock');
    expect((await store.update(product.id, { stock: 0 })).stock).toBe(0);
  });

  it('ignores fields outside the patch schema, whatever the object carries', async () => {
    const store = newStore();
    const { product } = await store.create(input());
    const smuggled = { name: 'renamed', sku: 'OTHER-SKU', id: 'x', version: 42, pk: 'PRODUCT#x' };
    const updated = await store.update(product.id, smuggled as never, 1);
    expect(updated).toMatchObject({ id: product.id, sku: product.sku, name: 'renamed', version: 2 });
  });

  it('a stale version is VersionMismatch (412) naming the current one, and changes nothing', async () => {
    const store = newStore();
    const { product } = await store.create(input());
    await store.update(product.id, { name: 'v2' }, 1);

    const error = await rejection(store.update(product.id, { name: 'lost update' }, 1));
    expect(error).toBeInstanceOf(VersionMismatch);
    expect(error).toMatchObject({ statusCode: 412, currentVersion: 2 });
    expect(await store.get(product.id)).toMatchObject({ name: 'v2', version: 2 });
  });

  it('an unknown product is ProductNotFound, never an upsert', async () => {
    const id = productIdForSku(`GHOST-${uniq()}`);
    expect(await rejection(newStore().update(id, { name: 'x' }))).toBeInstanceOf(ProductNotFound);
    expect(await rawItem(id)).toBeUndefined();
  });
});

describe('delete', () => {
  it('removes the product; a second delete is ProductNotFound', async () => {
    const store = newStore();
    const { product } = await store.create(input());
    await store.delete(product.id);
    expect(await rawItem(product.id)).toBeUndefined();
    expect(await rejection(store.delete(product.id))).toBeInstanceOf(ProductNotFound);
  });

  it('with a version: only if unchanged (VersionMismatch otherwise)', async () => {
    const store = newStore();
    const { product } = await store.create(input());
    await store.update(product.id, { name: 'v2' }, 1);

    expect(await rejection(store.delete(product.id, 1))).toBeInstanceOf(VersionMismatch);
    await store.delete(product.id, 2);
    expect(await rawItem(product.id)).toBeUndefined();
  });
});
