import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import * as z from 'zod';
import {
  BadRequest,
  Conflict,
  Forbidden,
  type HttpApiEvent,
  HttpError,
  httpApiHandler,
  json,
  NotFound,
  noContent,
  type Params,
  PayloadTooLarge,
  PreconditionFailed,
  ServiceUnavailable,
  TooManyRequests,
  Unauthorized,
  UnsupportedMediaType,
} from '../src/index';
import { fakeContext } from '../src/testing';
import { captureOutput, fixture } from './support';

const output = captureOutput();

const CreateNote = z.object({ title: z.string().min(1), tags: z.array(z.string()).default([]) });
const NotePath = z.object({ id: z.uuid() });
const ListQuery = z.object({ limit: z.coerce.number().int().max(100).optional() });
const NOTE_ID = '6f1c2a51-6b8e-4c1e-9d27-1f0a2b3c4d5e';

/** The captured no-auth POST, turned into `POST /notes/{id}?limit=…` with a JSON body. */
function postEvent(body: string | undefined, overrides: Partial<HttpApiEvent> = {}): HttpApiEvent {
  const event = fixture<HttpApiEvent>('http-no-auth.json');
  event.routeKey = 'POST /notes/{id}';
  event.rawPath = `/notes/${NOTE_ID}`;
  event.rawQueryString = 'limit=10';
  event.queryStringParameters = { limit: '10' };
  event.pathParameters = { id: NOTE_ID };
  event.headers['content-type'] = 'application/json';
  if (body !== undefined) event.body = body;
  return { ...event, ...overrides };
}

const context = fakeContext();

