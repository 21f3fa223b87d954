import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type MockIntegrationConfig,
  type MockIntegrationResponseConfig,
  type RestApiGateway,
  type RestMethodConfig,
  startRestApiGateway,
} from '../../../src/gateway/rest-api/index.js';
import {
  API_ID,
  FakeInvoker,
  failed,
  headerNames,
  lambda,
  method,
  ok,
  resource,
  restApi,
  send,
} from './helpers.js';

/** §5.2, recorded against AWS: what the Lambda returns → what the client gets. */
const MATRIX: Record<string, unknown> = {
  'no-body': { statusCode: 200 },
  'bool-header': { statusCode: 200, headers: { 'test-header': 'value', 'header-bool': true } },
  'null-headers': { statusCode: 200, headers: null },
  'unknown-key': { statusCode: 200, wrongValue: 'value' },
  string: 'justAString',
  'bad-status': { statusCode: 'test' },
  'string-status': { statusCode: '201' },
  'no-status': { headers: { 'test-header': 'value' } },
  multi: { statusCode: 200, multiValueHeaders: { 'test-multi': ['value1', 'value2'] } },
  'multi-and-single': {
    statusCode: 200,
    multiValueHeaders: { 'test-multi': ['value-multi'] },
    headers: { 'test-multi': 'value-solo' },
  },
  'multi-casing': {
    statusCode: 200,
    multiValueHeaders: { 'tesT-Multi': ['value-multi'] },
    headers: { 'test-multi': 'value-solo' },
  },
  'multi-not-list': { multiValueHeaders: { x: 'value1' } },
  base64: { statusCode: 200, isBase64Encoded: true, body: 'dGVzdC1kYXRh' },
  'object-body': { statusCode: 200, body: { a: 1 } },
  nothing: undefined,
  cookies: { statusCode: 200, multiValueHeaders: { 'Set-Cookie': ['a=1; Path=/', 'b=2; Path=/'] } },
  remapped: {
    statusCode: 200,
    headers: { Date: 'Mon, 01 Jan 2024 00:00:00 GMT', Server: 'mine', 'Content-Type': 'text/plain' },
    body: 'hi',
  },
};

const invoker = new FakeInvoker()
  .on('matrix', (event) => ok(MATRIX[(event.queryStringParameters as { case: string }).case]))
  .on('throws', () => failed('error', 'TypeError', 'x is undefined'))
  .on('crashes', () => failed('crash', 'Runtime.ExitError', 'exited'))
  .on('own-timeout', () => failed('timeout', 'Sandbox.Timedout', 'Task timed out after 3.00 seconds'))
  .on('deadline', () => failed('timeout', 'Local.DeadlineExceeded', 'deadline'))
  .on('lambda-throttled', () => failed('throttled', 'TooManyRequestsException', 'Rate exceeded'))
  .on('slow', async () => {
    await sleep(300);
    return ok({ statusCode: 200 });
  })
  .on('png', () =>
    ok({
      statusCode: 200,
      headers: { 'Content-Type': 'image/png' },
      isBase64Encoded: true,
      body: 'iVBORw==',
    }),
  );
let gateway: RestApiGateway;
let base: string;

/** `$context.*` in both forms (`$x` and `${x}`), and `$stageVariables.*`. */
const DEFAULT_5XX_TEMPLATE = `{"error":$context.error.messageString,"type":"$context.error.responseType","id":"$context.requestId","stage":"\${context.stage}","env":"$stageVariables.env"}`;

/** What CDK's `addCorsPreflight` synthesises (single origin). */
const cdkPreflight: RestMethodConfig & { integration: MockIntegrationConfig } = {
  httpMethod: 'OPTIONS',
  authorizationType: 'NONE',
  apiKeyRequired: false,
  integration: {
    type: 'MOCK',
    requestTemplates: { 'application/json': '{ statusCode: 200 }' },
    integrationResponses: [
      {
        statusCode: '204',
        responseParameters: {
          'method.response.header.Access-Control-Allow-Headers':
            "'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token,X-Amz-User-Agent'",
          'method.response.header.Access-Control-Allow-Origin': "'https://shop.example.com'",
          'method.response.header.Vary': "'Origin'",
          'method.response.header.Access-Control-Allow-Methods': "'OPTIONS,GET,PUT,POST,DELETE,PATCH,HEAD'",
        },
      },
    ],
  },
};

