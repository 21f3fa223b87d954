import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/clock.js';
import { type RestApiGateway, startRestApiGateway } from '../../../src/gateway/rest-api/index.js';
import { API_ID, FakeInvoker, headerNames, method, ok, resource, restApi, send } from './helpers.js';

const invoker = new FakeInvoker()
  .on('list', () => ok({ statusCode: 200, body: 'list' }))
  .on('get', () => ok({ statusCode: 200, body: 'get' }))
  .on('root', () => ok({ statusCode: 200, body: 'root' }))
  .on('proxy', () => ok({ statusCode: 200, body: 'proxy' }))
  .on('featured', () => ok({ statusCode: 200, body: 'featured' }))
  .on('other', () => ok({ statusCode: 200, body: 'other' }));
let gateway: RestApiGateway;
let base: string;
const accessLog: string[] = [];

beforeAll(async () => {
  gateway = await startRestApiGateway({
    invoker,
    clock: new ManualClock(),
    accessLog: (line) => accessLog.push(line),
    apis: [
      restApi({
        resources: [
          resource('/', method('GET', 'root')),
          resource('/products', method('GET', 'list'), method('POST', 'list')),
          resource('/products/{id}', method('GET', 'get')),
          resource('/products/featured', method('GET', 'featured')),
          resource('/files/{proxy+}', method('ANY', 'proxy')),
          // An intermediate resource without methods does not take part in routing.
          { path: '/empty', methods: [] },
          resource('/empty/{id}', method('GET', 'get')),
        ],
        stages: [{ name: 'prod' }, { name: 'dev-2' }],
      }),
      restApi({ apiId: 'second1234', resources: [resource('/other', method('GET', 'other'))] }),
    ],
  });
  base = gateway.endpoint(API_ID).url;
});
afterAll(() => gateway.close());
beforeEach(() => {
  invoker.reset();
  accessLog.length = 0;
});

