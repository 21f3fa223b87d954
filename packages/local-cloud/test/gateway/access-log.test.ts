/**
 * HTTP API access-log lines: the stage's declared format (`AccessLogSettings.Format`, rendered by the
 * shared ../../src/gateway/access-log-format.ts with the HTTP API `$context` values), the gateway's own
 * line for a stage without one, and the formats AWS refuses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_LOG_FORMATS } from '../../../../infra/lib/constructs/api-access-log/api-access-log.js';
import { ManualClock } from '../../src/clock.js';
import { AccessLogEntry } from '../../src/gateway/http-api/access-log.js';
import {
  compileHttpAccessLogFormat,
  type HttpApiGateway,
  startHttpApiGateway,
} from '../../src/gateway/http-api/index.js';
import { api, FakeInvoker, failed, ok, route, send } from './helpers.js';

/** The notes stage's format, as CDK writes it into `AccessLogSettings.Format` (ApiAccessLog.forHttpApi). */
const NOTES_FORMAT = JSON.stringify(ACCESS_LOG_FORMATS.http);
const CLF_FORMAT =
  '$context.identity.sourceIp - - [$context.requestTime] "$context.httpMethod $context.routeKey $context.protocol" ' +
  '$context.status $context.responseLength $context.requestId $context.authorizer.user $context.domainName';

const TIME = Date.UTC(2026, 11, 7, 15, 49, 29, 123);
const clock = new ManualClock(TIME);
const invoker = new FakeInvoker()
  .on('notes', () => ok({ statusCode: 200, body: '{"id":"42","text":"hello"}' }))
  .on('broken', () => failed('error', 'Error', 'boom'))
  .on('auth', (event) => {
    const [token] = event.identitySource as string[];
    return ok({ isAuthorized: token === 'allow', context: { user: 'u-1', n: 1 } });
  });
const lines: string[] = [];
let gateway: HttpApiGateway;
let base: string;

beforeAll(async () => {
  gateway = await startHttpApiGateway({
    invoker,
    clock,
    accessLog: (line) => lines.push(line),
    apis: [
      api({
        routes: [
          route('GET /notes/{id}', 'notes'),
          route('GET /fail', 'broken'),
          route('GET /private', 'notes', { authorization: { type: 'CUSTOM', authorizerId: 'lambda' } }),
        ],
        authorizers: [
          {
            id: 'lambda',
            type: 'REQUEST',
            functionName: 'auth',
            payloadFormatVersion: '2.0',
            enableSimpleResponses: true,
            identitySource: ['$request.header.Authorization'],
          },
        ],
        stages: [
          { name: '$default' },
          { name: 'dev', accessLogSettings: { format: NOTES_FORMAT, destinationArn: 'arn:aws:logs:…' } },
          { name: 'clf', accessLogSettings: { format: CLF_FORMAT } },
        ],
      }),
    ],
  });
  base = gateway.endpoint('abc123def4').url;
});
afterAll(() => gateway.close());

/** Sends a request and returns its response and the access-log line it wrote. */
async function logged(path: string, headers: Array<[string, string]> = []) {
  lines.length = 0;
  const response = await send(`${base}${path}`, { headers });
  expect(lines).toHaveLength(1);
  return { response, line: lines[0] as string };
}

