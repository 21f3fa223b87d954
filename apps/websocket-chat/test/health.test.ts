import { fakeContext, webSocketEvent } from '@serverless-reference/middleware/testing';
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

// Real-shaped WebSocket proxy events: $connect after the REQUEST authorizer allowed it (authorizer
// context present, token in the query string), then a message that matched no route.
const authorizer = { principalId: 'd2f50444-0041-7036-aea2-a955fca33d37', integrationLatency: 42 };
const connect = webSocketEvent({
  routeKey: '$connect',
  stage: 'dev',
  query: { token: 'eyJraWQiOiJrMSIsImFsZyI6IlJTMjU2In0.e30.c2ln' },
  authorizer,
});
const message = webSocketEvent({ routeKey: '$default', stage: 'dev', body: { action: 'ping' }, authorizer });
const context = fakeContext('dev-websocket-chat-HealthFunction');

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
