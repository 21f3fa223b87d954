/** The pure parts of the catalog: body schemas (no mass assignment), product ids, cursors, the writer rule. */
import { restApiEvent } from '@serverless-reference/middleware/testing';
import { describe, expect, it } from 'vitest';
import { CURSOR_MAX_LENGTH, decodeCursor, encodeCursor } from '../src/domain/cursor';
import { PRODUCT_ID_NAMESPACE, productIdForSku, uuidv5 } from '../src/domain/ids';
import { ProductId, ProductInput, ProductPatch } from '../src/domain/product';
import { requireCatalogWriter } from '../src/http/writer';
import { MACHINE_CLIENT_ID, machineContext, userContext } from './support/writers';

const valid = {
  sku: 'TSHIRT-RED-M',
  name: 'T-shirt, red, M',
  category: 'apparel',
  priceCents: 1999,
  currency: 'EUR',
};

/** `path:code` of every issue, to assert exactly which fields failed. */
function failures(result: { error?: { issues: { path: PropertyKey[]; code: string }[] } }): string[] {
  return (result.error?.issues ?? []).map((issue) => `${issue.path.join('.')}:${issue.code}`).sort();
}

describe('ProductInput (POST body)', () => {
  it('fills defaults and de-duplicates tags; stock stays absent unless given', () => {
    expect(ProductInput.parse(valid)).toEqual({ ...valid, description: '', tags: [] });
    expect(ProductInput.parse({ ...valid, tags: ['sale', 'cotton', 'sale'], stock: 0 })).toMatchObject({
      tags: ['sale', 'cotton'],
      stock: 0,
    });
  });

  it.each(['id', 'version', 'createdAt', 'updatedAt', 'pk', 'gsi1pk', 'owner'])(
    'rejects the server or unknown field %s (no mass assignment)',
    (key) => {
      const result = ProductInput.safeParse({ ...valid, [key]: 'x' });
      expect(result.success).toBe(false);
      expect(result.error?.issues).toEqual([
        expect.objectContaining({ code: 'unrecognized_keys', keys: [key] }),
      ]);
    },
  );

  it('requires sku, name, category, priceCents and currency', () => {
    expect(failures(ProductInput.safeParse({}))).toEqual([
      'category:invalid_type',
      'currency:invalid_value',
      'name:invalid_type',
      'priceCents:invalid_type',
      'sku:invalid_type',
    ]);
  });

  it('bounds and shapes every field', () => {
    const result = ProductInput.safeParse({
      sku: 'tshirt-red', // lower case
      name: ' padded ', // leading/trailing space
      description: 'x'.repeat(2001),
      category: 'Garden Tools', // not a slug
      priceCents: 19.99, // not integer cents
      currency: 'eur',
      stock: -1,
      tags: Array.from({ length: 11 }, (_, i) => `t${i}`),
    });
    expect(failures(result)).toEqual([
      'category:invalid_format',
      'currency:invalid_value',
      'description:too_big',
      'name:invalid_format',
      'priceCents:invalid_type',
      'sku:invalid_format',
      'stock:too_small',
      'tags:too_big',
    ]);
  });

  it.each([
    ['a name with a control character', { name: 'tab\there' }],
    ['a two-line name', { name: 'line\nbreak' }],
    ['a name of 201 characters', { name: 'x'.repeat(201) }],
    ['a SKU of 2 characters', { sku: 'AB' }],
    ['a SKU ending in a hyphen', { sku: 'ABC-' }],
    ['a price over the maximum', { priceCents: 100_000_000 }],
    ['an upper-case tag', { tags: ['Sale'] }],
  ])('rejects %s', (_, change) => {
    expect(ProductInput.safeParse({ ...valid, ...change }).success).toBe(false);
  });

  it('accepts names with inner spaces and punctuation, and non-ASCII text', () => {
    for (const name of ['Chaise « Café » n° 2', 'Gießkanne 10 l', 'x', '日本茶 — 100 g']) {
      expect(ProductInput.safeParse({ ...valid, name }).success).toBe(true);
    }
  });
});