/** What CDK's `addCorsPreflight` synthesises for three origins: the first static, the others echoed by VTL. */
const multiOriginPreflight: RestMethodConfig = {
  ...cdkPreflight,
  integration: {
    ...cdkPreflight.integration,
    integrationResponses: [
      {
        ...(cdkPreflight.integration.integrationResponses?.[0] as MockIntegrationResponseConfig),
        responseTemplates: {
          'application/json': [
            '#set($origin = $input.params().header.get("Origin"))',
            '#if($origin == "")',
            '  #set($origin = $input.params().header.get("origin"))',
            '#end',
            '#if($origin == "https://admin.example.com" || $origin == "http://localhost:3000")',
            '  #set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)',
            '#end',
          ].join('\n'),
        },
      },
    ],
  },
};

/** VTL outside the subset (vtl.ts): cannot run locally. */
const dynamicPreflight: RestMethodConfig = {
  ...cdkPreflight,
  integration: {
    ...cdkPreflight.integration,
    integrationResponses: [
      {
        ...(cdkPreflight.integration.integrationResponses?.[0] as MockIntegrationResponseConfig),
        responseTemplates: {
          'application/json': '#foreach($name in $input.params().header.keySet())$name#end',
        },
      },
    ],
  },
};

beforeAll(async () => {
  gateway = await startRestApiGateway({
    invoker,
    apis: [
      restApi({
        binaryMediaTypes: ['image/png'],
        resources: [
          resource('/matrix', method('GET', 'matrix')),
          resource('/throws', method('GET', 'throws')),
          resource('/crashes', method('GET', 'crashes')),
          resource('/own-timeout', method('GET', 'own-timeout')),
          resource('/deadline', method('GET', 'deadline')),
          resource('/lambda-throttled', method('GET', 'lambda-throttled')),
          resource('/slow', { httpMethod: 'GET', integration: lambda('slow', { timeoutMs: 50 }) }),
          resource('/png', method('GET', 'png')),
          resource('/products', method('GET', 'matrix'), cdkPreflight),
          resource('/dynamic', dynamicPreflight),
          resource('/multi-origin', multiOriginPreflight),
          resource('/vtl/{id}', {
            httpMethod: 'GET',
            integration: {
              type: 'MOCK',
              requestTemplates: {
                'application/json':
                  '#if($input.params(\'fail\') == "yes"){"statusCode": 500}#else{"statusCode": 200}#end',
              },
              integrationResponses: [
                {
                  statusCode: '200',
                  responseParameters: {
                    'method.response.header.X-Origin': 'method.request.header.Origin',
                    'method.response.header.X-Stage': 'context.stage',
                  },
                  responseTemplates: {
                    'application/json': [
                      "#set($id = $input.params('id'))",
                      '{"id":"$id","request":"$context.requestId","q":"$util.escapeJavaScript($input.params(\'q\'))"}',
                      '#if($id == "teapot")',
                      '#set($context.responseOverride.status = 418)',
                      '#end',
                    ].join('\n'),
                  },
                },
                {
                  statusCode: '503',
                  selectionPattern: '5\\d{2}',
                  responseTemplates: { 'application/json': '{"failed":true}' },
                },
              ],
            },
          }),
          resource('/mock', {
            httpMethod: 'GET',
            integration: {
              type: 'MOCK',
              requestTemplates: { 'application/json': '{"statusCode": 404}' },
              integrationResponses: [
                { statusCode: '200', responseTemplates: { 'application/json': '{"ok":true}' } },
                {
                  statusCode: '404',
                  selectionPattern: '4\\d{2}',
                  responseTemplates: { 'application/json': '{"message":"not here"}' },
                },
              ],
            },
          }),
        ],
      }),
      restApi({
        apiId: 'custom1234',
        resources: [
          resource('/fails', method('GET', 'throws')),
          resource('/guarded', method('GET', 'matrix', { authorizationType: 'CUSTOM', authorizerId: 'a' })),
          resource('/keyed', method('GET', 'matrix', { apiKeyRequired: true })),
        ],
        authorizers: [
          {
            id: 'a',
            type: 'TOKEN',
            functionName: 'nobody',
            identitySource: 'method.request.header.Authorization',
          },
        ],
        stages: [{ name: 'prod', variables: { env: 'production' } }],
        gatewayResponses: [
          {
            type: 'DEFAULT_4XX',
            responseParameters: {
              'gatewayresponse.header.Access-Control-Allow-Origin': "'*'",
              'gatewayresponse.header.X-Echo-Origin': 'method.request.header.Origin',
            },
          },
          {
            type: 'DEFAULT_5XX',
            responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" },
            responseTemplates: { 'application/json': DEFAULT_5XX_TEMPLATE },
          },
          {
            type: 'MISSING_AUTHENTICATION_TOKEN',
            statusCode: '404',
            responseTemplates: { 'application/json': '{"message":"Not Found: $context.path"}' },
          },
          {
            type: 'UNAUTHORIZED',
            responseParameters: { 'gatewayresponse.header.WWW-Authenticate': "'Bearer'" },
          },
        ],
      }),
    ],
  });
  base = `${gateway.endpoint(API_ID).url}/prod`;
});
afterAll(() => gateway.close());
beforeEach(() => invoker.reset());

