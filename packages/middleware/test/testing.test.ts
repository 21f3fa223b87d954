/**
 * The testing entry (`@serverless-reference/middleware/testing`) builds events the apps' tests trust to
 * be real-shaped, so it is held to the captures: same fields, `null` versus absent, value types, header
 * casing; and to Powertools' parser schemas where there is one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import {
  APIGatewayProxyEventSchema,
  APIGatewayProxyEventV2Schema,
} from '@aws-lambda-powertools/parser/schemas';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { HttpApiEvent, RestApiEvent, WebSocketEvent } from '../src/index';
import { fakeContext, httpApiEvent, restApiEvent, webSocketEvent } from '../src/testing';
import { fixture } from './support';

/** Maps whose keys vary from request to request; their shape is "string → value type". */
const MAPS = new Set([
  'headers',
  'multiValueHeaders',
  'queryStringParameters',
  'multiValueQueryStringParameters',
  'pathParameters',
  'claims',
]);

/** The structure of an event: keys (sorted), `null` versus absent, and the type of each value. */
function shape(value: unknown, key = ''): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'array' : [shape(value[0])];
  if (typeof value !== 'object') return typeof value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (MAPS.has(key)) return `map of ${[...new Set(entries.map(([, v]) => JSON.stringify(shape(v))))]}`;
  return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, shape(v, k)]));
}

const withoutHeaders = ({ headers: _h, multiValueHeaders: _m, ...rest }: Record<string, unknown>) => rest;

describe('restApiEvent', () => {
  it('is the captured REST proxy event for the same request (header values aside)', () => {
    const captured = fixture<RestApiEvent>('rest-no-auth.json');
    const built = restApiEvent({
      method: 'POST',
      resource: '/no-auth',
      headers: { 'User-Agent': 'HTTPie/3.2.2' },
    });

    expect(shape(built)).toEqual(shape(captured));
    expect(withoutHeaders({ ...built })).toEqual(withoutHeaders({ ...captured }));
    expect(built.multiValueHeaders).toEqual(
      Object.fromEntries(Object.entries(built.headers).map(([name, value]) => [name, [value]])),
    );
  });

  it('derives path (without stage), requestContext.path (with it), multiValue maps and a JSON body', () => {
    const event = restApiEvent({
      method: 'PUT',
      resource: '/products/{id}',
      pathParameters: { id: 'p-1' },
      query: { tag: ['a', 'b'], sort: 'price' },
      headers: { 'content-type': 'application/merge-patch+json', Origin: 'https://shop.example.com' },
      body: { name: 'Kettle' },
      stage: 'dev',
      authorizer: { principalId: 'user', integrationLatency: 42, tenantId: 'tenant-1' },
    });

    expect(event).toMatchObject({
      resource: '/products/{id}',
      path: '/products/p-1',
      httpMethod: 'PUT',
      pathParameters: { id: 'p-1' },
      queryStringParameters: { tag: 'b', sort: 'price' },
      multiValueQueryStringParameters: { tag: ['a', 'b'], sort: ['price'] },
      body: '{"name":"Kettle"}',
      requestContext: {
        path: '/dev/products/p-1',
        resourcePath: '/products/{id}',
        httpMethod: 'PUT',
        stage: 'dev',
        authorizer: { principalId: 'user', integrationLatency: 42, tenantId: 'tenant-1' },
      },
    });
    // The client's casing is kept, and a test header replaces the default whatever its casing.
    expect(event.headers).toMatchObject({
      'content-type': 'application/merge-patch+json',
      Host: expect.any(String),
    });
    expect(event.headers['Content-Type']).toBeUndefined();
    expect(event.headers['Content-Length']).toBe('17');
    expect(event.multiValueHeaders.Origin).toEqual(['https://shop.example.com']);
    expect(APIGatewayProxyEventSchema.safeParse(event).error?.issues ?? []).toEqual([]);
  });

  it('keeps nulls (not {}) and no authorizer key for a bare GET', () => {
    const event = restApiEvent();
    expect(event).toMatchObject({
      path: '/',
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: null,
      stageVariables: null,
      body: null,
    });
    expect('authorizer' in event.requestContext).toBe(false);
    expect(APIGatewayProxyEventSchema.safeParse(event).error?.issues ?? []).toEqual([]);
    expectTypeOf(event).toEqualTypeOf<RestApiEvent>();
  });
});

