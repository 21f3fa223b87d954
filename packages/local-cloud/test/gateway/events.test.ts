import {
  APIGatewayProxyEventV2Schema,
  APIGatewayRequestAuthorizerEventV2Schema,
} from '@aws-lambda-powertools/parser/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { type HttpApiGateway, startHttpApiGateway } from '../../src/gateway/http-api/index.js';
import { api, FakeInvoker, ok, route, send } from './helpers.js';

const clock = new ManualClock(Date.UTC(2024, 5, 17, 15, 49, 29, 348));
const invoker = new FakeInvoker()
  .on('v2', () => ok({ statusCode: 200 }))
  .on('v1', () => ok({ statusCode: 200 }))
  .on('auth', () => ok({ isAuthorized: true }));
let gateway: HttpApiGateway;
let base: string;

beforeAll(async () => {
  gateway = await startHttpApiGateway({
    invoker,
    clock,
    apis: [
      api({
        apiId: 'lsw1ro4ipb',
        region: 'eu-west-1',
        routes: [
          route('POST /lambda', 'v2'),
          route('ANY /notes/{id}', 'v2'),
          route('GET /guarded', 'v2', { authorization: { type: 'CUSTOM', authorizerId: 'simple' } }),
          {
            routeKey: 'ANY /v1/{proxy+}',
            integration: { type: 'AWS_PROXY', functionName: 'v1', payloadFormatVersion: '1.0' },
          },
        ],
        authorizers: [
          {
            id: 'simple',
            type: 'REQUEST',
            functionName: 'auth',
            payloadFormatVersion: '2.0',
            enableSimpleResponses: true,
            identitySource: ['$request.header.Authorization'],
          },
        ],
        stages: [{ name: '$default' }],
      }),
    ],
  });
  base = gateway.endpoint('lsw1ro4ipb').url;
});
afterAll(() => gateway.close());

type V2Event = {
  headers: Record<string, string>;
  requestContext: Record<string, unknown> & { http: Record<string, string> };
} & Record<string, unknown>;

describe('payload 2.0 event', () => {
  it("has the captured sample's shape (reference/events/http-no-auth.json) and passes Powertools' schema", async () => {
    const response = await send(`${base}/lambda`, {
      method: 'POST',
      headers: [
        ['Accept', '*/*'],
        ['Authorization', 'Bearer foo'],
        ['Content-Length', '0'],
        ['User-Agent', 'HTTPie/3.2.2'],
        ['Connection', 'keep-alive'],
      ],
    });
    expect(response.status).toBe(200);
    const event = invoker.lastEvent('v2') as V2Event;
    expect(APIGatewayProxyEventV2Schema.safeParse(event).success).toBe(true);
    // Absent optional fields are left out, as in the captured sample.
    expect(Object.keys(event).sort()).toEqual(
      [
        'headers',
        'isBase64Encoded',
        'rawPath',
        'rawQueryString',
        'requestContext',
        'routeKey',
        'version',
      ].sort(),
    );
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /lambda',
      rawPath: '/lambda',
      rawQueryString: '',
      isBase64Encoded: false,
    });
    expect(Object.keys(event.headers).sort()).toEqual(
      [
        'accept',
        'authorization',
        'content-length',
        'host',
        'user-agent',
        'x-amzn-trace-id',
        'x-forwarded-for',
        'x-forwarded-port',
        'x-forwarded-proto',
      ].sort(),
    );
    expect(event.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(event.headers['x-amzn-trace-id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(event.requestContext).toEqual({
      accountId: '123456789012',
      apiId: 'lsw1ro4ipb',
      domainName: 'lsw1ro4ipb.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'lsw1ro4ipb',
      http: {
        method: 'POST',
        path: '/lambda',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'HTTPie/3.2.2',
      },
      requestId: response.headers['apigw-requestid'],
      routeKey: 'POST /lambda',
      stage: '$default',
      time: '17/Jun/2024:15:49:29 +0000',
      timeEpoch: 1718639369348,
    });
  });

  it('lower-cases headers, joins repeats with commas, moves cookies out, joins repeated query parameters', async () => {
    await send(`${base}/notes/n%201?tag=a&tag=b&q=x%2By&empty`, {
      method: 'PUT',
      headers: [
        ['X-Multi', 'one'],
        ['x-multi', 'two'],
        ['Cookie', 'session=abc; theme=dark'],
        ['Cookie', 'lang=en'],
      ],
    });
    const event = invoker.lastEvent('v2') as V2Event;
    expect(APIGatewayProxyEventV2Schema.safeParse(event).success).toBe(true);
    expect(event.headers['x-multi']).toBe('one,two');
    expect(event.headers.cookie).toBeUndefined();
    expect(event.cookies).toEqual(['session=abc', 'theme=dark', 'lang=en']);
    expect(event.rawQueryString).toBe('tag=a&tag=b&q=x%2By&empty');
    expect(event.queryStringParameters).toEqual({ tag: 'a,b', q: 'x+y', empty: '' });
    // HTTP APIs deliver the path percent-decoded.
    expect(event.rawPath).toBe('/notes/n 1');
    expect(event.pathParameters).toEqual({ id: 'n 1' });
    expect(event.routeKey).toBe('ANY /notes/{id}');
  });

  it('passes text bodies as text and everything else base64-encoded', async () => {
    const cases: Array<[string | undefined, string, boolean]> = [
      ['application/json; charset=utf-8', '{"a":1}', false],
      ['text/plain', 'héllo', false],
      ['application/xml', '<a/>', false],
      ['application/x-www-form-urlencoded', 'a=1&b=2', true],
      ['application/octet-stream', '\u0000\u0001binary', true],
      [undefined, 'no type', true],
    ];
    for (const [type, body, base64] of cases) {
      const headers: Array<[string, string]> = type ? [['Content-Type', type]] : [];
      await send(`${base}/notes/1`, { method: 'POST', headers, body });
      const event = invoker.lastEvent('v2');
      expect(event.isBase64Encoded, type).toBe(base64);
      expect(event.body, type).toBe(base64 ? Buffer.from(body).toString('base64') : body);
    }
  });

  it('carries a Lambda authorizer context under authorizer.lambda (null without one)', async () => {
    await send(`${base}/guarded`, { headers: [['Authorization', 'token']] });
    const event = invoker.lastEvent('v2') as V2Event;
    expect(event.requestContext.authorizer).toEqual({ lambda: null });
    expect(APIGatewayProxyEventV2Schema.safeParse(event).success).toBe(true);
    const authorizerEvent = invoker.lastEvent('auth');
    expect(APIGatewayRequestAuthorizerEventV2Schema.safeParse(authorizerEvent).success).toBe(true);
  });
});

