/**
 * Access-log lines in a stage's declared format: the shared `$context` renderer (../access-log-format.ts)
 * and the REST variables (access-log.ts), on the format the catalog stack declares.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_LOG_FORMATS } from '../../../../../infra/lib/constructs/api-access-log/api-access-log.js';
import { AccessLogFormat } from '../../../src/gateway/access-log-format.js';
import { AccessLogEntry } from '../../../src/gateway/rest-api/access-log.js';
import { compileRestAccessLogFormat, startRestApiGateway } from '../../../src/gateway/rest-api/index.js';
import { API_ID, FakeInvoker, method, ok, resource, restApi, send } from './helpers.js';

/** The catalog stack's REST format, from infra (ApiAccessLog), as CDK writes it into the template. */
const CATALOG_FORMAT = JSON.stringify(ACCESS_LOG_FORMATS.rest);

const TIME = Date.UTC(2026, 11, 7, 15, 49, 29, 123);

/** An entry as the pipeline leaves it for a keyed GET answered by the function. */
function servedEntry(): AccessLogEntry {
  const entry = new AccessLogEntry('c6af9ac6-7b61-11e6-9a41-93e8deadbeef', 'ZhMpgigvDoEEPlg=', TIME);
  Object.assign(entry, {
    ip: '203.0.113.7',
    request: { userAgent: 'curl/8.5.0' },
    httpMethod: 'GET',
    path: '/dev/products/42',
    protocol: 'HTTP/1.1',
    apiId: 'puhdx84jy9',
    stage: 'dev',
    resourcePath: '/products/{id}',
    apiKeyId: 'k1a2b3c4d5',
    integrationLatency: '12',
    integrationStatus: '200',
    cacheStatus: 'miss',
  });
  return entry;
}

describe('a declared format ($context substitution, shared by the gateways)', () => {
  const getters = { a: (s: Record<string, string>) => s.a, b: (s: Record<string, string>) => s.b };
  const compile = (text: string) =>
    new AccessLogFormat<Record<string, string>>(text, (name) => getters[name as keyof typeof getters]);

  it('renders each variable, `-` for an unset value or a variable the gateway does not know', () => {
    const format = compile('$context.a $context.b [$context.nope.deeper] $context.a.');
    expect(format.json).toBe(false);
    expect(format.variables).toEqual(['a', 'b', 'nope.deeper', 'a']);
    expect(format.render({ a: 'x' })).toBe('x - [-] x.');
    expect(compile('$context.a-$context.b/$context.a').render({ a: 'x', b: 'y' })).toBe('x-y/x');
  });

  it('recognises a JSON format, escapes values in it and appends extras before its closing brace', () => {
    const format = compile('{ "first": "$context.a", "n": $context.b }\n');
    expect(format.json).toBe(true);
    const line = format.render({ a: 'say "hi"\\\n', b: '7' }, { local: 'yes', first: 'not repeated' });
    expect(line).toBe('{ "first": "say \\"hi\\"\\\\\\n", "n": 7 ,"local":"yes"}\n');
    expect(JSON.parse(line)).toEqual({ first: 'say "hi"\\\n', n: 7, local: 'yes' });
    expect(compile('{}').render({}, { only: '1' })).toBe('{"only":"1"}');
  });

  it('leaves other formats as written: no escaping, no extras', () => {
    const clf = compile('$context.a - - [$context.b] "x"');
    expect(clf.json).toBe(false);
    expect(clf.render({ a: 'a"b', b: 'c' }, { local: 'yes' })).toBe('a"b - - [c] "x"');
  });
});