describe('httpApiEvent', () => {
  const captured = fixture<HttpApiEvent>('http-jwt-authorizer.json');
  const claims = captured.requestContext.authorizer?.jwt?.claims as Record<string, string>;

  it('is the captured JWT-authorized event for the same request and claims (header values aside)', () => {
    const built = httpApiEvent({
      routeKey: 'POST /cognito',
      claims,
      headers: { 'User-Agent': 'HTTPie/3.2.2' },
    });

    expect(shape(built)).toEqual(shape(captured));
    expect(withoutHeaders({ ...built })).toEqual(withoutHeaders({ ...captured }));
    expect(built.headers.authorization).toMatch(/^Bearer eyJ/);
  });

  it('derives rawPath, rawQueryString and requestContext.http; lowercases headers; keeps claims', () => {
    const event = httpApiEvent({
      routeKey: 'PATCH /notes/{id}',
      pathParameters: { id: 'n-1' },
      query: { tag: ['a', 'b'], limit: '10' },
      headers: { 'If-Match': '"1"' },
      cookies: ['theme=dark'],
      body: { title: 'x' },
      claims: { sub: 'u-1', scope: 'openid email', exp: '1718640004' },
    });

    expect(event).toMatchObject({
      routeKey: 'PATCH /notes/{id}',
      rawPath: '/notes/n-1',
      rawQueryString: 'tag=a&tag=b&limit=10',
      queryStringParameters: { tag: 'a,b', limit: '10' },
      pathParameters: { id: 'n-1' },
      cookies: ['theme=dark'],
      body: '{"title":"x"}',
      requestContext: {
        http: { method: 'PATCH', path: '/notes/n-1', userAgent: 'curl/8.5.0' },
        routeKey: 'PATCH /notes/{id}',
        stage: '$default',
        authorizer: {
          jwt: {
            claims: { sub: 'u-1', scope: 'openid email', exp: '1718640004' },
            scopes: ['openid', 'email'],
          },
        },
      },
    });
    expect(Object.keys(event.headers).every((name) => name === name.toLowerCase())).toBe(true);
    expect(event.headers).toMatchObject({ 'if-match': '"1"', 'content-type': 'application/json' });
    expect(APIGatewayProxyEventV2Schema.safeParse(event).error?.issues ?? []).toEqual([]);
  });

  it('has no authorizer, authorization header, query, path parameters or body unless asked', () => {
    const event = httpApiEvent({ routeKey: 'GET /health', claims: null });
    expect(event.rawPath).toBe('/health');
    expect(event.rawQueryString).toBe('');
    expect(event.headers.authorization).toBeUndefined();
    for (const field of ['queryStringParameters', 'pathParameters', 'body', 'cookies'])
      expect(field in event).toBe(false);
    expect('authorizer' in event.requestContext).toBe(false);
    expect(APIGatewayProxyEventV2Schema.safeParse(event).error?.issues ?? []).toEqual([]);
    expectTypeOf(event).toEqualTypeOf<HttpApiEvent>();
  });

  it('takes explicit scopes, null included, over the scope claim', () => {
    const scopes = (options: Parameters<typeof httpApiEvent>[0]) =>
      httpApiEvent(options).requestContext.authorizer?.jwt?.scopes;
    expect(scopes({ claims: { sub: 'u', scope: 'notes/export' } })).toEqual(['notes/export']);
    expect(scopes({ claims: { sub: 'u', scope: 'notes/export' }, scopes: null })).toBeNull();
    expect(scopes({ claims: { sub: 'u' }, scopes: ['a'] })).toEqual(['a']);
  });
});

