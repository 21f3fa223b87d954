import { APIGatewayProxyEventSchema } from '@aws-lambda-powertools/parser/schemas';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/clock.js';
import { type RestApiGateway, startRestApiGateway } from '../../../src/gateway/rest-api/index.js';
import { API_ID, FakeInvoker, method, ok, resource, restApi, send } from './helpers.js';

// The captured sample's time (reference/events/rest-no-auth.json).
const clock = new ManualClock(1718635693506);
const invoker = new FakeInvoker().on('fn', () => ok({ statusCode: 200 }));
let gateway: RestApiGateway;
let base: string;

beforeAll(async () => {
  gateway = await startRestApiGateway({
    invoker,
    clock,
    apis: [
      restApi({
        resources: [
          resource('/no-auth', method('POST', 'fn'), method('GET', 'fn')),
          resource('/items/{id}', method('ANY', 'fn')),
        ],
        binaryMediaTypes: ['image/*'],
        stages: [
          { name: 'prod', deploymentId: 'v99qix' },
          { name: 'test', variables: { table: 'items-test', mode: 'x' } },
        ],
      }),
    ],
  });
  base = gateway.endpoint(API_ID).url;
});
afterAll(() => gateway.close());
beforeEach(() => invoker.reset());

const lastEvent = () => invoker.lastEvent('fn') as unknown as APIGatewayProxyEvent;