describe('REST routing (Appendix A.1)', () => {
  it('answers an unknown path with 403 Missing Authentication Token and the recorded headers', async () => {
    const response = await send(`${base}/prod/nope`);
    expect(response.status).toBe(403);
    expect(response.text).toBe('{"message":"Missing Authentication Token"}');
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
    expect(response.headers['x-amzn-requestid']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(response.headers['x-amz-apigw-id']).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    expect(headerNames(response)).toEqual(
      expect.arrayContaining(['Content-Type', 'x-amzn-ErrorType', 'x-amzn-RequestId', 'x-amz-apigw-id']),
    );
    expect(invoker.calls).toHaveLength(0);
  });

  it('answers a method the resource does not have with the same 403', async () => {
    const response = await send(`${base}/prod/products/1`, { method: 'DELETE' });
    expect(response.status).toBe(403);
    expect(response.text).toBe('{"message":"Missing Authentication Token"}');
    expect(response.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
    // OPTIONS without an OPTIONS method is no exception on REST APIs.
    expect((await send(`${base}/prod/products`, { method: 'OPTIONS' })).status).toBe(403);
  });

  it('answers a missing or unknown stage with 403 {"message":"Forbidden"}', async () => {
    for (const path of ['/', '/staging/products', '/products']) {
      const response = await send(`${base}${path}`);
      expect(response.status, path).toBe(403);
      expect(response.text).toBe('{"message":"Forbidden"}');
      expect(response.headers['x-amzn-errortype']).toBe('ForbiddenException');
    }
  });

  it('prefers a static segment over {param}, and a resource over the greedy variable', async () => {
    expect((await send(`${base}/prod/products/featured`)).text).toBe('featured');
    expect((await send(`${base}/prod/products/42`)).text).toBe('get');
    expect((await send(`${base}/prod/products`)).text).toBe('list');
    expect((await send(`${base}/prod`)).text).toBe('root');
    expect((await send(`${base}/prod/`)).text).toBe('root');
    expect((await send(`${base}/dev-2/products`)).text).toBe('list');
  });

  it('ignores one trailing slash and keeps path parameters percent-encoded (as recorded)', async () => {
    expect((await send(`${base}/prod/products/42/`)).text).toBe('get');
    await send(`${base}/prod/products/test%2Balias@x.com`);
    const event = invoker.lastEvent('get') as { path: string; pathParameters: Record<string, string> };
    expect(event.pathParameters).toEqual({ id: 'test%2Balias@x.com' });
    expect(event.path).toBe('/products/test%2Balias@x.com');
  });

  it('matches {proxy+} over several segments, keeps double slashes and drops the trailing slash from the value', async () => {
    await send(`${base}/prod/files/a/b//c/`, { method: 'PATCH' });
    const event = invoker.lastEvent('proxy') as {
      path: string;
      pathParameters: Record<string, string>;
      resource: string;
    };
    expect(event.resource).toBe('/files/{proxy+}');
    expect(event.path).toBe('/files/a/b//c/');
    expect(event.pathParameters).toEqual({ proxy: 'a/b//c' });
    // A greedy variable needs at least one character.
    expect((await send(`${base}/prod/files`)).status).toBe(403);
  });

  it('skips resources without methods', async () => {
    expect((await send(`${base}/prod/empty`)).status).toBe(403);
    expect((await send(`${base}/prod/empty/1`)).text).toBe('get');
  });

  it('routes by Host on the shared listener, by x-apigw-api-id, and answers 403 for an unknown API', async () => {
    const shared = gateway.url;
    const byHost = await send(`${shared}/prod/other`, {
      headers: [['Host', `second1234.execute-api.localhost:1`]],
    });
    expect(byHost.text).toBe('other');
    const awsHost = await send(`${shared}/prod/products`, {
      headers: [['Host', `${API_ID}.execute-api.eu-west-1.amazonaws.com`]],
    });
    expect(awsHost.text).toBe('list');
    const privateApi = await send(`${shared}/prod/other`, { headers: [['x-apigw-api-id', 'second1234']] });
    expect(privateApi.text).toBe('other');
    const unknown = await send(`${shared}/prod/other`, { headers: [['Host', 'zzz.execute-api.localhost']] });
    expect(unknown.status).toBe(403);
    expect(unknown.text).toBe('{"message":"Forbidden"}');
    // Two APIs: a request naming none has no API on the shared listener.
    expect((await send(`${shared}/prod/other`)).status).toBe(403);
    expect(gateway.endpoint('second1234').stages).toEqual([
      {
        stage: 'prod',
        url: `${gateway.endpoint('second1234').url}/prod`,
        hostUrl: expect.stringMatching(/^http:\/\/second1234\.execute-api\.localhost:\d+\/prod$/),
      },
    ]);
    expect(gateway.endpoint(API_ID).awsUrl).toBe(`https://${API_ID}.execute-api.eu-west-1.amazonaws.com`);
  });

  it('writes one access-log line per request', async () => {
    await send(`${base}/prod/products/7`, { headers: [['User-Agent', 'test/1']] });
    await send(`${base}/prod/nope`);
    expect(accessLog).toHaveLength(2);
    const [okLine, errorLine] = accessLog.map((l) => JSON.parse(l) as Record<string, string>);
    expect(okLine).toMatchObject({
      httpMethod: 'GET',
      resourcePath: '/products/{id}',
      path: '/prod/products/7',
      status: '200',
      stage: 'prod',
      apiId: API_ID,
      integrationStatus: '200',
      errorMessage: '-',
    });
    expect(errorLine).toMatchObject({
      status: '403',
      resourcePath: '-',
      errorMessage: 'Missing Authentication Token',
      errorResponseType: 'MISSING_AUTHENTICATION_TOKEN',
    });
  });
});

describe('REST API configuration', () => {
  const start = (resources: Parameters<typeof restApi>[0]['resources'], extra = {}) =>
    startRestApiGateway({ invoker, apis: [restApi({ resources, ...extra })] });

  it('rejects what AWS would reject', async () => {
    await expect(
      start([resource('/a/{id}', method('GET', 'get')), resource('/a/{name}/b', method('GET', 'get'))]),
    ).rejects.toThrow(/already has a variable path part/);
    await expect(start([resource('/a/{p+}/b', method('GET', 'get'))])).rejects.toThrow(
      /greedy variable must be the last/,
    );
    await expect(start([resource('/a', method('GET', 'get'), method('GET', 'get'))])).rejects.toThrow(
      /duplicate method/,
    );
    await expect(
      start([resource('/a', method('GET', 'get', { authorizationType: 'CUSTOM', authorizerId: 'x' }))]),
    ).rejects.toThrow(/unknown Lambda authorizer x/);
    await expect(
      start([resource('/a', method('GET', 'get'))], { stages: [{ name: 'bad stage' }] }),
    ).rejects.toThrow(/stage name/);
    await expect(
      start([resource('/a', method('GET', 'get'))], {
        stages: [{ name: 'prod', methodSettings: { '/b/GET': {} } }],
      }),
    ).rejects.toThrow(/unknown method \/b\/GET/);
    await expect(
      start([
        resource('/a', {
          httpMethod: 'GET',
          integration: { type: 'AWS_PROXY', functionName: 'f', timeoutMs: 10 },
        }),
      ]),
    ).rejects.toThrow(/timeoutMs/);
  });

  it('lists what it does not emulate as gaps and answers such methods with 500', async () => {
    const g = await startRestApiGateway({
      invoker,
      apis: [
        restApi({
          resources: [
            resource('/http', {
              httpMethod: 'GET',
              integration: { type: 'HTTP_PROXY', uri: 'https://example.com' },
            }),
            resource('/iam', method('GET', 'get', { authorizationType: 'AWS_IAM' })),
            resource(
              '/cognito',
              method('GET', 'get', { authorizationType: 'COGNITO_USER_POOLS', authorizerId: 'pool' }),
            ),
          ],
          authorizers: [
            {
              id: 'pool',
              type: 'COGNITO_USER_POOLS',
              providerArns: ['arn:aws:cognito-idp:eu-west-1:1:userpool/x'],
            },
          ],
        }),
      ],
    });
    try {
      expect(g.gaps.map((gap) => `${gap.subject}: ${gap.message}`)).toEqual([
        'authorizer pool: COGNITO_USER_POOLS authorizers are not emulated (requests with a token get 500)',
        'GET /http: HTTP_PROXY integrations are not emulated (requests get 500)',
        'GET /iam: AWS_IAM authorization is not emulated (signed requests get 500)',
        'GET /cognito: COGNITO_USER_POOLS authorization is not emulated (requests with a token get 500)',
      ]);
      const url = g.endpoint(API_ID).url;
      const http = await send(`${url}/prod/http`);
      expect(http.status).toBe(500);
      expect(http.text).toBe('{"message":"Internal server error"}');
      // What AWS answers without credentials is reproduced.
      const unsigned = await send(`${url}/prod/iam`);
      expect(unsigned.status).toBe(403);
      expect(unsigned.text).toBe('{"message":"Missing Authentication Token"}');
      expect(
        (await send(`${url}/prod/iam`, { headers: [['Authorization', 'AWS4-HMAC-SHA256 Credential=x']] }))
          .status,
      ).toBe(500);
      expect((await send(`${url}/prod/cognito`)).status).toBe(401);
      expect((await send(`${url}/prod/cognito`, { headers: [['Authorization', 'eyJ']] })).status).toBe(500);
    } finally {
      await g.close();
    }
  });
});
