import type { WebSocketEvent } from '@serverless-reference/middleware';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// The environment the template gives the function (see infra ServiceFunction), set before the handler
// module (and the Powertools singletons it pulls in) is loaded.
let handler: typeof import('../src/handlers/health').handler;
beforeAll(async () => {
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'chat');
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'ServerlessReference/test');
  ({ handler } = await import('../src/handlers/health'));
});
afterAll(() => {
  vi.unstubAllEnvs();
});

const requestContext = {
  extendedRequestId: 'BFHPhFe3IAMF95g=',
  requestTime: '11/Nov/2024:11:35:24 +0000',
  messageDirection: 'IN',
  stage: 'dev',
  connectedAt: 1731324924553,
  requestTimeEpoch: 1731324924561,
  identity: { sourceIp: '166.90.225.1' },
  requestId: 'BFHPhFe3IAMF95g=',
  domainName: 'fjnq7njcv2.execute-api.us-east-1.amazonaws.com',
  connectionId: 'BFHPhfCWIAMCKlQ=',
  apiId: 'fjnq7njcv2',
} as const;

// Shaped like captured WebSocket proxy events: $connect after the REQUEST authorizer allowed it
// (authorizer context present, token in the query string), then a message that matched no route.
const connect: WebSocketEvent = {
  headers: {
    Host: 'fjnq7njcv2.execute-api.us-east-1.amazonaws.com',
    'Sec-WebSocket-Key': '+W5xw47OHh3OTFsWKjGu9Q==',
    'Sec-WebSocket-Version': '13',
    'X-Forwarded-For': '166.90.225.1',
    'X-Forwarded-Port': '443',
    'X-Forwarded-Proto': 'https',
  },
  queryStringParameters: { token: 'eyJraWQiOiJrMSIsImFsZyI6IlJTMjU2In0.e30.c2ln' },
  requestContext: {
    ...requestContext,
    routeKey: '$connect',
    eventType: 'CONNECT',
    authorizer: { principalId: 'd2f50444-0041-7036-aea2-a955fca33d37', integrationLatency: 42 },
  },
  isBase64Encoded: false,
};

const message: WebSocketEvent = {
  requestContext: {
    ...requestContext,
    routeKey: '$default',
    eventType: 'MESSAGE',
    messageId: 'BFaVtfGSIAMCKug=',
  },
  body: '{"action":"ping"}',
  isBase64Encoded: false,
};

const context = {
  functionName: 'dev-websocket-chat-HealthFunction',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:dev-websocket-chat-HealthFunction',
  memoryLimitInMB: '256',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  logGroupName: '/aws/lambda/dev-websocket-chat-HealthFunction',
  logStreamName: '2024/11/11/[$LATEST]6a2b6d1e0f1e4b8c9d0e1f2a3b4c5d6e',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} satisfies Context;

describe('chat health (WebSocket)', () => {
  it('$connect: 200 accepts the connection', async () => {
    const result = await handler(connect, context);
    expect(result.statusCode).toBe(200);
  });

  it('$default: answers the caller with the service status', async () => {
    const result = await handler(message, context);
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body ?? '')).toEqual({ status: 'ok', service: 'chat' });
  });
});