describe('REST proxy event (payload 1.0)', () => {
  it("has the captured sample's shape and passes Powertools' APIGatewayProxyEventSchema", async () => {
    const response = await send(`${base}/prod/no-auth`, {
      method: 'POST',
      headers: [
        ['Accept', '*/*'],
        ['Accept-Encoding', 'gzip, deflate'],
        ['User-Agent', 'HTTPie/3.2.2'],
        ['Content-Length', '0'],
        ['Connection', 'keep-alive'],
      ],
    });
    expect(response.status).toBe(200);
    const event = lastEvent();
    const parsed = APIGatewayProxyEventSchema.safeParse(event);
    expect(parsed.error).toBeUndefined();
    // Field order and null-vs-absent exactly as in reference/events/rest-no-auth.json.
    expect(Object.keys(event)).toEqual([
      'resource',
      'path',
      'httpMethod',
      'headers',
      'multiValueHeaders',
      'queryStringParameters',
      'multiValueQueryStringParameters',
      'pathParameters',
      'stageVariables',
      'requestContext',
      'body',
      'isBase64Encoded',
    ]);
    expect(event).toMatchObject({
      resource: '/no-auth',
      path: '/no-auth',
      httpMethod: 'POST',
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: null,
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
    });
    expect(Object.keys(event.requestContext)).toEqual([
      'resourceId',
      'resourcePath',
      'httpMethod',
      'extendedRequestId',
      'requestTime',
      'path',
      'accountId',
      'protocol',
      'stage',
      'domainPrefix',
      'requestTimeEpoch',
      'requestId',
      'identity',
      'domainName',
      'deploymentId',
      'apiId',
    ]);
    expect(event.requestContext).toMatchObject({
      resourceId: expect.stringMatching(/^[a-z0-9]{6}$/),
      resourcePath: '/no-auth',
      httpMethod: 'POST',
      extendedRequestId: response.headers['x-amz-apigw-id'],
      requestTime: '17/Jun/2024:14:48:13 +0000',
      path: '/prod/no-auth',
      accountId: '123456789012',
      protocol: 'HTTP/1.1',
      stage: 'prod',
      domainPrefix: API_ID,
      requestTimeEpoch: 1718635693506,
      requestId: response.headers['x-amzn-requestid'],
      domainName: `${API_ID}.execute-api.eu-west-1.amazonaws.com`,
      deploymentId: 'v99qix',
      apiId: API_ID,
    });
    expect(event.requestContext.identity).toEqual({
      cognitoIdentityPoolId: null,
      accountId: null,
      cognitoIdentityId: null,
      caller: null,
      sourceIp: '127.0.0.1',
      principalOrgId: null,
      accessKey: null,
      cognitoAuthenticationType: null,
      cognitoAuthenticationProvider: null,
      userArn: null,
      userAgent: 'HTTPie/3.2.2',
      user: null,
    });
    // Client casing kept, sorted like the captured events; Content-Length and Connection not forwarded;
    // the edge's X-Forwarded-* and X-Amzn-Trace-Id added.
    expect(Object.keys(event.headers)).toEqual([
      'Accept',
      'Accept-Encoding',
      'Host',
      'User-Agent',
      'X-Amzn-Trace-Id',
      'X-Forwarded-For',
      'X-Forwarded-Port',
      'X-Forwarded-Proto',
    ]);
    expect(event.headers['X-Forwarded-For']).toBe('127.0.0.1');
    expect(event.headers['X-Forwarded-Proto']).toBe('http');
    expect(event.headers['X-Amzn-Trace-Id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(event.multiValueHeaders.Accept).toEqual(['*/*']);
    // The response carries the same trace id.
    expect(response.headers['x-amzn-trace-id']).toBe(event.headers['X-Amzn-Trace-Id']);
  });

  it('keeps every value of repeated headers and query parameters, the last one in the single-value maps', async () => {
    await send(`${base}/prod/no-auth?category=electronics&category=books&q=a%20b&flag`, {
      headers: [
        ['tEsT-HEADeR', 'one'],
        ['test-header', 'two'],
        ['authorization', 'Bearer t'],
      ],
    });
    const event = lastEvent();
    expect(event.queryStringParameters).toEqual({ category: 'books', q: 'a b', flag: '' });
    expect(event.multiValueQueryStringParameters).toEqual({
      category: ['electronics', 'books'],
      q: ['a b'],
      flag: [''],
    });
    expect(event.headers['tEsT-HEADeR']).toBe('two');
    expect(event.multiValueHeaders['tEsT-HEADeR']).toEqual(['one', 'two']);
    // Authorization is capitalised by the edge.
    expect(event.headers.Authorization).toBe('Bearer t');
    expect(APIGatewayProxyEventSchema.safeParse(event).success).toBe(true);
  });

  it('passes path parameters, stage variables, the real verb of an ANY method and a text body', async () => {
    await send(`${base}/test/items/42`, {
      method: 'PUT',
      headers: [['Content-Type', 'application/json']],
      body: '{"name":"x"}',
    });
    const event = lastEvent();
    expect(event).toMatchObject({
      resource: '/items/{id}',
      path: '/items/42',
      httpMethod: 'PUT',
      pathParameters: { id: '42' },
      stageVariables: { table: 'items-test', mode: 'x' },
      body: '{"name":"x"}',
      isBase64Encoded: false,
    });
    expect(event.requestContext.path).toBe('/test/items/42');
    expect(event.requestContext.stage).toBe('test');
    expect((event.requestContext as unknown as Record<string, unknown>).deploymentId).toMatch(
      /^[a-z0-9]{6}$/,
    );
    expect(APIGatewayProxyEventSchema.safeParse(event).success).toBe(true);
  });

  it('base64-encodes binary media types and bodies that are not UTF-8', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
    await send(`${base}/prod/no-auth`, {
      method: 'POST',
      headers: [['Content-Type', 'image/png']],
      body: png,
    });
    expect(lastEvent()).toMatchObject({ body: png.toString('base64'), isBase64Encoded: true });
    await send(`${base}/prod/no-auth`, {
      method: 'POST',
      headers: [['Content-Type', 'application/octet-stream']],
      body: Buffer.from([0xff, 0xfe]),
    });
    expect(lastEvent()).toMatchObject({ body: '//4=', isBase64Encoded: true });
    await send(`${base}/prod/no-auth`, {
      method: 'POST',
      headers: [['Content-Type', 'text/plain']],
      body: 'héllo',
    });
    expect(lastEvent()).toMatchObject({ body: 'héllo', isBase64Encoded: false });
  });

  it("shows the AWS host when a function calls its API's real URL through the worker's rewrite", async () => {
    await send(`${base}/prod/no-auth`, {
      headers: [['x-forwarded-host', `${API_ID}.execute-api.eu-west-1.amazonaws.com`]],
    });
    const event = lastEvent();
    expect(event.headers.Host).toBe(`${API_ID}.execute-api.eu-west-1.amazonaws.com`);
    expect(event.headers['X-Forwarded-Proto']).toBe('https');
    expect(event.headers['X-Forwarded-Port']).toBe('443');
    expect(event.headers).not.toHaveProperty('x-forwarded-host');
  });
});