describe('httpApiHandler', () => {
  it('hands the handler typed, validated input and answers a plain value with 200 JSON', async () => {
    const seen = vi.fn();
    const handler = httpApiHandler({
      body: CreateNote,
      path: NotePath,
      query: ListQuery,
      handler: async (request) => {
        expectTypeOf(request.body).toEqualTypeOf<{ title: string; tags: string[] }>();
        expectTypeOf(request.path).toEqualTypeOf<{ id: string }>();
        expectTypeOf(request.query).toEqualTypeOf<{ limit?: number | undefined }>();
        expectTypeOf(request.event).toEqualTypeOf<HttpApiEvent>();
        seen(request);
        return { id: request.path.id, title: request.body.title, tags: request.body.tags };
      },
    });

    const result = await handler(postEvent(JSON.stringify({ title: 'Groceries', role: 'admin' })), context);

    expect(result).toEqual({
      statusCode: 200,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: NOTE_ID, title: 'Groceries', tags: [] }),
    });
    const request = seen.mock.calls[0]?.[0];
    // Coerced query, defaulted body field, unknown body keys stripped (no mass assignment).
    expect(request.query).toEqual({ limit: 10 });
    expect(request.body).toEqual({ title: 'Groceries', tags: [] });
    expect(request.headers['user-agent']).toBe('HTTPie/3.2.2');
    expect(request.context).toBe(context);
  });

  it('passes raw parts through untyped-but-safe when no schema is given', async () => {
    const handler = httpApiHandler({
      handler: async ({ body, path, query }) => {
        expectTypeOf(body).toBeUnknown();
        expectTypeOf(path).toEqualTypeOf<Params>();
        expectTypeOf(query).toEqualTypeOf<Params>();
        return { body, path, query };
      },
    });
    const result = await handler(postEvent('{"free":"form"}'), context);
    expect(JSON.parse(result.body ?? '')).toEqual({
      body: { free: 'form' },
      path: { id: NOTE_ID },
      query: { limit: '10' },
    });
  });

  it('returns explicit responses from json() and noContent(), and 204 when the handler returns nothing', async () => {
    const created = httpApiHandler({
      handler: async () => json(201, { id: NOTE_ID }, { Location: `/notes/${NOTE_ID}` }),
    });
    expect(await created(postEvent(undefined), context)).toEqual({
      statusCode: 201,
      headers: { 'Content-Type': 'application/json', Location: `/notes/${NOTE_ID}` },
      body: `{"id":"${NOTE_ID}"}`,
    });

    const deleted = httpApiHandler({ handler: async () => noContent() });
    expect(await deleted(postEvent(undefined), context)).toEqual({ statusCode: 204, headers: {} });

    const nothing = httpApiHandler({ handler: async () => undefined });
    expect(await nothing(postEvent(undefined), context)).toEqual({ statusCode: 204, headers: {} });
  });

  it('serialises a domain object that has a statusCode field as data, not as a response', async () => {
    const handler = httpApiHandler({ handler: async () => ({ statusCode: 418, body: 'teapot' }) });
    const result = await handler(postEvent(undefined), context);
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body ?? '')).toEqual({ statusCode: 418, body: 'teapot' });
  });

  it('answers malformed JSON with 400 {"message"} — not 415, 422 or 500 — and never calls the handler', async () => {
    const inner = vi.fn();
    const handler = httpApiHandler({ body: CreateNote, handler: inner });
    const result = await handler(postEvent('{"title": "unterminated'), context);
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body ?? '')).toEqual({ message: 'Request body is not valid JSON' });
    expect(inner).not.toHaveBeenCalled();
  });

  it('decodes base64 bodies and accepts JSON media types with parameters or a +json suffix', async () => {
    const handler = httpApiHandler({ body: CreateNote, handler: async ({ body }) => body.title });
    const encoded = postEvent(Buffer.from('{"title":"ünïcode"}').toString('base64'), {
      isBase64Encoded: true,
    });
    encoded.headers['content-type'] = 'application/json; charset=utf-8';
    expect((await handler(encoded, context)).body).toBe('"ünïcode"');

    const problem = postEvent('{"title":"x"}');
    problem.headers['content-type'] = 'application/merge-patch+json';
    expect((await handler(problem, context)).statusCode).toBe(200);
  });

  it('answers a non-JSON body with 415', async () => {
    const handler = httpApiHandler({ handler: async () => 'unreachable' });
    const event = postEvent('title=Groceries');
    event.headers['content-type'] = 'application/x-www-form-urlencoded';
    const result = await handler(event, context);
    expect(result.statusCode).toBe(415);
    expect(JSON.parse(result.body ?? '')).toEqual({ message: 'Content-Type must be application/json' });
  });

  it('lists every failing field of body, path and query in one 400', async () => {
    const inner = vi.fn();
    const handler = httpApiHandler({ body: CreateNote, path: NotePath, query: ListQuery, handler: inner });
    const event = postEvent(JSON.stringify({ title: '', tags: ['ok', 7] }), {
      pathParameters: { id: 'not-a-uuid' },
      queryStringParameters: { limit: '1000' },
    });

    const result = await handler(event, context);

    expect(result.statusCode).toBe(400);
    const body = JSON.parse(result.body ?? '');
    expect(body.message).toBe('Invalid request');
    expect(body.errors.map((error: { in: string; path: string }) => `${error.in}:${error.path}`)).toEqual([
      'body:title',
      'body:tags.1',
      'path:id',
      'query:limit',
    ]);
    for (const error of body.errors) expect(error.message).toEqual(expect.any(String));
    expect(inner).not.toHaveBeenCalled();
  });

  it('reports a missing required body as a validation error on the body itself', async () => {
    const handler = httpApiHandler({ body: CreateNote, handler: async () => 'unreachable' });
    const result = await handler(postEvent(undefined), context);
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body ?? '').errors).toEqual([
      { in: 'body', path: '', message: expect.any(String) },
    ]);
  });

  it.each([
    [new BadRequest('Title is required'), 400],
    [new Unauthorized(), 401],
    [new Forbidden('Not your note'), 403],
    [new NotFound('Note not found'), 404],
    [new Conflict('Note already exists'), 409],
    [new PreconditionFailed('ETag mismatch'), 412],
    [new PayloadTooLarge(), 413],
    [new UnsupportedMediaType(), 415],
    [new TooManyRequests(), 429],
    [new ServiceUnavailable(), 503],
    [new HttpError(451, 'Unavailable for legal reasons'), 451],
  ])('maps %s to its status with {"message"} as the body', async (error, status) => {
    const handler = httpApiHandler({
      handler: async () => {
        throw error;
      },
    });
    const result = await handler(postEvent(undefined), context);
    expect(result.statusCode).toBe(status);
    expect(JSON.parse(result.body ?? '')).toEqual({ message: error.message });
  });

  it('sends the headers and details a typed error carries, but never lets details replace the message', async () => {
    const handler = httpApiHandler({
      handler: async () => {
        throw new TooManyRequests('Slow down', {
          headers: { 'Retry-After': '30' },
          details: { message: 'overridden?', limit: 10 },
        });
      },
    });
    const result = await handler(postEvent(undefined), context);
    expect(result.statusCode).toBe(429);
    expect(result.headers).toEqual({ 'Content-Type': 'application/json', 'Retry-After': '30' });
    expect(JSON.parse(result.body ?? '')).toEqual({ message: 'Slow down', limit: 10 });
  });

  it('turns any other error into a generic 500 and logs it with its stack at ERROR', async () => {
    const handler = httpApiHandler({
      handler: async () => {
        throw new Error('ConditionalCheckFailed on table notes-dev (secret internals)');
      },
    });
    const event = postEvent(undefined);

    const result = await handler(event, context);

    expect(result).toEqual({
      statusCode: 500,
      headers: { 'Content-Type': 'application/json' },
      body: '{"message":"Internal server error"}',
    });
    const errorLine = output.logs().find((line) => line.level === 'ERROR');
    expect(errorLine).toMatchObject({
      message: 'Unhandled error',
      service: 'notes-api',
      correlation_id: event.requestContext.requestId,
      function_name: context.functionName,
      error: { name: 'Error', message: 'ConditionalCheckFailed on table notes-dev (secret internals)' },
    });
    expect(errorLine?.error).toMatchObject({ stack: expect.stringContaining('http-api.test.ts') });
  });

  it('also hides non-Error throwables behind the generic 500', async () => {
    const handler = httpApiHandler({
      handler: async () => {
        throw 'a string';
      },
    });
    const result = await handler(postEvent(undefined), context);
    expect(result.statusCode).toBe(500);
    expect(result.body).toBe('{"message":"Internal server error"}');
  });

  it('logs client errors at INFO without a stack', async () => {
    const handler = httpApiHandler({
      handler: async () => {
        throw new NotFound('Note not found');
      },
    });
    await handler(postEvent(undefined), context);
    const rejected = output.logs().find((line) => line.message === 'Request rejected');
    expect(rejected).toMatchObject({
      level: 'INFO',
      statusCode: 404,
      error: { name: 'NotFound', message: 'Note not found' },
    });
    expect(JSON.stringify(rejected)).not.toContain('stack');
    expect(output.logs().some((line) => line.level === 'ERROR')).toBe(false);
  });

  it('exposes JWT authorizer claims through the typed event', async () => {
    const handler = httpApiHandler({
      handler: async ({ event }) => {
        const claims = event.requestContext.authorizer?.jwt?.claims;
        return { sub: claims?.sub, scopes: event.requestContext.authorizer?.jwt?.scopes ?? null };
      },
    });
    const result = await handler(fixture<HttpApiEvent>('http-jwt-authorizer.json'), context);
    expect(JSON.parse(result.body ?? '')).toEqual({
      sub: 'd2f50444-0041-7036-aea2-a955fca33d37',
      scopes: null,
    });
  });

  it('adds no CORS headers by default, even with CORS_ALLOWED_ORIGINS set: the gateway owns CORS', async () => {
    vi.stubEnv('CORS_ALLOWED_ORIGINS', 'https://notes.example.com');
    const handler = httpApiHandler({ handler: async () => ({ ok: true }) });
    const event = postEvent(undefined);
    event.headers.origin = 'https://notes.example.com';
    const result = await handler(event, context);
    expect(Object.keys(result.headers ?? {})).toEqual(['Content-Type']);
  });

  it('adds CORS headers when asked, on errors too', async () => {
    vi.stubEnv('CORS_ALLOWED_ORIGINS', 'https://notes.example.com');
    const handler = httpApiHandler({
      cors: true,
      handler: async () => {
        throw new Conflict();
      },
    });
    const result = await handler(postEvent(undefined), context);
    expect(result.statusCode).toBe(409);
    expect(result.headers?.['Access-Control-Allow-Origin']).toBe('https://notes.example.com');
  });
});
