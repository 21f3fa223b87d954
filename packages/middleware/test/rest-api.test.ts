import type { APIGatewayProxyResult } from 'aws-lambda';
import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import * as z from 'zod';
import { json, NotFound, noContent, type RestApiEvent, restApiHandler } from '../src/index';
import { fakeContext } from '../src/testing';
import { captureOutput, fixture } from './support';

const output = captureOutput();

const context = fakeContext('catalog-api-create-product');
const CreateProduct = z.object({ name: z.string().min(1), priceCents: z.number().int().positive() });

/** The captured REST POST, with a JSON body and the client's header casing (REST keeps it). */
function restEvent(body: unknown, headers: Record<string, string> = {}): RestApiEvent {
  const event = fixture<RestApiEvent>('rest-no-auth.json');
  event.headers = { ...event.headers, 'Content-Type': 'application/json', ...headers };
  event.body = body === undefined ? null : JSON.stringify(body);
  return event;
}

describe('restApiHandler', () => {
  it('answers a REST proxy event with a payload-1.0 result (string body, statusCode, headers)', async () => {
    const handler = restApiHandler({
      body: CreateProduct,
      handler: async ({ body, event }) => {
        expectTypeOf(body).toEqualTypeOf<{ name: string; priceCents: number }>();
        return json(201, { ...body, stage: event.requestContext.stage });
      },
    });

    const result = await handler(restEvent({ name: 'Kettle', priceCents: 2999 }), context);

    expectTypeOf(result).toEqualTypeOf<APIGatewayProxyResult>();
    expect(result).toEqual({
      statusCode: 201,
      headers: { 'Content-Type': 'application/json' },
      body: '{"name":"Kettle","priceCents":2999,"stage":"prod"}',
    });
  });

  it('reads Content-Type in any casing and handles the null body of a GET', async () => {
    const handler = restApiHandler({
      handler: async ({ body, headers }) => ({ body: body ?? null, headers }),
    });
    const result = await handler(restEvent(undefined, { 'CONTENT-TYPE': 'text/plain' }), context);
    const echoed = JSON.parse(result.body);
    expect(echoed.body).toBeNull();
    expect(echoed.headers['content-type']).toBe('text/plain');
    expect(echoed.headers.host).toBe('puhdx84jy9.execute-api.eu-west-1.amazonaws.com');
  });

  it('returns an empty string body for 204 (REST requires a string)', async () => {
    const handler = restApiHandler({ handler: async () => noContent() });
    expect(await handler(restEvent(undefined), context)).toEqual({ statusCode: 204, headers: {}, body: '' });
  });

  it('answers malformed JSON with 400 and schema failures with the failing fields', async () => {
    const handler = restApiHandler({ body: CreateProduct, handler: async () => 'unreachable' });

    const malformed = restEvent(undefined);
    malformed.body = '{"name":';
    const bad = await handler(malformed, context);
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body)).toEqual({ message: 'Request body is not valid JSON' });

    const invalid = await handler(restEvent({ name: 'Kettle', priceCents: -1 }), context);
    expect(invalid.statusCode).toBe(400);
    expect(JSON.parse(invalid.body)).toEqual({
      message: 'Invalid request',
      errors: [{ in: 'body', path: 'priceCents', message: expect.stringContaining('>0') }],
    });
  });

  it('gives the handler the Lambda authorizer context of a TOKEN-authorized request', async () => {
    const event = restEvent(undefined);
    event.requestContext = {
      ...event.requestContext,
      ...fixture<{ requestContext: RestApiEvent['requestContext'] }>('rest-lambda-authorizer-context.json')
        .requestContext,
    };
    const handler = restApiHandler({
      handler: async ({ event }) => {
        const tenantId = event.requestContext.authorizer?.tenantId;
        if (typeof tenantId !== 'string') throw new NotFound();
        return { principal: event.requestContext.authorizer?.principalId, tenantId };
      },
    });
    const result = await handler(event, context);
    expect(JSON.parse(result.body)).toEqual({ principal: 'user', tenantId: 'tenant-1' });
  });

  it('logs with the REST request id as correlation id and the resource as route key', async () => {
    const handler = restApiHandler({
      handler: async () => {
        throw new NotFound('Product not found');
      },
    });
    await handler(restEvent(undefined), context);
    expect(output.logs().find((line) => line.message === 'Request rejected')).toMatchObject({
      correlation_id: 'f88e38e3-2060-4a56-93c0-9efbc6a659a0',
      route_key: 'POST /no-auth',
      function_name: 'catalog-api-create-product',
      service: 'notes-api',
    });
  });

  describe('CORS (on by default: the REST proxy integration passes the function headers through)', () => {
    it('always sends the single configured origin, on success and on every kind of error', async () => {
      vi.stubEnv('CORS_ALLOWED_ORIGINS', 'https://shop.example.com');
      const handler = restApiHandler({
        body: CreateProduct,
        handler: async ({ body }) => {
          if (body.name === 'boom') throw new Error('bug');
          return body;
        },
      });
      const origin = { Origin: 'https://shop.example.com' };

      const ok = await handler(restEvent({ name: 'Kettle', priceCents: 1 }, origin), context);
      const invalid = await handler(restEvent({ name: '' }, origin), context);
      const crashed = await handler(restEvent({ name: 'boom', priceCents: 1 }, origin), context);
      const noOrigin = await handler(restEvent({ name: 'Kettle', priceCents: 1 }), context);

      expect([ok.statusCode, invalid.statusCode, crashed.statusCode, noOrigin.statusCode]).toEqual([
        200, 400, 500, 200,
      ]);
      for (const result of [ok, invalid, crashed, noOrigin]) {
        expect(result.headers?.['Access-Control-Allow-Origin']).toBe('https://shop.example.com');
      }
    });

    it('echoes the matching origin of several, with Vary: Origin, and omits the header for others', async () => {
      vi.stubEnv('CORS_ALLOWED_ORIGINS', 'https://shop.example.com, https://admin.example.com');
      const handler = restApiHandler({ handler: async () => ({ ok: true }) });

      const admin = await handler(restEvent(undefined, { origin: 'https://admin.example.com' }), context);
      expect(admin.headers).toMatchObject({
        'Access-Control-Allow-Origin': 'https://admin.example.com',
        Vary: 'Origin',
      });

      const evil = await handler(restEvent(undefined, { Origin: 'https://evil.example.net' }), context);
      expect(evil.headers?.['Access-Control-Allow-Origin']).toBeUndefined();
    });

    it('takes explicit options over the environment, including credentials and exposed headers', async () => {
      vi.stubEnv('CORS_ALLOWED_ORIGINS', 'https://ignored.example.com');
      const handler = restApiHandler({
        cors: {
          origins: ['https://shop.example.com'],
          credentials: true,
          exposeHeaders: ['ETag', 'Location'],
        },
        handler: async () => ({ ok: true }),
      });
      const result = await handler(restEvent(undefined, { Origin: 'https://shop.example.com' }), context);
      expect(result.headers).toMatchObject({
        'Access-Control-Allow-Origin': 'https://shop.example.com',
        'Access-Control-Allow-Credentials': 'true',
        'Access-Control-Expose-Headers': 'ETag, Location',
      });
    });

    it('sends no CORS headers when no origin is configured or CORS is switched off', async () => {
      const unconfigured = restApiHandler({ handler: async () => ({ ok: true }) });
      const result = await unconfigured(
        restEvent(undefined, { Origin: 'https://shop.example.com' }),
        context,
      );
      expect(Object.keys(result.headers ?? {})).toEqual(['Content-Type']);

      vi.stubEnv('CORS_ALLOWED_ORIGINS', 'https://shop.example.com');
      const off = restApiHandler({ cors: false, handler: async () => ({ ok: true }) });
      const offResult = await off(restEvent(undefined, { Origin: 'https://shop.example.com' }), context);
      expect(Object.keys(offResult.headers ?? {})).toEqual(['Content-Type']);
    });

    it('refuses credentials with the * origin when the handler is created', () => {
      expect(() =>
        restApiHandler({ cors: { origins: ['*'], credentials: true }, handler: async () => ({ ok: true }) }),
      ).toThrow(/credentials/);
    });

    it('allows any origin with *', async () => {
      vi.stubEnv('CORS_ALLOWED_ORIGINS', '*');
      const handler = restApiHandler({ handler: async () => ({ ok: true }) });
      const result = await handler(restEvent(undefined, { Origin: 'https://anyone.example.org' }), context);
      expect(result.headers?.['Access-Control-Allow-Origin']).toBe('*');
    });
  });
});
