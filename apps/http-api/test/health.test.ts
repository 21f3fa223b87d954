import type { HttpApiEvent } from '@serverless-reference/middleware';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// The environment the template gives the function (see infra ServiceFunction), set before the handler
// module (and the Powertools singletons it pulls in) is loaded.
let handler: typeof import('../src/handlers/health').handler;
beforeAll(async () => {
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'notes');
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'ServerlessReference/test');
  ({ handler } = await import('../src/handlers/health'));
});
afterAll(() => {
  vi.unstubAllEnvs();
});

// Shaped like a captured HTTP API payload 2.0 event (lowercased headers, `$default` stage, no authorizer).
const event: HttpApiEvent = {
  version: '2.0',
  routeKey: 'GET /health',
  rawPath: '/health',
  rawQueryString: '',
  headers: {
    accept: '*/*',
    host: 'lsw1ro4ipb.execute-api.eu-west-1.amazonaws.com',
    'user-agent': 'curl/8.5.0',
    'x-amzn-trace-id': 'Root=1-66705bc7-2b4257df30cbee696ef2cf28',
    'x-forwarded-for': '15.248.3.126',
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
  },
  requestContext: {
    accountId: '123456789012',
    apiId: 'lsw1ro4ipb',
    domainName: 'lsw1ro4ipb.execute-api.eu-west-1.amazonaws.com',
    domainPrefix: 'lsw1ro4ipb',
    http: {
      method: 'GET',
      path: '/health',
      protocol: 'HTTP/1.1',
      sourceIp: '15.248.3.126',
      userAgent: 'curl/8.5.0',
    },
    requestId: 'ZhNHJhhLjoEEPiw=',
    routeKey: 'GET /health',
    stage: '$default',
    time: '17/Jun/2024:15:52:39 +0000',
    timeEpoch: 1718639559080,
  },
  isBase64Encoded: false,
};

const context = {
  functionName: 'dev-http-api-HealthFunction',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:dev-http-api-HealthFunction',
  memoryLimitInMB: '256',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  logGroupName: '/aws/lambda/dev-http-api-HealthFunction',
  logStreamName: '2024/06/17/[$LATEST]6a2b6d1e0f1e4b8c9d0e1f2a3b4c5d6e',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} satisfies Context;

describe('GET /health (notes)', () => {
  it('answers 200 with the service status as JSON, not cacheable', async () => {
    const result = await handler(event, context);
    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({ 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    expect(JSON.parse(result.body ?? '')).toEqual({ status: 'ok', service: 'notes' });
  });
});
