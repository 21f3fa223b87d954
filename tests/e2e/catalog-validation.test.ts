/**
 * Request validation at the gateway: the `ProductCreate` / `ProductPatch` models (JSON Schema draft-04)
 * and the required `category` query parameter. API Gateway answers these itself — no function runs, no
 * cost. Texts per reference/apigw-behaviour.md §2.4 (BAD_REQUEST_BODY, BAD_REQUEST_PARAMETERS).
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { accessLogLine } from '../support/access-log';
import {
  type Answer,
  type CatalogClient,
  type GatewayMessage,
  newProductInput,
  uniqueCategory,
} from '../support/catalog-client';
import { catalogReader, catalogWriter } from '../support/catalog-setup';

const target = inject('target');

let writer: CatalogClient;
let reader: CatalogClient;

beforeAll(async () => {
  writer = await catalogWriter(target);
  reader = catalogReader(target, 'pro');
});

/** 400 from the gateway with `message`, and (locally, where the access log shows it) no function call. */
async function expectGateway400(answer: Answer, message: string) {
  expect(answer.status).toBe(400);
  expect(answer.body).toEqual<GatewayMessage>({ message });
  if (target.local) expect((await accessLogLine(target, answer.requestId)).integrationLatency).toBe('-');
}

describe('request bodies against the models', () => {
  it('answers 400 Invalid request body to a create that breaks the ProductCreate model', async () => {
    const valid = newProductInput(uniqueCategory());
    const { sku: _sku, ...withoutSku } = valid;
    const invalidBodies: Record<string, unknown> = {
      'missing required field': withoutSku,
      'wrong type': { ...valid, priceCents: '19.99' },
      'below minimum': { ...valid, priceCents: -1 },
      'not in enum': { ...valid, currency: 'CHF' },
      'pattern mismatch': { ...valid, category: 'Not A Slug' },
      'server field (additionalProperties: false)': { ...valid, id: 'chosen-by-client' },
      'too many tags': { ...valid, tags: Array.from({ length: 11 }, (_, i) => `tag-${i}`) },
      'not an object': [valid],
    };
    for (const [why, body] of Object.entries(invalidBodies)) {
      const answer = await writer.create(body);
      expect.soft(answer.status, why).toBe(400);
      await expectGateway400(answer, 'Invalid request body');
    }
  });

  it('answers 400 Invalid request body to an empty or unknown-field patch', async () => {
    const created = await writer.create(newProductInput(uniqueCategory()));
    expect(created.status).toBe(201);
    await expectGateway400(await writer.update(created.body.id, {}, '*'), 'Invalid request body');
    await expectGateway400(
      await writer.update(created.body.id, { sku: 'NEW-SKU' }, '*'),
      'Invalid request body',
    );
  });

  it('lets a body the model accepts through to the function', async () => {
    const answer = await writer.create(newProductInput(uniqueCategory(), { stock: 3, tags: ['summer'] }));
    expect(answer.status).toBe(201);
  });
});

describe('required request parameters', () => {
  it('answers 400 naming the missing query parameter when category is absent', async () => {
    await expectGateway400(
      await reader.call('GET', '/products?limit=5'),
      'Missing required request parameters: [category]',
    );
  });

  it('leaves values to the function: a malformed limit is the function’s 400, listing the field', async () => {
    const answer = await reader.list({ category: uniqueCategory(), limit: 'many' });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ errors: [expect.objectContaining({ path: 'limit' })] });
  });
});