describe('payload 1.0 event', () => {
  it('has the REST shape plus version, last values in headers and all of them in multiValue fields', async () => {
    await send(`${base}/v1/a/b?x=1&x=2&y=3`, {
      method: 'POST',
      headers: [
        ['X-Multi', 'one'],
        ['X-Multi', 'two'],
        ['Cookie', 'a=1'],
        ['Content-Type', 'application/json'],
      ],
      body: '{"ok":true}',
    });
    const event = invoker.lastEvent('v1') as Record<string, unknown> & {
      headers: Record<string, string>;
      multiValueHeaders: Record<string, string[]>;
      requestContext: Record<string, unknown>;
    };
    expect(event).toMatchObject({
      version: '1.0',
      resource: '/v1/{proxy+}',
      path: '/v1/a/b',
      httpMethod: 'POST',
      queryStringParameters: { x: '2', y: '3' },
      multiValueQueryStringParameters: { x: ['1', '2'], y: ['3'] },
      pathParameters: { proxy: 'a/b' },
      stageVariables: null,
      body: '{"ok":true}',
      isBase64Encoded: false,
    });
    expect(event.headers['x-multi']).toBe('two');
    expect(event.multiValueHeaders['x-multi']).toEqual(['one', 'two']);
    expect(event.headers.cookie).toBe('a=1');
    expect(event.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(event.requestContext).toMatchObject({
      accountId: '123456789012',
      apiId: 'lsw1ro4ipb',
      authorizer: { claims: null, scopes: null },
      domainName: 'lsw1ro4ipb.execute-api.eu-west-1.amazonaws.com',
      httpMethod: 'POST',
      path: '/v1/a/b',
      protocol: 'HTTP/1.1',
      requestTime: '17/Jun/2024:15:49:29 +0000',
      requestTimeEpoch: 1718639369348,
      resourcePath: '/v1/{proxy+}',
      stage: '$default',
      identity: expect.objectContaining({ sourceIp: '127.0.0.1', userAgent: '', accessKey: null }),
    });
  });

  it('uses null for absent query, path parameters and body', async () => {
    await send(`${base}/v1/x`);
    expect(invoker.lastEvent('v1')).toMatchObject({
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      body: null,
      isBase64Encoded: false,
    });
  });
});
