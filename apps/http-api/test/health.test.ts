import { fakeContext, httpApiEvent } from '@serverless-reference/middleware/testing';
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

// A real-shaped HTTP API payload 2.0 event: lowercased headers, `$default` stage, no authorizer.
const event = httpApiEvent({ routeKey: 'GET /health' });
const context = fakeContext('dev-http-api-HealthFunction');

describe('GET /health (notes)', () => {
  it('answers 200 with the service status as JSON, not cacheable', async () => {
    const result = await handler(event, context);
    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({ 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    expect(JSON.parse(result.body ?? '')).toEqual({ status: 'ok', service: 'notes' });
  });
});