const matrix = (name: string, headers: Array<[string, string]> = []) =>
  send(`${base}/matrix?case=${name}`, { headers });

const expect502 = (response: Awaited<ReturnType<typeof send>>) => {
  expect(response.status).toBe(502);
  expect(response.text).toBe('{"message":"Internal server error"}');
  expect(response.headers['x-amzn-errortype']).toBe('InternalServerErrorException');
};

describe('Lambda proxy output matrix (Appendix A.6, §5.2)', () => {
  it('{"statusCode":200} → 200, empty body, Content-Type: application/json', async () => {
    const response = await matrix('no-body');
    expect(response.status).toBe(200);
    expect(response.text).toBe('');
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.headers['content-length']).toBe('0');
  });

  it('serialises a boolean header value; accepts headers: null', async () => {
    const response = await matrix('bool-header');
    expect(response.headers['header-bool']).toBe('true');
    expect(response.headers['test-header']).toBe('value');
    expect((await matrix('null-headers')).status).toBe(200);
  });

  it('502 for an unknown key, a plain string, a non-numeric statusCode, a non-list multiValueHeaders value, an object body, no result', async () => {
    for (const name of ['unknown-key', 'string', 'bad-status', 'multi-not-list', 'object-body', 'nothing']) {
      expect502(await matrix(name));
    }
  });

  it('accepts a numeric string statusCode and defaults to 200 without one', async () => {
    expect((await matrix('string-status')).status).toBe(201);
    const noStatus = await matrix('no-status');
    expect(noStatus.status).toBe(200);
    expect(noStatus.headers['test-header']).toBe('value');
  });

  it('merges multiValueHeaders and headers, the multi-value casing first', async () => {
    expect((await fetch(`${base}/matrix?case=multi`)).headers.get('test-multi')).toBe('value1, value2');
    expect((await fetch(`${base}/matrix?case=multi-and-single`)).headers.get('test-multi')).toBe(
      'value-multi, value-solo',
    );
    const casing = await matrix('multi-casing');
    expect(casing.rawHeaders.filter((_, i) => i % 2 === 0)).toContain('tesT-Multi');
    expect(casing.header('test-multi')).toEqual(['value-multi', 'value-solo']);
    // One line per value, so cookies survive.
    expect((await matrix('cookies')).header('set-cookie')).toEqual(['a=1; Path=/', 'b=2; Path=/']);
  });

  it('returns an isBase64Encoded body still encoded unless Accept names a binary media type', async () => {
    expect((await matrix('base64')).text).toBe('dGVzdC1kYXRh');
    const png = await send(`${base}/png`, { headers: [['Accept', 'image/png']] });
    expect(png.body).toEqual(Buffer.from('iVBORw==', 'base64'));
    expect((await send(`${base}/png`)).text).toBe('iVBORw==');
  });

  it('remaps Date and Server, keeps the function Content-Type', async () => {
    const response = await matrix('remapped');
    expect(response.headers['x-amzn-remapped-date']).toBe('Mon, 01 Jan 2024 00:00:00 GMT');
    expect(response.headers['x-amzn-remapped-server']).toBe('mine');
    expect(response.headers['content-type']).toBe('text/plain');
    expect(headerNames(response)).toEqual(
      expect.arrayContaining(['x-amzn-RequestId', 'x-amz-apigw-id', 'X-Amzn-Trace-Id']),
    );
  });
});

