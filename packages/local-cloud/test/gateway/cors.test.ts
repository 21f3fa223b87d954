import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpApiGateway, startHttpApiGateway } from '../../src/gateway/http-api/index.js';
import { api, FakeInvoker, ok, route, send } from './helpers.js';

const invoker = new FakeInvoker()
  .on('notes', () =>
    ok({
      statusCode: 200,
      headers: {
        'Access-Control-Allow-Origin': 'https://evil.example',
        'access-control-max-age': '1',
        'x-kept': 'yes',
      },
      body: 'notes',
    }),
  )
  .on('options', () => ok({ statusCode: 200, body: 'from the OPTIONS route' }));
let gateway: HttpApiGateway;
let base: string;
let noCors: string;

beforeAll(async () => {
  gateway = await startHttpApiGateway({
    invoker,
    apis: [
      api({
        routes: [
          route('GET /notes', 'notes', { authorization: { type: 'CUSTOM', authorizerId: 'auth' } }),
          route('ANY /any', 'notes', { authorization: { type: 'CUSTOM', authorizerId: 'auth' } }),
          route('OPTIONS /explicit', 'options'),
        ],
        authorizers: [
          {
            id: 'auth',
            type: 'REQUEST',
            functionName: 'authorizer',
            payloadFormatVersion: '2.0',
            enableSimpleResponses: true,
            identitySource: ['$request.header.Authorization'],
          },
        ],
        cors: {
          allowOrigins: ['https://app.example.com'],
          allowMethods: ['GET', 'POST'],
          allowHeaders: ['authorization', 'content-type'],
          exposeHeaders: ['x-kept'],
          maxAge: 300,
          allowCredentials: true,
        },
      }),
      api({ apiId: 'nocors1', routes: [route('GET /notes', 'notes')] }),
    ],
  });
  base = gateway.endpoint('abc123def4').url;
  noCors = gateway.endpoint('nocors1').url;
});
afterAll(() => gateway.close());

const preflight = (url: string, origin = 'https://app.example.com') =>
  send(url, {
    method: 'OPTIONS',
    headers: [
      ['Origin', origin],
      ['Access-Control-Request-Method', 'GET'],
      ['Access-Control-Request-Headers', 'authorization'],
    ],
  });

describe('gateway-managed CORS', () => {
  it('answers a preflight itself when no route takes OPTIONS, without invoking anything', async () => {
    const before = invoker.calls.length;
    const response = await preflight(`${base}/notes`);
    expect(response.status).toBe(204);
    expect(response.headers).toMatchObject({
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET,POST',
      'access-control-allow-headers': 'authorization,content-type',
      'access-control-max-age': '300',
    });
    expect(response.headers['apigw-requestid']).toBeDefined();
    expect(invoker.calls.length).toBe(before);
    // Even for paths without any route.
    expect((await preflight(`${base}/nowhere`)).status).toBe(204);
  });

  it('sends no CORS headers to a disallowed origin', async () => {
    const response = await preflight(`${base}/notes`, 'https://evil.example');
    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect(response.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('lets a route that takes OPTIONS handle the preflight (ANY with an authorizer → 401)', async () => {
    const explicit = await preflight(`${base}/explicit`);
    expect(explicit.status).toBe(200);
    expect(explicit.text).toBe('from the OPTIONS route');
    expect(explicit.headers['access-control-allow-origin']).toBe('https://app.example.com');
    const any = await preflight(`${base}/any`);
    expect(any.status).toBe(401);
  });

  it("replaces the backend's CORS headers with the configured ones", async () => {
    invoker.on('authorizer', () => ok({ isAuthorized: true }));
    const response = await send(`${base}/notes`, {
      headers: [
        ['Origin', 'https://app.example.com'],
        ['Authorization', 'x'],
      ],
    });
    expect(response.status).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(response.headers['access-control-allow-credentials']).toBe('true');
    expect(response.headers['access-control-expose-headers']).toBe('x-kept');
    expect(response.headers['access-control-max-age']).toBeUndefined();
    expect(response.headers['x-kept']).toBe('yes');
    // Without an Origin: backend CORS headers are still dropped, none added.
    const plain = await send(`${base}/notes`, { headers: [['Authorization', 'x']] });
    expect(plain.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('adds the headers to gateway errors too', async () => {
    const response = await send(`${base}/notes`, { headers: [['Origin', 'https://app.example.com']] });
    expect(response.status).toBe(401);
    expect(response.headers['access-control-allow-origin']).toBe('https://app.example.com');
  });

  it('leaves everything to the backend without a CORS configuration', async () => {
    expect((await preflight(`${noCors}/notes`)).status).toBe(404);
    const response = await send(`${noCors}/notes`, { headers: [['Origin', 'https://app.example.com']] });
    expect(response.headers['access-control-allow-origin']).toBe('https://evil.example');
  });
});
