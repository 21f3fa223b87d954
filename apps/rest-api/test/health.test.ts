import type { RestApiEvent } from '@serverless-reference/middleware';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// The environment the template gives the function (see infra ServiceFunction and the REST stack), set
// before the handler module (and the Powertools singletons it pulls in) is loaded.
let handler: typeof import('../src/handlers/health').handler;
beforeAll(async () => {
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'catalog');
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'ServerlessReference/test');
  vi.stubEnv('CORS_ALLOWED_ORIGINS', 'http://localhost:5173');
  ({ handler } = await import('../src/handlers/health'));
});
afterAll(() => {
  vi.unstubAllEnvs();
});

// Shaped like a captured REST (payload 1.0) proxy event: client header casing, multiValue*, stage in path.
const headers = {
  Accept: 'application/json',
  Host: 'puhdx84jy9.execute-api.eu-west-1.amazonaws.com',
  Origin: 'http://localhost:5173',
  'User-Agent': 'curl/8.5.0',
  'X-Amzn-Trace-Id': 'Root=1-66704cad-0fbaf1491365339d168b2a7d',
  'X-Forwarded-For': '15.248.3.126',
  'X-Forwarded-Port': '443',
  'X-Forwarded-Proto': 'https',
};
const event: RestApiEvent = {
  resource: '/health',
  path: '/health',
  httpMethod: 'GET',
  headers,
  multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
  queryStringParameters: null,
  multiValueQueryStringParameters: null,
  pathParameters: null,
  stageVariables: null,
  requestContext: {
    resourceId: '3nq1cq',
    resourcePath: '/health',
    httpMethod: 'GET',
    extendedRequestId: 'ZhDrKF5dDoEEHfA=',
    requestTime: '17/Jun/2024:14:48:13 +0000',
    path: '/dev/health',
    accountId: '123456789012',
    protocol: 'HTTP/1.1',
    stage: 'dev',
    domainPrefix: 'puhdx84jy9',
    requestTimeEpoch: 1718635693506,
    requestId: 'f88e38e3-2060-4a56-93c0-9efbc6a659a0',
    identity: {
      cognitoIdentityPoolId: null,
      accountId: null,
      cognitoIdentityId: null,
      caller: null,
      sourceIp: '15.248.3.126',
      principalOrgId: null,
      accessKey: null,
      cognitoAuthenticationType: null,
      cognitoAuthenticationProvider: null,
      userArn: null,
      userAgent: 'curl/8.5.0',
      user: null,
      apiKey: null,
      apiKeyId: null,
      clientCert: null,
    },
    domainName: 'puhdx84jy9.execute-api.eu-west-1.amazonaws.com',
    apiId: 'puhdx84jy9',
    authorizer: null,
  },
  body: null,
  isBase64Encoded: false,
};

const context = {
  functionName: 'dev-rest-api-HealthFunction',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:dev-rest-api-HealthFunction',
  memoryLimitInMB: '256',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  logGroupName: '/aws/lambda/dev-rest-api-HealthFunction',
  logStreamName: '2024/06/17/[$LATEST]6a2b6d1e0f1e4b8c9d0e1f2a3b4c5d6e',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} satisfies Context;

describe('GET /health (catalog)', () => {
  it('answers 200 with the service status as JSON, not cacheable, with CORS for the configured origin', async () => {
    const result = await handler(event, context);
    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
      'Access-Control-Allow-Origin': 'http://localhost:5173',
    });
    expect(JSON.parse(result.body)).toEqual({ status: 'ok', service: 'catalog' });
  });
});