describe('integration failures', () => {
  it('502 Internal server error for a function error, a crash or the function timing out by itself', async () => {
    for (const path of ['/throws', '/crashes', '/own-timeout']) expect502(await send(`${base}${path}`));
  });

  it('504 Endpoint request timed out when the integration timeout passes', async () => {
    const started = Date.now();
    const response = await send(`${base}/slow`);
    expect(response.status).toBe(504);
    expect(response.text).toBe('{"message":"Endpoint request timed out"}');
    expect(Date.now() - started).toBeLessThan(250);
    const deadline = await send(`${base}/deadline`);
    expect(deadline.status).toBe(504);
  });

  it('500 when Lambda throttles the invocation', async () => {
    const response = await send(`${base}/lambda-throttled`);
    expect(response.status).toBe(500);
    expect(response.text).toBe('{"message":"Internal server error"}');
  });

  it('413 plain text for bodies over 10 MB', async () => {
    const response = await send(`${base}/matrix`, {
      method: 'POST',
      headers: [['Content-Length', String(10 * 1024 * 1024 + 1)]],
      body: 'x',
    });
    expect(response.status).toBe(413);
    expect(response.text).toBe('HTTP content length exceeded 10485760 bytes.');
  });
});

describe('MOCK integrations', () => {
  it("answers CDK's CORS preflight with the integration response's status and static headers", async () => {
    const response = await send(`${base}/products`, {
      method: 'OPTIONS',
      headers: [
        ['Origin', 'https://shop.example.com'],
        ['Access-Control-Request-Method', 'POST'],
      ],
    });
    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('https://shop.example.com');
    expect(response.headers['access-control-allow-methods']).toBe('OPTIONS,GET,PUT,POST,DELETE,PATCH,HEAD');
    expect(response.headers['access-control-allow-headers']).toBe(
      'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token,X-Amz-User-Agent',
    );
    expect(response.headers.vary).toBe('Origin');
    expect(response.text).toBe('');
    expect(invoker.calls).toHaveLength(0);
  });

  it("echoes the extra origins of CDK's several-origin preflight, and keeps the static one otherwise", async () => {
    const allowOrigin = async (origin: string | undefined) => {
      const response = await send(`${base}/multi-origin`, {
        method: 'OPTIONS',
        headers: origin === undefined ? [] : [['Origin', origin]],
      });
      expect(response.status).toBe(204);
      expect(response.text).toBe('');
      return response.headers['access-control-allow-origin'];
    };
    expect(await allowOrigin('http://localhost:3000')).toBe('http://localhost:3000');
    expect(await allowOrigin('https://admin.example.com')).toBe('https://admin.example.com');
    expect(await allowOrigin('https://shop.example.com')).toBe('https://shop.example.com');
    expect(await allowOrigin('https://evil.example.com')).toBe('https://shop.example.com');
    expect(await allowOrigin(undefined)).toBe('https://shop.example.com');
    expect(invoker.calls).toHaveLength(0);
  });

  it('renders VTL request and response templates, request parameters and response overrides', async () => {
    const response = await send(`${base}/vtl/7?q=a"b`, { headers: [['Origin', 'https://a.example']] });
    expect(response.status).toBe(200);
    const body = response.json() as { id: string; request: string; q: string };
    expect(body).toEqual({ id: '7', request: response.headers['x-amzn-requestid'], q: 'a"b' });
    expect(response.text).toContain('"q":"a\\"b"');
    expect(response.headers['x-origin']).toBe('https://a.example');
    expect(response.headers['x-stage']).toBe('prod');
    expect((await send(`${base}/vtl/teapot`)).status).toBe(418);
    const failed = await send(`${base}/vtl/7?fail=yes`);
    expect(failed.status).toBe(503);
    expect(failed.text).toBe('{"failed":true}');
  });

  it('selects the integration response by selectionPattern and sends its static template', async () => {
    const response = await send(`${base}/mock`);
    expect(response.status).toBe(404);
    expect(response.text).toBe('{"message":"not here"}');
  });

  it('reports a mapping outside the VTL subset as a gap and answers 500', async () => {
    expect(gateway.gaps).toEqual([
      {
        apiId: API_ID,
        subject: 'OPTIONS /dynamic',
        message:
          'MOCK integration: response template for application/json: VTL #foreach is not supported (at character 9) (requests get 500)',
      },
    ]);
    const response = await send(`${base}/dynamic`, { method: 'OPTIONS' });
    expect(response.status).toBe(500);
    expect(response.text).toBe('{"message":"Internal server error"}');
  });
});