describe('ProductPatch (PATCH body)', () => {
  it('accepts any non-empty subset of the writable fields; stock: null stops stock tracking', () => {
    expect(ProductPatch.parse({ priceCents: 0 })).toEqual({ priceCents: 0 });
    expect(ProductPatch.parse({ stock: null })).toEqual({ stock: null });
    expect(ProductPatch.parse({ tags: [] })).toEqual({ tags: [] });
  });

  it('rejects an empty patch, the SKU (immutable) and server fields', () => {
    expect(ProductPatch.safeParse({}).error?.issues[0]?.message).toMatch(/^Send at least one of name/);
    for (const key of ['sku', 'id', 'version', 'createdAt']) {
      expect(ProductPatch.safeParse({ name: 'n', [key]: 'x' }).success, key).toBe(false);
    }
  });
});

describe('product ids', () => {
  it('UUIDv5 matches the RFC 9562 test vector', () => {
    // RFC 9562 Appendix A.4: namespace DNS, name www.example.com.
    expect(uuidv5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('one id per SKU, always the same, and a valid v5 UUID', () => {
    const id = productIdForSku('TSHIRT-RED-M');
    expect(productIdForSku('TSHIRT-RED-M')).toBe(id);
    expect(productIdForSku('TSHIRT-RED-L')).not.toBe(id);
    expect(id).toBe(uuidv5(PRODUCT_ID_NAMESPACE, 'TSHIRT-RED-M'));
    expect(ProductId.safeParse(id).success).toBe(true);
    expect(ProductId.safeParse('01950000-0000-7000-8000-000000000001').success).toBe(false); // v7
  });
});

describe('cursor', () => {
  const position = { name: 'widget pro', id: productIdForSku('WIDGET-PRO') };

  it('round-trips a position, as opaque base64url', () => {
    const text = encodeCursor(position);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(text)).toEqual(position);
  });

  it('a cursor for the longest name stays within the bound', () => {
    const text = encodeCursor({ name: '日'.repeat(200), id: position.id });
    expect(text.length).toBeLessThanOrEqual(CURSOR_MAX_LENGTH);
    expect(decodeCursor(text)).toBeDefined();
  });

  it.each([
    ['not base64url', 'not a cursor!'],
    ['not JSON', Buffer.from('{"v":1,').toString('base64url')],
    ['another version', Buffer.from(JSON.stringify({ ...position, v: 2 })).toString('base64url')],
    ['an extra key', Buffer.from(JSON.stringify({ v: 1, ...position, pk: 'X' })).toString('base64url')],
    [
      'a foreign key shape',
      Buffer.from(JSON.stringify({ pk: 'PRODUCT#x', sk: 'PRODUCT' })).toString('base64url'),
    ],
    ['a non-v5 id', Buffer.from(JSON.stringify({ v: 1, name: 'a', id: 'x' })).toString('base64url')],
    [
      'a control character',
      Buffer.from(JSON.stringify({ v: 1, name: 'a\u001fb', id: position.id })).toString('base64url'),
    ],
    ['too long', 'A'.repeat(CURSOR_MAX_LENGTH + 1)],
  ])('rejects %s', (_, text) => {
    expect(decodeCursor(text)).toBeUndefined();
  });
});

describe('requireCatalogWriter', () => {
  it('allows a machine token with catalog/write and a user in admins', () => {
    expect(
      requireCatalogWriter(restApiEvent({ authorizer: machineContext('notes/export catalog/write') })),
    ).toEqual({ sub: MACHINE_CLIENT_ID, clientId: MACHINE_CLIENT_ID, via: 'scope' });
    expect(
      requireCatalogWriter(restApiEvent({ authorizer: userContext('u-1', ['editors', 'admins']) })),
    ).toMatchObject({ sub: 'u-1', via: 'group' });
  });

  it('403 for a valid token without the scope or the group', () => {
    for (const authorizer of [
      userContext('u-2'),
      userContext('u-3', ['administrators']), // a prefix is not membership
      machineContext('notes/export'),
      machineContext('catalog/writer'),
    ]) {
      expect(() => requireCatalogWriter(restApiEvent({ authorizer }))).toThrow(
        expect.objectContaining({ statusCode: 403 }),
      );
    }
  });

  it('401 when there is no authorizer context at all (a route without authorizer fails closed)', () => {
    expect(() => requireCatalogWriter(restApiEvent())).toThrow(expect.objectContaining({ statusCode: 401 }));
  });
});