describe("the stage's declared access-log format", () => {
  it('prints the notes stage’s declared format (infra ACCESS_LOG_FORMATS.http) with the request’s values, plus authorizerLatency', async () => {
    const { response, line } = await logged('/dev/notes/42', [['User-Agent', 'curl/8.5.0 "quoted"']]);
    expect(response.status).toBe(200);
    const entry = JSON.parse(line) as Record<string, string>;
    // The declared keys in their order, then the local one.
    expect(Object.keys(entry)).toEqual([...Object.keys(ACCESS_LOG_FORMATS.http), 'authorizerLatency']);
    expect(entry).toEqual({
      requestId: response.headers['apigw-requestid'],
      requestTime: '07/Dec/2026:15:49:29 +0000',
      requestTimeEpoch: String(TIME),
      ip: '127.0.0.1',
      status: '200',
      integrationLatency: expect.stringMatching(/^\d+$/),
      integrationError: '-',
      authorizerError: '-',
      errorMessage: '-',
      routeKey: 'GET /notes/{id}',
      httpMethod: 'GET',
      path: '/dev/notes/42',
      protocol: 'HTTP/1.1',
      responseLength: String(response.body.length),
      userAgent: 'curl/8.5.0 "quoted"',
      authorizerLatency: '-',
    });
  });

  it('shows the gateway’s errors in it: no route, a failed function, an authorizer’s refusal', async () => {
    const notFound = JSON.parse((await logged('/dev/nothing')).line) as Record<string, string>;
    expect(notFound).toMatchObject({
      status: '404',
      routeKey: '-',
      errorMessage: 'Not Found',
      integrationLatency: '-',
      userAgent: '-',
    });

    const failedCall = JSON.parse((await logged('/dev/fail')).line) as Record<string, string>;
    expect(failedCall).toMatchObject({
      status: '500',
      routeKey: 'GET /fail',
      integrationError: 'Error: boom',
      errorMessage: 'Internal Server Error',
    });
    expect(failedCall.integrationLatency).toMatch(/^\d+$/);

    const denied = JSON.parse((await logged('/dev/private', [['Authorization', 'deny']])).line) as Record<
      string,
      string
    >;
    expect(denied).toMatchObject({
      status: '403',
      authorizerError: 'the authorizer denied the request',
      errorMessage: 'Forbidden',
      integrationLatency: '-',
    });
  });

  it('renders a CLF format as written, without the local keys, with an authorizer’s context value', async () => {
    const { response, line } = await logged('/clf/private', [['Authorization', 'allow']]);
    expect(response.status).toBe(200);
    expect(line).toBe(
      `127.0.0.1 - - [07/Dec/2026:15:49:29 +0000] "GET GET /private HTTP/1.1" 200 ${response.body.length} ` +
        `${response.headers['apigw-requestid']} u-1 abc123def4.execute-api.eu-west-1.amazonaws.com`,
    );
  });

  it('keeps the gateway’s own JSON line for a stage that declares no access log', async () => {
    const { response, line } = await logged('/notes/42');
    const entry = JSON.parse(line) as Record<string, string>;
    expect(Object.keys(entry)).toEqual([
      'requestId',
      'ip',
      'requestTime',
      'httpMethod',
      'routeKey',
      'status',
      'protocol',
      'responseLength',
      'path',
      'apiId',
      'stage',
      'integrationLatency',
      'integrationStatus',
      'integrationErrorMessage',
      'authorizerError',
      'authorizerLatency',
      'errorMessage',
    ]);
    expect(entry).toMatchObject({
      requestId: response.headers['apigw-requestid'],
      requestTime: '07/Dec/2026:15:49:29 +0000',
      routeKey: 'GET /notes/{id}',
      status: '200',
      path: '/notes/42',
      apiId: 'abc123def4',
      stage: '$default',
      integrationStatus: '200',
      errorMessage: '-',
    });
  });

  it('refuses a format without a request id, as AWS does', async () => {
    await expect(
      startHttpApiGateway({
        invoker,
        apis: [
          api({
            routes: [route('GET /r', 'notes')],
            stages: [{ name: 'dev', accessLogSettings: { format: '{"ip":"$context.identity.sourceIp"}' } }],
          }),
        ],
      }),
    ).rejects.toThrow(/stage dev: the access log format must contain \$context\.requestId/);
  });
});

describe('HTTP API $context variables', () => {
  const entry = (): AccessLogEntry => {
    const e = new AccessLogEntry('ZhMpgigvDoEEPlg=', TIME);
    Object.assign(e, {
      apiId: 'abc123def4',
      stage: 'dev',
      api: { apiId: 'abc123def4', accountId: '123456789012', domainName: 'abc123def4.execute-api.x' },
      auth: { kind: 'jwt', claims: { sub: 'user-1', email: 'a@b.c' }, scopes: null },
    });
    return e;
  };

  it('knows the ids, the API, JWT claims and the error variables; unknown ones and prototype names print -', () => {
    const e = entry();
    e.declared = compileHttpAccessLogFormat(
      '$context.extendedRequestId|$context.accountId|$context.domainPrefix|$context.stage|' +
        '$context.authorizer.claims.sub|$context.authorizer.claims.constructor|$context.toString|' +
        '$context.error.messageString|$context.error.responseType|$context.integration.status|$context.waf.error',
    );
    expect(e.format(404, 23, 'Not Found').split('|')).toEqual([
      'ZhMpgigvDoEEPlg=',
      '123456789012',
      'abc123def4',
      'dev',
      'user-1',
      '-',
      '-',
      '"Not Found"',
      'RESOURCE_NOT_FOUND',
      '-',
      '-',
    ]);
  });
});
