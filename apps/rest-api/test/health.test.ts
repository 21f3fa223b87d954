import { fakeContext, restApiEvent } from '@serverless-reference/middleware/testing';
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

// A real-shaped REST (payload 1.0) proxy event: client header casing, multiValue*, stage in requestContext.path.
const event = restApiEvent({
  resource: '/health',
  stage: 'dev',
  headers: { Accept: 'application/json', Origin: 'http://localhost:5173' },
});
const context = fakeContext('dev-rest-api-HealthFunction');

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
