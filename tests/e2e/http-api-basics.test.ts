/**
 * The notes HTTP API's gateway behaviour that does not depend on the notes domain:
 * a public route, an unknown route, CORS preflight answered by the gateway.
 */
import { describe, expect, inject, it } from 'vitest';
import { output } from '../support/target';

const target = inject('target');
const apiUrl = output(target, 'http-api', 'ApiUrl');

describe('notes HTTP API — gateway basics', () => {
  it('answers the public health route with the function result and an apigw-requestid header', async () => {
    const response = await fetch(new URL('health', apiUrl));
    expect(response.status).toBe(200);
    expect(response.headers.get('apigw-requestid')).toMatch(/\S+/);
    expect(await response.json()).toEqual({ status: 'ok', service: 'notes' });
  });

  it('answers an unknown route with 404 Not Found, as HTTP APIs do', async () => {
    const response = await fetch(new URL('no-such-route', apiUrl));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'Not Found' });
  });

  it('answers a CORS preflight from an allowed origin without a token', async () => {
    const response = await fetch(new URL('health', apiUrl), {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'GET' },
    });
    expect(response.status).toBeLessThan(300);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(response.headers.get('access-control-allow-methods')).toContain('GET');
  });
});