describe('gateway responses', () => {
  const customBase = () => `${gateway.endpoint('custom1234').url}/prod`;

  it('adds DEFAULT_4XX headers to 4XX types without their own configuration', async () => {
    const response = await send(`${customBase()}/keyed`, { headers: [['Origin', 'https://a.example']] });
    expect(response.status).toBe(403);
    expect(response.text).toBe('{"message":"Forbidden"}');
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.headers['x-echo-origin']).toBe('https://a.example');
    expect(response.headers['x-amzn-errortype']).toBe('ForbiddenException');
  });

  it('uses a type of its own instead of DEFAULT_4XX (no inheritance of its headers)', async () => {
    const response = await send(`${customBase()}/guarded`);
    expect(response.status).toBe(401);
    expect(response.text).toBe('{"message":"Unauthorized"}');
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.headers).not.toHaveProperty('access-control-allow-origin');
  });

  it('applies a custom status code and template with $context variables', async () => {
    const response = await send(`${customBase()}/nope`);
    expect(response.status).toBe(404);
    expect(response.text).toBe('{"message":"Not Found: /prod/nope"}');
    expect(response.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
  });

  it('renders DEFAULT_5XX for integration failures, keeping the 502', async () => {
    const response = await send(`${customBase()}/fails`);
    expect(response.status).toBe(502);
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.json()).toEqual({
      error: 'Internal server error',
      type: 'INTEGRATION_FAILURE',
      id: response.headers['x-amzn-requestid'],
      stage: 'prod',
      env: 'production',
    });
  });

  it('answers 500 AUTHORIZER_CONFIGURATION_ERROR through DEFAULT_5XX with a null message', async () => {
    const response = await send(`${customBase()}/guarded`, { headers: [['Authorization', 'x']] });
    expect(response.status).toBe(500);
    expect(response.json()).toMatchObject({ error: null, type: 'AUTHORIZER_CONFIGURATION_ERROR' });
    expect(response.headers['x-amzn-errortype']).toBe('AuthorizerConfigurationException');
  });

  it('rejects invalid gateway responses at start', async () => {
    const start = (gatewayResponses: unknown) =>
      startRestApiGateway({
        invoker,
        apis: [
          restApi({
            resources: [resource('/a', method('GET', 'x'))],
            gatewayResponses: gatewayResponses as [],
          }),
        ],
      });
    await expect(start([{ type: 'NOPE' }])).rejects.toThrow(/unknown gateway response type NOPE/);
    await expect(start([{ type: 'THROTTLED', statusCode: '99' }])).rejects.toThrow(/not an HTTP status/);
    await expect(start([{ type: 'THROTTLED', responseParameters: { 'x-header': "'a'" } }])).rejects.toThrow(
      /gatewayresponse.header/,
    );
  });
});