describe('webSocketEvent', () => {
  it('$connect has the captured shape and handshake headers, plus the query and authorizer if given', () => {
    const captured = fixture<WebSocketEvent>('ws-connect.json');
    const built = webSocketEvent({ routeKey: '$connect' });
    expect(shape(built)).toEqual(shape(captured));
    expect(built.headers).toEqual(captured.headers);
    expect(built.requestContext).toMatchObject({
      routeKey: '$connect',
      eventType: 'CONNECT',
      requestTime: captured.requestContext.requestTime,
      requestTimeEpoch: captured.requestContext.requestTimeEpoch,
      connectionId: captured.requestContext.connectionId,
    });

    const authorized = webSocketEvent({
      routeKey: '$connect',
      query: { token: 'eyJ.x.y', room: 'lobby' },
      authorizer: { principalId: 'u-1', integrationLatency: 42 },
    });
    expect(authorized).toMatchObject({
      queryStringParameters: { token: 'eyJ.x.y', room: 'lobby' },
      multiValueQueryStringParameters: { token: ['eyJ.x.y'], room: ['lobby'] },
      requestContext: { authorizer: { principalId: 'u-1', integrationLatency: 42 } },
    });
  });

  it('a message has the captured shape: messageId and body, no headers', () => {
    const captured = fixture<WebSocketEvent>('ws-message.json');
    const built = webSocketEvent({ routeKey: 'chat', body: { action: 'chat', message: 'hi' } });
    expect(shape(built)).toEqual(shape(captured));
    expect(built).toMatchObject({
      body: '{"action":"chat","message":"hi"}',
      requestContext: { routeKey: 'chat', eventType: 'MESSAGE', messageId: expect.any(String) },
    });
  });

  it('$disconnect carries the close status and reason; all events of a connection share its id', () => {
    const event = webSocketEvent({
      routeKey: '$disconnect',
      disconnectStatusCode: 1001,
      disconnectReason: 'Going away',
    });
    expect(event.requestContext).toMatchObject({
      eventType: 'DISCONNECT',
      disconnectStatusCode: 1001,
      disconnectReason: 'Going away',
    });
    expect(event.headers).toMatchObject({ Host: event.requestContext.domainName });
    const ids = ['$connect', '$default', '$disconnect'].map(
      (routeKey) => webSocketEvent({ routeKey }).requestContext,
    );
    expect(new Set(ids.map((context) => `${context.connectionId} ${context.connectedAt}`)).size).toBe(1);
    expectTypeOf(event).toEqualTypeOf<WebSocketEvent>();
  });
});

describe('fakeContext', () => {
  it('names the function everywhere Lambda does, and takes overrides', () => {
    const context = fakeContext('notes-create', { getRemainingTimeInMillis: () => 50 });
    expect(context).toMatchObject({
      functionName: 'notes-create',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:notes-create',
      logGroupName: '/aws/lambda/notes-create',
    });
    expect(context.getRemainingTimeInMillis()).toBe(50);
    expect(fakeContext().functionName).toBe('test-function');
  });
});

describe('the testing entry stays out of production code', () => {
  const dir = new URL('../src/testing/', import.meta.url);
  it('imports no test runner and nothing at run time but its own modules (types only otherwise)', () => {
    for (const file of readdirSync(dir)) {
      const source = readFileSync(new URL(file, dir), 'utf8');
      const imports = [...source.matchAll(/^(?:import|export)\s(?!type\b)[^;]*?from\s+'([^']+)'/gm)].map(
        (m) => m[1],
      );
      expect(
        imports.filter((specifier) => !specifier?.startsWith('./')),
        file,
      ).toEqual([]);
    }
  });

  it('is not re-exported by the main entry', () => {
    expect(readFileSync(new URL('../src/index.ts', import.meta.url), 'utf8')).not.toMatch(/testing/);
  });
});