describe('REST access-log lines in the stage’s declared format', () => {
  const format = compileRestAccessLogFormat(CATALOG_FORMAT);

  it('renders the catalog’s format with the REST $context values, plus cacheStatus and detail', () => {
    const entry = servedEntry();
    entry.declared = format;
    const line = JSON.parse(entry.format(200, 345, undefined)) as Record<string, string>;
    expect(line).toEqual({
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      requestTime: '07/Dec/2026:15:49:29 +0000',
      requestTimeEpoch: String(TIME),
      ip: '203.0.113.7',
      status: '200',
      integrationLatency: '12',
      integrationError: '-',
      authorizerError: '-',
      errorMessage: '-',
      httpMethod: 'GET',
      resourcePath: '/products/{id}',
      path: '/dev/products/42',
      protocol: 'HTTP/1.1',
      responseLength: '345',
      userAgent: 'curl/8.5.0',
      apiKeyId: 'k1a2b3c4d5',
      authorizerLatency: '-',
      // The function's status (`integration.status`), not Lambda's.
      integrationStatus: '200',
      cacheStatus: 'miss',
      detail: '-',
    });
  });

  it('shows a gateway error: its message and type, no integration, the reason as detail', () => {
    const entry = new AccessLogEntry('r-1', 'e-1', TIME);
    Object.assign(entry, { httpMethod: 'POST', authorizerError: 'no token', detail: 'no token' });
    entry.declared = compileRestAccessLogFormat(
      '{"requestId":"$context.requestId","status":"$context.status","error":"$context.error.message",' +
        '"type":"$context.error.responseType","quoted":$context.error.messageString,' +
        '"integrationStatus":"$context.integration.status","authorizerError":"$context.authorizer.error"}',
    );
    const line = JSON.parse(
      entry.format(401, 26, { message: 'Unauthorized', responseType: 'UNAUTHORIZED' }),
    ) as Record<string, string>;
    expect(line).toEqual({
      requestId: 'r-1',
      status: '401',
      error: 'Unauthorized',
      type: 'UNAUTHORIZED',
      quoted: 'Unauthorized',
      integrationStatus: '-',
      authorizerError: 'no token',
      cacheStatus: '-',
      detail: 'no token',
    });
  });

  it('prints - for a variable named like an Object property ($context.constructor, toString)', () => {
    const entry = new AccessLogEntry('r-1', 'e-1', TIME);
    entry.declared = compileRestAccessLogFormat(
      '{"requestId":"$context.requestId","c":"$context.constructor","t":"$context.toString"}',
    );
    const line = JSON.parse(entry.format(200, 0, undefined)) as Record<string, string>;
    expect([line.c, line.t]).toEqual(['-', '-']);
  });

  it('renders a CLF format as written, without the local keys', () => {
    const entry = servedEntry();
    entry.declared = compileRestAccessLogFormat(
      '$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime] ' +
        '"$context.httpMethod $context.resourcePath $context.protocol" $context.status $context.responseLength ' +
        '$context.requestId',
    );
    expect(entry.format(200, 345, undefined)).toBe(
      '203.0.113.7 - - [07/Dec/2026:15:49:29 +0000] "GET /products/{id} HTTP/1.1" 200 345 ' +
        'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    );
  });

  it('keeps the gateway’s own JSON line for a stage that declares no access log', () => {
    const line = JSON.parse(servedEntry().format(200, 345, undefined)) as Record<string, string>;
    expect(line).toMatchObject({
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      extendedRequestId: 'ZhMpgigvDoEEPlg=',
      ip: '203.0.113.7',
      status: '200',
      resourcePath: '/products/{id}',
      integrationStatus: '200',
      cacheStatus: 'miss',
      errorResponseType: '-',
      detail: '-',
    });
  });

  it('compiles a stage’s AccessLogSetting, and refuses a format without a request id, as AWS does', async () => {
    const resources = [resource('/things', method('GET', 'fn'))];
    const gateway = await startRestApiGateway({
      invoker: new FakeInvoker(),
      apis: [restApi({ resources, stages: [{ name: 'dev', accessLogSetting: { format: CATALOG_FORMAT } }] })],
    });
    await gateway.close();
    await expect(
      startRestApiGateway({
        invoker: new FakeInvoker(),
        apis: [
          restApi({
            resources,
            stages: [{ name: 'dev', accessLogSetting: { format: '{"ip":"$context.identity.sourceIp"}' } }],
          }),
        ],
      }),
    ).rejects.toThrow(/stage dev: the access log format must contain \$context\.requestId/);
  });
});

describe('the gateway’s access log, per request', () => {
  const lines: string[] = [];
  let gateway: Awaited<ReturnType<typeof startRestApiGateway>>;
  let base: string;

  beforeAll(async () => {
    gateway = await startRestApiGateway({
      invoker: new FakeInvoker().on('fn', () => ok({ statusCode: 201, body: '{"id":"1"}' })),
      apis: [
        restApi({
          resources: [resource('/things', method('GET', 'fn', { apiKeyRequired: true }))],
          stages: [{ name: 'dev', accessLogSetting: { format: CATALOG_FORMAT } }, { name: 'plain' }],
          usagePlans: [
            {
              id: 'plan',
              apiStages: [
                { apiId: API_ID, stage: 'dev' },
                { apiId: API_ID, stage: 'plain' },
              ],
            },
          ],
          apiKeys: [{ id: 'key1', value: 'thekeyvalue0123456789', planIds: ['plan'] }],
        }),
      ],
      accessLog: (line) => lines.push(line),
    });
    base = gateway.endpoint(API_ID).url;
  });
  afterAll(() => gateway.close());

  const lastLine = () => JSON.parse(lines.at(-1) as string) as Record<string, string>;

  it('writes the stage’s declared format with the request’s values, plus cacheStatus and detail', async () => {
    const answer = await send(`${base}/dev/things`, {
      headers: [
        ['x-api-key', 'thekeyvalue0123456789'],
        ['User-Agent', 'agent "007"'],
      ],
    });
    expect(answer.status).toBe(201);
    const line = lastLine();
    expect(Object.keys(line)).toEqual([...Object.keys(JSON.parse(CATALOG_FORMAT)), 'cacheStatus', 'detail']);
    expect(line).toMatchObject({
      requestId: answer.headers['x-amzn-requestid'],
      ip: '127.0.0.1',
      status: '201',
      httpMethod: 'GET',
      resourcePath: '/things',
      path: '/dev/things',
      protocol: 'HTTP/1.1',
      responseLength: '10',
      userAgent: 'agent "007"',
      apiKeyId: 'key1',
      integrationStatus: '201',
      integrationError: '-',
      authorizerLatency: '-',
      errorMessage: '-',
      cacheStatus: '-',
      detail: '-',
    });
    expect(Number(line.integrationLatency)).toBeGreaterThanOrEqual(0);
  });

  it('shows a gateway answer: the error, no integration, the reason as detail', async () => {
    const answer = await send(`${base}/dev/things`);
    expect(answer.status).toBe(403);
    expect(lastLine()).toMatchObject({
      status: '403',
      errorMessage: 'Forbidden',
      integrationLatency: '-',
      integrationStatus: '-',
      apiKeyId: '-',
      detail: 'no API key',
    });
  });

  it('keeps the gateway’s own line on a stage without an access log, and for an unknown stage', async () => {
    await send(`${base}/plain/things`, { headers: [['x-api-key', 'thekeyvalue0123456789']] });
    expect(lastLine()).toMatchObject({ stage: 'plain', integrationStatus: '200', errorResponseType: '-' });
    await send(`${base}/nope/things`);
    expect(lastLine()).toMatchObject({ stage: '-', status: '403', extendedRequestId: expect.any(String) });
  });
});
