/**
 * Who may change the catalog, end to end: the REST TOKEN authorizer at the gateway (a Cognito access
 * token, `Bearer` only), then the service's writer rule (`catalog/write` scope OR the `admins` group,
 * apps/rest-api src/http/writer.ts). Gateway texts per reference/apigw-behaviour.md §3.1, §3.4.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { accessLogLine } from '../support/access-log';
import {
  CatalogClient,
  type GatewayMessage,
  newProductInput,
  type Product,
  uniqueCategory,
} from '../support/catalog-client';
import { apiKeyValue, catalogApiUrl } from '../support/catalog-target';
import { agedAccessToken, machineToken, newSignedInUser, type UserTokens } from '../support/cognito';

const target = inject('target');
const apiUrl = catalogApiUrl(target);
const anonymous = new CatalogClient(apiUrl);
const WRITER_RULE = 'Writing the catalog requires the catalog/write scope or membership in the admins group';

let machine: CatalogClient;
let reader: CatalogClient;
let admin: UserTokens;
let user: UserTokens;

beforeAll(async () => {
  const token = await machineToken(target, ['catalog/write']);
  machine = anonymous.as({ token });
  reader = anonymous.as({ apiKey: apiKeyValue(target, 'pro') });
  [admin, user] = await Promise.all([
    newSignedInUser(target, { groups: ['admins'] }),
    newSignedInUser(target),
  ]);
});

/** A create that the gateway must refuse before any function runs. */
async function expectUnauthorized(client: CatalogClient, options: { authorizerRuns: boolean }) {
  const answer = await client.create(newProductInput(uniqueCategory()));
  expect(answer.status).toBe(401);
  expect(answer.body).toEqual<GatewayMessage>({ message: 'Unauthorized' });
  if (target.local) {
    const line = await accessLogLine(target, answer.requestId);
    expect(line.integrationLatency).toBe('-');
    // Identity source missing or not matching the validation expression: the authorizer never runs.
    if (!options.authorizerRuns) expect(line.authorizerLatency).toBe('-');
  }
}

describe('the TOKEN authorizer', () => {
  it('answers 401 Unauthorized to a write without an Authorization header, without running the authorizer', async () => {
    await expectUnauthorized(anonymous, { authorizerRuns: false });
  });

  it('answers 401 to a header that does not match ^Bearer <token>$, without running the authorizer', async () => {
    const { accessToken } = user;
    for (const authorization of [`Basic ${accessToken}`, `bearer ${accessToken}`, accessToken, 'Bearer ']) {
      const answer = await anonymous.call<GatewayMessage>('POST', '/products', {
        body: newProductInput(uniqueCategory()),
        headers: { authorization },
      });
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ message: 'Unauthorized' });
      if (target.local) expect((await accessLogLine(target, answer.requestId)).authorizerLatency).toBe('-');
    }
  });

  it('answers 401 to a malformed token, a tampered signature and an ID token (the authorizer refuses)', async () => {
    const [header, payload, signature] = user.accessToken.split('.');
    const flipped = `${signature?.[0] === 'A' ? 'B' : 'A'}${signature?.slice(1)}`;
    for (const token of ['not-a-jwt', `${header}.${payload}.${flipped}`, user.idToken]) {
      await expectUnauthorized(anonymous.as({ token }), { authorizerRuns: true });
    }
  });

  // Needs the local identity provider's aged-token helper; against a deployed stage it is reported as skipped.
  it.skipIf(target.kind !== 'local')('answers 401 to an expired access token', async () => {
    const expired = await agedAccessToken(target, user.accessToken, 2 * 60 * 60);
    await expectUnauthorized(anonymous.as({ token: expired }), { authorizerRuns: true });
  });
});

describe('the writer rule of the service', () => {
  it('answers 403 to a valid user token outside the admins group, and writes nothing', async () => {
    const input = newProductInput(uniqueCategory());
    const answer = await anonymous.as({ token: user.accessToken }).create(input);
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual({ message: WRITER_RULE });

    const listed = await reader.list({ category: input.category });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([]);
  });

  it('answers 403 to a machine token without the catalog/write scope', async () => {
    const other = anonymous.as({ token: await machineToken(target, ['notes/export']) });
    const answer = await other.create(newProductInput(uniqueCategory()));
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual({ message: WRITER_RULE });
  });

  it('lets a user in the admins group create a product', async () => {
    const answer = await anonymous.as({ token: admin.accessToken }).create(newProductInput(uniqueCategory()));
    expect(answer.status).toBe(201);
  });

  it('lets the machine client with catalog/write create, retry, update with If-Match and delete', async () => {
    const input = newProductInput(uniqueCategory(), { tags: ['e2e'] });
    const created = await machine.create(input);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...input, version: 1, description: '' });
    expect(created.headers.get('etag')).toBe('"1"');
    const { id } = created.body;
    expect(created.headers.get('location')).toMatch(new RegExp(`/products/${id}$`));

    // The SKU is the idempotency key: the same create again is the same product, other values are 409.
    const retried = await machine.create(input);
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual(created.body);
    const conflicting = await machine.create({ ...input, priceCents: 1 });
    expect(conflicting.status).toBe(409);
    expect(conflicting.body).toMatchObject({ id });

    const updated = await machine.update(id, { priceCents: 1499 }, '"1"');
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id, priceCents: 1499, version: 2 });
    const stale = await machine.update(id, { priceCents: 999 }, '"1"');
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ currentVersion: 2 });
    const noPrecondition = await machine.call('PATCH', `/products/${id}`, { body: { priceCents: 999 } });
    expect(noPrecondition.status).toBe(428);

    expect((await machine.remove(id)).status).toBe(204);
    expect((await machine.remove(id)).status).toBe(404);
  });

  it('never lets a write set server fields (the request model refuses them)', async () => {
    const answer = await machine.create({ ...newProductInput(uniqueCategory()), id: 'chosen', version: 7 });
    expect(answer.status).toBe(400);
    const created = await machine.create(newProductInput(uniqueCategory()));
    const smuggled = await machine.update(created.body.id, { version: 99 } satisfies Partial<Product>, '*');
    expect(smuggled.status).toBe(400);
  });
});
